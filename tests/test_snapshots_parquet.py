"""Parquet snapshots: read back with DuckDB they give the dashboard's figures, and carry no personal data."""

import io
from datetime import date

import duckdb
import pytest
from django.core.management import call_command

from kohtaamo.analytics import selectors
from kohtaamo.analytics.synthetic import organisation_synthesise
from kohtaamo.feedback.models import Answer
from kohtaamo.organisations.models import Organisation, Person
from kohtaamo.organisations.selectors import scope_from_organisation

END = date(2026, 1, 1)

NPS_SQL = """
SELECT 100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(*) AS nps, count(*) AS n
FROM read_parquet('{root}/responses/**/*.parquet', hive_partitioning = true)
WHERE respondent_role = 'customer' AND nps_valid = 1 {where}
"""


@pytest.fixture
def snapshot(db, tmp_path):
    report = organisation_synthesise(seed=41, scale="tiny", progress=False, end=END)
    organisation = Organisation.objects.get(pk=report.organisation_id)
    call_command("snapshot_parquet", str(tmp_path), organisation=organisation.slug, stdout=io.StringIO())
    return organisation, tmp_path, report


def test_duckdb_reads_the_same_nps_as_the_dashboard(snapshot):
    organisation, root, report = snapshot
    scope = scope_from_organisation(organisation=organisation)
    con = duckdb.connect()
    dashboard = selectors.overview(scope=scope, filters=selectors.DashboardFilter())
    nps, n = con.execute(NPS_SQL.format(root=root, where="")).fetchone()
    assert n == dashboard["nps"].n > 100
    assert nps == pytest.approx(dashboard["nps"].value, abs=1e-9)
    # One month, cut in the organisation's time zone, equals the dashboard's month.
    march = selectors.overview(
        scope=scope, filters=selectors.DashboardFilter(start=date(2025, 3, 1), end=date(2025, 3, 31))
    )
    nps, n = con.execute(NPS_SQL.format(root=root, where="AND month = DATE '2025-03-01'")).fetchone()
    assert (n, nps) == (march["nps"].n, pytest.approx(march["nps"].value, abs=1e-9))
    # EQI and the listening element agree too (mean of the same scores).
    eqi = con.execute(
        f"SELECT avg(eqi), count(eqi) FROM read_parquet('{root}/responses/**/*.parquet', hive_partitioning=true)"  # noqa: S608
    ).fetchone()
    assert eqi[1] == dashboard["eqi"].n and eqi[0] == pytest.approx(dashboard["eqi"].value, rel=1e-12)
    scores = f"read_parquet('{root}/dimension_scores/**/*.parquet', hive_partitioning=true)"
    listening = con.execute(f"SELECT avg(score), count(*) FROM {scores} WHERE dimension = 'listening'").fetchone()  # noqa: S608
    assert listening[1] == dashboard["listening"].n
    assert listening[0] == pytest.approx(dashboard["listening"].value, rel=1e-12)


def test_partitioned_by_organisation_and_month_without_personal_data(snapshot):
    organisation, root, report = snapshot
    months = sorted(p.name for p in (root / "responses" / f"organisation_id={organisation.pk}").iterdir())
    # Encounters span 2025; answers to the last days' encounters arrive in January.
    assert months[0] == "month=2025-01-01" and months[-1] == "month=2026-01-01" and len(months) == 13
    con = duckdb.connect()
    columns = [
        row[0]
        for row in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{root}/responses/**/*.parquet', hive_partitioning=true)"  # noqa: S608
        ).fetchall()
    ]
    assert "subject_person_id" in columns
    assert not {"name", "email", "text", "comment", "customer_id", "external_id"} & set(columns)
    names = set(Person.objects.filter(organisation=organisation).values_list("name", flat=True))
    comments = set(Answer.objects.filter(organisation=organisation).exclude(text="").values_list("text", flat=True))
    assert comments and names
    everything = b"".join(path.read_bytes() for path in root.rglob("*.parquet"))
    assert not any(text.encode() in everything for text in comments | names)
    # A second snapshot replaces the organisation's partitions rather than adding to them.
    call_command("snapshot_parquet", str(root), organisation=organisation.slug, stdout=io.StringIO())
    total = con.execute(
        f"SELECT count(*) FROM read_parquet('{root}/responses/**/*.parquet', hive_partitioning=true)"  # noqa: S608
    ).fetchone()[0]
    assert total == report.counts["responses"]
