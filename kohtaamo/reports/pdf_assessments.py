"""PDF rendering for 360 reports, tuned for rendering many in a row: one font configuration per process
(font discovery is a large share of a small report's rendering time), otherwise as reports.pdf."""

from functools import cache

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .pdf import StaticFetcher


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def pdf_render_many(*, template: str, context: dict, request=None) -> bytes:
    html = render_to_string(template, context, request=request)
    document = HTML(string=html, base_url="file:///", url_fetcher=StaticFetcher()).render(font_config=_font_config())
    return document.write_pdf()
