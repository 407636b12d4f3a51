"""The staff member's own page: answer the pulse once through the personal link (no login)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kohtaamo.instruments.models import pick_language
from kohtaamo.organisations.models import Language
from kohtaamo.security.ratelimit import rate_limited

from .items import SCALE_MAX, SCALE_MIN
from .models import StaffPulseItem
from .services import (
    COMMENT_MAX_LENGTH,
    AlreadyAnswered,
    PeriodClosed,
    invitation_by_token,
    period_accepts_answers,
    staff_pulse_answer,
)

LANGUAGE_CODES = [code for code, _label in Language.choices]


def _language(request: HttpRequest, fallback: str) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang") or ""
    return chosen if chosen in LANGUAGE_CODES else fallback


def _render(request, template: str, context: dict, *, language: str, status: int = 200) -> HttpResponse:
    translation.activate(language)
    context["language_links"] = [
        {"code": code, "name": Language(code).label, "url": f"{request.path}?lang={code}", "current": code == language}
        for code in LANGUAGE_CODES
    ]
    context["LANGUAGE_CODE"] = language
    return render(request, template, context, status=status)


def _scale_labels() -> list[tuple[int, str]]:
    labels = {
        1: _("Strongly disagree"),
        2: _("Disagree"),
        3: _("Neither agree nor disagree"),
        4: _("Agree"),
        5: _("Strongly agree"),
    }
    return [(value, labels[value]) for value in range(SCALE_MIN, SCALE_MAX + 1)]


def _form_context(invitation, *, language: str, values: dict, comment: str, errors: dict) -> dict:
    items = StaffPulseItem.objects.filter(organisation_id=invitation.organisation_id).order_by("order")
    scale = _scale_labels()
    fields, comment_item = [], None
    for number, item in enumerate(items, start=1):
        if item.kind == StaffPulseItem.Kind.COMMENT:
            comment_item = {"number": number, "text": pick_language(item.texts, language)}
            continue
        fields.append(
            {
                "number": number,
                "name": item.code,
                "text": pick_language(item.texts, language),
                "errors": errors.get(item.code, []),
                "options": [
                    {"value": v, "label": label, "checked": str(v) == values.get(item.code), "id": f"{item.code}-{v}"}
                    for v, label in scale
                ],
            }
        )
    return {
        "organisation": invitation.organisation,
        "period": invitation.period,
        "fields": fields,
        "comment_item": comment_item,
        "comment": comment,
        "comment_errors": errors.get("comment", []),
        "comment_max": COMMENT_MAX_LENGTH,
        "has_errors": bool(errors),
        "language": language,
    }


def _notice(request, *, notice: str, language: str, organisation=None, status: int = 200) -> HttpResponse:
    return _render(
        request,
        "staffexperience/notice.html",
        {"notice": notice, "organisation": organisation},
        language=language,
        status=status,
    )


@require_http_methods(["GET", "POST"])
@rate_limited(scope="staff_pulse_answer", limit=20, window_s=60)
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        language = _language(request, translation.get_language_from_request(request)[:2])
        return _notice(request, notice="invalid", language=language, status=404)
    organisation = invitation.organisation
    language = _language(request, invitation.language)
    if invitation.answered:
        notice = "thanks" if request.GET.get("done") and request.method == "GET" else "already"
        status = 409 if request.method == "POST" else 200
        return _notice(request, notice=notice, language=language, organisation=organisation, status=status)
    if not period_accepts_answers(period=invitation.period, now=timezone.now()):
        return _notice(request, notice="closed", language=language, organisation=organisation)
    values, comment, errors, status = {}, "", {}, 200
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in request.POST}
        comment = request.POST.get("comment", "")
        translation.activate(language)  # error messages in the page's language
        try:
            staff_pulse_answer(invitation=invitation, values=values, comment=comment)
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        except AlreadyAnswered:
            return _notice(request, notice="already", language=language, organisation=organisation, status=409)
        except PeriodClosed:
            return _notice(request, notice="closed", language=language, organisation=organisation, status=410)
        else:
            url = reverse("staff_pulse:answer", kwargs={"token": token})
            response = HttpResponseRedirect(f"{url}?done=1&lang={language}")
            response.status_code = 303
            return response
    context = _form_context(invitation, language=language, values=values, comment=comment, errors=errors)
    return _render(request, "staffexperience/answer.html", context, language=language, status=status)
