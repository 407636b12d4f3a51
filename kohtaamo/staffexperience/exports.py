"""The staff results as CSV rows: the same cells as the page, hidden ones without any figure."""

from collections.abc import Iterator

from kohtaamo.analytics.metrics import Estimate

from .selectors import StaffResults


def _figure(estimate: Estimate | None) -> list:
    if estimate is None or estimate.value is None:
        return ["", "", ""]
    return [round(estimate.value, 2), _round(estimate.ci_low), _round(estimate.ci_high)]


def _round(value: float | None):
    return "" if value is None else round(value, 2)


def results_csv_rows(results: StaffResults) -> Iterator[list]:
    header = ["period_start", "period_end", "unit_id", "unit", "shown", "n", "index", "index_ci_low", "index_ci_high"]
    for item in results.items:
        header += [
            f"{item.code}_{part}"
            for part in ("mean", "mean_ci_low", "mean_ci_high", "agree_pct", "agree_ci_low", "agree_ci_high")
        ]
    yield header
    for period in results.periods:
        for row in results.rows:
            cell = row.cells[period.pk]
            line = [period.start.isoformat(), period.end.isoformat(), row.unit.pk, row.unit.name]
            if cell.hidden:
                yield line + ["no"] + [""] * (len(header) - 5)
                continue
            line += ["yes", cell.n, *_figure(cell.index)]
            for item in results.items:
                figure = cell.items[item.code]
                line += _figure(figure.mean) + _figure(figure.agree)
            yield line
