"""The submit path's cost: statements per submit (with the background hand-off), and which tasks it enqueues."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.signals import task_enqueued

from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.ingest import questionnaire_shapes_forget
from kohtaamo.followup.receivers import followup_rules_forget
from kohtaamo.integrations.models import Webhook
from kohtaamo.integrations.receivers import webhook_checks_forget

URL = "/api/v1/organisations/acme/responses"
# Promoter, satisfied, no comment: no follow-up rule can match, nothing to analyse.
QUIET = {"nps_1": 9, "csat_1": 4, "ces_1": 6, "listening_1": 4, "trust_1": 5}


@pytest.fixture(autouse=True)
def _fresh_caches():
    for forget in (questionnaire_shapes_forget, followup_rules_forget, webhook_checks_forget):
        forget()
    yield
    for forget in (questionnaire_shapes_forget, followup_rules_forget, webhook_checks_forget):
        forget()


@pytest.fixture
def enqueued():
    """Names of the tasks enqueued while the test runs (whichever task backend the settings use)."""
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record, dispatch_uid="test_ingest_handoff")
    yield names
    task_enqueued.disconnect(dispatch_uid="test_ingest_handoff")


@pytest.fixture
def token(world) -> str:
    return ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="t")[1]


def _submit(client, token: str, answers: dict, **fields) -> int:
    payload = {"idempotency_key": str(uuid.uuid4()), "language": "en", "answers": answers, **fields}
    reply = client.post(URL, payload, content_type="application/json", headers={"authorization": f"Bearer {token}"})
    assert reply.status_code == 201, reply.content
    return reply.json()["id"]


def _comment_id(world) -> str:
    return str(world.programme.questionnaire.questions.get(kind="open").pk)


@pytest.mark.django_db
def test_a_submit_with_its_hand_off_is_pinned(
    client, world, token, enqueued, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, QUIET)  # freezes the questionnaire; token use, rules and webhook check now known
    # token (1), scope (1), round (1), the test transaction's savepoint and release (2), response, answers,
    # scores and the rollup's two entries with their dimensions (5 with the ORM, 1 statement on PostgreSQL);
    # no task and no check after the commit.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(10):
        _submit(client, token, QUIET)
    assert sorted(enqueued) == []


@pytest.mark.django_db
def test_only_tasks_with_work_are_enqueued(client, world, token, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, QUIET)
    assert sorted(enqueued) == []
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, {**QUIET, _comment_id(world): "Kiitos"})
    # the comment is analysed, and the follow-up task reads it for the rule's trust keywords
    assert sorted(enqueued) == ["analyse_response_comments", "followup_for_response"]
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, {**QUIET, "nps_1": 3})  # a detractor: the default NPS rule may open a case
    assert sorted(enqueued) == ["followup_for_response"]
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, {**QUIET, "nps_1": 3}, respondent_role="staff")  # cases are for customers only
    assert sorted(enqueued) == []


@pytest.mark.django_db
def test_a_new_webhook_gets_the_next_submit(client, world, token, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, QUIET)  # "no webhook" is now cached
    Webhook.objects.create(
        organisation=world.organisation, url="https://hooks.example.org/x", events=["response.submitted"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, token, QUIET)
    assert "announce_response" in enqueued


@pytest.mark.django_db
def test_token_use_is_written_at_most_once_a_minute(client, world, token):
    _submit(client, token, QUIET)
    stored = ApiToken.objects.get(organisation=world.organisation)
    first = stored.last_used_at
    assert first is not None
    _submit(client, token, QUIET)
    stored.refresh_from_db()
    assert stored.last_used_at == first
    ApiToken.objects.filter(pk=stored.pk).update(last_used_at=first - timedelta(minutes=2))
    _submit(client, token, QUIET)
    stored.refresh_from_db()
    assert stored.last_used_at > first - timedelta(seconds=1)
    assert timezone.now() - stored.last_used_at < timedelta(minutes=1)
