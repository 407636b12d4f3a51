"""The chain: staff experience beside customer encounter scores and business outcomes, per unit.

Observations are the units of one level of the tree (their subtrees do not overlap). A unit's staff
figure is its staff experience index in the chosen period, taken only where the threshold rule shows
it; its customer figure is the customers' EQI or NPS over the same subtree (respondent role customer,
through the dashboard's own base query), and its outcome figure a business outcome of the customers it
served (where outcomes are imported). With `lag`, customer and outcome figures come from the period
after the staff period. Two correlations, staff against customers and staff against the outcome: each
Pearson's r over the units with both figures, with a 95 % CI from Fisher's z; they show association,
not causation.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from kohtaamo.analytics import metrics
from kohtaamo.analytics.metrics import Z_95, Estimate
from kohtaamo.analytics.periods import within_days
from kohtaamo.analytics.selectors import DashboardFilter, customer_responses, metric_basis
from kohtaamo.feedback.models import Encounter
from kohtaamo.impact.models import Outcome
from kohtaamo.organisations.models import Unit
from kohtaamo.organisations.selectors import Scope, restrict, units_visible

from .models import StaffPulsePeriod, StaffPulseSchedule
from .selectors import StaffResults, periods_for, require_reader, staff_results
from .services import period_bounds

CUSTOMER_MEASURES = {"eqi": _("Customer EQI (0–100)"), "nps": _("Customer NPS")}
OUTCOME_MEASURES = {"retained": _("Customers retained (%)"), "spend": _("Customer spend (mean)")}
MEASURES = {**CUSTOMER_MEASURES, **OUTCOME_MEASURES}
DEFAULT_OUTCOME = "retained"
NPS_SCALE = (0, 10)
MIN_CORRELATION_N = 4  # Fisher's z needs n > 3


@dataclass(frozen=True)
class Correlation:
    r: float
    n: int
    ci_low: float | None
    ci_high: float | None

    @property
    def excludes_zero(self) -> bool:
        return self.ci_low is not None and (self.ci_low > 0 or self.ci_high < 0)


def pearson_with_ci(xs: list[float], ys: list[float]) -> Correlation | None:
    """Pearson's r with a 95 % CI via Fisher's z (tanh(atanh r ± 1.96/√(n−3))); None below 3 points or
    where either variable does not vary."""
    n = len(xs)
    if n < 3:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    if n < MIN_CORRELATION_N or abs(r) == 1.0:
        return Correlation(r=r, n=n, ci_low=None, ci_high=None)
    z, half = math.atanh(r), Z_95 / math.sqrt(n - 3)
    return Correlation(r=r, n=n, ci_low=math.tanh(z - half), ci_high=math.tanh(z + half))


@dataclass(frozen=True)
class ChainPoint:
    unit: Unit
    staff: Estimate
    figure: Estimate  # the customer figure or the business outcome


@dataclass(frozen=True)
class Comparison:
    """The staff index against one other figure, over the shown units that have both."""

    measure: str
    points: list[ChainPoint]
    missing_units: int  # shown units without this figure in the target period
    correlation: Correlation | None

    @property
    def label(self) -> str:
        return str(MEASURES[self.measure])


@dataclass(frozen=True)
class ChainRow:
    """One shown unit: its staff index beside its customer figure and its outcome (None: no figure)."""

    unit: Unit
    staff: Estimate
    customer: Estimate | None
    outcome: Estimate | None


@dataclass(frozen=True)
class ChainReport:
    period: StaffPulsePeriod | None
    target: tuple[date, date] | None  # the customer/outcome period
    lag: bool
    level: int | None
    levels: list[tuple[int, str]]  # depth, label
    rows: list[ChainRow]
    customer: Comparison
    outcome: Comparison | None  # None where the organisation has imported no outcomes
    outcomes_imported: bool
    hidden_units: int  # units of the level with staff invited but under the threshold: left out
    threshold: int

    # The staff-versus-customer comparison under its earlier names.
    @property
    def measure(self) -> str:
        return self.customer.measure

    @property
    def points(self) -> list[ChainPoint]:
        return self.customer.points

    @property
    def correlation(self) -> Correlation | None:
        return self.customer.correlation

    @property
    def no_customer_units(self) -> int:
        return self.customer.missing_units


def outcomes_imported(*, organisation) -> bool:
    """Whether any business outcome has been imported: only then are outcome measures offered."""
    return Outcome.objects.filter(organisation=organisation).exists()


def next_period(period: StaffPulsePeriod) -> tuple[date, date]:
    """The period of the same length right after `period`."""
    cadence = StaffPulseSchedule.Cadence.QUARTER if period.start.month != period.end.month else "month"
    return period_bounds(day=period.end + timedelta(days=1), cadence=cadence)


def _bucket(units: list[Unit], prefix: str = ""):
    whens = [When(**{f"{prefix}path__startswith": u.path}, then=Value(u.pk)) for u in units]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _customer_figures(*, scope: Scope, units: list[Unit], measure: str, start: date, end: date) -> dict:
    qs = customer_responses(scope=scope, filters=DashboardFilter(start=start, end=end))
    grouped = qs.values(bucket=_bucket(units, "unit__")).order_by()
    if measure == "eqi":
        rows = grouped.annotate(n=Count("eqi"), total=Sum("eqi"), total_sq=Sum(F("eqi") * F("eqi")))
        return {
            r["bucket"]: metrics.mean_t_interval(n=r["n"], total=r["total"], total_sq=r["total_sq"], bounds=(0, 100))
            for r in rows
            if r["bucket"] is not None
        }
    nps_ids = metric_basis(organisation=scope.organisation).scales["nps"].get(NPS_SCALE, [])
    asked = Q(questionnaire_id__in=nps_ids)
    rows = grouped.annotate(
        promoters=Count("pk", filter=asked & Q(nps__gte=9)),
        passives=Count("pk", filter=asked & Q(nps__gte=7, nps__lte=8)),
        detractors=Count("pk", filter=asked & Q(nps__lte=6)),
    )
    return {
        r["bucket"]: metrics.nps(promoters=r["promoters"], passives=r["passives"], detractors=r["detractors"])
        for r in rows
        if r["bucket"] is not None
    }


def _outcome_figures(*, scope: Scope, units: list[Unit], measure: str, start: date, end: date) -> dict:
    """Outcomes with a period starting within start..end, of customers served in those days; each
    customer counts for the unit of their latest encounter then."""
    encounters = restrict(Encounter.objects.all(), scope=scope, unit_field="unit", person_field="person")
    encounters = within_days(
        encounters.filter(customer=OuterRef("customer_id")),
        field="occurred_at",
        start=start,
        end=end,
        time_zone=scope.organisation.time_zone,
    )
    latest_path = Subquery(encounters.order_by("-occurred_at").values("unit__path")[:1])
    rows = (
        Outcome.objects.filter(organisation=scope.organisation, period_start__gte=start, period_start__lte=end)
        .annotate(served_path=latest_path)
        .filter(served_path__isnull=False)
        .values(bucket=_bucket(units, "served_"))
        .order_by()
    )
    if measure == "retained":
        rows = rows.annotate(n=Count("retained"), hits=Count("pk", filter=Q(retained=True)))
        return {r["bucket"]: metrics.top_box_share(hits=r["hits"], n=r["n"]) for r in rows if r["bucket"] is not None}
    rows = rows.annotate(n=Count("spend"), total=Sum("spend"), total_sq=Sum(F("spend") * F("spend")))
    return {
        r["bucket"]: metrics.mean_t_interval(
            n=r["n"],
            total=float(r["total"]) if r["total"] is not None else None,
            total_sq=float(r["total_sq"]) if r["total_sq"] is not None else None,
        )
        for r in rows
        if r["bucket"] is not None
    }


def chain_levels(*, scope: Scope) -> list[tuple[int, str]]:
    """The levels of the visible tree (0 = the viewer's top), named by their commonest unit kind."""
    units = list(units_visible(scope=scope).only("path", "kind"))
    top = min((u.depth for u in units), default=0)
    kinds: dict[int, Counter] = defaultdict(Counter)
    for unit in units:
        kinds[unit.depth - top][unit.get_kind_display()] += 1
    return [(depth, str(labels.most_common(1)[0][0])) for depth, labels in sorted(kinds.items())]


def _default_level(results: StaffResults, period: StaffPulsePeriod) -> int | None:
    """The level with the most units shown in the period (ties: the finer level)."""
    counts: dict[int, int] = {}
    shown = results.shown.get(period.pk, set())
    for row in results.rows:
        counts[row.depth] = counts.get(row.depth, 0) + (row.unit.pk in shown)
    return max(counts, key=lambda d: (counts[d], d)) if counts else None


def _figure(estimate: Estimate | None) -> Estimate | None:
    return estimate if estimate is not None and estimate.value is not None else None


def _compare(measure: str, rows: list[ChainRow], figure_of) -> Comparison:
    points = [ChainPoint(unit=r.unit, staff=r.staff, figure=figure_of(r)) for r in rows if figure_of(r) is not None]
    correlation = pearson_with_ci([p.staff.value for p in points], [p.figure.value for p in points])
    return Comparison(measure=measure, points=points, missing_units=len(rows) - len(points), correlation=correlation)


def chain_report(
    *,
    scope: Scope,
    period_id: int | None = None,
    measure: str = "eqi",
    outcome: str | None = None,
    lag: bool = False,
    level: int | None = None,
    imported: bool | None = None,
) -> ChainReport:
    """The chain for one staff period (default the latest). `measure` is the customer figure (eqi, nps);
    `outcome` the business outcome (retained, spend; default retained where outcomes are imported).
    Choices that are not offered raise ValueError: callers validate with forms.ChainForm first.
    `imported`: whether outcomes are imported, where the caller has already asked (None: look it up)."""
    require_reader(scope)
    if measure not in CUSTOMER_MEASURES:
        raise ValueError(f"unknown customer measure {measure!r}")
    if imported is None:
        imported = outcomes_imported(organisation=scope.organisation)
    if outcome is not None and (outcome not in OUTCOME_MEASURES or not imported):
        raise ValueError(f"outcome {outcome!r} is not offered")
    outcome = outcome or (DEFAULT_OUTCOME if imported else None)
    periods = list(periods_for(scope=scope))
    period = next((p for p in periods if p.pk == period_id), None) if period_id is not None else None
    if period_id is not None and period is None:
        raise ValueError(f"no staff period {period_id}")
    period = period or (periods[-1] if periods else None)
    if period is None:
        no_outcome = Comparison(outcome, [], 0, None) if outcome else None
        return ChainReport(None, None, lag, None, [], [], Comparison(measure, [], 0, None), no_outcome, imported, 0, 0)
    results = staff_results(scope=scope, periods=[period])
    levels = chain_levels(scope=scope)
    if level is not None and level not in dict(levels):
        raise ValueError(f"no level {level}")
    if level is None:
        level = _default_level(results, period)
    level_rows = [row for row in results.rows if row.depth == level]
    target = next_period(period) if lag else (period.start, period.end)
    units = [row.unit for row in level_rows]
    window = {"scope": scope, "units": units, "start": target[0], "end": target[1]}
    customer = _customer_figures(measure=measure, **window) if units else {}
    outcomes = _outcome_figures(measure=outcome, **window) if units and outcome else {}
    invited = _units_with_invitations(scope=scope, period=period, units=units)
    rows, hidden = [], 0
    for row in level_rows:
        cell = row.cells[period.pk]
        if cell.hidden:
            hidden += row.unit.pk in invited
            continue
        unit_id = row.unit.pk
        rows.append(
            ChainRow(
                unit=row.unit,
                staff=cell.index,
                customer=_figure(customer.get(unit_id)),
                outcome=_figure(outcomes.get(unit_id)),
            )
        )
    return ChainReport(
        period=period,
        target=target,
        lag=lag,
        level=level,
        levels=levels,
        rows=rows,
        customer=_compare(measure, rows, lambda r: r.customer),
        outcome=_compare(outcome, rows, lambda r: r.outcome) if outcome else None,
        outcomes_imported=imported,
        hidden_units=hidden,
        threshold=results.threshold,
    )


def _units_with_invitations(*, scope: Scope, period: StaffPulsePeriod, units: list[Unit]) -> set[int]:
    if not units:
        return set()
    return set(
        period.invitations.filter(organisation=scope.organisation)
        .values_list(_bucket(units, "unit__"), flat=True)
        .distinct()
    ) - {None}
