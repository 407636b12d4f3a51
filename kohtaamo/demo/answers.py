"""Believable answers from a latent experience: one number per encounter drives every item.

An encounter's experience (logit scale) is the sum of the person's quality, the unit's effect, a
slowly improving trend, the channel and the customer's own mood. Each scale item then lands on its
own range through a logistic curve and a binomial draw, so items correlate with each other and with
NPS and CSAT, and a person's strengths and weaknesses show in the element items.
"""

import math
import random
from dataclasses import dataclass

from kohtaamo.instruments.models import Question, Questionnaire

OUTCOMES = frozenset({"nps", "csat", "ces", "emotion"})
# Where an average encounter lands on each scale (logit of the share of the range); banks score high.
INTERCEPTS = {"nps": 1.75, "csat": 1.9, "ces": 1.5, "emotion": 1.4}
DEFAULT_INTERCEPT = 1.7
# Chat and web feel less personal; the effort they take is what customers notice most.
CHANNEL_EXPERIENCE = {"chat": -0.2, "web": -0.3}
CHANNEL_EFFORT = {"face_to_face": 0.35, "video": 0.2, "phone": 0.0, "email": -0.2, "chat": -0.8, "web": -1.0}
TREND = 0.35  # logit gain from the first to the last day
MOOD_SD = 0.85  # customer-to-customer spread
ITEM_SD = 0.35  # item-to-item spread within one response
SKIP = 0.05  # share of scale items left unanswered


@dataclass(frozen=True)
class ScaleQuestion:
    id: int
    scale_min: int
    scale_max: int
    reverse_coded: bool
    outcome: str | None  # nps, csat, ces or emotion
    facet: str | None  # the first non-outcome dimension: where a person's strengths show


@dataclass(frozen=True)
class Survey:
    scale_questions: tuple[ScaleQuestion, ...]
    open_question_id: int | None


def survey_shape(*, questionnaire: Questionnaire) -> Survey:
    questions = questionnaire.questions.select_related("item").prefetch_related("item__dimensions").order_by("order")
    scale, open_id = [], None
    for question in questions:
        if question.kind == Question.Kind.OPEN:
            open_id = open_id or question.pk
            continue
        codes = [d.code for d in question.item.dimensions.all()]
        scale.append(
            ScaleQuestion(
                id=question.pk,
                scale_min=question.scale_min,
                scale_max=question.scale_max,
                reverse_coded=question.reverse_coded,
                outcome=next((c for c in codes if c in OUTCOMES), None),
                facet=next((c for c in codes if c not in OUTCOMES), None),
            )
        )
    return Survey(tuple(scale), open_id)


def experience_draw(rng: random.Random, *, base: float, channel: str, progress: float) -> float:
    """One encounter's experience: `base` is person + unit; `progress` runs 0..1 over the demo period."""
    return base + TREND * (progress - 0.5) + CHANNEL_EXPERIENCE.get(channel, 0.0) + rng.gauss(0, MOOD_SD)


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def answers_draw(
    rng: random.Random, *, survey: Survey, experience: float, facets: dict[str, float], channel: str
) -> dict[int, int]:
    """Scale answers keyed by question id; about SKIP of the items are left out."""
    answers = {}
    for q in survey.scale_questions:
        if rng.random() < SKIP:
            continue
        logit = INTERCEPTS.get(q.outcome, DEFAULT_INTERCEPT) + experience + rng.gauss(0, ITEM_SD)
        if q.outcome == "ces":
            logit += CHANNEL_EFFORT.get(channel, 0.0)
        if q.facet:
            logit += facets.get(q.facet, 0.0)
        oriented = q.scale_min + _binomial(rng, q.scale_max - q.scale_min, 1 / (1 + math.exp(-logit)))
        answers[q.id] = q.scale_min + q.scale_max - oriented if q.reverse_coded else oriented
    return answers


def outcome_value(survey: Survey, answers: dict[int, int], outcome: str) -> int | None:
    return next((answers.get(q.id) for q in survey.scale_questions if q.outcome == outcome), None)
