"""Crash safety of the submit API: the production server (gunicorn, 2 workers) is SIGKILLed, master and
workers at once, in the middle of a burst of submissions; clients retry every unacknowledged request
with its idempotency key once the server is back. Every acknowledged response must be stored exactly
once and complete, nothing may be half-stored, and the total must equal the number of distinct keys.

PostgreSQL only: the server is a separate process that must see the test database, which needs a
database server (the SQLite test database lives in this process's memory).
"""

import http.client
import json
import random
import threading
import time
import uuid
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count

from benchmarks.ingest_load import AppServer
from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.ingest import questionnaire_shape
from kohtaamo.feedback.models import Answer, Response
from kohtaamo.feedback.scoring import scores_compute
from tests.test_synthetic_rollup import assert_cells_count_every_response_once

SUBMISSIONS = 120
CLIENTS = 8
KILL_AFTER_ACKNOWLEDGED = 30
DEADLINE_S = 150

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the app server runs in its own processes and must share the test database",
)


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _submissions(shape, rng: random.Random) -> dict[str, dict]:
    """Distinct keys, each with its own random subset of answers (so completeness is per response)."""
    scale = [q for q in shape.questions if q.item is not None]
    submissions = {}
    for _ in range(SUBMISSIONS):
        chosen = rng.sample(scale, rng.randint(3, len(scale)))
        answers = {q.item.code: rng.randint(q.scale_min, q.scale_max) for q in chosen}
        submissions[str(uuid.uuid4())] = {"language": rng.choice(["fi", "sv", "en"]), "answers": answers}
    return submissions


class Clients:
    """Client threads: each sends its share one by one and retries a request until it is acknowledged."""

    def __init__(self, *, server: AppServer, token: str, submissions: dict[str, dict]):
        self.server, self.token = server, token
        self.acknowledged: dict[str, tuple[int, int]] = {}  # key -> (status, response id)
        self.unexpected: list[tuple[str, int, bytes]] = []
        self.failures = 0
        self.lock = threading.Lock()
        self.deadline = time.monotonic() + DEADLINE_S
        keys = list(submissions)
        self.threads = [
            threading.Thread(target=self._run, args=([(k, submissions[k]) for k in keys[i::CLIENTS]],))
            for i in range(CLIENTS)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()

    def _send(self, conn, key: str, body: dict) -> tuple[int, bytes]:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
            "Accept-Language": "en",
        }
        conn.request("POST", "/api/v1/organisations/acme/responses", json.dumps(body), headers)
        reply = conn.getresponse()
        return reply.status, reply.read()

    def _run(self, share: list[tuple[str, dict]]) -> None:
        conn = None
        for key, body in share:
            while time.monotonic() < self.deadline:
                try:
                    conn = conn or http.client.HTTPConnection(*self.server.address, timeout=20)
                    status, content = self._send(conn, key, body)
                except (OSError, http.client.HTTPException):
                    # Not acknowledged: the server died or is not back yet. Retry with the same key.
                    if conn is not None:
                        conn.close()
                    conn = None
                    with self.lock:
                        self.failures += 1
                    time.sleep(0.05)
                    continue
                with self.lock:
                    if status in (200, 201):
                        self.acknowledged[key] = (status, json.loads(content)["id"])
                    else:
                        self.unexpected.append((key, status, content))
                break
        if conn is not None:
            conn.close()


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_kill_in_the_middle_of_a_burst_loses_and_duplicates_nothing(transactional_db, world):
    token = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="crash")[1]
    shape = questionnaire_shape(questionnaire_id=world.programme.questionnaire_id)
    submissions = _submissions(shape, random.Random(11))
    server = AppServer(database_url=_database_url(), workers=2)
    clients = Clients(server=server, token=token, submissions=submissions)
    try:
        server.start()
        clients.start()
        _wait_for(lambda: len(clients.acknowledged) >= KILL_AFTER_ACKNOWLEDGED, timeout=20)
        acknowledged_before_kill = len(clients.acknowledged)
        server.kill()
        server.start()
        clients.join()
    finally:
        server.kill()

    assert clients.unexpected == []
    assert 0 < acknowledged_before_kill < SUBMISSIONS, "the kill must land in the middle of the burst"
    assert clients.failures > 0, "the kill must have cut off requests"
    assert set(clients.acknowledged) == set(submissions), "every request is acknowledged after the retries"

    stored = Response.objects.filter(organisation=world.organisation)
    assert stored.count() == len(submissions)
    by_key = {str(key): pk for key, pk in stored.values_list("idempotency_key", "pk")}
    # Each acknowledged response exactly once, under the id its acknowledgement gave.
    assert by_key == {key: response_id for key, (_status, response_id) in clients.acknowledged.items()}

    # Complete: status, every answer, every dimension score (as the scoring gives them), figures.
    counts = {
        row["pk"]: row
        for row in stored.annotate(
            n_answers=Count("answers", distinct=True), n_scores=Count("dimension_scores", distinct=True)
        ).values("pk", "status", "n_answers", "n_scores", "nps", "language")
    }
    by_code = {q.item.code: q.pk for q in shape.questions if q.item is not None}
    for key, body in submissions.items():
        row = counts[by_key[key]]
        values = {by_code[code]: value for code, value in body["answers"].items()}
        expected = scores_compute(questions=list(shape.scored), values=values)
        assert row["status"] == Response.Status.SUBMITTED
        assert row["language"] == body["language"]
        assert row["n_answers"] == len(body["answers"]), key
        assert row["n_scores"] == len(expected.dimension_scores), key
        assert row["nps"] == expected.nps
    # Nothing half-stored: no answer belongs to anything but these responses.
    assert Answer.objects.filter(organisation=world.organisation).count() == sum(
        len(body["answers"]) for body in submissions.values()
    )
    # The dashboard counts each of them once: their rollup entries were written in the same statement.
    assert_cells_count_every_response_once(world.organisation)
