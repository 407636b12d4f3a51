"""Organisation set-up visible to the caller: units (their subtree), people (their scope) and touchpoints."""

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kohtaamo.organisations.selectors import people_visible, touchpoints_visible, units_visible

from .auth import api_scope
from .rows import BoundedPageNumberPagination, PagedRows

router = Router(tags=["organisation"])


class UnitOut(Schema):
    id: int
    parent: int | None
    name: str
    kind: str
    code: str


class PersonOut(Schema):
    id: int
    name: str
    unit: int
    title: str
    external_id: str
    active: bool


class PeopleFilter(Schema):
    unit: int | None = None
    active: bool | None = None


class TouchpointOut(Schema):
    id: int
    name: str
    code: str
    channel: str
    stage: int
    service_path: int
    owner_unit: int | None


@router.get("/{org}/units", response=list[UnitOut], summary="Units the caller sees (their subtree)")
def list_units(request, org: str):
    units = units_visible(scope=api_scope(request, org)).order_by("path")
    return [
        {"id": u.pk, "parent": u.parent_id, "name": u.name, "kind": u.kind, "code": u.code} for u in units.distinct()
    ]


def _person(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "unit": p.unit_id,
        "title": p.title,
        "external_id": p.external_id,
        "active": p.active,
    }


@router.get("/{org}/people", response=list[PersonOut], summary="People the caller sees")
@paginate(BoundedPageNumberPagination, page_size=100, max_page_size=500)
def list_people(request, org: str, filters: Query[PeopleFilter]):
    people = people_visible(scope=api_scope(request, org))
    if filters.unit:
        people = people.filter(unit_id=filters.unit)
    if filters.active is not None:
        people = people.filter(active=filters.active)
    return PagedRows(people.order_by("name", "pk"), _person)


@router.get("/{org}/touchpoints", response=list[TouchpointOut], summary="Touchpoints the caller sees")
def list_touchpoints(request, org: str):
    touchpoints = touchpoints_visible(scope=api_scope(request, org)).order_by(
        "stage__service_path", "stage__order", "order", "pk"
    )
    return [
        {
            "id": t.pk,
            "name": t.name,
            "code": t.code,
            "channel": t.channel,
            "stage": t.stage_id,
            "service_path": t.stage.service_path_id,
            "owner_unit": t.owner_unit_id,
        }
        for t in touchpoints
    ]
