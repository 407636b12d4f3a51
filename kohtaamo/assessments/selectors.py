"""Reads of 360 rounds through the tenant scope: rounds, progress, released reports, team reports."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from kohtaamo.analytics.anonymity import cell_allowed, threshold_for
from kohtaamo.feedback.models import Invitation
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Person
from kohtaamo.organisations.selectors import Scope, people_visible, restrict

from .models import RATER_GROUPS, Assessment, Participant, Rater, Release, ReleaseFigure
from .releasing import ALL_OTHERS


def assessments_visible(*, scope: Scope) -> QuerySet[Assessment]:
    if scope.is_shopper:
        return Assessment.objects.none()
    return Assessment.objects.filter(organisation=scope.organisation).select_related("round")


def assessment_for(*, scope: Scope, assessment_id: int) -> Assessment:
    assessment = assessments_visible(scope=scope).select_related("organisation").filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    return assessment


def participants_visible(*, scope: Scope, assessment: Assessment) -> QuerySet[Participant]:
    return restrict(
        Participant.objects.filter(assessment=assessment).select_related("person__unit", "person__supervisor"),
        scope=scope,
        unit_field="person__unit",
        person_field="person",
    )


def participant_for(*, scope: Scope, participant_id: int) -> Participant:
    participant = (
        Participant.objects.filter(pk=participant_id, organisation=scope.organisation)
        .select_related("assessment__round", "assessment__organisation", "person__supervisor", "coach")
        .first()
    )
    if participant is None or scope.is_shopper:
        raise Http404
    return participant


def _acting_person_id(scope: Scope) -> int | None:
    return (
        Person.objects.filter(organisation=scope.organisation, user_id=scope.user_id)
        .values_list("pk", flat=True)
        .first()
    )


def may_nominate(*, scope: Scope, participant: Participant) -> bool:
    return scope.can_manage or _acting_person_id(scope) == participant.person_id


def may_approve(*, scope: Scope, participant: Participant) -> bool:
    return scope.can_manage or (
        participant.person.supervisor_id is not None and _acting_person_id(scope) == participant.person.supervisor_id
    )


def may_read_report(*, scope: Scope, participant: Participant) -> bool:
    """The person, their coach and supervisor, their unit's managers and organisation-wide roles."""
    if scope.organisation_wide:
        return True
    if scope.unit_path is not None and people_visible(scope=scope).filter(pk=participant.person_id).exists():
        return True
    me = _acting_person_id(scope)
    return me is not None and me in {participant.person_id, participant.coach_id, participant.person.supervisor_id}


def released_report_for(*, scope: Scope, participant: Participant) -> Release:
    if not may_read_report(scope=scope, participant=participant):
        raise PermissionDenied
    release = participant.releases.filter(current=True).first()
    if release is None:
        raise Http404
    return release


@dataclass(frozen=True)
class ProgressRow:
    participant: Participant
    cells: list[dict | None]  # per rater group in report order: nominated/invited/started/answered
    released_at: datetime | None = None  # the current release of the person's report, if any


def progress(*, scope: Scope, assessment: Assessment) -> list[ProgressRow]:
    """Per person and rater group: invited, started, answered — counts only, never who."""
    participants = list(participants_visible(scope=scope, assessment=assessment))
    rows = (
        Rater.objects.filter(participant__in=participants)
        .values("participant_id", "role")
        .annotate(
            nominated=Count("pk"),
            invited=Count("invitation"),
            started=Count("invitation", filter=Q(invitation__opened_at__isnull=False)),
            answered=Count("invitation", filter=Q(invitation__status=Invitation.Status.RESPONDED)),
        )
    )
    by_participant: dict[int, dict] = {}
    for row in rows:
        by_participant.setdefault(row["participant_id"], {})[row["role"]] = row
    released = dict(
        Release.objects.filter(participant__in=participants, current=True).values_list("participant_id", "released_at")
    )
    return [
        ProgressRow(p, [by_participant.get(p.pk, {}).get(role) for role in RATER_GROUPS], released.get(p.pk))
        for p in participants
    ]


def norm_for(*, assessment: Assessment) -> dict[str, dict]:
    """The organisation norm: mean of all current released reports' other raters in this round, per
    element, shown only when at least `threshold` people's reports contribute."""
    threshold = threshold_for(assessment.organisation)
    rows = (
        ReleaseFigure.objects.filter(
            release__participant__assessment=assessment,
            release__current=True,
            group=ALL_OTHERS,
            dimension__group=Dimension.Group.ELEMENT,
        )
        .values("dimension__code")
        .annotate(score=Avg("score"), mean=Avg("mean"), people=Count("pk"))
    )
    return {r["dimension__code"]: r for r in rows if r["people"] >= threshold}


