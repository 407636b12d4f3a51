"""Analytics snapshots of one organisation as Parquet, for DuckDB on one machine or Spark/Dask elsewhere.

`organisation_snapshot_write(organisation=..., directory=...)` writes, under `directory`:

- responses/organisation_id=<id>/month=<YYYY-MM-01>/*.parquet — every submitted response with its
  tags (unit and its path, person id, channel, touchpoint, questionnaire, role, language), its figures
  (nps, csat, ces, eqi) and the flags that carry the metric definitions: `nps_valid` (asked on 0–10),
  `csat_valid` / `csat_top` (top two boxes of the questionnaire's own scale), `ces_valid` (asked on 1–7);
- dimension_scores/organisation_id=<id>/month=<YYYY-MM-01>/*.parquet — each response's dimension
  scores (code, group, mean on the item scale, 0–100 score) with the same tags and its submitted_at;
- units.parquet and touchpoints.parquet — the unit tree (id, parent, path, kind, name) and touchpoints.

Months are cut in the organisation's time zone (column `month`, the partition key with the
organisation). No personal data leaves: no names or e-mails of people or customers, no comments,
no customer ids; a person appears only as the pseudonymous `subject_person_id`.

Rows leave the database as CSV (PostgreSQL: COPY ... TO STDOUT; SQLite: the cursor) into a temporary
file, and DuckDB turns them into Parquet with zstd compression.
"""

import csv
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from django.db import connections
from django.db.models import Case, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Trunc

from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Organisation, Touchpoint, Unit

NPS_SCALE = (0, 10)
CES_SCALE = (1, 7)
CES_EASY_FROM = 5


@dataclass
class SnapshotReport:
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _scale_ids(organisation: Organisation, code: str, scale: tuple[int, int] | None = None) -> list[int]:
    qs = Question.objects.filter(questionnaire__organisation=organisation, item__dimensions__code=code)
    if scale is not None:
        qs = qs.filter(scale_min=scale[0], scale_max=scale[1])
    return sorted(set(qs.values_list("questionnaire_id", flat=True)))


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _csat_top(organisation: Organisation) -> Q:
    top = Q(pk__isnull=True)
    rows = (
        Question.objects.filter(questionnaire__organisation=organisation, item__dimensions__code="csat")
        .values_list("questionnaire_id", "scale_max")
        .distinct()
    )
    for questionnaire_id, high in rows:
        top |= Q(questionnaire_id=questionnaire_id, csat__gte=high - 1)
    return top


def _month(prefix: str, organisation: Organisation):
    return Trunc(
        f"{prefix}submitted_at", "month", output_field=DateTimeField(), tzinfo=ZoneInfo(organisation.time_zone)
    )


TAGS = (
    "organisation_id",
    "unit_id",
    "subject_person_id",
    "channel",
    "touchpoint_id",
    "questionnaire_id",
    "respondent_role",
    "language",
)


def responses_rows(*, organisation: Organisation) -> QuerySet:
    """The responses part of the snapshot, as a values() queryset (the column order is the file's)."""
    return (
        Response.objects.filter(organisation=organisation, status=Response.Status.SUBMITTED)
        .annotate(
            month_start=_month("", organisation),
            unit_path=F("unit__path"),
            nps_valid=_flag(Q(questionnaire_id__in=_scale_ids(organisation, "nps", NPS_SCALE), nps__isnull=False)),
            csat_valid=_flag(Q(questionnaire_id__in=_scale_ids(organisation, "csat"), csat__isnull=False)),
            csat_top=_flag(_csat_top(organisation)),
            ces_valid=_flag(Q(questionnaire_id__in=_scale_ids(organisation, "ces", CES_SCALE), ces__isnull=False)),
            commented=_flag(Q(has_comment=True)),
        )
        .values_list(
            "id",
            *TAGS,
            "unit_path",
            "month_start",
            "submitted_at",
            "nps",
            "csat",
            "ces",
            "eqi",
            "commented",
            "nps_valid",
            "csat_valid",
            "csat_top",
            "ces_valid",
        )
        .order_by("id")
    )


def dimension_rows(*, organisation: Organisation) -> QuerySet:
    return (
        DimensionScore.objects.filter(organisation=organisation, response__status=Response.Status.SUBMITTED)
        .annotate(month_start=_month("response__", organisation), dimension_code=F("dimension__code"))
        .values_list(
            "response_id",
            *(f"response__{tag}" for tag in TAGS),
            "response__unit__path",
            "month_start",
            "response__submitted_at",
            "dimension_code",
            "dimension__group",
            "mean",
            "score",
            "items_answered",
        )
        .order_by("response_id")
    )


