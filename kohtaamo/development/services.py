"""Writes of the development loop. Keyword-only, typed; views stay thin."""

import calendar
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.feedback.models import Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Person, Unit
from kohtaamo.organisations.selectors import Scope

from .baselines import BASELINE_DAYS, figure_for
from .effects import SCORE_BOUNDS, one_sample_mean
from .models import (
    ClinicAction,
    ClinicCase,
    ClinicSeries,
    ClinicSession,
    DevelopmentPlan,
    MentorPair,
    PlanAction,
    PlanCheckIn,
    PlanGoal,
    PublicSelfTestResult,
    RolePlayRating,
    RolePlayRatingValue,
    RolePlayScenario,
    RolePlaySession,
    SelfTestResult,
    ShadowingDay,
    ShadowingObservation,
)
from .selftest import selftest_score

SESSIONS_AHEAD = 6


def session_time(*, first: datetime, interval: str, index: int) -> datetime:
    """The index-th session after `first`; monthly sessions keep the day, clipped to the month's end."""
    if interval == ClinicSeries.Interval.WEEKLY:
        return first + timedelta(weeks=index)
    if interval == ClinicSeries.Interval.BIWEEKLY:
        return first + timedelta(weeks=2 * index)
    months = first.month - 1 + index
    year, month = first.year + months // 12, months % 12 + 1
    return first.replace(year=year, month=month, day=min(first.day, calendar.monthrange(year, month)[1]))


def _require_not_employee(scope: Scope) -> None:
    if scope.is_employee or scope.is_shopper:
        raise PermissionDenied


# -- clinics ---------------------------------------------------------------------------------------------


@transaction.atomic
def clinic_series_create(
    *,
    scope: Scope,
    unit: Unit,
    name: str,
    interval: str,
    first_session_at: datetime,
    duration_minutes: int = 60,
    location: str = "",
    sessions: int = SESSIONS_AHEAD,
) -> ClinicSeries:
    """A recurring clinic for a team, with its next `sessions` sessions scheduled."""
    _require_not_employee(scope)
    # Recur in the organisation's wall-clock time, so a 9:00 clinic stays at 9:00 across DST.
    first_session_at = timezone.localtime(first_session_at, ZoneInfo(scope.organisation.time_zone))
    series = ClinicSeries.objects.create(
        organisation=scope.organisation,
        unit=unit,
        name=name,
        interval=interval,
        first_session_at=first_session_at,
        duration_minutes=duration_minutes,
        location=location,
    )
    ClinicSession.objects.bulk_create(
        [
            ClinicSession(
                organisation=scope.organisation,
                unit=unit,
                series=series,
                starts_at=session_time(first=first_session_at, interval=interval, index=i),
            )
            for i in range(sessions)
        ]
    )
    return series


@transaction.atomic
def clinic_case_create(
    *,
    session: ClinicSession,
    title: str,
    outcome: str,
    situation: str,
    went_well: str = "",
    to_improve: str = "",
    lessons: str = "",
    incident_kind: str = "",
    channel: str = "",
    dimensions: list[Dimension] | None = None,
    response: Response | None = None,
) -> ClinicCase:
    """A case from a real response (its encounter and channel come along) or written up by hand."""
    if response is not None and response.organisation_id != session.organisation_id:
        raise ValidationError(_("That response belongs to another organisation."))
    case = ClinicCase.objects.create(
        organisation_id=session.organisation_id,
        unit_id=session.unit_id,
        session=session,
        title=title,
        outcome=outcome,
        situation=situation,
        went_well=went_well,
        to_improve=to_improve,
        lessons=lessons,
        incident_kind=incident_kind,
        channel=channel or (response.channel if response else ""),
        response=response,
        encounter_id=response.encounter_id if response else None,
    )
    if dimensions:
        case.dimensions.set(dimensions)
    return case


