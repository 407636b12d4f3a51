"""Helpers for the journey tests: pulse answers by dimension code, encounters with customers."""

from datetime import timedelta

from django.utils import timezone

from kohtaamo.feedback.models import Encounter
from kohtaamo.feedback.responding import response_record
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Customer


def pulse_questions(programme) -> dict[str, int]:
    """Dimension code -> the pulse question id asking it (first one), plus "comment" for the open question."""
    ids: dict[str, int] = {}
    for question in Question.objects.filter(questionnaire=programme.questionnaire).prefetch_related("item__dimensions"):
        if question.item is None:
            ids.setdefault("comment", question.pk)
            continue
        for dimension in question.item.dimensions.all():
            ids.setdefault(dimension.code, question.pk)
        ids.setdefault(question.item.code, question.pk)
    return ids


def answer(
    world,
    *,
    touchpoint,
    customer: str,
    nps: int,
    csat: int,
    emotion: int | None = None,
    when=None,
    segment: str = "",
    comment: str = "",
):
    """One encounter at `touchpoint` and the customer's submitted pulse response to it."""
    organisation = world.organisation
    when = when or timezone.now() - timedelta(days=1)
    client, _created = Customer.objects.get_or_create(
        organisation=organisation, external_id=customer, defaults={"segment": segment}
    )
    count = Encounter.objects.filter(organisation=organisation).count()
    encounter = Encounter.objects.create(
        organisation=organisation,
        external_id=f"E-{count + 1}",
        customer=client,
        person=world.person,
        unit=world.team,
        channel=touchpoint.channel,
        touchpoint=touchpoint,
        occurred_at=when,
    )
    questions = pulse_questions(world.programme)
    answers = {questions["nps"]: nps, questions["csat"]: csat}
    if emotion is not None:
        answers[questions["emotion"]] = emotion
    if comment:
        answers[questions["comment"]] = comment
    return response_record(
        round=world.programme, answers=answers, language="en", submitted_at=when, encounter=encounter
    )
