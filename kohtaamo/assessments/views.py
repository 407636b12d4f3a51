"""Thin views of 360 rounds: services and selectors do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.models import Customer, Person
from kohtaamo.organisations.selectors import people_visible, units_visible
from kohtaamo.reports.pdf import pdf_response

from . import presentation, releasing, selectors, services
from .forms import AssessmentForm
from .models import Participant, RespondentRole
from .presentation import report_context, report_csv


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@organisation_view
def index(request):
    scope = request.scope
    return render(
        request,
        "assessments/index.html",
        {
            "assessments": selectors.assessments_visible(scope=scope),
            "can_manage": scope.can_manage,
            "tasks": selectors.my_tasks(scope=scope),
        },
    )


@organisation_view(managers_only=True)
def create(request):
    scope = request.scope
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        units=units_visible(scope=scope),
        people=people_visible(scope=scope),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = list(data["people"])
        if data["unit"]:
            people += list(people_visible(scope=scope).filter(unit__path__startswith=data["unit"].path, active=True))
        if data["people_csv"]:
            imported = services.people_from_csv(scope=scope, content=data["people_csv"].read())
            for error in imported.errors:
                form.add_error("people_csv", error)
            people += imported.people
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    scope=scope,
                    name=data["name"],
                    people=people,
                    nomination_closes_on=data["nomination_closes_on"],
                    answering_closes_on=data["answering_closes_on"],
                    report_on=data["report_on"],
                    min_colleagues=data["min_colleagues"],
                    max_colleagues=data["max_colleagues"],
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("assessments:detail", org=scope.organisation.slug, assessment_id=assessment.pk)
    return render(request, "assessments/create.html", {"form": form})


ACTIONS = {
    "invite": lambda a, request: _("%(n)d invitations sent.") % {"n": services.raters_invite(assessment=a)},
    "remind": lambda a, request: _("%(n)d reminders sent.") % {"n": services.raters_remind(assessment=a)},
    "release_due": lambda a, request: (
        _("%(n)d reports released.") % {"n": releasing.reports_release_due(assessment=a, released_by=request.user)}
    ),
    "close": lambda a, request: services.assessment_close(assessment=a) and _("The round is closed."),
}


@organisation_view
def detail(request, assessment_id: int):
    scope = request.scope
    assessment = selectors.assessment_for(scope=scope, assessment_id=assessment_id)
    if request.method == "POST":
        if not scope.can_manage:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "release":
                participant = selectors.participant_for(scope=scope, participant_id=int(request.POST["participant"]))
                release = releasing.report_release(participant=participant, released_by=request.user)
                messages.success(request, _("Release %(n)d of the report is out.") % {"n": release.number})
            elif action in ACTIONS:
                messages.success(request, ACTIONS[action](assessment, request))
        except ValidationError as error:
            _errors(request, error)
        return redirect("assessments:detail", org=scope.organisation.slug, assessment_id=assessment.pk)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "rows": selectors.progress(scope=scope, assessment=assessment),
            "roles": [(r, RespondentRole(r).label) for r in selectors.RATER_GROUPS],
            "can_manage": scope.can_manage,
            "is_open": services.assessment_is_open(assessment=assessment),
        },
    )


def _people_from_post(request) -> list[Person]:
    ids = [int(v) for v in request.POST.getlist("colleagues") if v.isdigit()]
    # Not scoped on purpose: a person of another organisation must meet the service's clear refusal.
    return list(Person.objects.filter(pk__in=ids))


def _nomination_page(request, participant: Participant, *, approving: bool):
    scope = request.scope
    if request.method == "POST":
        try:
            if approving:
                services.nomination_approve(
                    participant=participant, colleagues=_people_from_post(request), approved_by=request.user
                )
                customer_ids = [int(v) for v in request.POST.getlist("customers") if v.isdigit()]
                emails = [e.strip() for e in request.POST.get("customer_emails", "").split() if e.strip()]
                services.customer_raters_add(
                    participant=participant, customers=list(Customer.objects.filter(pk__in=customer_ids)), emails=emails
                )
                messages.success(request, _("The raters of %(name)s are approved.") % {"name": participant.person.name})
            else:
                services.nomination_submit(participant=participant, colleagues=_people_from_post(request))
                messages.success(request, _("Your nominations were sent to your supervisor for approval."))
            return redirect("assessments:detail", org=scope.organisation.slug, assessment_id=participant.assessment_id)
        except ValidationError as error:
            _errors(request, error)
    chosen = set(participant.raters.filter(role=RespondentRole.COLLEAGUE).values_list("person_id", flat=True))
    return render(
        request,
        "assessments/nominate.html",
        {
            "participant": participant,
            "assessment": participant.assessment,
            "approving": approving,
            "candidates": selectors.colleague_candidates(scope=scope, participant=participant),
            "chosen": chosen,
            "customers": services.customers_suggested(participant=participant) if approving else [],
            "customer_raters": participant.raters.filter(role=RespondentRole.CUSTOMER).count(),
        },
    )


@organisation_view
def nominate(request, participant_id: int):
    participant = selectors.participant_for(scope=request.scope, participant_id=participant_id)
    if not selectors.may_nominate(scope=request.scope, participant=participant):
        raise PermissionDenied
    return _nomination_page(request, participant, approving=False)


@organisation_view
def approve(request, participant_id: int):
    participant = selectors.participant_for(scope=request.scope, participant_id=participant_id)
    if not selectors.may_approve(scope=request.scope, participant=participant):
        raise PermissionDenied
    return _nomination_page(request, participant, approving=True)


def _report(request, participant_id: int):
    participant = selectors.participant_for(scope=request.scope, participant_id=participant_id)
    release = selectors.released_report_for(scope=request.scope, participant=participant)
    return participant, release


@organisation_view
def report(request, participant_id: int):
    participant, release = _report(request, participant_id)
    return render(
        request,
        "assessments/report.html",
        report_context(release=release, participant=participant, language=get_language()),
    )


@organisation_view
def report_pdf(request, participant_id: int):
    participant, release = _report(request, participant_id)
    pdf = presentation.report_pdf(release=release, participant=participant, language=get_language(), request=request)
    return pdf_response(
        pdf=pdf, filename=f"360-{participant.assessment_id}-{participant.person_id}-r{release.number}.pdf"
    )


@organisation_view
def report_export(request, participant_id: int):
    participant, release = _report(request, participant_id)
    response = HttpResponse(
        report_csv(release=release, language=get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="360-{participant.assessment_id}-{participant.person_id}-r{release.number}.csv"'
    )
    return response


@organisation_view
def team(request, assessment_id: int):
    scope = request.scope
    if scope.is_employee:
        raise PermissionDenied
    assessment = selectors.assessment_for(scope=scope, assessment_id=assessment_id)
    unit = request.GET.get("unit", "")
    report_ = selectors.team_report(scope=scope, assessment=assessment, unit_id=int(unit) if unit.isdigit() else None)
    return render(
        request,
        "assessments/team.html",
        {
            "assessment": assessment,
            "team": report_,
            "units": units_visible(scope=scope),
            "unit": unit,
            "threshold": selectors.threshold_for(assessment.organisation),
        },
    )
