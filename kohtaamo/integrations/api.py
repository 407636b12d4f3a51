"""Webhooks and exports over the API (managers only)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kohtaamo.api.auth import api_scope
from kohtaamo.organisations.selectors import require_manager

from . import exports
from .models import Event, Webhook
from .services import webhook_create

router = Router(tags=["integrations"])


class WebhookIn(Schema):
    url: str
    events: list[str]


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    secret: str


def _manager_scope(request, org: str):
    scope = api_scope(request, org)
    require_manager(scope)
    return scope


@router.get("/{org}/webhooks", response=list[WebhookOut], summary="Webhooks")
def list_webhooks(request, org: str):
    return list(Webhook.objects.filter(organisation=_manager_scope(request, org).organisation))


@router.post("/{org}/webhooks", response={201: WebhookOut, 422: dict}, summary="Add a webhook")
def add_webhook(request, org: str, payload: WebhookIn):
    scope = _manager_scope(request, org)
    unknown = [e for e in payload.events if e not in Event.values]
    errors = [{"field": "events", "message": _("Unknown event “%(event)s”.") % {"event": e}} for e in unknown]
    if not payload.url.startswith(("https://", "http://")):
        errors.append({"field": "url", "message": _("The URL must start with https:// or http://.")})
    if errors or not payload.events:
        errors = errors or [{"field": "events", "message": _("Choose at least one event.")}]
        return Status(422, {"message": _("The request has errors."), "errors": errors})
    return Status(201, webhook_create(organisation=scope.organisation, url=payload.url, events=payload.events))


@router.get("/{org}/exports/responses.{fmt}", summary="Customers' responses and scores as CSV, XLSX or Parquet")
def export_responses(request, org: str, fmt: str):
    from .views import CONTENT_TYPES

    scope = _manager_scope(request, org)
    if fmt not in exports.FORMATS:
        return HttpResponse(status=404)
    response = HttpResponse(exports.export_bytes(scope=scope, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="responses.{fmt}"'
    return response
