"""The public respondent page. The token in the address is the respondent's only credential and
carries the tenant; the views only resolve it, pick the language and call responding.py."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from kohtaamo.instruments.models import Questionnaire, pick_language
from kohtaamo.organisations.models import Language, Organisation

from .models import Invitation, OpenLink, RespondentRole, Response
from .respondent_forms import (
    COMMENT_MAX_LENGTH,
    KEY_FIELD,
    field_name,
    progress_of,
    raw_answers_from,
    survey_fields,
)
from .responding import (
    ResponseAlreadySubmitted,
    ResponseKeyMismatch,
    answer_save,
    response_open_for_invitation,
    response_open_for_link,
    response_submit,
)
from .selectors import (
    invitation_accepts_answers,
    invitation_by_token,
    open_link_accepts_answers,
    open_link_by_token,
    response_answer_values,
    response_of_invitation,
    response_of_open_link,
    response_questions,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
OPEN_LINK_COOKIE_SALT = "kohtaamo.respond.open_link"
OPEN_LINK_COOKIE_AGE = 30 * 24 * 3600


@dataclass(frozen=True)
class Entry:
    """A way in to the survey: an invitation's personal link or a touchpoint's open link."""

    kind: str  # "invitation" or "open_link": the stem of its URL names
    token: str

    def url(self, suffix: str = "") -> str:
        return reverse(f"respond:{self.kind}{suffix}", args=[self.token])

    def thanks_url(self, language: str) -> str:
        return f"{self.url('_thanks')}?lang={language}"


Source = Invitation | OpenLink


# Language: an explicit ?lang= choice, else what the response or invitation says, else the browser.


def _chosen_language(request: HttpRequest) -> str | None:
    language = request.GET.get("lang", "")
    return language if language in LANGUAGE_CODES else None


def _browser_language(request: HttpRequest) -> str:
    return translation.get_language_from_request(request)[:2]


def _render(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    language: str,
    organisation: Organisation | None = None,
    status: int = 200,
) -> HttpResponse:
    translation.activate(language)
    language_links = [
        {"code": code, "name": Language(code).label, "url": f"{request.path}?lang={code}", "current": code == language}
        for code in LANGUAGE_CODES
    ]
    context = {"organisation": organisation, "language_links": language_links, **context}
    return render(request, template, context, status=status)


def _notice(
    request: HttpRequest,
    *,
    notice: str,
    language: str,
    organisation: Organisation | None = None,
    entry: Entry | None = None,
    status: int = 200,
    contact_url: str = "",
) -> HttpResponse:
    """A one-message page: invalid, closed, already answered, thanks, or out of date."""
    context = {
        "notice": notice,
        "contact_url": contact_url,
        "entry_url": f"{entry.url()}?lang={language}" if entry else "",
        # An unknown link has no language of its own: say it in every language, the likeliest first.
        "notice_languages": [language, *(code for code in LANGUAGE_CODES if code != language)],
    }
    return _render(
        request, "feedback/respond/notice.html", context, language=language, organisation=organisation, status=status
    )


def _invalid_link(request: HttpRequest) -> HttpResponse:
    language = _chosen_language(request) or _browser_language(request)
    return _notice(request, notice="invalid", language=language, status=404)


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # the browser GETs the thank-you page; a reload there re-posts nothing
    return response


def _survey(
    request: HttpRequest,
    *,
    entry: Entry,
    source: Source,
    response: Response,
    values: dict[int, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    questions = response_questions(response=response)
    shown = response_answer_values(response=response) if values is None else values
    errors = errors or {}
    language = response.language
    fields = survey_fields(questions=questions, language=language, values=shown, errors=errors)
    # The draft keeps the questionnaire version it was opened with, even if the round moved on.
    same_version = source.round.questionnaire_id == response.questionnaire_id
    questionnaire = source.round.questionnaire if same_version else response.questionnaire
    context = {
        "entry": entry,
        "response": response,
        "title": pick_language(questionnaire.names, language),
        "intro": pick_language(questionnaire.intros, language),
        "fields": fields,
        "error_fields": [f for f in fields if f.errors],
        # A refused value does not count as answered.
        "progress": progress_of(
            questions=questions, values={qid: value for qid, value in shown.items() if field_name(qid) not in errors}
        ),
        "key_field": KEY_FIELD,
        "submit_url": entry.url(),
        "answer_url": entry.url("_answer"),
        "comment_max": COMMENT_MAX_LENGTH,
    }
    return _render(
        request,
        "feedback/respond/survey.html",
        context,
        language=language,
        organisation=source.organisation,
        status=status,
    )


def _submit(request: HttpRequest, *, entry: Entry, source: Source, response: Response | None) -> HttpResponse:
    if response is None:
        language = _chosen_language(request) or _browser_language(request)
        return _notice(
            request, notice="stale", language=language, organisation=source.organisation, entry=entry, status=409
        )
    translation.activate(response.language)  # validation messages in the respondent's language
    raw_answers = raw_answers_from(request.POST)
    try:
        submitted = response_submit(response=response, key=request.POST.get(KEY_FIELD, ""), raw_answers=raw_answers)
    except ResponseKeyMismatch:
        return _notice(
            request,
            notice="stale",
            language=response.language,
            organisation=source.organisation,
            entry=entry,
            status=409,
        )
    except ValidationError as error:
        return _survey(
            request,
            entry=entry,
            source=source,
            response=response,
            values=raw_answers,
            errors=error.message_dict,
            status=400,
        )
    return _see_other(entry.thanks_url(submitted.language))


def _answer_fragment(
    request: HttpRequest,
    *,
    response: Response | None,
    name: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The refreshed progress (with any error) and, out of band, the answered field's message."""
    progress = None
    if response is not None:
        progress = progress_of(
            questions=response_questions(response=response), values=response_answer_values(response=response)
        )
    context = {"progress": progress, "progress_error": error, "field_error_id": f"{name}-error" if name else ""}
    return render(request, "feedback/respond/_answer_result.html", context, status=status)


