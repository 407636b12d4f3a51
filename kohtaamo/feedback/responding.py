"""Writes of the respondent flow: drafts, answers, and the durable, idempotent submit."""

import uuid
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics.rollup import response_rollup_count, rollup_refresh_deferred
from kohtaamo.instruments.models import Question

from .ingest import questionnaire_shape, questionnaire_shape_remember
from .models import Answer, Encounter, Invitation, OpenLink, RespondentRole, Response, Round
from .respondent_forms import answer_clean, answers_clean
from .scoring import response_score
from .selectors import response_questions
from .signals import announce_submitted


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
                organisation_id=response.organisation_id,
                response=response,
                question_id=qid,
                value=value if isinstance(value, int) else None,
                text=value if isinstance(value, str) else "",
            )
            for qid, value in answers.items()
        ]
    )
    _score_new(response=response)
    announce_submitted(response=response)
    return response


# The respondent page: a draft is created when the page is first shown (its idempotency key is the
# page's key), answers are saved to the draft as they are given, and one submit turns it into a
# scored response.


class ResponseKeyMismatch(Exception):
    """The page posting was shown for another draft (stale or forged); nothing is stored."""


class ResponseAlreadySubmitted(Exception):
    """A submitted response no longer takes answers."""


def _answer_fields(value: int | str) -> dict:
    return {"value": value, "text": ""} if isinstance(value, int) else {"value": None, "text": value}


def _keys_match(stored: uuid.UUID, posted: str) -> bool:
    try:
        return uuid.UUID(str(posted)) == stored
    except ValueError:
        return False


def _score_new(*, response: Response) -> None:
    """Score a response that has just become submitted and count it in the dashboard's rollup."""
    with rollup_refresh_deferred():  # a new response is counted by appending, not by recomputing its cell
        scores = response_score(response=response)
    # The per-process copy of the questionnaire (the API's): its version is frozen once this commits.
    shape = questionnaire_shape(questionnaire_id=response.questionnaire_id)
    transaction.on_commit(lambda: questionnaire_shape_remember(shape))
    response_rollup_count(response=response, scores=scores, rules=shape.rules)


def _draft_locked(*, response: Response, key: str) -> Response:
    """The draft row, locked for this transaction, after checking it may still take answers from this page."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status == Response.Status.SUBMITTED:
        raise ResponseAlreadySubmitted
    if not _keys_match(locked.idempotency_key, key):
        raise ResponseKeyMismatch
    return locked


def _language_keep(*, response: Response, language: str | None) -> Response:
    if language and language != response.language and response.status == Response.Status.DRAFT:
        response.language = language
        response.save(update_fields=["language", "updated_at"])
    return response


def response_open_for_invitation(*, invitation: Invitation, language: str | None) -> Response:
    """The invitation's draft, created on first opening. `language` is the respondent's explicit
    choice (kept on the draft); without one the draft keeps its language, a new one takes the invitation's."""
    now = timezone.now()
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now
    # get_or_create absorbs the race of two first openings: one_response_per_invitation keeps one row.
    response, created = Response.objects.get_or_create(
        invitation=invitation,
        defaults={
            "organisation_id": invitation.organisation_id,
            "round_id": invitation.round_id,
            "questionnaire_id": invitation.questionnaire_id or invitation.round.questionnaire_id,
            "respondent_role": invitation.respondent_role,
            "language": language or invitation.language,
            **_encounter_context(invitation.encounter),
            **({"subject_person_id": invitation.subject_person_id} if invitation.subject_person_id else {}),
        },
    )
    return response if created else _language_keep(response=response, language=language)


def response_open_for_link(
    *, open_link: OpenLink, response_id: int | None, language: str | None, default_language: str
) -> Response:
    """This visitor's draft for an open link: the remembered one while it is a draft, else a new one
    with a fresh page key. `default_language` (the browser's) applies to a new draft without a choice."""
    if response_id is not None:
        resumed = Response.objects.filter(pk=response_id, open_link=open_link, status=Response.Status.DRAFT).first()
        if resumed is not None:
            return _language_keep(response=resumed, language=language)
    touchpoint = open_link.touchpoint
    response, _created = Response.objects.get_or_create(
        open_link=open_link,
        idempotency_key=uuid.uuid4(),
        defaults={
            "organisation_id": open_link.organisation_id,
            "round_id": open_link.round_id,
            "questionnaire_id": open_link.round.questionnaire_id,
            "respondent_role": RespondentRole.CUSTOMER,
            "language": language or default_language,
            "unit_id": touchpoint.owner_unit_id,
            "channel": touchpoint.channel,
            "touchpoint": touchpoint,
        },
    )
    return response


def answer_save(*, response: Response, key: str, question_id: int, raw_value: str | None) -> Answer | None:
    """Validate and store one answer on a draft; an empty value removes the answer.

    Raises ValidationError (translated message), ResponseAlreadySubmitted or ResponseKeyMismatch.
    """
    with transaction.atomic():
        draft = _draft_locked(response=response, key=key)
        question = Question.objects.filter(pk=question_id, questionnaire_id=draft.questionnaire_id).first()
        if question is None:
            raise ValidationError(_("This question is not part of the survey."), code="unknown_question")
        value = answer_clean(question=question, raw_value=raw_value)
        if value is None:
            Answer.objects.filter(response=draft, question=question).delete()
            return None
        answer, _created = Answer.objects.update_or_create(
            organisation_id=draft.organisation_id, response=draft, question=question, defaults=_answer_fields(value)
        )
        draft.save(update_fields=["updated_at"])
        return answer


def response_submit(*, response: Response, key: str, raw_answers: Mapping[int, str]) -> Response:
    """Validate every answer and store the submitted, scored response in one transaction.

    Idempotent: a repeat for a submitted response (double click, retry, stale tab) stores nothing
    and returns the stored response. Raises ValidationError keyed by field name (nothing stored)
    or ResponseKeyMismatch.
    """
    questions = response_questions(response=response)
    with transaction.atomic():
        try:
            draft = _draft_locked(response=response, key=key)
        except ResponseAlreadySubmitted:
            return Response.objects.get(pk=response.pk)
        values = answers_clean(questions=questions, raw_answers=raw_answers)
        # The posted form is the whole answer set: answers saved earlier but cleared since go.
        draft.answers.all().delete()
        Answer.objects.bulk_create(
            [
                Answer(
                    organisation_id=draft.organisation_id, response=draft, question_id=question_id, **_answer_fields(v)
                )
                for question_id, v in values.items()
            ]
        )
        now = timezone.now()
        draft.status = Response.Status.SUBMITTED
        draft.submitted_at = now
        draft.save(update_fields=["status", "submitted_at", "updated_at"])
        _score_new(response=draft)
        announce_submitted(response=draft)
        if draft.invitation_id is not None:
            Invitation.objects.filter(pk=draft.invitation_id).update(
                status=Invitation.Status.RESPONDED, responded_at=now
            )
    return draft
