"""Reads of text analytics, always through the role scope of kohtaamo.organisations.selectors.

Who may read a pre-encounter briefing: organisation-wide roles (admin, CX lead, consultant) for any
customer of the organisation; a unit manager for a customer with an encounter in their unit's subtree;
an employee for a customer they have served. Managers and employees see only the encounters (and the
scores, comments and transcripts of the encounters) inside their own scope. Anyone else gets a 404.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from kohtaamo.analytics import selectors as analytics_selectors
from kohtaamo.feedback.models import DimensionScore, Encounter, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.selectors import Scope, restrict

from .analysis import topic_codes
from .evidence import CALIBRATION_MINIMUM, Ranges, calibrated_ranges, element_evidence
from .models import CommentAnalysis, CommentTopic, TranscriptAnalysis

ELEMENTS = ("listening", "expertise", "value", "trust", "solution")
BREAKDOWNS = ("unit", "channel", "touchpoint", "period")
RISING_WINDOW_DAYS = 30


def customer_responses(*, scope: Scope) -> QuerySet[Response]:
    """Submitted customer responses the scope may see (never 360, staff or management answers)."""
    return analytics_selectors.customer_responses(scope=scope, filters=analytics_selectors.DashboardFilter())


def comment_analyses_visible(*, scope: Scope) -> QuerySet[CommentAnalysis]:
    """Analyses of the customer comments the scope may see, newest first, with their topics prefetched."""
    return (
        CommentAnalysis.objects.filter(response__in=customer_responses(scope=scope))
        .select_related("response")
        .prefetch_related("topics")
        .order_by("-response__submitted_at", "-pk")
    )


def _topics(*, scope: Scope) -> QuerySet[CommentTopic]:
    return CommentTopic.objects.filter(
        kind=CommentTopic.Kind.THEME, analysis__response__in=customer_responses(scope=scope)
    )


@dataclass
class ThemeCell:
    n: int
    sentiment: float  # mean compound score, −1 … 1
    negative_share: float

    @property
    def indicative(self) -> bool:
        return self.n < 10


@dataclass
class ThemeRow:
    code: str
    total: ThemeCell
    cells: dict = field(default_factory=dict)  # group key -> ThemeCell
    flag: str = ""  # "new" / "rising" / ""


@dataclass
class ThemeTable:
    by: str
    groups: list[tuple]  # (key, label)
    rows: list[ThemeRow]
    comments: int  # analysed customer comments in scope


def _group_fields(by: str, organisation) -> tuple[dict, str]:
    if by == "channel":
        return {"key": F("analysis__response__channel")}, "key"
    if by == "touchpoint":
        return {
            "key": F("analysis__response__touchpoint_id"),
            "label": F("analysis__response__touchpoint__name"),
        }, "label"
    if by == "period":
        tz = timezone.zoneinfo.ZoneInfo(organisation.time_zone)
        return {"key": TruncMonth("analysis__response__submitted_at", tzinfo=tz)}, "key"
    return {"key": F("analysis__response__unit_id"), "label": F("analysis__response__unit__name")}, "label"


def _cell(row: dict) -> ThemeCell:
    n = row["n"]
    return ThemeCell(n, round(row["sentiment"] or 0.0, 2), round(row["negatives"] / n, 2) if n else 0.0)


_CELL_AGGREGATES = {
    "n": Count("id"),
    "sentiment": Avg("sentiment_score"),
    "negatives": Count("id", filter=Q(analysis__sentiment="negative")),
}


def theme_table(*, scope: Scope, by: str = "unit", now: datetime | None = None) -> ThemeTable:
    """Volume and sentiment of each theme, overall and by unit / channel / touchpoint / month."""
    by = by if by in BREAKDOWNS else "unit"
    topics = _topics(scope=scope)
    fields, label_field = _group_fields(by, scope.organisation)
    per_group = topics.annotate(**fields).values("code", *fields).annotate(**_CELL_AGGREGATES).order_by("key")
    now = now or timezone.now()
    recent_start = now - timedelta(days=RISING_WINDOW_DAYS)
    previous_start = recent_start - timedelta(days=RISING_WINDOW_DAYS)
    window = Q(analysis__response__submitted_at__gte=recent_start)
    before = Q(analysis__response__submitted_at__gte=previous_start, analysis__response__submitted_at__lt=recent_start)
    totals = {
        row["code"]: row
        for row in topics.values("code").annotate(
            **_CELL_AGGREGATES, recent=Count("id", filter=window), previous=Count("id", filter=before)
        )
    }
    comment_counts = CommentAnalysis.objects.filter(
        response__in=customer_responses(scope=scope), status=CommentAnalysis.Status.OK
    ).aggregate(
        n=Count("id"),
        recent=Count("id", filter=Q(response__submitted_at__gte=recent_start)),
        previous=Count(
            "id", filter=Q(response__submitted_at__gte=previous_start, response__submitted_at__lt=recent_start)
        ),
    )
    groups: dict = {}
    rows = {code: ThemeRow(code, _cell(totals[code])) for code in topic_codes("themes") if code in totals}
    for row in per_group:
        key = row["key"]
        label = row[label_field] if label_field != "key" else key
        groups.setdefault(key, label)
        rows[row["code"]].cells[key] = _cell(row)
    for code, row in rows.items():
        row.flag = _trend_flag(totals[code], comment_counts)
    ordered_groups = sorted(groups.items(), key=lambda kv: (kv[1] is None, str(kv[1])))
    ordered_rows = sorted(rows.values(), key=lambda r: -r.total.n)
    return ThemeTable(by, ordered_groups, ordered_rows, comment_counts["n"])


def _trend_flag(total: dict, comments: dict) -> str:
    """New: absent in the previous 30 days, at least 2 now. Rising: its share of comments up by half, ≥ 3 now."""
    recent, previous = total["recent"], total["previous"]
    if previous == 0 and recent >= 2:
        return "new"
    grew = (
        recent >= 3
        and comments["previous"]
        and comments["recent"]
        and recent / comments["recent"] >= 1.5 * previous / comments["previous"]
    )
    return "rising" if grew else ""


@dataclass(frozen=True)
class ExampleComment:
    text: str
    sentiment: str
    submitted_at: datetime
    channel: str


def theme_examples(*, scope: Scope, code: str, limit: int = 5) -> list[ExampleComment]:
    """Recent customer comments on one theme, unattributed (no respondent, customer or person shown)."""
    rows = (
        _topics(scope=scope)
        .filter(code=code)
        .order_by("-analysis__response__submitted_at")
        .values(
            "analysis__answer__text",
            "analysis__sentiment",
            "analysis__response__submitted_at",
            "analysis__response__channel",
        )[:limit]
    )
    return [
        ExampleComment(
            r["analysis__answer__text"][:500],
            r["analysis__sentiment"],
            r["analysis__response__submitted_at"],
            r["analysis__response__channel"],
        )
        for r in rows
    ]


def encounters_with_transcripts(*, scope: Scope, limit: int = 20) -> QuerySet[Encounter]:
    return (
        restrict(Encounter.objects.filter(transcript_analysis__isnull=False), scope=scope)
        .select_related("unit", "person", "customer")
        .order_by("-occurred_at")[:limit]
    )


def encounter_for(*, scope: Scope, encounter_id: int) -> Encounter:
    encounter = (
        restrict(Encounter.objects.all(), scope=scope)
        .select_related("unit", "person", "customer", "touchpoint")
        .filter(pk=encounter_id)
        .first()
    )
    if encounter is None:
        raise Http404
    return encounter


def channel_ranges(*, organisation, channel: str) -> Ranges:
    """Healthy ranges for a channel, calibrated from the top quarter (by EQI) of the organisation's
    encounters with transcripts where there are enough of them."""
    best = (
        Response.objects.filter(
            organisation=organisation,
            status=Response.Status.SUBMITTED,
            eqi__isnull=False,
            encounter__channel=channel,
            encounter__transcript_analysis__isnull=False,
        )
        .values("encounter_id")
        .annotate(eqi_mean=Avg("eqi"))
        .order_by("-eqi_mean", "encounter_id")
    )
    scored = best.count()
    top = scored // 4
    if top < CALIBRATION_MINIMUM:
        return calibrated_ranges(channel, [])
    ids = [row["encounter_id"] for row in best[:top]]
    metrics = list(TranscriptAnalysis.objects.filter(encounter_id__in=ids).values_list("metrics", flat=True))
    return calibrated_ranges(channel, metrics)


def customer_element_scores(*, responses: QuerySet[Response]) -> dict[str, dict]:
    """Customers' 0–100 element scores (mean, n) over the given responses."""
    rows = (
        DimensionScore.objects.filter(
            response__in=responses, dimension__group=Dimension.Group.ELEMENT, dimension__code__in=ELEMENTS
        )
        .values("dimension__code")
        .annotate(score=Avg("score"), n=Count("id"))
    )
    return {r["dimension__code"]: {"score": round(r["score"], 1), "n": r["n"]} for r in rows}


@dataclass
class TranscriptView:
    encounter: Encounter
    analysis: TranscriptAnalysis | None
    ranges: Ranges | None
    evidence: dict
    customer_scores: dict


def encounter_transcript(*, scope: Scope, encounter_id: int) -> TranscriptView:
    encounter = encounter_for(scope=scope, encounter_id=encounter_id)
    analysis = TranscriptAnalysis.objects.filter(encounter=encounter).first()
    ranges = evidence = None
    if analysis is not None:
        ranges = channel_ranges(organisation=scope.organisation, channel=encounter.channel)
        evidence = element_evidence(analysis.metrics, ranges)
    scores = customer_element_scores(responses=customer_responses(scope=scope).filter(encounter=encounter))
    return TranscriptView(encounter, analysis, ranges, evidence or {}, scores)
