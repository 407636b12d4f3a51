"""Content-Security-Policy: the header on every response, a fresh nonce each time, the nonce on every
inline script the pages carry, and no inline handlers or javascript: URLs in any template."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kohtaamo.security.csp import ContentSecurityPolicyMiddleware

from .test_dashboard import build_sample

TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "kohtaamo").glob("**/templates/**/*.html"))
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _directives(header: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in header.split("; "))


@pytest.mark.django_db
def test_the_policy_and_a_fresh_nonce_on_every_response(client):
    first = _directives(client.get("/accounts/login/")["Content-Security-Policy"])
    second = _directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert first["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_-]{24}'", first["script-src"])
    assert first["script-src"] != second["script-src"]
    assert first["img-src"] == "'self' data:"
    assert first["object-src"] == "'none'" and first["frame-ancestors"] == "'none'"
    assert first["base-uri"] == "'self'" and first["form-action"] == "'self'"
    assert "unsafe" not in first["script-src"]


@pytest.mark.django_db
def test_every_inline_script_of_the_dashboard_carries_the_nonce(client, world):
    build_sample(world)
    client.force_login(world.cx_lead)
    page = client.get("/o/acme/", **EN)
    nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"]).group(1)
    html = page.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert len(inline) >= 2  # the trend and breakdown charts
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline), inline
    assert f'"inlineScriptNonce":"{nonce}"' in html  # htmx gives swapped-in chart scripts the page's nonce


def test_templates_have_no_inline_scripts_handlers_or_javascript_urls():
    checks = {
        "inline <script> without nonce": re.compile(r"<script(?![^>]*\b(src|nonce)=)[^>]*>"),
        "inline on*= event handler": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
        "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    }
    offenders = [
        f"{str(template).split('/kohtaamo/', 1)[-1]}: {problem}"
        for template in TEMPLATES
        for problem, pattern in checks.items()
        if pattern.search(template.read_text(encoding="utf-8"))
    ]
    assert len(TEMPLATES) > 50
    assert offenders == []


def test_a_view_may_loosen_single_directives():
    def embeddable(request):
        response = HttpResponse("ok")
        response.csp_override = {"frame-ancestors": "*"}
        return response

    header = ContentSecurityPolicyMiddleware(embeddable)(RequestFactory().get("/"))["Content-Security-Policy"]
    assert _directives(header)["frame-ancestors"] == "*"
    assert _directives(header)["default-src"] == "'self'"