RESPONSE_COLUMNS = {
    "response_id": "BIGINT",
    "organisation_id": "BIGINT",
    "unit_id": "BIGINT",
    "subject_person_id": "BIGINT",
    "channel": "VARCHAR",
    "touchpoint_id": "BIGINT",
    "questionnaire_id": "BIGINT",
    "respondent_role": "VARCHAR",
    "language": "VARCHAR",
    "unit_path": "VARCHAR",
    "month_start": "VARCHAR",
    "submitted_at": "VARCHAR",
    "nps": "SMALLINT",
    "csat": "SMALLINT",
    "ces": "SMALLINT",
    "eqi": "DOUBLE",
    "has_comment": "TINYINT",
    "nps_valid": "TINYINT",
    "csat_valid": "TINYINT",
    "csat_top": "TINYINT",
    "ces_valid": "TINYINT",
}
DIMENSION_COLUMNS = {
    "response_id": "BIGINT",
    **{tag: RESPONSE_COLUMNS[tag] for tag in TAGS},
    "unit_path": "VARCHAR",
    "month_start": "VARCHAR",
    "submitted_at": "VARCHAR",
    "dimension": "VARCHAR",
    "dimension_group": "VARCHAR",
    "mean": "DOUBLE",
    "score": "DOUBLE",
    "items_answered": "SMALLINT",
}


def _csv_export(qs: QuerySet, path: Path) -> int:
    """The queryset's rows as headerless CSV; COPY on PostgreSQL, the cursor on SQLite."""
    connection = connections[qs.db]
    sql, params = qs.query.sql_with_params()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as raw, path.open("wb") as out:
            with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for block in copy:
                    out.write(block)
            return raw.rowcount
    count = 0
    with connection.cursor() as cursor, path.open("w", newline="") as out:
        writer = csv.writer(out)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)
            count += len(rows)
    return count


def _parquet(con, *, csv_path: Path, columns: dict, target: Path, select: str) -> None:
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    con.execute(
        f"""COPY (SELECT {select} FROM read_csv('{csv_path}', header=false, columns={spec}, nullstr=''))
        TO '{target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (organisation_id, month), OVERWRITE_OR_IGNORE)"""  # noqa: S608
    )


# Instants as UTC timestamps; the month partition as a date (both backends write them as text).
MONTH = "CAST(substr(month_start, 1, 10) AS DATE) AS month"
SUBMITTED = "CAST(substr(submitted_at, 1, 19) AS TIMESTAMP) AS submitted_at"


def organisation_snapshot_write(*, organisation: Organisation, directory: Path) -> SnapshotReport:
    """Write the organisation's analytics snapshot under `directory` (its partitions are replaced)."""
    started = time.perf_counter()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    report = SnapshotReport(directory=directory)
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="kohtaamo-snapshot-") as scratch:
        scratch = Path(scratch)
        parts = (
            ("responses", responses_rows(organisation=organisation), RESPONSE_COLUMNS),
            ("dimension_scores", dimension_rows(organisation=organisation), DIMENSION_COLUMNS),
        )
        for name, qs, columns in parts:
            csv_path = scratch / f"{name}.csv"
            report.rows[name] = _csv_export(qs, csv_path)
            target = directory / name / f"organisation_id={organisation.pk}"
            shutil.rmtree(target, ignore_errors=True)
            others = [c for c in columns if c not in ("month_start", "submitted_at")]
            select = ", ".join([*others, MONTH, SUBMITTED])
            _parquet(con, csv_path=csv_path, columns=columns, target=directory / name, select=select)
        report.rows["units"] = _small_table(
            con,
            Unit.objects.filter(organisation=organisation).values_list("id", "parent_id", "path", "kind", "name"),
            ("id BIGINT", "parent_id BIGINT", "path VARCHAR", "kind VARCHAR", "name VARCHAR"),
            directory / f"units-{organisation.pk}.parquet",
        )
        report.rows["touchpoints"] = _small_table(
            con,
            Touchpoint.objects.filter(organisation=organisation).values_list("id", "name", "channel", "owner_unit_id"),
            ("id BIGINT", "name VARCHAR", "channel VARCHAR", "owner_unit_id BIGINT"),
            directory / f"touchpoints-{organisation.pk}.parquet",
        )
    con.close()
    report.seconds = time.perf_counter() - started
    return report


def _small_table(con, rows, columns: tuple[str, ...], target: Path) -> int:
    """A lookup table (a few hundred rows at most) written as one Parquet file."""
    rows = list(rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE lookup ({', '.join(columns)})")
    if rows:
        con.executemany(f"INSERT INTO lookup VALUES ({', '.join('?' * len(columns))})", rows)  # noqa: S608
    con.execute(f"COPY lookup TO '{target}' (FORMAT parquet)")
    return len(rows)
