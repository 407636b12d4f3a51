"""The personal-data audit log: one entry per page, export or API call that shows personal data.

Views elsewhere are audited without touching them: `AuditMiddleware` looks the resolved URL name up in
`AUDITED_ROUTES` and writes one entry for each successful (2xx) answer. `audited` does the same as a
decorator for views that prefer to say it themselves; `audit_record` is the call for services.
"""

from dataclasses import dataclass
from functools import wraps
from ipaddress import ip_address

from django.http import HttpRequest, HttpResponse

from kohtaamo.organisations.models import Organisation
from kohtaamo.security.ratelimit import client_address

from .models import AuditEntry

Action = AuditEntry.Action


@dataclass(frozen=True)
class AuditedRoute:
    action: str
    object_type: str
    id_kwarg: str | None = None  # the URL argument that names the object; None for lists


def _route(action: str, object_type: str, id_kwarg: str | None = None) -> AuditedRoute:
    return AuditedRoute(action, object_type, id_kwarg)


# URL name -> what a successful request to it shows. Lists and exports name no single object.
AUDITED_ROUTES: dict[str, AuditedRoute] = {
    # dashboard drill-down and per-person results
    "analytics:responses": _route(Action.VIEW, "feedback.response"),
    "analytics:response": _route(Action.VIEW, "feedback.response", "response_id"),
    "analytics:person": _route(Action.VIEW, "organisations.person", "person_id"),
    # 360 individual reports
    "assessments:report": _route(Action.VIEW, "assessments.participant", "participant_id"),
    "assessments:report_pdf": _route(Action.EXPORT, "assessments.participant", "participant_id"),
    "assessments:report_csv": _route(Action.EXPORT, "assessments.participant", "participant_id"),
    # mystery shopping: visits, QA, evidence, exports
    "mystery:visit": _route(Action.VIEW, "mystery.report", "report_id"),
    "mystery:qa_review": _route(Action.VIEW, "mystery.report", "report_id"),
    "mystery:evidence": _route(Action.VIEW, "mystery.evidence", "evidence_id"),
    "mystery:shoppers": _route(Action.VIEW, "mystery.shopper"),
    "mystery:report_pdf": _route(Action.EXPORT, "mystery.report"),
    "mystery:report_csv": _route(Action.EXPORT, "mystery.report"),
    "mystery:report_xlsx": _route(Action.EXPORT, "mystery.report"),
    "mystery:fees": _route(Action.EXPORT, "mystery.shopper"),
    # development: plans, mentoring, role play
    "development:plan": _route(Action.VIEW, "development.developmentplan", "plan_id"),
    "development:mentor_pair": _route(Action.VIEW, "development.mentorpair", "pair_id"),
    "development:role_play_session": _route(Action.VIEW, "development.roleplaysession", "session_id"),
    # follow-up cases
    "followup:index": _route(Action.VIEW, "followup.followupcase"),
    "followup:case": _route(Action.VIEW, "followup.followupcase", "case_id"),
    # text analytics: transcripts and customer briefings
    "textanalytics:encounter": _route(Action.VIEW, "feedback.encounter", "encounter_id"),
    "textanalytics:briefing": _route(Action.VIEW, "organisations.customer", "customer_id"),
    # stakeholders: partner contacts (names, e-mails)
    "stakeholders:partner": _route(Action.VIEW, "stakeholders.partnerorganisation", "partner_id"),
    # exports of response-level data (aggregate-only reports such as maturity and journey maps are not personal)
    "integrations:export": _route(Action.EXPORT, "feedback.response"),
    # API
    "api:responses_list": _route(Action.VIEW, "feedback.response"),
    "api:response_detail": _route(Action.VIEW, "feedback.response", "response_id"),
    "api:export_responses": _route(Action.EXPORT, "feedback.response"),
    "api:list_encounters": _route(Action.VIEW, "feedback.encounter"),
    "api:encounter_transcript": _route(Action.VIEW, "feedback.encounter", "encounter_id"),
    "api:report": _route(Action.VIEW, "assessments.participant", "participant_id"),
    "api:list_cases": _route(Action.VIEW, "followup.followupcase"),
    "api:get_case": _route(Action.VIEW, "followup.followupcase", "case_id"),
    "api:customer_briefing": _route(Action.VIEW, "organisations.customer", "customer_id"),
    "api:list_comment_analyses": _route(Action.VIEW, "feedback.answer"),
    "api:list_people": _route(Action.VIEW, "organisations.person"),
    "api:list_plans": _route(Action.VIEW, "development.developmentplan"),
    "api:get_plan": _route(Action.VIEW, "development.developmentplan", "plan_id"),
    "api:get_mentor_pair": _route(Action.VIEW, "development.mentorpair", "pair_id"),
    "api:get_role_play": _route(Action.VIEW, "development.roleplaysession", "session_id"),
    "api:list_self_tests": _route(Action.VIEW, "development.selftestresult"),
    "api:list_outcomes": _route(Action.VIEW, "impact.outcome"),
    # privacy's own per-person pages are audited explicitly (their POSTs erase or export)
}

