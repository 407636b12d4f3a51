"""Keeping the dashboard's rollup (models.py) equal to what the submitted responses say.

- The rollup may hold several rows for one cell: readers add them up (sums of sufficient statistics
  add). That lets a new response be counted without touching a shared row.
- Counting a new response (`response_rollup_count`, and the API's one-statement write) appends a month
  entry and a day entry of that response alone, in the submit transaction: inserts only, so concurrent
  submits never wait for each other on a hot cell. `response_rollup_compact` later merges the entries
  of each cell into one row (run by the `rollup_compact` command), summing exactly what it deletes.
- `response_rollup_rebuild` recomputes an organisation's cells (all, or some months) from the responses;
  the `rollup_rebuild` command runs it.
- A later change to a counted response (re-scoring, a new unit) recomputes its two cells from the
  responses (`response_rollup_refresh`, on post_save). On PostgreSQL a recompute or rebuild first locks
  the rollup tables against writers, so no entry can be appended between its delete and its count.
- Deleting responses, or moving a submitted response to another unit or month with a queryset
  update, leaves cells stale until the next rebuild.
"""

import contextvars
import logging
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connections, transaction
from django.db.models import Count, DateTimeField, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Trunc

from kohtaamo.feedback.models import DimensionScore, RespondentRole, Response
from kohtaamo.feedback.scoring import ResponseScores
from kohtaamo.instruments.models import Dimension, Question, Questionnaire
from kohtaamo.organisations.models import Organisation

from .models import DimensionRollup, ResponseRollup
from .periods import day_start

logger = logging.getLogger(__name__)

CELL_FIELDS = ("unit_id", "channel", "touchpoint_id", "questionnaire_id")
CES_EASY_FROM = 5
GRAINS = ("month", "day")  # a month cell (day empty) and a day cell per response
RHETORIC_COUNT = 3  # ethos, pathos, logos: the spread needs all three


def customer_submitted(*, organisation_id: int, using: str = "default") -> QuerySet[Response]:
    """What the dashboard reads: submitted customer responses (the rollup's source)."""
    return Response.objects.using(using).customer_feedback().filter(organisation_id=organisation_id)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _period_end(first: date, grain: str) -> date:
    """The local day after the period (a month or a day) starting on `first`."""
    return _next_month(first) if grain == "month" else first + timedelta(days=1)


def _within(qs: QuerySet, *, first: date, last: date, time_zone: str, grain: str = "month") -> QuerySet:
    """Rows submitted in the local periods first..last (months: both first days of a month)."""
    return qs.filter(
        submitted_at__gte=day_start(first, time_zone), submitted_at__lt=day_start(_period_end(last, grain), time_zone)
    )


def _csat_top(questions: QuerySet[Question]) -> Q:
    """CSAT's top two boxes on each questionnaire's own CSAT scale, as the dashboard counts them."""
    top = Q(pk__isnull=True)
    rows = questions.filter(item__dimensions__code="csat").values_list("questionnaire_id", "scale_max").distinct()
    for questionnaire_id, high in rows:
        top |= Q(questionnaire_id=questionnaire_id, csat__gte=high - 1)
    return top


