"""Second factor on the admin site, and rate limits on the public pages."""

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .policies import public_rate_policy
from .ratelimit import client_address, rate_limit_hit, rate_retry_after, too_many_requests
from .two_factor import second_factor_required
from .views import VERIFIED, second_factor_pending_begin


class SecondFactorAdminMiddleware:
    """A login with an authenticator reaches the admin site only after the code step in this session,
    however the session was made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_prefix = reverse("admin:index")
        user = getattr(request, "user", None)
        if (
            request.path.startswith(admin_prefix)
            and user is not None
            and user.is_authenticated
            and not request.session.get(VERIFIED)
            and second_factor_required(user=user)
        ):
            backend = request.session.get("_auth_user_backend", "django.contrib.auth.backends.ModelBackend")
            logout(request)
            second_factor_pending_begin(request, user=user, backend=backend, next_url=request.get_full_path())
            return redirect("login_verify")
        return self.get_response(request)


class PublicRateLimitMiddleware:
    """Applies PUBLIC_RATE_POLICIES to the public (no-login) URL namespaces."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        policy = public_rate_policy(match.namespace) if match else None
        if policy is None or request.method not in policy.methods:
            return None
        key = f"public:{match.namespace}:{client_address(request)}"
        if policy.per_token:
            key += f":{view_kwargs.get('token', '')}"
        if rate_limit_hit(key=key, limit=policy.limit, window_s=policy.window_s):
            return too_many_requests(rate_retry_after(window_s=policy.window_s), request)
        return None
