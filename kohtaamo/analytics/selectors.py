"""Dashboard reads: customers' submitted responses, aggregated in the database within the login's scope.

Every query starts from `restrict` (organisations.selectors), so a filter can only narrow what the
scope allows. The database returns counts, sums and sums of squares per group; `metrics` turns them
into estimates with n and a 95 % CI.

Scope of the dashboard: customers' responses (respondent role "customer"). 360, mystery-shopping and
maturity answers follow their own reporting and anonymity rules and are not mixed in here.

Ethos/pathos/logos balance: for each response scored on all three, the spread between its highest
and lowest of the three (0–100 points; 0 = perfectly balanced); the figure is the mean spread with
a t-interval. A per-response spread keeps the balance an estimate with its own n and CI.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Trunc
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kohtaamo.feedback.models import Answer, DimensionScore, Response
from kohtaamo.feedback.scoring import RAW_OUTCOMES
from kohtaamo.instruments.models import Dimension, Framework, Question
from kohtaamo.organisations.models import Channel, Organisation, Person, Touchpoint, Unit
from kohtaamo.organisations.selectors import (
    Scope,
    people_visible,
    restrict,
    touchpoints_visible,
    units_visible,
)

from . import metrics
from .metrics import Estimate
from .models import DimensionRollup, ResponseRollup
from .periods import within_days

GRANULARITIES = {"week": gettext_lazy("Week"), "month": gettext_lazy("Month"), "quarter": gettext_lazy("Quarter")}
BREAKDOWNS = {
    "unit": gettext_lazy("Unit"),
    "person": gettext_lazy("Person"),
    "channel": gettext_lazy("Channel"),
    "touchpoint": gettext_lazy("Touchpoint"),
}
SCORED_GROUPS = (Dimension.Group.ELEMENT, Dimension.Group.RHETORIC)
RHETORIC_DIMENSIONS = 3  # ethos, pathos, logos
NPS_SCALE = (0, 10)  # DESIGN.md: NPS is never computed from any other scale
CES_SCALE = (1, 7)
CES_EASY_FROM = 5  # "% of 5–7"
SCORE_RANGE = (0.0, 100.0)
RESPONSES_PER_PAGE = 25


@dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard is narrowed to. Dates are whole days in the organisation's time zone."""

    unit: Unit | None = None  # its whole subtree
    person: Person | None = None
    channel: str = ""
    touchpoint: Touchpoint | None = None
    start: date | None = None
    end: date | None = None  # inclusive
    granularity: str = "month"


@dataclass(frozen=True)
class MetricSpec:
    key: str
    label: str
    kind: str  # "nps" (−100…100), "percent", "mean" (on the item scale), "score" (0–100), "points"
    decimals: int = 1

    @property
    def suffix(self) -> str:
        return " %" if self.kind == "percent" else ""


@dataclass(frozen=True)
class Figures:
    """Every figure of one group of responses, and how many responses the group holds."""

    responses: int
    figures: dict[str, Estimate]


@dataclass(frozen=True)
class TrendPoint:
    period: date
    label: str
    responses: int
    figures: dict[str, Estimate]


@dataclass(frozen=True)
class BreakdownRow:
    key: str | int | None
    label: str
    responses: int
    figures: dict[str, Estimate]
    drill_by: str = ""  # for a unit: the breakdown that its own page should show


@dataclass(frozen=True)
class Breakdown:
    by: str
    anchor: Unit | None  # for by="unit": the unit whose children are the rows
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class AnswerRow:
    question: str
    value: int | None
    text: str
    scale_min: int | None
    scale_max: int | None
    text_analysis: object = None  # the comment's machine reading (textanalytics.CommentAnalysis), if any


@dataclass(frozen=True)
class ResponseDetail:
    response: Response
    shown_person: Person | None  # None where the person is outside the login's scope
    answers: list[AnswerRow]
    dimension_scores: list[DimensionScore] = field(default_factory=list)