def trend_for(*, participant: Participant) -> dict[str, dict]:
    """The person's previous round's released figures (self and all others), per dimension."""
    previous = (
        Release.objects.filter(
            participant__person_id=participant.person_id,
            participant__assessment__created_at__lt=participant.assessment.created_at,
            current=True,
        )
        .order_by("-participant__assessment__created_at")
        .first()
    )
    if previous is None:
        return {}
    trend: dict[str, dict] = {}
    for code, group, mean in previous.figures.filter(group__in=["self", ALL_OTHERS]).values_list(
        "dimension__code", "group", "mean"
    ):
        trend.setdefault(code, {})[group] = mean
    return trend


@dataclass(frozen=True)
class TeamReport:
    dimensions: list[Dimension]
    rows: list[tuple[Participant, list[float]]]  # people whose every cell meets the threshold
    not_shown: int  # people left out of the heat map
    distribution: list[dict]  # per dimension: people, min, quartiles, max, mean (0–100)
    development_areas: list[dict]


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    n = len(ordered)

    def at(p: float) -> float:
        k = (n - 1) * p
        low = int(k)
        high = min(low + 1, n - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (k - low)

    return at(0.25), at(0.5), at(0.75)


def team_report(*, scope: Scope, assessment: Assessment, unit_id: int | None = None) -> TeamReport:
    """A manager's team: built only from released figures of all other raters (each already meeting the
    threshold), so no filter can isolate a rater. A person enters only when every cell is shown."""
    threshold = threshold_for(assessment.organisation)
    dimensions = list(
        Dimension.objects.filter(
            framework_id=assessment.questionnaire_other.framework_id,
            group__in=[Dimension.Group.ELEMENT, Dimension.Group.RHETORIC],
        )
    )
    participants = participants_visible(scope=scope, assessment=assessment)
    if unit_id is not None:
        participants = participants.filter(person__unit_id=unit_id)
    participants = {p.pk: p for p in participants}
    figures = ReleaseFigure.objects.filter(
        release__participant_id__in=list(participants), release__current=True, group=ALL_OTHERS
    ).values_list("release__participant_id", "dimension_id", "score", "n")
    cells: dict[int, dict[int, float]] = {}
    for participant_id, dimension_id, score, n in figures:
        if cell_allowed(n, threshold=threshold):
            cells.setdefault(participant_id, {})[dimension_id] = score
    rows = [
        (participants[pid], [round(cells[pid][d.pk], 1) for d in dimensions])
        for pid in sorted(cells, key=lambda pid: participants[pid].person.name)
        if all(d.pk in cells[pid] for d in dimensions)
    ]
    distribution, areas = [], []
    for i, d in enumerate(dimensions):
        values = [row[1][i] for row in rows]
        if not values:
            continue
        q1, median, q3 = _quartiles(values)
        mean = sum(values) / len(values)
        distribution.append(
            {
                "dimension": d,
                "people": len(values),
                "min": min(values),
                "q1": q1,
                "median": median,
                "q3": q3,
                "max": max(values),
                "mean": mean,
            }
        )
        # A development area: the dimension is among a person's two weakest, for how many people.
        weak = sum(1 for _p, row in rows if row[i] <= sorted(row)[1])
        areas.append({"dimension": d, "people": weak, "mean": mean})
    areas.sort(key=lambda a: (-a["people"], a["mean"]))
    return TeamReport(
        dimensions=dimensions,
        rows=rows,
        not_shown=len(participants) - len(rows),
        distribution=distribution,
        development_areas=[a for a in areas if a["people"]][:3],
    )


def colleague_candidates(*, scope: Scope, participant: Participant):
    """People of the organisation who may be nominated as colleagues (not the person, not their supervisor)."""
    return (
        Person.objects.filter(organisation=scope.organisation, active=True)
        .exclude(pk=participant.person_id)
        .exclude(pk=participant.person.supervisor_id or 0)
        .select_related("unit")
        .order_by("name")
    )


@dataclass(frozen=True)
class MyTasks:
    nominate: list[Participant]  # my own open nominations
    approve: list[Participant]  # my direct reports' nominations waiting for me
    reports: list[Participant]  # released reports I may read as the person or their coach


def my_tasks(*, scope: Scope) -> MyTasks:
    me = _acting_person_id(scope)
    if me is None or scope.is_shopper:
        return MyTasks([], [], [])
    mine = Participant.objects.filter(organisation=scope.organisation, assessment__round__active=True).select_related(
        "person", "assessment__round"
    )
    return MyTasks(
        nominate=list(mine.filter(person_id=me, nomination=Participant.Nomination.OPEN)),
        approve=list(mine.filter(person__supervisor_id=me, nomination=Participant.Nomination.SUBMITTED)),
        reports=list(
            Participant.objects.filter(organisation=scope.organisation, releases__current=True)
            .filter(Q(person_id=me) | Q(coach_id=me))
            .select_related("person", "assessment__round")
            .distinct()
        ),
    )
