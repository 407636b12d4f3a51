"""Complete responses submitted by other systems (the API): validated, stored once per idempotency key.

One submission is validated as a whole (every problem reported per field, nothing stored), then
written in one transaction: the response with its outcome figures and EQI, its answers and its
dimension scores (the same scoring as the respondent page, feedback/scoring.py). The caller
acknowledges only after this function returns, i.e. after the commit.

Idempotency: the key is stored on the response and (organisation, key) is unique in the database.
A retry with the same key returns the stored response and stores nothing; two concurrent requests
with one key cannot both store, because the second insert fails on the constraint and re-reads the
first one's row. The same key with a different submission is a conflict.
"""

import time
import uuid
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics.models import DimensionRollup, ResponseRollup
from kohtaamo.analytics.rollup import CountingRules, counting_rules_of, response_entries, response_rollup_count
from kohtaamo.instruments.models import Question, Questionnaire
from kohtaamo.organisations.models import Language
from kohtaamo.organisations.selectors import Scope, restrict, touchpoints_visible

from .models import Answer, DimensionScore, Encounter, OpenLink, RespondentRole, Response, Round
from .respondent_forms import FIELD_PREFIX, answers_clean
from .scoring import ResponseScores, ScoredQuestion, scores_compute
from .signals import announce_submitted

# Clocks of source systems drift; a submit time further ahead than this is a data error.
FUTURE_TOLERANCE = timedelta(days=1)
MAX_CACHED_QUESTIONNAIRES = 500


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class SubmissionInvalid(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__(f"{len(errors)} error(s) in the submission")
        self.errors = errors


class IdempotencyConflict(Exception):
    """The key was used before for a different submission; nothing is stored."""

    def __init__(self, response_id: int):
        super().__init__(f"idempotency key already used by response {response_id}")
        self.response_id = response_id


# What a questionnaire asks, kept per process. Only versions that have responses are kept: those are
# frozen (instruments/services.py never edits them), so the copy can never go stale.


@dataclass(frozen=True)
class QuestionnaireShape:
    questionnaire_id: int
    questions: tuple[Question, ...]  # in order; detached copies, read only
    by_reference: dict[str, int]  # question id (as text) and item code -> question id
    scored: tuple[ScoredQuestion, ...]
    dimension_codes: dict[int, str]
    rules: CountingRules  # how the dashboard's rollup counts its responses


_frozen_shapes: dict[int, QuestionnaireShape] = {}


def questionnaire_shape(*, questionnaire_id: int) -> QuestionnaireShape:
    """The questions of a questionnaire version with what validation and scoring need (cached once frozen)."""
    shape = _frozen_shapes.get(questionnaire_id)
    if shape is not None:
        return shape
    questions = tuple(
        Question.objects.filter(questionnaire_id=questionnaire_id)
        .select_related("item", "questionnaire")
        .prefetch_related("item__dimensions")
        .order_by("order")
    )
    by_reference = {str(q.pk): q.pk for q in questions}
    by_reference.update({q.item.code: q.pk for q in questions if q.item is not None})
    scored = tuple(
        ScoredQuestion(
            question_id=q.pk,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            reverse_coded=q.reverse_coded,
            dimensions=tuple((d.pk, d.code) for d in q.item.dimensions.all()),
        )
        for q in questions
        if q.item is not None
    )
    codes = {dimension_id: code for q in scored for dimension_id, code in q.dimensions}
    pulse = bool(questions) and questions[0].questionnaire.kind == Questionnaire.Kind.PULSE
    rules = counting_rules_of(questions, customer_feedback=pulse)
    return QuestionnaireShape(questionnaire_id, questions, by_reference, scored, codes, rules)


def questionnaire_shape_remember(shape: QuestionnaireShape) -> None:
    """Keep the shape of a version that has responses (frozen) for the next submits of this process."""
    if shape.questionnaire_id in _frozen_shapes:
        return
    if len(_frozen_shapes) >= MAX_CACHED_QUESTIONNAIRES:
        _frozen_shapes.clear()
    _frozen_shapes[shape.questionnaire_id] = shape


def questionnaire_shapes_forget() -> None:
    """Drop the per-process copies (tests that rebuild the database between cases)."""
    _frozen_shapes.clear()


# Validation.


@dataclass(frozen=True)
class CleanSubmission:
    key: uuid.UUID
    round: Round
    shape: QuestionnaireShape
    language: str
    respondent_role: str
    submitted_at: datetime | None  # None: the server's time of storing
    context: dict  # encounter, open link, unit, person, channel, touchpoint ids
    values: dict[int, int | str]  # question id -> clean value


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _key_clean(*, header_key: str | None, body_key: Any, error) -> uuid.UUID | None:
    raw_header, raw_body = (header_key or "").strip(), ("" if body_key is None else str(body_key).strip())
    if raw_header and raw_body and raw_header.lower() != raw_body.lower():
        error("idempotency_key", _("The Idempotency-Key header and the idempotency_key field differ."))
        return None
    raw = raw_header or raw_body
    if not raw:
        error("idempotency_key", _("An idempotency key is required (Idempotency-Key header or idempotency_key)."))
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        error("idempotency_key", _("The idempotency key must be a UUID."))
        return None


def _round_clean(*, scope: Scope, data: Mapping[str, Any], error) -> Round | None:
    rounds = Round.objects.filter(organisation=scope.organisation)
    reference = data.get("round")
    if reference in (None, ""):
        found = rounds.filter(kind=Round.Kind.PULSE).order_by("pk").first()
        if found is None:
            error("round", _("The organisation has no pulse programme; give the round."))
        return found
    if isinstance(reference, bool) or not str(reference).isdigit():
        error("round", _("Give the round's id (a whole number)."))
        return None
    found = rounds.filter(pk=int(reference)).first()
    if found is None:
        error("round", _("No round with this id."))
    elif found.kind != Round.Kind.PULSE:
        # 360 and maturity answers come only from their invited respondents, under their own rules.
        error("round", _("Responses can be sent only to a pulse programme."))
        return None
    elif not found.active:
        error("round", _("This round is closed and takes no more responses."))
        return None
    return found


def _encounter_clean(*, scope: Scope, reference: str, error) -> dict:
    if not reference:
        return {}
    encounter = restrict(Encounter.objects.all(), scope=scope).filter(external_id=reference).first()
    if encounter is None:
        error("encounter", _("No encounter with this external id."))
        return {}
    return {
        "encounter_id": encounter.pk,
        "subject_person_id": encounter.person_id,
        "unit_id": encounter.unit_id,
        "channel": encounter.channel,
        "touchpoint_id": encounter.touchpoint_id,
    }


def _touchpoint_clean(*, scope: Scope, round: Round | None, reference: str, error) -> dict:  # noqa: A002
    if not reference:
        return {}
    matches = list(touchpoints_visible(scope=scope).filter(Q(code=reference) | Q(name=reference))[:3])
    by_code = [t for t in matches if t.code == reference]
    matches = by_code or matches
    if not matches:
        error("touchpoint", _("No touchpoint with this code or name."))
        return {}
    if len(matches) > 1:
        error("touchpoint", _("Several match this name; use the code instead."))
        return {}
    touchpoint = matches[0]
    link = OpenLink.objects.filter(round=round, touchpoint=touchpoint).values_list("pk", flat=True).first()
    return {
        "open_link_id": link,
        "unit_id": touchpoint.owner_unit_id,
        "channel": touchpoint.channel,
        "touchpoint_id": touchpoint.pk,
    }


def _submitted_at_clean(*, scope: Scope, raw: str, error) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        error("submitted_at", _("Not a valid date and time. Use ISO 8601, for example 2025-03-14T09:30."))
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, ZoneInfo(scope.organisation.time_zone))
    if parsed > timezone.now() + FUTURE_TOLERANCE:
        error("submitted_at", _("The time is in the future."))
        return None
    return parsed.astimezone(ZoneInfo("UTC"))


