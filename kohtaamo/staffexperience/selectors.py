"""Staff pulse reads: results per unit and period under the threshold rule, for page, CSV and API.

The threshold plan is made over the organisation's whole unit tree (every viewer sees the same shown
cells, so two viewers' pages cannot be differenced); the viewer's scope then decides which of the
shown rows they get. Counts, sums and sums of squares come from the database per unit and period;
rolling them up the tree happens on those few rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from kohtaamo.analytics import metrics
from kohtaamo.analytics.anonymity import threshold_for
from kohtaamo.analytics.metrics import Estimate
from kohtaamo.organisations.models import Unit
from kohtaamo.organisations.selectors import Scope, restrict, units_visible

from .items import SCALE_MAX, SCALE_MIN, TOP_BOX_FROM
from .models import (
    StaffPulseAnswer,
    StaffPulseInvitation,
    StaffPulseItem,
    StaffPulsePeriod,
    StaffPulseSchedule,
    StaffPulseSheet,
)
from .suppression import path_ids, pool_of, units_shown

INDEX_RANGE = (0.0, 100.0)
SCALE_RANGE = (float(SCALE_MIN), float(SCALE_MAX))


def require_reader(scope: Scope) -> None:
    """Staff results are for managers: organisation-wide roles and unit managers (their subtree)."""
    if scope.is_employee or scope.is_shopper:
        raise PermissionDenied


def schedule_for(*, scope: Scope) -> StaffPulseSchedule | None:
    require_reader(scope)
    return StaffPulseSchedule.objects.filter(organisation=scope.organisation).prefetch_related("units").first()


def periods_for(*, scope: Scope) -> QuerySet[StaffPulsePeriod]:
    require_reader(scope)
    return StaffPulsePeriod.objects.filter(organisation=scope.organisation).order_by("start")


def period_for(*, scope: Scope, period_id: int) -> StaffPulsePeriod:
    period = periods_for(scope=scope).filter(pk=period_id).first()
    if period is None:
        raise Http404
    return period


def items_for(*, scope: Scope) -> list[StaffPulseItem]:
    require_reader(scope)
    return list(
        StaffPulseItem.objects.filter(organisation=scope.organisation, kind=StaffPulseItem.Kind.SCALE).order_by("order")
    )


# -- cells -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFigure:
    mean: Estimate  # on the 1–5 scale
    agree: Estimate  # % of 4–5 answers


@dataclass(frozen=True)
class StaffCell:
    """One unit's figures in one period, or hidden: a hidden cell carries nothing, not even its n."""

    hidden: bool
    index: Estimate | None = None  # staff experience index, 0–100
    items: dict[str, ItemFigure] = field(default_factory=dict)

    @property
    def n(self) -> int | None:
        return None if self.hidden else self.index.n


HIDDEN = StaffCell(hidden=True)


@dataclass
class _Stats:
    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    hits: int = 0

    def add(self, other: "_Stats") -> None:
        self.n += other.n
        self.total += other.total
        self.total_sq += other.total_sq
        self.hits += other.hits


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    depth: int
    cells: dict[int, StaffCell]  # period id -> cell


@dataclass(frozen=True)
class StaffResults:
    threshold: int
    periods: list[StaffPulsePeriod]
    items: list[StaffPulseItem]
    rows: list[UnitRow]
    invited: dict[int, int]  # period id -> staff invited in the viewer's units
    shown: dict[int, set[int]]  # period id -> shown unit ids (the plan, for the chain and comments)
    paths: dict[int, str]


def _tree(*, scope: Scope) -> dict[int, Unit]:
    return {u.pk: u for u in Unit.objects.filter(organisation=scope.organisation).order_by("path")}


def _sheet_stats(*, scope: Scope, period_ids: list[int]) -> dict[tuple[int, int], _Stats]:
    rows = (
        StaffPulseSheet.objects.filter(organisation=scope.organisation, period_id__in=period_ids)
        .values("period_id", "unit_id")
        .annotate(n=Count("pk"), total=Sum("index"), total_sq=Sum(F("index") * F("index")))
        .order_by()
    )
    return {(r["period_id"], r["unit_id"]): _Stats(r["n"], r["total"], r["total_sq"]) for r in rows}


def _answer_stats(*, scope: Scope, period_ids: list[int]) -> dict[tuple[int, int], dict[int, _Stats]]:
    rows = (
        StaffPulseAnswer.objects.filter(organisation=scope.organisation, period_id__in=period_ids)
        .values("period_id", "unit_id", "item_id")
        .annotate(
            n=Count("pk"),
            total=Sum("value"),
            total_sq=Sum(F("value") * F("value")),
            hits=Count("pk", filter=Q(value__gte=TOP_BOX_FROM)),
        )
        .order_by()
    )
    stats: dict[tuple[int, int], dict[int, _Stats]] = defaultdict(dict)
    for r in rows:
        stats[(r["period_id"], r["unit_id"])][r["item_id"]] = _Stats(r["n"], r["total"], r["total_sq"], r["hits"])
    return stats


