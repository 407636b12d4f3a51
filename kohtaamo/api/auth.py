"""API authentication (bearer token or the browser session) and tenant scope for API routes."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from kohtaamo.organisations.selectors import Scope, scope_for

from .models import ApiToken, hash_key

# `last_used_at` says whether a token is still in use, not how often: writing it on every call would be
# one more statement per request (and row contention between a client's parallel calls).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.select_related("user", "organisation").filter(key_hash=hash_key(token)).first()
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


AUTH = [ApiTokenAuth(), django_auth]


def api_scope(request, org: str, *, shoppers: bool = False) -> Scope:
    """Scope of the caller in `org`; a token only ever reaches its own organisation (else 404).
    Mystery shoppers reach only routes that say `shoppers=True`."""
    token = getattr(request, "api_token", None)
    if token is not None and token.organisation.slug != org:
        raise Http404
    scope = scope_for(user=request.user, organisation_slug=org)
    if scope.is_shopper and not shoppers:
        raise PermissionDenied
    request.scope = scope  # the audit log (privacy) names the organisation without another query
    return scope
