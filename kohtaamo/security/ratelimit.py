"""Fixed-window rate limits shared by every app server (the counter lives in the database)."""

import math
import time
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

from .models import RateCounter


def client_address(request: HttpRequest) -> str:
    """The caller's address. Behind a proxy (KOHTAAMO_BEHIND_PROXY=1) the address the proxy put in X-Forwarded-For."""
    if getattr(settings, "KOHTAAMO_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw; entries before it are the client's own claims.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _stored_key(key: str) -> str:
    # Fixed length, and keyed so a stored address cannot be recovered by hashing every possible one.
    return salted_hmac("kohtaamo.security.rate-counter", key, algorithm="sha256").hexdigest()


def _window_start(now: float | None, window_s: int) -> int:
    now = time.time() if now is None else now
    return int(now // window_s * window_s)


def rate_limit_hit(*, key: str, limit: int, window_s: int, now: float | None = None) -> bool:
    """Count one request for `key`; True when it is over `limit` in the current window."""
    window_start = _window_start(now, window_s)
    key = _stored_key(key)
    counter = RateCounter.objects.filter(key=key, window_start=window_start)
    if not counter.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=window_start, count=1)
        except IntegrityError:  # another server created it first
            counter.update(count=F("count") + 1)
    return counter.values_list("count", flat=True).first() > limit


def rate_count(*, key: str, window_s: int, now: float | None = None) -> int:
    """How many requests `key` has counted in the current window (counts nothing itself)."""
    counter = RateCounter.objects.filter(key=_stored_key(key), window_start=_window_start(now, window_s))
    return counter.values_list("count", flat=True).first() or 0


def rate_retry_after(*, window_s: int, now: float | None = None) -> int:
    """Seconds until the current window ends."""
    now = time.time() if now is None else now
    return max(1, math.ceil(_window_start(now, window_s) + window_s - now))


def rate_reset(*, key: str) -> None:
    """Forget every window of one key (e.g. a login's failures after it logged in)."""
    RateCounter.objects.filter(key=_stored_key(key)).delete()


def rate_limit_purge(*, older_than_s: int = 86400) -> int:
    """Delete windows older than a day; run from the scheduled maintenance command."""
    deleted, _counts = RateCounter.objects.filter(window_start__lt=time.time() - older_than_s).delete()
    return deleted


def too_many_requests(retry_after_s: int, request: HttpRequest | None = None) -> HttpResponse:
    """429 with Retry-After and a page in the user's language."""
    minutes = max(1, math.ceil(retry_after_s / 60))
    body = render_to_string("security/too_many_requests.html", {"minutes": minutes}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after_s)
    return response


def rate_limited(*, scope: str, limit: int, window_s: int, methods: tuple[str, ...] = ("POST",)):
    """View decorator: at most `limit` requests per client address per window for the given methods."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = f"{scope}:{client_address(request)}"
            if request.method in methods and rate_limit_hit(key=key, limit=limit, window_s=window_s):
                return too_many_requests(rate_retry_after(window_s=window_s), request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
