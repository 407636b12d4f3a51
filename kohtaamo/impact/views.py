from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view

from . import charts, selectors
from .forms import DriverForm, ImpactForm, OutcomeUploadForm
from .importing import outcomes_import_csv


@organisation_view
def drivers(request):
    form = DriverForm(request.GET or None, scope=request.scope)
    context = {"form": form}
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        report = selectors.key_drivers(
            scope=request.scope,
            kind=data.get("kind") or "dimension",
            target=data.get("target") or "nps",
            unit=data.get("unit"),
            start=data.get("start"),
            end=data.get("end"),
        )
        context["report"] = report
        context["minimum"] = selectors.driver_analysis.MIN_N
        if not report.refused:
            context["chart"] = charts.importance_performance_chart(report=report)
    return render(request, "impact/drivers.html", context)


@organisation_view
def index(request):
    periods = selectors.outcome_periods(scope=request.scope)
    form = ImpactForm(request.GET or None, scope=request.scope, periods=periods)
    context = {"form": form, "upload_form": OutcomeUploadForm(), "periods": periods}
    if periods and (not request.GET or form.is_valid()):
        data = form.cleaned_data if request.GET else {}
        chosen = date.fromisoformat(data["period"]) if data.get("period") else None
        # Default: the latest period that has a following period to compare with.
        starts = {start for start, _end in periods}
        candidates = [p for p in periods if (chosen is None or p[0] == chosen)]
        period = next((p for p in candidates if _following(p) in starts), candidates[0] if candidates else None)
        if period is not None:
            context["report"] = selectors.impact_report(
                scope=request.scope, metric=data.get("metric") or "services", period=period, unit=data.get("unit")
            )
    return render(request, "impact/index.html", context)


def _following(period):
    from datetime import timedelta

    return period[1] + timedelta(days=1)


@organisation_view(managers_only=True)
@require_POST
def upload(request):
    form = OutcomeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("impact:index", org=request.scope.organisation.slug)
    result = outcomes_import_csv(organisation=request.scope.organisation, data=form.cleaned_data["file"].read())
    if not result.ok:
        periods = selectors.outcome_periods(scope=request.scope)
        context = {
            "form": ImpactForm(scope=request.scope, periods=periods),
            "upload_form": form,
            "import_errors": result.errors,
            "periods": periods,
        }
        return render(request, "impact/index.html", context, status=422)
    messages.success(
        request,
        _("Imported: %(created)s new and %(updated)s updated outcome rows.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("impact:index", org=request.scope.organisation.slug)
