"""Dashboard figures over the API: the same filters, scope and numbers as the pages."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from kohtaamo.analytics import selectors
from kohtaamo.analytics.forms import DashboardFilterForm
from kohtaamo.analytics.metrics import Estimate

from .auth import api_scope
from .rows import MAX_PAGE

router = Router(tags=["metrics"])


class FilterQuery(Schema):
    unit: str | None = None
    person: str | None = None
    channel: str | None = None
    touchpoint: str | None = None
    start: str | None = None
    end: str | None = None


class TrendQuery(FilterQuery):
    granularity: str | None = None


class BreakdownQuery(FilterQuery):
    by: str | None = None


class ResponsesQuery(FilterQuery):
    page: int = Field(1, ge=1, le=MAX_PAGE)


class EstimateOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    indicative: bool


class TrendPointOut(Schema):
    period: date
    label: str
    responses: int
    metrics: dict[str, EstimateOut]


class BreakdownRowOut(Schema):
    key: str | None
    label: str
    responses: int
    metrics: dict[str, EstimateOut]


class BreakdownOut(Schema):
    by: str
    unit: int | None
    rows: list[BreakdownRowOut]


class ResponseSummaryOut(Schema):
    id: int
    submitted_at: datetime
    unit: int | None
    person: int | None
    channel: str
    touchpoint: int | None
    language: str
    nps: int | None
    csat: int | None
    ces: int | None
    eqi: float | None
    comment: str


class ResponsePageOut(Schema):
    count: int
    page: int
    num_pages: int
    results: list[ResponseSummaryOut]


class AnswerOut(Schema):
    question: str
    value: int | None
    text: str
    scale_min: int | None
    scale_max: int | None


class DimensionScoreOut(Schema):
    dimension: str
    mean: float
    score: float
    items_answered: int


class ResponseDetailOut(ResponseSummaryOut):
    answers: list[AnswerOut]
    dimension_scores: list[DimensionScoreOut]


def _scope_and_form(request, org: str, query: FilterQuery) -> tuple:
    """Resolve the caller's scope and validate the filters; 422 with a message per field."""
    scope = api_scope(request, org)
    form = DashboardFilterForm(query.dict(exclude_none=True), scope=scope, default_period="custom")
    if not form.is_valid():
        raise ValidationError(
            [{"loc": ("query", name), "msg": " ".join(messages)} for name, messages in form.errors.items()]
        )
    return scope, form


def _metrics(figures: dict[str, Estimate]) -> dict[str, dict]:
    return {key: estimate.as_dict() for key, estimate in figures.items()}


def _summary(response, scope) -> dict:
    person = selectors.shown_person(scope=scope, person=response.subject_person)
    return {
        "id": response.pk,
        "submitted_at": response.submitted_at,
        "unit": response.unit_id,
        "person": person.pk if person else None,
        "channel": response.channel,
        "touchpoint": response.touchpoint_id,
        "language": response.language,
        "nps": response.nps,
        "csat": response.csat,
        "ces": response.ces,
        "eqi": response.eqi,
        "comment": getattr(response, "comment", None) or "",
    }


@router.get("/{org}/metrics", response=dict[str, EstimateOut], summary="Figures with n and 95 % CI")
def metrics_overview(request, org: str, filters: Query[FilterQuery]):
    scope, form = _scope_and_form(request, org, filters)
    return _metrics(selectors.overview(scope=scope, filters=form.dashboard_filter()))


@router.get("/{org}/metrics/trend", response=list[TrendPointOut], summary="Figures per period")
def metrics_trend(request, org: str, filters: Query[TrendQuery]):
    scope, form = _scope_and_form(request, org, filters)
    points = selectors.trend(scope=scope, filters=form.dashboard_filter())
    return [
        {"period": p.period, "label": p.label, "responses": p.responses, "metrics": _metrics(p.figures)} for p in points
    ]


@router.get(
    "/{org}/metrics/breakdown", response=BreakdownOut, summary="Figures per unit, person, channel or touchpoint"
)
def metrics_breakdown(request, org: str, filters: Query[BreakdownQuery]):
    scope, form = _scope_and_form(request, org, filters)
    result = selectors.breakdown(scope=scope, filters=form.dashboard_filter(), by=form.breakdown_by)
    return {
        "by": result.by,
        "unit": result.anchor.pk if result.anchor else None,
        "rows": [
            {
                "key": None if row.key is None else str(row.key),
                "label": row.label,
                "responses": row.responses,
                "metrics": _metrics(row.figures),
            }
            for row in result.rows
        ],
    }


@router.get("/{org}/responses", response=ResponsePageOut, summary="Submitted responses, newest first")
def responses_list(request, org: str, filters: Query[ResponsesQuery]):
    scope, form = _scope_and_form(request, org, filters)
    page = selectors.responses_page(scope=scope, filters=form.dashboard_filter(), page=filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "num_pages": page.paginator.num_pages,
        "results": [_summary(response, scope) for response in page.object_list],
    }


@router.get("/{org}/responses/{response_id}", response=ResponseDetailOut, summary="One response with its answers")
def response_detail(request, org: str, response_id: int):
    scope = api_scope(request, org)
    detail = selectors.response_detail(scope=scope, response_id=response_id)
    comment = next((answer.text for answer in detail.answers if answer.text), "")
    return {
        **_summary(detail.response, scope),
        "comment": comment,
        "answers": [vars(answer) for answer in detail.answers],
        "dimension_scores": [
            {
                "dimension": score.dimension.code,
                "mean": score.mean,
                "score": score.score,
                "items_answered": score.items_answered,
            }
            for score in detail.dimension_scores
        ],
    }
