"""The dashboard's reads over a synthetic organisation, beside DuckDB over a Parquet export of the same data.

For each case the dashboard's own selectors run as the dashboard view calls them (metric basis, the
figures, the trend by month, the breakdown by unit; for one person no breakdown), through the
rollup where it applies and the responses elsewhere. The baseline is a hand-written DuckDB query
computing the same sufficient statistics (counts, sums, sums of squares: NPS, CSAT, CES, EQI and
every dimension, overall, per month and per child unit) over the snapshot written in the same run.

Cold = the first run on a new database connection (new DuckDB connection); warm = the median of
--runs further runs. The raw path (the rollup switched off) is timed for the org-wide case too.

Run: .venv/bin/python benchmarks/bench_dashboard.py            # small scale (~50k answers), SQLite unless
     KOHTAAMO_DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_dashboard.py --full  # or --scale medium
     add --organisation SLUG to reuse an organisation synthesised before (e.g. by synthesise_organisation)
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamo.settings")
SCRATCH = "KOHTAAMO_DATABASE_URL" not in os.environ
if SCRATCH:
    scratch = Path(tempfile.mkdtemp(prefix="bench-dashboard-", dir="/tmp")) / "bench.sqlite3"
    os.environ["KOHTAAMO_DATABASE_URL"] = f"sqlite:///{scratch}"

import django  # noqa: E402
import django.apps  # noqa: E402

django.setup()

import duckdb  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from kohtaamo.analytics import selectors  # noqa: E402
from kohtaamo.analytics.periods import day_start  # noqa: E402
from kohtaamo.analytics.snapshots import organisation_snapshot_write  # noqa: E402
from kohtaamo.analytics.synthetic import organisation_synthesise  # noqa: E402
from kohtaamo.organisations.models import Organisation, Person, Unit  # noqa: E402
from kohtaamo.organisations.selectors import scope_from_organisation  # noqa: E402


@dataclass
class Case:
    name: str
    filters: selectors.DashboardFilter
    breakdown: bool  # the person page shows no unit breakdown
    anchor: Unit  # whose children the breakdown lists


def dashboard_reads(scope, case: Case):
    """What the dashboard view reads for these filters (views.dashboard / views.person)."""
    basis = selectors.metric_basis(organisation=scope.organisation)
    figures = selectors.overview(scope=scope, filters=case.filters, basis=basis)
    points = selectors.trend(scope=scope, filters=case.filters, basis=basis)
    rows = selectors.breakdown(scope=scope, filters=case.filters, by="unit", basis=basis) if case.breakdown else None
    return figures, points, rows


def timed(function, runs: int, *, fresh) -> tuple[float, float, object]:
    """(cold seconds, warm median seconds, last result)."""
    fresh()
    started = time.perf_counter()
    result = function()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm) if warm else cold, result


RESPONSE_STATS = """
count(*) AS responses,
count(*) FILTER (WHERE nps_valid = 1 AND nps >= 9) AS promoters,
count(*) FILTER (WHERE nps_valid = 1 AND nps BETWEEN 7 AND 8) AS passives,
count(*) FILTER (WHERE nps_valid = 1 AND nps <= 6) AS detractors,
count(*) FILTER (WHERE csat_valid = 1) AS csat_n, count(*) FILTER (WHERE csat_top = 1) AS csat_hits,
count(*) FILTER (WHERE ces_valid = 1) AS ces_n, sum(ces) FILTER (WHERE ces_valid = 1) AS ces_sum,
sum(ces * ces) FILTER (WHERE ces_valid = 1) AS ces_sq, count(*) FILTER (WHERE ces_valid = 1 AND ces >= 5) AS ces_easy,
count(eqi) AS eqi_n, sum(eqi) AS eqi_sum, sum(eqi * eqi) AS eqi_sq
"""


def duckdb_reads(con, root: Path, organisation: Organisation, case: Case, depth: int):
    """The same statistics by hand: one grouping-sets query over responses, one over dimension scores."""
    tz = organisation.time_zone
    where = [f"organisation_id = {organisation.pk}", "respondent_role = 'customer'"]
    if case.filters.start:
        where.append(f"month >= DATE '{case.filters.start.replace(day=1)}'")  # partition pruning
        where.append(f"submitted_at >= TIMESTAMP '{utc(day_start(case.filters.start, tz))}'")
    if case.filters.end:
        where.append(f"month <= DATE '{case.filters.end.replace(day=1)}'")
        where.append(f"submitted_at < TIMESTAMP '{utc(day_start(case.filters.end + timedelta(days=1), tz))}'")
    if case.filters.unit is not None:
        where.append(f"starts_with(unit_path, '{case.filters.unit.path}')")
    if case.filters.person is not None:
        where.append(f"subject_person_id = {case.filters.person.pk}")
    condition = " AND ".join(where)
    child = f"split_part(unit_path, '/', {depth + 3})" if case.breakdown else "NULL"
    sets = f"(), (month), ({child})" if case.breakdown else "(), (month)"
    responses = f"read_parquet('{root}/responses/*/*/*.parquet', hive_partitioning = true)"
    scores = f"read_parquet('{root}/dimension_scores/*/*/*.parquet', hive_partitioning = true)"
    response_sql = (
        f"SELECT month, {child} AS child, {RESPONSE_STATS} FROM {responses} "  # noqa: S608 - generated here
        f"WHERE {condition} GROUP BY GROUPING SETS ({sets})"
    )
    score_sets = "(dimension), (month, dimension)" + (f", ({child}, dimension)" if case.breakdown else "")
    score_sql = (
        f"SELECT month, {child} AS child, dimension, count(*) AS n, sum(score) AS total, "  # noqa: S608
        f"sum(score * score) AS total_sq FROM {scores} WHERE {condition} AND dimension IN {DIMENSIONS} "
        f"GROUP BY GROUPING SETS ({score_sets})"
    )
    return con.execute(response_sql).fetchall(), con.execute(score_sql).fetchall()


DIMENSIONS = "('listening', 'expertise', 'value', 'trust', 'solution', 'ethos', 'pathos', 'logos')"


def utc(instant) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def time_case(case: Case, *, scope, root: Path, runs: int) -> str:
    """One line of the table: the dashboard's reads and the DuckDB baseline, cold and warm."""
    with CaptureQueriesContext(connection) as queries:
        dashboard_reads(scope, case)
    cold, warm, (figures, _points, _rows) = timed(lambda: dashboard_reads(scope, case), runs, fresh=connection.close)
    holder = {}

    def fresh_duckdb():
        holder["con"] = duckdb.connect()

    organisation = scope.organisation
    d_cold, d_warm, (response_rows, _scores) = timed(
        lambda: duckdb_reads(holder["con"], root, organisation, case, case.anchor.depth), runs, fresh=fresh_duckdb
    )
    overall = next(row for row in response_rows if row[0] is None and row[1] is None)
    # The baseline computes the same figures: its NPS equals the dashboard's.
    promoters, passives, detractors = overall[3], overall[4], overall[5]
    n = promoters + passives + detractors
    assert n == figures["nps"].n, (case.name, n, figures["nps"].n)
    if n:
        nps = 100 * (promoters - detractors) / n
        assert abs(nps - figures["nps"].value) < 1e-9, (case.name, nps, figures["nps"].value)
    return (
        f"{case.name:36} {len(queries):>7} {cold * 1000:>9.0f} {warm * 1000:>9.0f} {d_cold * 1000:>12.0f} "
        f"{d_warm * 1000:>11.0f} {warm / d_warm:>6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="10 M answers (the same as --scale full)")
    parser.add_argument("--scale", choices=["small", "medium", "full"], default="small", help="small ~50k, medium ~1 M")
    parser.add_argument("--organisation", help="reuse this synthesised organisation (slug) instead of generating")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="warm runs per case (the median is reported)")
    parser.add_argument("--raw-runs", type=int, default=None, help="warm runs of the raw path (default 3, full 0)")
    parser.add_argument("--snapshot-dir", type=Path, help="where the Parquet export goes (default: a temp dir)")
    args = parser.parse_args()
    args.full = args.full or args.scale == "full"
    translation.activate("en")
    vendor = connection.vendor
    print(f"database: {vendor} ({settings.DATABASES['default']['NAME']})")
    if args.organisation:
        organisation = Organisation.objects.get(slug=args.organisation)
    else:
        if SCRATCH:
            # A scratch database gets its tables straight from the models (seconds, not a minute of migrations).
            settings.MIGRATION_MODULES = {app.label: None for app in django.apps.apps.get_app_configs()}
            call_command("migrate", run_syncdb=True, verbosity=0)
        report = organisation_synthesise(
            seed=args.seed, scale="full" if args.full else args.scale, slug=f"bench-{args.seed}-{int(time.time())}"
        )
        print(
            f"synthesised {report.slug}: "
            + ", ".join(f"{k} {v:,}" for k, v in report.counts.items())
            + f" — {report.rows:,} rows in {report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s)"
        )
        organisation = Organisation.objects.get(pk=report.organisation_id)
    root = args.snapshot_dir or Path(tempfile.mkdtemp(prefix="bench-dashboard-parquet-", dir="/tmp"))
    snapshot = organisation_snapshot_write(organisation=organisation, directory=root)
    print(f"Parquet snapshot: {snapshot.rows} in {snapshot.seconds:.1f} s -> {root}")

    scope = scope_from_organisation(organisation=organisation)
    tz = ZoneInfo(organisation.time_zone)
    today = timezone.localdate(timezone=tz)
    last = selectors.customer_responses(scope=scope, filters=selectors.DashboardFilter()).latest("submitted_at")
    last_month = timezone.localdate(last.submitted_at, timezone=tz).replace(day=1)
    year_start = date(last_month.year - 1, last_month.month, 1)
    year_end = last_month - timedelta(days=1)
    whole_year = selectors.DashboardFilter(start=year_start, end=year_end)
    root_unit = Unit.objects.get(organisation=organisation, parent__isnull=True)
    region = Unit.objects.filter(organisation=organisation, parent=root_unit).order_by("pk").first()
    person = Person.objects.filter(organisation=organisation).order_by("pk")[1]
    days_365 = selectors.DashboardFilter(start=today - timedelta(days=364), end=today)
    cases = [
        Case("org-wide, all months", selectors.DashboardFilter(), True, root_unit),
        Case("org-wide, last 12 whole months", whole_year, True, root_unit),
        Case("org-wide, last 365 days (default)", days_365, True, root_unit),
        Case(
            "one region's subtree, 12 months",
            selectors.DashboardFilter(unit=region, start=year_start, end=year_end),
            True,
            region,
        ),
        Case(
            "one person, 12 months",
            selectors.DashboardFilter(person=person, start=year_start, end=year_end),
            False,
            root_unit,
        ),
    ]

    header = f"{'case':36} {'queries':>7} {'cold ms':>9} {'warm p50':>9} {'duckdb cold':>12} {'duckdb p50':>11}"
    print(f"\n{header} {'ratio':>6}")
    for case in cases:
        print(time_case(case, scope=scope, root=root, runs=args.runs))
    # The raw path takes seconds to minutes at full scale: there, one cold run of one case.
    raw_runs = args.raw_runs if args.raw_runs is not None else (0 if args.full else 3)
    settings.KOHTAAMO_ANALYTICS_ROLLUP = False
    for case in cases[1:2] if args.full else cases[:2]:
        cold, warm, _ = timed(lambda c=case: dashboard_reads(scope, c), raw_runs, fresh=connection.close)
        print(f"{'raw path: ' + case.name:46} {cold * 1000:>9.0f} {warm * 1000:>9.0f}")
    settings.KOHTAAMO_ANALYTICS_ROLLUP = True


if __name__ == "__main__":
    main()
