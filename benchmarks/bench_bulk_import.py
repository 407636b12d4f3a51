"""Bulk CSV import of responses (kohtaamo.feedback.bulk_import), beside a raw COPY of the same file.

A CSV of N complete pulse responses (12 scale answers with ~10 % left empty, a comment on every
fifth) is generated under /tmp; then it is imported through `responses_import_csv` (validation,
COPY into staging, set-based inserts of responses, answers and dimension scores scored in SQL) into
a scratch PostgreSQL database. The baseline, in the same run: COPY of the same file, as it is, into
a plain table of text columns (no validation, no indexes, no scoring).

Needs KOHTAAMO_DATABASE_URL=postgres://...; on anything else it says so and exits 0.

Run: .venv/bin/python benchmarks/bench_bulk_import.py [--full] [--rows N]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import scratch_database  # noqa: E402


def csv_write(path: Path, *, questions: list[tuple[str, int, int]], rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    header = ["submitted_at", "language"] + [code for code, _low, _high in questions]
    languages = ("fi", "fi", "fi", "sv", "en")
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for i in range(rows):
            cells = [f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{8 + i % 10:02d}:{i % 60:02d}", languages[i % 5]]
            for _code, low, high in questions:
                if high == 0:
                    cells.append("Ystävällistä palvelua" if i % 5 == 0 else "")
                else:
                    cells.append("" if rng.random() < 0.1 else str(rng.randint(low, high)))
            out.write(",".join(cells) + "\n")


def raw_copy_seconds(path: Path, columns: int) -> float:
    from django.db import connection

    names = ", ".join(f"c{i} text" for i in range(columns))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_raw_csv; CREATE TABLE bench_raw_csv ({names})")  # noqa: S608
        started = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.copy("COPY bench_raw_csv FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while block := source.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_csv")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 responses")
    parser.add_argument("--rows", type=int, default=None)
    args = parser.parse_args()
    rows = args.rows or (1_000_000 if args.full else 10_000)

    url = os.environ.get("KOHTAAMO_DATABASE_URL", "")
    if urlparse(url).scheme not in ("postgres", "postgresql"):
        print("bench_bulk_import: KOHTAAMO_DATABASE_URL is not a postgres:// URL; this benchmark needs PostgreSQL.")
        return
    os.environ["KOHTAAMO_DATABASE_URL"] = scratch_database(
        url, f"{urlparse(url).path.lstrip('/') or 'kohtaamo'}_bench_bulk"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamo.settings")
    import django

    django.setup()
    from kohtaamo.feedback.bulk_import import responses_import_csv
    from kohtaamo.feedback.ingest import questionnaire_shape
    from kohtaamo.feedback.models import Answer, DimensionScore, Response
    from kohtaamo.feedback.services import pulse_programme_ensure
    from kohtaamo.organisations.models import Organisation, Unit

    organisation = Organisation.objects.create(name="Bench", slug="bench")
    Unit.objects.create(organisation=organisation, name="Bench", kind=Unit.Kind.ORGANISATION)
    programme = pulse_programme_ensure(organisation=organisation)
    shape = questionnaire_shape(questionnaire_id=programme.questionnaire_id)
    questions = [(q.item.code, q.scale_min, q.scale_max) if q.item else (str(q.pk), 0, 0) for q in shape.questions]

    with tempfile.TemporaryDirectory(prefix="bench-bulk-", dir="/tmp") as folder:
        path = Path(folder) / "responses.csv"
        started = time.perf_counter()
        csv_write(path, questions=questions, rows=rows)
        print(f"generated {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")

        baseline = raw_copy_seconds(path, len(questions) + 2)
        started = time.perf_counter()
        with path.open("rb") as handle:
            result = responses_import_csv(organisation=organisation, file=handle)
        elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    answers = Answer.objects.filter(organisation=organisation).count()
    scores = DimensionScore.objects.filter(organisation=organisation).count()
    print(
        f"import: {result.imported:,} responses ({answers:,} answers, {scores:,} dimension scores) in {elapsed:.1f} s"
    )
    print(f"  {result.imported / elapsed:,.0f} responses/s")
    print(
        f"baseline: raw COPY of the same CSV into a plain text table: {baseline:.1f} s ({rows / baseline:,.0f} rows/s)"
    )
    print(f"import time / raw COPY time: {elapsed / baseline:.1f}x")
    assert Response.objects.filter(organisation=organisation).count() == rows


if __name__ == "__main__":
    main()
