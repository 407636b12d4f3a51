"""Service paths over the API: structure, the live map figures, moments of truth and actual-path flows.

Filters are the map page's (JourneyFilterForm); an invalid one is a 422 with a message per field."""

from datetime import date

from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from kohtaamo.api.auth import api_scope

from .flows import path_flows
from .forms import JourneyFilterForm
from .selectors import journey_map, service_path_for, service_paths_visible, stages_with_touchpoints

router = Router(tags=["journeys"])


class EstimateOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    indicative: bool


class PersonaOut(Schema):
    id: int
    name: str
    description: str
    segments: list[str]


class TouchpointOut(Schema):
    id: int
    name: str
    channel: str
    owner_unit: int | None
    customer_value: str
    archived: bool


class StageOut(Schema):
    id: int
    name: str
    archived: bool
    touchpoints: list[TouchpointOut]


class ServicePathOut(Schema):
    id: int
    name: str
    description: str


class ServicePathDetailOut(ServicePathOut):
    stages: list[StageOut]
    personas: list[PersonaOut]


class JourneyQuery(Schema):
    start: date | None = None
    end: date | None = None
    persona: int | None = None
    segment: str | None = None
    metric: str | None = None


class CardOut(Schema):
    touchpoint: int
    name: str
    responses: int
    csat: EstimateOut | None
    eqi: EstimateOut | None
    nps: EstimateOut | None
    tone: str
    lowest: bool
    moment_of_truth: bool


class StageFiguresOut(Schema):
    stage: int
    name: str
    emotion: EstimateOut
    touchpoints: list[CardOut]


class DriverOut(Schema):
    touchpoint: int
    weight: float
    share: float
    ci_low: float
    ci_high: float
    beyond_noise: bool
    answered: int


class MapOut(Schema):
    service_path: int
    metric: str
    stages: list[StageFiguresOut]
    customers: int | None
    r_squared: float | None
    enough_for_drivers: bool
    moments_of_truth: list[DriverOut]


class CommonPathOut(Schema):
    touchpoints: list[int]
    customers: int
    share: float


class TouchpointFlowOut(Schema):
    touchpoint: int
    started: int
    ended: int


class FlowsOut(Schema):
    service_path: int
    customers: int
    common: list[CommonPathOut]
    rest_customers: int
    rest_share: float
    touchpoints: list[TouchpointFlowOut]


def _path(path) -> dict:
    return {"id": path.pk, "name": path.name, "description": path.description}


def _detail(obj) -> tuple[bool, str]:
    detail = getattr(obj, "journey_detail", None)
    return bool(detail and detail.archived), getattr(detail, "customer_value", "") if detail else ""


def _touchpoint(tp) -> dict:
    archived, value = _detail(tp)
    return {
        "id": tp.pk,
        "name": tp.name,
        "channel": tp.channel,
        "owner_unit": tp.owner_unit_id,
        "customer_value": value,
        "archived": archived,
    }


def _scope_path_filter(request, org: str, path_id: int, query: JourneyQuery):
    scope = api_scope(request, org)
    path = service_path_for(scope=scope, path_id=path_id)
    form = JourneyFilterForm(query.dict(exclude_none=True), scope=scope, service_path=path)
    if not form.is_valid():
        raise ValidationError(
            [{"loc": ("query", name), "msg": " ".join(messages)} for name, messages in form.errors.items()]
        )
    return scope, path, form.journey_filter()


@router.get("/{org}/service-paths", response=list[ServicePathOut], summary="Service paths")
def list_service_paths(request, org: str):
    return [_path(p) for p in service_paths_visible(scope=api_scope(request, org))]


@router.get(
    "/{org}/service-paths/{path_id}",
    response=ServicePathDetailOut,
    summary="A service path: stages, touchpoints, personas",
)
def get_service_path(request, org: str, path_id: int):
    path = service_path_for(scope=api_scope(request, org), path_id=path_id)
    return {
        **_path(path),
        "stages": [
            {
                "id": s.pk,
                "name": s.name,
                "archived": _detail(s)[0],
                "touchpoints": [_touchpoint(tp) for tp in s.touchpoints.all()],
            }
            for s in stages_with_touchpoints(service_path=path)
        ],
        "personas": [
            {"id": p.pk, "name": p.name, "description": p.description, "segments": p.segments}
            for p in path.personas.all()
        ],
    }


def _figure(card, key: str):
    estimate = card.figures.get(key)
    return estimate.as_dict() if estimate is not None else None


@router.get(
    "/{org}/service-paths/{path_id}/map",
    response=MapOut,
    summary="Live map: per touchpoint CSAT, EQI and NPS with n and CI; moments of truth",
)
def get_service_path_map(request, org: str, path_id: int, query: Query[JourneyQuery]):
    scope, path, filters = _scope_path_filter(request, org, path_id, query)
    journey = journey_map(scope=scope, service_path=path, filters=filters)
    drivers = journey.drivers
    return {
        "service_path": path.pk,
        "metric": filters.metric,
        "stages": [
            {
                "stage": column.stage.pk,
                "name": column.stage.name,
                "emotion": column.emotion.as_dict(),
                "touchpoints": [
                    {
                        "touchpoint": c.touchpoint.pk,
                        "name": c.touchpoint.name,
                        "responses": c.responses,
                        "csat": _figure(c, "csat"),
                        "eqi": _figure(c, "eqi"),
                        "nps": _figure(c, "nps"),
                        "tone": c.tone,
                        "lowest": c.lowest,
                        "moment_of_truth": c.moment_of_truth,
                    }
                    for c in column.cards
                ],
            }
            for column in journey.columns
        ],
        "customers": drivers.customers if drivers else None,
        "r_squared": drivers.r_squared if drivers else None,
        "enough_for_drivers": bool(drivers and drivers.enough),
        "moments_of_truth": [
            {
                "touchpoint": d.key,
                "weight": d.weight,
                "share": d.share,
                "ci_low": d.ci_low,
                "ci_high": d.ci_high,
                "beyond_noise": d.beyond_noise,
                "answered": d.answered,
            }
            for d in (drivers.moments_of_truth if drivers and drivers.enough else [])
        ],
    }


@router.get("/{org}/service-paths/{path_id}/flows", response=FlowsOut, summary="Actual paths customers took")
def get_service_path_flows(request, org: str, path_id: int, query: Query[JourneyQuery]):
    scope, path, filters = _scope_path_filter(request, org, path_id, query)
    flows = path_flows(scope=scope, service_path=path, filters=filters)
    touchpoints = [tp for stage in stages_with_touchpoints(service_path=path) for tp in stage.touchpoints.all()]
    return {
        "service_path": path.pk,
        "customers": flows.customers,
        "common": [
            {"touchpoints": list(c.touchpoints), "customers": c.customers, "share": c.share} for c in flows.common
        ],
        "rest_customers": flows.rest_customers,
        "rest_share": flows.rest_share,
        "touchpoints": [
            {"touchpoint": tp.pk, "started": flows.starts.get(tp.pk, 0), "ended": flows.ended_after(tp.pk)}
            for tp in touchpoints
        ],
    }
