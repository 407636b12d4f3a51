"""The respondent page: tokens, resumable drafts, validation, languages and the idempotent submit."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kohtaamo.feedback.models import Answer, DimensionScore, Encounter, Invitation, OpenLink, Response
from kohtaamo.organisations.models import Channel

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def invitation(world) -> Invitation:
    encounter = Encounter.objects.create(
        organisation=world.organisation,
        external_id="ENC-1",
        person=world.person,
        unit=world.team,
        channel=Channel.PHONE,
        touchpoint=world.touchpoint,
        occurred_at=timezone.now() - timedelta(hours=2),
    )
    return Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        encounter=encounter,
        email="customer@example.org",
        language="fi",
        status=Invitation.Status.SENT,
        expires_at=timezone.now() + timedelta(days=14),
    )


class PulseQuestions(dict):
    """The pulse questions by their item's first dimension code ("comment" for the open question); `all` in order."""

    all: list


@pytest.fixture
def questions(world) -> PulseQuestions:
    by_code = PulseQuestions()
    by_code.all = list(
        world.programme.questionnaire.questions.select_related("item").prefetch_related("item__dimensions")
    )
    for question in by_code.all:
        code = question.item.dimensions.all()[0].code if question.item else "comment"
        by_code.setdefault(code, question)
    return by_code


def page_url(invitation: Invitation, suffix: str = "") -> str:
    return reverse(f"respond:invitation{suffix}", args=[invitation.token])


def page_key(html: str) -> str:
    return re.search(r'name="key" value="([0-9a-f-]{36})"', html).group(1)


def checked_values(html: str, question_id: int) -> list[str]:
    pattern = rf'<input type="radio" id="q_{question_id}-\d+" name="q_{question_id}" value="(\d+)" checked'
    return re.findall(pattern, html)