def _cells(
    responses: QuerySet[Response], *, organisation: Organisation, questions: QuerySet[Question], grain: str
) -> list[tuple[ResponseRollup, list]]:
    """The month or day cells of these responses with their dimension statistics, aggregated in the database."""
    from .selectors import with_rhetoric_spread

    tz = ZoneInfo(organisation.time_zone)

    def period(prefix: str):
        return Trunc(f"{prefix}submitted_at", grain, output_field=DateTimeField(), tzinfo=tz)

    rows = (
        with_rhetoric_spread(responses)
        .values(*CELL_FIELDS, period_start=period(""))
        .annotate(
            responses=Count("pk"),
            promoters=Count("pk", filter=Q(nps__gte=9)),
            passives=Count("pk", filter=Q(nps__gte=7, nps__lte=8)),
            detractors=Count("pk", filter=Q(nps__lte=6)),
            csat_n=Count("csat"),
            csat_top=Count("pk", filter=_csat_top(questions)),
            ces_n=Count("ces"),
            ces_sum=Sum("ces"),
            ces_sq=Sum(F("ces") * F("ces")),
            ces_easy=Count("pk", filter=Q(ces__gte=CES_EASY_FROM)),
            eqi_n=Count("eqi"),
            eqi_sum=Sum("eqi"),
            eqi_sq=Sum(F("eqi") * F("eqi")),
            balance_n=Count("rhetoric_spread"),
            balance_sum=Sum("rhetoric_spread"),
            balance_sq=Sum(F("rhetoric_spread") * F("rhetoric_spread")),
        )
        .order_by()
    )
    dimension_rows = (
        DimensionScore.objects.using(responses.db)
        .filter(response__in=responses.values("pk"))
        .values(*(f"response__{name}" for name in CELL_FIELDS), "dimension_id", period_start=period("response__"))
        .annotate(n=Count("pk"), total=Sum("score"), total_sq=Sum(F("score") * F("score")))
        .order_by()
    )

    def key(row: dict, prefix: str = "") -> tuple:
        return (row["period_start"].astimezone(tz).date(), *(row[prefix + name] for name in CELL_FIELDS))

    dimensions = defaultdict(list)
    for row in dimension_rows:
        dimensions[key(row, "response__")].append(
            DimensionRollup(dimension_id=row["dimension_id"], n=row["n"], total=row["total"], total_sq=row["total_sq"])
        )
    cells = []
    for row in rows:
        cell_key = key(row)
        figures = {
            name: value or 0 for name, value in row.items() if name not in CELL_FIELDS and name != "period_start"
        }
        cell = ResponseRollup(
            organisation_id=organisation.pk,
            month=cell_key[0].replace(day=1),
            day=cell_key[0] if grain == "day" else None,
            **dict(zip(CELL_FIELDS, cell_key[1:], strict=True)),
            **figures,
        )
        cells.append((cell, dimensions[cell_key]))
    return cells


def _store(cells: list[tuple[ResponseRollup, list]], *, using: str) -> None:
    ResponseRollup.objects.using(using).bulk_create([cell for cell, _ in cells], batch_size=2000)
    dimensions = []
    for cell, rows in cells:
        for row in rows:
            row.cell_id, row.organisation_id = cell.pk, cell.organisation_id
            dimensions.append(row)
    DimensionRollup.objects.using(using).bulk_create(dimensions, batch_size=5000)


def response_rollup_rebuild(
    *, organisation: Organisation, first: date | None = None, last: date | None = None, database_alias: str = "default"
) -> int:
    """Recompute the organisation's cells (only the local months first..last when given); returns the count."""
    with transaction.atomic(using=database_alias):
        _lock_against_writers(using=database_alias)
        _statistics_refresh(using=database_alias)
        responses = customer_submitted(organisation_id=organisation.pk, using=database_alias)
        stale = ResponseRollup.objects.using(database_alias).filter(organisation=organisation)
        if first is not None or last is not None:
            first = (first or date(1970, 1, 1)).replace(day=1)
            last = (last or date(9998, 12, 1)).replace(day=1)
            responses = _within(responses, first=first, last=last, time_zone=organisation.time_zone)
            stale = stale.filter(month__gte=first, month__lte=last)  # day cells carry their month too
        stale.delete()
        questions = Question.objects.using(database_alias).filter(questionnaire__organisation=organisation)
        cells = []
        for grain in GRAINS:
            cells += _cells(responses, organisation=organisation, questions=questions, grain=grain)
        _store(cells, using=database_alias)
        return len(cells)


