"""An encounter's transcript evidence on the five elements, beside the same person's figures from every
other source (customers, 360, mystery shopping), each read through its own app's access rule."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count
from django.utils import timezone

from kohtaamo.analytics import selectors as analytics_selectors
from kohtaamo.analytics.anonymity import cell_allowed, threshold_for
from kohtaamo.assessments import selectors as assessment_selectors
from kohtaamo.assessments.models import Release
from kohtaamo.assessments.releasing import ALL_OTHERS
from kohtaamo.feedback.models import Encounter
from kohtaamo.instruments.models import Dimension
from kohtaamo.mystery import selectors as mystery_selectors
from kohtaamo.mystery.models import ReportPartScore
from kohtaamo.organisations.models import Person, Unit
from kohtaamo.organisations.selectors import Scope, restrict

from .evidence import PULSE_WINDOW_DAYS, SOURCES, Ranges, SourceCell, element_evidence
from .models import TranscriptAnalysis
from .selectors import ELEMENTS, channel_ranges, customer_element_scores, customer_responses, encounter_for


@dataclass
class TranscriptView:
    encounter: Encounter
    analysis: TranscriptAnalysis | None
    ranges: Ranges | None
    evidence: dict
    customer_scores: dict
    # The encounter's person on the five elements from every source (person_evidence_by_source).
    person_sources: dict = field(default_factory=dict)
    mystery_location: Unit | None = None
    pulse_days: int = PULSE_WINDOW_DAYS


def encounter_transcript(*, scope: Scope, encounter_id: int) -> TranscriptView:
    encounter = encounter_for(scope=scope, encounter_id=encounter_id)
    analysis = TranscriptAnalysis.objects.filter(encounter=encounter).first()
    ranges = evidence = None
    ranges_by_channel: dict[str, Ranges] = {}
    if analysis is not None:
        ranges = channel_ranges(organisation=scope.organisation, channel=encounter.channel)
        ranges_by_channel[encounter.channel] = ranges
        evidence = element_evidence(analysis.metrics, ranges)
    scores = customer_element_scores(responses=customer_responses(scope=scope).filter(encounter=encounter))
    view = TranscriptView(encounter, analysis, ranges, evidence or {}, scores)
    if encounter.person_id is not None:
        view.mystery_location = mystery_location(unit=encounter.unit)
        view.person_sources = person_evidence_by_source(
            scope=scope, person=encounter.person, location=view.mystery_location, ranges=ranges_by_channel
        )
    return view


# --- the five elements from every source, for one person ------------------------------------------
#
# Each source is read through its own app's access rule, so this page never shows more than those
# apps' own pages would: customers' scores as in the dashboard (role scope), 360 figures only from the
# person's latest released report and only for a viewer who may read that report, mystery visits only
# once approved in QA and only for roles the mystery reports are shown to.


def _cells(values: dict[str, list[float]], empty_note: str) -> dict[str, SourceCell]:
    return {
        code: SourceCell(round(sum(v) / len(v), 1), len(v)) if v else SourceCell(None, 0, empty_note)
        for code, v in values.items()
    }


def _transcript_source(*, scope: Scope, person: Person, ranges: dict[str, Ranges]) -> dict[str, SourceCell]:
    """Mean machine-derived evidence over the person's transcripts in scope, each against its channel's ranges."""
    rows = restrict(
        Encounter.objects.filter(person=person, transcript_analysis__isnull=False), scope=scope
    ).values_list("channel", "transcript_analysis__metrics")
    values: dict[str, list[float]] = {code: [] for code in ELEMENTS}
    for channel, metrics in rows:
        if channel not in ranges:
            ranges[channel] = channel_ranges(organisation=scope.organisation, channel=channel)
        for code, value in element_evidence(metrics, ranges[channel]).items():
            values[code].append(value)
    return _cells(values, "no_transcripts")


def _customers_source(*, scope: Scope, person: Person, now: datetime) -> dict[str, SourceCell]:
    """Customers' pulse element scores about the person over the last PULSE_WINDOW_DAYS days (n = responses)."""
    today = timezone.localtime(now, ZoneInfo(scope.organisation.time_zone)).date()
    filters = analytics_selectors.DashboardFilter(person=person, start=today - timedelta(days=PULSE_WINDOW_DAYS - 1))
    scores = customer_element_scores(responses=analytics_selectors.customer_responses(scope=scope, filters=filters))
    return {
        code: SourceCell(scores[code]["score"], scores[code]["n"])
        if code in scores
        else SourceCell(None, 0, "no_responses")
        for code in ELEMENTS
    }


