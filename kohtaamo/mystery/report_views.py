"""Location reports (page, PDF, CSV, XLSX), a published visit, and the fee export."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import unit_for, units_visible
from kohtaamo.reports.pdf import pdf_render, pdf_response
from kohtaamo.reports.svg import bar_svg

from . import selectors
from .checklist import checklist_rows
from .services import notice_current
from .visits import scenario_items


def _filters(request):
    """The wave (default: the latest) and unit (default: everything in scope) the report is about."""
    scope = request.scope
    waves = selectors.waves_visible(scope=scope)
    wave = waves.filter(pk=request.GET.get("wave") or 0).first() or waves.first()
    unit_id = request.GET.get("unit")
    unit = unit_for(scope=scope, unit_id=int(unit_id)) if unit_id and unit_id.isdigit() else None
    if unit is None and scope.unit_path is not None:
        unit = units_visible(scope=scope).order_by("path").first()
    return waves, wave, unit


def report_context(request) -> dict:
    scope = request.scope
    waves, wave, unit = _filters(request)
    locations = selectors.location_scores(scope=scope, wave=wave, unit=unit)
    trend = selectors.wave_trend(scope=scope, unit=unit)
    return {
        "waves": waves,
        "wave": wave,
        "unit": unit,
        "units": units_visible(scope=scope),
        "overall": selectors.overall(scope=scope, wave=wave, unit=unit),
        "locations": locations,
        "best": locations[:3],
        "worst": list(reversed(locations[-3:])) if len(locations) > 3 else [],
        "trend": trend,
        "trend_chart": mark_safe(bar_svg(rows=[(r.label, r.estimate.value) for r in trend])),  # noqa: S308
        "location_chart": mark_safe(bar_svg(rows=[(r.label, r.estimate.value) for r in locations])),  # noqa: S308
        "sections": selectors.section_scores(scope=scope, wave=wave, unit=unit),
        "items": selectors.item_scores(scope=scope, wave=wave, unit=unit),
        "comparison": selectors.dimension_comparison(scope=scope, wave=wave, unit=unit) if wave else [],
        "visits": selectors.evidence_rows(scope=scope, wave=wave, unit=unit)[:100],
    }


@organisation_view
def location_report(request):
    return render(request, "mystery/report.html", report_context(request))


@organisation_view
def location_report_pdf(request):
    context = report_context(request)
    pdf = pdf_render(template="mystery/report_pdf.html", context=context, request=request)
    return pdf_response(pdf=pdf, filename="mystery-shopping.pdf")


def _table_rows(context: dict) -> list[list]:
    """One flat table for CSV and XLSX: level, name, score, n, CI, flags."""
    header = [
        _("Level"),
        _("Name"),
        _("Score (0–100)"),
        _("n"),
        _("95 % CI low"),
        _("95 % CI high"),
        _("Indicative (n < 10)"),
    ]
    rows = [header]

    def add(level: str, name: str, estimate) -> None:
        rows.append(
            [
                level,
                name,
                _round(estimate.value),
                estimate.n,
                _round(estimate.ci_low),
                _round(estimate.ci_high),
                estimate.indicative,
            ]
        )

    add(_("Total"), context["unit"].name if context["unit"] else _("All locations"), context["overall"])
    for row in context["locations"]:
        add(_("Location"), row.label, row.estimate)
    for row in context["sections"]:
        add(_("Section"), row.label, row.estimate)
    for row in context["items"]:
        add(_("Item"), f"{row.extra['section']}: {row.label}", row.estimate)
    for row in context["comparison"]:
        add(_("Dimension, mystery"), row["dimension"].name, row["mystery"])
        if row["pulse"]:
            add(_("Dimension, customers"), row["dimension"].name, row["pulse"])
    for row in context["trend"]:
        add(_("Wave"), row.label, row.estimate)
    return rows


def _round(value):
    return None if value is None else round(value, 1)


@organisation_view
def location_report_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mystery-shopping.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(_table_rows(report_context(request)))
    return response


@organisation_view
def location_report_xlsx(request):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mystery shopping")[:31]
    for row in _table_rows(report_context(request)):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mystery-shopping.xlsx"'
    return response


@organisation_view
def visit_detail(request, report_id: int):
    """A published visit: its answers, scores and evidence, as QA approved them."""
    scope = request.scope
    report = selectors.report_published(scope=scope, report_id=report_id)
    answers = {a.item_id: a for a in report.answers.select_related("item")}
    visit_day = timezone.localdate(report.visit_started_at) if report.visit_started_at else None
    notice = notice_current(organisation=scope.organisation, on=visit_day)
    return render(
        request,
        "mystery/visit.html",
        {
            "report": report,
            "sections": checklist_rows(scenario_items(report), answers),
            "part_scores": report.part_scores.select_related("section", "dimension"),
            "evidence": report.evidence.all(),
            # Staff are identified only where the notice to employees announced it.
            "show_staff": bool(notice and notice.staff_identification_announced),
        },
    )


@organisation_view(managers_only=True)
def fees_csv(request):
    waves, wave, _unit = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mystery-fees.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Shopper"), _("E-mail"), _("Wave"), _("Unit"), _("Channel"), _("Approved"), _("Fee (EUR)")])
    for a in selectors.fee_rows(scope=request.scope, wave=wave):
        writer.writerow(
            [
                a.shopper.name,
                a.shopper.user.email,
                a.wave.name,
                a.unit.name,
                a.get_channel_display(),
                a.report.approved_at.date().isoformat(),
                f"{a.fee:.2f}",
            ]
        )
    return response
