"""The production app server as a child process, and a keep-alive HTTP/1.1 load generator for it.

Used by benchmarks/bench_ingest.py and by the crash test (tests/test_crash_ingest.py).
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """gunicorn (gthread workers: keep-alive) serving kohtaamo.wsgi against the given database.

    Runs in its own process group, so that `kill()` reaches the master and every worker at once.
    """

    def __init__(self, *, database_url: str, workers: int = 2, threads: int = 4, port: int | None = None):
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "kohtaamo.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=gthread",
            f"--threads={self.threads}",
            "--keep-alive=30",
            "--backlog=2048",
            "--log-level=warning",
            "--preload",
        ]

    def environment(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kohtaamo.settings",
            "KOHTAAMO_DATABASE_URL": self.database_url,
            "KOHTAAMO_DB_CONN_MAX_AGE": "600",
            "KOHTAAMO_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }

    def start(self, *, timeout: float = 30) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.command(), cwd=ROOT, env=self.environment(), start_new_session=True
        )
        self.wait_ready(timeout=timeout)

    def wait_ready(self, *, timeout: float) -> None:
        """Until a worker answers an HTTP request (any status)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app server exited with {self.process.returncode}")
            try:
                with socket.create_connection(self.address, timeout=5) as conn:
                    conn.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    if conn.recv(12).startswith(b"HTTP/1."):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("app server did not start in time")

    def kill(self) -> None:
        """SIGKILL to the whole process group: master and workers die mid-request, nothing is flushed."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


# The load generator: asyncio, one keep-alive connection per client, raw HTTP/1.1.


def post_request(*, path: str, body: dict, token: str, key: str) -> bytes:
    payload = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nAccept-Language: en\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


async def read_reply(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("server closed the connection")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while True:
        size = int((await reader.readline()).strip(), 16)
        if size == 0:
            await reader.readline()
            return status, body
        body += await reader.readexactly(size)
        await reader.readline()


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, acknowledged requests
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def acknowledged(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


async def _client(address, requests: list[bytes], result: LoadResult, deadline: float) -> None:
    reader, writer = await asyncio.open_connection(*address)
    try:
        for request in requests:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            writer.write(request)
            status, _body = await read_reply(reader)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status < 300:
                result.latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def run_load(*, address, batches: list[list[bytes]], max_seconds: float) -> LoadResult:
    """Each batch is one client's requests, sent one after another on one keep-alive connection."""
    result = LoadResult()
    deadline = time.monotonic() + max_seconds
    started = time.perf_counter()
    await asyncio.gather(*(_client(address, batch, result, deadline) for batch in batches))
    result.elapsed = time.perf_counter() - started
    return result