def clinic_action_create(*, case: ClinicCase, description: str, owner: Person, due_date: date) -> ClinicAction:
    if owner.organisation_id != case.organisation_id:
        raise ValidationError(_("The owner must work in this organisation."))
    return ClinicAction.objects.create(
        organisation_id=case.organisation_id,
        unit_id=case.unit_id,
        case=case,
        description=description,
        owner=owner,
        due_date=due_date,
    )


def clinic_action_follow_up(
    *, action: ClinicAction, session: ClinicSession, note: str, done: bool, now: datetime | None = None
) -> ClinicAction:
    action.follow_up = note
    action.followed_up_in = session
    action.done_at = (now or timezone.now()) if done else None
    action.save(update_fields=["follow_up", "followed_up_in", "done_at"])
    return action


# -- mentoring -------------------------------------------------------------------------------------------


def mentor_pair_create(*, scope: Scope, mentor: Person, mentee: Person, goals: str) -> MentorPair:
    _require_not_employee(scope)
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A mentor cannot mentor themselves."))
    return MentorPair.objects.create(
        organisation=scope.organisation, unit_id=mentee.unit_id, mentor=mentor, mentee=mentee, goals=goals
    )


@transaction.atomic
def shadowing_day_record(
    *, pair: MentorPair, day: date, direction: str, observations: dict[int, tuple[int | None, str]], debrief: str
) -> ShadowingDay:
    """A shadowing day with its observation form (item id -> (1..5 or None, note)) and debrief note."""
    shadowing = ShadowingDay.objects.create(
        organisation_id=pair.organisation_id,
        unit_id=pair.unit_id,
        pair=pair,
        date=day,
        direction=direction,
        debrief=debrief,
    )
    ShadowingObservation.objects.bulk_create(
        [
            ShadowingObservation(day=shadowing, item_id=item_id, value=value, note=note)
            for item_id, (value, note) in observations.items()
            if value is not None or note
        ]
    )
    return shadowing


def shadowing_debrief_update(*, day: ShadowingDay, debrief: str) -> ShadowingDay:
    day.debrief = debrief
    day.save(update_fields=["debrief"])
    return day


# -- role play ---------------------------------------------------------------------------------------------


def role_play_scenario_create(
    *, scope: Scope, title: str, description: str, channel: str = "", dimensions: list[Dimension] | None = None
) -> RolePlayScenario:
    _require_not_employee(scope)
    scenario = RolePlayScenario.objects.create(
        organisation=scope.organisation, title=title, description=description, channel=channel
    )
    if dimensions:
        scenario.dimensions.set(dimensions)
    return scenario


def role_play_session_create(
    *, scope: Scope, scenario: RolePlayScenario, participant: Person, recording_ref: str = ""
) -> RolePlaySession:
    _require_not_employee(scope)
    return RolePlaySession.objects.create(
        organisation=scope.organisation,
        unit_id=participant.unit_id,
        scenario=scenario,
        participant=participant,
        coach_id=scope.user_id or None,
        recording_ref=recording_ref,
    )


def role_play_rating_submit(
    *, session: RolePlaySession, page_key: str, rater_role: str, values: dict[int, int], comment: str = ""
) -> tuple[RolePlayRating, bool]:
    """Store one rater's feedback once per page view; a repeat with the same key returns the stored one."""
    try:
        key = uuid.UUID(str(page_key))
    except ValueError as error:
        raise ValidationError(_("This form has expired. Please reload the page.")) from error
    existing = RolePlayRating.objects.filter(session=session, page_key=key).first()
    if existing is not None:
        return existing, False
    if not session.open:
        raise ValidationError(_("This role-play session is closed for feedback."))
    if rater_role not in RolePlayRating.RaterRole.values:
        raise ValidationError(_("Choose whether you are the coach or a peer."))
    if not values:
        raise ValidationError(_("Rate at least one item."))
    try:
        with transaction.atomic():
            rating = RolePlayRating.objects.create(
                session=session, page_key=key, rater_role=rater_role, comment=comment
            )
            RolePlayRatingValue.objects.bulk_create(
                [RolePlayRatingValue(rating=rating, item_id=item_id, value=value) for item_id, value in values.items()]
            )
    except IntegrityError:
        return RolePlayRating.objects.get(session=session, page_key=key), False
    return rating, True