# --- the metric catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricBasis:
    """What every aggregation of one organisation needs: the scored dimensions and the outcome scales.

    Resolve it once per request with `metric_basis` and pass it on, or let each read resolve its own.
    """

    dimensions: list[Dimension]
    # outcome code -> scale (min, max) -> the questionnaires that ask it on that scale
    scales: dict[str, dict[tuple[int, int], list[int]]]

    @property
    def dimension_codes(self) -> list[str]:
        return [d.code for d in self.dimensions]


def metric_basis(*, organisation: Organisation) -> MetricBasis:
    latest = Framework.objects.order_by("-version").values("pk")[:1]
    dimensions = Dimension.objects.filter(framework__in=Subquery(latest), group__in=SCORED_GROUPS)
    scales: dict[str, dict[tuple[int, int], list[int]]] = {code: defaultdict(list) for code in RAW_OUTCOMES}
    rows = (
        Question.objects.filter(questionnaire__organisation=organisation, item__dimensions__code__in=RAW_OUTCOMES)
        .values_list("item__dimensions__code", "scale_min", "scale_max", "questionnaire_id")
        .distinct()
    )
    for code, low, high, questionnaire_id in rows:
        scales[code][(low, high)].append(questionnaire_id)
    return MetricBasis(
        dimensions=sorted(dimensions, key=lambda d: (SCORED_GROUPS.index(d.group), d.order)), scales=scales
    )


def metric_catalogue(*, basis: MetricBasis) -> list[MetricSpec]:
    """Every figure the dashboard shows, in display order (dimension names come from the framework)."""
    return [
        MetricSpec("nps", _("NPS"), "nps"),
        MetricSpec("csat", _("CSAT (% 4–5)"), "percent"),
        MetricSpec("ces", _("CES (mean 1–7)"), "mean", decimals=2),
        MetricSpec("ces_easy", _("CES (% 5–7)"), "percent"),
        MetricSpec("eqi", _("Encounter Quality Index"), "score"),
        *(MetricSpec(d.code, d.name, "score") for d in basis.dimensions),
        MetricSpec("rhetoric_balance", _("Ethos–pathos–logos spread"), "points"),
    ]


# --- the base queryset ----------------------------------------------------------------------------


def customer_responses(*, scope: Scope, filters: DashboardFilter) -> QuerySet[Response]:
    """Submitted customer responses in the login's scope, narrowed by the filters: every figure starts here."""
    qs = restrict(
        Response.objects.customer_feedback(),
        scope=scope,
        unit_field="unit",
        person_field="subject_person",
    )
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.person is not None:
        qs = qs.filter(subject_person=filters.person)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.touchpoint is not None:
        qs = qs.filter(touchpoint=filters.touchpoint)
    return within_days(
        qs, field="submitted_at", start=filters.start, end=filters.end, time_zone=scope.organisation.time_zone
    )


# A bucket maps a field prefix ("" on Response or ResponseRollup, "response__" on DimensionScore, "cell__"
# on DimensionRollup) to a grouping expression; the rollup names its fields as Response does.
Bucket = Callable[[str], object]


@dataclass(frozen=True)
class Grouping:
    """How to group: one expression for both sources, or one per source (`rollup`) and a key normaliser
    for raw keys (`raw_key`) where the two differ (periods: instants in raw, dates in the rollup)."""

    raw: Bucket
    rollup: Bucket | None = None
    raw_key: Callable = lambda key: key  # noqa: E731 - a default of a frozen dataclass


@dataclass(frozen=True)
class Sources:
    """Where a read takes its responses from: rows (`raw`) and month and day cells of the rollup (`cells`)."""

    raw: QuerySet[Response] | None
    cells: QuerySet[ResponseRollup] | None = None

    def narrow(self, **lookups) -> "Sources":
        """The same filter on both (the rollup names unit, channel and touchpoint as Response does)."""
        return Sources(
            raw=None if self.raw is None else self.raw.filter(**lookups),
            cells=None if self.cells is None else self.cells.filter(**lookups),
        )


