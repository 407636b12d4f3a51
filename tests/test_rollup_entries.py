"""New responses reach the dashboard's rollup by appending entries (API, bulk import); compaction merges
them into one row per cell with the figures unchanged and equal to a rebuild from the responses."""

import io
import math
import random
import uuid
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from kohtaamo.analytics import selectors
from kohtaamo.analytics.models import DimensionRollup, ResponseRollup
from kohtaamo.analytics.rollup import response_rollup_compact, response_rollup_rebuild
from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.bulk_import import responses_import_csv
from kohtaamo.feedback.ingest import questionnaire_shapes_forget
from kohtaamo.organisations.selectors import scope_from_organisation
from tests.test_bulk_import_csv import _random_file
from tests.test_synthetic_rollup import assert_cells_count_every_response_once, assert_same_figures, both_paths

URL = "/api/v1/organisations/acme/responses"
CODES = ["nps_1", "csat_1", "ces_1", "listening_1", "listening_3", "expertise_2", "value_1", "trust_1"]
CODES += ["solution_1", "solution_3", "logos_1", "emotion_1"]
KEY = ("month", "day", "unit_id", "channel", "touchpoint_id", "questionnaire_id")


@pytest.fixture(autouse=True)
def _fresh_shapes():
    questionnaire_shapes_forget()
    yield
    questionnaire_shapes_forget()


def _answers(rng: random.Random) -> dict:
    answers = {code: rng.randint(1, 5) for code in CODES}
    answers["nps_1"], answers["ces_1"] = rng.randint(0, 10), rng.randint(1, 7)
    for code in rng.sample(CODES, 3):
        answers.pop(code)  # partial answers: some responses lack CSAT, NPS, the EQI or the balance
    return answers


def _submit_many(client, world, n: int) -> None:
    rng = random.Random(7)
    headers = {
        "authorization": f"Bearer {ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name='t')[1]}"
    }
    for i in range(n):
        payload = {
            "idempotency_key": str(uuid.uuid4()),
            "language": "fi",
            "answers": _answers(rng),
            # Three months, several days each, evening hours that fall on the next day in Helsinki.
            "submitted_at": f"2025-{3 + i % 3:02d}-{10 + i % 4}T{20 + i % 4}:15:00+00:00",
        }
        if i % 2:
            payload["touchpoint"] = world.touchpoint.name
        reply = client.post(URL, payload, content_type="application/json", headers=headers)
        assert reply.status_code == 201, reply.content


def _cells_by_key(organisation) -> dict:
    cells = {}
    for cell in ResponseRollup.objects.filter(organisation=organisation).prefetch_related("dimensions"):
        key = tuple(getattr(cell, name) for name in KEY)
        assert key not in cells, f"two rows for one cell {key}"
        figures = {f.attname: getattr(cell, f.attname) for f in ResponseRollup._meta.concrete_fields}
        figures.update({("dimension", d.dimension_id): (d.n, d.total, d.total_sq) for d in cell.dimensions.all()})
        for name in ("id", "organisation_id", *KEY):
            figures.pop(name)
        cells[key] = figures
    return cells


def _assert_same_cells(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].keys() == b[key].keys(), key
        for name, x in a[key].items():
            y = b[key][name]
            for u, v in zip(x if isinstance(x, tuple) else (x,), y if isinstance(y, tuple) else (y,), strict=True):
                assert math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9), (key, name, x, y)


