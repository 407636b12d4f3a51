"""The side-by-side view as CSV rows and as API data: the same cells, so the same threshold rule."""

import csv
import io

from django.utils.translation import gettext as _

from .models import Audience
from .selectors import AUDIENCES, EQI, RESPONSES, Cell, SideBySide

CSV_HEADER = [
    "unit_id",
    "unit",
    "audience",
    "metric",
    "hidden",  # yes: below the threshold, or hidden so that another unit's figure cannot be worked out
    "hidden_reason",  # below_threshold / protects_other_unit
    "n",
    "value",
    "ci_low",
    "ci_high",
    "indicative",
]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _csv_row(row, audience: str, metric: str, cell: Cell) -> list[str]:
    if cell.hidden:
        return [row.unit.pk, row.unit.name, audience, metric, "yes", cell.hidden_reason, "", "", "", "", ""]
    estimate = cell.estimate
    value = str(cell.n) if metric == RESPONSES else _number(estimate.value)
    indicative = "" if cell.n == 0 else ("yes" if estimate.indicative else "no")
    return [
        row.unit.pk,
        row.unit.name,
        audience,
        metric,
        "no",
        "",
        str(cell.n),
        value if cell.n else "",
        "" if metric == RESPONSES else _number(estimate.ci_low),
        "" if metric == RESPONSES else _number(estimate.ci_high),
        indicative,
    ]


def side_by_side_csv(report: SideBySide) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        for audience in AUDIENCES:
            cells = row.audiences[audience]
            writer.writerow(_csv_row(row, audience, RESPONSES, cells.responses))
            writer.writerow(_csv_row(row, audience, EQI, cells.eqi))
            for code, cell in cells.elements.items():
                writer.writerow(_csv_row(row, audience, code, cell))
    return out.getvalue()


def audience_labels() -> dict[str, str]:
    return {
        Audience.CUSTOMER: _("Customers"),
        Audience.PARTNER: _("Partners"),
        Audience.INTERNAL_CUSTOMER: _("Internal customers"),
    }


def side_by_side_data(report: SideBySide) -> dict:
    return {
        "period": report.period.code,
        "period_start": report.period.start,
        "period_end": report.period.end,
        "threshold": report.threshold,
        "audiences": list(AUDIENCES),
        "units": [
            {
                "unit": row.unit.pk,
                "name": row.unit.name,
                "parent": row.unit.parent_id,
                "audiences": {
                    audience: {
                        "responses": cells.responses.as_dict(),
                        "eqi": cells.eqi.as_dict(),
                        "elements": {code: cell.as_dict() for code, cell in cells.elements.items()},
                    }
                    for audience, cells in row.audiences.items()
                },
            }
            for row in report.rows
        ],
    }
