"""Background (re-)analysis of comments: the theme view's "Re-analyse all comments" run with its progress
bar, the batch's failure path, and the analysis of bulk-imported comments."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from kohtaamo.feedback.bulk_import import responses_import_csv
from kohtaamo.textanalytics import services
from kohtaamo.textanalytics.analysis import comment_analyse
from kohtaamo.textanalytics.models import CommentAnalysis, TextAnalysisRun
from kohtaamo.textanalytics.services import comment_run_request, comments_analyse

from .test_textanalytics_comments import ENGLISH, respond

URL = "/o/acme/texts/reanalyse/"
COMMENTS = (
    "Jonotin tunnin, aivan liian kauan.",
    "Kiitos nopeasta avusta!",
    "Hinta oli liian kallis.",
    "Personalen var inte trevlig.",
    "Great service, thank you so much!",
)
POISON = "Tämä kommentti kaataa analyysin."


pytestmark = pytest.mark.usefixtures("fresh_shapes")


@pytest.fixture
def poisoned(monkeypatch):
    """The analyser raises on one comment: no real input crashes it, so the fault is injected."""

    def analyse(text, **kwargs):
        if text == POISON:
            raise RuntimeError("analyser crashed")
        return comment_analyse(text, **kwargs)

    monkeypatch.setattr(services, "comment_analyse", analyse)


def test_reanalyse_all_from_the_theme_view(client, world, monkeypatch, django_capture_on_commit_callbacks):
    for text in COMMENTS:
        respond(world, text)
    CommentAnalysis.objects.all().delete()
    monkeypatch.setattr(services, "RUN_BATCH", 2)  # three batches of progress for five comments
    client.force_login(world.cx_lead)
    page = client.get("/o/acme/texts/", **ENGLISH)
    assert "Re-analyse all comments" in page.content.decode()

    # The click; the task runs when the request's transaction has committed (inline in tests).
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(URL, **ENGLISH)
    assert reply.status_code == 302
    run = TextAnalysisRun.objects.get()
    assert (run.status, run.total, run.processed, run.failed, run.everything) == ("done", 5, 5, 0, True)
    assert run.requested_by == world.cx_lead
    assert CommentAnalysis.objects.filter(status="ok").count() == 5
    sentiments = dict(CommentAnalysis.objects.values_list("answer__text", "sentiment"))
    assert sentiments["Kiitos nopeasta avusta!"] == "positive"
    assert sentiments["Personalen var inte trevlig."] == "negative"

    # The page shows the finished run: a full bar and what it did; nothing polls any more.
    html = client.get("/o/acme/texts/", **ENGLISH).content.decode()
    assert '<progress max="5" value="5"' in html
    assert "5 comments analysed, 0 failed." in html
    assert 'hx-trigger="every 2s"' not in html

    # A second click re-analyses everything again (a new run).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, HTTP_HX_REQUEST="true", **ENGLISH)
    assert TextAnalysisRun.objects.filter(status="done", processed=5).count() == 2


def test_a_click_while_a_run_is_going_shows_that_run(client, world, django_capture_on_commit_callbacks):
    for text in COMMENTS[:3]:
        respond(world, text)
    running = TextAnalysisRun.objects.create(
        organisation=world.organisation, status=TextAnalysisRun.Status.RUNNING, total=10, processed=3, failed=1
    )
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = client.post(URL, HTTP_HX_REQUEST="true", **ENGLISH)
    assert callbacks == []  # nothing enqueued
    assert list(TextAnalysisRun.objects.values_list("pk", flat=True)) == [running.pk]
    html = reply.content.decode()
    # The htmx answer is the progress partial, polling while the run goes on.
    assert '<progress max="10" value="3"' in html
    assert "Analysing comments: 3 of 10 done, 1 failed." in html
    assert 'hx-trigger="every 2s"' in html and "disabled" in html
    assert client.get(URL, **ENGLISH).content.decode().count('hx-trigger="every 2s"') == 1

    # A run that has not moved for a long time lost its worker: the next click replaces it.
    TextAnalysisRun.objects.filter(pk=running.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, **ENGLISH)
    running.refresh_from_db()
    assert (running.status, running.note) == ("failed", "stalled")
    latest = TextAnalysisRun.objects.latest("pk")
    assert (latest.status, latest.processed, latest.total) == ("done", 3, 3)


def test_only_admins_and_cx_leads_may_reanalyse(client, world):
    for user in (world.manager, world.employee, world.consultant):
        client.force_login(user)
        assert client.post(URL).status_code == 403
        assert client.get(URL).status_code == 403
        assert "Re-analyse all comments" not in client.get("/o/acme/texts/", **ENGLISH).content.decode()
    assert not TextAnalysisRun.objects.exists()


def test_one_bad_comment_never_stops_a_batch(world, poisoned):
    for text in (*COMMENTS[:2], POISON, *COMMENTS[2:]):
        respond(world, text)
    CommentAnalysis.objects.all().delete()
    result = comments_analyse(organisation_id=world.organisation.pk)
    # The chunk failed as a whole, then went comment by comment: the others are analysed.
    assert (result.analysed, result.failed) == (5, 1)
    statuses = dict(CommentAnalysis.objects.values_list("answer__text", "status"))
    assert statuses[POISON] == "failed"
    assert {text: statuses[text] for text in COMMENTS} == dict.fromkeys(COMMENTS, "ok")
    bad = CommentAnalysis.objects.get(answer__text=POISON)
    assert bad.note == "analyser crashed" and not bad.topics.exists()
    assert CommentAnalysis.objects.get(answer__text="Hinta oli liian kallis.").topics.filter(code="price").exists()


def test_a_run_counts_the_failed_comment_and_finishes(client, world, poisoned, django_capture_on_commit_callbacks):
    for text in (POISON, *COMMENTS):
        respond(world, text)
    client.force_login(world.cx_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)
    run = TextAnalysisRun.objects.get()
    assert (run.status, run.processed, run.failed, run.total) == ("done", 6, 1, 6)
    assert "6 comments analysed, 1 failed." in client.get("/o/acme/texts/", **ENGLISH).content.decode()


def _import_file(world, comments: list[str]) -> io.BytesIO:
    comment_id = world.programme.questionnaire.questions.get(kind="open").pk
    lines = [f"submitted_at,language,nps_1,{comment_id}"]
    lines += [f"2025-03-0{1 + i}T10:00,fi,{7 + i % 3},{text}" for i, text in enumerate(comments)]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def test_bulk_imported_comments_are_analysed(world, django_capture_on_commit_callbacks):
    respond(world, "Jo analysoitu kommentti, kiitos.")
    comments_analyse(organisation_id=world.organisation.pk)
    already = CommentAnalysis.objects.get()
    imported = ["Jonotin tunnin ja virkailija oli tyly.", "Kiitos erinomaisesta palvelusta!", ""]
    with django_capture_on_commit_callbacks(execute=True):
        result = responses_import_csv(organisation=world.organisation, file=_import_file(world, imported))
    assert result.imported == 3 and not result.errors
    analyses = dict(CommentAnalysis.objects.values_list("answer__text", "sentiment"))
    assert analyses == {
        "Jo analysoitu kommentti, kiitos.": "positive",
        "Jonotin tunnin ja virkailija oli tyly.": "negative",
        "Kiitos erinomaisesta palvelusta!": "positive",
    }
    # One run for the new comments only: the earlier comment was not analysed again.
    run = TextAnalysisRun.objects.get()
    assert (run.everything, run.status, run.processed, run.total) == (False, "done", 2, 2)
    assert CommentAnalysis.objects.get(pk=already.pk).analysed_at == already.analysed_at


def test_an_import_during_a_run_gets_an_extra_pass(world, django_capture_on_commit_callbacks):
    respond(world, "Kiitos nopeasta avusta!")
    CommentAnalysis.objects.all().delete()
    # A run is queued (its worker has not started yet) when an import commits.
    run, created = comment_run_request(organisation_id=world.organisation.pk, everything=True)
    assert created
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        responses_import_csv(organisation=world.organisation, file=_import_file(world, ["Hinta oli kallis."]))
    assert len(callbacks) == 1  # the import's request; it asked the queued run for a pass, no second run
    run.refresh_from_db()
    assert run.more_requested and TextAnalysisRun.objects.count() == 1
    finished = services.comment_run_execute(run_id=run.pk)
    assert (finished.status, finished.more_requested, finished.processed) == ("done", False, 2)
    assert CommentAnalysis.objects.count() == 2


def test_an_import_without_comments_starts_no_run(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = responses_import_csv(organisation=world.organisation, file=_import_file(world, ["", ""]))
    assert result.imported == 2
    assert not TextAnalysisRun.objects.exists()


@pytest.mark.browser
def test_reanalyse_button_in_the_browser(transactional_db, live_server, world, browser):
    import os

    from .test_end_to_end import log_in

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    for text in COMMENTS:
        respond(world, text)
    CommentAnalysis.objects.all().delete()
    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    log_in(page, live_server.url, world.cx_lead.username, "pw-acme")
    page.goto(f"{live_server.url}/o/acme/texts/")
    # htmx posts the form (with its CSRF token) and swaps in the progress partial; with the inline task
    # backend of the tests the run has finished by the time the answer comes.
    page.evaluate("() => { window.stillHere = true; }")
    page.click("#text-run button[type=submit]")
    page.wait_for_selector("#text-run-status")
    assert "5 comments analysed, 0 failed." in page.inner_text("#text-run-status")
    assert page.get_attribute("#text-run progress", "value") == "5"
    assert page.evaluate("() => window.stillHere === true")  # swapped in place, no page load
    assert CommentAnalysis.objects.filter(status="ok").count() == 5
    context.close()
