"""Synthetic data for the development tests: people with customer responses of a planted EQI."""

import random
from datetime import datetime, timedelta

from kohtaamo.feedback.models import DimensionScore, RespondentRole, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Person, Unit


def people_create(world, *, count: int, unit: Unit | None = None, prefix: str = "P") -> list[Person]:
    unit = unit or world.team
    return Person.objects.bulk_create(
        [
            Person(organisation=world.organisation, unit=unit, name=f"{prefix} {i}", external_id=f"{prefix}-{i}")
            for i in range(count)
        ]
    )


def scored_responses_create(
    world,
    *,
    person: Person,
    scores: list[tuple[datetime, float]],
    dimension_code: str | None = None,
) -> None:
    """Submitted customer responses about `person`, with EQI (and the dimension's score) set as given."""
    responses = Response.objects.bulk_create(
        [
            Response(
                organisation=world.organisation,
                round=world.programme,
                questionnaire=world.programme.questionnaire,
                respondent_role=RespondentRole.CUSTOMER,
                subject_person=person,
                unit=person.unit,
                status=Response.Status.SUBMITTED,
                submitted_at=when,
                eqi=score,
            )
            for when, score in scores
        ]
    )
    if dimension_code:
        dimension = Dimension.objects.get(code=dimension_code)
        DimensionScore.objects.bulk_create(
            [
                DimensionScore(
                    organisation_id=r.organisation_id,
                    response=r,
                    dimension=dimension,
                    mean=1 + score / 25,
                    score=score,
                    items_answered=2,
                )
                for r, (_w, score) in zip(responses, scores, strict=True)
            ]
        )


def before_after(
    world, *, people: list[Person], start: datetime, before: float, after: float, rng: random.Random, noise: float = 5
):
    """Two responses per person before `start` and two after, around the given means."""
    for person in people:
        level = rng.gauss(0, 8)  # people differ in their level; the change is what counts
        scores = [(start - timedelta(days=d), before + level + rng.gauss(0, noise)) for d in (10, 40)]
        scores += [(start + timedelta(days=d), after + level + rng.gauss(0, noise)) for d in (10, 40)]
        scored_responses_create(world, person=person, scores=scores, dimension_code="listening")


def pulse_response(world, *, value: int, comment: str = "", person=None, submitted_at=None) -> Response:
    """A real pulse response about a person, every scale item answered with `value` (NPS scaled to 0–10)."""
    from kohtaamo.feedback.responding import response_record

    answers: dict[int, int | str] = {}
    for question in world.programme.questionnaire.questions.all():
        if question.kind == "open":
            if comment:
                answers[question.pk] = comment
            continue
        if question.scale_max == 10:
            answers[question.pk] = value * 2
        else:
            answers[question.pk] = min(value, question.scale_max)
    person = person or world.person
    return response_record(
        round=world.programme,
        answers=answers,
        language="fi",
        submitted_at=submitted_at,
        context={"subject_person_id": person.pk, "unit_id": person.unit_id, "channel": "phone"},
    )
