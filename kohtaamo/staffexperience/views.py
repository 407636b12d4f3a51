import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import units_visible
from kohtaamo.reports.pdf import pdf_render, pdf_response

from . import charts
from .chain import chain_levels, chain_report, outcomes_imported
from .exports import results_csv_rows
from .forms import ChainForm, ScheduleForm
from .selectors import comment_groups, periods_for, require_reader, schedule_for, staff_results
from .services import staff_pulse_period_open, staff_pulse_schedule_save

TREND_PERIODS = 6


def _reader(request) -> None:
    require_reader(request.scope)


def _results_context(request) -> dict:
    """The page's context: the chosen period (default the latest) with the trend of the periods before it."""
    _reader(request)
    scope = request.scope
    periods = list(periods_for(scope=scope))
    selected = next((p for p in periods if str(p.pk) == request.GET.get("period")), periods[-1] if periods else None)
    context = {"organisation": scope.organisation, "schedule": schedule_for(scope=scope), "periods": periods}
    if selected is not None:
        position = periods.index(selected)
        trend = periods[max(0, position - TREND_PERIODS + 1) : position + 1]
        results = staff_results(scope=scope, periods=trend)
        context |= {
            "selected": selected,
            "results": results,
            "trend": trend,
            "comments": comment_groups(scope=scope, results=results, period=selected),
            "invited": results.invited.get(selected.pk, 0),
        }
    return context


@organisation_view
def index(request):
    return render(request, "staffexperience/index.html", _results_context(request))


@organisation_view
def results_pdf(request):
    """The page's figures and comments as a PDF, under the same threshold plan."""
    context = _results_context(request)
    if "selected" not in context:
        raise Http404
    pdf = pdf_render(template="staffexperience/results_pdf.html", context=context, request=request)
    slug, period = request.scope.organisation.slug, context["selected"].label
    return pdf_response(pdf=pdf, filename=f"staff-pulse-{slug}-{slugify(period)}.pdf")


@organisation_view(managers_only=True)
def schedule(request):
    scope = request.scope
    current = schedule_for(scope=scope)
    units = units_visible(scope=scope).order_by("path")
    initial = (
        {
            "cadence": current.cadence,
            "units": list(current.units.all()),
            "reminder_after_days": current.reminder_after_days,
            "active": current.active,
        }
        if current
        else {"cadence": "month", "reminder_after_days": 7, "active": True}
    )
    form = ScheduleForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            staff_pulse_schedule_save(
                organisation=scope.organisation,
                cadence=data["cadence"],
                units=list(data["units"]),
                reminder_after_days=data["reminder_after_days"],
                active=data["active"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The staff pulse schedule is saved."))
            return redirect("staffexperience:index", org=scope.organisation.slug)
    return render(request, "staffexperience/schedule.html", {"organisation": scope.organisation, "form": form})


@require_POST
@organisation_view(managers_only=True)
def open_period(request):
    scope = request.scope
    period = staff_pulse_period_open(organisation=scope.organisation)
    if period is None:
        messages.info(request, _("Nothing to open: the current period is already open, or no schedule is active."))
    else:
        messages.success(
            request,
            _("The staff pulse %(period)s is open and %(count)s invitations were sent.")
            % {"period": period.label, "count": period.invitations.filter(sent_at__isnull=False).count()},
        )
    return redirect("staffexperience:index", org=scope.organisation.slug)


@organisation_view
def export_csv(request):
    _reader(request)
    results = staff_results(scope=request.scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="staff-pulse-{request.scope.organisation.slug}.csv"'
    writer = csv.writer(response)
    for line in results_csv_rows(results):
        writer.writerow(line)
    return response


@organisation_view
def chain(request):
    _reader(request)
    scope = request.scope
    periods = list(periods_for(scope=scope))
    imported = outcomes_imported(organisation=scope.organisation)
    levels = chain_levels(scope=scope)
    form = ChainForm(request.GET or None, periods=periods, levels=levels, outcomes_imported=imported)
    context = {"organisation": scope.organisation, "form": form, "outcomes_imported": imported}
    if form.is_bound and not form.is_valid():
        # Say what is wrong rather than quietly showing other figures than were asked for.
        return render(request, "staffexperience/chain.html", context | {"report": None}, status=400)
    options = form.cleaned_data if form.is_bound else {}
    report = chain_report(
        scope=scope,
        period_id=options.get("period"),
        measure=options.get("measure") or "eqi",
        outcome=options.get("outcome") or None,
        lag=bool(options.get("lag")),
        level=options.get("level"),
        imported=imported,
    )
    if not form.is_bound:
        # The form shows what the defaults chose (the latest period, the level compared), not its first options.
        form.initial = {"period": report.period.pk if report.period else None, "level": report.level, "measure": "eqi"}
        if report.outcome is not None:
            form.initial["outcome"] = report.outcome.measure
    context |= {
        "report": report,
        "chart": charts.chain_scatter(comparison=report.customer) if report.customer.points else "",
        "outcome_chart": (
            charts.chain_scatter(comparison=report.outcome) if report.outcome and report.outcome.points else ""
        ),
    }
    return render(request, "staffexperience/chain.html", context)