def _statistics_refresh(*, using: str) -> None:
    """PostgreSQL: fresh planner statistics for the tables a rebuild reads. A rebuild usually follows a
    bulk load (demo, import, restore) that autovacuum has not analysed yet; with no statistics the
    planner estimates one row everywhere and nests loops over the whole tables (minutes, not seconds)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = [Response._meta.db_table, DimensionScore._meta.db_table, Questionnaire._meta.db_table]
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")  # noqa: S608 - model table names
    except DatabaseError:  # not the tables' owner: the planner keeps what autovacuum gave it
        logger.warning("could not analyse %s before the rollup rebuild", tables)


def _lock_against_writers(*, using: str) -> None:
    """PostgreSQL: wait for transactions appending entries to finish and keep new ones out until commit.
    SHARE ROW EXCLUSIVE conflicts with every insert and delete and with itself, not with readers."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return  # SQLite writes one transaction at a time anyway
    tables = f"{ResponseRollup._meta.db_table}, {DimensionRollup._meta.db_table}"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")  # noqa: S608 - model table names


def _cell_lookup(cell: dict) -> dict:
    """Filter arguments matching one cell exactly, a missing unit or touchpoint included."""
    return {
        f"{name}__isnull" if value is None else name: True if value is None else value for name, value in cell.items()
    }


def response_rollup_refresh(*, response: Response) -> None:
    """Recompute the month and the day cell of one submitted customer response (in the caller's transaction)."""
    if response.status != Response.Status.SUBMITTED or response.respondent_role != RespondentRole.CUSTOMER:
        return
    if response.submitted_at is None:
        return
    using = response._state.db or "default"
    organisation = Organisation.objects.using(using).get(pk=response.organisation_id)
    day = response.submitted_at.astimezone(ZoneInfo(organisation.time_zone)).date()
    cell = {name: getattr(response, name) for name in CELL_FIELDS}
    lookup = _cell_lookup(cell)
    in_cell = customer_submitted(organisation_id=organisation.pk, using=using).filter(**lookup)
    questions = Question.objects.using(using).filter(questionnaire_id=response.questionnaire_id)
    with transaction.atomic(using=using):
        _lock_against_writers(using=using)
        for grain, first, stored in (("month", day.replace(day=1), None), ("day", day, day)):
            responses = _within(in_cell, first=first, last=first, time_zone=organisation.time_zone, grain=grain)
            ResponseRollup.objects.using(using).filter(
                organisation=organisation, month=first.replace(day=1), **_cell_lookup({"day": stored}), **lookup
            ).delete()
            cells = _cells(responses, organisation=organisation, questions=questions, grain=grain)
            _store(cells, using=using)


# Counting one new response: its own entries, computed from its scores without reading the database.


@dataclass(frozen=True)
class CountingRules:
    """What a questionnaire version decides about counting: the top of its CSAT scale (CSAT's top two
    boxes count as satisfied) and which of its dimensions are ethos, pathos and logos."""

    csat_high: int | None
    rhetoric_ids: frozenset[int]
    customer_feedback: bool = True  # a pulse questionnaire (not a 360 or maturity one): the dashboard counts it


def counting_rules_of(questions: Iterable[Question], *, customer_feedback: bool) -> CountingRules:
    """The rules of a questionnaire version's questions (items and their dimensions prefetched)."""
    scored = [(q, q.item.dimensions.all()) for q in questions if q.item is not None]
    highs = [q.scale_max for q, dimensions in scored if any(d.code == "csat" for d in dimensions)]
    rhetoric = {d.pk for _q, dimensions in scored for d in dimensions if d.group == Dimension.Group.RHETORIC}
    return CountingRules(
        csat_high=min(highs, default=None), rhetoric_ids=frozenset(rhetoric), customer_feedback=customer_feedback
    )


def _counts(condition: bool) -> int:
    return 1 if condition else 0


