"""The chain's scatter plot (Plotly; plotly.js is loaded by the page from static files)."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .chain import Comparison

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


def chain_scatter(*, comparison: Comparison) -> str:
    """Staff index (x) against the customer figure or the outcome (y), one point per unit, with 95 % CIs."""
    points = comparison.points
    xs = [p.staff.value for p in points]
    ys = [p.figure.value for p in points]
    hover = [
        _("%(unit)s: staff n = %(staff_n)s, customers n = %(customer_n)s")
        % {"unit": p.unit.name, "staff_n": p.staff.n, "customer_n": p.figure.n}
        for p in points
    ]
    figure = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=[p.unit.name for p in points],
            textposition="top center",
            hovertext=hover,
            hoverinfo="text",
            marker={
                "color": ACCENT,
                "size": 10,
                # Open markers where either figure rests on fewer than 10 answers.
                "symbol": ["circle-open" if p.staff.indicative or p.figure.indicative else "circle" for p in points],
            },
            error_x=_bars(xs, [p.staff.ci_low for p in points], [p.staff.ci_high for p in points]),
            error_y=_bars(ys, [p.figure.ci_low for p in points], [p.figure.ci_high for p in points]),
        )
    )
    figure.update_layout(
        height=420,
        margin={"l": 60, "r": 20, "t": 30, "b": 60},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        showlegend=False,
        xaxis={"title": {"text": _("Staff experience index (0–100)")}, "gridcolor": "#e3e6ea"},
        yaxis={"title": {"text": comparison.label}, "gridcolor": "#e3e6ea"},
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)
