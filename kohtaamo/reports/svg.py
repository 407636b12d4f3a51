"""Small SVG charts for PDFs and pages: no JavaScript, no external files."""

import math
from html import escape


def _svg_open(width: int, height: int) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'


def radar_svg(
    *, labels: list[str], series: dict[str, list[float | None]], maximum: float = 100, size: int = 260
) -> str:
    """A radar (spider) chart: one polygon per series, values 0..maximum; None values are skipped."""
    centre = size / 2
    radius = size / 2 - 40
    n = len(labels)
    colours = ["#0b5cad", "#b42318", "#1a7f37", "#8a5a00", "#6b3fa0"]

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, maximum)) / maximum
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    parts = [_svg_open(size, size)]
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, maximum * ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#d5d9de" stroke-width="1"/>')
    for i, label in enumerate(labels):
        x, y = point(i, maximum * 1.18)
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="middle" fill="#1b1f24">{escape(label)}</text>'
        )
    for k, (name, values) in enumerate(series.items()):
        pts = [point(i, v) for i, v in enumerate(values) if v is not None]
        if len(pts) < 2:
            continue
        colour = colours[k % len(colours)]
        joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        parts.append(
            f'<polygon points="{joined}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polygon>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_svg(*, rows: list[tuple[str, float | None]], maximum: float = 100, width: int = 480, bar: int = 16) -> str:
    """Horizontal bars with their values written out; None is drawn as an empty row."""
    label_w = 180
    height = len(rows) * (bar + 8) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 8 + i * (bar + 8)
        parts.append(f'<text x="0" y="{y + bar - 4}" font-size="10" fill="#1b1f24">{escape(label)}</text>')
        if value is not None:
            w = (width - label_w - 40) * max(0.0, min(value, maximum)) / maximum
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#0b5cad"/>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 4}" font-size="10">{value:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)
