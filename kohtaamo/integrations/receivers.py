"""Reacting to submitted responses in background tasks, never inside the submit."""

import time

from django.db.models.signals import post_delete, post_save

from .models import Webhook
from .tasks import announce_response

# Whether an organisation has an active webhook, per process for a few seconds: the check would otherwise
# be a query on every submit. A webhook switched on reaches responses submitted after this delay.
WEBHOOK_CHECK_TTL_S = 5.0
_active_webhooks: dict[int, tuple[float, bool]] = {}


def _has_active_webhook(organisation_id: int) -> bool:
    now = time.monotonic()
    cached = _active_webhooks.get(organisation_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    active = Webhook.objects.filter(organisation_id=organisation_id, active=True).exists()
    if len(_active_webhooks) > 10_000:
        _active_webhooks.clear()
    _active_webhooks[organisation_id] = (now + WEBHOOK_CHECK_TTL_S, active)
    return active


def webhook_checks_forget(**kwargs) -> None:
    """Drop the cached checks; a webhook saved or deleted in this process applies at once."""
    _active_webhooks.clear()


post_save.connect(webhook_checks_forget, sender=Webhook, dispatch_uid="integrations_webhook_checks_saved")
post_delete.connect(webhook_checks_forget, sender=Webhook, dispatch_uid="integrations_webhook_checks_deleted")


def on_response_submitted(sender, response_id: int, organisation_id: int, **kwargs) -> None:
    if _has_active_webhook(organisation_id):
        announce_response.enqueue(response_id, organisation_id)
