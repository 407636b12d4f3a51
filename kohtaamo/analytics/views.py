"""Dashboard pages: figures with drill-down from organisation to unit to person to a single response."""

from dataclasses import replace

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kohtaamo.organisations.decorators import organisation_view
from kohtaamo.organisations.selectors import person_for

from . import charts, selectors, significance
from .forms import DashboardFilterForm

# Columns of the breakdown table; the chart's metric is added when it is not one of them.
BREAKDOWN_COLUMNS = ("nps", "csat", "ces", "eqi")
BREAKDOWN_TITLES = {
    "unit": gettext_lazy("By unit"),
    "person": gettext_lazy("By person"),
    "channel": gettext_lazy("By channel"),
    "touchpoint": gettext_lazy("By touchpoint"),
}


def _query(params: QueryDict, **changes) -> str:
    """The current filters with some changed (None removes one); the page number never carries over."""
    query = params.copy()
    query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return query.urlencode()


def _figures_context(*, request, form, filters, basis, catalogue) -> dict:
    """Tiles and the trend (chart and its table) for the filtered responses."""
    specs = {spec.key: spec for spec in catalogue}
    chart_spec = specs.get(form.chart_metric, catalogue[0])
    figures = selectors.overview(scope=request.scope, filters=filters, basis=basis)
    points = selectors.trend(scope=request.scope, filters=filters, basis=basis)
    estimates = [point.figures[chart_spec.key] for point in points]
    changes = significance.period_changes(estimates, kind=chart_spec.kind)
    return {
        "trend_marked": [
            (point, estimate, change) for point, estimate, change in zip(points, estimates, changes, strict=True)
        ],
        "tiles": [(spec, figures[spec.key]) for spec in catalogue],
        "chart_spec": chart_spec,
        "trend_rows": [(point, point.figures[chart_spec.key]) for point in points],
        "trend_chart": charts.trend_chart(points=points, spec=chart_spec) if points else "",
        "query": _query(request.GET),
    }


def _row_link(request, breakdown, row) -> str | None:
    if row.key is None:
        return None
    if breakdown.by == "unit":
        return "?" + _query(request.GET, unit=row.key, by=row.drill_by)
    if breakdown.by == "person":
        url = reverse("analytics:person", kwargs={"org": request.scope.organisation.slug, "person_id": row.key})
        return f"{url}?{_query(request.GET, unit=None, person=None, by=None)}"
    return "?" + _query(request.GET, **{breakdown.by: row.key, "by": "unit"})


def _breakdown_context(*, request, form, filters, basis, catalogue, chart_spec) -> dict:
    breakdown = selectors.breakdown(scope=request.scope, filters=filters, by=form.breakdown_by, basis=basis)
    specs = {spec.key: spec for spec in catalogue}
    columns = [specs[key] for key in BREAKDOWN_COLUMNS]
    if chart_spec not in columns:
        columns.append(chart_spec)
    rows = [
        {
            "row": row,
            "link": _row_link(request, breakdown, row),
            "cells": [(spec, row.figures[spec.key]) for spec in columns],
        }
        for row in breakdown.rows
    ]
    _mark_differences(rows, spec=chart_spec)
    if breakdown.by == "unit" and breakdown.anchor is not None:
        title = _("Units under %(unit)s") % {"unit": breakdown.anchor.name}
    else:
        title = str(BREAKDOWN_TITLES[breakdown.by])
    return {
        "breakdown_title": title,
        "breakdown": breakdown,
        "breakdown_columns": columns,
        "breakdown_rows": rows,
        "breakdown_chart": charts.breakdown_chart(rows=breakdown.rows, spec=chart_spec) if breakdown.rows else "",
    }


def _mark_differences(rows: list[dict], *, spec) -> None:
    """Per row, the groups it differs from significantly on the chart's figure (pairwise, Holm-corrected)."""
    tested = significance.pairwise([item["row"].figures[spec.key] for item in rows], kind=spec.kind)
    for item in rows:
        item["higher_than"], item["lower_than"] = [], []
    for (i, j), comparison in tested.items():
        if comparison.significant:
            high, low = (i, j) if comparison.difference > 0 else (j, i)
            rows[high]["higher_than"].append(rows[low]["row"].label)
            rows[low]["lower_than"].append(rows[high]["row"].label)
    for item in rows:
        item["test"] = significance.TESTS.get(spec.kind, "")


@organisation_view
def dashboard(request):
    basis = selectors.metric_basis(organisation=request.scope.organisation)
    catalogue = selectors.metric_catalogue(basis=basis)
    form = DashboardFilterForm(request.GET, scope=request.scope, catalogue=catalogue)
    context = {"form": form, "omit": ()}
    if form.is_valid():
        filters = form.dashboard_filter()
        figures = {"request": request, "form": form, "filters": filters, "basis": basis, "catalogue": catalogue}
        context |= _figures_context(**figures)
        context |= _breakdown_context(**figures, chart_spec=context["chart_spec"])
        context["filters"] = filters
        context["all_units_query"] = _query(request.GET, unit=None, by="unit")
        if filters.unit is not None:
            context["ancestors"] = [
                (unit, _query(request.GET, unit=unit.pk, by="unit"))
                for unit in selectors.unit_ancestors(scope=request.scope, unit=filters.unit)
            ]
    return render(request, "analytics/dashboard.html", context)


@organisation_view
def person(request, person_id: int):
    subject = person_for(scope=request.scope, person_id=person_id)
    basis = selectors.metric_basis(organisation=request.scope.organisation)
    catalogue = selectors.metric_catalogue(basis=basis)
    form = DashboardFilterForm(request.GET, scope=request.scope, catalogue=catalogue)
    context = {"form": form, "person": subject, "omit": ("unit", "person", "by")}
    if form.is_valid():
        filters = replace(form.dashboard_filter(), unit=None, person=subject)
        context |= _figures_context(request=request, form=form, filters=filters, basis=basis, catalogue=catalogue)
        context["page"] = selectors.responses_page(scope=request.scope, filters=filters, page=1)
        context["responses_query"] = _query(request.GET, unit=None, person=subject.pk, by=None)
    return render(request, "analytics/person.html", context)


@organisation_view
def response_list(request):
    form = DashboardFilterForm(request.GET, scope=request.scope)
    context = {"form": form, "omit": ("by", "granularity")}
    if form.is_valid():
        context["page"] = selectors.responses_page(
            scope=request.scope, filters=form.dashboard_filter(), page=request.GET.get("page")
        )
        context["query"] = _query(request.GET)
    return render(request, "analytics/responses.html", context)


@organisation_view
def response_detail(request, response_id: int):
    detail = selectors.response_detail(scope=request.scope, response_id=response_id)
    return render(request, "analytics/response_detail.html", {"detail": detail})
