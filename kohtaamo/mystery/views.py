"""Organisation-side pages: set-up (scenarios, notice, waves, shoppers), QA, calibration and action plans."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import people_visible, units_visible

from . import calibration as calibration_services
from . import forms, selectors, services, visits
from .checklist import answers_from_post, checklist_rows
from .models import ActionPlan, Assignment, ChecklistItem, EmployeeNotice

SHOPPERS_ROLE_OK = {"shoppers": True}


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@organisation_view(shoppers=True)
def index(request):
    scope = request.scope
    if scope.is_shopper:
        return redirect("mystery:shop", org=scope.organisation.slug)
    # A unit manager's counts cover only their subtree.
    in_scope = Q(assignments__unit__path__startswith=scope.unit_path) if scope.unit_path else Q()
    waves = selectors.waves_visible(scope=scope).annotate(
        planned=Count("assignments", filter=in_scope),
        approved=Count("assignments", filter=in_scope & Q(assignments__status=Assignment.Status.APPROVED)),
    )
    return render(
        request,
        "mystery/index.html",
        {
            "scenarios": selectors.scenarios_visible(scope=scope).annotate(item_count=Count("sections__items")),
            "waves": waves,
            "qa_count": selectors.reports_in_qa(scope=scope).count(),
            "notice": services.notice_current(organisation=scope.organisation) if scope.can_manage else None,
        },
    )


@organisation_view(managers_only=True)
def scenario_create(request):
    form = forms.ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scenario = services.scenario_create(organisation=request.scope.organisation, **form.cleaned_data)
        return redirect("mystery:scenario", org=request.scope.organisation.slug, scenario_id=scenario.pk)
    return render(request, "mystery/scenario_form.html", {"form": form})


@organisation_view(managers_only=True)
def scenario_detail(request, scenario_id: int):
    scenario = get_object_or_404(selectors.scenarios_visible(scope=request.scope), pk=scenario_id)
    section_form = forms.SectionForm(prefix="section")
    item_form = forms.ItemForm(prefix="item", scenario=scenario)
    if request.method == "POST":
        try:
            if "add_section" in request.POST:
                section_form = forms.SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    services.section_add(scenario=scenario, **section_form.cleaned_data)
                    return redirect(request.path)
            elif "add_item" in request.POST:
                item_form = forms.ItemForm(request.POST, prefix="item", scenario=scenario)
                if item_form.is_valid():
                    services.item_add(**item_form.cleaned_data)
                    return redirect(request.path)
            elif "new_version" in request.POST:
                copy = services.scenario_new_version(scenario=scenario)
                return redirect("mystery:scenario", org=request.scope.organisation.slug, scenario_id=copy.pk)
        except ValidationError as error:
            _errors(request, error)
    items = ChecklistItem.objects.filter(section__scenario=scenario).select_related("section", "dimension")
    return render(
        request,
        "mystery/scenario.html",
        {
            "scenario": scenario,
            "frozen": services.scenario_is_frozen(scenario),
            "sections": scenario.sections.all(),
            "items": items,
            "section_form": section_form,
            "item_form": item_form,
        },
    )


@organisation_view(managers_only=True)
def notice(request):
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_record(organisation=request.scope.organisation, user=request.user, **form.cleaned_data)
            messages.success(request, _("The notice to employees is recorded."))
            return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    notices = EmployeeNotice.objects.filter(organisation=request.scope.organisation)
    return render(request, "mystery/notice.html", {"form": form, "notices": notices})


@organisation_view(managers_only=True)
def wave_create(request):
    scenarios = selectors.scenarios_visible(scope=request.scope)
    form = forms.WaveForm(request.POST or None, scenarios=scenarios)
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_create(organisation=request.scope.organisation, **form.cleaned_data)
            return redirect("mystery:wave", org=request.scope.organisation.slug, wave_id=wave.pk)
        except ValidationError as error:
            _errors(request, error)
    return render(request, "mystery/wave_form.html", {"form": form})


@organisation_view(managers_only=True)
def wave_detail(request, wave_id: int):
    scope = request.scope
    wave = get_object_or_404(selectors.waves_visible(scope=scope), pk=wave_id)
    units = units_visible(scope=scope)
    shoppers = selectors.shoppers_visible(scope=scope)
    plan_form = forms.PlanForm(
        prefix="plan", units=units, initial={"window_start": wave.starts_on, "window_end": wave.ends_on}
    )
    if request.method == "POST":
        try:
            if "plan" in request.POST:
                plan_form = forms.PlanForm(request.POST, prefix="plan", units=units)
                if plan_form.is_valid():
                    services.assignments_plan(wave=wave, **plan_form.cleaned_data)
                    return redirect(request.path)
            elif "auto_assign" in request.POST:
                offered, left = services.assignments_auto_assign(wave=wave)
                messages.success(
                    request,
                    _("%(offered)d assignments offered, %(left)d left open.") % {"offered": offered, "left": left},
                )
                return redirect(request.path)
            elif "offer" in request.POST:
                assignment = get_object_or_404(wave.assignments, pk=request.POST.get("assignment"))
                offer_form = forms.OfferForm(request.POST, shoppers=shoppers)
                if offer_form.is_valid():
                    services.assignment_offer(assignment=assignment, **offer_form.cleaned_data)
                    return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    assignments = selectors.assignments_visible(scope=scope).filter(wave=wave).select_related("report")
    return render(
        request,
        "mystery/wave.html",
        {
            "wave": wave,
            "plan_form": plan_form,
            "assignments": assignments,
            "shoppers": shoppers,
        },
    )


@organisation_view(managers_only=True)
def shoppers(request):
    scope = request.scope
    form = forms.ShopperForm(request.POST or None, units=units_visible(scope=scope))
    if request.method == "POST" and form.is_valid():
        try:
            services.shopper_create(organisation=scope.organisation, **form.cleaned_data)
            messages.success(request, _("Shopper added."))
            return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    rows = (
        selectors.shoppers_visible(scope=scope)
        .prefetch_related("regions")
        .annotate(
            open_load=Count("assignments", filter=Q(assignments__status__in=services.OPEN_LOAD)),
            approved=Count("assignments", filter=Q(assignments__status=Assignment.Status.APPROVED)),
        )
    )
    return render(request, "mystery/shoppers.html", {"form": form, "shoppers": rows})


@organisation_view(managers_only=True)
def qa_queue(request):
    return render(request, "mystery/qa_queue.html", {"reports": selectors.reports_in_qa(scope=request.scope)})


@organisation_view(managers_only=True)
def qa_review(request, report_id: int):
    report = selectors.report_for_review(scope=request.scope, report_id=report_id)
    items = visits.scenario_items(report)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "comment":
                visits.report_comment(report=report, author=request.user, text=request.POST.get("comment", ""))
            elif action == "correct":
                form = forms.VisitForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                visits.report_correct(
                    report=report,
                    reviewer=request.user,
                    fields=form.cleaned_data,
                    answers=answers_from_post(request.POST, items),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Corrections saved."))
            elif action == "return":
                visits.report_return(report=report, reviewer=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, _("The report was returned to the shopper."))
                return redirect("mystery:qa", org=request.scope.organisation.slug)
            elif action == "approve":
                visits.report_approve(report=report, reviewer=request.user)
                messages.success(request, _("The report is approved and published."))
                return redirect("mystery:qa", org=request.scope.organisation.slug)
            return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    answers = {a.item_id: a for a in report.answers.select_related("item")}
    return render(
        request,
        "mystery/qa_review.html",
        {
            "report": report,
            "visit_form": forms.VisitForm(initial={f: getattr(report, f) for f in visits.REPORT_FIELDS}),
            "sections": checklist_rows(items, answers),
            "answers": answers,
            "evidence": report.evidence.all(),
            "comments": report.comments.select_related("author"),
            "corrections": report.corrections.select_related("changed_by"),
            "problems": visits.report_problems(report) if report.status == report.Status.SUBMITTED else [],
        },
    )


@organisation_view(shoppers=True)
def evidence_file(request, evidence_id: int):
    """Evidence is served only through this view, after the scope check; never from a public URL."""
    evidence = selectors.evidence_for(scope=request.scope, evidence_id=evidence_id)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view
def action_plans(request):
    scope = request.scope
    waves = selectors.waves_visible(scope=scope)
    form = forms.ActionPlanForm(
        request.POST or None, units=units_visible(scope=scope), waves=waves, people=people_visible(scope=scope)
    )
    if request.method == "POST" and scope.can_manage and form.is_valid():
        try:
            services.action_plan_create(**form.cleaned_data)
            return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    return render(
        request,
        "mystery/actions.html",
        {
            "form": form,
            "plans": selectors.action_plans_visible(scope=scope),
            "waves": waves,
            "statuses": ActionPlan.Status.choices,
        },
    )


@require_POST
@organisation_view(managers_only=True)
def action_plan_follow_up(request, plan_id: int):
    scope = request.scope
    plan = get_object_or_404(selectors.action_plans_visible(scope=scope), pk=plan_id)
    wave = selectors.waves_visible(scope=scope).filter(pk=request.POST.get("follow_up_wave") or 0).first()
    status = request.POST.get("status")
    if status not in ActionPlan.Status.values:
        status = plan.status
    services.action_plan_follow_up(plan=plan, status=status, note=request.POST.get("note", ""), follow_up_wave=wave)
    return redirect("mystery:actions", org=scope.organisation.slug)


@organisation_view(managers_only=True)
def calibrations(request):
    scope = request.scope
    form = forms.CalibrationForm(request.POST or None, scenarios=selectors.scenarios_visible(scope=scope))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = calibration_services.calibration_create(**form.cleaned_data)
            return redirect("mystery:calibration", org=scope.organisation.slug, calibration_id=round_.pk)
        except ValidationError as error:
            _errors(request, error)
    rounds = selectors.calibrations_visible(scope=scope).annotate(raters=Count("ratings"))
    return render(request, "mystery/calibrations.html", {"form": form, "rounds": rounds})


@organisation_view(managers_only=True)
def calibration_detail(request, calibration_id: int):
    scope = request.scope
    round_ = get_object_or_404(selectors.calibrations_visible(scope=scope), pk=calibration_id)
    items = list(ChecklistItem.objects.filter(section__scenario=round_.scenario).select_related("section"))
    if request.method == "POST":
        try:
            calibration_services.calibration_rate(
                calibration=round_, rater=request.user, answers=answers_from_post(request.POST, items)
            )
            return redirect(request.path)
        except ValidationError as error:
            _errors(request, error)
    agreement = calibration_services.calibration_agreement(calibration=round_)
    rated = round_.ratings.filter(rater=request.user).exists()
    return render(
        request,
        "mystery/calibration.html",
        {
            "round": round_,
            "agreement": agreement,
            "rated": rated,
            "sections": checklist_rows(items, {}),
        },
    )