# Django admin pages of people's and customers' records: GET shows, a successful POST changes.
ADMIN_ROUTES: dict[str, str] = {
    "admin:organisations_person_change": "organisations.person",
    "admin:organisations_customer_change": "organisations.customer",
    "admin:feedback_invitation_change": "feedback.invitation",
    "admin:feedback_encounter_change": "feedback.encounter",
    "admin:feedback_response_change": "feedback.response",
    "admin:followup_followupcase_change": "followup.followupcase",
}


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    raw = client_address(request)
    try:
        return str(ip_address(raw))
    except ValueError:
        return None


def _actor_label(actor) -> str:
    return actor.get_username() if actor is not None and actor.is_authenticated else ""


def audit_record(
    *,
    organisation: Organisation | int,
    actor,
    action: str,
    object_type: str,
    object_id: int | str | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Write one audit entry. `actor` is a user (or None for system work such as the retention job)."""
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return AuditEntry.objects.create(
        organisation_id=organisation_id,
        actor=actor,
        actor_label=_actor_label(actor),
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        client_address=_address(request),
    )


def _organisation_of(request: HttpRequest, slug: str | None):
    scope = getattr(request, "scope", None)
    if scope is not None:
        return scope.organisation
    token = getattr(request, "api_token", None)
    if token is not None:
        return token.organisation
    if slug:
        return Organisation.objects.filter(slug=slug).first()
    return None


def _admin_object_organisation_id(object_type: str, object_id: str) -> int | None:
    from django.apps import apps

    model = apps.get_model(object_type)
    if not object_id.isdigit():
        return None
    return model.objects.filter(pk=object_id).values_list("organisation_id", flat=True).first()


def audit_request(request: HttpRequest, response: HttpResponse) -> AuditEntry | None:
    """The middleware's decision for one finished request: an entry where its route shows personal data."""
    match = getattr(request, "resolver_match", None)
    if match is None or not 200 <= response.status_code < 400:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if match.view_name in ADMIN_ROUTES:
        object_type = ADMIN_ROUTES[match.view_name]
        object_id = str(match.kwargs.get("object_id", ""))
        changed = request.method == "POST" and response.status_code in (301, 302, 303)
        if request.method != "GET" and not changed:
            return None
        organisation_id = _admin_object_organisation_id(object_type, object_id)
        if organisation_id is None:
            return None
        action = Action.CHANGE if changed else Action.VIEW
        return audit_record(
            organisation=organisation_id,
            actor=user,
            action=action,
            object_type=object_type,
            object_id=object_id,
            request=request,
        )
    route = AUDITED_ROUTES.get(match.view_name)
    # Reads only: an API path shared by a GET list and a POST create (e.g. /responses) audits the GET.
    if route is None or request.method not in ("GET", "HEAD") or response.status_code >= 300:
        return None
    if getattr(request, "_privacy_audited", False):
        return None
    organisation = _organisation_of(request, match.kwargs.get("org"))
    if organisation is None:
        return None
    return audit_record(
        organisation=organisation,
        actor=user,
        action=route.action,
        object_type=route.object_type,
        object_id=match.kwargs.get(route.id_kwarg) if route.id_kwarg else None,
        request=request,
    )


class AuditMiddleware:
    """Writes the audit entry of every audited route after the view has answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        audit_request(request, response)
        return response


def audited(action: str, object_type: str, id_kwarg: str | None = None):
    """Decorator for a view inside `organisation_view`: one entry per successful answer."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                audit_record(
                    organisation=request.scope.organisation,
                    actor=request.user,
                    action=action,
                    object_type=object_type,
                    object_id=kwargs.get(id_kwarg) if id_kwarg else None,
                    request=request,
                )
                request._privacy_audited = True  # the middleware must not write a second entry
            return response

        return wrapper

    return decorate
