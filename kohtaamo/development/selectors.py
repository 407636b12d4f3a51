"""Reads of the development loop, always through the organisation's role scoping."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics.metrics import Estimate
from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Person
from kohtaamo.organisations.selectors import Scope, people_visible, restrict

from .baselines import figure_for
from .effects import SCORE_BOUNDS, EffectReport, Sample, effect_report, one_sample_mean, welch_difference
from .models import (
    ClinicAction,
    ClinicCase,
    ClinicSeries,
    ClinicSession,
    DevelopmentPlan,
    MentorPair,
    RolePlayRatingValue,
    RolePlayScenario,
    RolePlaySession,
    SelfTestResult,
    ShadowingDay,
)

LOW_SCORE_DAYS = 90
LOW_SCORES_SHOWN = 10
CASES_PER_PAGE = 25


def _one(qs: QuerySet, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# -- clinics ---------------------------------------------------------------------------------------------


def clinic_series_visible(*, scope: Scope) -> QuerySet[ClinicSeries]:
    qs = ClinicSeries.objects.select_related("unit")
    if scope.is_employee:
        return _employee_units(qs, scope)
    return restrict(qs, scope=scope, person_field=None)


def _employee_units(qs: QuerySet, scope: Scope) -> QuerySet:
    """An employee sees their own team's clinics (the unit they work in)."""
    person = Person.objects.filter(pk=scope.person_id).values("unit_id")
    return qs.filter(organisation=scope.organisation, unit_id__in=person)


def clinic_sessions_visible(*, scope: Scope) -> QuerySet[ClinicSession]:
    qs = ClinicSession.objects.select_related("series", "unit")
    if scope.is_employee:
        return _employee_units(qs, scope)
    return restrict(qs, scope=scope, person_field=None)


def clinic_session_for(*, scope: Scope, session_id: int) -> ClinicSession:
    return _one(clinic_sessions_visible(scope=scope), session_id)


def clinic_cases_visible(*, scope: Scope) -> QuerySet[ClinicCase]:
    """The case library spreads lessons across teams: every case of the organisation for non-shoppers."""
    if scope.is_shopper:
        return ClinicCase.objects.none()
    return ClinicCase.objects.filter(organisation=scope.organisation)


def clinic_case_library(
    *, scope: Scope, dimension: str = "", channel: str = "", outcome: str = "", incident_kind: str = "", text: str = ""
) -> QuerySet[ClinicCase]:
    qs = clinic_cases_visible(scope=scope).select_related("unit", "session").prefetch_related("dimensions")
    if dimension:
        qs = qs.filter(dimensions__code=dimension)
    if channel:
        qs = qs.filter(channel=channel)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if incident_kind:
        qs = qs.filter(incident_kind=incident_kind)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(situation__icontains=text) | Q(lessons__icontains=text))
    return qs.distinct().order_by("-created_at")


def clinic_cases_of(*, session: ClinicSession) -> QuerySet[ClinicCase]:
    """A session's cases with their elements, actions and owners loaded in a bounded number of queries."""
    return session.cases.prefetch_related("dimensions", "actions__owner").select_related("response")


def clinic_actions_open_before(*, session: ClinicSession) -> QuerySet[ClinicAction]:
    """Actions of the series' earlier sessions still waiting for follow-up."""
    return ClinicAction.objects.filter(
        case__session__series_id=session.series_id, case__session__starts_at__lt=session.starts_at, done_at__isnull=True
    ).select_related("owner", "case")


def low_scoring_responses(*, scope: Scope, now: datetime | None = None) -> QuerySet[Response]:
    """Recent customer responses with the lowest EQI in scope: candidates for a clinic case."""
    now = now or timezone.now()
    return (
        restrict(
            Response.objects.customer_feedback().filter(
                eqi__isnull=False,
                submitted_at__gte=now - timedelta(days=LOW_SCORE_DAYS),
            ),
            scope=scope,
            person_field="subject_person",
        )
        .select_related("subject_person", "unit")
        .order_by("eqi", "-submitted_at")[:LOW_SCORES_SHOWN]
    )