def _answer(request: HttpRequest, *, entry: Entry, response: Response | None) -> HttpResponse:
    stale = _("This page is out of date. Reload the page to continue.")
    if response is None:
        return _answer_fragment(request, response=None, error=stale, status=409)
    translation.activate(response.language)
    raw_answers = raw_answers_from(request.POST)
    if len(raw_answers) != 1:
        return _answer_fragment(request, response=response, error=_("Send one answer at a time."), status=400)
    [(question_id, raw_value)] = raw_answers.items()
    name = field_name(question_id)
    try:
        answer_save(
            response=response, key=request.POST.get(KEY_FIELD, ""), question_id=question_id, raw_value=raw_value
        )
    except ResponseAlreadySubmitted:
        return HttpResponseClientRedirect(entry.thanks_url(response.language))
    except ResponseKeyMismatch:
        return _answer_fragment(request, response=None, error=stale, status=409)
    except ValidationError as error:
        return _answer_fragment(request, response=response, name=name, error=" ".join(error.messages), status=400)
    return _answer_fragment(request, response=response, name=name)


def _answer_to_invalid_link(request: HttpRequest) -> HttpResponse:
    translation.activate(_browser_language(request))
    return _answer_fragment(request, response=None, error=_("This link is not valid."), status=404)


# Invitations: /r/<token>/


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return _invalid_link(request)
    entry = Entry("invitation", token)
    response = response_of_invitation(invitation=invitation)
    if response is not None and response.status == Response.Status.SUBMITTED:
        if request.method == "POST":  # a double click, a retry or a stale tab: nothing new is stored
            return _see_other(entry.thanks_url(response.language))
        language = _chosen_language(request) or response.language
        return _notice(request, notice="already", language=language, organisation=invitation.organisation)
    if not invitation_accepts_answers(invitation=invitation):
        language = _chosen_language(request) or (response.language if response else invitation.language)
        return _notice(request, notice="closed", language=language, organisation=invitation.organisation, status=410)
    if request.method == "POST":
        return _submit(request, entry=entry, source=invitation, response=response)
    response = response_open_for_invitation(invitation=invitation, language=_chosen_language(request))
    return _survey(request, entry=entry, source=invitation, response=response)


