"""Read replicas: safe requests read from a streaming replica, everything else from the primary.

A user who has just changed something is pinned to the primary for a while (a cookie, not the
session, because the session itself is read from the database), so they always see their own writes.
Background tasks and commands run outside requests and always use the primary.
"""

import contextvars
import itertools
import time

from django.conf import settings

PIN_COOKIE = "kohtaamo_primary_until"

_replica_reads = contextvars.ContextVar("replica_reads", default=False)
_wrote = contextvars.ContextVar("wrote", default=False)
_next_replica = itertools.count()


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        replicas = replica_aliases()
        if replicas and _replica_reads.get() and not _wrote.get():
            return replicas[next(_next_replica) % len(replicas)]
        return "default"

    def db_for_write(self, model, **hints) -> str:
        _wrote.set(True)  # every later read in this request sees this write
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # replicas hold the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


def _pinned(request) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReadYourWritesMiddleware:
    """Lets GET/HEAD requests read from replicas unless this browser wrote something recently."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        reads = _replica_reads.set(safe and not _pinned(request))
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            has_session = (
                settings.SESSION_COOKIE_NAME in request.COOKIES or settings.SESSION_COOKIE_NAME in response.cookies
            )
            # Cookie-less callers (the web widget, API clients with tokens) have no browser to pin.
            if (not safe or _wrote.get()) and has_session:
                seconds = settings.KOHTAAMO_REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE,
                    f"{time.time() + seconds:.0f}",
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            _replica_reads.reset(reads)
            _wrote.reset(wrote)
