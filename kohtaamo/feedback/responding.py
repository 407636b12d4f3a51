"""Writes of the respondent flow: drafts, answers, and the durable, idempotent submit."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Answer, Encounter, RespondentRole, Response, Round
from .scoring import response_score


def _encounter_context(encounter: Encounter | None) -> dict:
    """Copy the encounter's tags onto the response, so aggregates are single-table filters."""
    if encounter is None:
        return {}
    return {
        "encounter": encounter,
        "subject_person_id": encounter.person_id,
        "unit_id": encounter.unit_id,
        "channel": encounter.channel,
        "touchpoint_id": encounter.touchpoint_id,
    }


@transaction.atomic
def response_record(
    *,
    round: Round,  # noqa: A002 - the domain's word
    answers: dict[int, int | str],
    language: str,
    submitted_at: datetime | None = None,
    encounter: Encounter | None = None,
    respondent_role: str = RespondentRole.CUSTOMER,
    context: dict | None = None,
) -> Response:
    """Store a complete, submitted response in one transaction and score it.

    `answers` maps question id to an int (scale items) or a str (open questions); values are
    assumed validated. `context` may override unit/subject_person/channel/touchpoint ids.
    Used by imports and the demo; the respondent page goes through its own draft/submit path.
    """
    response = Response.objects.create(
        organisation_id=round.organisation_id,
        round=round,
        questionnaire_id=round.questionnaire_id,
        respondent_role=respondent_role,
        language=language,
        status=Response.Status.SUBMITTED,
        submitted_at=submitted_at or timezone.now(),
        **_encounter_context(encounter),
        **(context or {}),
    )
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question_id=qid,
                value=value if isinstance(value, int) else None,
                text=value if isinstance(value, str) else "",
            )
            for qid, value in answers.items()
        ]
    )
    response_score(response=response)
    return response
