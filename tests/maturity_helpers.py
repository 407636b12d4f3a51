"""Helpers for the maturity tests: answers go through the real invitation and respondent services."""

from kohtaamo.feedback.models import Response
from kohtaamo.feedback.responding import response_open_for_invitation, response_submit
from kohtaamo.maturity.services import Invitee, maturity_invitations_create, maturity_survey_create


def make_survey(world, year: int = 2026):
    return maturity_survey_create(organisation=world.organisation, year=year)


def answer(survey, role: str, values: tuple[int, int], *, unit=None, themes: dict | None = None) -> Response:
    """One respondent of `role`: both items of every theme answered `values`, except `themes[code]`."""
    [invitation] = maturity_invitations_create(
        survey=survey, role=role, invitees=[Invitee(email=f"{role}@example.org", unit=unit, language="en")]
    )
    response = response_open_for_invitation(invitation=invitation, language="en")
    raw = {}
    seen: dict[str, int] = {}
    for question in response.questionnaire.questions.select_related("item").prefetch_related("item__dimensions"):
        if question.item is None:
            continue
        code = question.item.dimensions.get().code
        pair = (themes or {}).get(code, values)
        raw[question.pk] = str(pair[seen.get(code, 0)])
        seen[code] = seen.get(code, 0) + 1
    return response_submit(response=response, key=str(response.idempotency_key), raw_answers=raw)