@never_cache
@require_POST
def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return _answer_to_invalid_link(request)
    entry = Entry("invitation", token)
    response = response_of_invitation(invitation=invitation)
    is_draft = response is not None and response.status == Response.Status.DRAFT
    if is_draft and not invitation_accepts_answers(invitation=invitation):
        return _answer_fragment(request, response=None, error=_("This survey has closed."), status=410)
    return _answer(request, entry=entry, response=response)


@never_cache
@require_GET
def invitation_thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return _invalid_link(request)
    response = response_of_invitation(invitation=invitation)
    if response is None or response.status != Response.Status.SUBMITTED:
        return redirect(Entry("invitation", token).url())
    language = _chosen_language(request) or response.language
    # A customer may ask to be contacted about what they told us (the follow-up loop), or ask not to be.
    # Not a customer rating an employee in a 360 round or answering a maturity survey: no case follows those.
    pulse = invitation.round.questionnaire.kind == Questionnaire.Kind.PULSE  # as Response.customer_feedback()
    feedback = response.respondent_role == RespondentRole.CUSTOMER and pulse
    contact_url = reverse("followup_public:contact", args=[token]) if feedback else ""
    return _notice(
        request, notice="thanks", language=language, organisation=invitation.organisation, contact_url=contact_url
    )


# Open links for a touchpoint (QR codes): /t/<token>/. A signed cookie remembers this visitor's draft.


def _open_link_cookie(open_link: OpenLink) -> str:
    return f"kohtaamo_respond_{open_link.pk}"


def _remembered_response_id(request: HttpRequest, open_link: OpenLink) -> int | None:
    value = request.get_signed_cookie(
        _open_link_cookie(open_link), default=None, salt=OPEN_LINK_COOKIE_SALT, max_age=OPEN_LINK_COOKIE_AGE
    )
    return int(value) if value and value.isdigit() else None


@never_cache
@require_http_methods(["GET", "POST"])
def open_link_page(request: HttpRequest, token: str) -> HttpResponse:
    open_link = open_link_by_token(token=token)
    if open_link is None:
        return _invalid_link(request)
    entry = Entry("open_link", token)
    if not open_link_accepts_answers(open_link=open_link):
        language = _chosen_language(request) or _browser_language(request)
        return _notice(request, notice="closed", language=language, organisation=open_link.organisation, status=410)
    if request.method == "POST":
        response = response_of_open_link(open_link=open_link, key=request.POST.get(KEY_FIELD, ""))
        if response is not None and response.status == Response.Status.SUBMITTED:
            return _see_other(entry.thanks_url(response.language))
        return _submit(request, entry=entry, source=open_link, response=response)
    response = response_open_for_link(
        open_link=open_link,
        response_id=_remembered_response_id(request, open_link),
        language=_chosen_language(request),
        default_language=_browser_language(request),
    )
    page = _survey(request, entry=entry, source=open_link, response=response)
    page.set_signed_cookie(
        _open_link_cookie(open_link),
        str(response.pk),
        salt=OPEN_LINK_COOKIE_SALT,
        max_age=OPEN_LINK_COOKIE_AGE,
        path=entry.url(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return page


@never_cache
@require_POST
def open_link_answer(request: HttpRequest, token: str) -> HttpResponse:
    open_link = open_link_by_token(token=token)
    if open_link is None:
        return _answer_to_invalid_link(request)
    if not open_link_accepts_answers(open_link=open_link):
        return _answer_fragment(request, response=None, error=_("This survey has closed."), status=410)
    response = response_of_open_link(open_link=open_link, key=request.POST.get(KEY_FIELD, ""))
    return _answer(request, entry=Entry("open_link", token), response=response)


@never_cache
@require_GET
def open_link_thanks(request: HttpRequest, token: str) -> HttpResponse:
    open_link = open_link_by_token(token=token)
    if open_link is None:
        return _invalid_link(request)
    language = _chosen_language(request) or _browser_language(request)
    return _notice(request, notice="thanks", language=language, organisation=open_link.organisation)
