"""What the report page, the PDF and the CSV share: side labels, chart and table rows, CSV lines."""

import csv
import io

from django.utils.translation import gettext as _

from kohtaamo.feedback.models import RespondentRole
from kohtaamo.reports.svg import radar_svg
from kohtaamo.reports.svg_maturity import gap_svg

from .selectors import SIDES, Cell, MaturityReport


def side_labels() -> dict[str, str]:
    return {
        RespondentRole.MANAGEMENT: _("Management"),
        RespondentRole.STAFF: _("Staff"),
        RespondentRole.CUSTOMER: _("Customers"),
    }


def report_context(*, report: MaturityReport) -> dict:
    labels = side_labels()
    themes = report.themes
    return {
        "report": report,
        "survey": report.survey,
        "sides": [(side, labels[side]) for side in SIDES],
        "gap_chart": gap_svg(
            rows=[(t.name, [t.value(side) for side in SIDES]) for t in themes],
            sides=[labels[side] for side in SIDES],
        ),
        "profile_chart": radar_svg(
            labels=[str(t.dimension.order) for t in themes],
            series={labels[side]: [t.value(side) for t in themes] for side in SIDES},
            size=300,
        ),
        "unit_tables": [(side, labels[side], rows) for side, rows in report.units.items()],
        "management": RespondentRole.MANAGEMENT,
        "staff": RespondentRole.STAFF,
        "customer": RespondentRole.CUSTOMER,
    }


CSV_HEADER = [
    "section",
    "year",
    "theme",
    "theme_name",
    "side",
    "unit",
    "n",
    "mean_0_100",
    "ci_low",
    "ci_high",
    "excellent_pct",
    "excellent_ci_low",
    "excellent_ci_high",
    "hidden_below_threshold",
]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _cell_fields(cell: Cell) -> list[str]:
    if cell.hidden:
        return ["", "", "", "", "", "", "", "yes"]
    s, e = cell.score, cell.excellent
    return [
        str(s.n),
        _number(s.value),
        _number(s.ci_low),
        _number(s.ci_high),
        _number(e.value),
        _number(e.ci_low),
        _number(e.ci_high),
        "no",
    ]


def report_csv(*, report: MaturityReport) -> str:
    """The report's figures in long format: one line per theme, side and (for per-unit figures) unit.
    Cells hidden by the threshold carry no figures, not even their n."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    year = str(report.survey.year)
    for theme in report.themes:
        for side in SIDES:
            writer.writerow(["gap", year, theme.code, theme.name, side, "", *_cell_fields(theme.cells[side])])
    for side, rows in report.units.items():
        for row in rows:
            unit = row.unit.name if row.unit else _("No unit given")
            for theme in report.themes:
                cell = row.cells[theme.code]
                writer.writerow(["unit", year, theme.code, theme.name, side, unit, *_cell_fields(cell)])
    return out.getvalue()