def _answers_clean(*, shape: QuestionnaireShape, answers: Any, error) -> dict[int, int | str]:
    """Answers keyed by question id or item code; the values checked as on the respondent page."""
    if not isinstance(answers, Mapping) or not answers:
        error("answers", _("Give the answers as an object: question id or item code -> value."))
        return {}
    raw: dict[int, str] = {}
    reference_of: dict[int, str] = {}
    for reference, value in answers.items():
        field = f"answers.{reference}"
        question_id = shape.by_reference.get(str(reference))
        if question_id is None:
            error(field, _("No question with this id or item code in the round's questionnaire."))
            continue
        if question_id in raw:
            error(field, _("This question is answered twice (by its id and its item code)."))
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | str)):
            error(field, _("Give a whole number on the question's scale, or text for an open question."))
            continue
        raw[question_id] = "" if value is None else str(value)
        reference_of[question_id] = str(reference)
    try:
        return answers_clean(questions=shape.questions, raw_answers=raw)
    except ValidationError as invalid:
        for name, problems in invalid.message_dict.items():
            question_id = int(name.removeprefix(FIELD_PREFIX))
            reference = reference_of.get(question_id) or _question_reference(shape, question_id)
            for message in problems:
                error(f"answers.{reference}", message)
        return {}


def _question_reference(shape: QuestionnaireShape, question_id: int) -> str:
    question = next(q for q in shape.questions if q.pk == question_id)
    return question.item.code if question.item is not None else str(question_id)


