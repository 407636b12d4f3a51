"""Adversarial access: each role tries to read or change what it must not, with guessed ids and tokens.

A canary (a comment about a person in a unit the attacker may not see) is planted in the data; no
page, export, report, file download or API answer may ever show it to them. Changes are checked by
fingerprinting every tenant table before and after the attack. The suite counts its requests.
"""

import hashlib
import secrets

import pytest
from django.apps import apps
from django.urls import get_resolver

from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.responding import response_record
from kohtaamo.organisations.models import Membership
from tests.test_tenant_isolation import _fill, _walk, organisation_routes

CANARY = "CANARY-HARBOUR-4411"
# Written by the app while it is attacked; they hold no tenant data an attacker could change.
BOOKKEEPING = {"security.RateCounter", "privacy.AuditEntry", "sessions.Session", "api.ApiToken"}  # token: last use


def _plant_canary(world):
    questionnaire = world.programme.questionnaire
    answers = {
        questionnaire.questions.get(item__dimensions__code="nps").pk: 2,
        questionnaire.questions.get(kind="open").pk: f"{CANARY} the harbour branch lost my papers",
    }
    return response_record(
        round=world.programme,
        answers=answers,
        language="en",
        context={"unit_id": world.other_branch.pk, "subject_person_id": world.other_person.pk},
    )


def _guesses(world, canary) -> list[str]:
    """Ids an attacker would try: the canary's own, its person's and unit's, and small guesses."""
    return [str(i) for i in (canary.pk, world.other_person.pk, 999999)]


def _fingerprint() -> dict[str, str]:
    prints = {}
    for model in apps.get_models():
        if model._meta.label in BOOKKEEPING or not model.__module__.startswith(("kohtaamo.", "django.contrib.auth")):
            continue
        rows = model._default_manager.order_by("pk").values_list()
        prints[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return prints


class Attack:
    def __init__(self, client) -> None:
        self.client, self.requests, self.successes = client, 0, []

    def send(self, method: str, url: str, *args, **kwargs):
        self.requests += 1
        response = getattr(self.client, method)(url, *args, **kwargs)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if CANARY.encode() in body:
            self.successes.append((method, url, "showed the canary"))
        if response.status_code >= 500:
            self.successes.append((method, url, response.status_code))
        return response


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "manager", "shopper"])
def test_roles_cannot_read_or_change_what_they_must_not(client, world, other_world, role):
    canary = _plant_canary(world)
    if role == "shopper":
        user = type(world.admin).objects.create_user("acme-shopper", "shopper@example.org", "pw")
        Membership.objects.create(user=user, organisation=world.organisation, role=Membership.Role.SHOPPER)
    else:
        user = getattr(world, role)
    client.force_login(user)
    token = ApiToken.issue(user=user, organisation=world.organisation, name="attack")[1]
    attack = Attack(client)
    before = _fingerprint()
    org = world.organisation.slug
    for route in organisation_routes():
        for guess in _guesses(world, canary):
            url = _fill(route, org, guess)
            if url.startswith("/api/"):
                attack.send("get", url, headers={"authorization": f"Bearer {token}"})
                attack.send(
                    "post", url, data={}, content_type="application/json", headers={"authorization": f"Bearer {token}"}
                )
            else:
                attack.send("get", url)
                # Plausible action fields: approve, close, deactivate, delete, release.
                attack.send("post", url, {"active": "0", "status": "closed", "action": "approve", "confirm": "1"})
    assert attack.requests >= 200
    assert attack.successes == []
    after = _fingerprint()
    assert {label for label in before if before[label] != after.get(label)} == set()


@pytest.mark.django_db
def test_guessed_tokens_open_nothing(client, world):
    """Every public, token-addressed page and the Django admin, with guessed tokens and ids."""
    _plant_canary(world)
    client.force_login(world.employee)  # logged in to an organisation, but not staff
    attack = Attack(client)
    public = sorted(
        r for r in set(_walk(get_resolver().url_patterns)) if "<" in r and "org>" not in r and not r.startswith("api/")
    )
    for route in public:
        for guess in (secrets.token_urlsafe(32), secrets.token_hex(8), "1", "../../etc/passwd"):
            url = _fill(route, "", guess)
            for method in ("get", "post"):
                response = attack.send(method, url)
                if response.status_code == 200 and not route.startswith("admin/"):
                    attack.successes.append((method, url, "opened with a guessed token"))
                if route.startswith("admin/") and response.status_code not in (302, 404):
                    attack.successes.append((method, url, response.status_code))
    assert attack.requests >= 200
    assert attack.successes == []


@pytest.mark.django_db
def test_the_canary_is_visible_to_those_allowed_to_see_it(client, world):
    """The control: without it, a canary that no page ever shows would make the suite above pass vacuously."""
    canary = _plant_canary(world)
    client.force_login(world.cx_lead)
    attack = Attack(client)
    for route in organisation_routes():
        if not route.startswith("api/"):
            attack.send("get", _fill(route, world.organisation.slug, str(canary.pk)))
    assert any(reason == "showed the canary" for _method, _url, reason in attack.successes)