def response_entries(
    *, response: Response, scores: ResponseScores, rules: CountingRules, time_zone: str
) -> list[tuple[ResponseRollup, list[DimensionRollup]]]:
    """The month entry and the day entry of one submitted customer response (unsaved), with the same
    statistics `_cells` would aggregate for it; none for a response the dashboard does not count."""
    if not rules.customer_feedback:
        return []
    if response.status != Response.Status.SUBMITTED or response.respondent_role != RespondentRole.CUSTOMER:
        return []
    day = response.submitted_at.astimezone(ZoneInfo(time_zone)).date()
    nps, csat, ces, eqi = scores.nps, scores.csat, scores.ces, scores.eqi
    rhetoric = [s.score for d, s in scores.dimension_scores.items() if d in rules.rhetoric_ids]
    spread = max(rhetoric) - min(rhetoric) if len(rhetoric) == RHETORIC_COUNT else None
    figures = {
        "responses": 1,
        "promoters": _counts(nps is not None and nps >= 9),
        "passives": _counts(nps is not None and 7 <= nps <= 8),
        "detractors": _counts(nps is not None and nps <= 6),
        "csat_n": _counts(csat is not None),
        "csat_top": _counts(csat is not None and rules.csat_high is not None and csat >= rules.csat_high - 1),
        "ces_n": _counts(ces is not None),
        "ces_sum": ces or 0,
        "ces_sq": (ces or 0) ** 2,
        "ces_easy": _counts(ces is not None and ces >= CES_EASY_FROM),
        "eqi_n": _counts(eqi is not None),
        "eqi_sum": eqi or 0.0,
        "eqi_sq": (eqi or 0.0) ** 2,
        "balance_n": _counts(spread is not None),
        "balance_sum": spread or 0.0,
        "balance_sq": (spread or 0.0) ** 2,
    }
    entries = []
    for stored_day in (None, day):
        entry = ResponseRollup(
            organisation_id=response.organisation_id,
            month=day.replace(day=1),
            day=stored_day,
            **{name: getattr(response, name) for name in CELL_FIELDS},
            **figures,
        )
        dimensions = [
            DimensionRollup(
                organisation_id=response.organisation_id, dimension_id=d, n=1, total=s.score, total_sq=s.score**2
            )
            for d, s in sorted(scores.dimension_scores.items())
        ]
        entries.append((entry, dimensions))
    return entries


def response_rollup_count(
    *, response: Response, scores: ResponseScores, rules: CountingRules, time_zone: str | None = None
) -> None:
    """Count a response that was just submitted: append its entries in the caller's transaction."""
    if _deferred.get():
        return  # a bulk writer rebuilds the rollup when it finishes
    using = response._state.db or "default"
    if time_zone is None:
        organisations = Organisation.objects.using(using)
        time_zone = organisations.values_list("time_zone", flat=True).get(pk=response.organisation_id)
    _store(response_entries(response=response, scores=scores, rules=rules, time_zone=time_zone), using=using)


def response_rollup_count_many(*, organisation: Organisation, responses: QuerySet[Response]) -> int:
    """Count a set of newly stored responses (a bulk import) by aggregating them in the database."""
    questions = Question.objects.using(responses.db).filter(questionnaire__organisation=organisation)
    cells = []
    for grain in GRAINS:
        cells += _cells(responses, organisation=organisation, questions=questions, grain=grain)
    _store(cells, using=responses.db)
    return len(cells)


# Compaction: one row per cell again.

_KEY = ("organisation_id", "month", "day", "unit_id", "channel", "touchpoint_id", "questionnaire_id")
_FIGURES = tuple(f.column for f in ResponseRollup._meta.concrete_fields if f.column not in {"id", *_KEY})
COMPACT_CHUNK = 5000


def _delete_returning(cursor, table: str, column: str, ids: list[int], returning: tuple[str, ...]) -> list[tuple]:
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"DELETE FROM {table} WHERE {column} IN ({marks}) RETURNING {', '.join(returning)}",  # noqa: S608
        ids,
    )
    return cursor.fetchall()