def _roll_up(direct: dict[int, object], *, paths: dict[int, str], empty, add) -> dict[int, object]:
    totals: dict[int, object] = {}
    for unit_id, value in direct.items():
        for ancestor in path_ids(paths.get(unit_id, "")):
            if ancestor in paths:
                add(totals.setdefault(ancestor, empty()), value)
    return totals


def _add_items(total: dict[int, _Stats], value: dict[int, _Stats]) -> None:
    for item_id, stats in value.items():
        total.setdefault(item_id, _Stats()).add(stats)


def _cell(index: _Stats, item_stats: dict[int, _Stats], items: list[StaffPulseItem]) -> StaffCell:
    figures = {}
    for item in items:
        s = item_stats.get(item.pk, _Stats())
        figures[item.code] = ItemFigure(
            mean=metrics.mean_t_interval(n=s.n, total=s.total, total_sq=s.total_sq, bounds=SCALE_RANGE),
            agree=metrics.top_box_share(hits=s.hits, n=s.n),
        )
    index_estimate = metrics.mean_t_interval(n=index.n, total=index.total, total_sq=index.total_sq, bounds=INDEX_RANGE)
    return StaffCell(hidden=False, index=index_estimate, items=figures)


def staff_results(*, scope: Scope, periods: list[StaffPulsePeriod] | None = None) -> StaffResults:
    """Every visible unit's cell in every given period (default: all), under the threshold rule."""
    require_reader(scope)
    periods = list(periods_for(scope=scope)) if periods is None else periods
    period_ids = [p.pk for p in periods]
    threshold = threshold_for(scope.organisation)
    tree = _tree(scope=scope)
    paths = {pk: u.path for pk, u in tree.items()}
    sheets = _sheet_stats(scope=scope, period_ids=period_ids)
    answers = _answer_stats(scope=scope, period_ids=period_ids)
    visible = set(units_visible(scope=scope).values_list("pk", flat=True))
    items = items_for(scope=scope)
    cells: dict[int, dict[int, StaffCell]] = defaultdict(dict)
    shown_by_period: dict[int, set[int]] = {}
    for period_id in period_ids:
        direct = {unit_id: s for (p, unit_id), s in sheets.items() if p == period_id}
        shown = units_shown(paths=paths, direct={u: s.n for u, s in direct.items()}, threshold=threshold)
        shown_by_period[period_id] = shown
        index_totals = _roll_up(direct, paths=paths, empty=_Stats, add=_Stats.add)
        item_totals = _roll_up(
            {u: answers.get((period_id, u), {}) for u in direct}, paths=paths, empty=dict, add=_add_items
        )
        for unit_id in visible:
            cells[unit_id][period_id] = (
                _cell(index_totals[unit_id], item_totals.get(unit_id, {}), items) if unit_id in shown else HIDDEN
            )
    invited = dict(
        restrict(StaffPulseInvitation.objects.all(), scope=scope, unit_field="unit", person_field=None)
        .filter(period_id__in=period_ids)
        .values_list("period_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    root_depth = min((tree[u].depth for u in visible), default=0)
    rows = [
        UnitRow(unit=tree[u], depth=tree[u].depth - root_depth, cells=cells[u])
        for u in sorted(visible, key=lambda u: path_ids(tree[u].path))  # numeric: a subtree stays together
    ]
    return StaffResults(
        threshold=threshold,
        periods=periods,
        items=items,
        rows=rows,
        invited=invited,
        shown=shown_by_period,
        paths=paths,
    )


# -- comments --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentGroup:
    unit: Unit
    comments: list[str]


def comment_groups(*, scope: Scope, results: StaffResults, period: StaffPulsePeriod) -> list[CommentGroup]:
    """The period's open comments, each with the nearest shown unit above its own: a group that meets
    the threshold on its own. In alphabetical order, so nothing tells the order of arrival."""
    shown = results.shown.get(period.pk, set())
    visible = {row.unit.pk: row.unit for row in results.rows}
    texts = (
        StaffPulseSheet.objects.filter(organisation=scope.organisation, period=period)
        .exclude(comment="")
        .values_list("unit_id", "comment")
    )
    groups: dict[int, list[str]] = defaultdict(list)
    for unit_id, text in texts:
        pool = pool_of(unit_id, shown=shown, paths=results.paths)
        if pool is not None and pool in visible:
            groups[pool].append(text)
    return [
        CommentGroup(unit=visible[pool], comments=sorted(groups[pool], key=str.casefold))
        for pool in sorted(groups, key=lambda u: path_ids(results.paths[u]))
    ]
