"""The responses API: idempotent submit, per-field validation, scoring as on the respondent page, scope."""

import uuid

import pytest
from django.utils import timezone

from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.models import Answer, DimensionScore, Encounter, Response
from kohtaamo.feedback.scoring import response_score
from kohtaamo.organisations.models import Channel

URL = "/api/v1/organisations/acme/responses"

# The pulse questionnaire's items: listening_1 and listening_3 measure listening, listening_3 also pathos.
ANSWERS = {
    "nps_1": 9,
    "csat_1": 4,
    "ces_1": 6,
    "emotion_1": 4,
    "listening_1": 4,
    "listening_3": 5,
    "expertise_2": 3,
    "value_1": 4,
    "trust_1": 5,
    "solution_1": 2,
    "solution_3": 4,
    "logos_1": 3,
}


def _headers(user, organisation, **extra) -> dict:
    raw = ApiToken.issue(user=user, organisation=organisation, name="t")[1]
    return {"authorization": f"Bearer {raw}", "accept-language": "en", **extra}


pytestmark = pytest.mark.usefixtures("fresh_shapes")


@pytest.fixture
def lead(world) -> dict:
    return _headers(world.cx_lead, world.organisation)


def _submission(**fields) -> dict:
    return {"idempotency_key": str(uuid.uuid4()), "language": "en", "answers": dict(ANSWERS), **fields}


def _post(client, payload, headers):
    return client.post(URL, payload, content_type="application/json", headers=headers)


def _comment_question_id(world) -> int:
    return world.programme.questionnaire.questions.get(kind="open").pk


@pytest.mark.django_db
def test_submit_stores_a_complete_scored_response(client, world, lead):
    payload = _submission(answers={**ANSWERS, str(_comment_question_id(world)): "Quick and kind."})
    reply = _post(client, payload, lead)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    response = Response.objects.get()
    assert body["id"] == response.pk
    assert (response.status, response.language, response.round_id) == ("submitted", "en", world.programme.pk)
    assert str(response.idempotency_key) == payload["idempotency_key"]
    assert (response.nps, response.csat, response.ces, response.has_comment) == (9, 4, 6, True)
    assert Answer.objects.filter(response=response).count() == 13
    scores = {s["dimension"]: s for s in body["dimension_scores"]}
    assert scores["listening"] == {"dimension": "listening", "mean": 4.5, "score": 87.5, "items_answered": 2}
    assert scores["solution"]["mean"] == 3.0 and scores["solution"]["score"] == 50.0
    # EQI = mean of the five element scores: listening 87.5, expertise 50, value 75, trust 100, solution 50.
    assert body["eqi"] == pytest.approx((87.5 + 50 + 75 + 100 + 50) / 5)
    assert response.eqi == pytest.approx(body["eqi"])
    # The respondent page's scoring gives the very same figures for these answers.
    stored = {(s.dimension_id, s.mean, s.score, s.items_answered) for s in DimensionScore.objects.all()}
    response_score(response=response)
    assert {(s.dimension_id, s.mean, s.score, s.items_answered) for s in DimensionScore.objects.all()} == stored
    assert Response.objects.get().eqi == pytest.approx(body["eqi"])


@pytest.mark.django_db
def test_retry_with_the_same_key_returns_the_stored_response(client, world, lead):
    payload = _submission()
    first = _post(client, payload, lead)
    again = _post(client, payload, lead)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Response.objects.count() == 1
    assert Answer.objects.count() == len(ANSWERS)


@pytest.mark.django_db
def test_key_in_the_header_works_and_must_agree_with_the_body(client, world, lead):
    key = str(uuid.uuid4())
    payload = {"language": "fi", "answers": {"nps_1": 10}}
    created = _post(client, payload, {**lead, "Idempotency-Key": key})
    assert created.status_code == 201, created.content
    assert created.json()["idempotency_key"] == key
    assert _post(client, {**payload, "idempotency_key": key}, lead).status_code == 200
    differ = _post(client, {**payload, "idempotency_key": str(uuid.uuid4())}, {**lead, "Idempotency-Key": key})
    assert differ.status_code == 422
    assert differ.json()["errors"][0]["field"] == "idempotency_key"
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_payload_is_a_conflict(client, world, lead):
    payload = _submission()
    first = _post(client, payload, lead)
    conflict = _post(client, {**payload, "answers": {**ANSWERS, "nps_1": 3}}, lead)
    assert conflict.status_code == 409
    assert conflict.json()["response"] == first.json()["id"]
    assert Response.objects.get().nps == 9
    assert _post(client, {**payload, "language": "sv"}, lead).status_code == 409


