"""Which language a comment is in (a character model that ships inside its wheel, then function words),
mixed-language comments read clause by clause, a sentiment score that never contradicts its label, and
the machine's reading shown under the comment and in the API."""

import pytest

from kohtaamo.textanalytics.analysis import LANGUAGES, MAX_CHARS, comment_analyse, detect_language, tokenize
from kohtaamo.textanalytics.evaluation import eval_comments, evaluate_comments, evaluate_language, wrong_fallback
from kohtaamo.textanalytics.models import CommentAnalysis
from kohtaamo.textanalytics.services import comments_analyse

from .test_api_coverage import get
from .test_textanalytics_comments import respond

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kiitos!", "fi"),
        ("Tack", "sv"),
        ("Thanks", "en"),
        ("Mycket dåligt bemötande.", "sv"),
        ("asiakaspalvelu toimi", "fi"),
        ("Jag fick vänta i fyrtio minuter i telefonkön.", "sv"),
        ("Odotin puhelinjonossa neljäkymmentä minuuttia.", "fi"),
        ("I waited forty minutes in the phone queue.", "en"),
    ],
)
def test_language_of_short_and_ordinary_comments(text, language):
    assert detect_language(tokenize(text), text)[0] == language


def test_no_evidence_is_no_language():
    assert detect_language(tokenize("ok"), "ok") == (None, ())
    result = comment_analyse("ok", fallback_language="en")
    assert (result.language, result.language_detected) == ("en", False)


def test_language_identification_on_the_evaluation_set():
    scores = evaluate_language(eval_comments())
    assert set(scores) == set(LANGUAGES)
    for language, (n, correct, _untold) in scores.items():
        assert n >= 100 and correct >= 0.95, (language, correct)


def test_the_evaluation_owes_nothing_to_the_fallback_language():
    assert [wrong_fallback(language) for language in LANGUAGES] == ["sv", "en", "fi"]
    rows = [r for r in eval_comments() if r["language"] == "fi"][:40]
    wrong = {s.task: s.accuracy for s in evaluate_comments(rows) if s.language == "fi"}
    right = {s.task: s.accuracy for s in evaluate_comments(rows, fallback=lambda language: language)}
    assert abs(wrong["sentiment"] - right["sentiment"]) <= 0.05


def test_a_mixed_comment_is_read_clause_by_clause():
    text = "Asiakaspalvelija oli todella ystävällinen ja auttoi heti. But the mobile app crashed three times."
    result = comment_analyse(text)
    assert set(result.mixed_languages) == {"fi", "en"}
    assert "digital_service" in result.themes  # an English theme word in a Finnish-first comment
    # Each clause in its own language: the Finnish praise is read as Finnish, not as unknown English words.
    praise = comment_analyse("Asiakaspalvelija oli todella ystävällinen ja auttoi heti.")
    complaint = comment_analyse("But the mobile app crashed three times.")
    assert praise.score > 0.3 and complaint.score < -0.3
    assert complaint.score < result.score < praise.score


@pytest.mark.parametrize("text", ["Todella huono palvelu.", "Mycket dåligt bemötande.", "Very bad service."])
def test_short_intensified_complaints_are_negative(text):
    result = comment_analyse(text)
    assert result.sentiment == "negative" and result.score < -0.3


def test_label_and_score_never_disagree():
    for row in eval_comments():
        result = comment_analyse(row["text"])
        if result.sentiment == "positive":
            assert result.score > 0, row["text"]
        elif result.sentiment == "negative":
            assert result.score < 0, row["text"]


def test_mixed_and_truncated_are_both_kept():
    text = ("Palvelu oli tosi hyvää. But the website was down all day. " * 80).strip()
    assert len(text) > MAX_CHARS
    result = comment_analyse(text)
    assert result.truncated and set(result.mixed_languages) == {"fi", "en"}
    assert result.note == f"mixed languages: {', '.join(result.mixed_languages)}; truncated"


def test_the_reading_is_stored_shown_under_the_comment_and_in_the_api(client, world):
    long_comment = "Jonotin tosi kauan ja palvelu oli huonoa. " * 120
    mixed = respond(world, "Neuvoja oli tosi asiantunteva ja ystävällinen. But the online bank keeps logging me out.")
    long = respond(world, long_comment)
    comments_analyse(organisation_id=world.organisation.pk)
    stored = CommentAnalysis.objects.get(response=mixed)
    assert set(stored.mixed_languages_list) == {"fi", "en"}

    client.force_login(world.cx_lead)
    page = client.get(f"/o/acme/results/responses/{mixed.pk}/", **ENGLISH).content.decode()
    assert "Machine reading" in page and "several languages" in page
    assert 'data-topic="digital_service"' in page
    page = client.get(f"/o/acme/results/responses/{long.pk}/", **ENGLISH).content.decode()
    assert "data-truncated" in page and f"only the first {MAX_CHARS} characters" in page
    finnish = client.get(f"/o/acme/results/responses/{long.pk}/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Koneen tulkinta" in finnish

    items = {row["response"]: row for row in get(client, world, world.cx_lead, "/comments")["items"]}
    assert set(items[mixed.pk]["mixed_languages"]) == {"fi", "en"} and not items[mixed.pk]["truncated"]
    assert 1 / 3 < items[mixed.pk]["sentiment_confidence"] <= 1
    assert (
        f"({round(items[mixed.pk]['sentiment_confidence'] * 100)} % likely)"
        in client.get(f"/o/acme/results/responses/{mixed.pk}/", **ENGLISH).content.decode()
    )
    assert items[long.pk]["truncated"] and items[long.pk]["mixed_languages"] == []
    assert items[long.pk]["language_detected"] and items[long.pk]["language"] == "fi"


@pytest.mark.parametrize(
    ("text", "waiting"),
    [
        ("Sain paljon enemmän kuin odotin.", False),  # than I expected
        ("Odotukset ylittyivät selvästi.", False),
        ("Bättre än väntat!", False),
        ("Odotin tunnin jonossa.", True),
        ("Jag har väntat i en timme.", True),
        ("I waited an hour in the queue.", True),
    ],
)
def test_expecting_is_not_waiting(text, waiting):
    assert ("waiting_time" in comment_analyse(text).themes) is waiting
