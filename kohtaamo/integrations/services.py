"""Webhook delivery: HMAC-SHA256 signed POSTs, retried with exponential back-off, every attempt logged.

The first attempt runs in a background task; a failed delivery waits for its next attempt time and
`webhook_deliveries_run_due` (the `webhooks_retry` command, or its task) sends it again. Nothing here
ever runs inside a submit: a target that is down costs the respondent nothing.

Signature: header `X-Kohtaamo-Signature: sha256=<hex>` = HMAC-SHA256(secret, "<timestamp>.<body>"),
with the timestamp (Unix seconds) in `X-Kohtaamo-Timestamp`, so a receiver can refuse replays.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import DeliveryAttempt, Webhook, WebhookDelivery

# Seconds to wait before the 2nd, 3rd, … attempt; after the last, the delivery is marked failed.
DEFAULT_BACKOFF = (60, 300, 1800, 7200, 21600)
TIMEOUT_SECONDS = 5


def backoff_schedule() -> tuple[float, ...]:
    return tuple(getattr(settings, "KOHTAAMO_WEBHOOK_BACKOFF", DEFAULT_BACKOFF))


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(*, secret: str, timestamp: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header)


def webhooks_emit(*, organisation_id: int, event: str, payload: dict) -> list[int]:
    """Queue one delivery per active webhook that wants the event; the sending happens in tasks."""
    from .tasks import deliver_webhook

    hooks = [h for h in Webhook.objects.filter(organisation_id=organisation_id, active=True) if event in h.events]
    deliveries = [
        WebhookDelivery.objects.create(webhook=h, event=event, payload=payload, next_attempt_at=timezone.now())
        for h in hooks
    ]
    for delivery in deliveries:
        delivery_id = delivery.pk
        transaction.on_commit(lambda d=delivery_id: deliver_webhook.enqueue(d))
    return [d.pk for d in deliveries]


def _post(*, webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        separators=(",", ":"),
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the organisation's own https/http endpoint
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Kohtaamo-Webhook/1",
            "X-Kohtaamo-Event": delivery.event,
            "X-Kohtaamo-Delivery": str(delivery.pk),
            "X-Kohtaamo-Timestamp": timestamp,
            "X-Kohtaamo-Signature": signature(secret=webhook.secret, timestamp=timestamp, body=body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:  # noqa: S310
            return reply.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, str(exc.reason)[:500]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> bool:
    """One attempt; on failure the next is scheduled by the back-off, or the delivery is marked failed."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return False
    started = time.monotonic()
    status_code, error = _post(webhook=delivery.webhook, delivery=delivery)
    now = now or timezone.now()
    DeliveryAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    delivery.attempts += 1
    ok = status_code is not None and 200 <= status_code < 300
    schedule = backoff_schedule()
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = WebhookDelivery.Status.DELIVERED, now, None
    elif delivery.attempts > len(schedule):
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        delivery.next_attempt_at = now + timedelta(seconds=schedule[delivery.attempts - 1])
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    return ok


def webhook_deliveries_run_due(*, now: datetime | None = None) -> int:
    """Send every pending delivery whose next attempt is due; returns how many were delivered."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, attempts__gt=0, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(delivery_attempt(delivery_id=pk) for pk in list(due))


def webhook_create(*, organisation, url: str, events: list[str]) -> Webhook:
    return Webhook.objects.create(organisation=organisation, url=url, events=events)
