"""Submissions per second through the responses API, beside the database's raw single-row insert rate.

The production server (gunicorn, gthread workers, persistent database connections) serves a scratch
PostgreSQL database; an asyncio load generator on loopback keeps C keep-alive connections busy, each
sending complete pulse responses (12 scale answers and a comment, scored) with idempotency keys.
The baseline, in the same run: C psycopg connections, each inserting single rows in autocommit
(the response table's columns) into a plain table, as fast as they can.

Needs KOHTAAMO_DATABASE_URL=postgres://...; on anything else it says so and exits 0.

Run: .venv/bin/python benchmarks/bench_ingest.py [--full] [--clients C] [--requests N] [--workers W]
"""

import argparse
import asyncio
import hashlib
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ingest_load import AppServer, post_request, run_load  # noqa: E402

PATH = "/api/v1/organisations/bench/responses"


def _migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "kohtaamo").glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def scratch_database(url: str, name: str) -> str:
    """A fresh, migrated database beside the given one; returns its URL.

    The migrated schema is kept as a template database named after the migrations' fingerprint, so
    that later runs copy it (a second) instead of migrating again.
    """
    import psycopg

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    template = f"kohtaamo_bench_template_{_migrations_fingerprint()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{template}"')
            env = {
                **os.environ,
                "KOHTAAMO_DATABASE_URL": urlunparse(parsed._replace(path=f"/{template}")),
                "DJANGO_SETTINGS_MODULE": "kohtaamo.settings",
            }
            try:
                subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
            except subprocess.CalledProcessError:
                conn.execute(f'DROP DATABASE "{template}" WITH (FORCE)')
                raise
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def organisation_build() -> tuple[str, list[tuple[str, int, int]]]:
    """The bench organisation with its pulse programme and an API token; returns (token, scale questions)."""
    from django.contrib.auth.models import User

    from kohtaamo.api.models import ApiToken
    from kohtaamo.feedback.ingest import questionnaire_shape
    from kohtaamo.feedback.services import pulse_programme_ensure
    from kohtaamo.organisations.models import Membership, Organisation, Unit

    organisation = Organisation.objects.create(name="Bench", slug="bench")
    Unit.objects.create(organisation=organisation, name="Bench", kind=Unit.Kind.ORGANISATION)
    user = User.objects.create_user("bench-lead", "lead@example.org", "x")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.CX_LEAD)
    programme = pulse_programme_ensure(organisation=organisation)
    shape = questionnaire_shape(questionnaire_id=programme.questionnaire_id)
    scale = [(q.item.code, q.scale_min, q.scale_max) for q in shape.questions if q.item is not None]
    comment = next(str(q.pk) for q in shape.questions if q.item is None)
    scale.append((comment, 0, 0))
    return ApiToken.issue(user=user, organisation=organisation, name="bench")[1], scale


def submission(questions, rng: random.Random) -> dict:
    answers = {code: rng.randint(low, high) if high else "Palvelu oli hyvää." for code, low, high in questions}
    return {"language": "fi", "answers": answers}


def requests_for(*, token: str, questions, count: int, clients: int, rng: random.Random) -> list[list[bytes]]:
    batches: list[list[bytes]] = [[] for _ in range(clients)]
    for i in range(count):
        request = post_request(path=PATH, body=submission(questions, rng), token=token, key=str(uuid.uuid4()))
        batches[i % clients].append(request)
    return batches


# The baseline: single-row inserts of a response-like row, same concurrency, autocommit.

BASELINE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_raw_response (
    id bigserial PRIMARY KEY, organisation_id bigint NOT NULL, round_id bigint NOT NULL,
    questionnaire_id bigint NOT NULL, idempotency_key uuid NOT NULL, respondent_role varchar(20) NOT NULL,
    language varchar(2) NOT NULL, status varchar(10) NOT NULL, started_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL, submitted_at timestamptz, nps smallint, csat smallint, ces smallint,
    eqi double precision, has_comment boolean NOT NULL, UNIQUE (organisation_id, idempotency_key))
"""
BASELINE_INSERT = (
    "INSERT INTO bench_raw_response (organisation_id, round_id, questionnaire_id, idempotency_key, respondent_role,"
    " language, status, started_at, updated_at, submitted_at, nps, csat, ces, eqi, has_comment)"
    " VALUES (1, 1, 1, %s, 'customer', 'fi', 'submitted', now(), now(), now(), 9, 4, 6, 71.5, true)"
)


async def raw_insert_rate(url: str, *, clients: int, count: int, max_seconds: float) -> tuple[float, int]:
    import psycopg

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(BASELINE_TABLE)
        await conn.execute("TRUNCATE bench_raw_response")
    per_client = count // clients
    deadline = time.monotonic() + max_seconds
    done = 0

    async def client() -> None:
        nonlocal done
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            for _ in range(per_client):
                if time.monotonic() > deadline:
                    return
                await conn.execute(BASELINE_INSERT, (uuid.uuid4(),))
                done += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return done / elapsed, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="the real figures: 30,000 submissions")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    count = args.requests or (30_000 if args.full else 2_000)
    max_seconds = 300 if args.full else 25

    url = os.environ.get("KOHTAAMO_DATABASE_URL", "")
    if urlparse(url).scheme not in ("postgres", "postgresql"):
        print("bench_ingest: KOHTAAMO_DATABASE_URL is not a postgres:// URL; this benchmark needs PostgreSQL.")
        return
    scratch = scratch_database(url, f"{urlparse(url).path.lstrip('/') or 'kohtaamo'}_bench_ingest")
    os.environ["KOHTAAMO_DATABASE_URL"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamo.settings")
    import django

    django.setup()
    token, questions = organisation_build()
    rng = random.Random(3)
    warm = requests_for(token=token, questions=questions, count=args.clients * 4, clients=args.clients, rng=rng)
    batches = requests_for(token=token, questions=questions, count=count, clients=args.clients, rng=rng)

    server = AppServer(database_url=scratch, workers=args.workers, threads=args.threads)
    server.start()
    try:
        asyncio.run(run_load(address=server.address, batches=warm, max_seconds=10))
        result = asyncio.run(run_load(address=server.address, batches=batches, max_seconds=max_seconds))
    finally:
        server.stop()
    raw_rate, raw_done = asyncio.run(raw_insert_rate(scratch, clients=args.clients, count=count, max_seconds=60))

    rate = result.acknowledged / result.elapsed
    print(f"submissions: {result.acknowledged} acknowledged in {result.elapsed:.1f} s, statuses {result.statuses}")
    print(f"  {args.workers} gunicorn workers x {args.threads} threads, {args.clients} keep-alive clients")
    print(f"  rate {rate:,.0f} submissions/s")
    p50, p99 = result.percentile(50) * 1000, result.percentile(99) * 1000
    print(f"  latency p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"baseline: raw single-row INSERT, {args.clients} psycopg connections, autocommit: {raw_rate:,.0f} rows/s")
    print(f"  ({raw_done} rows)")
    print(f"submissions/s as a share of the raw insert rate: {rate / raw_rate:.0%}")
    compact_report()


def compact_report() -> None:
    """Every submission appended two rollup entries; merging them is the periodic job's work."""
    from kohtaamo.analytics.models import ResponseRollup
    from kohtaamo.analytics.rollup import response_rollup_compact

    entries = ResponseRollup.objects.count()
    started = time.perf_counter()
    merged = response_rollup_compact()
    print(
        f"rollup: {entries:,} entries compacted to {entries - merged:,} cells in {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