def _rollup_applies(*, scope: Scope, filters: DashboardFilter, by: str = "", periods: bool = False) -> bool:
    """The rollup has no person and no week: reads by person, or by week, take the responses."""
    if not getattr(settings, "KOHTAAMO_ANALYTICS_ROLLUP", True):
        return False
    if filters.person is not None or scope.person_id is not None or by == "person":
        return False
    return not periods or filters.granularity in ("month", "quarter")


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _period_cells(start: date | None, end: date | None) -> Q:
    """The cells covering the local days start..end exactly (open ends unbounded): the whole months
    inside from month cells, the days of the partial months at either edge from day cells."""
    # Whole months: from the first month starting on or after `start`, up to the month `end` completes.
    first = start if start is None or start.day == 1 else _first_of_next_month(start)
    after = None if end is None else end + timedelta(days=1)
    stop = after if after is None or after.day == 1 else after.replace(day=1)
    if first is not None and stop is not None and first >= stop:
        return Q(day__gte=start, day__lte=end)  # no whole month inside: days only
    months = Q(day__isnull=True)
    if first is not None:
        months &= Q(month__gte=first)
    if stop is not None:
        months &= Q(month__lt=stop)
    if start is not None and start != first:
        months |= Q(day__gte=start, day__lt=first)
    if end is not None and after != stop:
        months |= Q(day__gte=stop, day__lte=end)
    return months


def response_sources(*, scope: Scope, filters: DashboardFilter, rollup: bool = True) -> Sources:
    """The filter's local days from the rollup's month and day cells (one query), or from the responses."""
    if not rollup:
        return Sources(raw=customer_responses(scope=scope, filters=filters))
    cells = restrict(ResponseRollup.objects.all(), scope=scope, unit_field="unit", person_field=None)
    sources = Sources(raw=None, cells=cells.filter(_period_cells(filters.start, filters.end)))
    if filters.unit is not None:
        sources = sources.narrow(unit__path__startswith=filters.unit.path)
    if filters.channel:
        sources = sources.narrow(channel=filters.channel)
    if filters.touchpoint is not None:
        sources = sources.narrow(touchpoint=filters.touchpoint)
    return sources


# --- aggregation ----------------------------------------------------------------------------------


def _asked_in(questionnaire_ids: list[int]) -> Q:
    # An always-false condition (a primary key is never null) where no questionnaire qualifies.
    return Q(questionnaire_id__in=questionnaire_ids) if questionnaire_ids else Q(pk__isnull=True)


def _response_aggregates(scales: dict) -> dict:
    nps_asked = _asked_in(scales["nps"].get(NPS_SCALE, []))
    csat_asked = _asked_in([qid for ids in scales["csat"].values() for qid in ids])
    # CSAT is the top two boxes of the item's own scale (4–5 on 1–5).
    csat_top = Q(pk__isnull=True)
    for (_low, high), ids in scales["csat"].items():
        csat_top |= Q(questionnaire_id__in=ids, csat__gte=high - 1)
    ces_asked = _asked_in(scales["ces"].get(CES_SCALE, [])) & Q(ces__isnull=False)
    return {
        "responses": Count("pk"),
        "promoters": Count("pk", filter=nps_asked & Q(nps__gte=9)),
        "passives": Count("pk", filter=nps_asked & Q(nps__gte=7, nps__lte=8)),
        "detractors": Count("pk", filter=nps_asked & Q(nps__lte=6)),
        "csat_n": Count("pk", filter=csat_asked & Q(csat__isnull=False)),
        "csat_hits": Count("pk", filter=csat_top),
        "ces_n": Count("pk", filter=ces_asked),
        "ces_sum": Sum("ces", filter=ces_asked),
        "ces_sq": Sum(F("ces") * F("ces"), filter=ces_asked),
        "ces_easy": Count("pk", filter=ces_asked & Q(ces__gte=CES_EASY_FROM)),
        "eqi_n": Count("eqi"),
        "eqi_sum": Sum("eqi"),
        "eqi_sq": Sum(F("eqi") * F("eqi")),
        "balance_n": Count("rhetoric_spread"),
        "balance_sum": Sum("rhetoric_spread"),
        "balance_sq": Sum(F("rhetoric_spread") * F("rhetoric_spread")),
    }


