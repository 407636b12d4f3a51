"""Reads of text analytics, always through the role scope of kohtaamo.organisations.selectors.

Who may read a pre-encounter briefing: organisation-wide roles (admin, CX lead, consultant) for any
customer of the organisation; a unit manager for a customer with an encounter in their unit's subtree;
an employee for a customer they have served. Managers and employees see only the encounters (and the
scores, comments and transcripts of the encounters) inside their own scope. Anyone else gets a 404.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics import selectors as analytics_selectors
from kohtaamo.analytics.anonymity import cell_allowed, threshold_for
from kohtaamo.feedback.models import DimensionScore, Encounter, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Channel
from kohtaamo.organisations.selectors import Role, Scope, restrict

from .analysis import topic_codes
from .evidence import CALIBRATION_MINIMUM, Ranges, calibrated_ranges
from .models import CommentAnalysis, CommentTopic, TextAnalysisRun, TranscriptAnalysis

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

    @property
    def params(self) -> dict:
        """Group key -> its value in a URL (?cell=...), for choosing a cell's example comments."""
        return {key: cell_param(key) for key, _label in self.groups}


def cell_param(key) -> str:
    if key is None:
        return "none"
    return key.date().isoformat()[:7] if isinstance(key, datetime) else str(key)


def _group_fields(by: str, organisation, prefix: str = "analysis__response__") -> tuple[dict, str]:
    if by == "channel":
        return {"key": F(f"{prefix}channel")}, "key"
    if by == "touchpoint":
        return {"key": F(f"{prefix}touchpoint_id"), "label": F(f"{prefix}touchpoint__name")}, "label"
    if by == "period":
        tz = ZoneInfo(organisation.time_zone)
        return {"key": TruncMonth(f"{prefix}submitted_at", tzinfo=tz)}, "key"
    return {
        "key": F(f"{prefix}unit_id"),
        "label": F(f"{prefix}unit__name"),
        "parent": F(f"{prefix}unit__parent__name"),
    }, "label"


def _ordered_groups(by: str, found: dict) -> list[tuple]:
    """(key, display label) of each group, in display order: months as 11/2026 in time order, channels
    by their translated names, a unit whose name repeats with its parent's ("Branch › Team"), and no
    unit or touchpoint as "(none)" at the end. `found`: key -> (label, parent's name)."""
    if by == "period":
        return [(key, f"{key.month}/{key.year}") for key in sorted(k for k in found if k is not None)]
    names = Counter(label for label, _parent in found.values())
    labelled = []
    for key, (label, parent) in found.items():
        if key is None:
            continue
        if by == "channel":
            label = Channel(key).label if key in Channel.values else key
        elif names[label] > 1 and parent:
            label = f"{parent} › {label}"
        labelled.append((key, str(label)))
    labelled.sort(key=lambda kv: kv[1].casefold())
    return labelled + ([(None, str(_("(none)")))] if None in found else [])


def _cell_filter(by: str, param: str, organisation, prefix: str = "analysis__response__") -> Q | None:
    """The filter of one breakdown cell from its URL value; None for a value that names no cell."""
    if by == "channel":
        return Q(**{f"{prefix}channel": param}) if param else None
    if by == "period":
        try:
            year, month = (int(part) for part in param.split("-"))
            tz = ZoneInfo(organisation.time_zone)
            start = datetime(year, month, 1, tzinfo=tz)
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        except ValueError:
            return None
        return Q(**{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end})
    column = f"{prefix}touchpoint_id" if by == "touchpoint" else f"{prefix}unit_id"
    if param == "none":
        return Q(**{f"{column}__isnull": True})
    return Q(**{column: int(param)}) if param.isdigit() else None


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
        groups.setdefault(key, (row[label_field], row.get("parent")))
        rows[row["code"]].cells[key] = _cell(row)
    for code, row in rows.items():
        row.flag = _trend_flag(totals[code], comment_counts)
    ordered_rows = sorted(rows.values(), key=lambda r: -r.total.n)
    return ThemeTable(by, _ordered_groups(by, groups), ordered_rows, comment_counts["n"])


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


