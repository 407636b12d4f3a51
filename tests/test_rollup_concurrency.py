"""PostgreSQL: submits appending to one cell, recomputes of that cell and compactions all at once still
count every response exactly once (the recompute locks out appenders; compaction sums what it deleted)."""

import random
import threading
import uuid

import pytest
from django.db import connection, connections

from kohtaamo.analytics.rollup import response_rollup_compact, response_rollup_refresh
from kohtaamo.feedback.ingest import questionnaire_shapes_forget, response_ingest
from kohtaamo.feedback.models import Response
from kohtaamo.organisations.selectors import scope_from_organisation
from tests.test_rollup_entries import _answers
from tests.test_synthetic_rollup import assert_cells_count_every_response_once

SUBMITTERS = 4
PER_SUBMITTER = 40


def _in_thread(work, errors: list) -> threading.Thread:
    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_appends_recomputes_and_compactions_at_once_count_each_response_once(transactional_db, world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writing transaction at a time")
    questionnaire_shapes_forget()
    scope = scope_from_organisation(organisation=world.organisation)
    same_day = "2025-06-12T09:00:00+00:00"  # every submit lands in the same month cell and day cell

    def submit(seed: int):
        rng = random.Random(seed)
        data = {"language": "en", "submitted_at": same_day}
        return response_ingest(
            scope=scope, data={**data, "idempotency_key": str(uuid.uuid4()), "answers": _answers(rng)}
        )

    first = submit(0).response
    done = threading.Event()

    def submitter(seed: int):
        def work():
            for i in range(PER_SUBMITTER):
                submit(seed * 1000 + i)

        return work

    def recomputer():
        response = Response.objects.get(pk=first.pk)
        while not done.is_set():
            response_rollup_refresh(response=response)

    def compactor():
        while not done.is_set():
            response_rollup_compact(organisation=world.organisation)

    errors: list = []
    submitters = [_in_thread(submitter(s + 1), errors) for s in range(SUBMITTERS)]
    others = [_in_thread(recomputer, errors), _in_thread(compactor, errors), _in_thread(compactor, errors)]
    for thread in submitters + others:
        thread.start()
    for thread in submitters:
        thread.join()
    done.set()
    for thread in others:
        thread.join()
    assert errors == []
    assert Response.objects.filter(organisation=world.organisation).count() == 1 + SUBMITTERS * PER_SUBMITTER
    assert_cells_count_every_response_once(world.organisation)
    response_rollup_compact(organisation=world.organisation)
    assert_cells_count_every_response_once(world.organisation)
