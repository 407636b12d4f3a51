"""Calibration rounds: several raters score the same recorded visit; their agreement is reported.

Agreement on the total: the share of raters whose score lies within ±10 points of the raters' median.
Agreement per item: the share of raters who gave the item's most common answer.
"""

import statistics
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import CalibrationAnswer, CalibrationRating, CalibrationRound, ChecklistItem, Scenario
from .scoring import ItemAnswer, scorecard
from .visits import _answer_from

WITHIN_POINTS = 10


def calibration_create(*, scenario: Scenario, name: str, recording: str) -> CalibrationRound:
    if not recording.strip():
        raise ValidationError(_("Describe or transcribe the recorded visit."))
    return CalibrationRound.objects.create(
        organisation_id=scenario.organisation_id, scenario=scenario, name=name, recording=recording
    )


@transaction.atomic
def calibration_rate(*, calibration: CalibrationRound, rater, answers: dict[int, str]) -> CalibrationRating:
    """One rater's checklist for the recorded visit; a rater may rate a round once."""
    if CalibrationRating.objects.filter(calibration=calibration, rater=rater).exists():
        raise ValidationError(_("You have already rated this visit."))
    items = list(ChecklistItem.objects.filter(section__scenario=calibration.scenario))
    parsed = {}
    for item in items:
        if item.kind == ChecklistItem.Kind.TEXT:
            continue
        value, na, _text = _answer_from(item, answers.get(item.pk))
        if value is None and not na:
            raise ValidationError(_("Answer “%(item)s”.") % {"item": item.text})
        parsed[item.pk] = (item, value, na)
    card = scorecard(
        answers=[
            ItemAnswer(
                item_id=i.pk,
                section_id=i.section_id,
                dimension_id=i.dimension_id,
                kind=i.kind,
                weight=float(i.weight),
                value=v,
                not_applicable=na,
                scale_min=i.scale_min,
                scale_max=i.scale_max,
                critical=i.critical,
                integrity=i.integrity,
            )
            for i, v, na in parsed.values()
        ],
        critical_fails_visit=calibration.scenario.critical_fails_visit,
    )
    rating = CalibrationRating.objects.create(calibration=calibration, rater=rater, score=card.score)
    CalibrationAnswer.objects.bulk_create(
        CalibrationAnswer(rating=rating, item=i, value=v, not_applicable=na, points=card.points.get(i.pk))
        for i, v, na in parsed.values()
    )
    return rating


@dataclass(frozen=True)
class ItemAgreement:
    item: ChecklistItem
    raters: int
    modal_share: float | None  # %


@dataclass(frozen=True)
class Agreement:
    raters: int
    median: float | None
    within_share: float | None  # % of raters within ±10 points of the median
    scores: list[float]
    items: list[ItemAgreement]


def calibration_agreement(*, calibration: CalibrationRound) -> Agreement:
    scores = list(
        CalibrationRating.objects.filter(calibration=calibration, score__isnull=False)
        .order_by("score")
        .values_list("score", flat=True)
    )
    median = statistics.median(scores) if scores else None
    within = 100 * sum(abs(s - median) <= WITHIN_POINTS for s in scores) / len(scores) if scores else None
    answers: dict[int, Counter] = {}
    for item_id, value, na in CalibrationAnswer.objects.filter(rating__calibration=calibration).values_list(
        "item_id", "value", "not_applicable"
    ):
        answers.setdefault(item_id, Counter())["na" if na else value] += 1
    items = []
    for item in ChecklistItem.objects.filter(section__scenario=calibration.scenario).exclude(
        kind=ChecklistItem.Kind.TEXT
    ):
        counts = answers.get(item.pk, Counter())
        total = sum(counts.values())
        share = 100 * counts.most_common(1)[0][1] / total if total else None
        items.append(ItemAgreement(item=item, raters=total, modal_share=share))
    return Agreement(raters=len(scores), median=median, within_share=within, scores=scores, items=items)
