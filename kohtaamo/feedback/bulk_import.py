"""Bulk import of complete responses from CSV: all rows or none, every problem with its line number.

CSV format:

* UTF-8 (a byte-order mark is fine); comma or semicolon as the delimiter (read from the header row);
  a header row is required; column order is free; blank lines are skipped.
* One row per response. Columns (header names are case-insensitive, question columns exact):

  ==================  ========  ==============================================================
  column              required  value
  ==================  ========  ==============================================================
  submitted_at        yes       ISO 8601; without an offset it is the organisation's local time
  language            yes       fi, sv or en
  round               no        the round's id; every row names the same round (the import's
                                round); without the column, the organisation's pulse programme
  touchpoint          no        touchpoint code or exact name: tags unit, channel, touchpoint
  encounter           no        the encounter's external id: tags person, unit, channel, ...
  <item code>         no        one column per question, by item code or question id; scale
                                answers are whole numbers on the question's scale, open
                                questions take text; an empty cell is no answer
  ==================  ========  ==============================================================

Every row is validated before anything is stored; any error means nothing is imported. Imported
responses are scored exactly as feedback/scoring.py scores a submit. They are history: no follow-up or
webhook is triggered for them; their customers' comments are analysed by one background text-analysis
run once the import has committed.

On PostgreSQL the clean rows stream into a temporary staging table with COPY while the file is
validated; then set-based INSERT ... SELECT statements write responses, answers and dimension scores
(scored in SQL with the same arithmetic, in the same order, as scoring.py). Elsewhere the rows go
through the ORM in batches, scored by scoring.py itself.
"""

import csv
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics.rollup import response_rollup_count_many
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Language, Organisation
from kohtaamo.organisations.selectors import Scope, scope_from_organisation, touchpoints_visible

from .ingest import QuestionnaireShape, questionnaire_shape
from .models import Answer, DimensionScore, Encounter, RespondentRole, Response, Round
from .respondent_forms import COMMENT_MAX_LENGTH
from .scoring import ELEMENTS, RAW_OUTCOMES, scores_compute

META_COLUMNS = ("submitted_at", "language", "round", "touchpoint", "encounter")
REQUIRED_COLUMNS = ("submitted_at", "language")
FUTURE_TOLERANCE = timedelta(days=1)
logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 200
LOOKUP_CHUNK = 900  # under SQLite's bound-parameter limit
ORM_BATCH = 2000
COPY_CHUNK = 20_000
CONTEXT_FIELDS = ("encounter_id", "subject_person_id", "unit_id", "channel", "touchpoint_id")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportProblem:
    line: int  # 0: the file as a whole
    column: str
    message: str


@dataclass
class ResponsesImportResult:
    imported: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    error_count: int = 0  # every error found; `errors` keeps the first MAX_REPORTED_ERRORS

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass(frozen=True)
class CleanRow:
    line: int
    submitted_at: datetime  # aware
    language: str
    context: tuple  # CONTEXT_FIELDS values
    values: tuple  # per question column: int, str or None


