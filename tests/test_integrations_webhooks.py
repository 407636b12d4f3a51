"""Webhooks against a real HTTP receiver on loopback: signed, retried with back-off, logged; a target
that is down never blocks a submit."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from kohtaamo.feedback.responding import response_record
from kohtaamo.integrations.models import DeliveryAttempt, WebhookDelivery
from kohtaamo.integrations.services import signature_valid, webhook_create, webhook_deliveries_run_due


def nps_question(programme):
    return programme.questionnaire.questions.get(item__dimensions__code="nps")


class Receiver:
    """Answers 500 to the first `failures` requests, then 200; records every request."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "at": time.monotonic()})
                self.send_response(500 if len(receiver.requests) <= receiver.failures else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver(failures=2)
    yield r
    r.close()


def test_signed_delivery_retried_with_backoff(world, receiver, settings, django_capture_on_commit_callbacks):
    settings.KOHTAAMO_WEBHOOK_BACKOFF = (0.3, 0.6, 1.0)
    hook = webhook_create(organisation=world.organisation, url=receiver.url, events=["response.submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        response = response_record(round=world.programme, answers={nps_question(world.programme).pk: 3}, language="fi")
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1 and delivery.status == "pending" and delivery.attempts == 1
    deadline = time.monotonic() + 5
    while WebhookDelivery.objects.get().status == "pending" and time.monotonic() < deadline:
        webhook_deliveries_run_due()
        time.sleep(0.05)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert len(receiver.requests) == 3
    gaps = [b["at"] - a["at"] for a, b in zip(receiver.requests, receiver.requests[1:], strict=False)]
    assert gaps[0] >= 0.3 and gaps[1] >= 0.6  # the back-off schedule was kept
    for request in receiver.requests:
        headers = request["headers"]
        assert signature_valid(
            secret=hook.secret,
            timestamp=headers["X-Kohtaamo-Timestamp"],
            body=request["body"],
            header=headers["X-Kohtaamo-Signature"],
        )
        assert not signature_valid(
            secret="wrong",
            timestamp=headers["X-Kohtaamo-Timestamp"],
            body=request["body"],
            header=headers["X-Kohtaamo-Signature"],
        )
    payload = json.loads(receiver.requests[-1]["body"])
    assert payload["event"] == "response.submitted" and payload["data"]["id"] == response.pk
    assert payload["data"]["nps"] == 3
    assert list(DeliveryAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)) == [
        500,
        500,
        200,
    ]


def test_target_down_never_blocks_a_submit(world, settings, django_capture_on_commit_callbacks):
    settings.KOHTAAMO_WEBHOOK_BACKOFF = (0.1,)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    webhook_create(organisation=world.organisation, url=f"http://127.0.0.1:{port}/", events=["response.submitted"])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response_record(round=world.programme, answers={nps_question(world.programme).pk: 10}, language="fi")
    assert time.monotonic() - started < 3
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "refused" in delivery.attempt_log.get().error.lower()
    time.sleep(0.15)
    webhook_deliveries_run_due()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 2
