"""Allowed page origins: exactly scheme://host[:port], the form browsers send in the Origin header."""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ORIGINS = 20
DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _host_valid(host: str) -> bool:
    if host.startswith("["):
        try:
            return host.endswith("]") and ipaddress.IPv6Address(host[1:-1]) is not None
        except ValueError:
            return False
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    labels = host.split(".")
    return len(host) <= 253 and all(_LABEL.match(label) for label in labels)


def origin_clean(raw: str) -> str:
    """The origin in the browser's canonical form (lower case, default port left out), or ValidationError."""
    text = raw.strip()
    if text.endswith("/") and text.count("/") == 3:  # "https://example.fi/" is pasted often; the slash is no path
        text = text[:-1]
    example = "https://www.example.fi"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError(
            _("“%(origin)s” is not an origin. Enter scheme://host[:port], e.g. %(example)s.")
            % {"origin": raw, "example": example},
            code="invalid_origin",
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or "://" not in text:
        raise ValidationError(
            _("“%(origin)s” must start with https:// or http://, e.g. %(example)s.")
            % {"origin": raw, "example": example},
            code="origin_scheme",
        )
    if parts.path or parts.query or parts.fragment or "?" in text or "#" in text:
        raise ValidationError(
            _("“%(origin)s” has a path or query. Enter only scheme://host[:port], e.g. %(example)s.")
            % {"origin": raw, "example": example},
            code="origin_path",
        )
    netloc = parts.netloc.lower()
    if "@" in netloc or "*" in netloc:
        raise ValidationError(
            _("“%(origin)s” may not contain a user name or a wildcard; list each site separately.") % {"origin": raw},
            code="origin_host",
        )
    host = netloc.rsplit(":", 1)[0] if port is not None or netloc.endswith(":") else netloc
    if not host or not _host_valid(host) or netloc.endswith(":"):
        raise ValidationError(
            _("“%(origin)s” does not name a valid host, e.g. %(example)s.") % {"origin": raw, "example": example},
            code="origin_host",
        )
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    if port == 0:
        raise ValidationError(_("“%(origin)s” has an invalid port.") % {"origin": raw}, code="origin_port")
    return f"{scheme}://{host}:{port}"


def origins_clean(text: str) -> list[str]:
    """One origin per line (commas and spaces also separate); all errors at once, duplicates dropped."""
    raw = [part for part in re.split(r"[\s,]+", text or "") if part]
    if not raw:
        raise ValidationError(_("Enter at least one origin where the widget may be shown."), code="required")
    if len(raw) > MAX_ORIGINS:
        raise ValidationError(_("Enter at most %(max)d origins.") % {"max": MAX_ORIGINS}, code="too_many_origins")
    cleaned, errors = [], []
    for origin in raw:
        try:
            value = origin_clean(origin)
        except ValidationError as error:
            errors.append(error)
            continue
        if value not in cleaned:
            cleaned.append(value)
    if errors:
        raise ValidationError(errors)
    return cleaned
