"""Login throttling: failures counted per username and per client address in the shared DB counters."""

import time

import pytest

from kohtaamo.security.login_throttle import (
    PER_ADDRESS,
    PER_USERNAME,
    WINDOW_S,
    login_failure_record,
    login_lockout_s,
)
from kohtaamo.security.models import RateCounter

LOGIN = "/accounts/login/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _attempt(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **EN)


@pytest.mark.django_db
def test_after_five_failures_the_username_is_locked_even_with_the_right_password(client, world):
    for _ in range(PER_USERNAME.limit):
        assert _attempt(client, world.admin.username, "wrong").status_code == 200
    refused = _attempt(client, world.admin.username, "pw-acme")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= WINDOW_S
    assert "Too many failed attempts. Try again in" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is on that username only: another login from another address still works.
    assert _attempt(client, world.cx_lead.username, "pw-acme", address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_the_refusal_speaks_the_users_language(client, world):
    for _ in range(PER_USERNAME.limit):
        _attempt(client, world.admin.username, "wrong")
    finnish = client.post(LOGIN, {"username": world.admin.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert finnish.status_code == 429
    assert '<html lang="fi">' in finnish.content.decode()


@pytest.mark.django_db
def test_username_is_matched_without_case_or_spaces(client, world):
    for variant in ("ACME-ADMIN", " acme-admin", "Acme-Admin ", "acme-admin", "acme-ADMIN"):
        _attempt(client, variant, "wrong")
    assert _attempt(client, world.admin.username, "pw-acme").status_code == 429


@pytest.mark.django_db
def test_one_address_guessing_many_usernames_is_locked_out(client, world):
    for i in range(PER_ADDRESS.limit):
        _attempt(client, f"nobody-{i}", "wrong", address="192.0.2.66")
    assert _attempt(client, world.admin.username, "pw-acme", address="192.0.2.66").status_code == 429
    assert _attempt(client, world.admin.username, "pw-acme", address="192.0.2.67").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_does_not_reset_other_counters(client, world):
    for _ in range(PER_USERNAME.limit - 1):
        _attempt(client, world.admin.username, "wrong", address="192.0.2.1")
    for _ in range(2):
        _attempt(client, world.cx_lead.username, "wrong", address="192.0.2.1")
    # The CX lead logs in from the same address: their own count is cleared, the admin's stays.
    assert _attempt(client, world.cx_lead.username, "pw-acme", address="192.0.2.1").status_code == 302
    client.logout()
    _attempt(client, world.admin.username, "wrong", address="192.0.2.9")
    assert _attempt(client, world.admin.username, "pw-acme", address="192.0.2.9").status_code == 429
    # The address counter kept its failures too (4 + 2 + 0 after the success).
    assert login_lockout_s(username="someone-else", address="192.0.2.1") == 0
    assert RateCounter.objects.count() == 3  # admin, address .1, address .9 (the CX lead's was deleted)


@pytest.mark.django_db
def test_the_lock_ends_with_its_window():
    now = time.time()
    for _ in range(PER_USERNAME.limit):
        login_failure_record(username="anna", address="192.0.2.3", now=now)
    wait = login_lockout_s(username="anna", address="192.0.2.3", now=now)
    assert 0 < wait <= WINDOW_S
    assert login_lockout_s(username="anna", address="192.0.2.3", now=now + wait) == 0


@pytest.mark.django_db
def test_forwarded_address_is_used_only_behind_a_trusted_proxy(client, settings):
    def fail(first_hop: str) -> None:
        forwarded = {"HTTP_X_FORWARDED_FOR": f"{first_hop}, 192.0.2.200"}
        client.post(LOGIN, {"username": f"ghost-{first_hop}", "password": "x"}, REMOTE_ADDR="10.0.0.1", **forwarded)

    settings.KOHTAAMO_TRUSTED_PROXY = False
    fail("10.9.9.1")
    # Without a trusted proxy the header is ignored: the peer address is what counts.
    assert RateCounter.objects.count() == 2 and login_lockout_s(username="x", address="10.0.0.1") == 0
    settings.KOHTAAMO_TRUSTED_PROXY = True
    for i in range(PER_ADDRESS.limit):
        fail(f"10.9.9.{i}")  # the client varies its own claim; the proxy's entry stays the same
    assert login_lockout_s(username="x", address="192.0.2.200") > 0
    assert login_lockout_s(username="x", address="10.9.9.3") == 0