class _Problems:
    def __init__(self) -> None:
        self.kept: list[ImportProblem] = []
        self.count = 0

    def add(self, line: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_REPORTED_ERRORS:
            self.kept.append(ImportProblem(line, column, message))


@dataclass(frozen=True)
class QuestionColumn:
    index: int  # in the CSV row
    name: str
    question: Question
    # scale: cell text -> value (the valid answers, and "" -> None); open questions: None
    allowed: dict[str, int | None] | None


class _Plan:
    """What the header says: where each column is and which question each question column answers."""

    def __init__(self, *, header: list[str], shape: QuestionnaireShape, problems: _Problems, line: int):
        self.width = len(header)
        self.meta: dict[str, int] = {}
        self.questions: list[QuestionColumn] = []
        by_id = {q.pk: q for q in shape.questions}
        seen: set[int] = set()
        for index, raw_name in enumerate(header):
            name = raw_name.strip()
            if name.lower() in META_COLUMNS:
                self.meta[name.lower()] = index
                continue
            question_id = shape.by_reference.get(name)
            if question_id is None:
                problems.add(line, name, _("Unknown column: not a question of the round's questionnaire."))
                continue
            if question_id in seen:
                problems.add(line, name, _("This question has two columns."))
                continue
            seen.add(question_id)
            question = by_id[question_id]
            self.questions.append(QuestionColumn(index, name, question, _allowed_values(question)))
        for column in REQUIRED_COLUMNS:
            if column not in self.meta:
                problems.add(line, column, _("The column is missing."))
        for question in shape.questions:
            if question.required and question.pk not in seen:
                problems.add(line, _question_name(question), _("The column is missing: the question is required."))


def _question_name(question: Question) -> str:
    return question.item.code if question.item is not None else str(question.pk)


def _allowed_values(question: Question) -> dict[str, int | None] | None:
    if question.kind == Question.Kind.OPEN:
        return None
    allowed: dict[str, int | None] = {"": None}
    allowed.update({str(v): v for v in range(question.scale_min, question.scale_max + 1)})
    return allowed


class _References:
    """Touchpoints and encounters the file names, fetched through the tenant scope in chunks."""

    def __init__(self, *, scope: Scope, round_: Round):
        self.scope = scope
        self.round = round_
        self.touchpoints: dict[str, tuple | None] = {}
        self.encounters: dict[str, tuple] = {}

    def touchpoint(self, reference: str) -> tuple | None:
        if reference not in self.touchpoints:
            matches = list(touchpoints_visible(scope=self.scope).filter(Q(code=reference) | Q(name=reference))[:3])
            matches = [t for t in matches if t.code == reference] or matches
            self.touchpoints[reference] = (
                (None, None, matches[0].owner_unit_id, matches[0].channel, matches[0].pk) if len(matches) == 1 else None
            )
        return self.touchpoints[reference]

    def load_encounters(self, references: set[str]) -> None:
        wanted = sorted(references - set(self.encounters))
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            rows = Encounter.objects.filter(
                organisation=self.scope.organisation, external_id__in=wanted[start : start + LOOKUP_CHUNK]
            ).values_list("external_id", "pk", "person_id", "unit_id", "channel", "touchpoint_id")
            self.encounters.update({row[0]: row[1:] for row in rows})


def _reader(file: IO[bytes]) -> tuple[csv.reader, list[str] | None, int]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    first = text.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), None)
    return csv.reader(text, delimiter=delimiter), header, 1


def _rows(
    *, file: IO[bytes], scope: Scope, round_: Round, problems: _Problems
) -> tuple[_Plan | None, Iterator[CleanRow]]:
    """The header's plan and a generator of the clean rows; problems are collected as the rows pass."""
    reader, header, header_line = _reader(file)
    shape = questionnaire_shape(questionnaire_id=round_.questionnaire_id)
    if not header or not any(cell.strip() for cell in header):
        problems.add(0, "", _("The file is empty."))
        return None, iter(())
    plan = _Plan(header=header, shape=shape, problems=problems, line=header_line)
    if problems.count:
        return plan, iter(())
    return plan, _clean_rows(reader=reader, plan=plan, scope=scope, round_=round_, problems=problems)


