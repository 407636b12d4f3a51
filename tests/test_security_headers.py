"""Security headers on every page, cookie flags, and `check --deploy` clean with production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, world):
    client.force_login(world.cx_lead)
    for url in ("/accounts/login/", f"/o/{world.organisation.slug}/", "/r/not-a-token/", "/api/v1/docs"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_same_site_lax(client, world):
    response = client.post("/accounts/login/", {"username": world.admin.username, "password": "pw-acme"})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP in development; KOHTAAMO_HTTPS=1 turns it on


def _production_env(**extra) -> dict:
    # Only the production variables: nothing from the test run (e.g. the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE).
    ignored = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOHTAAMO_") and k not in ignored}
    env.update(
        DJANGO_SETTINGS_MODULE="kohtaamo.settings",
        KOHTAAMO_VAR_DIR="/tmp/kohtaamo-test-var",
        KOHTAAMO_SECRET_KEY="k" * 10 + "-a-long-random-production-secret-key-0123456789-abcdefghij",
        KOHTAAMO_ALLOWED_HOSTS="kohtaamo.example.org",
        KOHTAAMO_HTTPS="1",
        KOHTAAMO_BEHIND_PROXY="1",
        **extra,
    )
    return env


def test_check_deploy_has_no_warnings_with_production_settings():
    # HSTS preload is the operator's choice (hard to undo), so it is switched on here explicitly.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(KOHTAAMO_HSTS_PRELOAD="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_settings_switch_on_secure_cookies_and_hsts():
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