def role_play_session_close(*, session: RolePlaySession) -> RolePlaySession:
    session.open = False
    session.save(update_fields=["open"])
    return session


# -- plans -------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    scope: Scope,
    person: Person,
    title: str,
    goals: list[tuple[Dimension, str, float | None]],
    baseline_source: str = "pulse",
    now: datetime | None = None,
) -> DevelopmentPlan:
    """A plan with goals whose baselines are frozen from the source's figures of the last BASELINE_DAYS."""
    now = now or timezone.now()
    if not goals:
        raise ValidationError(_("A plan needs at least one goal."))
    plan = DevelopmentPlan.objects.create(
        organisation=scope.organisation,
        unit_id=person.unit_id,
        person=person,
        title=title,
        baseline_source=baseline_source,
        started_at=now,
    )
    for dimension, description, target in goals:
        plan_goal_add(plan=plan, dimension=dimension, description=description, target=target)
    return plan


def plan_goal_add(*, plan: DevelopmentPlan, dimension: Dimension, description: str, target: float | None) -> PlanGoal:
    if target is not None and not 0 <= target <= 100:
        raise ValidationError(_("The target is a score from 0 to 100."))
    baseline = figure_for(
        source=plan.baseline_source,
        person=plan.person,
        dimension=dimension,
        since=plan.started_at - timedelta(days=BASELINE_DAYS),
        until=plan.started_at,
    )
    estimate = one_sample_mean(baseline, bounds=SCORE_BOUNDS)
    return PlanGoal.objects.create(
        plan=plan,
        dimension=dimension,
        description=description,
        target=target,
        baseline_value=baseline.mean,
        baseline_n=baseline.n,
        baseline_ci_low=estimate.ci_low,
        baseline_ci_high=estimate.ci_high,
        baseline_sum_sq=baseline.variance,
    )


def plan_action_add(
    *, plan: DevelopmentPlan, kind: str, description: str, due_date: date, clinic_case: ClinicCase | None = None
) -> PlanAction:
    if clinic_case is not None and clinic_case.organisation_id != plan.organisation_id:
        raise ValidationError(_("That case belongs to another organisation."))
    return PlanAction.objects.create(
        plan=plan, kind=kind, description=description, due_date=due_date, clinic_case=clinic_case
    )


def plan_action_done(*, action: PlanAction, now: datetime | None = None) -> PlanAction:
    action.done_at = now or timezone.now()
    action.save(update_fields=["done_at"])
    return action


def plan_check_in_schedule(*, plan: DevelopmentPlan, due_date: date) -> PlanCheckIn:
    return PlanCheckIn.objects.create(plan=plan, due_date=due_date)


def plan_check_in_record(
    *, plan: DevelopmentPlan, note: str, check_in: PlanCheckIn | None = None, now: datetime | None = None
) -> PlanCheckIn:
    """Record a held check-in: the scheduled one, or a new one held today."""
    now = now or timezone.now()
    if not note.strip():
        raise ValidationError(_("Write a short note of what was discussed."))
    if check_in is None:
        check_in = PlanCheckIn(plan=plan, due_date=timezone.localdate(now))
    check_in.note = note
    check_in.held_at = now
    check_in.save()
    return check_in


# -- self-test ------------------------------------------------------------------------------------------


def selftest_save(*, scope: Scope, person: Person, answers: dict[str, int], language: str) -> SelfTestResult:
    profile = selftest_score(answers=answers, language=language)
    return SelfTestResult.objects.create(
        organisation=scope.organisation,
        unit_id=person.unit_id,
        person=person,
        language=language,
        answers=answers,
        profile=profile.scores,
    )


def public_selftest_store(*, answers: dict[str, int], language: str) -> PublicSelfTestResult:
    """Only on the user's explicit choice: the profile, without answers, person or tenant."""
    return PublicSelfTestResult.objects.create(
        language=language, profile=selftest_score(answers=answers, language=language).scores
    )