@pytest.mark.django_db
def test_api_submits_reach_the_dashboard_and_compaction_keeps_the_figures(client, world, settings):
    scope = scope_from_organisation(organisation=world.organisation)
    spring = selectors.DashboardFilter(start=date(2025, 3, 1), end=date(2025, 5, 31))
    mid_april = selectors.DashboardFilter(start=date(2025, 4, 11), end=date(2025, 4, 12))
    assert selectors.overview(scope=scope, filters=spring)["nps"].n == 0
    _submit_many(client, world, 24)

    # Every response appended its month entry and its day entry: figures equal the raw path's.
    assert ResponseRollup.objects.filter(organisation=world.organisation).count() == 48
    assert_cells_count_every_response_once(world.organisation)
    figures = {}
    for name, period in (("spring", spring), ("mid-April", mid_april)):
        rollup, raw = both_paths(lambda period=period: selectors.overview(scope=scope, filters=period), settings)
        assert_same_figures(rollup, raw, name)
        assert rollup["nps"].n > 0
        figures[name] = rollup

    # Compaction merges them; nothing read changes and the cells equal a rebuild from the responses.
    out = io.StringIO()
    call_command("rollup_compact", organisation="acme", stdout=out)
    removed = int(out.getvalue().split()[0])
    crowded = ResponseRollup.objects.values(*KEY).annotate(rows=Count("pk")).filter(rows__gt=1)
    assert removed > 0 and not crowded.exists()
    assert_cells_count_every_response_once(world.organisation)
    for name, period in (("spring", spring), ("mid-April", mid_april)):
        assert_same_figures(selectors.overview(scope=scope, filters=period), figures[name], f"compacted {name}")
    compacted = _cells_by_key(world.organisation)
    assert response_rollup_compact(organisation=world.organisation) == 0
    response_rollup_rebuild(organisation=world.organisation)
    _assert_same_cells(compacted, _cells_by_key(world.organisation))
    assert not DimensionRollup.objects.filter(cell__isnull=True).exists()
    with pytest.raises(CommandError):
        call_command("rollup_compact", organisation="nobody", stdout=out)


@pytest.mark.django_db
def test_a_bulk_import_reaches_the_dashboard(world, settings):
    scope = scope_from_organisation(organisation=world.organisation)
    result = responses_import_csv(organisation=world.organisation, file=_random_file(_survey(world), 120))
    assert result.ok, result.errors
    assert_cells_count_every_response_once(world.organisation)
    everything = selectors.DashboardFilter()
    rollup, raw = both_paths(lambda: selectors.overview(scope=scope, filters=everything), settings)
    assert rollup["nps"].n > 0
    assert_same_figures(rollup, raw, "after import")
    by_cell = _cells_by_key(world.organisation)  # the import counts each cell once: no two rows per cell
    response_rollup_rebuild(organisation=world.organisation)
    _assert_same_cells(by_cell, _cells_by_key(world.organisation))


def _survey(world) -> list:
    questionnaire = world.programme.questionnaire
    return [
        (q.item.code, q.scale_min, q.scale_max) if q.item else (str(q.pk), None, None)
        for q in questionnaire.questions.order_by("order")
    ]


@pytest.mark.django_db
def test_submits_enqueue_a_compaction_now_and_then(client, world, settings, django_capture_on_commit_callbacks):
    from kohtaamo.analytics import receivers

    rows = ResponseRollup.objects.filter(organisation=world.organisation)
    crowded = rows.values(*KEY).annotate(n=Count("pk")).filter(n__gt=1)
    settings.KOHTAAMO_ROLLUP_COMPACT_SECONDS = 3600
    receivers._last_enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit_many(client, world, 8)  # the first submit's compaction (tasks run inline here) merges all 8
    assert rows.count() < 16 and not crowded.exists()
    compacted = rows.count()
    with django_capture_on_commit_callbacks(execute=True):
        _submit_many(client, world, 8)  # within the hour: no compaction, the entries stay appended
    assert rows.count() == compacted + 16 and crowded.exists()
    settings.KOHTAAMO_ROLLUP_COMPACT_SECONDS = 0  # due at every submit
    with django_capture_on_commit_callbacks(execute=True):
        _submit_many(client, world, 1)
    assert not crowded.exists()
    assert_cells_count_every_response_once(world.organisation)
    receivers._last_enqueued.clear()
