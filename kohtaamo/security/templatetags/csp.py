"""`{% nonced html %}`: gives the request's CSP nonce to the inline scripts of trusted, server-made HTML
(Plotly figures). Never use it on anything a user wrote."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_SCRIPT_TAG = re.compile(r"<script(?=[\s>])", re.IGNORECASE)


@register.simple_tag(takes_context=True)
def nonced(context, html) -> str:
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", None)
    if not html or nonce is None:
        return mark_safe(html or "")  # noqa: S308 - server-made figure HTML
    return mark_safe(_SCRIPT_TAG.sub(f'<script nonce="{escape(str(nonce))}"', str(html)))  # noqa: S308
