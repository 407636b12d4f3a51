"""Passwords: Argon2 in production, and older hashes are rehashed with it at the next login."""

import importlib

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

PRODUCTION = importlib.import_module("kohtaamo.settings")


def test_production_settings_hash_with_argon2_first():
    assert PRODUCTION.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # Older hashes must stay verifiable, or their owners could not log in to be upgraded.
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in PRODUCTION.PASSWORD_HASHERS


@pytest.mark.django_db
def test_login_with_an_old_pbkdf2_hash_upgrades_it_to_argon2(client, settings):
    settings.PASSWORD_HASHERS = PRODUCTION.PASSWORD_HASHERS
    user = User.objects.create(username="old-timer")
    User.objects.filter(pk=user.pk).update(password=make_password("a long passphrase", hasher="pbkdf2_sha256"))
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")

    response = client.post("/accounts/login/", {"username": "old-timer", "password": "a long passphrase"})

    assert response.status_code == 302
    upgraded = User.objects.get(pk=user.pk)
    assert upgraded.password.startswith("argon2$argon2id$")
    assert upgraded.check_password("a long passphrase") and not upgraded.check_password("wrong")


@pytest.mark.django_db
def test_a_new_password_is_stored_with_argon2(settings):
    settings.PASSWORD_HASHERS = PRODUCTION.PASSWORD_HASHERS
    user = User.objects.create_user("fresh", password="another passphrase")
    assert user.password.startswith("argon2$")
