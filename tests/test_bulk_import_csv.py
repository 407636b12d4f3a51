"""Bulk CSV import of responses: scores equal feedback/scoring.py's, line-numbered errors, all or nothing."""

import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kohtaamo.feedback.bulk_import import responses_import_csv
from kohtaamo.feedback.models import Answer, DimensionScore, Encounter, Response
from kohtaamo.feedback.scoring import response_score
from kohtaamo.instruments.models import Item
from kohtaamo.instruments.services import questionnaire_revise
from kohtaamo.organisations.models import Channel

pytestmark = pytest.mark.usefixtures("fresh_shapes")


@pytest.fixture
def survey(world):
    """The pulse survey plus a reverse-coded listening item, so that flipping is exercised too."""
    questionnaire = world.programme.questionnaire
    specs = [{"item": q.item} if q.item else {"texts": q.texts} for q in questionnaire.questions.order_by("order")]
    specs.insert(5, {"item": Item.objects.get(code="listening_2")})
    questionnaire_revise(questionnaire=questionnaire, questions=specs)
    return [
        (q.item.code, q.scale_min, q.scale_max) if q.item else (str(q.pk), None, None)
        for q in questionnaire.questions.order_by("order")
    ]


def _csv(rows: list[list[str]], delimiter: str = ",") -> io.BytesIO:
    text = io.StringIO()
    for row in rows:
        text.write(delimiter.join(row) + "\n")
    return io.BytesIO(text.getvalue().encode())


def _random_file(survey, n: int, seed: int = 5) -> io.BytesIO:
    rng = random.Random(seed)
    header = ["submitted_at", "language"] + [code for code, _low, _high in survey]
    rows = [header]
    for i in range(n):
        cells = [f"2025-0{1 + i % 9}-1{i % 10}T10:{i % 60:02d}", rng.choice(["fi", "sv", "en"])]
        for _code, low, high in survey:
            if low is None:
                cells.append(rng.choice(["", '"Hyvä, kiitos; ja ""selkeä"""']))
            else:
                cells.append("" if rng.random() < 0.3 else str(rng.randint(low, high)))
        rows.append(cells)
    return _csv(rows)


def _scores(response) -> set:
    return {(s.dimension_id, s.mean, s.score, s.items_answered) for s in response.dimension_scores.all()}


@pytest.mark.django_db
def test_imported_scores_equal_the_scoring_of_a_submit(world, survey):
    result = responses_import_csv(organisation=world.organisation, file=_random_file(survey, 80))
    assert result.ok, result.errors
    assert result.imported == 80
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 80
    checked = 0
    for response in Response.objects.all():
        imported = (_scores(response), response.eqi, response.nps, response.csat, response.ces, response.has_comment)
        response_score(response=response)
        response.refresh_from_db()
        recomputed = (_scores(response), response.eqi, response.nps, response.csat, response.ces, response.has_comment)
        assert imported == recomputed, response.pk  # exact: the same arithmetic in the same order
        checked += bool(imported[0])
    assert checked > 60  # most rows answer enough items to be scored
    assert Response.objects.filter(eqi__isnull=False).exists()
    assert Response.objects.filter(has_comment=True).exists()
    assert set(Answer.objects.filter(text__gt="").values_list("text", flat=True)) == {'Hyvä, kiitos; ja "selkeä"'}


@pytest.mark.django_db
def test_values_times_and_tags_are_stored_as_given(world, survey):
    Encounter.objects.create(
        organisation=world.organisation,
        external_id="K-1",
        unit=world.team,
        person=world.person,
        channel=Channel.PHONE,
        occurred_at=timezone.now(),
    )
    rows = [
        ["submitted_at", "language", "encounter", "touchpoint", "nps_1", "listening_1", "listening_2", "listening_3"],
        ["2025-03-14T09:30", "sv", "K-1", "", "9", "4", "2", "5"],
        ["2025-03-14T09:30:00+00:00", "en", "", "Branch meeting", "0", "", "", ""],
    ]
    result = responses_import_csv(organisation=world.organisation, file=_csv(rows, ";"))
    assert result.ok, result.errors
    first, second = Response.objects.order_by("submitted_at")
    assert first.submitted_at.isoformat() == "2025-03-14T07:30:00+00:00"  # Helsinki time
    assert (first.language, first.encounter.external_id, first.subject_person, first.unit) == (
        "sv",
        "K-1",
        world.person,
        world.team,
    )
    assert (second.touchpoint, second.unit, second.channel, second.nps) == (
        world.touchpoint,
        world.branch,
        "face_to_face",
        0,
    )
    listening = first.dimension_scores.get(dimension__code="listening")
    # listening_2 is reverse-coded: 2 counts as 4 on 1–5; mean of 4, 4, 5.
    assert listening.mean == pytest.approx(13 / 3) and listening.items_answered == 3
    assert not second.dimension_scores.filter(dimension__code="listening").exists()


@pytest.mark.django_db
def test_bad_lines_are_reported_with_their_numbers_and_nothing_is_stored(world, survey):
    rows = [
        ["submitted_at", "language", "encounter", "nps_1", "csat_1"],
        ["2025-03-14T09:30", "fi", "", "9", "4"],
        ["2025-03-14T09:30", "de", "", "11", "4"],
        ["yesterday", "fi", "", "9", "4"],
        ["2999-01-01T00:00", "fi", "NOPE", "9", "x"],
        ["2025-03-14T09:30", "fi", ""],
    ]
    result = responses_import_csv(organisation=world.organisation, file=_csv(rows))
    assert not result.ok and result.imported == 0
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "language"),
        (3, "nps_1"),
        (4, "submitted_at"),
        (5, "submitted_at"),
        (5, "encounter"),
        (5, "csat_1"),
        (6, ""),
    ]
    messages = {(e.line, e.column): e.message for e in result.errors}
    assert messages[(3, "nps_1")] == "Choose a value from 0 to 10."
    assert messages[(5, "submitted_at")] == "The time is in the future."
    assert messages[(6, "")] == "The line has 3 fields; the header has 5."
    assert not Response.objects.exists() and not Answer.objects.exists() and not DimensionScore.objects.exists()


@pytest.mark.django_db
def test_header_problems_stop_the_import(world, survey):
    result = responses_import_csv(
        organisation=world.organisation, file=_csv([["language", "nps_1", "nps_1", "shoe_size"], ["fi", "1", "2", "3"]])
    )
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (1, "nps_1", "This question has two columns."),
        (1, "shoe_size", "Unknown column: not a question of the round's questionnaire."),
        (1, "submitted_at", "The column is missing."),
    ]
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_management_command_imports_or_reports(world, survey, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(_random_file(survey, 5).getvalue())
    out = io.StringIO()
    call_command("import_responses", str(good), organisation="acme", no_progress=True, stdout=out)
    assert "Imported 5 responses" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("submitted_at,language\n2025-01-01T10:00,xx\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_responses", str(bad), organisation="acme", language="en", no_progress=True, stderr=err)
    assert "bad.csv:line 2 [language]: Unknown language" in err.getvalue()
    assert Response.objects.count() == 5
