"""Exports of customers' responses and scores (CSV, XLSX, Parquet) within the login's scope.

Only customer pulse responses are exported: 360, mystery-shopping and maturity answers follow their
own anonymity rules (DESIGN.md section 3) and never leave through here.
"""

import csv
import io
import tempfile
from pathlib import Path

from django.db.models import Count, OuterRef, Subquery

from kohtaamo.feedback.models import Answer, DimensionScore, Response
from kohtaamo.organisations.selectors import Scope, restrict

FORMATS = ("csv", "xlsx", "parquet")
BASE_COLUMNS = [
    "response_id",
    "submitted_at",
    "unit",
    "person",
    "touchpoint",
    "channel",
    "language",
    "nps",
    "csat",
    "ces",
    "eqi",
    "comment",
]


def export_rows(*, scope: Scope) -> tuple[list[str], list[list]]:
    """One row per submitted customer response with its dimension scores (0–100) as columns."""
    comment = (
        Answer.objects.filter(response=OuterRef("pk")).exclude(text="").order_by("question__order").values("text")[:1]
    )
    qs = (
        restrict(
            Response.objects.customer_feedback(),
            scope=scope,
            unit_field="unit",
            person_field="subject_person",
        )
        .annotate(comment=Subquery(comment))
        .order_by("submitted_at", "pk")
    )
    codes = list(
        DimensionScore.objects.filter(response__in=qs.values("pk"))
        .values_list("dimension__code", flat=True)
        .annotate(n=Count("pk"))
        .order_by("dimension__code")
    )
    scores: dict[int, dict[str, float]] = {}
    for response_id, code, score in DimensionScore.objects.filter(response__in=qs.values("pk")).values_list(
        "response_id", "dimension__code", "score"
    ):
        scores.setdefault(response_id, {})[code] = round(score, 2)
    rows = []
    for r in qs.values_list(
        "pk",
        "submitted_at",
        "unit__name",
        "subject_person__external_id",
        "touchpoint__name",
        "channel",
        "language",
        "nps",
        "csat",
        "ces",
        "eqi",
        "comment",
    ).iterator(chunk_size=2000):
        extra = scores.get(r[0], {})
        rows.append(
            [*r[:10], round(r[10], 2) if r[10] is not None else None, r[11] or "", *(extra.get(c) for c in codes)]
        )
    return BASE_COLUMNS + [f"score_{c}" for c in codes], rows


def export_csv(columns: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(columns: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(columns)
    for row in rows:
        sheet.append([v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_parquet(columns: list[str], rows: list[list]) -> bytes:
    """Parquet through DuckDB (no pyarrow needed): rows go in as CSV text, typed by DuckDB's sniffer."""
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "rows.csv"
        target = Path(folder) / "rows.parquet"
        source.write_bytes(export_csv(columns, rows).decode("utf-8-sig").encode())
        connection = duckdb.connect()
        try:
            connection.execute(
                f"COPY (SELECT * FROM read_csv_auto('{source}', header=true)) "  # noqa: S608 - our own temp paths
                f"TO '{target}' (FORMAT PARQUET)"
            )
        finally:
            connection.close()
        return target.read_bytes()


def export_bytes(*, scope: Scope, fmt: str) -> bytes:
    columns, rows = export_rows(scope=scope)
    return {"csv": export_csv, "xlsx": export_xlsx, "parquet": export_parquet}[fmt](columns, rows)