def _assessment_source(*, scope: Scope, person: Person) -> dict[str, SourceCell]:
    """All raters but self in the person's latest released 360 report: the report's own frozen figures,
    only for a viewer the 360 app lets read that report, and only cells meeting the anonymity threshold
    (as the 360 team report shows them). Never computed from raw answers."""
    release = (
        Release.objects.filter(organisation=scope.organisation, participant__person=person, current=True)
        .select_related("participant__person", "participant__assessment")
        .order_by("-released_at", "-pk")
        .first()
    )
    if release is None:
        return {code: SourceCell(None, 0, "no_released_360") for code in ELEMENTS}
    if not assessment_selectors.may_read_report(scope=scope, participant=release.participant):
        return {code: SourceCell(None, 0, "not_permitted") for code in ELEMENTS}
    threshold = max(threshold_for(scope.organisation), release.snapshot.get("threshold", 0))
    figures = {
        code: (score, n)
        for code, score, n in release.figures.filter(
            group=ALL_OTHERS, dimension__group=Dimension.Group.ELEMENT, dimension__code__in=ELEMENTS
        ).values_list("dimension__code", "score", "n")
    }
    return {
        code: SourceCell(round(figures[code][0], 1), figures[code][1])
        if code in figures and cell_allowed(figures[code][1], threshold=threshold)
        else SourceCell(None, 0, "below_threshold")
        for code in ELEMENTS
    }


def mystery_location(*, unit: Unit | None) -> Unit | None:
    """The location mystery shoppers visit for a unit: the nearest branch at or above it (else the unit)."""
    if unit is None or unit.kind == Unit.Kind.BRANCH:
        return unit
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return Unit.objects.filter(pk__in=ancestors, kind=Unit.Kind.BRANCH).order_by("-path").first() or unit


def _mystery_source(*, scope: Scope, location: Unit | None) -> dict[str, SourceCell]:
    """Mean element score of the approved visits to the location (and its units); n = visits scored on it."""
    if scope.is_employee:  # the mystery app shows employees no visit reports
        return {code: SourceCell(None, 0, "not_permitted") for code in ELEMENTS}
    visits = mystery_selectors.reports_published(scope=scope)
    if location is not None:
        visits = visits.filter(assignment__unit__path__startswith=location.path)
    rows = {
        r["dimension__code"]: r
        for r in ReportPartScore.objects.filter(
            report__in=visits, dimension__group=Dimension.Group.ELEMENT, dimension__code__in=ELEMENTS
        )
        .values("dimension__code")
        .annotate(score=Avg("score"), n=Count("report", distinct=True))
    }
    empty = "no_element_items" if len(rows) < len(ELEMENTS) and visits.exists() else "no_approved_visits"
    return {
        code: SourceCell(round(rows[code]["score"], 1), rows[code]["n"]) if code in rows else SourceCell(None, 0, empty)
        for code in ELEMENTS
    }


def person_evidence_by_source(
    *,
    scope: Scope,
    person: Person,
    location: Unit | None = None,
    now: datetime | None = None,
    ranges: dict[str, Ranges] | None = None,
) -> dict[str, dict[str, SourceCell]]:
    """Per element: source -> SourceCell(value 0–100, n, note) for "transcript" (machine-derived),
    "customers", "assessment_360" and "mystery". `location` is where mystery visits count (default:
    the person's unit's branch); `ranges` caches healthy ranges per channel."""
    by_source = {
        "transcript": _transcript_source(scope=scope, person=person, ranges=ranges if ranges is not None else {}),
        "customers": _customers_source(scope=scope, person=person, now=now or timezone.now()),
        "assessment_360": _assessment_source(scope=scope, person=person),
        "mystery": _mystery_source(
            scope=scope, location=location if location is not None else mystery_location(unit=person.unit)
        ),
    }
    return {code: {source: by_source[source][code] for source in SOURCES} for code in ELEMENTS}