def _merge_chunk(*, ids: list[int], using: str) -> int:
    """Replace these rows by one row per cell holding their sums. Sums only what this transaction itself
    deleted, so a concurrent compaction of the same rows cannot count them twice."""
    # Cells before their dimension rows, as every writer takes the two tables (no lock-order deadlock);
    # the foreign key is checked at commit, when both are gone.
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cell_rows = _delete_returning(cursor, ResponseRollup._meta.db_table, "id", ids, ("id", *_KEY, *_FIGURES))
        dimension_columns = ("cell_id", "dimension_id", "n", "total", "total_sq")
        dimension_rows = _delete_returning(cursor, DimensionRollup._meta.db_table, "cell_id", ids, dimension_columns)
        key_of, merged = {}, {}
        for row in cell_rows:
            key = row[1 : 1 + len(_KEY)]
            key_of[row[0]] = key
            figures = merged.setdefault(key, [0] * len(_FIGURES))
            for i, value in enumerate(row[1 + len(_KEY) :]):
                figures[i] += value
        dimension_sums = defaultdict(lambda: defaultdict(lambda: [0, 0.0, 0.0]))  # cell key -> dimension -> sums
        for cell_id, dimension_id, n, total, total_sq in dimension_rows:
            if cell_id in key_of:
                sums = dimension_sums[key_of[cell_id]][dimension_id]
                sums[0], sums[1], sums[2] = sums[0] + n, sums[1] + total, sums[2] + total_sq
        cells = []
        for key, figures in merged.items():
            fields = dict(zip(_KEY, key, strict=True)) | dict(zip(_FIGURES, figures, strict=True))
            dimensions = [
                DimensionRollup(organisation_id=key[0], dimension_id=d, n=n, total=t, total_sq=q)
                for d, (n, t, q) in sorted(dimension_sums[key].items())
            ]
            cells.append((ResponseRollup(**_period_dates(fields)), dimensions))
        _store(cells, using=using)
    return len(cell_rows) - len(cells)


def _period_dates(fields: dict) -> dict:
    """SQLite's cursor returns dates as text; the model wants dates."""
    for name in ("month", "day"):
        if isinstance(fields[name], str):
            fields[name] = date.fromisoformat(fields[name])
    return fields


def response_rollup_compact(*, organisation: Organisation | None = None, using: str = "default") -> int:
    """Merge the entries of every cell that has more than one row; returns how many rows went."""
    rows = ResponseRollup.objects.using(using)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    # One query: the rows whose cell has others, ordered so that a cell's rows are adjacent.
    crowded = (
        rows.annotate(entries=Window(Count("pk"), partition_by=[F(name) for name in _KEY]))
        .filter(entries__gt=1)
        .order_by(*_KEY, "pk")  # the columns themselves, not the related models' orderings
        .values_list("pk", *_KEY)
    )
    removed, ids = 0, []
    for _cell, entries in groupby(list(crowded), key=lambda row: row[1:]):
        ids += [row[0] for row in entries]
        if len(ids) >= COMPACT_CHUNK:  # chunks end between cells: each cell merges in one piece
            removed += _merge_chunk(ids=ids, using=using)
            ids = []
    if ids:
        removed += _merge_chunk(ids=ids, using=using)
    return removed


# Saves that can change what a submitted response counts for. Every submit path scores the response
# after marking it submitted, so the scoring save (nps, csat, ces, eqi) is the one that refreshes.
RELEVANT_FIELDS = frozenset({"eqi", "nps", "csat", "ces", "respondent_role", *CELL_FIELDS})


_deferred = contextvars.ContextVar("rollup_refresh_deferred", default=False)


@contextmanager
def rollup_refresh_deferred():
    """For bulk writers (the demo seed): no per-response refresh; call response_rollup_rebuild afterwards."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def on_response_saved(sender, instance: Response, created: bool, update_fields=None, **kwargs) -> None:
    """post_save receiver: a scored or re-tagged submitted response refreshes its cell."""
    if created or kwargs.get("raw") or _deferred.get():
        return  # scoring saves the response again once its answers are in
    if update_fields is not None:
        names = set(update_fields) | {f"{name}_id" for name in update_fields}
        if not RELEVANT_FIELDS & names:
            return
    response_rollup_refresh(response=instance)
