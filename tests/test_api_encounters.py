"""The encounters API: create one or a batch, per-field errors, authentication and tenant scope, listing."""

import pytest
from django.utils import timezone

from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.models import Encounter, Invitation
from kohtaamo.organisations.models import Customer

BASE = "/api/v1/organisations/acme/encounters"


def _auth(user, organisation, language="en") -> dict:
    raw = ApiToken.issue(user=user, organisation=organisation, name="test")[1]
    return {"authorization": f"Bearer {raw}", "accept-language": language}


@pytest.fixture
def lead(world) -> dict:
    return _auth(world.cx_lead, world.organisation)


def _encounter(external_id="K1", **fields) -> dict:
    return {
        "external_id": external_id,
        "occurred_at": "2025-03-14T09:30:00+02:00",
        "unit": "Acme Centre",
        "channel": "phone",
        **fields,
    }


@pytest.mark.django_db
def test_create_one_encounter_invites_and_sends(client, world, lead, mailbox, django_capture_on_commit_callbacks):
    payload = _encounter(
        person="E1", customer_id="C1", customer_email="c1@example.org", customer_language="en", consent=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BASE, payload, content_type="application/json", headers=lead)
    assert response.status_code == 201, response.content
    encounter = Encounter.objects.get()
    assert response.json() == {"id": encounter.pk, "external_id": "K1", "invited": True}
    assert (encounter.unit, encounter.person, encounter.customer.external_id) == (world.branch, world.person, "C1")
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.SENT
    (message,) = mailbox.wait_for(1)
    assert invitation.token in message.as_string()


@pytest.mark.django_db
def test_create_without_consent_is_not_invited(client, world, lead):
    payload = _encounter(customer_id="C1", customer_email="c1@example.org", consent="no")
    response = client.post(BASE, payload, content_type="application/json", headers=lead)
    assert response.json()["invited"] is False
    assert Customer.objects.get().email == ""


@pytest.mark.django_db
def test_validation_errors_come_per_field(client, world, lead):
    payload = _encounter(channel="teleport", unit="Mars", occurred_at="yesterday", customer_id="C1", customer_email="x")
    response = client.post(BASE, payload, content_type="application/json", headers=lead)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "The request has errors."
    errors = {e["field"]: e["message"] for e in body["errors"]}
    assert set(errors) == {"occurred_at", "unit", "channel", "customer_email"}
    assert errors["unit"] == "No unit with this code or name."
    assert errors["channel"].startswith("Unknown channel. Use one of: face_to_face, phone")
    assert Encounter.objects.count() == 0 and Customer.objects.count() == 0


@pytest.mark.django_db
def test_missing_fields_and_duplicates_are_field_errors(client, world, lead):
    response = client.post(BASE, {}, content_type="application/json", headers=lead)
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        (field, "This value is required.") for field in ("external_id", "occurred_at", "unit", "channel")
    ]
    assert client.post(BASE, _encounter(), content_type="application/json", headers=lead).status_code == 201
    response = client.post(BASE, _encounter(), content_type="application/json", headers=lead)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "external_id", "message": "An encounter with this external id already exists."}
    ]
    assert Encounter.objects.count() == 1


@pytest.mark.django_db
def test_batch_is_all_or_nothing_with_indexed_errors(client, world, lead):
    batch = {"encounters": [_encounter("B1"), _encounter("B2", channel="fax"), _encounter("B1")]}
    response = client.post(f"{BASE}/batch", batch, content_type="application/json", headers=lead)
    assert response.status_code == 422
    assert [(e["field"], e["index"]) for e in response.json()["errors"]] == [
        ("encounters.1.channel", 1),
        ("encounters.2.external_id", 2),
    ]
    assert response.json()["errors"][1]["message"] == "The same external id is already at index 0."
    assert Encounter.objects.count() == 0

    batch = {
        "encounters": [
            _encounter("B1", customer_id="C1", customer_email="c1@example.org", consent="kyllä"),
            _encounter("B2", channel="Video", customer_id="C1"),
        ]
    }
    response = client.post(f"{BASE}/batch", batch, content_type="application/json", headers=lead)
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["invited"]) == (2, 1)
    assert [e["external_id"] for e in body["encounters"]] == ["B1", "B2"]
    assert Encounter.objects.get(external_id="B2").channel == "video"


@pytest.mark.django_db
def test_empty_batch_is_refused(client, world, lead):
    response = client.post(f"{BASE}/batch", {"encounters": []}, content_type="application/json", headers=lead)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "encounters"


@pytest.mark.django_db
def test_authentication_and_tenant_scope(client, world, other_world):
    assert client.post(BASE, _encounter(), content_type="application/json").status_code == 401
    assert client.get(BASE).status_code == 401
    rival = _auth(other_world.admin, other_world.organisation)
    assert client.post(BASE, _encounter(), content_type="application/json", headers=rival).status_code == 404
    assert client.get(BASE, headers=rival).status_code == 404
    # A token reaches only its own organisation, even when its user belongs to both.
    own_token_elsewhere = _auth(world.admin, other_world.organisation)
    assert client.get(BASE, headers=own_token_elsewhere).status_code == 404
    for user in (world.employee, world.manager):
        headers = _auth(user, world.organisation)
        assert client.post(BASE, _encounter(), content_type="application/json", headers=headers).status_code == 403
        batch = {"encounters": [_encounter()]}
        response = client.post(f"{BASE}/batch", batch, content_type="application/json", headers=headers)
        assert response.status_code == 403
    assert Encounter.objects.count() == 0


@pytest.mark.django_db
def test_list_is_paginated_and_scoped(client, world, lead):
    now = timezone.now()
    Customer.objects.create(organisation=world.organisation, external_id="C1")
    rows = [
        ("A", world.team, world.person),
        ("B", world.branch, None),
        ("C", world.other_branch, world.other_person),
    ]
    for minutes, (external_id, unit, person) in enumerate(rows):
        Encounter.objects.create(
            organisation=world.organisation,
            external_id=external_id,
            unit=unit,
            person=person,
            channel="chat",
            occurred_at=now - timezone.timedelta(minutes=minutes),
            customer=Customer.objects.get() if external_id == "A" else None,
        )
    body = client.get(BASE, {"page_size": 2}, headers=lead).json()
    assert body["count"] == 3
    assert [e["external_id"] for e in body["items"]] == ["A", "B"]
    assert body["items"][0]["customer"] == "C1"
    assert body["items"][0]["unit_name"] == world.team.name
    assert [e["external_id"] for e in client.get(BASE, {"page": 2, "page_size": 2}, headers=lead).json()["items"]] == [
        "C"
    ]
    manager = client.get(BASE, headers=_auth(world.manager, world.organisation)).json()
    assert sorted(e["external_id"] for e in manager["items"]) == ["A", "B"]
    employee = client.get(BASE, headers=_auth(world.employee, world.organisation)).json()
    assert [e["external_id"] for e in employee["items"]] == ["A"]