def with_rhetoric_spread(qs: QuerySet[Response]) -> QuerySet[Response]:
    """Each response's ethos–pathos–logos spread (`rhetoric_spread`), None unless all three are scored."""
    spread = (
        # The dimension ids as an uncorrelated subquery: computed once, not joined per response.
        DimensionScore.objects.filter(
            response=OuterRef("pk"), dimension__in=Dimension.objects.filter(group=Dimension.Group.RHETORIC).values("pk")
        )
        .values("response")
        .annotate(spread=Max("score") - Min("score"), scored=Count("pk"))
        .filter(scored=RHETORIC_DIMENSIONS)
        .values("spread")
    )
    return qs.annotate(rhetoric_spread=Subquery(spread, output_field=FloatField()))


def _outcome_figures(row: dict) -> dict[str, Estimate]:
    return {
        "nps": metrics.nps(promoters=row["promoters"], passives=row["passives"], detractors=row["detractors"]),
        "csat": metrics.top_box_share(hits=row["csat_hits"], n=row["csat_n"]),
        "ces": metrics.mean_t_interval(n=row["ces_n"], total=row["ces_sum"], total_sq=row["ces_sq"], bounds=CES_SCALE),
        "ces_easy": metrics.top_box_share(hits=row["ces_easy"], n=row["ces_n"]),
        "eqi": metrics.mean_t_interval(
            n=row["eqi_n"], total=row["eqi_sum"], total_sq=row["eqi_sq"], bounds=SCORE_RANGE
        ),
        "rhetoric_balance": metrics.mean_t_interval(
            n=row["balance_n"], total=row["balance_sum"], total_sq=row["balance_sq"], bounds=SCORE_RANGE
        ),
    }


def _rollup_aggregates(scales: dict) -> dict:
    """The raw aggregates' twins over the rollup: the same figures from counts and sums per cell."""
    nps_asked = _asked_in(scales["nps"].get(NPS_SCALE, []))
    csat_asked = _asked_in([qid for ids in scales["csat"].values() for qid in ids])
    ces_asked = _asked_in(scales["ces"].get(CES_SCALE, []))
    asked = {"promoters": nps_asked, "passives": nps_asked, "detractors": nps_asked, "csat_n": csat_asked}
    asked |= dict.fromkeys(("ces_n", "ces_sum", "ces_sq", "ces_easy"), ces_asked)
    plain = ("responses", "eqi_n", "eqi_sum", "eqi_sq", "balance_n", "balance_sum", "balance_sq")
    return {
        **{name: Sum(name, filter=condition) for name, condition in asked.items()},
        "csat_hits": Sum("csat_top", filter=csat_asked),
        **{name: Sum(name) for name in plain},
    }


DIMENSION_STATS = ("n", "total", "total_sq")


def _raw_statistics(qs: QuerySet[Response], *, basis: MetricBasis, grouping: Grouping | None) -> tuple[dict, list]:
    """Per bucket the response statistics, and the dimension statistics rows: two queries."""
    aggregates = _response_aggregates(basis.scales)
    responses = with_rhetoric_spread(qs)
    scores = DimensionScore.objects.filter(response__in=qs.values("pk"), dimension__code__in=basis.dimension_codes)
    dimension_stats = {"n": Count("pk"), "total": Sum("score"), "total_sq": Sum(F("score") * F("score"))}
    if grouping is None:
        rows = {None: responses.aggregate(**aggregates)}
        return rows, list(scores.values(code=F("dimension__code")).annotate(**dimension_stats).order_by())
    bucket, key = grouping.raw, grouping.raw_key
    rows = {key(row["bucket"]): row for row in responses.values(bucket=bucket("")).annotate(**aggregates).order_by()}
    score_rows = scores.values(bucket=bucket("response__"), code=F("dimension__code")).annotate(**dimension_stats)
    return rows, [row | {"bucket": key(row["bucket"])} for row in score_rows.order_by()]


