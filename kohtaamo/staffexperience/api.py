"""Staff pulse results and the chain over the API: the same cells and threshold rule as the pages."""

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from kohtaamo.api.auth import api_scope

from .chain import chain_levels, chain_report, outcomes_imported
from .forms import ChainForm
from .selectors import StaffCell, period_for, periods_for, require_reader, staff_results

router = Router(tags=["staff experience"])


class EstimateOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    indicative: bool


class ItemFigureOut(Schema):
    mean: EstimateOut
    agree_pct: EstimateOut


class StaffCellOut(Schema):
    unit: int
    name: str
    hidden: bool
    index: EstimateOut | None
    items: dict[str, ItemFigureOut] | None


class PeriodOut(Schema):
    id: int
    label: str
    start: date
    end: date


class PeriodResultsOut(Schema):
    period: PeriodOut
    units: list[StaffCellOut]


class ItemOut(Schema):
    code: str
    theme: str
    texts: dict[str, str]


class StaffResultsOut(Schema):
    threshold: int
    items: list[ItemOut]
    periods: list[PeriodResultsOut]


class CorrelationOut(Schema):
    r: float
    n: int
    ci_low: float | None
    ci_high: float | None


class ChainPointOut(Schema):
    unit: int
    name: str
    staff_index: EstimateOut
    customer: EstimateOut


class ChainUnitOut(Schema):
    unit: int
    name: str
    staff_index: EstimateOut
    customer: EstimateOut | None
    outcome: EstimateOut | None


class ChainComparisonOut(Schema):
    measure: str
    correlation: CorrelationOut | None
    units_without_figure: int


class ChainOut(Schema):
    period: PeriodOut | None
    target_start: date | None
    target_end: date | None
    lag: bool
    measure: str
    outcome: str | None
    outcomes_imported: bool
    level: int | None
    units: list[ChainUnitOut]
    points: list[ChainPointOut]
    units_left_out_under_threshold: int
    units_without_customer_figure: int
    correlation: CorrelationOut | None
    outcome_comparison: ChainComparisonOut | None
    note: str


class ChainQuery(Schema):
    period: int | None = None
    measure: Literal["eqi", "nps"] = "eqi"
    outcome: Literal["retained", "spend"] | None = None
    lag: bool = False
    level: int | None = None


def _period(period) -> dict:
    return {"id": period.pk, "label": period.label, "start": period.start, "end": period.end}


def _cell(unit, cell: StaffCell) -> dict:
    if cell.hidden:
        # Nothing of a hidden cell leaves the server, not even its n.
        return {"unit": unit.pk, "name": unit.name, "hidden": True, "index": None, "items": None}
    return {
        "unit": unit.pk,
        "name": unit.name,
        "hidden": False,
        "index": cell.index.as_dict(),
        "items": {code: {"mean": f.mean.as_dict(), "agree_pct": f.agree.as_dict()} for code, f in cell.items.items()},
    }


@router.get("/{org}/staff-pulse/periods", response=list[PeriodOut], summary="Staff pulse periods, oldest first")
def staff_pulse_periods(request, org: str):
    return [_period(p) for p in periods_for(scope=api_scope(request, org))]


@router.get(
    "/{org}/staff-pulse/results",
    response=StaffResultsOut,
    summary="Staff experience index and statements per unit and period, under the anonymity threshold",
)
def staff_pulse_results(request, org: str, period: int | None = None):
    scope = api_scope(request, org)
    periods = [period_for(scope=scope, period_id=period)] if period is not None else None
    results = staff_results(scope=scope, periods=periods)
    return {
        "threshold": results.threshold,
        "items": [{"code": i.code, "theme": i.theme, "texts": i.texts} for i in results.items],
        "periods": [
            {"period": _period(p), "units": [_cell(row.unit, row.cells[p.pk]) for row in results.rows]}
            for p in results.periods
        ],
    }


def _correlation(c) -> dict | None:
    return {"r": c.r, "n": c.n, "ci_low": c.ci_low, "ci_high": c.ci_high} if c else None


def _estimate(estimate) -> dict | None:
    return estimate.as_dict() if estimate is not None else None


@router.get(
    "/{org}/staff-pulse/chain",
    response=ChainOut,
    summary="Staff experience beside customer figures and business outcomes per unit",
)
def staff_pulse_chain(request, org: str, query: Query[ChainQuery]):
    """Invalid choices (a period or level that is not offered, an outcome where none are imported)
    are a 422 with a message per field, as on the page; nothing falls back to a default."""
    scope = api_scope(request, org)
    require_reader(scope)
    data = {key: "" if value is None else str(value).lower() for key, value in query.dict().items()}
    form = ChainForm(
        data,
        periods=list(periods_for(scope=scope)),
        levels=chain_levels(scope=scope),
        outcomes_imported=outcomes_imported(organisation=scope.organisation),
    )
    if not form.is_valid():
        raise ValidationError(
            [{"loc": ("query", name), "msg": " ".join(messages)} for name, messages in form.errors.items()]
        )
    options = form.cleaned_data
    report = chain_report(
        scope=scope,
        period_id=options["period"],
        measure=options["measure"] or "eqi",
        outcome=options["outcome"] or None,
        lag=options["lag"],
        level=options["level"],
        imported=form.outcomes_imported,
    )
    outcome = report.outcome
    return {
        "period": _period(report.period) if report.period else None,
        "target_start": report.target[0] if report.target else None,
        "target_end": report.target[1] if report.target else None,
        "lag": report.lag,
        "measure": report.measure,
        "outcome": outcome.measure if outcome else None,
        "outcomes_imported": report.outcomes_imported,
        "level": report.level,
        "units": [
            {
                "unit": row.unit.pk,
                "name": row.unit.name,
                "staff_index": row.staff.as_dict(),
                "customer": _estimate(row.customer),
                "outcome": _estimate(row.outcome),
            }
            for row in report.rows
        ],
        "points": [
            {"unit": p.unit.pk, "name": p.unit.name, "staff_index": p.staff.as_dict(), "customer": p.figure.as_dict()}
            for p in report.points
        ],
        "units_left_out_under_threshold": report.hidden_units,
        "units_without_customer_figure": report.no_customer_units,
        "correlation": _correlation(report.correlation),
        "outcome_comparison": {
            "measure": outcome.measure,
            "correlation": _correlation(outcome.correlation),
            "units_without_figure": outcome.missing_units,
        }
        if outcome
        else None,
        "note": _("Association, not causation: Pearson r over units, 95 % CI by Fisher's z."),
    }
