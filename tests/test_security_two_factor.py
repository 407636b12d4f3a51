"""The optional authenticator (TOTP) second step for admins, with one-time recovery codes."""

import re
import time

import pyotp
import pytest
from django.contrib.auth.models import User

from kohtaamo.security.models import RecoveryCode, TotpDevice
from kohtaamo.security.two_factor import second_factor_verify, totp_enrolment_confirm, totp_enrolment_start

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _code(device: TotpDevice, at: float | None = None) -> str:
    return pyotp.TOTP(device.secret).at(time.time() if at is None else at)


def _enrol(client, user) -> tuple[TotpDevice, list[str]]:
    """Enrol through the page, as the admin would: scan, type the current code, read the recovery codes."""
    client.force_login(user)
    page = client.get("/accounts/two-factor/", **EN)
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    assert 'src="data:image/svg+xml' in page.content.decode()  # the QR code
    device = TotpDevice.objects.get(user=user)
    assert device.secret == secret and device.confirmed_at is None
    done = client.post("/accounts/two-factor/", {"action": "enable", "code": _code(device, time.time() - 30)}, **EN)
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.content.decode())
    client.logout()
    device.refresh_from_db()
    return device, codes


def _password_step(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": "pw-acme"}, **EN)


@pytest.mark.django_db
def test_enrolment_then_login_needs_the_code(client, world):
    device, codes = _enrol(client, world.admin)
    assert device.confirmed_at is not None and len(codes) == 10 == RecoveryCode.objects.count()
    assert all(code.replace("-", "") not in h.code_hash for code in codes for h in RecoveryCode.objects.all())

    # The password alone logs nobody in: the next step asks for the code.
    first = _password_step(client, world.admin)
    assert first.status_code == 302 and first["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/o/acme/", **EN).status_code == 302  # still anonymous

    wrong = client.post("/accounts/login/code/", {"code": "000000"}, **EN)
    assert wrong.status_code == 400 and "That code is not valid" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    ok = client.post("/accounts/login/code/", {"code": _code(device)}, **EN)
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(world.admin.pk)


@pytest.mark.django_db
def test_a_used_or_old_code_is_refused(client, world):
    device, _codes = _enrol(client, world.admin)
    now = time.time()
    used = _code(device, now)
    _password_step(client, world.admin)
    assert client.post("/accounts/login/code/", {"code": used}, **EN).status_code == 302
    client.logout()
    _password_step(client, world.admin)
    assert client.post("/accounts/login/code/", {"code": used}, **EN).status_code == 400  # replayed
    assert client.post("/accounts/login/code/", {"code": _code(device, now - 90)}, **EN).status_code == 400  # old
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, world):
    _device, codes = _enrol(client, world.admin)
    _password_step(client, world.admin)
    assert client.post("/accounts/login/code/", {"code": codes[3].upper()}, **EN).status_code == 302
    client.logout()
    _password_step(client, world.admin)
    assert client.post("/accounts/login/code/", {"code": codes[3]}, **EN).status_code == 400
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_the_code_step_is_throttled(client, world):
    _enrol(client, world.admin)
    _password_step(client, world.admin)
    for _ in range(5):
        client.post("/accounts/login/code/", {"code": "123456"}, **EN)
    refused = client.post("/accounts/login/code/", {"code": "123456"}, **EN)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_the_admin_site_requires_the_second_step(client, world):
    staff = User.objects.create_user("staffer", password="pw-acme", is_staff=True, is_superuser=True)
    device, _codes = _enrol(client, staff)
    # A session made without the code step (e.g. an older session) is sent to the code step.
    client.force_login(staff)
    bounced = client.get("/admin/")
    assert bounced.status_code == 302 and bounced["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/login/code/", {"code": _code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # The admin site's own login form is the same throttled, two-step login.
    client.logout()
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_only_admins_and_staff_may_enrol_and_others_log_in_as_before(client, world):
    client.force_login(world.admin)
    assert 'href="/accounts/two-factor/"' in client.get("/o/acme/", **EN).content.decode()
    client.force_login(world.employee)
    assert 'href="/accounts/two-factor/"' not in client.get("/o/acme/", **EN).content.decode()
    assert client.get("/accounts/two-factor/").status_code == 403
    client.logout()
    assert _password_step(client, world.manager)["Location"] == "/"


@pytest.mark.django_db
def test_turning_off_needs_a_valid_code(client, world):
    device, _codes = _enrol(client, world.admin)
    client.force_login(world.admin)
    kept = client.post("/accounts/two-factor/", {"action": "disable", "code": "999999"}, **EN)
    assert kept.status_code == 400 and TotpDevice.objects.filter(user=world.admin).exists()
    client.post("/accounts/two-factor/", {"action": "disable", "code": _code(device)}, **EN)
    assert not TotpDevice.objects.filter(user=world.admin).exists() and not RecoveryCode.objects.exists()


@pytest.mark.django_db
def test_enrolment_confirms_only_with_a_current_code(world):
    device = totp_enrolment_start(user=world.admin)
    assert totp_enrolment_confirm(device=device, code="12345") is None
    assert totp_enrolment_confirm(device=device, code=_code(device, time.time() - 120)) is None
    assert second_factor_verify(user=world.admin, code=_code(device)) is False  # not confirmed yet
    assert totp_enrolment_confirm(device=device, code=_code(device)) is not None