def full_answers(questions: PulseQuestions, **overrides) -> dict:
    """Every question answered one below the top of its scale, plus a comment; overrides by dimension code."""
    answers = {f"q_{q.pk}": str(q.scale_max - 1) if q.item else "Friendly and quick." for q in questions.all}
    answers.update({f"q_{questions[code].pk}": value for code, value in overrides.items()})
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["r", "t"])
def test_unknown_token_gives_a_clear_page_and_stores_nothing(client, world, prefix):
    page = client.get(f"/{prefix}/not-a-real-token/", HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 404
    html = page.content.decode()
    assert "This link is not valid" in html
    # Said in every language, the browser's first.
    assert [m for m in re.findall(r'<section lang="(\w\w)"', html)] == ["sv", "fi", "en"]
    assert '<html lang="sv">' in html
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_expired_invitation_gives_410_and_stores_nothing(client, invitation):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    page = client.get(page_url(invitation))
    assert page.status_code == 410
    assert "Kysely on päättynyt" in page.content.decode()
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.opened_at is None


@pytest.mark.django_db
def test_first_opening_creates_one_draft_with_the_encounter_context(client, invitation, world):
    first = client.get(page_url(invitation))
    assert first.status_code == 200
    html = first.content.decode()
    draft = Response.objects.get()
    assert draft.status == Response.Status.DRAFT
    assert (draft.unit, draft.subject_person, draft.channel, draft.touchpoint, draft.encounter) == (
        world.team,
        world.person,
        Channel.PHONE,
        world.touchpoint,
        invitation.encounter,
    )
    assert page_key(html) == str(draft.idempotency_key)
    assert html.count("<fieldset") == 12 and html.count("<textarea") == 1
    assert "0/13 vastattu" in html
    assert '<progress max="13" value="0"' in html
    invitation.refresh_from_db()
    opened_at = invitation.opened_at
    assert opened_at is not None

    second = client.get(page_url(invitation))
    assert page_key(second.content.decode()) == str(draft.idempotency_key)
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.opened_at == opened_at


@pytest.mark.django_db
def test_answers_are_saved_as_they_go_and_a_reload_resumes(client, invitation, questions):
    key = page_key(client.get(page_url(invitation)).content.decode())
    nps, comment = questions["nps"], questions["comment"]

    saved = client.post(page_url(invitation, "_answer"), {"key": key, f"q_{nps.pk}": "9"}, **HX)
    assert saved.status_code == 200
    assert "1/13 vastattu" in saved.content.decode()
    changed = client.post(page_url(invitation, "_answer"), {"key": key, f"q_{nps.pk}": "7"}, **HX)
    assert changed.status_code == 200
    client.post(page_url(invitation, "_answer"), {"key": key, f"q_{comment.pk}": "Kiitos!\r\n"}, **HX)

    assert dict(Answer.objects.values_list("question_id", "value")) == {nps.pk: 7, comment.pk: None}
    assert Answer.objects.get(question=comment).text == "Kiitos!"
    reloaded = client.get(page_url(invitation)).content.decode()
    assert checked_values(reloaded, nps.pk) == ["7"]
    assert "Kiitos!</textarea>" in reloaded
    assert "2/13 vastattu" in reloaded
    assert Response.objects.get().status == Response.Status.DRAFT


@pytest.mark.django_db
def test_an_out_of_range_answer_is_refused_with_a_message(client, invitation, questions):
    key = page_key(client.get(page_url(invitation)).content.decode())
    nps = questions["nps"]
    refused = client.post(page_url(invitation, "_answer"), {"key": key, f"q_{nps.pk}": "11"}, **HX)
    assert refused.status_code == 400
    assert "Valitse arvo väliltä 0–10." in refused.content.decode()
    assert f'id="q_{nps.pk}-error" hx-swap-oob="innerHTML"' in refused.content.decode()
    assert Answer.objects.count() == 0

    posted = full_answers(questions, nps="11", csat="banana")
    page = client.post(page_url(invitation), {"key": key, **posted})
    assert page.status_code == 400
    html = page.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert f'href="#q_{nps.pk}-0"' in summary and "Valitse arvo väliltä 0–10." in summary
    assert "Valitse yksi vaihtoehdoista 1–5." in summary
    assert f'id="q_{nps.pk}-error">Valitse arvo väliltä 0–10.</p>' in html
    assert f'name="q_{nps.pk}" value="3" aria-describedby="q_{nps.pk}-error" aria-invalid="true"' in html
    # What was posted stays on the page, refused values not counted as answered; nothing is stored.
    assert checked_values(html, questions["ces"].pk) == ["6"]
    assert "11/13 vastattu" in html
    response = Response.objects.get()
    assert response.status == Response.Status.DRAFT
    assert Answer.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


@pytest.mark.django_db
def test_required_question_and_comment_length_are_checked(client, invitation, questions):
    csat = questions["csat"]
    csat.required = True
    csat.save()
    key = page_key(client.get(page_url(invitation)).content.decode())
    posted = full_answers(questions)
    del posted[f"q_{csat.pk}"]
    posted[f"q_{questions['comment'].pk}"] = "x" * 5001
    html = client.post(page_url(invitation), {"key": key, **posted}).content.decode()
    assert "Vastaathan tähän kysymykseen." in html
    assert "Lyhennäthän vastauksesi enintään 5000 merkkiin (nyt siinä on 5001)." in html
    assert Response.objects.get().status == Response.Status.DRAFT


@pytest.mark.django_db
def test_a_double_submit_stores_one_response_and_shows_the_same_thanks(client, invitation, questions):
    key = page_key(client.get(page_url(invitation)).content.decode())
    posted = {"key": key, **full_answers(questions, nps="9", csat="4", ces="6")}

    first = client.post(page_url(invitation), posted)
    second = client.post(page_url(invitation), posted)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == page_url(invitation, "_thanks") + "?lang=fi"

    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    assert (response.nps, response.csat, response.ces) == (9, 4, 6)
    assert Answer.objects.filter(response=response).count() == 13
    assert DimensionScore.objects.filter(response=response).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.RESPONDED and invitation.responded_at is not None

    thanks = client.get(first["Location"])
    assert thanks.status_code == 200 and "Kiitos palautteestasi" in thanks.content.decode()
    again = client.get(page_url(invitation))
    assert "Olet jo vastannut" in again.content.decode()
    late_answer = client.post(page_url(invitation, "_answer"), {"key": key, f"q_{questions['nps'].pk}": "0"}, **HX)
    assert late_answer["HX-Redirect"] == first["Location"]
    assert Response.objects.get().nps == 9


@pytest.mark.django_db
def test_a_post_with_another_key_is_refused(client, invitation, questions):
    client.get(page_url(invitation))
    page = client.post(page_url(invitation), {"key": str(uuid.uuid4()), **full_answers(questions)})
    assert page.status_code == 409
    assert "Tämä sivu on vanhentunut" in page.content.decode()
    assert Response.objects.get().status == Response.Status.DRAFT
    assert Answer.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "wording", "others"),
    [
        ("fi", "Kuinka todennäköisesti", ["Hur sannolikt", "How likely"]),
        ("sv", "Hur sannolikt", ["Kuinka todennäköisesti", "How likely"]),
        ("en", "How likely", ["Kuinka todennäköisesti", "Hur sannolikt"]),
    ],
)
def test_language_is_chosen_by_the_switch_and_kept(client, invitation, language, wording, others):
    page = client.get(page_url(invitation) + f"?lang={language}")
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    assert page["Content-Language"] == language
    assert wording in html and not any(other in html for other in others)
    assert f'href="{page_url(invitation)}?lang={language}" lang="{language}" hreflang="{language}" aria-current' in html
    assert Response.objects.get().language == language
    # A reload without the switch keeps the choice.
    assert f'<html lang="{language}">' in client.get(page_url(invitation)).content.decode()