def _rollup_statistics(cells: QuerySet[ResponseRollup], *, basis: MetricBasis, grouping: Grouping | None):
    aggregates = _rollup_aggregates(basis.scales)
    scores = DimensionRollup.objects.filter(cell__in=cells.values("pk"), dimension__code__in=basis.dimension_codes)
    dimension_stats = {name: Sum(name) for name in DIMENSION_STATS}
    if grouping is None:
        rows = {None: cells.aggregate(**aggregates)}
        return rows, list(scores.values(code=F("dimension__code")).annotate(**dimension_stats).order_by())
    bucket = grouping.rollup or grouping.raw
    rows = {row["bucket"]: row for row in cells.values(bucket=bucket("")).annotate(**aggregates).order_by()}
    score_rows = scores.values(bucket=bucket("cell__"), code=F("dimension__code")).annotate(**dimension_stats)
    return rows, list(score_rows.order_by())


KEYS = ("bucket", "code")  # what a statistics row is grouped by, never added


def _add(a: dict, b: dict) -> dict:
    return {name: (a.get(name) or 0) + (b.get(name) or 0) for name in a.keys() | b.keys() if name not in KEYS}


def _figures(sources: Sources | QuerySet, *, basis: MetricBasis, grouping: Grouping | Bucket | None = None) -> dict:
    """Every figure per bucket (or for the whole selection, keyed None): two queries per source.

    Both sources return sufficient statistics, which add up; the estimates follow from the sums.
    """
    if isinstance(sources, QuerySet):
        sources = Sources(raw=sources)
    if grouping is not None and not isinstance(grouping, Grouping):
        grouping = Grouping(raw=grouping)
    response_rows: dict = {}
    score_totals: dict = defaultdict(dict)
    parts = []
    if sources.cells is not None:
        parts.append(_rollup_statistics(sources.cells, basis=basis, grouping=grouping))
    if sources.raw is not None or not parts:
        raw = sources.raw if sources.raw is not None else Response.objects.none()
        parts.append(_raw_statistics(raw, basis=basis, grouping=grouping))
    for rows, score_rows in parts:
        for key, row in rows.items():
            response_rows[key] = _add(response_rows.get(key, {}), row)
        for row in score_rows:
            key = row.get("bucket")
            score_totals[key][row["code"]] = _add(score_totals[key].get(row["code"], {}), row)
    result = {}
    for key, row in response_rows.items():
        if key is None and grouping is None or row["responses"]:
            figures = _outcome_figures(row)
            for code in basis.dimension_codes:
                stats = score_totals[key].get(code)
                figures[code] = (
                    metrics.mean_t_interval(bounds=SCORE_RANGE, **{k: stats[k] for k in DIMENSION_STATS})
                    if stats
                    else metrics.EMPTY
                )
            result[key] = Figures(responses=row["responses"], figures=figures)
    return result


def _empty_figures(dimension_codes: list[str]) -> Figures:
    keys = ["nps", "csat", "ces", "ces_easy", "eqi", "rhetoric_balance", *dimension_codes]
    return Figures(responses=0, figures=dict.fromkeys(keys, metrics.EMPTY))


# --- public reads ---------------------------------------------------------------------------------


def overview(*, scope: Scope, filters: DashboardFilter, basis: MetricBasis | None = None) -> dict[str, Estimate]:
    """NPS, CSAT, CES (mean and % 5–7), EQI, the five elements, ethos/pathos/logos and their balance."""
    basis = basis or metric_basis(organisation=scope.organisation)
    sources = response_sources(scope=scope, filters=filters, rollup=_rollup_applies(scope=scope, filters=filters))
    return _figures(sources, basis=basis)[None].figures


def _period_label(start: date, granularity: str) -> str:
    if granularity == "week":
        year, week, _day = start.isocalendar()
        return _("%(year)s week %(week)s") % {"year": year, "week": week}
    if granularity == "quarter":
        return _("%(year)s Q%(quarter)s") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return f"{start:%Y-%m}"


