"""View decorators that resolve the tenant scope from the URL's organisation slug."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .selectors import require_manager, scope_for


def organisation_view(view=None, *, managers_only: bool = False, shoppers: bool = False):
    """Resolve `request.scope` from the `org` URL argument; 404 for other tenants, 403 for too-low roles.

    Mystery shoppers reach only views that say `shoppers=True` (their own portal)."""

    def decorate(func):
        @login_required
        @wraps(func)
        def wrapper(request, org: str, *args, **kwargs):
            request.scope = scope_for(user=request.user, organisation_slug=org)
            if managers_only:
                require_manager(request.scope)
            if request.scope.is_shopper and not shoppers:
                raise PermissionDenied
            timezone.activate(request.scope.organisation.time_zone)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
