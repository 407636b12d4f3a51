"""CSRF stays on: forms without the token are refused; the API is exempt only for bearer tokens."""

import pytest
from django.test import Client

from kohtaamo.api.models import ApiToken

ENCOUNTERS = "/api/v1/organisations/acme/encounters"
ENCOUNTER = {"external_id": "K1", "occurred_at": "2025-03-14T09:30:00+02:00", "unit": "Acme Centre", "channel": "phone"}


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_login_without_the_token_is_refused(strict, world):
    refused = strict.post("/accounts/login/", {"username": world.admin.username, "password": "pw-acme"})
    assert refused.status_code == 403
    assert "_auth_user_id" not in strict.session
    # With the token from the form, the same login works.
    strict.get("/accounts/login/")
    token = strict.cookies["csrftoken"].value
    ok = strict.post(
        "/accounts/login/", {"username": world.admin.username, "password": "pw-acme", "csrfmiddlewaretoken": token}
    )
    assert ok.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/o/acme/feedback/",
        "/o/acme/journeys/",
        "/o/acme/development/self-test/",
        "/o/acme/360/new/",
        "/accounts/logout/",
        "/i18n/setlang/",
        "/accounts/two-factor/",
    ],
)
def test_organisation_pages_refuse_a_post_without_the_token(strict, world, url):
    strict.force_login(world.admin)
    assert strict.post(url, {"name": "x", "language": "en"}).status_code == 403


@pytest.mark.django_db
def test_public_forms_refuse_a_post_without_the_token(strict):
    for url in ("/r/some-token/", "/self-test/", "/followup/contact/some-token/", "/role-play/some-token/"):
        assert strict.post(url, {}).status_code == 403, url


@pytest.mark.django_db
def test_api_with_the_session_cookie_needs_the_token_but_a_bearer_token_does_not(strict, world):
    strict.force_login(world.cx_lead)
    refused = strict.post(ENCOUNTERS, ENCOUNTER, content_type="application/json")
    assert refused.status_code == 403
    raw = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="t")[1]
    bearer = Client(enforce_csrf_checks=True)  # no cookies at all: nothing a forged request could ride on
    created = bearer.post(ENCOUNTERS, ENCOUNTER, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert created.status_code == 201, created.content
