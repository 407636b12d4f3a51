"""Shared set-up for the stakeholder tests: rounds per unit and answers written straight to the DB."""

import re
from datetime import datetime

from django.utils import timezone

from kohtaamo.feedback.models import DimensionScore, Invitation, Response, Round
from kohtaamo.feedback.scoring import ELEMENTS
from kohtaamo.instruments.models import Dimension
from kohtaamo.stakeholders.models import StakeholderRound
from kohtaamo.stakeholders.questionnaires import stakeholder_questionnaire_ensure


def stakeholder_round(world, *, unit, audience: str, now: datetime | None = None) -> StakeholderRound:
    now = now or timezone.now()
    questionnaire = stakeholder_questionnaire_ensure(organisation=world.organisation, audience=audience, unit=unit)
    feedback_round = Round.objects.create(
        organisation=world.organisation,
        kind=Round.Kind.PULSE,
        name=questionnaire.name,
        questionnaire=questionnaire,
        invite_after_encounters=False,
    )
    return StakeholderRound.objects.create(
        organisation=world.organisation, round=feedback_round, audience=audience, unit=unit, launched_at=now
    )


def answers_add(rounds: list[tuple[StakeholderRound, list[float]]], *, submitted_at: datetime) -> None:
    """One submitted response per score: EQI and all five elements at that 0–100 score."""
    elements = list(Dimension.objects.filter(code__in=ELEMENTS))
    scores = []
    for stakeholder_round, values in rounds:
        for value in values:
            invitation = Invitation.objects.create(
                organisation_id=stakeholder_round.organisation_id,
                round_id=stakeholder_round.round_id,
                respondent_role=stakeholder_round.audience,
                email="someone@example.org",
                expires_at=submitted_at,
            )
            response = Response.objects.create(
                organisation_id=stakeholder_round.organisation_id,
                round_id=stakeholder_round.round_id,
                questionnaire_id=stakeholder_round.round.questionnaire_id,
                invitation=invitation,
                respondent_role=stakeholder_round.audience,
                status=Response.Status.SUBMITTED,
                submitted_at=submitted_at,
                eqi=value,
            )
            scores += [
                DimensionScore(
                    organisation_id=response.organisation_id,
                    response=response,
                    dimension=d,
                    mean=1 + value / 25,
                    score=value,
                    items_answered=1,
                )
                for d in elements
            ]
    DimensionScore.objects.bulk_create(scores)


CELL = re.compile(r'<td class="num" data-metric="(?P<metric>\w+)">(?P<body>.*?)</td>', re.S)
UNIT = re.compile(r'<tbody data-unit="(?P<unit>\d+)">(?P<body>.*?)</tbody>', re.S)
AUDIENCE = re.compile(r'<tr data-audience="(?P<audience>\w+)">(?P<body>.*?)</tr>', re.S)


def page_cells(html: str) -> dict[tuple[int, str, str], str]:
    """(unit id, audience, metric) -> the cell's text, from the side-by-side table."""
    cells = {}
    for unit in UNIT.finditer(html):
        for audience in AUDIENCE.finditer(unit["body"]):
            for cell in CELL.finditer(audience["body"]):
                text = " ".join(re.sub(r"<[^>]+>", " ", cell["body"]).split())
                cells[(int(unit["unit"]), audience["audience"], cell["metric"])] = text
    return cells
