"""Content-Security-Policy with a fresh script nonce per request.

Scripts run only from our own origin or with the request's nonce (Plotly's figure scripts carry it).
Styles allow 'unsafe-inline': plotly.js writes <style> elements and style attributes at run time and
a nonce cannot reach those; a style cannot run code, so the risk left is small.
"""

import secrets

from django.utils.functional import SimpleLazyObject

HEADER = "Content-Security-Policy"


def csp_policy(*, nonce: str, override: dict[str, str] | None = None) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    directives.update(override or {})
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sets `request.csp_nonce` (made on first use) and the policy header on every response.

    A view may replace single directives with `response.csp_override = {"frame-ancestors": "*"}`
    (e.g. a page meant to be embedded in other sites)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(18))
        response = self.get_response(request)
        if HEADER not in response:
            override = getattr(response, "csp_override", None)
            response[HEADER] = csp_policy(nonce=str(request.csp_nonce), override=override)
        return response
