"""Business outcomes (import and list), key drivers and business impact over the API."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kohtaamo.api.auth import api_scope
from kohtaamo.api.rows import BoundedPageNumberPagination
from kohtaamo.organisations.selectors import require_manager, unit_for

from . import selectors
from .importing import outcomes_import_rows
from .models import Outcome

router = Router(tags=["business impact"])


class OutcomeIn(Schema):
    customer_id: str | None = None
    period: str | None = None
    spend: str | float | None = None
    services: str | int | None = None
    retained: str | bool | None = None
    recommended: str | bool | None = None


class OutcomeBatchIn(Schema):
    outcomes: list[OutcomeIn]


class ImportOut(Schema):
    created: int
    updated: int


class OutcomeOut(Schema):
    customer_id: str
    period_start: date
    period_end: date
    spend: Decimal | None
    services: int | None
    retained: bool | None
    recommended: bool | None


class DriverOut(Schema):
    name: str
    weight: float
    ci_low: float
    ci_high: float
    share: float
    significant: bool
    performance: float
    fix_first: bool


class DriversOut(Schema):
    target: str
    kind: str
    n: int
    refused: bool
    r_squared: float | None
    drivers: list[DriverOut]


class DriverQuery(Schema):
    target: str = "nps"
    kind: str = "dimension"
    unit: int | None = None
    start: date | None = None
    end: date | None = None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@router.post("/{org}/outcomes", response={200: ImportOut, 422: dict}, summary="Import outcomes (all or nothing)")
def import_outcomes(request, org: str, payload: OutcomeBatchIn):
    scope = api_scope(request, org)
    require_manager(scope)
    rows = [(i, {k: _text(v) for k, v in row.dict().items()}) for i, row in enumerate(payload.outcomes)]
    result = outcomes_import_rows(organisation=scope.organisation, rows=rows)
    if not result.ok:
        errors = [{"field": e.field, "message": e.message, "index": e.line} for e in result.errors]
        return Status(422, {"message": _("Nothing was imported."), "errors": errors})
    return Status(200, {"created": result.created, "updated": result.updated})


@router.get("/{org}/outcomes", response=list[OutcomeOut], summary="Imported outcomes")
@paginate(BoundedPageNumberPagination, page_size=100, max_page_size=1000)
def list_outcomes(request, org: str, period: str | None = None):
    scope = api_scope(request, org)
    require_manager(scope)
    qs = (
        Outcome.objects.filter(organisation=scope.organisation)
        .select_related("customer")
        .order_by("period_start", "pk")
    )
    if period:
        from .importing import period_parse

        parsed = period_parse(period)
        if parsed is None:
            raise Http404
        qs = qs.filter(period_start=parsed[0])
    return [
        {
            "customer_id": o.customer.external_id,
            "period_start": o.period_start,
            "period_end": o.period_end,
            "spend": o.spend,
            "services": o.services,
            "retained": o.retained,
            "recommended": o.recommended,
        }
        for o in qs
    ]


@router.get("/{org}/drivers", response=DriversOut, summary="Key drivers (Johnson's relative weights)")
def drivers(request, org: str, query: Query[DriverQuery]):
    scope = api_scope(request, org)
    if query.target not in selectors.TARGETS or query.kind not in selectors.PREDICTOR_KINDS:
        raise Http404
    unit = unit_for(scope=scope, unit_id=query.unit) if query.unit else None
    report = selectors.key_drivers(
        scope=scope, kind=query.kind, target=query.target, unit=unit, start=query.start, end=query.end
    )
    return {
        "target": report.target,
        "kind": report.kind,
        "n": report.n,
        "refused": report.refused,
        "r_squared": report.r_squared,
        "drivers": [
            {
                "name": r.label,
                "weight": r.driver.weight,
                "ci_low": r.driver.ci_low,
                "ci_high": r.driver.ci_high,
                "share": r.driver.share,
                "significant": r.driver.significant,
                "performance": r.performance,
                "fix_first": r.fix_first,
            }
            for r in report.rows
        ],
    }
