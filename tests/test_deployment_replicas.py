"""Past one machine: a primary and a streaming replica (pg_basebackup) on loopback, a real server.

The replica's WAL replay is paused while the primary changes, so a page that shows the old value
was provably read from the replica, and a page that shows the new one from the primary.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = os.environ.get("KOHTAAMO_DATABASE_URL", "").startswith("postgres")
PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))

pytestmark = pytest.mark.django_db  # so that the suite's test database (copied below) exists
requires_postgres = pytest.mark.skipif(
    not (ON_POSTGRES and PG_BINS), reason="needs PostgreSQL server binaries (runs in the PostgreSQL pass)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg(*command: str, **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_pg(
            str(PG_BINS[-1] / "pg_ctl"),
            "-D",
            str(self.directory),
            "-l",
            f"{self.directory}/log",
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        subprocess.run(
            [
                *(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                str(PG_BINS[-1] / "pg_ctl"),
                "-D",
                str(self.directory),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )

    def sql(self, statement: str, database: str = "kohtaamo") -> str:
        psql = [str(PG_BINS[-1] / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        return _as_pg(*psql, "-d", database, "-tAc", statement).stdout.strip()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/kohtaamo"


@pytest.fixture(scope="module")
def clusters(django_db_setup, django_db_blocker):
    base = Path(tempfile.mkdtemp(prefix="kohtaamo-replica-"))
    os.chmod(base, 0o777)  # noqa: S103 - the postgres user creates the clusters inside
    primary = Cluster(base / "primary", _free_port())
    replica = Cluster(base / "replica", _free_port())
    try:
        _as_pg(str(PG_BINS[-1] / "initdb"), "-D", str(primary.directory), "-U", "postgres", "--auth=trust", "-N")
        with open(primary.directory / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n")
        primary.start()
        primary.sql("CREATE DATABASE kohtaamo", database="postgres")
        # The schema is copied from the suite's migrated test database: faster than migrating again.
        test_db = connection.settings_dict
        dump = _as_pg(
            str(PG_BINS[-1] / "pg_dump"),
            "-h",
            test_db["HOST"],
            "-p",
            str(test_db["PORT"]),
            "-U",
            test_db["USER"],
            "--no-owner",
            test_db["NAME"],
        ).stdout
        psql = [str(PG_BINS[-1] / "psql"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-q"]
        _as_pg(*psql, "-d", "kohtaamo", "-v", "ON_ERROR_STOP=1", input=dump)
        env = {**os.environ, "KOHTAAMO_DATABASE_URL": primary.url, "DJANGO_SETTINGS_MODULE": "kohtaamo.settings"}
        seed = "from tests.conftest import build_world; build_world('Acme', 'acme')"
        subprocess.run([sys.executable, "manage.py", "shell", "-c", seed], cwd=ROOT, env=env, check=True)
        _as_pg(
            str(PG_BINS[-1] / "pg_basebackup"),
            "-D",
            str(replica.directory),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
        )
        replica.start()
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def server(clusters):
    primary, replica = clusters
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kohtaamo.settings",
        "KOHTAAMO_DATABASE_URL": primary.url,
        "KOHTAAMO_REPLICA_URLS": replica.url,
        "KOHTAAMO_REPLICA_PIN_SECONDS": "2",
        "KOHTAAMO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)  # noqa: S310 - loopback http
            break
        except OSError:
            time.sleep(0.2)
    yield base
    process.kill()
    process.wait()


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        request = urllib.request.Request(self.base + path, headers={"Accept-Language": "en"})  # noqa: S310
        return self.opener.open(request, timeout=20).read().decode()

    def post(self, path: str, fields: dict) -> str:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        headers = {"Accept-Language": "en", "Referer": self.base + path}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        return self.opener.open(request, timeout=20).read().decode()


def _replica_caught_up(primary: Cluster, replica: Cluster) -> None:
    target = primary.sql("SELECT pg_current_wal_lsn()")
    for _ in range(100):
        if replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t":
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up")


@requires_postgres
def test_dashboard_is_read_from_the_replica_and_own_writes_from_the_primary(clusters, server):
    primary, replica = clusters
    manager = Browser(server)
    manager.post("/accounts/login/", {"username": "acme-cx_lead", "password": "pw-acme"})
    _replica_caught_up(primary, replica)
    time.sleep(2.5)  # the login's pin to the primary runs out
    assert "Acme Centre" in manager.get("/o/acme/")

    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        primary.sql("UPDATE organisations_unit SET name = 'Renamed Centre' WHERE name = 'Acme Centre'")
        stale = manager.get("/o/acme/")
        # The replica has not replayed the rename: this page came from the replica.
        assert "Acme Centre" in stale and "Renamed Centre" not in stale

        rules = "/o/acme/followup/rules/"
        fields = {"new-kind": "comment_keywords", "new-keywords": "queue at the door", "new-deadline_days": "4"}
        after_write = manager.post(rules, fields)
        # Read-your-writes: the manager sees their own rule and the rename, both only on the primary.
        assert "queue at the door" in after_write
        assert "Renamed Centre" in manager.get("/o/acme/")

        other = Browser(server)
        other.post("/accounts/login/", {"username": "acme-admin", "password": "pw-acme"})
        assert "Renamed Centre" in other.get("/o/acme/")  # just logged in: pinned too
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    _replica_caught_up(primary, replica)
    time.sleep(2.5)
    assert "Renamed Centre" in manager.get("/o/acme/")
