"""Plotly figures for the dashboard. plotly.js itself is loaded once by the page from static files."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .metrics import Estimate
from .selectors import BreakdownRow, MetricSpec, TrendPoint

ACCENT = "#0b5cad"
CONFIG = {"displaylogo": False, "responsive": True}


def _errors(estimates: list[Estimate]) -> dict:
    """Asymmetric 95 % CI bars; a missing interval draws no bar."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [e.ci_high - e.value if e.ci_high is not None else 0 for e in estimates],
        "arrayminus": [e.value - e.ci_low if e.ci_low is not None else 0 for e in estimates],
        "color": "#555d66",
    }


def _markers(estimates: list[Estimate]) -> dict:
    # Open markers for indicative figures (n < 10), so the flag survives in the picture too.
    return {"color": ACCENT, "size": 9, "symbol": ["circle-open" if e.indicative else "circle" for e in estimates]}


def _hover(estimates: list[Estimate]) -> list[str]:
    return [_("n = %(n)s") % {"n": e.n} + (" · " + _("indicative (n < 10)") if e.indicative else "") for e in estimates]


def _value_range(spec: MetricSpec) -> list[int] | None:
    # Shares and 0–100 scores keep their whole scale, so small differences do not look large.
    return [0, 100] if spec.kind in ("percent", "score") else None


def _html(figure: go.Figure, *, title: str) -> str:
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        height=340,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        showlegend=False,
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)


def trend_chart(*, points: list[TrendPoint], spec: MetricSpec) -> str:
    estimates = [p.figures[spec.key] for p in points if p.figures[spec.key].value is not None]
    labels = [p.label for p in points if p.figures[spec.key].value is not None]
    figure = go.Figure(
        go.Scatter(
            x=labels,
            y=[e.value for e in estimates],
            mode="lines+markers",
            line={"color": ACCENT},
            marker=_markers(estimates),
            error_y=_errors(estimates),
            text=_hover(estimates),
            hovertemplate="%{x}: %{y:.1f}<br>%{text}<extra></extra>",
        )
    )
    figure.update_xaxes(type="category")
    figure.update_yaxes(range=_value_range(spec))
    return _html(figure, title=_("%(metric)s by period") % {"metric": spec.label})


def breakdown_chart(*, rows: list[BreakdownRow], spec: MetricSpec) -> str:
    shown = [r for r in rows if r.figures[spec.key].value is not None]
    estimates = [r.figures[spec.key] for r in shown]
    figure = go.Figure(
        go.Bar(
            y=[r.label for r in shown],
            x=[e.value for e in estimates],
            orientation="h",
            marker={"color": [("#9dbbe0" if e.indicative else ACCENT) for e in estimates]},
            error_x=_errors(estimates),
            text=_hover(estimates),
            textposition="none",
            hovertemplate="%{y}: %{x:.1f}<br>%{text}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(range=_value_range(spec))
    return _html(figure, title=_("%(metric)s by group") % {"metric": spec.label})