def _clean_rows(*, reader, plan: _Plan, scope: Scope, round_: Round, problems: _Problems) -> Iterator[CleanRow]:
    zone = ZoneInfo(scope.organisation.time_zone)
    latest = timezone.now() + FUTURE_TOLERANCE
    languages = set(Language.values)
    references = _References(scope=scope, round_=round_)
    meta = plan.meta
    i_time, i_language = meta["submitted_at"], meta["language"]
    i_round, i_touchpoint, i_encounter = meta.get("round"), meta.get("touchpoint"), meta.get("encounter")
    round_text = str(round_.pk)
    required = [(position, c.name) for position, c in enumerate(plan.questions) if c.question.required]
    empty_context = (None, None, None, "", None)
    pending: list[tuple[int, list[str]]] = []

    def finish(batch: list[tuple[int, list[str]]]) -> Iterator[CleanRow]:
        if i_encounter is not None:
            references.load_encounters({row[i_encounter].strip() for _line, row in batch} - {""})
        for line, row in batch:
            clean = _clean_row(line, row)
            if clean is not None:
                yield clean

    def _clean_row(line: int, row: list[str]) -> CleanRow | None:
        before = problems.count
        raw_time = row[i_time].strip()
        submitted_at = None
        try:
            submitted_at = datetime.fromisoformat(raw_time)
        except ValueError:
            problems.add(line, "submitted_at", _("Not a valid date and time. Use ISO 8601, e.g. 2025-03-14T09:30."))
        if submitted_at is not None:
            if submitted_at.tzinfo is None:
                submitted_at = submitted_at.replace(tzinfo=zone)
            if submitted_at > latest:
                problems.add(line, "submitted_at", _("The time is in the future."))
        language = row[i_language].strip()
        if language not in languages:
            problems.add(line, "language", _("Unknown language. Use fi, sv or en."))
        if i_round is not None and row[i_round].strip() not in ("", round_text):
            problems.add(
                line, "round", _("Every row of a file goes to the import's round (id %(id)s).") % {"id": round_text}
            )
        context = empty_context
        if i_encounter is not None and (reference := row[i_encounter].strip()):
            found = references.encounters.get(reference)
            if found is None:
                problems.add(line, "encounter", _("No encounter with this external id."))
            else:
                context = found
        if i_touchpoint is not None and (reference := row[i_touchpoint].strip()):
            found = references.touchpoint(reference)
            if found is None:
                problems.add(line, "touchpoint", _("No touchpoint with this code or name (or several by this name)."))
            else:
                context = (context[0], context[1], found[2], found[3], found[4])
        values = []
        for column in plan.questions:
            cell = row[column.index]
            if column.allowed is None:
                text = cell.replace("\r\n", "\n").strip()
                if len(text) > COMMENT_MAX_LENGTH:
                    problems.add(
                        line, column.name, _("Too long: at most %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH}
                    )
                values.append(text or None)
                continue
            value = column.allowed.get(cell, -1)
            if value == -1:
                value = column.allowed.get(cell.strip(), -1)
            if value == -1:
                problems.add(
                    line,
                    column.name,
                    _("Choose a value from %(min)s to %(max)s.")
                    % {
                        "min": column.question.scale_min,
                        "max": column.question.scale_max,
                    },
                )
                value = None
            values.append(value)
        for position, name in required:
            if values[position] is None:
                problems.add(line, name, _("This question needs an answer."))
        if problems.count != before:
            return None
        return CleanRow(line, submitted_at, language, context, tuple(values))

    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(reader.line_num + 1, "", _("The line cannot be read as CSV: %(error)s") % {"error": exc})
            break
        except UnicodeDecodeError:
            problems.add(reader.line_num + 2, "", _("The file is not UTF-8 text (first problem on this line)."))
            break
        line = reader.line_num + 1  # the header line was read before the reader started counting
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != plan.width:
            problems.add(
                line,
                "",
                _("The line has %(n)d fields; the header has %(width)d.")
                % {
                    "n": len(row),
                    "width": plan.width,
                },
            )
            continue
        pending.append((line, row))
        if len(pending) >= LOOKUP_CHUNK * 10:
            yield from finish(pending)
            pending = []
    yield from finish(pending)


def responses_import_csv(
    *,
    organisation: Organisation,
    file: IO[bytes],
    round: Round | None = None,
    progress: Progress | None = None,  # noqa: A002
) -> ResponsesImportResult:
    """Import every response of the file in one transaction, or none (the result lists the problems)."""
    scope = scope_from_organisation(organisation=organisation)
    problems = _Problems()
    round_ = round or Round.objects.filter(organisation=organisation, kind=Round.Kind.PULSE).order_by("pk").first()
    if round_ is None or round_.organisation_id != organisation.pk:
        problems.add(0, "round", _("The organisation has no pulse programme; give the round."))
        return ResponsesImportResult(errors=problems.kept, error_count=problems.count)
    if round_.kind != Round.Kind.PULSE:
        problems.add(0, "round", _("Responses can be imported only into a pulse programme."))
        return ResponsesImportResult(errors=problems.kept, error_count=problems.count)
    writer = _PostgresWriter if connection.vendor == "postgresql" else _OrmWriter
    try:
        with transaction.atomic():
            plan, rows = _rows(file=file, scope=scope, round_=round_, problems=problems)
            imported = 0
            if plan is not None and not problems.count:
                imported = writer(organisation=organisation, round_=round_, plan=plan).write(
                    rows=rows, problems=problems, progress=progress
                )
            if problems.count:
                raise _Rollback
    except _Rollback:
        problems.kept.sort(key=lambda p: p.line)
        return ResponsesImportResult(errors=problems.kept, error_count=problems.count)
    if imported:
        transaction.on_commit(lambda: _comments_analyse_later(organisation.pk))
    return ResponsesImportResult(imported=imported)


def _comments_analyse_later(organisation_id: int) -> None:
    # The import has committed; a failure to start the analysis must not make it look failed.
    try:
        from kohtaamo.textanalytics.services import comment_run_request

        comment_run_request(organisation_id=organisation_id, everything=False)
    except Exception:  # noqa: BLE001
        logger.exception("could not start comment analysis after a bulk import into %s", organisation_id)


class _Rollback(Exception):
    """Problems were found after writing began: undo the transaction."""


# The ORM path (SQLite and any other database): batches, scored by scoring.py itself.


class _OrmWriter:
    def __init__(self, *, organisation: Organisation, round_: Round, plan: _Plan):
        self.organisation = organisation
        self.organisation_id = organisation.pk
        self.round = round_
        self.plan = plan
        self.shape = questionnaire_shape(questionnaire_id=round_.questionnaire_id)

    def write(self, *, rows: Iterator[CleanRow], problems: _Problems, progress: Progress | None) -> int:
        batch: list[CleanRow] = []
        written = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= ORM_BATCH:
                written += self._batch(batch, problems)
                batch = []
                if progress:
                    progress(written)
        written += self._batch(batch, problems)
        return written

    def _batch(self, batch: Sequence[CleanRow], problems: _Problems) -> int:
        if problems.count or not batch:
            return 0  # the transaction will be rolled back; skip the writes
        question_ids = [c.question.pk for c in self.plan.questions]
        now = timezone.now()
        responses, answers, scores = [], [], []
        for row in batch:
            values = dict(zip(question_ids, row.values, strict=True))
            scale = {qid: v for qid, v in values.items() if isinstance(v, int)}
            result = scores_compute(questions=list(self.shape.scored), values=scale)
            response = Response(
                organisation_id=self.organisation_id,
                round_id=self.round.pk,
                questionnaire_id=self.round.questionnaire_id,
                respondent_role=RespondentRole.CUSTOMER,
                language=row.language,
                status=Response.Status.SUBMITTED,
                submitted_at=row.submitted_at,
                started_at=now,
                nps=result.nps,
                csat=result.csat,
                ces=result.ces,
                eqi=result.eqi,
                has_comment=any(isinstance(v, str) for v in values.values()),
                **dict(zip(CONTEXT_FIELDS, row.context, strict=True)),
            )
            if response.channel is None:
                response.channel = ""
            responses.append((response, values, result))
        Response.objects.bulk_create([r for r, _v, _s in responses], batch_size=500)
        for response, values, result in responses:
            answers += [
                Answer(
                    organisation_id=self.organisation_id,
                    response_id=response.pk,
                    question_id=qid,
                    value=v if isinstance(v, int) else None,
                    text=v if isinstance(v, str) else "",
                )
                for qid, v in values.items()
                if v is not None
            ]
            scores += [
                DimensionScore(
                    organisation_id=self.organisation_id,
                    response_id=response.pk,
                    dimension_id=dimension_id,
                    mean=score.mean,
                    score=score.score,
                    items_answered=score.items_answered,
                )
                for dimension_id, score in result.dimension_scores.items()
            ]
        Answer.objects.bulk_create(answers, batch_size=500)
        DimensionScore.objects.bulk_create(scores, batch_size=500)
        counted = Response.objects.filter(pk__in=[response.pk for response, _v, _s in responses])
        response_rollup_count_many(organisation=self.organisation, responses=counted)
        return len(batch)


# The PostgreSQL path: COPY into staging while validating, then set-based inserts scored in SQL.


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class _PostgresWriter:
    def __init__(self, *, organisation: Organisation, round_: Round, plan: _Plan):
        self.organisation = organisation
        self.organisation_id = organisation.pk
        self.round = round_
        self.plan = plan
        self.shape = questionnaire_shape(questionnaire_id=round_.questionnaire_id)

    def _staging_sql(self) -> str:
        columns = [f"v{i} {'text' if c.allowed is None else 'smallint'}" for i, c in enumerate(self.plan.questions)]
        return (
            "CREATE TEMPORARY TABLE bulk_stage (line integer, submitted_at timestamptz, language varchar(2),"
            " encounter_id bigint, subject_person_id bigint, unit_id bigint, channel varchar(20),"
            f" touchpoint_id bigint{''.join(', ' + c for c in columns)}) ON COMMIT DROP"
        )

    def write(self, *, rows: Iterator[CleanRow], problems: _Problems, progress: Progress | None) -> int:
        count = 0
        with connection.cursor() as cursor:
            # A second import in one outer transaction (tests) finds the first one's tables still there.
            cursor.execute("DROP TABLE IF EXISTS bulk_stage, bulk_scored")
            cursor.execute(self._staging_sql())
            # One COPY per chunk: validating a chunk may look up encounters, which cannot happen on a
            # connection in the middle of a COPY.
            chunk: list[str] = []
            for row in rows:
                if problems.count:
                    continue  # keep validating to report every problem; nothing will be stored
                fields = [str(row.line), row.submitted_at.isoformat(), row.language]
                fields += [_copy_text(v) for v in row.context]
                fields += [_copy_text(v) for v in row.values]
                chunk.append("\t".join(fields))
                count += 1
                if len(chunk) >= COPY_CHUNK:
                    self._copy(cursor, chunk)
                    chunk = []
                    if progress:
                        progress(count)
            if chunk and not problems.count:
                self._copy(cursor, chunk)
            if problems.count:
                return 0
            for statement, params in self._insert_statements():
                cursor.execute(statement, params)
        imported = Response.objects.filter(pk__in=RawSQL("SELECT response_id FROM bulk_scored", ()))  # noqa: S611
        response_rollup_count_many(organisation=self.organisation, responses=imported)
        return count

    @staticmethod
    def _copy(cursor, lines: list[str]) -> None:
        with cursor.copy("COPY bulk_stage FROM STDIN") as copy:
            copy.write("\n".join(lines) + "\n")

    # The generated SQL holds only integers (ids, scale bounds) and generated column names; no file
    # content is ever part of a statement (it travels through COPY).
    # SQL scoring: the arithmetic of scoring.ScaleAnswer / dimension_score / eqi, column by column in
    # question order, so that the floating-point results are the same as Python's.

    def _columns_of(self) -> dict[int, str]:
        return {c.question.pk: f"s.v{i}" for i, c in enumerate(self.plan.questions)}

    def _score_expressions(self) -> tuple[list[str], list[tuple[int, str, str, str, str]]]:
        """(outcome expressions nps/csat/ces, [(dimension id, code, n, mean, score)])."""
        column_of = self._columns_of()
        raw: dict[str, list[str]] = {code: [] for code in RAW_OUTCOMES}
        dimensions: dict[int, dict] = {}
        for question in self.shape.scored:
            column = column_of.get(question.question_id)
            for dimension_id, code in question.dimensions:
                if code in RAW_OUTCOMES:
                    if column:
                        raw[code].append(column)
                    continue
                entry = dimensions.setdefault(dimension_id, {"code": code, "asked": 0, "parts": []})
                entry["asked"] += 1
                if column:
                    entry["parts"].append((column, question))
        outcomes = [f"COALESCE({', '.join(reversed(raw[c]))})" if raw[c] else "NULL::smallint" for c in RAW_OUTCOMES]
        scored = []
        for dimension_id, entry in dimensions.items():
            if not entry["parts"]:
                continue
            n = " + ".join(f"({col} IS NOT NULL)::int" for col, _q in entry["parts"])
            oriented = [self._oriented(col, q) for col, q in entry["parts"]]
            total = " + ".join(f"COALESCE({o}, 0)" for o in oriented)
            rescaled = " + ".join(
                f"COALESCE((({o} - {q.scale_min})::float8 / {q.scale_max - q.scale_min}::float8) * 100::float8, 0)"
                for o, (_col, q) in zip(oriented, entry["parts"], strict=True)
            )
            valid = f"({n}) > 0 AND ({n}) * 2 >= {entry['asked']}"
            scored.append(
                (
                    dimension_id,
                    entry["code"],
                    f"CASE WHEN {valid} THEN ({n}) END",
                    f"CASE WHEN {valid} THEN ({total})::float8 / ({n})::float8 END",
                    f"CASE WHEN {valid} THEN ({rescaled}) / ({n})::float8 END",
                )
            )
        return outcomes, scored

    @staticmethod
    def _oriented(column: str, question) -> str:
        if question.reverse_coded:
            return f"({question.scale_min + question.scale_max} - {column})"
        return column

    def _insert_statements(self) -> list[tuple[str, list]]:
        outcomes, scored = self._score_expressions()
        score_columns = []
        for i, (_dimension_id, _code, n, mean, score) in enumerate(scored):
            score_columns += [f"{n} AS n{i}", f"{mean} AS m{i}", f"{score} AS c{i}"]
        by_code = {code: i for i, (_d, code, *_rest) in enumerate(scored)}
        if all(code in by_code for code in ELEMENTS):
            parts = " + ".join(f"c{by_code[code]}" for code in ELEMENTS)
            eqi = f"({parts}) / {len(ELEMENTS)}::float8"
        else:
            eqi = "NULL::float8"
        open_columns = [f"s.v{i}" for i, c in enumerate(self.plan.questions) if c.allowed is None]
        has_comment = " OR ".join(f"{c} IS NOT NULL" for c in open_columns) or "false"
        value_columns = ", ".join(f"s.v{i}" for i in range(len(self.plan.questions)))
        scored_sql = (
            "CREATE TEMPORARY TABLE bulk_scored ON COMMIT DROP AS"  # noqa: S608 - generated from ids and numbers only
            " SELECT nextval(pg_get_serial_sequence('feedback_response', 'id')) AS response_id, s.line,"
            " s.submitted_at, s.language, s.encounter_id, s.subject_person_id, s.unit_id,"
            f" COALESCE(s.channel, '') AS channel, s.touchpoint_id, {value_columns},"
            f" {outcomes[0]} AS nps, {outcomes[1]} AS csat, {outcomes[2]} AS ces, ({has_comment}) AS has_comment"
            f"{''.join(', ' + c for c in score_columns)} FROM bulk_stage s ORDER BY s.line"
        )
        response_sql = (
            "INSERT INTO feedback_response (id, organisation_id, round_id, questionnaire_id, idempotency_key,"  # noqa: S608 - generated from ids and numbers only
            " encounter_id, respondent_role, subject_person_id, unit_id, channel, touchpoint_id, language, status,"
            " started_at, updated_at, submitted_at, nps, csat, ces, eqi, has_comment)"
            " SELECT response_id, %s, %s, %s, gen_random_uuid(), encounter_id, %s, subject_person_id, unit_id,"
            f" channel, touchpoint_id, language, %s, now(), now(), submitted_at, nps, csat, ces, {eqi}, has_comment"
            " FROM bulk_scored"
        )
        answer_rows = ", ".join(
            f"({c.question.pk}, {'NULL' if c.allowed is None else f's.v{i}'},"
            f" {f's.v{i}' if c.allowed is None else 'NULL'}::text)"
            for i, c in enumerate(self.plan.questions)
        )
        answer_sql = (
            "INSERT INTO feedback_answer (organisation_id, response_id, question_id, value, text)"  # noqa: S608 - generated from ids and numbers only
            " SELECT %s, s.response_id, a.question_id, a.value, COALESCE(a.text, '')"
            f" FROM bulk_scored s CROSS JOIN LATERAL (VALUES {answer_rows}) AS a(question_id, value, text)"
            " WHERE a.value IS NOT NULL OR a.text IS NOT NULL"
        )
        statements = [
            (scored_sql, []),
            (
                response_sql,
                [
                    self.organisation_id,
                    self.round.pk,
                    self.round.questionnaire_id,
                    RespondentRole.CUSTOMER,
                    Response.Status.SUBMITTED,
                ],
            ),
            (answer_sql, [self.organisation_id]),
        ]
        if scored:
            score_rows = ", ".join(f"({d}, s.n{i}, s.m{i}, s.c{i})" for i, (d, *_rest) in enumerate(scored))
            statements.append(
                (
                    "INSERT INTO feedback_dimensionscore (organisation_id, response_id, dimension_id, mean, score,"  # noqa: S608 - generated from ids and numbers only
                    " items_answered) SELECT %s, s.response_id, d.dimension_id, d.mean, d.score, d.n"
                    f" FROM bulk_scored s CROSS JOIN LATERAL (VALUES {score_rows}) AS d(dimension_id, n, mean, score)"
                    " WHERE d.n IS NOT NULL",
                    [self.organisation_id],
                )
            )
        return statements