@pytest.mark.django_db
def test_invitation_language_wins_over_the_browser(client, invitation):
    invitation.language = "sv"
    invitation.save()
    html = client.get(page_url(invitation), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sv">' in html and "Hur sannolikt" in html
    assert Response.objects.get().language == "sv"


@pytest.mark.django_db
def test_open_link_gives_one_draft_per_visitor_and_resumes_by_cookie(world, questions):
    open_link = OpenLink.objects.create(
        organisation=world.organisation, round=world.programme, touchpoint=world.touchpoint
    )
    url = reverse("respond:open_link", args=[open_link.token])
    visitor, other_visitor = Client(), Client()

    first = visitor.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert first.status_code == 200 and '<html lang="sv">' in first.content.decode()
    key = page_key(first.content.decode())
    assert page_key(visitor.get(url).content.decode()) == key
    other_key = page_key(other_visitor.get(url).content.decode())
    assert other_key != key
    drafts = Response.objects.filter(open_link=open_link)
    assert drafts.count() == 2
    draft = drafts.get(idempotency_key=key)
    assert (draft.unit, draft.channel, draft.touchpoint, draft.language) == (
        world.branch,
        Channel.FACE_TO_FACE,
        world.touchpoint,
        "sv",
    )

    answer_url = reverse("respond:open_link_answer", args=[open_link.token])
    visitor.post(answer_url, {"key": key, f"q_{questions['csat'].pk}": "5"}, **HX)
    assert checked_values(visitor.get(url).content.decode(), questions["csat"].pk) == ["5"]

    posted = {"key": key, **full_answers(questions, nps="10")}
    first_submit, second_submit = visitor.post(url, posted), visitor.post(url, posted)
    assert first_submit.status_code == second_submit.status_code == 303
    assert first_submit["Location"] == second_submit["Location"]
    assert Response.objects.filter(open_link=open_link, status=Response.Status.SUBMITTED).count() == 1
    assert drafts.get(idempotency_key=key).nps == 10

    # The same visitor coming back later gives new feedback; the other visitor's draft is untouched.
    assert page_key(visitor.get(url).content.decode()) not in (key, other_key)
    assert Response.objects.filter(open_link=open_link).count() == 3
    stale = visitor.post(url, {"key": str(uuid.uuid4()), **full_answers(questions)})
    assert stale.status_code == 409
    assert Response.objects.filter(open_link=open_link, status=Response.Status.SUBMITTED).count() == 1


@pytest.mark.django_db
def test_inactive_open_link_is_closed(client, world):
    open_link = OpenLink.objects.create(
        organisation=world.organisation, round=world.programme, touchpoint=world.touchpoint, active=False
    )
    page = client.get(reverse("respond:open_link", args=[open_link.token]))
    assert page.status_code == 410
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_survey_page_query_count(client, invitation, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        first = client.get(page_url(invitation))
    assert first.status_code == 200
    with django_assert_max_num_queries(5):
        again = client.get(page_url(invitation))
    assert again.status_code == 200


@pytest.mark.django_db
def test_an_answer_to_an_unknown_link_is_refused_in_the_progress_area(client, world):
    refused = client.post("/r/not-a-real-token/answer/", {"key": str(uuid.uuid4()), "q_1": "5"}, **HX)
    assert refused.status_code == 404
    html = refused.content.decode()
    assert "Tämä linkki ei toimi." in html and "<html" not in html
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
