"""PDF rendering with WeasyPrint: HTML templates to PDF, offline, with Debian's fonts.

Charts in PDFs are inline SVG (see svg.py): WeasyPrint draws SVG itself, no browser needed.
"""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticFetcher(URLFetcher):
    """Report templates refer to /static/...: served from the static finders, never over the network."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url, headers=None):
        if "/static/" in url and url.startswith("file:"):
            path = finders.find(url.split("/static/", 1)[1])
            if path:
                url = f"file://{path}"
        return super().fetch(url, headers)


def pdf_render(*, template: str, context: dict, request=None) -> bytes:
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url="file:///", url_fetcher=StaticFetcher()).write_pdf()


def pdf_response(*, pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
