"""Scores of one submitted response (DESIGN.md section 3): dimension scores, EQI and outcome figures."""

from collections import defaultdict
from dataclasses import dataclass

# Outcome items are kept raw on the response; their own metric definitions apply (NPS, CSAT, CES).
RAW_OUTCOMES = ("nps", "csat", "ces")
ELEMENTS = ("listening", "expertise", "value", "trust", "solution")


@dataclass(frozen=True)
class ScaleAnswer:
    value: int
    scale_min: int
    scale_max: int
    reverse_coded: bool

    @property
    def oriented(self) -> int:
        """The value with reverse-coded items flipped, so higher is always better."""
        return self.scale_min + self.scale_max - self.value if self.reverse_coded else self.value

    @property
    def rescaled(self) -> float:
        return (self.oriented - self.scale_min) / (self.scale_max - self.scale_min) * 100


@dataclass(frozen=True)
class Score:
    mean: float  # on the item scale
    score: float  # 0–100
    items_answered: int


def dimension_score(answers: list[ScaleAnswer], items_asked: int) -> Score | None:
    """Mean of the answered items; none when under half of the dimension's items were answered."""
    if not answers or len(answers) * 2 < items_asked:
        return None
    mean = sum(a.oriented for a in answers) / len(answers)
    score = sum(a.rescaled for a in answers) / len(answers)
    return Score(mean=mean, score=score, items_answered=len(answers))


def eqi(element_scores: dict[str, float]) -> float | None:
    """Encounter Quality Index: mean of the five element scores (0–100); only when all five are scored."""
    if not all(code in element_scores for code in ELEMENTS):
        return None
    return sum(element_scores[code] for code in ELEMENTS) / len(ELEMENTS)


@dataclass(frozen=True)
class ScoredQuestion:
    """What scoring needs of one scale question: its scale and the (dimension id, code) pairs it measures."""

    question_id: int
    scale_min: int
    scale_max: int
    reverse_coded: bool
    dimensions: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ResponseScores:
    dimension_scores: dict[int, Score]  # dimension id -> score, only the dimensions that get one
    nps: int | None
    csat: int | None
    ces: int | None
    eqi: float | None


def scores_compute(*, questions: list[ScoredQuestion], values: dict[int, int]) -> ResponseScores:
    """A response's scores from its scale answers (question id -> value); pure, no database."""
    asked: dict[int, int] = defaultdict(int)
    answered: dict[int, list[ScaleAnswer]] = defaultdict(list)
    codes: dict[int, str] = {}
    raw: dict[str, int] = {}
    for question in questions:
        for dimension_id, code in question.dimensions:
            if code in RAW_OUTCOMES:
                if question.question_id in values:
                    raw[code] = values[question.question_id]
                continue
            codes[dimension_id] = code
            asked[dimension_id] += 1
            if question.question_id in values:
                answered[dimension_id].append(
                    ScaleAnswer(
                        values[question.question_id], question.scale_min, question.scale_max, question.reverse_coded
                    )
                )
    scores: dict[int, Score] = {}
    element_scores = {}
    for dimension_id, n_asked in asked.items():
        score = dimension_score(answered[dimension_id], n_asked)
        if score is None:
            continue
        scores[dimension_id] = score
        if codes[dimension_id] in ELEMENTS:
            element_scores[codes[dimension_id]] = score.score
    return ResponseScores(
        dimension_scores=scores,
        nps=raw.get("nps"),
        csat=raw.get("csat"),
        ces=raw.get("ces"),
        eqi=eqi(element_scores),
    )


def scored_questions(*, questionnaire_id: int) -> list[ScoredQuestion]:
    """The questionnaire's scale questions as scoring needs them (two queries)."""
    from kohtaamo.instruments.models import Question

    questions = (
        Question.objects.filter(questionnaire_id=questionnaire_id, item__isnull=False)
        .select_related("item")
        .prefetch_related("item__dimensions")
    )
    return [
        ScoredQuestion(
            question_id=question.pk,
            scale_min=question.scale_min,
            scale_max=question.scale_max,
            reverse_coded=question.reverse_coded,
            dimensions=tuple((d.pk, d.code) for d in question.item.dimensions.all()),
        )
        for question in questions
    ]


def response_score(*, response) -> ResponseScores:
    """Compute and store a submitted response's scores. Runs inside the submit transaction."""
    from .models import DimensionScore  # local: models import this module's constants

    values = dict(response.answers.filter(value__isnull=False).values_list("question_id", "value"))
    scores = scores_compute(questions=scored_questions(questionnaire_id=response.questionnaire_id), values=values)
    rows = [
        DimensionScore(
            organisation_id=response.organisation_id,
            response=response,
            dimension_id=dimension_id,
            mean=score.mean,
            score=score.score,
            items_answered=score.items_answered,
        )
        for dimension_id, score in scores.dimension_scores.items()
    ]
    response.dimension_scores.all().delete()
    DimensionScore.objects.bulk_create(rows)
    response.nps = scores.nps
    response.csat = scores.csat
    response.ces = scores.ces
    response.eqi = scores.eqi
    response.has_comment = response.answers.exclude(text="").exists()
    response.save(update_fields=["nps", "csat", "ces", "eqi", "has_comment"])
    return scores
