"""Keeping the dashboard's rollup (models.py) equal to what the submitted responses say.

- Each response counts in two cells: its month's and its day's (models.py). Both are kept alike.
- `response_rollup_rebuild` recomputes an organisation's cells (all, or some months) from the responses;
  the `rollup_rebuild` command runs it. Bulk loads that bypass model saves call it when they finish.
- Every scored submit refreshes its own two cells in the submit transaction (`response_rollup_refresh`,
  connected in apps.py). A refresh recomputes the whole cell from the responses rather than adding
  to it, so scoring a response twice never counts it twice; on PostgreSQL a transaction-scoped
  advisory lock per cell makes concurrent submits to one cell recompute one after the other, each
  seeing the ones committed before it.
- Deleting responses, or moving a submitted response to another unit or month with a queryset
  update, leaves cells stale until the next rebuild.
"""

import contextvars
import zlib
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import connections, transaction
from django.db.models import Count, DateTimeField, F, Q, QuerySet, Sum
from django.db.models.functions import Trunc

from kohtaamo.feedback.models import DimensionScore, RespondentRole, Response
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Organisation

from .models import DimensionRollup, ResponseRollup
from .periods import day_start

CELL_FIELDS = ("unit_id", "channel", "touchpoint_id", "questionnaire_id")
CES_EASY_FROM = 5
GRAINS = ("month", "day")  # a month cell (day empty) and a day cell per response


def customer_submitted(*, organisation_id: int, using: str = "default") -> QuerySet[Response]:
    """What the dashboard reads: submitted customer responses (the rollup's source)."""
    return Response.objects.using(using).filter(
        organisation_id=organisation_id, status=Response.Status.SUBMITTED, respondent_role=RespondentRole.CUSTOMER
    )


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


def _cell_lock(*, using: str, organisation_id: int, key: tuple) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return  # SQLite writes one transaction at a time anyway
    digest = zlib.crc32(repr(key).encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [organisation_id, digest])


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
        for grain, first, stored in (("month", day.replace(day=1), None), ("day", day, day)):
            _cell_lock(using=using, organisation_id=organisation.pk, key=(grain, first, *cell.values()))
            responses = _within(in_cell, first=first, last=first, time_zone=organisation.time_zone, grain=grain)
            ResponseRollup.objects.using(using).filter(
                organisation=organisation, month=first.replace(day=1), **_cell_lookup({"day": stored}), **lookup
            ).delete()
            cells = _cells(responses, organisation=organisation, questions=questions, grain=grain)
            _store(cells, using=using)


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