def submission_clean(*, scope: Scope, data: Mapping[str, Any], header_key: str | None = None) -> CleanSubmission:
    """Validate a whole submission; raises SubmissionInvalid with every problem, per field."""
    errors: list[FieldError] = []

    def error(field: str, message: str) -> None:
        errors.append(FieldError(field=field, message=message))

    key = _key_clean(header_key=header_key, body_key=data.get("idempotency_key"), error=error)
    language = _text(data, "language")
    if language not in Language.values:
        error("language", _("Unknown language. Use fi, sv or en."))
    role = _text(data, "respondent_role") or RespondentRole.CUSTOMER
    if role not in RespondentRole.values:
        error(
            "respondent_role",
            _("Unknown respondent role. Use one of: %(choices)s.") % {"choices": ", ".join(RespondentRole.values)},
        )
    submitted_at = _submitted_at_clean(scope=scope, raw=_text(data, "submitted_at"), error=error)
    round_ = _round_clean(scope=scope, data=data, error=error)
    context = _encounter_clean(scope=scope, reference=_text(data, "encounter"), error=error)
    context.update(_touchpoint_clean(scope=scope, round=round_, reference=_text(data, "touchpoint"), error=error))
    shape, values = None, {}
    if round_ is not None:
        shape = questionnaire_shape(questionnaire_id=round_.questionnaire_id)
        values = _answers_clean(shape=shape, answers=data.get("answers"), error=error)
    if errors:
        raise SubmissionInvalid(errors)
    return CleanSubmission(
        key=key,
        round=round_,
        shape=shape,
        language=language,
        respondent_role=role,
        submitted_at=submitted_at,
        context=context,
        values=values,
    )


# Storing.


@dataclass(frozen=True)
class StoredResponse:
    response: Response
    scores: list[DimensionScore]
    dimension_codes: dict[int, str]
    created: bool


def _scores(clean: CleanSubmission) -> ResponseScores:
    scale_values = {qid: v for qid, v in clean.values.items() if isinstance(v, int)}
    return scores_compute(questions=list(clean.shape.scored), values=scale_values)


