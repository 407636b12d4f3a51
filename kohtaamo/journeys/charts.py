"""Plotly figures of the journey pages; plotly.js is loaded once by the page from static files."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .flows import PathFlows
from .selectors import JourneyMap

TONE_COLOURS = {"red": "#b42318", "amber": "#b7791f", "green": "#1a7f37", "none": "#8c959f"}
CONFIG = {"displaylogo": False, "responsive": True}


def _html(figure: go.Figure, *, title: str, height: int = 340) -> str:
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        height=height,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        paper_bgcolor="#fff",
        plot_bgcolor="#fff",
        showlegend=False,
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)


def emotion_chart(*, journey: JourneyMap) -> str:
    columns = journey.columns
    values = [c.emotion.value for c in columns]
    figure = go.Figure(
        go.Scatter(
            x=[c.stage.name for c in columns],
            y=values,
            mode="lines+markers",
            line={"shape": "spline", "color": "#0b5cad"},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [
                    (c.emotion.ci_high - c.emotion.value) if c.emotion.ci_high is not None else 0 for c in columns
                ],
                "arrayminus": [
                    (c.emotion.value - c.emotion.ci_low) if c.emotion.ci_low is not None else 0 for c in columns
                ],
            },
            hovertext=[_("n = %(n)s") % {"n": c.emotion.n} for c in columns],
        )
    )
    figure.update_yaxes(range=[0, 100], title=_("Emotion (0–100)"))
    return _html(figure, title=_("Emotion curve across the stages"), height=300)


def flow_chart(*, flows: PathFlows, names: dict[int, str], tones: dict[int, str]) -> str:
    """A Sankey of the actual paths: step by step, with an "ended here" node after each step."""
    labels, colours, index = [], [], {}

    def node(key, label: str, colour: str) -> int:
        if key not in index:
            index[key] = len(labels)
            labels.append(label)
            colours.append(colour)
        return index[key]

    sources, targets, values, link_colours = [], [], [], []
    for (step, touchpoint), following in sorted(flows.transitions.items()):
        source = node(
            (step, touchpoint), f"{step + 1}. {names.get(touchpoint, '?')}", TONE_COLOURS[tones.get(touchpoint, "none")]
        )
        for nxt, count in following.items():
            if nxt is None:
                target = node(("end", step), _("Ended after step %(step)s") % {"step": step + 1}, "#d0d7de")
                link_colours.append("rgba(180,35,24,0.25)")
            else:
                target = node(
                    (step + 1, nxt), f"{step + 2}. {names.get(nxt, '?')}", TONE_COLOURS[tones.get(nxt, "none")]
                )
                link_colours.append("rgba(11,92,173,0.25)")
            sources.append(source)
            targets.append(target)
            values.append(count)
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": labels, "color": colours, "pad": 12, "thickness": 14},
            link={"source": sources, "target": targets, "value": values, "color": link_colours},
        )
    )
    return _html(figure, title=_("Actual paths of customers"), height=460)
