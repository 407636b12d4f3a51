from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kohtaamo.organisations.decorators import organisation_view

from . import selectors, services
from .forms import CloseForm, ContactForm
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
