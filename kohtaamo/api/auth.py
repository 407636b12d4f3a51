"""API authentication (bearer token or the browser session) and tenant scope for API routes."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from kohtaamo.organisations.selectors import Scope, scope_for

from .models import ApiToken, hash_key


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.select_related("user", "organisation").filter(key_hash=hash_key(token)).first()
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
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
    return scope