def trend(*, scope: Scope, filters: DashboardFilter, basis: MetricBasis | None = None) -> list[TrendPoint]:
    """Every figure per period (week, month or quarter), cut in the organisation's time zone."""
    granularity = filters.granularity if filters.granularity in GRANULARITIES else "month"
    tz = ZoneInfo(scope.organisation.time_zone)

    def period(prefix: str):
        return Trunc(f"{prefix}submitted_at", granularity, output_field=DateTimeField(), tzinfo=tz)

    def month_period(prefix: str):
        # Every cell, a day cell too, carries its month; quarters are whole months.
        if granularity == "month":
            return F(f"{prefix}month")
        return Trunc(f"{prefix}month", granularity, output_field=DateField())

    rollup = _rollup_applies(scope=scope, filters=filters, periods=True)
    figures = _figures(
        response_sources(scope=scope, filters=filters, rollup=rollup),
        basis=basis or metric_basis(organisation=scope.organisation),
        grouping=Grouping(raw=period, rollup=month_period, raw_key=lambda start: start.astimezone(tz).date()),
    )
    points = []
    for day in sorted(key for key in figures if key is not None):
        group = figures[day]
        points.append(
            TrendPoint(
                period=day,
                label=_period_label(day, granularity),
                responses=group.responses,
                figures=group.figures,
            )
        )
    return points


def _visible_key(field_name: str, visible: QuerySet) -> Bucket:
    """Group by a foreign key, folding rows the login may not name (outside its scope) into None."""

    def bucket(prefix: str):
        return Case(
            When(**{f"{prefix}{field_name}__in": visible.values("pk")}, then=F(f"{prefix}{field_name}")),
            default=Value(None),
            output_field=IntegerField(),
        )

    return bucket


def _breakdown_anchor(*, scope: Scope, filters: DashboardFilter) -> Unit | None:
    """The unit whose children a unit breakdown lists: the selected unit, else the top of the scope."""
    if filters.unit is not None:
        return filters.unit
    visible = units_visible(scope=scope)
    if scope.unit_path is not None:
        return visible.filter(path=scope.unit_path).first()
    if scope.person_id is not None:
        return visible.first()
    roots = list(visible.filter(parent__isnull=True)[:2])
    return roots[0] if len(roots) == 1 else None


def _row(key, label: str, group: Figures, drill_by: str = "") -> BreakdownRow:
    return BreakdownRow(key=key, label=label, responses=group.responses, figures=group.figures, drill_by=drill_by)


def _unit_breakdown(*, scope: Scope, filters: DashboardFilter, qs, basis: MetricBasis) -> Breakdown:
    anchor = _breakdown_anchor(scope=scope, filters=filters)
    children = list(
        units_visible(scope=scope).filter(parent=anchor).annotate(child_count=Count("children")).order_by("name")
    )

    def bucket(prefix: str):
        # A child aggregates its whole subtree; 0 = answers given at the anchor unit itself.
        whens = [When(**{f"{prefix}unit__path__startswith": c.path}, then=Value(c.pk)) for c in children]
        if anchor is not None:
            whens.append(When(**{f"{prefix}unit": anchor.pk}, then=Value(0)))
        return Case(*whens, default=Value(None), output_field=IntegerField())

    if anchor is not None:
        qs = qs.narrow(unit__path__startswith=anchor.path)
    figures = _figures(qs, basis=basis, grouping=bucket)
    empty = _empty_figures(basis.dimension_codes)
    rows = [
        _row(c.pk, c.name, figures.get(c.pk, empty), drill_by="unit" if c.child_count else "person") for c in children
    ]
    if anchor is not None and 0 in figures:
        rows.append(_row(None, _("%(unit)s itself") % {"unit": anchor.name}, figures[0]))
    if None in figures:
        rows.append(_row(None, _("No unit recorded"), figures[None]))
    return Breakdown(by="unit", anchor=anchor, rows=rows)


