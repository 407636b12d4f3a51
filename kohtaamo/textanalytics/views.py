from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.models import Customer
from kohtaamo.organisations.selectors import customers_visible

from . import selectors, sources
from .briefing import briefing_for, customer_encounters
from .forms import TranscriptForm
from .labels import METRIC_LABELS, TREND_LABELS
from .services import comment_run_request, transcript_import


@organisation_view
def index(request):
    by = request.GET.get("by", "unit")
    table = selectors.theme_table(scope=request.scope, by=by)
    chosen = request.GET.get("theme") or (table.rows[0].code if table.rows else "")
    cell = request.GET.get("cell", "")
    examples = selectors.theme_examples(scope=request.scope, code=chosen, by=table.by, cell=cell) if chosen else None
    cell_label = next((label for key, label in table.groups if table.params[key] == cell), None) if cell else None
    return render(
        request,
        "textanalytics/index.html",
        {
            "table": table,
            "chosen": chosen,
            "cell": cell,
            "cell_label": cell_label,
            "examples": examples,
            "emotions": selectors.emotion_table(scope=request.scope, by=table.by),
            "breakdowns": selectors.BREAKDOWNS,
            "encounters": selectors.encounters_with_transcripts(scope=request.scope),
            "can_rerun": selectors.can_rerun(scope=request.scope),
            "run": selectors.text_analysis_run_latest(scope=request.scope),
        },
    )


@organisation_view
@require_http_methods(["GET", "POST"])
def reanalyse(request):
    """POST: re-analyse every comment in the background (admins, CX leads). GET: the progress bar, polled."""
    if not selectors.can_rerun(scope=request.scope):
        raise PermissionDenied
    if request.method == "POST":
        _run, created = comment_run_request(organisation_id=request.scope.organisation.pk, user=request.user)
        if not request.htmx:
            if created:
                messages.success(request, _("Re-analysis of all comments has started."))
            else:
                messages.info(request, _("A re-analysis is already under way."))
            return redirect("textanalytics:index", org=request.scope.organisation.slug)
    run = selectors.text_analysis_run_latest(scope=request.scope)
    return render(request, "textanalytics/_run_progress.html", {"run": run, "can_rerun": True})


@organisation_view
def encounter_detail(request, encounter_id: int):
    view = sources.encounter_transcript(scope=request.scope, encounter_id=encounter_id)
    form = TranscriptForm()
    if request.method == "POST":
        if not request.scope.can_manage:
            raise PermissionDenied
        form = TranscriptForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                transcript_import(encounter=view.encounter, text=form.cleaned_data["text"], user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The transcript was imported and analysed."))
                return redirect(request.path)
    metrics = view.analysis.metrics if view.analysis else {}
    return render(
        request,
        "textanalytics/encounter.html",
        {
            "view": view,
            "form": form,
            "metric_rows": [(METRIC_LABELS[k], metrics[k], k) for k in METRIC_LABELS if k in metrics],
            "elements": selectors.ELEMENTS,
        },
    )


@organisation_view
def briefing_find(request):
    external_id = request.GET.get("customer", "").strip()
    if external_id:
        # The customer's id in the organisation's own systems (any letter case), or Kohtaamo's number.
        same = Q(external_id__iexact=external_id) | (Q(pk=int(external_id)) if external_id.isdigit() else Q())
        customer = Customer.objects.filter(same, organisation=request.scope.organisation).order_by("pk").first()
        try:
            # The same answer for a customer that does not exist and one outside the user's scope.
            if customer is not None and customer_encounters(scope=request.scope, customer_id=customer.pk):
                return redirect("textanalytics:briefing", org=request.scope.organisation.slug, customer_id=customer.pk)
        except Http404:
            pass
        messages.error(request, _("No customer with that id."))
    return render(
        request,
        "textanalytics/briefing_find.html",
        {"customers": customers_visible(scope=request.scope).order_by("external_id")[:50], "query": external_id},
    )


@organisation_view
def briefing(request, customer_id: int):
    data = briefing_for(scope=request.scope, customer_id=customer_id)
    return render(
        request,
        "textanalytics/briefing.html",
        {"briefing": data, "trend_label": TREND_LABELS[data.sentiment_trend]},
    )
