"""The perception-gap chart: per theme, one 0–100 line with a marker per side."""

from html import escape

from .svg import _svg_open

SIDE_COLOURS = ("#0b5cad", "#b42318", "#1a7f37")
SIDE_SHAPES = ("circle", "square", "diamond")


def _marker(shape: str, x: float, y: float, colour: str, title: str) -> str:
    tip = f"<title>{escape(title)}</title>"
    if shape == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}">{tip}</rect>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">{tip}</circle>'


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def gap_svg(*, rows: list[tuple[str, list[float | None]]], sides: list[str], width: int = 620) -> str:
    """`rows`: (theme label, one value 0–100 or None per side). Markers differ in shape and colour."""
    label_w, row_h, top = 250, 26, 30
    plot_w = width - label_w - 20
    height = top + row_h * len(rows) + 10
    parts = [_svg_open(width, height)]
    for k, side in enumerate(sides):
        x = label_w + k * 110
        parts.append(_marker(SIDE_SHAPES[k], x + 6, 12, SIDE_COLOURS[k], side))
        parts.append(f'<text x="{x + 16}" y="16" font-size="10">{escape(side)}</text>')
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="#e3e6ea"/>')
        parts.append(f'<text x="{x:.1f}" y="{height}" font-size="8" text-anchor="middle">{tick}</text>')
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        text = f"{escape(_short(label))}<title>{escape(label)}</title>"
        parts.append(f'<text x="0" y="{y + 3:.1f}" font-size="10" fill="#1b1f24">{text}</text>')
        present = [v for v in values if v is not None]
        if len(present) >= 2:
            x1, x2 = (label_w + plot_w * v / 100 for v in (min(present), max(present)))
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="#8b949e" stroke-width="2"/>'
            )
        for k, value in enumerate(values):
            if value is not None:
                x = label_w + plot_w * max(0.0, min(value, 100.0)) / 100
                parts.append(_marker(SIDE_SHAPES[k], x, y, SIDE_COLOURS[k], f"{sides[k]}: {value:.1f}"))
    parts.append("</svg>")
    return "".join(parts)
