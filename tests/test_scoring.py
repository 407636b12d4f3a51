"""Scores of one response (DESIGN.md section 3), computed by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kohtaamo.feedback.models import Invitation
from kohtaamo.feedback.responding import response_open_for_invitation, response_submit
from kohtaamo.feedback.scoring import ScaleAnswer, dimension_score, eqi
from kohtaamo.instruments.models import Item
from kohtaamo.instruments.services import questionnaire_revise


def test_reverse_coded_answer_is_flipped_on_a_1_to_5_scale():
    answer = ScaleAnswer(value=2, scale_min=1, scale_max=5, reverse_coded=True)
    assert answer.oriented == 4  # 1 + 5 - 2
    assert answer.rescaled == pytest.approx(75.0)  # (4 - 1) / 4 * 100


def test_reverse_coded_answer_is_flipped_on_a_0_to_10_scale():
    answer = ScaleAnswer(value=3, scale_min=0, scale_max=10, reverse_coded=True)
    assert answer.oriented == 7
    assert answer.rescaled == pytest.approx(70.0)
    assert ScaleAnswer(value=3, scale_min=0, scale_max=10, reverse_coded=False).rescaled == pytest.approx(30.0)


def test_rescaling_to_0_100_uses_the_scale_range():
    assert ScaleAnswer(value=4, scale_min=1, scale_max=7, reverse_coded=False).rescaled == pytest.approx(50.0)
    assert ScaleAnswer(value=1, scale_min=1, scale_max=5, reverse_coded=False).rescaled == 0
    assert ScaleAnswer(value=5, scale_min=1, scale_max=5, reverse_coded=False).rescaled == 100


def test_one_of_three_items_answered_gives_no_score():
    assert dimension_score([ScaleAnswer(5, 1, 5, False)], items_asked=3) is None
    assert dimension_score([], items_asked=0) is None


def test_two_of_four_items_answered_gives_a_score():
    score = dimension_score([ScaleAnswer(5, 1, 5, False), ScaleAnswer(2, 1, 5, True)], items_asked=4)
    assert score is not None
    assert score.mean == pytest.approx(4.5)  # (5 + 4) / 2
    assert score.score == pytest.approx(87.5)  # (100 + 75) / 2
    assert score.items_answered == 2


def test_eqi_needs_all_five_elements():
    four = {"listening": 80.0, "expertise": 60.0, "value": 40.0, "trust": 100.0}
    assert eqi(four) is None
    assert eqi({**four, "ethos": 50.0}) is None
    assert eqi({**four, "solution": 20.0}) == pytest.approx(60.0)  # 300 / 5


@pytest.mark.django_db
def test_a_submitted_response_gets_its_dimension_scores_and_outcomes(world):
    items = {item.code: item for item in Item.objects.all()}
    codes = [
        "nps_1",
        "csat_1",
        "ces_1",
        "listening_1",
        "listening_2",  # reverse-coded
        "listening_3",  # listening and pathos
        "expertise_2",
        "value_1",
        "trust_1",  # trust and ethos
        "solution_1",
        "solution_3",
    ]
    questionnaire = questionnaire_revise(
        questionnaire=world.programme.questionnaire,
        questions=[{"item": items[code]} for code in codes] + [{"texts": {"fi": "Kerro lisää", "en": "Tell more"}}],
    )
    question_ids = dict(questionnaire.questions.values_list("item__code", "pk"))
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        language="fi",
        expires_at=timezone.now() + timedelta(days=7),
    )
    draft = response_open_for_invitation(invitation=invitation, language=None)
    raw = {
        "nps_1": "9",
        "csat_1": "4",
        "ces_1": "6",
        "listening_1": "5",
        "listening_2": "2",  # flipped to 4
        # listening_3 unanswered: pathos has 0 of 1 answered, listening 2 of 3
        "expertise_2": "3",
        "value_1": "4",
        "trust_1": "1",
        "solution_1": "5",
        "solution_3": "4",
    }
    answers = {question_ids[code]: value for code, value in raw.items()}
    answers[question_ids[None]] = "Hyvä palvelu"
    response = response_submit(response=draft, key=str(draft.idempotency_key), raw_answers=answers)

    scores = {
        s.dimension.code: (s.mean, s.score, s.items_answered)
        for s in response.dimension_scores.select_related("dimension")
    }
    assert scores == {
        "listening": (pytest.approx(4.5), pytest.approx(87.5), 2),
        "expertise": (pytest.approx(3.0), pytest.approx(50.0), 1),
        "value": (pytest.approx(4.0), pytest.approx(75.0), 1),
        "trust": (pytest.approx(1.0), pytest.approx(0.0), 1),
        "ethos": (pytest.approx(1.0), pytest.approx(0.0), 1),
        "solution": (pytest.approx(4.5), pytest.approx(87.5), 2),
    }
    response.refresh_from_db()
    assert (response.nps, response.csat, response.ces) == (9, 4, 6)
    assert response.eqi == pytest.approx(60.0)  # (87.5 + 50 + 75 + 0 + 87.5) / 5
    assert response.has_comment is True
