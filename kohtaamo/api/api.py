"""The JSON API (OpenAPI docs at /api/v1/docs). Routers live in this app, one module per domain."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .auth import AUTH

api = NinjaAPI(title="Kohtaamo API", version="1", urls_namespace="api", auth=AUTH)


def _field_name(loc) -> str:
    # ("body", "payload", "external_id") -> "external_id"; list indices stay: "encounters.3.channel"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    return api.create_response(request, {"message": _("The request has errors."), "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja answers a body it cannot parse with 400 {"detail": ...}; give it the API's error shape.
    if exc.status_code == 400:
        errors = [{"field": "__all__", "message": _("The request body is not valid JSON.")}]
        return api.create_response(request, {"message": _("The request has errors."), "errors": errors}, status=422)
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"message": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(request, {"message": _("Authentication required.")}, status=401)


def _register_routers() -> None:
    from . import routers

    for prefix, router in routers.ROUTERS:
        api.add_router(prefix, router)


_register_routers()
