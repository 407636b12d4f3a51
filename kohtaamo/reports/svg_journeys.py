"""The journey map as one SVG: stages as columns, touchpoint cards coloured by their live score,
and the emotion curve under them. Used by the PDF, the PNG export and the printable page."""

from html import escape

from django.utils.translation import gettext as _

TONE_FILLS = {"red": "#fbe4e2", "amber": "#fdf1d8", "green": "#e3f4e6", "none": "#f2f4f6"}
TONE_STROKES = {"red": "#b42318", "amber": "#b7791f", "green": "#1a7f37", "none": "#8c959f"}
COLUMN_W = 190
CARD_H = 62
GAP = 10
HEADER_H = 40
CURVE_H = 120


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _figure_text(card) -> str:
    estimate = card.value
    if estimate.value is None:
        return _("no answers")
    text = f"{estimate.value:.0f} (n={estimate.n})"
    if estimate.ci_low is not None:
        text += f" [{estimate.ci_low:.0f}–{estimate.ci_high:.0f}]"
    return text


def journey_map_svg(*, journey) -> str:
    """`journey` is a journeys.selectors.JourneyMap."""
    columns = journey.columns
    rows = max((len(c.cards) for c in columns), default=0)
    width = max(1, len(columns)) * (COLUMN_W + GAP) + GAP
    cards_bottom = HEADER_H + rows * (CARD_H + GAP) + GAP
    height = cards_bottom + CURVE_H + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    points = []
    for i, column in enumerate(columns):
        x = GAP + i * (COLUMN_W + GAP)
        title = _short(column.stage.name) + (f" ({_('archived')})" if column.archived else "")
        parts.append(f'<rect x="{x}" y="{GAP}" width="{COLUMN_W}" height="{HEADER_H - GAP}" fill="#0b5cad" rx="4"/>')
        parts.append(
            f'<text x="{x + 8}" y="{GAP + 20}" font-size="12" font-weight="bold" fill="#ffffff">{escape(title)}</text>'
        )
        for j, card in enumerate(column.cards):
            y = HEADER_H + GAP + j * (CARD_H + GAP)
            stroke_width = 3 if (card.lowest or card.moment_of_truth) else 1.5
            parts.append(
                f'<rect x="{x}" y="{y}" width="{COLUMN_W}" height="{CARD_H}" rx="6" fill="{TONE_FILLS[card.tone]}" '
                f'stroke="{TONE_STROKES[card.tone]}" stroke-width="{stroke_width}"/>'
            )
            parts.append(
                f'<text x="{x + 8}" y="{y + 18}" font-size="11" font-weight="bold" fill="#1b1f24">'
                f"{escape(_short(card.touchpoint.name))}</text>"
            )
            parts.append(
                f'<text x="{x + 8}" y="{y + 35}" font-size="10" fill="#1b1f24">{escape(_figure_text(card))}</text>'
            )
            flags = []
            if card.lowest:
                flags.append(_("lowest"))
            if card.moment_of_truth:
                flags.append(_("moment of truth"))
            if card.value.value is not None and card.value.indicative:
                flags.append(_("indicative"))
            if flags:
                parts.append(
                    f'<text x="{x + 8}" y="{y + 51}" font-size="9" fill="{TONE_STROKES[card.tone]}">'
                    f"{escape(' · '.join(flags))}</text>"
                )
        if column.emotion.value is not None:
            cy = cards_bottom + 10 + (CURVE_H - 20) * (1 - column.emotion.value / 100)
            points.append((x + COLUMN_W / 2, cy, column.emotion))
    top = cards_bottom + 10
    parts.append(
        f'<line x1="{GAP}" y1="{top + CURVE_H - 20}" x2="{width - GAP}" y2="{top + CURVE_H - 20}" stroke="#d0d7de"/>'
    )
    parts.append(f'<text x="{GAP}" y="{top - 2}" font-size="10" fill="#555d66">{escape(_("Emotion (0–100)"))}</text>')
    if len(points) > 1:
        joined = " ".join(f"{px:.1f},{py:.1f}" for px, py, _e in points)
        parts.append(f'<polyline points="{joined}" fill="none" stroke="#0b5cad" stroke-width="2"/>')
    for px, py, estimate in points:
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#0b5cad"/>')
        parts.append(
            f'<text x="{px + 6:.1f}" y="{py - 6:.1f}" font-size="9" fill="#1b1f24">'
            f"{estimate.value:.0f} (n={estimate.n})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def journey_map_png(*, journey, scale: float = 2.0) -> bytes:
    """The same SVG rendered to PNG with CairoSVG (offline)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=journey_map_svg(journey=journey).encode("utf-8"), scale=scale)
