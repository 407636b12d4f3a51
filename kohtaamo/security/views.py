"""Login with throttling and the optional second step; the authenticator enrolment page."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from .login_throttle import (
    login_failure_record,
    login_lockout_s,
    login_success_record,
    second_factor_failure_record,
    second_factor_lockout_s,
)
from .ratelimit import client_address
from .two_factor import (
    second_factor_can_enrol,
    second_factor_disable,
    second_factor_required,
    second_factor_verify,
    totp_enrolment_confirm,
    totp_enrolment_start,
    totp_qr_data_uri,
)

PENDING_USER = "security_pending_user"
PENDING_BACKEND = "security_pending_backend"
PENDING_SINCE = "security_pending_since"
PENDING_NEXT = "security_pending_next"
VERIFIED = "security_second_factor"
PENDING_MAX_AGE_S = 300


def _wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _refused(response: HttpResponse, seconds: int) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def second_factor_pending_begin(request: HttpRequest, *, user, backend: str, next_url: str) -> None:
    """Remember who has passed the password step; they are logged in only after the code."""
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = backend
    request.session[PENDING_SINCE] = time.time()
    request.session[PENDING_NEXT] = next_url


class LoginView(auth_views.LoginView):
    """Django's login, refused for a cool-down after repeated failures; admins with an authenticator
    continue to the code step instead of being logged in."""

    def post(self, request, *args, **kwargs):
        wait = login_lockout_s(username=request.POST.get("username", ""), address=client_address(request))
        if wait:
            form = self.get_form_class()(request)  # unbound: the password is not even checked
            context = self.get_context_data(form=form, refusal=_wait_message(wait))
            return _refused(self.render_to_response(context), wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        if username:
            login_failure_record(username=username, address=client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        login_success_record(username=user.get_username())
        if second_factor_required(user=user):
            second_factor_pending_begin(self.request, user=user, backend=user.backend, next_url=self.get_success_url())
            return redirect("login_verify")
        return super().form_valid(form)


def _pending_user(request: HttpRequest):
    user_id = request.session.get(PENDING_USER)
    if user_id is None or time.time() - request.session.get(PENDING_SINCE, 0) > PENDING_MAX_AGE_S:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _pending_clear(request: HttpRequest) -> str:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_SINCE):
        request.session.pop(key, None)
    return request.session.pop(PENDING_NEXT, "") or reverse("home")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a 6-digit authenticator code or a recovery code."""
    user = _pending_user(request)
    if user is None:
        return redirect(f"{reverse('login')}?{urlencode({'next': request.session.get(PENDING_NEXT, '')})}")
    error, status = "", 200
    if request.method == "POST":
        wait = second_factor_lockout_s(user_id=user.pk)
        if wait:
            return _refused(render(request, "registration/login_verify.html", {"error": _wait_message(wait)}), wait)
        if second_factor_verify(user=user, code=request.POST.get("code", "")):
            backend = request.session[PENDING_BACKEND]
            next_url = _pending_clear(request)
            auth_login(request, user, backend=backend)
            request.session[VERIFIED] = True
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = reverse("home")
            return redirect(next_url)
        second_factor_failure_record(user_id=user.pk)
        error, status = _("That code is not valid. Enter the current code from your app, or a recovery code."), 400
    return render(request, "registration/login_verify.html", {"error": error}, status=status)


@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator on (scan, confirm with a code, see recovery codes once) or off."""
    if not second_factor_can_enrol(user=request.user):
        raise PermissionDenied
    enrolled = second_factor_required(user=request.user)
    context = {"enrolled": enrolled}
    if request.method == "POST" and request.POST.get("action") == "disable" and enrolled:
        if second_factor_verify(user=request.user, code=request.POST.get("code", "")):
            second_factor_disable(user=request.user)
            return redirect("two_factor")
        context["error"] = _("That code is not valid, so the second step is still on.")
    elif not enrolled:
        device = totp_enrolment_start(user=request.user)
        if request.method == "POST":
            codes = totp_enrolment_confirm(device=device, code=request.POST.get("code", ""))
            if codes is not None:
                request.session[VERIFIED] = True
                return render(request, "security/two_factor.html", {"enrolled": True, "recovery_codes": codes})
            context["error"] = _("That code is not valid. Check the time on your phone and enter the current code.")
        context.update(secret=device.secret, qr=totp_qr_data_uri(device=device))
    status = 400 if context.get("error") else 200
    return render(request, "security/two_factor.html", context, status=status)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site logs in through the same throttled, two-step login."""
    return redirect(f"{reverse('login')}?{urlencode({'next': request.GET.get('next', reverse('admin:index'))})}")
