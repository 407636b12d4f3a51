"""Comment analysis: the analyser on its own, the background run after submit, the batch command and
the theme view."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kohtaamo.feedback.models import Encounter, RespondentRole
from kohtaamo.feedback.responding import response_record
from kohtaamo.organisations.models import Channel, Customer
from kohtaamo.textanalytics.analysis import MAX_CHARS, comment_analyse
from kohtaamo.textanalytics.models import CommentAnalysis, CommentTopic
from kohtaamo.textanalytics.services import comments_analyse

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
ELEMENT_ITEMS = ("listening_1", "listening_3", "expertise_2", "value_1", "trust_1", "solution_1", "solution_3")


def pulse_questions(world) -> dict[str, int]:
    questions = world.programme.questionnaire.questions.select_related("item")
    return {q.item.code if q.item_id else "comment": q.pk for q in questions}


def respond(
    world,
    comment: str = "",
    *,
    quality: int | None = None,
    encounter: Encounter | None = None,
    role: str = RespondentRole.CUSTOMER,
    days_ago: float = 2,
    unit=None,
    channel: str = Channel.FACE_TO_FACE,
    language: str = "fi",
):
    """One submitted pulse response, optionally with a comment and every element item answered `quality`."""
    questions = pulse_questions(world)
    answers = {questions[code]: quality for code in ELEMENT_ITEMS} if quality is not None else {}
    if comment:
        answers[questions["comment"]] = comment
    context = (
        {}
        if encounter
        else {"unit_id": (unit or world.team).pk, "subject_person_id": world.person.pk, "channel": channel}
    )
    return response_record(
        round=world.programme,
        answers=answers,
        language=language,
        submitted_at=timezone.now() - timedelta(days=days_ago),
        encounter=encounter,
        respondent_role=role,
        context=context,
    )


def encounter(world, external_id: str, *, customer=None, person=None, unit=None, channel=Channel.PHONE, days_ago=3):
    return Encounter.objects.create(
        organisation=world.organisation,
        external_id=external_id,
        customer=customer,
        person=person if person is not None else world.person,
        unit=unit or world.team,
        channel=channel,
        occurred_at=timezone.now() - timedelta(days=days_ago),
    )


def customer(world, external_id: str = "C-1") -> Customer:
    return Customer.objects.create(organisation=world.organisation, external_id=external_id)


# --- the analyser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "sentiment"),
    [
        ("Palvelu ei ollut hyvä.", "fi", "negative"),
        ("Palvelu oli todella hyvää ja ystävällistä, kiitos!", "fi", "positive"),
        ("Jonotin tunnin eikä kukaan auttanut.", "fi", "negative"),
        ("Personalen var inte trevlig.", "sv", "negative"),
        ("Tack för en jättebra och snabb service!", "sv", "positive"),
        ("The advisor was not helpful at all.", "en", "negative"),
        ("Great service, thank you so much!", "en", "positive"),
        ("I visited the branch on Tuesday to update my address.", "en", "neutral"),
    ],
)
def test_language_and_sentiment(text, language, sentiment):
    result = comment_analyse(text)
    assert (result.status, result.language, result.sentiment) == ("ok", language, sentiment)


def test_negation_flips_the_polarity_of_the_word_it_governs():
    assert comment_analyse("Palvelu oli hyvää.").score > 0.2
    assert comment_analyse("Palvelu ei ollut hyvää.").score < -0.2
    assert comment_analyse("Palvelu ei ollut huonoa.").score > 0


def test_elements_themes_and_emotions():
    result = comment_analyse("Jonotin 40 minuuttia ja hinta oli liian kallis. Olen todella pettynyt.")
    assert "waiting_time" in result.themes and "price" in result.themes
    assert "disappointment" in result.emotions
    listening = comment_analyse("The advisor listened carefully and explained everything clearly.")
    assert listening.elements == ("listening", "expertise")


def test_bad_input_gets_a_status_not_an_exception():
    assert comment_analyse("").status == "empty"
    assert comment_analyse("   \n\t ").status == "empty"
    assert comment_analyse("!!! 12345 :) 😀").status == "not_text"
    assert comment_analyse(None).status == "empty"
    assert comment_analyse(b"\xff\xfe binary \x00\x01 ok").status == "ok"
    huge = comment_analyse("Hyvä palvelu. " * 2000)
    assert huge.truncated and huge.note == "truncated" and huge.status == "ok"
    assert huge.sentiment == "positive"
    # Only the first MAX_CHARS characters are read: a theme mentioned after them is not found.
    padding = "Hyvä palvelu. " * (MAX_CHARS // len("Hyvä palvelu. ") + 1)
    assert "waiting_time" in comment_analyse("Jonotin tunnin. " + padding).themes
    assert "waiting_time" not in comment_analyse(padding + "Jonotin tunnin.").themes


def test_fallback_language_when_there_is_no_evidence():
    result = comment_analyse("Ok 👍", fallback_language="sv")
    assert result.language == "sv" and not result.language_detected
    assert comment_analyse("Loistava!", fallback_language="sv").language == "fi"


def test_mixed_language_comment_is_flagged():
    result = comment_analyse("Palvelu oli hyvää ja nopeaa mutta the app was really slow and the website is broken.")
    assert set(result.mixed_languages) == {"fi", "en"} and result.mixed_languages[0] == result.language
    assert result.note == f"mixed languages: {', '.join(result.mixed_languages)}"
    assert "digital_service" in result.themes


# --- background and batch ---------------------------------------------------------------------------


def test_submit_enqueues_the_analysis_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = respond(world, "Jonotin puoli tuntia ja virkailija oli tyly.")
    analysis = CommentAnalysis.objects.get(response=response)
    assert (analysis.language, analysis.sentiment, analysis.status) == ("fi", "negative", "ok")
    assert set(analysis.topics.values_list("code", flat=True)) >= {"waiting_time", "staff_attitude"}


def test_staff_and_360_comments_are_never_analysed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        respond(world, "Esihenkilö ei kuuntele meitä.", role=RespondentRole.STAFF)
        respond(world, "Hän kuuntelee hyvin.", role=RespondentRole.COLLEAGUE)
    assert CommentAnalysis.objects.count() == 0


def test_batch_goes_on_past_bad_comments_and_reruns(world):
    for text in ("Erinomaista palvelua!", "   ", "\x01\x02\x7f", "x" * 50_000, "Palvelu oli hidasta."):
        respond(world, text)
    CommentAnalysis.objects.all().delete()
    result = comments_analyse(organisation_id=world.organisation.pk)
    statuses = sorted(CommentAnalysis.objects.values_list("status", flat=True))
    # Blank and control-character-only comments are stored as answers; their analysis says "empty".
    assert result.failed == 0 and result.analysed == 5
    assert statuses == ["empty", "empty", "ok", "ok", "ok"]
    assert CommentAnalysis.objects.filter(truncated=True).count() == 1
    # Nothing new: a second run analyses nothing; --all re-analyses everything.
    assert comments_analyse(organisation_id=world.organisation.pk).analysed == 0
    assert comments_analyse(organisation_id=world.organisation.pk, everything=True).analysed == 5


def test_command_with_progress_bar(world):
    respond(world, "Kiitos nopeasta avusta!")
    respond(world, "Todella huono kokemus.")
    CommentAnalysis.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("analyse_comments", "--organisation", "acme", "--all", stdout=out, stderr=err)
    assert "Analysed 2 comments; 0 failed." in out.getvalue()
    assert "2/2" in err.getvalue()
    assert sorted(CommentAnalysis.objects.values_list("sentiment", flat=True)) == ["negative", "positive"]


# --- the theme view ----------------------------------------------------------------------------------


def test_theme_view_volumes_sentiment_and_examples(client, world, other_world, django_assert_max_num_queries):
    respond(world, "Jonotin tunnin, aivan liian kauan.", days_ago=5)
    respond(world, "Odotin vain hetken, nopeaa palvelua!", days_ago=6)
    respond(world, "Hinta oli kallis.", days_ago=7, unit=world.other_branch)
    respond(world, "Tiimi kuuntelee meitä huonosti ja jonot ovat pitkät.", role=RespondentRole.STAFF)
    comments_analyse(organisation_id=world.organisation.pk)
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(12):
        page = client.get("/o/acme/texts/?by=unit&theme=waiting_time", **ENGLISH)
    assert page.status_code == 200
    table = page.context["table"]
    rows = {row.code: row for row in table.rows}
    assert rows["waiting_time"].total.n == 2
    assert rows["price"].total.n == 1
    assert rows["waiting_time"].cells[world.team.pk].n == 2
    assert world.other_branch.pk not in rows["waiting_time"].cells
    assert rows["waiting_time"].flag == "new"  # nothing in the previous 30 days
    # Two comments are under the anonymity threshold (3): no examples, and the page says why.
    examples = page.context["examples"]
    assert (examples.n, examples.threshold, examples.hidden, examples.comments) == (2, 3, True, [])
    html = page.content.decode()
    assert "Jonotin tunnin" not in html and "at least 3, your organisation's anonymity threshold" in html
    assert "Tiimi kuuntelee" not in html
    # A manager of the branch sees only the branch; another organisation's user gets 404.
    client.force_login(world.manager)
    rows = {r.code: r for r in client.get("/o/acme/texts/", **ENGLISH).context["table"].rows}
    assert "price" not in rows and rows["waiting_time"].total.n == 2
    client.force_login(other_world.admin)
    assert client.get("/o/acme/texts/").status_code == 404


def test_rising_theme(world):
    from kohtaamo.organisations.selectors import scope_from_organisation
    from kohtaamo.textanalytics.selectors import theme_table

    for days in (35, 40, 45, 50):
        respond(world, "Palvelu oli ystävällistä.", days_ago=days)
    respond(world, "Hinta oli kallis.", days_ago=45)
    for days in (2, 3, 4):
        respond(world, "Hinta oli kallis.", days_ago=days)
    comments_analyse(organisation_id=world.organisation.pk)
    rows = {r.code: r for r in theme_table(scope=scope_from_organisation(organisation=world.organisation)).rows}
    # price: 1 of 5 comments before, 3 of 3 now.
    assert rows["price"].flag == "rising"
    assert rows["staff_attitude"].flag == ""
    assert CommentTopic.objects.filter(code="price").count() == 4


def test_a_vanished_response_is_no_error(world):
    from django_tasks import TaskResultStatus

    from kohtaamo.textanalytics.tasks import analyse_response_comments

    kept = respond(world, "Jonotin tunnin.")
    gone = respond(world, "Hinta oli kallis.")
    gone_id = gone.pk
    gone.delete()
    # The task may run after the response was deleted: it analyses nothing and the task succeeds.
    vanished = analyse_response_comments.enqueue(gone_id)
    assert (vanished.status, vanished.return_value) == (TaskResultStatus.SUCCESSFUL, 0)
    assert CommentAnalysis.objects.count() == 0
    # The same task on a response that still exists does its work.
    present = analyse_response_comments.enqueue(kept.pk)
    assert (present.status, present.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert CommentAnalysis.objects.get().response_id == kept.pk
