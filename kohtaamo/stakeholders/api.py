"""The side-by-side view over the API: the same cells as the page and the CSV, so the same threshold rule."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from kohtaamo.api.auth import api_scope

from .periods import period_containing, period_parse
from .presentation import side_by_side_data
from .selectors import require_viewer, side_by_side

router = Router(tags=["stakeholders"])


class StakeholderCellOut(Schema):
    # A hidden cell carries nothing but hidden=true and why: not even its n leaves the server.
    hidden: bool
    hidden_reason: str  # "", below_threshold, or protects_other_unit (enough answers, hidden against subtraction)
    n: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    indicative: bool | None


class StakeholderAudienceOut(Schema):
    responses: StakeholderCellOut
    eqi: StakeholderCellOut
    elements: dict[str, StakeholderCellOut]


class StakeholderUnitOut(Schema):
    unit: int
    name: str
    parent: int | None
    audiences: dict[str, StakeholderAudienceOut]


class SideBySideOut(Schema):
    period: str
    period_start: datetime
    period_end: datetime
    threshold: int
    audiences: list[str]
    units: list[StakeholderUnitOut]


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    message: str
    errors: list[FieldErrorOut]


@router.get(
    "/{org}/stakeholders/side-by-side",
    response={200: SideBySideOut, 422: ErrorOut},
    summary="Per unit: customers, partners and internal customers on EQI and the five elements",
)
def stakeholders_side_by_side(request, org: str, period: str = ""):
    """`period` is a quarter like 2026-Q3 (default: the current one). Partner and internal-customer
    cells follow the threshold rule; a hidden cell is {"hidden": true, "hidden_reason": …} and nothing else."""
    scope = api_scope(request, org)
    require_viewer(scope)
    time_zone = scope.organisation.time_zone
    chosen = (
        period_parse(period, time_zone=time_zone)
        if period
        else period_containing(moment=timezone.now(), time_zone=time_zone)
    )
    if chosen is None:
        message = _("Give a quarter like 2026-Q3.")
        return Status(
            422, {"message": _("The request has errors."), "errors": [{"field": "period", "message": message}]}
        )
    return Status(200, side_by_side_data(side_by_side(scope=scope, period=chosen)))