def _named_breakdown(*, scope: Scope, by: str, qs, basis: MetricBasis) -> Breakdown:
    """Per person or touchpoint; names come only from what the scope may see."""
    if by == "person":
        visible = people_visible(scope=scope)
        other = _("No person recorded") if scope.organisation_wide else _("No person recorded or outside your units")
    else:
        visible = touchpoints_visible(scope=scope)
        other = _("No touchpoint recorded") if scope.organisation_wide else _("Other touchpoints")
    field_name = "subject_person" if by == "person" else "touchpoint"
    figures = _figures(qs, basis=basis, grouping=_visible_key(field_name, visible))
    names = visible.filter(pk__in=[k for k in figures if k is not None]).values_list("pk", "name")
    rows = [_row(pk, name, figures[pk]) for pk, name in sorted(names, key=lambda item: item[1].casefold())]
    if None in figures:
        rows.append(_row(None, other, figures[None]))
    return Breakdown(by=by, anchor=None, rows=rows)


def _channel_breakdown(*, qs, basis: MetricBasis) -> Breakdown:
    figures = _figures(qs, basis=basis, grouping=lambda p: F(f"{p}channel"))
    rows = [_row(code, str(label), figures[code]) for code, label in Channel.choices if code in figures]
    if "" in figures:
        rows.append(_row(None, _("No channel recorded"), figures[""]))
    return Breakdown(by="channel", anchor=None, rows=rows)


def breakdown(*, scope: Scope, filters: DashboardFilter, by: str, basis: MetricBasis | None = None) -> Breakdown:
    """Every figure per child unit (each aggregating its subtree), person, channel or touchpoint."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    rollup = _rollup_applies(scope=scope, filters=filters, by=by)
    qs = response_sources(scope=scope, filters=filters, rollup=rollup)
    basis = basis or metric_basis(organisation=scope.organisation)
    if by == "unit":
        return _unit_breakdown(scope=scope, filters=filters, qs=qs, basis=basis)
    if by == "channel":
        return _channel_breakdown(qs=qs, basis=basis)
    return _named_breakdown(scope=scope, by=by, qs=qs, basis=basis)


def unit_ancestors(*, scope: Scope, unit: Unit) -> list[Unit]:
    """The unit's visible ancestors from the top down, the unit itself last (for breadcrumbs)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return list(units_visible(scope=scope).filter(pk__in=ids).order_by("path"))


def shown_person(*, scope: Scope, person: Person | None) -> Person | None:
    """The person a response is about, or None where the login may not see that person."""
    if person is None:
        return None
    if scope.person_id is not None:
        return person if person.pk == scope.person_id else None
    if scope.unit_path is not None and not person.unit.path.startswith(scope.unit_path):
        return None
    return person


def responses_page(*, scope: Scope, filters: DashboardFilter, page: int | str | None) -> Page:
    """Submitted responses, newest first, each with its first comment (`comment`) and `shown_person`."""
    comment = (
        Answer.objects.filter(response=OuterRef("pk")).exclude(text="").order_by("question__order").values("text")[:1]
    )
    qs = (
        customer_responses(scope=scope, filters=filters)
        .select_related("unit", "subject_person__unit", "touchpoint")
        .annotate(comment=Subquery(comment))
        .order_by("-submitted_at", "-pk")
    )
    result = Paginator(qs, RESPONSES_PER_PAGE).get_page(page)
    for response in result.object_list:
        response.shown_person = shown_person(scope=scope, person=response.subject_person)
    return result


def response_detail(*, scope: Scope, response_id: int) -> ResponseDetail:
    """One response with every answer and its question text; 404 outside the login's scope."""
    response = (
        customer_responses(scope=scope, filters=DashboardFilter())
        .select_related("unit", "subject_person__unit", "touchpoint", "questionnaire")
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        raise Http404
    answers = [
        AnswerRow(
            question=answer.question.text(),
            value=answer.value,
            text=answer.text,
            scale_min=answer.question.scale_min,
            scale_max=answer.question.scale_max,
            text_analysis=getattr(answer, "text_analysis", None),
        )
        for answer in response.answers.select_related("question", "text_analysis")
        .prefetch_related("text_analysis__topics")
        .order_by("question__order")
    ]
    scores = list(
        response.dimension_scores.select_related("dimension").order_by("dimension__group", "dimension__order")
    )
    return ResponseDetail(
        response=response,
        shown_person=shown_person(scope=scope, person=response.subject_person),
        answers=answers,
        dimension_scores=scores,
    )
