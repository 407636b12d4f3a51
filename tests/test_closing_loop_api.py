"""API routes of follow-up, business impact and integrations: token per organisation, pagination, errors."""

from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.responding import response_record
from kohtaamo.followup.services import case_open_for_response
from kohtaamo.impact.models import Outcome
from kohtaamo.organisations.models import Customer


def _auth(user, organisation):
    _token, raw = ApiToken.issue(user=user, organisation=organisation, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_outcomes_import_is_all_or_nothing(client, world):
    Customer.objects.create(organisation=world.organisation, external_id="C1")
    headers = _auth(world.cx_lead, world.organisation)
    url = "/api/v1/organisations/acme/outcomes"
    bad = {
        "outcomes": [
            {"customer_id": "C1", "period": "2026-01", "services": 2},
            {"customer_id": "NOPE", "period": "2026-01"},
        ]
    }
    reply = client.post(url, bad, content_type="application/json", **headers)
    assert reply.status_code == 422
    assert reply.json()["errors"] == [{"field": "customer_id", "message": "Unknown customer “NOPE”.", "index": 1}]
    assert Outcome.objects.count() == 0
    good = {"outcomes": [{"customer_id": "C1", "period": "2026-01", "services": 2, "retained": True}]}
    assert client.post(url, good, content_type="application/json", **headers).json() == {"created": 1, "updated": 0}
    listed = client.get(url, **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["retained"] is True


def test_cases_drivers_webhooks_and_tenant_isolation(client, world, other_world):
    question = world.programme.questionnaire.questions.get(item__dimensions__code="nps")
    response = response_record(
        round=world.programme, answers={question.pk: 1}, language="fi", context={"unit_id": world.team.pk}
    )
    case = case_open_for_response(response_id=response.pk)
    headers = _auth(world.manager, world.organisation)
    cases = client.get("/api/v1/organisations/acme/followup/cases?status=open", **headers).json()
    assert cases["count"] == 1 and cases["items"][0]["id"] == case.pk and cases["items"][0]["unit"] == world.team.pk
    drivers = client.get("/api/v1/organisations/acme/drivers?target=nps", **headers).json()
    assert drivers["refused"] is True and drivers["n"] == 0
    assert client.get("/api/v1/organisations/acme/webhooks", **headers).status_code == 403  # managers of units: no
    lead = _auth(world.cx_lead, world.organisation)
    created = client.post(
        "/api/v1/organisations/acme/webhooks",
        {"url": "https://example.org/hook", "events": ["followup.case_opened"]},
        content_type="application/json",
        **lead,
    )
    assert created.status_code == 201 and len(created.json()["secret"]) > 20
    wrong = client.post(
        "/api/v1/organisations/acme/webhooks",
        {"url": "ftp://x", "events": ["nope"]},
        content_type="application/json",
        **lead,
    )
    assert wrong.status_code == 422 and {e["field"] for e in wrong.json()["errors"]} == {"url", "events"}
    export = client.get("/api/v1/organisations/acme/exports/responses.csv", **lead)
    assert export.status_code == 200 and export.content.decode("utf-8-sig").count("\n") == 2
    rival = _auth(other_world.admin, other_world.organisation)
    for path in ("followup/cases", f"followup/cases/{case.pk}", "outcomes", "drivers", "webhooks"):
        assert client.get(f"/api/v1/organisations/acme/{path}", **rival).status_code == 404
    assert client.get(f"/api/v1/organisations/rival/followup/cases/{case.pk}", **rival).status_code == 404
