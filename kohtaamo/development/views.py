"""Pages of the development loop: overview, case clinics and the case library."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import units_visible

from . import selectors, services
from .forms import CaseLibraryFilterForm, ClinicActionForm, ClinicCaseForm, ClinicSeriesForm, FollowUpForm


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@organisation_view
def index(request):
    scope = request.scope
    now = timezone.now()
    context = {
        "sessions": selectors.clinic_sessions_visible(scope=scope).filter(starts_at__gte=now)[:5],
        "plans": selectors.plans_visible(scope=scope)[:10],
        "role_plays": selectors.role_play_sessions_visible(scope=scope)[:5],
        "pairs": selectors.mentor_pairs_visible(scope=scope)[:5],
    }
    return render(request, "development/index.html", context)


@organisation_view
def clinics(request):
    scope = request.scope
    form = None
    if not scope.is_employee:
        form = ClinicSeriesForm(request.POST or None, units=units_visible(scope=scope))
        if request.method == "POST" and form.is_valid():
            series = services.clinic_series_create(scope=scope, **form.cleaned_data)
            messages.success(request, _("Clinic series scheduled."))
            return redirect(
                "development:clinic_session", org=scope.organisation.slug, session_id=series.sessions.first().pk
            )
    elif request.method == "POST":
        raise PermissionDenied
    now = timezone.now()
    context = {
        "form": form,
        "upcoming": selectors.clinic_sessions_visible(scope=scope).filter(starts_at__gte=now)[:20],
        "past": selectors.clinic_sessions_visible(scope=scope).filter(starts_at__lt=now).order_by("-starts_at")[:20],
    }
    return render(request, "development/clinics.html", context)


def _session_context(request, session):
    scope = request.scope
    cases = selectors.clinic_cases_of(session=session)
    return {
        "session": session,
        "cases": cases,
        "open_actions": selectors.clinic_actions_open_before(session=session),
        "follow_up_form": FollowUpForm(),
        "action_form": ClinicActionForm(people=selectors.people_choices(scope=scope)),
        "low_scores": selectors.low_scoring_responses(scope=scope),
    }


@organisation_view
def clinic_session(request, session_id: int):
    session = selectors.clinic_session_for(scope=request.scope, session_id=session_id)
    return render(request, "development/clinic_session.html", _session_context(request, session))


@organisation_view
def clinic_case_add(request, session_id: int):
    scope = request.scope
    session = selectors.clinic_session_for(scope=scope, session_id=session_id)
    response_id = request.POST.get("response") or request.GET.get("response")
    linked = (
        selectors.response_for_case(scope=scope, response_id=int(response_id))
        if response_id and response_id.isdigit()
        else None
    )
    initial = {"response": linked.pk, "channel": linked.channel, "outcome": "difficult"} if linked else {}
    form = ClinicCaseForm(request.POST or None, initial=initial, organisation=scope.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("response")
        try:
            case = services.clinic_case_create(session=session, response=linked, **data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Case added."))
            url = reverse(
                "development:clinic_session", kwargs={"org": scope.organisation.slug, "session_id": session.pk}
            )
            return redirect(f"{url}#case-{case.pk}")
    summary = selectors.response_case_summary(response=linked) if linked else None
    return render(request, "development/clinic_case_form.html", {"session": session, "form": form, "linked": summary})


@organisation_view
@require_POST
def clinic_action_add(request, session_id: int, case_id: int):
    scope = request.scope
    session = selectors.clinic_session_for(scope=scope, session_id=session_id)
    case = session.cases.filter(pk=case_id).first()
    if case is None:
        raise PermissionDenied
    form = ClinicActionForm(request.POST, people=selectors.people_choices(scope=scope))
    if form.is_valid():
        services.clinic_action_create(case=case, **form.cleaned_data)
        messages.success(request, _("Action assigned."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("development:clinic_session", org=scope.organisation.slug, session_id=session.pk)


@organisation_view
@require_POST
def clinic_action_follow_up(request, session_id: int, action_id: int):
    scope = request.scope
    session = selectors.clinic_session_for(scope=scope, session_id=session_id)
    action = selectors.clinic_actions_open_before(session=session).filter(pk=action_id).first()
    if action is None:
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.clinic_action_follow_up(
            action=action, session=session, note=form.cleaned_data["note"], done=form.cleaned_data["done"]
        )
        messages.success(request, _("Follow-up recorded."))
    else:
        messages.error(request, _("Write a short follow-up note."))
    return redirect("development:clinic_session", org=scope.organisation.slug, session_id=session.pk)


@organisation_view
def case_library(request):
    scope = request.scope
    form = CaseLibraryFilterForm(request.GET or None, organisation=scope.organisation)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "text": data["q"],
            "dimension": data["dimension"],
            "channel": data["channel"],
            "outcome": data["outcome"],
            "incident_kind": data["incident_kind"],
        }
    page = Paginator(selectors.clinic_case_library(scope=scope, **filters), selectors.CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "development/case_library.html", {"form": form, "page": page})
