from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import units_visible
from kohtaamo.reports.pdf import pdf_render, pdf_response

from .forms import ContactForm, ContactImportForm, InternalServiceForm, LaunchForm, PartnerForm, add_service_errors
from .periods import Period, period_containing, period_parse, recent_periods
from .presentation import audience_labels, side_by_side_csv
from .selectors import (
    AUDIENCES,
    internal_services_visible,
    partner_contacts,
    partner_for,
    partners_visible,
    require_viewer,
    side_by_side,
    stakeholder_rounds_listed,
)
from .services import (
    ContactImportFailed,
    internal_service_create,
    internal_service_delete,
    partner_contact_create,
    partner_contacts_import_csv,
    partner_create,
    stakeholder_invitations_send,
    stakeholder_round_launch,
)


def _period(request) -> tuple[Period, str]:
    """The period asked for in ?period=, else the current quarter; with an error text for a bad one."""
    time_zone = request.scope.organisation.time_zone
    code = request.GET.get("period", "")
    if not code:
        return period_containing(moment=timezone.now(), time_zone=time_zone), ""
    period = period_parse(code, time_zone=time_zone)
    if period is None:
        error = _("“%(code)s” is not a quarter; choose one from the list.") % {"code": code}
        return period_containing(moment=timezone.now(), time_zone=time_zone), error
    return period, ""


def _period_choices(scope, chosen: Period) -> list[Period]:
    periods = recent_periods(now=timezone.now(), time_zone=scope.organisation.time_zone)
    return periods if chosen in periods else [chosen, *periods]


def _side_by_side_context(request) -> dict:
    scope = request.scope
    require_viewer(scope)
    period, period_error = _period(request)
    report = side_by_side(scope=scope, period=period)
    labels = audience_labels()
    table = [(row, [(a, labels[a], row.audiences[a]) for a in AUDIENCES]) for row in report.rows]
    return {
        "organisation": scope.organisation,
        "report": report,
        "table": table,
        "periods": _period_choices(scope, report.period),
        "period_error": period_error,
    }


@organisation_view
@require_GET
def index(request):
    context = _side_by_side_context(request)
    return render(request, "stakeholders/index.html", context, status=400 if context["period_error"] else 200)


@organisation_view
@require_GET
def export_pdf(request):
    """The side-by-side table as a PDF: the same cells, hidden under the same plan."""
    context = _side_by_side_context(request)
    if context["period_error"]:
        return HttpResponse(context["period_error"], status=400, content_type="text/plain; charset=utf-8")
    pdf = pdf_render(template="stakeholders/side_by_side_pdf.html", context=context, request=request)
    return pdf_response(pdf=pdf, filename=f"stakeholders-{context['report'].period.code}.pdf")


@organisation_view
@require_GET
def export_csv(request):
    scope = request.scope
    require_viewer(scope)
    period, period_error = _period(request)
    if period_error:
        return HttpResponse(period_error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        side_by_side_csv(side_by_side(scope=scope, period=period)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="stakeholders-{period.code}.csv"'
    return response


# -- set-up: partners ----------------------------------------------------------------------------


def _units(scope):
    return units_visible(scope=scope).select_related("parent").order_by("path")


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def partners(request):
    scope = request.scope
    form = PartnerForm(request.POST or None, units=_units(scope))
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_create(organisation=scope.organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner was added. Add its contact people next."))
            return redirect("stakeholders:partner", org=scope.organisation.slug, partner_id=partner.pk)
    return render(
        request,
        "stakeholders/partners.html",
        {"partners": partners_visible(scope=scope).order_by("name"), "form": form},
        status=400 if form.errors else 200,
    )


def _partner_page(request, partner, *, contact_form, import_form, import_errors=(), status=200):
    return render(
        request,
        "stakeholders/partner.html",
        {
            "partner": partner,
            "contacts": partner_contacts(partner=partner),
            "contact_form": contact_form,
            "import_form": import_form,
            "import_errors": import_errors,
        },
        status=status,
    )


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def partner(request, partner_id: int):
    scope = request.scope
    partner = partner_for(scope=scope, partner_id=partner_id)
    initial = {"language": scope.organisation.default_language}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner_contact_create(partner=partner, contact=form.contact())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect("stakeholders:partner", org=scope.organisation.slug, partner_id=partner.pk)
    return _partner_page(
        request, partner, contact_form=form, import_form=ContactImportForm(), status=400 if form.errors else 200
    )


@organisation_view(managers_only=True)
@require_POST
def partner_import(request, partner_id: int):
    scope = request.scope
    partner = partner_for(scope=scope, partner_id=partner_id)
    form = ContactImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        try:
            created = partner_contacts_import_csv(partner=partner, data=form.cleaned_data["file"])
        except ContactImportFailed as failure:
            errors = [str(error) for error in failure.errors]
        else:
            messages.success(request, _("%(n)s contact people were added.") % {"n": len(created)})
            return redirect("stakeholders:partner", org=scope.organisation.slug, partner_id=partner.pk)
    contact_form = ContactForm(initial={"language": scope.organisation.default_language})
    return _partner_page(
        request, partner, contact_form=contact_form, import_form=form, import_errors=errors, status=400
    )


# -- set-up: internal services ---------------------------------------------------------------------


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def internal_services(request):
    scope = request.scope
    form = InternalServiceForm(request.POST or None, units=_units(scope))
    if request.method == "POST" and form.is_valid():
        try:
            internal_service_create(organisation=scope.organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("stakeholders:internal", org=scope.organisation.slug)
    return render(
        request,
        "stakeholders/internal.html",
        {"services": internal_services_visible(scope=scope), "form": form},
        status=400 if form.errors else 200,
    )


@organisation_view(managers_only=True)
@require_POST
def internal_service_remove(request, service_id: int):
    scope = request.scope
    service = get_object_or_404(internal_services_visible(scope=scope), pk=service_id)
    internal_service_delete(service=service)
    messages.success(request, _("Removed."))
    return redirect("stakeholders:internal", org=scope.organisation.slug)


# -- launching rounds ------------------------------------------------------------------------------


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def rounds(request):
    scope = request.scope
    form = LaunchForm(request.POST or None, units=_units(scope))
    if request.method == "POST" and form.is_valid():
        try:
            launched = stakeholder_round_launch(organisation=scope.organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            invited = launched.round.invitations.count()
            sent = stakeholder_invitations_send(stakeholder_round=launched)
            messages.success(
                request, _("%(invited)s invitations created, %(sent)s sent.") % {"invited": invited, "sent": sent}
            )
            return redirect("stakeholders:rounds", org=scope.organisation.slug)
    rows, threshold = stakeholder_rounds_listed(scope=scope)
    return render(
        request,
        "stakeholders/rounds.html",
        {"rounds": rows, "threshold": threshold, "form": form},
        status=400 if form.errors else 200,
    )
