"""Encounters API: create one or a batch (invitations follow as with the CSV import), list them.

Validation is the CSV import's (kohtaamo.feedback.intake); errors come back as 422
{"message": ..., "errors": [{"field": ..., "message": ...}]} in the caller's language.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kohtaamo.api.rows import BoundedPageNumberPagination
from kohtaamo.feedback.intake import EncounterDataInvalid, IntakeError, encounter_create, encounters_create
from kohtaamo.feedback.models import Encounter
from kohtaamo.feedback.selectors import encounters_visible
from kohtaamo.organisations.selectors import require_manager

from .auth import api_scope

router = Router(tags=["encounters"])
MAX_BATCH = 1000


class EncounterIn(Schema):
    """Values as in the CSV import; every field is checked by the import's rules."""

    external_id: str | None = None
    occurred_at: str | None = None
    unit: str | None = None
    channel: str | None = None
    person: str | None = None
    touchpoint: str | None = None
    customer_id: str | None = None
    customer_email: str | None = None
    customer_language: str | None = None
    consent: bool | str | None = None
    transcript: str | None = None


class EncounterBatchIn(Schema):
    encounters: list[EncounterIn]


class EncounterCreatedOut(Schema):
    id: int
    external_id: str
    invited: bool


class EncounterBatchOut(Schema):
    created: int
    invited: int
    encounters: list[EncounterCreatedOut]


class FieldErrorOut(Schema):
    field: str
    message: str
    index: int | None = None


class ErrorOut(Schema):
    message: str
    errors: list[FieldErrorOut]


class EncounterOut(Schema):
    id: int
    external_id: str
    occurred_at: datetime
    unit_id: int
    unit_name: str
    channel: str
    person_id: int | None
    touchpoint_id: int | None
    customer: str | None

    @staticmethod
    def resolve_unit_name(obj: Encounter) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_customer(obj: Encounter) -> str | None:
        return obj.customer.external_id if obj.customer else None


def _created(encounter: Encounter) -> dict:
    return {"id": encounter.pk, "external_id": encounter.external_id, "invited": encounter.invitation is not None}


def _error_body(errors: list[IntakeError], *, batch: bool) -> dict:
    return {
        "message": _("The request has errors."),
        "errors": [
            {"field": f"encounters.{e.row}.{e.field}", "message": e.message, "index": e.row}
            if batch
            else {"field": e.field, "message": e.message}
            for e in errors
        ],
    }


@router.post(
    "/{org}/encounters",
    response={201: EncounterCreatedOut, 422: ErrorOut},
    summary="Create an encounter",
    exclude_none=True,
)
def create_encounter(request, org: str, payload: EncounterIn):
    scope = api_scope(request, org)
    require_manager(scope)
    try:
        encounter = encounter_create(organisation=scope.organisation, data=payload.dict())
    except EncounterDataInvalid as exc:
        return Status(422, _error_body(exc.errors, batch=False))
    return Status(201, _created(encounter))


@router.post(
    "/{org}/encounters/batch",
    response={201: EncounterBatchOut, 422: ErrorOut},
    summary="Create encounters, all or none",
)
def create_encounter_batch(request, org: str, payload: EncounterBatchIn):
    scope = api_scope(request, org)
    require_manager(scope)
    if not payload.encounters or len(payload.encounters) > MAX_BATCH:
        message = _("Send between 1 and %(max)d encounters per batch.") % {"max": MAX_BATCH}
        return Status(
            422, {"message": _("The request has errors."), "errors": [{"field": "encounters", "message": message}]}
        )
    try:
        encounters = encounters_create(organisation=scope.organisation, items=[e.dict() for e in payload.encounters])
    except EncounterDataInvalid as exc:
        return Status(422, _error_body(exc.errors, batch=True))
    created = [_created(e) for e in encounters]
    return Status(201, {"created": len(created), "invited": sum(c["invited"] for c in created), "encounters": created})


@router.get("/{org}/encounters", response=list[EncounterOut], summary="List encounters, newest first")
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=500)
def list_encounters(request, org: str):
    return encounters_visible(scope=api_scope(request, org))