def _unsaved(
    *, scope: Scope, clean: CleanSubmission
) -> tuple[Response, list[Answer], list[DimensionScore], ResponseScores]:
    scores = _scores(clean)
    organisation_id = scope.organisation.pk
    response = Response(
        organisation_id=organisation_id,
        round_id=clean.round.pk,
        questionnaire_id=clean.round.questionnaire_id,
        idempotency_key=clean.key,
        respondent_role=clean.respondent_role,
        language=clean.language,
        status=Response.Status.SUBMITTED,
        submitted_at=clean.submitted_at or timezone.now(),
        nps=scores.nps,
        csat=scores.csat,
        ces=scores.ces,
        eqi=scores.eqi,
        has_comment=any(isinstance(v, str) for v in clean.values.values()),
        **clean.context,
    )
    answers = [
        Answer(
            organisation_id=organisation_id,
            question_id=question_id,
            value=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for question_id, value in clean.values.items()
    ]
    rows = [
        DimensionScore(
            organisation_id=organisation_id,
            dimension_id=dimension_id,
            mean=score.mean,
            score=score.score,
            items_answered=score.items_answered,
        )
        for dimension_id, score in scores.dimension_scores.items()
    ]
    return response, answers, rows, scores


def _write_orm(response: Response, answers: list[Answer], rows: list[DimensionScore]) -> None:
    response.save(force_insert=True)
    for child in (*answers, *rows):
        child.response_id = response.pk
    Answer.objects.bulk_create(answers)
    DimensionScore.objects.bulk_create(rows)


def _insert_columns(model, objects: list) -> tuple[list[str], list[list]]:
    """Column names and their database values for an INSERT of these unsaved objects (auto_now applied)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    values = [[f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in objects]
    return [f.column for f in fields], values


def _insert_part(alias: str, model, objects: list, parent: tuple[str, str] | None) -> tuple[str, list]:
    """One `alias AS (INSERT ...)` of a WITH clause: the objects' columns travel as arrays; the parent's
    foreign key column (`parent` = (column, parent alias)) takes the id of every row the parent inserted."""
    columns, values = _insert_columns(model, objects)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    kept = [i for i, c in enumerate(columns) if parent is None or c != parent[0]]
    arrays = ", ".join(f"%s::{fields[i].db_type(connection)}[]" for i in kept)
    aliases = ", ".join(columns[i] for i in kept)
    select = ", ".join("p.id" if parent and c == parent[0] else f"x.{c}" for c in columns)
    source = f"{parent[1]} AS p, " if parent else ""
    sql = (
        f"{alias} AS (INSERT INTO {model._meta.db_table} ({', '.join(columns)})"  # noqa: S608 - names from models
        f" SELECT {select} FROM {source}unnest({arrays}) AS x({aliases}) RETURNING id)"
    )
    return sql, [[row[i] for row in values] for i in kept]


def _write_postgres(
    response: Response, answers: list[Answer], rows: list[DimensionScore], entries: list[tuple[ResponseRollup, list]]
) -> None:
    """The response, its answers, its scores and its rollup entries in one statement: one round trip,
    atomic by itself."""
    response_columns, (response_values,) = _insert_columns(Response, [response])
    parts, params = [], list(response_values)
    children = [("a", Answer, answers, ("response_id", "r")), ("d", DimensionScore, rows, ("response_id", "r"))]
    if entries:
        # Both entries (month and day) carry the same dimension rows: each is inserted once per entry.
        children += [
            ("c", ResponseRollup, [entry for entry, _ in entries], None),
            ("cd", DimensionRollup, entries[0][1], ("cell_id", "c")),
        ]
    for alias, model, objects, parent in children:
        sql, arrays = _insert_part(alias, model, objects, parent)
        parts.append(sql)
        params += arrays
    placeholders = ", ".join(["%s"] * len(response_columns))
    sql = (
        f"WITH r AS (INSERT INTO {Response._meta.db_table} ({', '.join(response_columns)})"  # noqa: S608
        f" VALUES ({placeholders}) RETURNING id), {', '.join(parts)} SELECT id FROM r"
    )
    # Server-side binding, prepared once per connection: the text is the same for every submission of a
    # questionnaire version, so PostgreSQL parses and plans this long statement once, not per submit.
    # Django's cursor binds on the client and never prepares; its error wrapping is kept.
    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=settings.KOHTAAMO_PREPARED_WRITES)
        response.pk = cursor.fetchone()[0]
    if connection.queries_logged:  # as Django's debug cursor would: query-count pins see this statement
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    response._state.adding = False
    for child in (*answers, *rows):
        child.response_id = response.pk


def _write(*, scope: Scope, clean: CleanSubmission) -> StoredResponse:
    response, answers, rows, scores = _unsaved(scope=scope, clean=clean)
    if connection.vendor == "postgresql":
        entries = response_entries(
            response=response, scores=scores, rules=clean.shape.rules, time_zone=scope.organisation.time_zone
        )
        # In autocommit the one statement is its own transaction, committed when it returns.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            _write_postgres(response, answers, rows, entries)
            announce_submitted(response=response)
    else:
        with transaction.atomic():
            _write_orm(response, answers, rows)
            response_rollup_count(
                response=response, scores=scores, rules=clean.shape.rules, time_zone=scope.organisation.time_zone
            )
            announce_submitted(response=response)
    return StoredResponse(response, rows, clean.shape.dimension_codes, created=True)


def _fingerprint(clean: CleanSubmission) -> tuple:
    context = {name: clean.context.get(name) for name in ("encounter_id", "touchpoint_id")}
    return (clean.round.pk, clean.language, clean.respondent_role, context, sorted(clean.values.items()))


def _stored_fingerprint(response: Response) -> tuple:
    values = sorted(
        (question_id, text if value is None else value)
        for question_id, value, text in response.answers.values_list("question_id", "value", "text")
    )
    context = {"encounter_id": response.encounter_id, "touchpoint_id": response.touchpoint_id}
    return (response.round_id, response.language, response.respondent_role, context, values)


def _replay(*, scope: Scope, clean: CleanSubmission) -> StoredResponse:
    """The response stored earlier under this key, if the submission is the same one."""
    response = Response.objects.get(organisation=scope.organisation, idempotency_key=clean.key)
    same = _stored_fingerprint(response) == _fingerprint(clean) and (
        clean.submitted_at is None or clean.submitted_at == response.submitted_at
    )
    if not same:
        raise IdempotencyConflict(response.pk)
    scores = list(response.dimension_scores.select_related("dimension").order_by("pk"))
    codes = {score.dimension_id: score.dimension.code for score in scores}
    return StoredResponse(response, scores, codes, created=False)


def response_ingest(*, scope: Scope, data: Mapping[str, Any], header_key: str | None = None) -> StoredResponse:
    """Validate and store one complete response, or return the one stored under its idempotency key.

    Raises SubmissionInvalid (nothing stored) or IdempotencyConflict (the key belongs to another
    submission). Returns after the transaction has committed.
    """
    clean = submission_clean(scope=scope, data=data, header_key=header_key)
    try:
        stored = _write(scope=scope, clean=clean)
    except IntegrityError:
        # A response with this key exists (an earlier try, or a concurrent one that committed first).
        if not Response.objects.filter(organisation=scope.organisation, idempotency_key=clean.key).exists():
            raise
        stored = _replay(scope=scope, clean=clean)
    questionnaire_shape_remember(clean.shape)
    return stored
