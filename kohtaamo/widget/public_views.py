"""The two public endpoints a host page talks to: the script, and the answer POST (CORS, no cookies)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kohtaamo.security.ratelimit import client_address, rate_limit_hit, rate_retry_after

from .answers import (
    MAX_BODY_BYTES,
    AnswerKeyTaken,
    PayloadRefused,
    widget_answer_store,
    widget_payload_clean,
    widget_payload_parse,
)
from .script import widget_config, widget_script_silent, widget_script_source
from .selectors import widget_by_public_key, widget_is_live, widget_questions

SCRIPT_MAX_AGE_S = 300  # switching a widget off reaches host pages within five minutes
# (requests, window seconds); a deployment may set KOHTAAMO_WIDGET_RATE_LIMITS.
DEFAULT_RATE_LIMITS = {"address": (30, 600), "widget": (600, 600)}


def _script_response(body: str, *, status: int = 200, max_age: int = SCRIPT_MAX_AGE_S) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def widget_script(request, public_key: str):
    widget = widget_by_public_key(public_key=public_key)
    if widget is None:
        return _script_response(widget_script_silent("no such widget"), status=404, max_age=60)
    preview = request.GET.get("preview") == "1"  # the settings page: sends nothing, ignores the frequency cap
    questions = widget_questions(widget=widget)
    if questions.scale is None or not (preview or widget_is_live(widget=widget, questions=questions)):
        return _script_response(widget_script_silent("this feedback prompt is switched off"))
    # The address the snippet names (KOHTAAMO_BASE_URL), not the request's: right behind a TLS proxy too.
    endpoint = settings.KOHTAAMO_BASE_URL + reverse("widget_public:answer", kwargs={"public_key": widget.public_key})
    config = widget_config(widget=widget, questions=questions, endpoint=endpoint, preview=preview)
    return _script_response(widget_script_source(config=config), max_age=0 if preview else SCRIPT_MAX_AGE_S)


def _refusal(status: int, message: str, *, errors=(), headers: dict | None = None) -> JsonResponse:
    body = {"message": message, "errors": [{"field": e.field, "message": e.message} for e in errors]}
    return JsonResponse(body, status=status, headers=headers or {})


def _cors(origin: str) -> dict:
    # Echo only an allowed origin; never credentials (the widget sends no cookies).
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def _limits() -> dict:
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "KOHTAAMO_WIDGET_RATE_LIMITS", {})}


def _over_limit(*, key: str, name: str) -> int | None:
    """Count one request against a budget; Retry-After seconds (the rest of the window) when it is spent."""
    limit, window_s = _limits()[name]
    if rate_limit_hit(key=key, limit=limit, window_s=window_s):
        return rate_retry_after(window_s=window_s)
    return None


def _too_many(retry_after: int, cors: dict) -> JsonResponse:
    message = _("Too many answers. Please wait a moment and try again.")
    return _refusal(429, message, headers={"Retry-After": str(retry_after), **cors})


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_BODY_BYTES + 1


@csrf_exempt  # a JSON endpoint for other sites' pages; it reads no cookies, so there is nothing to forge
def widget_answer(request, public_key: str):
    widget = widget_by_public_key(public_key=public_key)
    if widget is None:
        return _refusal(404, _("There is no such feedback widget."))
    origin = request.headers.get("Origin", "")
    cors = _cors(origin) if origin in widget.allowed_origins else {}
    if request.method == "OPTIONS":
        if not cors:
            return _refusal(403, _("This site may not send answers to this feedback widget."))
        preflight = HttpResponse(status=204, headers=cors)
        preflight["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        preflight["Access-Control-Allow-Headers"] = "Content-Type"
        preflight["Access-Control-Max-Age"] = "600"
        return preflight
    if request.method != "POST":
        return _refusal(405, _("Send answers with POST."), headers={"Allow": "POST, OPTIONS", **cors})
    # Every caller's address has its own budget, refused requests included: one address cannot flood.
    retry_after = _over_limit(key=f"widget-answer:address:{client_address(request)}", name="address")
    if retry_after is not None:
        return _too_many(retry_after, cors)
    # The cheap refusals come before the widget's shared budget, so that pages of other sites (or
    # requests for a switched-off widget) cannot spend it and lock out the real visitors.
    if not cors:
        return _refusal(403, _("This site may not send answers to this feedback widget."))
    questions = widget_questions(widget=widget)
    if not widget_is_live(widget=widget, questions=questions):
        return _refusal(403, _("This feedback prompt is switched off."), headers=cors)
    if _content_length(request) > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        message = _("The answer is too large (at most %(max)d bytes).") % {"max": MAX_BODY_BYTES}
        return _refusal(413, message, headers=cors)
    retry_after = _over_limit(key=f"widget-answer:{widget.pk}", name="widget")
    if retry_after is not None:
        return _too_many(retry_after, cors)
    try:
        payload = widget_payload_parse(body=request.body, content_type=request.content_type or "")
        submission = widget_payload_clean(payload=payload, questions=questions)
        response, created = widget_answer_store(
            widget=widget, questions=questions, submission=submission, origin=origin
        )
    except PayloadRefused as refused:
        return _refusal(refused.status, refused.message, errors=refused.errors, headers=cors)
    except AnswerKeyTaken:
        return _refusal(409, _("This answer key is already used. Make a new key for each answer."), headers=cors)
    status = 201 if created else 200
    body = {"status": "stored" if created else "already stored", "message": _("Thank you for your feedback!")}
    return JsonResponse(body, status=status, headers=cors)
