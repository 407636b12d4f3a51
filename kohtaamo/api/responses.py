"""Responses API: submit one complete response with an idempotency key (kohtaamo.feedback.ingest).

201 stored; 200 the same submission again (the stored response, nothing new stored); 409 the key
was used for a different submission; 422 {"message", "errors": [{"field", "message"}]}.
The reply is sent only after the response has been committed.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Schema, Status

from kohtaamo.feedback.ingest import IdempotencyConflict, StoredResponse, SubmissionInvalid, response_ingest
from kohtaamo.organisations.selectors import require_manager

from .auth import api_scope
from .metrics import router

# GET /{org}/responses (the list) lives on the metrics router; a path is served by one router, so the
# submit joins that one rather than shadowing it from a second router.


class SubmissionIn(Schema):
    """Values are checked by the service, so that every problem comes back with its field."""

    idempotency_key: str | None = None
    round: int | str | None = None
    touchpoint: str | None = None
    encounter: str | None = None
    language: str | None = None
    respondent_role: str | None = None
    submitted_at: str | None = None
    answers: dict[str, Any] | None = None


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    message: str
    errors: list[FieldErrorOut]


class DimensionScoreOut(Schema):
    dimension: str
    mean: float
    score: float
    items_answered: int


class ResponseOut(Schema):
    id: int
    idempotency_key: UUID
    round: int
    status: str
    language: str
    respondent_role: str
    submitted_at: datetime
    encounter: int | None
    touchpoint: int | None
    nps: int | None
    csat: int | None
    ces: int | None
    eqi: float | None
    dimension_scores: list[DimensionScoreOut]


class ConflictOut(Schema):
    message: str
    response: int


def _body(stored: StoredResponse) -> dict:
    response = stored.response
    return {
        "id": response.pk,
        "idempotency_key": response.idempotency_key,
        "round": response.round_id,
        "status": response.status,
        "language": response.language,
        "respondent_role": response.respondent_role,
        "submitted_at": response.submitted_at,
        "encounter": response.encounter_id,
        "touchpoint": response.touchpoint_id,
        "nps": response.nps,
        "csat": response.csat,
        "ces": response.ces,
        "eqi": response.eqi,
        "dimension_scores": [
            {
                "dimension": stored.dimension_codes[row.dimension_id],
                "mean": row.mean,
                "score": row.score,
                "items_answered": row.items_answered,
            }
            for row in stored.scores
        ],
    }


@router.post(
    "/{org}/responses",
    response={200: ResponseOut, 201: ResponseOut, 409: ConflictOut, 422: ErrorOut},
    summary="Submit a complete response (idempotent with an Idempotency-Key)",
    tags=["responses"],
)
def submit_response(request, org: str, payload: SubmissionIn):
    scope = api_scope(request, org)
    require_manager(scope)
    try:
        stored = response_ingest(scope=scope, data=payload.dict(), header_key=request.headers.get("Idempotency-Key"))
    except SubmissionInvalid as invalid:
        errors = [{"field": e.field, "message": e.message} for e in invalid.errors]
        return Status(422, {"message": _("The request has errors."), "errors": errors})
    except IdempotencyConflict as conflict:
        message = _("This idempotency key was already used for a different response.")
        return Status(409, {"message": message, "response": conflict.response_id})
    return Status(201 if stored.created else 200, _body(stored))
