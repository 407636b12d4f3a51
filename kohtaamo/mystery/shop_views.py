"""The shopper's phone-first portal: own assignments only; the report form saves drafts as it goes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view

from . import forms, selectors, services, visits
from .checklist import answers_from_post, checklist_rows
from .models import Assignment


@organisation_view(shoppers=True)
def shop_home(request):
    assignments = (
        selectors.shopper_assignments(scope=request.scope).select_related("report").order_by("window_start", "pk")
    )
    shopper = selectors.shopper_for(scope=request.scope)
    if request.method == "POST":
        services.shopper_set_availability(shopper=shopper, available=request.POST.get("available") == "1")
        return redirect(request.path)
    return render(
        request,
        "mystery/shop_home.html",
        {"assignments": assignments, "Status": Assignment.Status, "shopper": shopper},
    )


@require_POST
@organisation_view(shoppers=True)
def shop_respond(request, assignment_id: int):
    scope = request.scope
    assignment = selectors.shopper_assignment(scope=scope, assignment_id=assignment_id)
    shopper = selectors.shopper_for(scope=scope)
    try:
        if request.POST.get("decision") == "accept":
            services.assignment_accept(assignment=assignment, shopper=shopper)
            return redirect("mystery:shop_report", org=scope.organisation.slug, assignment_id=assignment.pk)
        services.assignment_decline(assignment=assignment, shopper=shopper)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("mystery:shop", org=scope.organisation.slug)


def _visit_fields(form: forms.VisitForm) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name in form.data}


@organisation_view(shoppers=True)
def shop_report(request, assignment_id: int):
    scope = request.scope
    assignment = selectors.shopper_assignment(scope=scope, assignment_id=assignment_id)
    try:
        report = visits.report_for_assignment(assignment=assignment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("mystery:shop", org=scope.organisation.slug)
    items = visits.scenario_items(report)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "upload":
                upload = forms.EvidenceForm(request.POST, request.FILES)
                if not upload.is_valid():
                    raise ValidationError(_("Choose a file to upload."))
                visits.evidence_add(report=report, upload=upload.cleaned_data["file"])
                messages.success(request, _("File uploaded."))
                return redirect(request.path)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            visits.report_save_draft(
                report=report, fields=_visit_fields(form), answers=answers_from_post(request.POST, items)
            )
            if action == "autosave":
                return HttpResponse(status=204)
            if action == "submit":
                visits.report_submit(report=report)
                messages.success(request, _("Thank you! Your report was sent to quality review."))
                return redirect("mystery:shop", org=scope.organisation.slug)
            messages.success(request, _("Draft saved."))
            return redirect(request.path)
        except ValidationError as error:
            if action == "autosave":
                return HttpResponse("; ".join(error.messages), status=422)
            for message in error.messages:
                messages.error(request, message)
            report.refresh_from_db()
    else:
        form = forms.VisitForm(initial={f: getattr(report, f) for f in visits.REPORT_FIELDS})
    answers = {a.item_id: a for a in report.answers.select_related("item")}
    notice = services.notice_current(organisation=scope.organisation)
    return render(
        request,
        "mystery/shop_report.html",
        {
            "assignment": assignment,
            "report": report,
            "form": form,
            "sections": checklist_rows(items, answers),
            "editable": report.status in visits.EDITABLE,
            "evidence": report.evidence.all(),
            "returned_comments": report.comments.filter(returned=True),
            "staff_identification": bool(notice and notice.staff_identification_announced),
            "upload_form": forms.EvidenceForm(),
        },
    )


@require_POST
@organisation_view(shoppers=True)
def shop_evidence_delete(request, assignment_id: int, evidence_id: int):
    scope = request.scope
    assignment = selectors.shopper_assignment(scope=scope, assignment_id=assignment_id)
    evidence = get_object_or_404(assignment.report.evidence, pk=evidence_id)
    try:
        visits.evidence_remove(evidence=evidence)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("mystery:shop_report", org=scope.organisation.slug, assignment_id=assignment.pk)
