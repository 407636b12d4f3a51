"""The importance-versus-performance chart of key drivers (Plotly; plotly.js comes from static files)."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .selectors import DriverReport

CONFIG = {"displaylogo": False, "responsive": True}


def importance_performance_chart(*, report: DriverReport) -> str:
    rows = report.rows
    figure = go.Figure(
        go.Scatter(
            x=[r.performance for r in rows],
            y=[100 * r.driver.weight for r in rows],
            mode="markers+text",
            text=[r.label for r in rows],
            textposition="top center",
            marker={
                "size": 12,
                "color": [
                    "#b3261e" if r.fix_first else ("#0b5cad" if r.driver.significant else "#9aa3ad") for r in rows
                ],
            },
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [100 * (r.driver.ci_high - r.driver.weight) for r in rows],
                "arrayminus": [100 * (r.driver.weight - r.driver.ci_low) for r in rows],
                "color": "#555d66",
            },
            hovertemplate="%{text}<br>"
            + _("performance")
            + " %{x:.0f}, "
            + _("importance")
            + " %{y:.1f} %<extra></extra>",
        )
    )
    if rows:
        average = sum(r.performance for r in rows) / len(rows)
        figure.add_vline(x=average, line_dash="dot", line_color="#555d66")
    figure.update_layout(
        title={"text": _("Importance versus performance (n = %(n)s)") % {"n": report.n}, "font": {"size": 15}},
        xaxis_title=_("Performance (0–100)"),
        yaxis_title=_("Importance (% of variance explained)"),
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        showlegend=False,
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)
