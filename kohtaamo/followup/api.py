"""Follow-up cases over the API: list (filter by status and unit, paginated) and one case."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kohtaamo.api.auth import api_scope
from kohtaamo.api.rows import BoundedPageNumberPagination

from . import selectors

router = Router(tags=["follow-up"])


class CaseOut(Schema):
    id: int
    response: int | None
    unit: int
    owner: str | None
    reasons: list[str]
    customer_requested: bool
    status: str
    opened_at: datetime
    deadline: datetime
    contacted_at: datetime | None
    closed_at: datetime | None
    outcome: str
    resolution: str
    root_cause: str | None
    escalation_level: int
    resurvey_nps: int | None


class CaseFilter(Schema):
    status: str | None = None
    unit: int | None = None


def _out(case) -> dict:
    return {
        "id": case.pk,
        "response": case.response_id,
        "unit": case.unit_id,
        "owner": case.owner.username if case.owner_id else None,
        "reasons": case.reasons,
        "customer_requested": case.customer_requested,
        "status": case.status,
        "opened_at": case.opened_at,
        "deadline": case.deadline,
        "contacted_at": case.contacted_at,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "resolution": case.resolution,
        "root_cause": case.root_cause.code if case.root_cause_id else None,
        "escalation_level": case.escalation_level,
        "resurvey_nps": case.resurvey_response.nps if case.resurvey_response_id else None,
    }


@router.get("/{org}/followup/cases", response=list[CaseOut], summary="Follow-up cases, newest first")
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=500)
def list_cases(request, org: str, filters: Query[CaseFilter]):
    qs = selectors.cases_visible(scope=api_scope(request, org)).select_related(
        "owner", "root_cause", "resurvey_response"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    return [_out(c) for c in qs.order_by("-opened_at", "-pk")]


@router.get("/{org}/followup/cases/{case_id}", response=CaseOut, summary="One follow-up case")
def get_case(request, org: str, case_id: int):
    return _out(selectors.case_for(scope=api_scope(request, org), case_id=case_id))
