"""Scores of one submitted response (DESIGN.md section 3): dimension scores, EQI and outcome figures."""

from collections import defaultdict
from dataclasses import dataclass

from kohtaamo.instruments.models import Dimension

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


def response_score(*, response) -> None:
    """Compute and store a submitted response's scores. Runs inside the submit transaction."""
    from .models import DimensionScore  # local: models import this module's constants

    questions = list(
        response.questionnaire.questions.filter(item__isnull=False)
        .select_related("item")
        .prefetch_related("item__dimensions")
    )
    values = dict(response.answers.filter(value__isnull=False).values_list("question_id", "value"))
    asked: dict[int, int] = defaultdict(int)
    answered: dict[int, list[ScaleAnswer]] = defaultdict(list)
    dimensions: dict[int, Dimension] = {}
    raw: dict[str, int] = {}
    for question in questions:
        for dimension in question.item.dimensions.all():
            if dimension.code in RAW_OUTCOMES:
                if question.pk in values:
                    raw[dimension.code] = values[question.pk]
                continue
            dimensions[dimension.pk] = dimension
            asked[dimension.pk] += 1
            if question.pk in values:
                answered[dimension.pk].append(
                    ScaleAnswer(values[question.pk], question.scale_min, question.scale_max, question.reverse_coded)
                )
    rows = []
    element_scores = {}
    for dimension_id, n_asked in asked.items():
        score = dimension_score(answered[dimension_id], n_asked)
        if score is None:
            continue
        rows.append(
            DimensionScore(
                organisation_id=response.organisation_id,
                response=response,
                dimension_id=dimension_id,
                mean=score.mean,
                score=score.score,
                items_answered=score.items_answered,
            )
        )
        if dimensions[dimension_id].code in ELEMENTS:
            element_scores[dimensions[dimension_id].code] = score.score
    response.dimension_scores.all().delete()
    DimensionScore.objects.bulk_create(rows)
    response.nps = raw.get("nps")
    response.csat = raw.get("csat")
    response.ces = raw.get("ces")
    response.eqi = eqi(element_scores)
    response.has_comment = response.answers.exclude(text="").exists()
    response.save(update_fields=["nps", "csat", "ces", "eqi", "has_comment"])