@pytest.mark.django_db
def test_every_problem_comes_back_per_field_and_nothing_is_stored(client, world, lead):
    payload = {
        "idempotency_key": "not-a-uuid",
        "language": "de",
        "respondent_role": "boss",
        "submitted_at": "tomorrow",
        "encounter": "NOPE",
        "touchpoint": "Moon base",
        "answers": {"nps_1": 11, "csat_1": "great", "no_such_item": 3, "listening_1": True},
    }
    reply = _post(client, payload, lead)
    assert reply.status_code == 422
    errors = {e["field"]: e["message"] for e in reply.json()["errors"]}
    assert errors == {
        "idempotency_key": "The idempotency key must be a UUID.",
        "language": "Unknown language. Use fi, sv or en.",
        "respondent_role": errors["respondent_role"],
        "submitted_at": "Not a valid date and time. Use ISO 8601, for example 2025-03-14T09:30.",
        "encounter": "No encounter with this external id.",
        "touchpoint": "No touchpoint with this code or name.",
        "answers.no_such_item": "No question with this id or item code in the round's questionnaire.",
        "answers.listening_1": "Give a whole number on the question's scale, or text for an open question.",
        "answers.nps_1": "Choose a value from 0 to 10.",
        "answers.csat_1": "Choose one of the options from 1 to 5.",
    }
    assert errors["respondent_role"].startswith("Unknown respondent role")
    assert not Response.objects.exists() and not Answer.objects.exists()


@pytest.mark.django_db
def test_missing_key_closed_round_and_empty_answers_are_errors(client, world, lead):
    reply = _post(client, {"language": "en", "answers": {}}, lead)
    fields = [e["field"] for e in reply.json()["errors"]]
    assert reply.status_code == 422 and fields == ["idempotency_key", "answers"]
    world.programme.active = False
    world.programme.save()
    closed = _post(client, _submission(round=world.programme.pk), lead)
    assert closed.json()["errors"] == [
        {"field": "round", "message": "This round is closed and takes no more responses."}
    ]
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_encounter_and_touchpoint_tag_the_response(client, world, lead):
    encounter = Encounter.objects.create(
        organisation=world.organisation,
        external_id="K-7",
        unit=world.team,
        person=world.person,
        channel=Channel.PHONE,
        occurred_at=timezone.now(),
    )
    reply = _post(client, _submission(encounter="K-7"), lead)
    response = Response.objects.get(pk=reply.json()["id"])
    assert (response.encounter, response.subject_person, response.unit, response.channel) == (
        encounter,
        world.person,
        world.team,
        Channel.PHONE,
    )
    reply = _post(client, _submission(touchpoint="Branch meeting", round=world.programme.pk), lead)
    response = Response.objects.get(pk=reply.json()["id"])
    assert (response.touchpoint, response.unit, response.channel) == (
        world.touchpoint,
        world.branch,
        Channel.FACE_TO_FACE,
    )


@pytest.mark.django_db
def test_submitted_at_in_local_time_is_stored_in_utc(client, world, lead):
    reply = _post(client, _submission(submitted_at="2025-03-14T09:30"), lead)
    assert reply.json()["submitted_at"].startswith("2025-03-14T07:30:00")
    future = _post(client, _submission(submitted_at="2999-01-01T00:00"), lead)
    assert future.json()["errors"] == [{"field": "submitted_at", "message": "The time is in the future."}]


@pytest.mark.django_db
def test_only_managers_of_the_tokens_organisation_may_submit(client, world, other_world):
    employee = _post(client, _submission(), _headers(world.employee, world.organisation))
    assert employee.status_code == 403
    stranger = _post(client, _submission(), _headers(other_world.cx_lead, other_world.organisation))
    assert stranger.status_code == 404
    assert client.post(URL, _submission(), content_type="application/json").status_code == 401
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_the_same_key_in_two_organisations_is_two_responses(client, world, other_world, lead):
    payload = _submission()
    assert _post(client, payload, lead).status_code == 201
    rival = client.post(
        "/api/v1/organisations/rival/responses",
        payload,
        content_type="application/json",
        headers=_headers(other_world.cx_lead, other_world.organisation),
    )
    assert rival.status_code == 201
    assert Response.objects.count() == 2


@pytest.mark.django_db
def test_submit_query_count_is_pinned(client, world, lead, django_assert_max_num_queries):
    _post(client, _submission(), lead)  # the questionnaire is now frozen and its shape cached
    # token (1: its last use is written at most once a minute), scope (1), round (1), response, answers
    # scores and the dashboard's month and day entries with their dimensions (5 with the ORM, 1 on PostgreSQL),
    # the test transaction's savepoint and its release (2).
    with django_assert_max_num_queries(10):
        assert _post(client, _submission(), lead).status_code == 201


@pytest.mark.django_db
def test_the_write_is_a_prepared_statement_on_postgresql(client, world, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(2):
        assert _post(client, _submission(), lead).status_code == 201
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["WITH r AS (INSERT INTO%"]
        )
        assert cursor.fetchone()[0] >= 1
    # The statement is logged like any other, so the query-count pins see it.
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, _submission(), lead).status_code == 201
    assert sum(q["sql"].startswith("WITH r AS (INSERT INTO") for q in queries.captured_queries) == 1
