"""Reads for key drivers and business impact, within the login's scope (customer pulse only).

Both analyses need one row per response or customer, so the database returns only the few numbers
per row they use (values lists), capped at MAX_ROWS newest rows; everything else is numpy.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db.models import Avg, F, QuerySet
from django.db.models.functions import Coalesce

from kohtaamo.analytics import drivers as driver_analysis
from kohtaamo.analytics import selectors as analytics_selectors
from kohtaamo.feedback.models import Answer, DimensionScore, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Unit
from kohtaamo.organisations.selectors import Scope, touchpoints_visible, units_visible

from . import analysis
from .models import Outcome

MAX_ROWS = 50_000
OUTCOME_METRICS = ("services", "spend", "retained", "recommended")
PREDICTOR_KINDS = ("dimension", "item", "touchpoint")
TARGETS = ("nps", "csat")


def customer_responses(*, scope: Scope, unit: Unit | None, start: date | None, end: date | None) -> QuerySet[Response]:
    return analytics_selectors.customer_responses(
        scope=scope, filters=analytics_selectors.DashboardFilter(unit=unit, start=start, end=end)
    )


# --- key drivers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DriverRow:
    driver: driver_analysis.Driver
    label: str
    performance: float  # 0–100
    fix_first: bool


@dataclass(frozen=True)
class DriverReport:
    kind: str
    target: str
    n: int
    r_squared: float | None
    rows: list[DriverRow]
    refused: bool  # n below the minimum: nothing estimated

    @property
    def fix_first(self) -> list[DriverRow]:
        return [r for r in self.rows if r.fix_first]


def _predictor_matrix(*, scope: Scope, qs: QuerySet[Response], kind: str):
    """(response ids, column keys, labels, matrix on 0–100) for the predictors of `kind`."""
    ids = list(qs.order_by("-submitted_at").values_list("pk", flat=True)[:MAX_ROWS])
    index = {pk: i for i, pk in enumerate(ids)}
    if kind == "touchpoint":
        touchpoints = dict(touchpoints_visible(scope=scope).values_list("pk", "name"))
        rows = Response.objects.filter(pk__in=ids, touchpoint__in=list(touchpoints)).values_list("pk", "touchpoint_id")
        keys = sorted({tp for _pk, tp in rows})
        matrix = np.zeros((len(ids), len(keys)))
        column = {k: j for j, k in enumerate(keys)}
        for pk, tp in rows:
            matrix[index[pk], column[tp]] = 100.0
        return ids, keys, [touchpoints[k] for k in keys], matrix
    if kind == "dimension":
        rows = DimensionScore.objects.filter(response_id__in=ids, dimension__group=Dimension.Group.ELEMENT).values_list(
            "response_id", "dimension__code", "score"
        )
        names = dict(Dimension.objects.filter(group=Dimension.Group.ELEMENT).values_list("code", "names"))
        label = {code: (texts.get(_lang()) or texts.get("fi") or code) for code, texts in names.items()}
    else:
        rows = (
            Answer.objects.filter(response_id__in=ids, value__isnull=False, question__item__isnull=False)
            .exclude(question__item__dimensions__group=Dimension.Group.OUTCOME)
            .annotate(
                rescaled=(F("value") - F("question__scale_min"))
                * 100.0
                / (F("question__scale_max") - F("question__scale_min"))
            )
            .values_list("response_id", "question__item__code", "rescaled")
        )
        label = {}
    rows = list(rows)
    keys = sorted({code for _pk, code, _v in rows})
    matrix = np.full((len(ids), len(keys)), np.nan)
    column = {k: j for j, k in enumerate(keys)}
    for pk, code, value in rows:
        matrix[index[pk], column[code]] = value
    return ids, keys, [label.get(k, k) for k in keys], matrix


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "fi")[:2]


def key_drivers(
    *,
    scope: Scope,
    kind: str,
    target: str,
    unit: Unit | None = None,
    start: date | None = None,
    end: date | None = None,
    n_boot: int = 500,
    seed: int = 0,
) -> DriverReport:
    qs = customer_responses(scope=scope, unit=unit, start=start, end=end).filter(**{f"{target}__isnull": False})
    ids, _keys, labels, matrix = _predictor_matrix(scope=scope, qs=qs, kind=kind)
    outcome = dict(Response.objects.filter(pk__in=ids).values_list("pk", target))
    y = np.array([outcome[pk] for pk in ids], dtype=float)
    complete = int((~np.isnan(matrix).any(axis=1)).sum()) if matrix.size else 0
    if not labels or complete < driver_analysis.MIN_N:
        return DriverReport(kind, target, complete, None, [], refused=True)
    try:
        found = driver_analysis.relative_weights(matrix, y, names=labels, n_boot=n_boot, seed=seed)
    except driver_analysis.TooFewResponses as exc:
        return DriverReport(kind, target, exc.n, None, [], refused=True)
    performance = dict(zip(labels, np.nanmean(matrix, axis=0), strict=True))
    if kind == "touchpoint":  # a touchpoint's performance: its customers' outcome on 0–100
        low, high = (0, 10) if target == "nps" else (1, 5)
        performance = {
            label: float(np.nanmean((y[matrix[:, j] > 0] - low) / (high - low) * 100))
            if (matrix[:, j] > 0).any()
            else 0
            for j, label in enumerate(labels)
        }
    average = float(np.mean(list(performance.values())))
    rows = [
        DriverRow(
            driver=d,
            label=d.name,
            performance=float(performance[d.name]),
            fix_first=d.significant and performance[d.name] < average,
        )
        for d in found
    ]
    return DriverReport(kind, target, found[0].n, driver_analysis.r_squared(found), rows, refused=False)


# --- business impact ------------------------------------------------------------------------------


def outcome_periods(*, scope: Scope) -> list[tuple[date, date]]:
    if not scope.organisation_wide and scope.unit_path is None:
        return []
    return list(
        Outcome.objects.filter(organisation=scope.organisation)
        .values_list("period_start", "period_end")
        .distinct()
        .order_by("-period_start")
    )


def _outcome_value(metric: str):
    return F(metric)


@dataclass(frozen=True)
class UnitImpact:
    unit: Unit
    result: analysis.ImpactResult


@dataclass(frozen=True)
class ImpactReport:
    metric: str
    period: tuple[date, date]
    next_period: tuple[date, date] | None
    result: analysis.ImpactResult | None
    units: list[UnitImpact]


def impact_arrays(*, scope: Scope, metric: str, period: tuple[date, date], unit: Unit | None):
    """Per customer with a response in `period`: next-period outcome, this period's outcome, NPS, EQI."""
    start, end = period
    customer = Coalesce(F("encounter__customer_id"), F("invitation__customer_id"))
    experience = (
        customer_responses(scope=scope, unit=unit, start=start, end=end)
        .annotate(customer_key=customer)
        .filter(customer_key__isnull=False)
        .values("customer_key")
        .annotate(nps_mean=Avg("nps"), eqi_mean=Avg("eqi"))
        .order_by()
    )
    rows = {r["customer_key"]: (r["nps_mean"], r["eqi_mean"]) for r in experience[:MAX_ROWS]}
    if not rows:
        return None
    outcomes = Outcome.objects.filter(
        organisation=scope.organisation,
        customer_id__in=list(rows),
        period_start__in=[start, end + timedelta(days=1)],
    ).values_list("customer_id", "period_start", metric)
    current, following = {}, {}
    for customer_id, period_start, value in outcomes:
        target = current if period_start == start else following
        target[customer_id] = float(value) if value is not None else np.nan
    keys = [k for k in rows if k in following]
    if not keys:
        return None
    nan = np.nan
    return {
        "y": np.array([following[k] for k in keys]),
        "prev": np.array([current.get(k, nan) for k in keys]),
        "nps": np.array([rows[k][0] if rows[k][0] is not None else nan for k in keys]),
        "eqi": np.array([rows[k][1] if rows[k][1] is not None else nan for k in keys]),
    }


def impact_report(*, scope: Scope, metric: str, period: tuple[date, date], unit: Unit | None = None) -> ImpactReport:
    next_start = period[1] + timedelta(days=1)
    next_period = (
        Outcome.objects.filter(organisation=scope.organisation, period_start=next_start)
        .values_list("period_start", "period_end")
        .first()
    )
    arrays = impact_arrays(scope=scope, metric=metric, period=period, unit=unit)
    result = analysis.impact_analysis(**arrays) if arrays else None
    units = []
    if result is not None and result.n >= 2 * analysis.MIN_N:
        anchor = (
            unit
            or units_visible(scope=scope)
            .filter(
                path=scope.unit_path
                or units_visible(scope=scope).order_by("path").values_list("path", flat=True).first()
            )
            .first()
        )
        for child in units_visible(scope=scope).filter(parent=anchor).order_by("name"):
            child_arrays = impact_arrays(scope=scope, metric=metric, period=period, unit=child)
            if child_arrays is not None and child_arrays["y"].size >= analysis.MIN_N:
                units.append(UnitImpact(child, analysis.impact_analysis(**child_arrays)))
    return ImpactReport(metric=metric, period=period, next_period=next_period, result=result, units=units)
