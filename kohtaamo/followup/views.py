from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kohtaamo.organisations.decorators import organisation_view

from . import selectors, services
from .forms import CloseForm, ContactForm, FollowupRuleForm
from .models import FollowupCase


@organisation_view
def index(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    context = {
        "status": status,
        "page": selectors.cases_page(scope=request.scope, status=status, page=request.GET.get("page")),
        "summary": selectors.cases_summary(scope=request.scope, now=timezone.now()),
        "outcome_labels": dict(FollowupCase.Outcome.choices),
        "now": timezone.now(),
    }
    return render(request, "followup/index.html", context)


@organisation_view
@require_http_methods(["GET", "POST"])
def case(request, case_id: int):
    followup_case = selectors.case_for(scope=request.scope, case_id=case_id)
    contact_form, close_form = ContactForm(), CloseForm()
    if request.method == "POST" and followup_case.status != FollowupCase.Status.CLOSED:
        if request.POST.get("action") == "contact":
            contact_form = ContactForm(request.POST)
            if contact_form.is_valid():
                services.case_record_contact(case=followup_case, note=contact_form.cleaned_data["note"])
                messages.success(request, _("Contact recorded."))
                return redirect(request.path)
        else:
            close_form = CloseForm(request.POST)
            if close_form.is_valid():
                services.case_close(case=followup_case, **close_form.cleaned_data)
                messages.success(request, _("Case closed."))
                return redirect(request.path)
    comments = []
    if followup_case.response_id:
        comments = list(followup_case.response.answers.exclude(text="").values_list("text", flat=True))
    context = {
        "case": followup_case,
        "comments": comments,
        "contact_form": contact_form,
        "close_form": close_form,
        "overdue": followup_case.status != FollowupCase.Status.CLOSED and followup_case.deadline < timezone.now(),
    }
    return render(request, "followup/case.html", context)


def _rules_page(request, *, new_form=None, invalid_form=None, status=200):
    """The rules page; a form that failed validation is shown in place of the rule's own."""
    rules = selectors.rules_for(scope=request.scope)
    rows = [
        (
            rule,
            invalid_form
            if invalid_form and invalid_form.instance.pk == rule.pk
            else FollowupRuleForm(instance=rule, prefix=f"rule-{rule.pk}"),
        )
        for rule in rules
    ]
    context = {"rows": rows, "new_form": new_form or FollowupRuleForm(prefix="new")}
    return render(request, "followup/rules.html", context, status=status)


@organisation_view(managers_only=True)
@require_http_methods(["GET", "POST"])
def rules(request):
    if request.method == "POST":
        form = FollowupRuleForm(request.POST, prefix="new")
        if form.is_valid():
            services.followup_rule_create(organisation=request.scope.organisation, data=form.cleaned_data)
            messages.success(request, _("Rule added."))
            return redirect(request.path)
        return _rules_page(request, new_form=form, status=400)
    # An organisation without rules of its own follows the defaults; store them so they can be edited.
    services.followup_rules_ensure(organisation=request.scope.organisation)
    return _rules_page(request)


@organisation_view(managers_only=True)
@require_http_methods(["POST"])
def rule_edit(request, rule_id: int):
    rule = selectors.rule_for(scope=request.scope, rule_id=rule_id)
    form = FollowupRuleForm(request.POST, instance=rule, prefix=f"rule-{rule.pk}")
    if form.is_valid():
        services.followup_rule_update(rule=rule, data=form.cleaned_data)
        messages.success(request, _("Rule saved."))
        return redirect(_rules_url(request))
    return _rules_page(request, invalid_form=form, status=400)


@organisation_view(managers_only=True)
@require_http_methods(["POST"])
def rule_set_active(request, rule_id: int):
    rule = selectors.rule_for(scope=request.scope, rule_id=rule_id)
    active = request.POST.get("active") == "1"
    services.followup_rule_set_active(rule=rule, active=active)
    messages.success(request, _("Rule activated.") if active else _("Rule deactivated."))
    return redirect(_rules_url(request))


def _rules_url(request) -> str:
    return reverse("followup:rules", kwargs={"org": request.scope.organisation.slug})
