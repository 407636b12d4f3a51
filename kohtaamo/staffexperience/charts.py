"""The chain's scatter plot (Plotly; plotly.js is loaded by the page from static files)."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .chain import MEASURES, ChainReport

ACCENT = "#0b5cad"
CONFIG = {"displaylogo": False, "responsive": True}


def _bars(values, lows, highs) -> dict:
    return {
        "type": "data",
        "symmetric": False,
        "array": [h - v if h is not None else 0 for v, h in zip(values, highs, strict=True)],
        "arrayminus": [v - lo if lo is not None else 0 for v, lo in zip(values, lows, strict=True)],
        "color": "#8a939c",
        "thickness": 1,
    }


def chain_scatter(*, report: ChainReport) -> str:
    """Staff index (x) against the customer figure (y), one point per unit, both with 95 % CIs."""
    xs = [p.staff.value for p in report.points]
    ys = [p.customer.value for p in report.points]
    hover = [
        _("%(unit)s: staff n = %(staff_n)s, customers n = %(customer_n)s")
        % {"unit": p.unit.name, "staff_n": p.staff.n, "customer_n": p.customer.n}
        for p in report.points
    ]
    figure = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=[p.unit.name for p in report.points],
            textposition="top center",
            hovertext=hover,
            hoverinfo="text",
            marker={
                "color": ACCENT,
                "size": 10,
                # Open markers where either figure rests on fewer than 10 answers.
                "symbol": [
                    "circle-open" if p.staff.indicative or p.customer.indicative else "circle" for p in report.points
                ],
            },
            error_x=_bars(xs, [p.staff.ci_low for p in report.points], [p.staff.ci_high for p in report.points]),
            error_y=_bars(ys, [p.customer.ci_low for p in report.points], [p.customer.ci_high for p in report.points]),
        )
    )
    figure.update_layout(
        height=420,
        margin={"l": 60, "r": 20, "t": 30, "b": 60},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        showlegend=False,
        xaxis={"title": {"text": _("Staff experience index (0–100)")}, "gridcolor": "#e3e6ea"},
        yaxis={"title": {"text": str(MEASURES[report.measure])}, "gridcolor": "#e3e6ea"},
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)