def response_for_case(*, scope: Scope, response_id: int) -> Response:
    qs = restrict(Response.objects.filter(status=Response.Status.SUBMITTED), scope=scope, person_field="subject_person")
    return _one(qs.select_related("subject_person", "encounter"), response_id)


def response_case_summary(*, response: Response) -> dict:
    """The scores and comment of a response, for a case that links it."""
    scores = list(
        DimensionScore.objects.filter(response=response, dimension__group=Dimension.Group.ELEMENT)
        .select_related("dimension")
        .order_by("dimension__order")
    )
    comment = response.answers.exclude(text="").values_list("text", flat=True).first() or ""
    return {"response": response, "scores": scores, "comment": comment}


# -- mentoring -------------------------------------------------------------------------------------------


def mentor_pairs_visible(*, scope: Scope) -> QuerySet[MentorPair]:
    qs = MentorPair.objects.select_related("mentor", "mentee", "unit")
    if scope.is_employee:
        return qs.filter(organisation=scope.organisation).filter(
            Q(mentor_id=scope.person_id) | Q(mentee_id=scope.person_id)
        )
    return restrict(qs, scope=scope, person_field=None)


def mentor_pair_for(*, scope: Scope, pair_id: int) -> MentorPair:
    return _one(mentor_pairs_visible(scope=scope), pair_id)


def shadowing_days_of(*, pair: MentorPair) -> QuerySet[ShadowingDay]:
    return pair.shadowing_days.prefetch_related("observations__item")


# -- role play ---------------------------------------------------------------------------------------------


def scenarios_visible(*, scope: Scope) -> QuerySet[RolePlayScenario]:
    if scope.is_shopper:
        return RolePlayScenario.objects.none()
    return RolePlayScenario.objects.filter(organisation=scope.organisation)


def role_play_sessions_visible(*, scope: Scope) -> QuerySet[RolePlaySession]:
    return restrict(
        RolePlaySession.objects.select_related("scenario", "participant", "unit"),
        scope=scope,
        person_field="participant",
    )


def role_play_session_for(*, scope: Scope, session_id: int) -> RolePlaySession:
    return _one(role_play_sessions_visible(scope=scope), session_id)


def role_play_session_by_token(*, token: str) -> RolePlaySession:
    session = (
        RolePlaySession.objects.select_related("scenario", "participant", "organisation").filter(token=token).first()
    )
    if session is None:
        raise Http404
    return session


def role_play_summary(*, session: RolePlaySession) -> dict:
    """Mean rating per element (on the 1–5 scale) by coach and by peers, aggregated in the database."""
    rows = (
        RolePlayRatingValue.objects.filter(rating__session=session, item__dimensions__group=Dimension.Group.ELEMENT)
        .values("item__dimensions__code", "item__dimensions__names", "item__dimensions__order", "rating__rater_role")
        .annotate(n=Count("rating", distinct=True), mean=Avg("value"))
        .order_by("item__dimensions__order")
    )
    table: dict[str, dict] = {}
    for row in rows:
        entry = table.setdefault(row["item__dimensions__code"], {"names": row["item__dimensions__names"]})
        entry[row["rating__rater_role"]] = Estimate(value=row["mean"], n=row["n"])
    raters = session.ratings.aggregate(
        coach=Count("pk", filter=Q(rater_role="coach")), peers=Count("pk", filter=Q(rater_role="peer"))
    )
    comments = list(session.ratings.exclude(comment="").values_list("comment", flat=True))
    return {"rows": table, "raters": raters, "comments": comments}


# -- plans -------------------------------------------------------------------------------------------------


def plans_visible(*, scope: Scope) -> QuerySet[DevelopmentPlan]:
    return restrict(DevelopmentPlan.objects.select_related("person", "unit"), scope=scope, person_field="person")


def plan_for(*, scope: Scope, plan_id: int) -> DevelopmentPlan:
    return _one(plans_visible(scope=scope), plan_id)


@dataclass(frozen=True)
class GoalProgress:
    goal: object
    baseline: Estimate
    follow_up: Estimate
    change: Estimate  # follow-up − baseline, Welch CI


