"""Fixed-window rate limits shared by every app server (the counter lives in the database)."""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import RateCounter


def client_address(request: HttpRequest) -> str:
    """The caller's address. Behind a proxy, set KOHTAAMO_TRUSTED_PROXY so X-Forwarded-For is read."""
    if getattr(settings, "KOHTAAMO_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_hit(*, key: str, limit: int, window_s: int, now: float | None = None) -> bool:
    """Count one request for `key`; True when it is over `limit` in the current window."""
    now = time.time() if now is None else now
    window_start = int(now // window_s * window_s)
    key = hashlib.sha256(key.encode()).hexdigest()  # fixed length; no personal data stored as such
    counter = RateCounter.objects.filter(key=key, window_start=window_start)
    if not counter.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=window_start, count=1)
        except IntegrityError:  # another server created it first
            counter.update(count=F("count") + 1)
    return counter.values_list("count", flat=True).first() > limit


def rate_limit_purge(*, older_than_s: int = 86400) -> int:
    """Delete windows older than a day; run from the scheduled maintenance command."""
    deleted, _counts = RateCounter.objects.filter(window_start__lt=time.time() - older_than_s).delete()
    return deleted


def too_many_requests(retry_after_s: int) -> HttpResponse:
    response = HttpResponse(_("Too many requests. Please wait a moment and try again."), status=429)
    response["Retry-After"] = str(retry_after_s)
    return response


def rate_limited(*, scope: str, limit: int, window_s: int, methods: tuple[str, ...] = ("POST",)):
    """View decorator: at most `limit` requests per client address per window for the given methods."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = f"{scope}:{client_address(request)}"
            if request.method in methods and rate_limit_hit(key=key, limit=limit, window_s=window_s):
                return too_many_requests(window_s)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
