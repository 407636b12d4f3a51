"""Answers posted by the widget: strict validation, then one durable, idempotent write per answer key."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kohtaamo.feedback.models import RespondentRole, Response
from kohtaamo.feedback.responding import response_record
from kohtaamo.organisations.models import Channel

from .models import Widget, WidgetAnswer
from .script import LANGUAGES, MAX_COMMENT_CHARS
from .selectors import WidgetQuestions

MAX_BODY_BYTES = 8 * 1024  # a full comment in any script fits with room to spare
FIELDS = ("key", "value", "comment", "language")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass
class PayloadRefused(Exception):
    """The body is not a JSON object (400) or its fields are wrong (422); nothing is stored."""

    status: int
    message: str
    errors: list[FieldError] = field(default_factory=list)


class AnswerKeyTaken(Exception):
    """The key already belongs to a response that did not come through this widget."""


@dataclass(frozen=True)
class WidgetSubmission:
    key: uuid.UUID
    value: int
    comment: str
    language: str


def widget_payload_parse(*, body: bytes, content_type: str) -> dict:
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise PayloadRefused(400, _("Send the answer as JSON (Content-Type: application/json)."))
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PayloadRefused(400, _("The request body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise PayloadRefused(400, _("The request body must be a JSON object."))
    return payload


def _key_clean(raw) -> uuid.UUID | FieldError:
    if isinstance(raw, str) and len(raw) == 36:
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass
    return FieldError("key", _("Send a UUID (e.g. 0f8fad5b-d9cb-469f-a165-70867728950e) made once per answer."))


def _value_clean(raw, questions: WidgetQuestions) -> int | FieldError:
    scale = questions.scale
    if isinstance(raw, bool) or not isinstance(raw, int) or not scale.scale_min <= raw <= scale.scale_max:
        return FieldError(
            "value",
            _("Choose a whole number from %(min)d to %(max)d.") % {"min": scale.scale_min, "max": scale.scale_max},
        )
    return raw


def _comment_clean(raw, questions: WidgetQuestions) -> str | FieldError:
    if raw is None or raw == "":
        return ""
    if questions.comment is None:
        return FieldError("comment", _("This widget does not ask for a comment."))
    if not isinstance(raw, str):
        return FieldError("comment", _("The comment must be text."))
    if "\x00" in raw:
        return FieldError("comment", _("The comment contains characters that are not allowed."))
    text = raw.strip()
    if len(text) > MAX_COMMENT_CHARS:
        return FieldError("comment", _("Keep the comment to at most %(max)d characters.") % {"max": MAX_COMMENT_CHARS})
    return text


def _language_clean(raw) -> str | FieldError:
    if raw is None:
        return "fi"
    if raw not in LANGUAGES:
        return FieldError("language", _("Use one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)})
    return raw


def widget_payload_clean(*, payload: dict, questions: WidgetQuestions) -> WidgetSubmission:
    """Every field checked, every problem reported at once (PayloadRefused with status 422)."""
    errors = [FieldError(name, _("Unknown field.")) for name in payload if name not in FIELDS]
    cleaned = {
        "key": _key_clean(payload.get("key")),
        "value": _value_clean(payload.get("value"), questions),
        "comment": _comment_clean(payload.get("comment"), questions),
        "language": _language_clean(payload.get("language")),
    }
    errors += [value for value in cleaned.values() if isinstance(value, FieldError)]
    if errors:
        raise PayloadRefused(422, _("The answer was not stored. Correct the fields listed."), errors)
    return WidgetSubmission(**cleaned)


def _stored(*, widget: Widget, key: uuid.UUID) -> Response | None:
    response = (
        Response.objects.filter(organisation_id=widget.organisation_id, idempotency_key=key)
        .select_related("widget_answer")
        .first()
    )
    if response is not None and getattr(response, "widget_answer", None) is None:
        raise AnswerKeyTaken
    if response is not None and response.widget_answer.widget_id != widget.pk:
        raise AnswerKeyTaken
    return response


def widget_answer_store(
    *,
    widget: Widget,
    questions: WidgetQuestions,
    submission: WidgetSubmission,
    origin: str,
    submitted_at: datetime | None = None,
) -> tuple[Response, bool]:
    """Store the answer as a submitted web self-service pulse response (scored, signalled like any other).

    Returns (response, created). A retry with the same key returns the stored response and stores nothing;
    the database's (organisation, idempotency_key) constraint settles two retries racing each other.
    """
    stored = _stored(widget=widget, key=submission.key)
    if stored is not None:
        return stored, False
    answers: dict[int, int | str] = {questions.scale.pk: submission.value}
    if submission.comment:
        answers[questions.comment.pk] = submission.comment
    touchpoint = widget.touchpoint
    try:
        with transaction.atomic():
            response = response_record(
                round=widget.round,
                answers=answers,
                language=submission.language,
                submitted_at=submitted_at,
                respondent_role=RespondentRole.CUSTOMER,
                context={
                    "idempotency_key": submission.key,
                    "unit_id": touchpoint.owner_unit_id,
                    "channel": Channel.WEB,
                    "touchpoint_id": touchpoint.pk,
                },
            )
            WidgetAnswer.objects.create(
                organisation_id=widget.organisation_id, widget=widget, response=response, origin=origin
            )
    except IntegrityError:
        stored = _stored(widget=widget, key=submission.key)
        if stored is None:
            raise
        return stored, False
    return response, True