def plan_progress(*, plan: DevelopmentPlan, now: datetime | None = None) -> list[GoalProgress]:
    """Each goal's frozen baseline vs the figure measured since the plan started."""
    now = now or timezone.now()
    progress = []
    for goal in plan.goals.select_related("dimension").order_by("dimension__order"):
        baseline = Sample(goal.baseline_n, goal.baseline_value, goal.baseline_sum_sq)
        follow = figure_for(
            source=plan.baseline_source, person=plan.person, dimension=goal.dimension, since=plan.started_at, until=now
        )
        progress.append(
            GoalProgress(
                goal=goal,
                baseline=Estimate(
                    value=goal.baseline_value,
                    n=goal.baseline_n,
                    ci_low=goal.baseline_ci_low,
                    ci_high=goal.baseline_ci_high,
                ),
                follow_up=one_sample_mean(follow, bounds=SCORE_BOUNDS),
                change=welch_difference(follow, baseline),
            )
        )
    return progress


def person_gaps(
    *, person: Person, now: datetime | None = None, source: str = "pulse"
) -> list[tuple[Dimension, Estimate]]:
    """The person's element and rhetoric figures over the baseline window, weakest first: where a plan starts."""
    from .baselines import BASELINE_DAYS

    now = now or timezone.now()
    dimensions = Dimension.objects.filter(
        group__in=[Dimension.Group.ELEMENT, Dimension.Group.RHETORIC],
        framework__questionnaires__organisation=person.organisation_id,
    ).distinct()
    figures = [
        (
            d,
            one_sample_mean(
                figure_for(
                    source=source, person=person, dimension=d, since=now - timedelta(days=BASELINE_DAYS), until=now
                ),
                bounds=SCORE_BOUNDS,
            ),
        )
        for d in dimensions
    ]
    return sorted(figures, key=lambda f: (f[1].value is None, f[1].value if f[1].value is not None else 0))


# -- self-test ----------------------------------------------------------------------------------------------


def selftest_results_visible(*, scope: Scope) -> QuerySet[SelfTestResult]:
    return restrict(SelfTestResult.objects.select_related("person"), scope=scope, person_field="person")


def people_choices(*, scope: Scope) -> QuerySet[Person]:
    return people_visible(scope=scope).filter(active=True)


def effect_subjects(*, scope: Scope) -> list[tuple[str, str]]:
    """The development activities whose effect can be measured: clinic series, role-play trainings, plans."""
    series = [
        (f"series:{s.pk}", _("Clinic series: %(name)s") % {"name": s.name}) for s in clinic_series_visible(scope=scope)
    ]
    scenarios = [
        (f"scenario:{s.pk}", _("Role-play training: %(name)s") % {"name": s.title})
        for s in scenarios_visible(scope=scope)
    ]
    return [*series, *scenarios, ("plans", _("Development plans"))]


def effect_participants(*, scope: Scope, subject: str) -> tuple[set[int], datetime | None]:
    """Who took part in a development activity, and when it started.

    A clinic series: the people of its team, from the first session. A role-play training: its
    participants, from the first session. Development plans: everyone with a plan, from the first plan.
    """
    kind, _sep, pk = subject.partition(":")
    if kind == "series" and pk.isdigit():
        series = _one(clinic_series_visible(scope=scope), int(pk))
        people = people_visible(scope=scope).filter(unit__path__startswith=series.unit.path)
        return set(people.values_list("pk", flat=True)), series.first_session_at
    if kind == "scenario" and pk.isdigit():
        sessions = role_play_sessions_visible(scope=scope).filter(scenario_id=int(pk))
        start = sessions.order_by("created_at").values_list("created_at", flat=True).first()
        return set(sessions.values_list("participant_id", flat=True)), start
    if kind == "plans":
        plans = plans_visible(scope=scope)
        start = plans.order_by("started_at").values_list("started_at", flat=True).first()
        return set(plans.values_list("person_id", flat=True)), start
    raise Http404


def effect_report_for(*, scope: Scope, subject: str, dimension_code: str | None = None) -> EffectReport | None:
    """The effect report of one development activity; None while it has not started."""
    participants, start = effect_participants(scope=scope, subject=subject)
    if start is None:
        return None
    return effect_report(scope=scope, participant_ids=participants, start=start, dimension_code=dimension_code)
