"""The metrics API: values, roles (401/403/404) and per-field 422 errors."""

import pytest
from django.contrib.auth.models import User

from kohtaamo.api.models import ApiToken
from kohtaamo.organisations.models import Membership
from tests.test_dashboard import build_sample, pulse_questions, respond

BASE = "/api/v1/organisations/acme"


@pytest.fixture
def sample(world):
    return build_sample(world)


def bearer(user, organisation) -> dict:
    _, raw = ApiToken.issue(user=user, organisation=organisation, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_metrics_values_match_hand_computation(client, world, sample):
    response = client.get(f"{BASE}/metrics", **bearer(world.employee, world.organisation))
    assert response.status_code == 200
    body = response.json()
    # NPS of the employee's own five answers 10, 9, 8, 3, 10: 100·(3 − 1)/5 = 40, adjusted Wald (−29.78, 79.78)
    assert body["nps"]["value"] == 40
    assert body["nps"]["n"] == 5
    assert body["nps"]["ci_low"] == pytest.approx(-29.7837, abs=1e-3)
    assert body["nps"]["ci_high"] == pytest.approx(79.7837, abs=1e-3)
    assert body["nps"]["indicative"] is True
    assert body["csat"]["value"] == 60
    assert body["ces"]["value"] == pytest.approx(4.6)
    assert body["eqi"]["value"] == pytest.approx(65)
    assert body["logos"]["value"] == pytest.approx(45)
    assert body["rhetoric_balance"]["value"] == pytest.approx(20)
    assert set(body) >= {"listening", "expertise", "value", "trust", "solution", "ethos", "pathos", "logos"}


@pytest.mark.django_db
def test_filters_narrow_the_api_figures(client, world, sample):
    client.force_login(world.admin)
    assert client.get(f"{BASE}/metrics").json()["nps"]["n"] == 8
    assert client.get(f"{BASE}/metrics", {"channel": "phone"}).json()["nps"]["value"] == -100
    assert client.get(f"{BASE}/metrics", {"unit": world.branch.pk}).json()["nps"]["n"] == 6
    assert client.get(f"{BASE}/metrics", {"person": world.person.pk}).json()["nps"]["n"] == 5
    assert client.get(f"{BASE}/metrics", {"start": "2000-01-01", "end": "2000-12-31"}).json()["nps"]["n"] == 0


@pytest.mark.django_db
def test_trend_and_breakdown(client, world, sample):
    client.force_login(world.admin)
    trend = client.get(f"{BASE}/metrics/trend", {"granularity": "quarter"}).json()
    assert sum(point["responses"] for point in trend) == 8
    assert "Q" in trend[0]["label"]

    breakdown = client.get(f"{BASE}/metrics/breakdown", {"by": "unit", "unit": world.region.pk}).json()
    assert breakdown["unit"] == world.region.pk
    rows = {row["label"]: row for row in breakdown["rows"]}
    assert rows["Acme Centre"]["responses"] == 6
    assert rows["Acme Harbour"]["metrics"]["nps"]["value"] == -100
    assert rows["Acme Harbour"]["key"] == str(world.other_branch.pk)

    client.force_login(world.manager)
    labels = [
        row["label"]
        for row in client.get(f"{BASE}/metrics/breakdown", {"by": "unit"}, headers={"accept-language": "en"}).json()[
            "rows"
        ]
    ]
    assert labels == ["Acme Centre team", "Acme Centre itself"]
    people = [row["label"] for row in client.get(f"{BASE}/metrics/breakdown", {"by": "person"}).json()["rows"]]
    assert "Acme Other" not in people


@pytest.mark.django_db
def test_responses_list_and_detail(client, world, sample):
    client.force_login(world.employee)
    page = client.get(f"{BASE}/responses").json()
    assert page["count"] == 5
    assert {r["person"] for r in page["results"]} == {world.person.pk}
    comments = {r["comment"] for r in page["results"]}
    assert {"Excellent advice, thank you", "Slow queue"} <= comments

    detail = client.get(f"{BASE}/responses/{sample['own'][0].pk}").json()
    assert detail["nps"] == 10
    assert detail["comment"] == "Excellent advice, thank you"
    by_text = {answer["question"]: answer for answer in detail["answers"]}
    nps_question = world.programme.questionnaire.questions.get(item__code="nps_1")
    assert by_text[nps_question.text()]["value"] == 10
    assert {s["dimension"] for s in detail["dimension_scores"]} >= {"listening", "logos"}


@pytest.mark.django_db
def test_anonymous_gets_401(client, world, sample):
    for path in ("/metrics", "/metrics/trend", "/metrics/breakdown", "/responses", f"/responses/{sample['own'][0].pk}"):
        assert client.get(BASE + path).status_code == 401, path


@pytest.mark.django_db
def test_other_organisation_gets_404(client, world, other_world, sample):
    paths = ("/metrics", "/metrics/trend", "/metrics/breakdown", "/responses", f"/responses/{sample['own'][0].pk}")
    client.force_login(other_world.admin)
    for path in paths:
        assert client.get(BASE + path).status_code == 404, path
    # A token reaches only its own organisation, whoever holds it.
    headers = bearer(world.admin, other_world.organisation)
    client.logout()
    assert client.get(f"{BASE}/metrics", **headers).status_code == 404
    # Another organisation's response id under its own slug is not found.
    client.force_login(other_world.admin)
    assert client.get(f"/api/v1/organisations/rival/responses/{sample['own'][0].pk}").status_code == 404


@pytest.mark.django_db
def test_out_of_scope_rows_are_404_for_manager_and_employee(client, world, sample):
    client.force_login(world.manager)
    assert client.get(f"{BASE}/responses/{sample['other'][0].pk}").status_code == 404
    assert client.get(f"{BASE}/responses/{sample['branch_only'].pk}").status_code == 200
    client.force_login(world.employee)
    assert client.get(f"{BASE}/responses/{sample['branch_only'].pk}").status_code == 404
    assert client.get(f"{BASE}/metrics", {"person": world.other_person.pk}).status_code == 422


@pytest.mark.django_db
def test_membership_without_its_unit_gets_403(client, world, sample):
    user = User.objects.create_user("acme-loose-manager", "loose@example.org", "pw")
    Membership.objects.create(user=user, organisation=world.organisation, role=Membership.Role.UNIT_MANAGER)
    client.force_login(user)
    for path in ("/metrics", "/metrics/breakdown", "/responses", f"/responses/{sample['own'][0].pk}"):
        assert client.get(BASE + path).status_code == 403, path


@pytest.mark.django_db
def test_bad_filters_get_422_per_field(client, world, other_world, sample):
    client.force_login(world.manager)
    response = client.get(
        f"{BASE}/metrics",
        {"unit": world.other_branch.pk, "start": "2025-13-01", "channel": "pigeon", "touchpoint": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"unit", "start", "channel", "touchpoint"}
    assert "Select a valid choice" in errors["unit"]
    assert errors["start"] == "Enter a valid date."

    response = client.get(f"{BASE}/metrics", {"start": "2025-05-01", "end": "2025-04-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "end", "message": "The end date is before the start date."}]

    # Another organisation's unit is as unknown as a made-up one.
    client.force_login(world.admin)
    response = client.get(f"{BASE}/metrics", {"unit": other_world.branch.pk})
    assert [e["field"] for e in response.json()["errors"]] == ["unit"]

    response = client.get(f"{BASE}/metrics/breakdown", {"by": "weather"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["by"]
    response = client.get(f"{BASE}/metrics/trend", {"granularity": "decade"})
    assert [e["field"] for e in response.json()["errors"]] == ["granularity"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 30])
def test_api_query_counts_do_not_grow_with_responses(client, world, django_assert_max_num_queries, count):
    q = pulse_questions(world)
    for i in range(count):
        respond(world, nps=i % 11, csat=i % 5 + 1, ces=i % 7 + 1, quality=i % 5 + 1, questions=q, comment=f"c{i}")
    last = respond(world, nps=5, questions=q)
    client.force_login(world.admin)
    limits = {
        "/metrics": 7,
        "/metrics/trend?granularity=week": 7,
        f"/metrics/breakdown?by=unit&unit={world.region.pk}": 9,
        "/metrics/breakdown?by=person": 8,
        # + 1: the personal-data audit entry (privacy) of each response read
        "/responses": 5 + 1,
        f"/responses/{last.pk}": 6 + 1,
    }
    for path, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(BASE + path).status_code == 200, path