@dataclass
class EmotionRow:
    code: str
    n: int
    cells: dict = field(default_factory=dict)  # group key -> comments with the emotion


@dataclass
class EmotionTable:
    by: str
    groups: list[tuple]  # (key, label)
    rows: list[EmotionRow]


def emotion_table(*, scope: Scope, by: str = "unit") -> EmotionTable:
    """Comments expressing each emotion, overall and by the same breakdowns as the themes: one query."""
    by = by if by in BREAKDOWNS else "unit"
    codes = topic_codes("emotions")
    fields, label_field = _group_fields(by, scope.organisation, prefix="response__")
    # Emotions are a JSON list on the analysis; '"code"' with its quotes matches one whole element.
    counts = {f"e_{code}": Count("id", filter=Q(emotions__icontains=f'"{code}"')) for code in codes}
    per_group = (
        CommentAnalysis.objects.filter(response__in=customer_responses(scope=scope), status=CommentAnalysis.Status.OK)
        .annotate(**fields)
        .values(*fields)
        .annotate(**counts)
        .order_by("key")
    )
    groups: dict = {}
    rows = {code: EmotionRow(code, 0) for code in codes}
    for group in per_group:
        key = group["key"]
        groups.setdefault(key, (group[label_field], group.get("parent")))
        for code in codes:
            if n := group[f"e_{code}"]:
                rows[code].n += n
                rows[code].cells[key] = n
    ordered_rows = sorted((row for row in rows.values() if row.n), key=lambda r: -r.n)
    return EmotionTable(by, _ordered_groups(by, groups), ordered_rows)


@dataclass(frozen=True)
class ExampleComment:
    text: str
    sentiment: str
    submitted_at: datetime
    channel: str


@dataclass
class ThemeExamples:
    code: str
    cell: str  # the chosen cell's URL value; "" for all comments in scope
    n: int  # comments on the theme in the cell
    threshold: int  # the organisation's anonymity threshold
    comments: list[ExampleComment]

    @property
    def hidden(self) -> bool:
        return not cell_allowed(self.n, threshold=self.threshold)


def theme_examples(*, scope: Scope, code: str, by: str = "unit", cell: str = "", limit: int = 5) -> ThemeExamples:
    """Recent customer comments on one theme, in one breakdown cell or overall, within the viewer's scope.

    Shown only where the theme has at least the organisation's anonymity threshold of comments in the
    cell, so that a comment cannot be traced to one of a handful of customers; and unattributed: no
    respondent, customer or person, only the month and channel.
    """
    by = by if by in BREAKDOWNS else "unit"
    threshold = threshold_for(scope.organisation)
    topics = _topics(scope=scope).filter(code=code)
    if cell:
        condition = _cell_filter(by, cell, scope.organisation)
        if condition is None:
            return ThemeExamples(code, cell, 0, threshold, [])
        topics = topics.filter(condition)
    n = topics.count()
    if not cell_allowed(n, threshold=threshold):
        return ThemeExamples(code, cell, n, threshold, [])
    rows = topics.order_by("-analysis__response__submitted_at", "-pk").values(
        "analysis__answer__text",
        "analysis__sentiment",
        "analysis__response__submitted_at",
        "analysis__response__channel",
    )[:limit]
    comments = [
        ExampleComment(
            r["analysis__answer__text"][:500],
            r["analysis__sentiment"],
            r["analysis__response__submitted_at"],
            r["analysis__response__channel"],
        )
        for r in rows
    ]
    return ThemeExamples(code, cell, n, threshold, comments)


def text_analysis_run_latest(*, scope: Scope) -> TextAnalysisRun | None:
    """The organisation's latest comment (re-)analysis run, for those who may start one."""
    if not can_rerun(scope=scope):
        return None
    return TextAnalysisRun.objects.filter(organisation=scope.organisation).order_by("-created_at", "-pk").first()


def can_rerun(*, scope: Scope) -> bool:
    return scope.role in (Role.ADMIN, Role.CX_LEAD)


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
        Response.objects.customer_feedback()
        .filter(
            organisation=organisation,
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
