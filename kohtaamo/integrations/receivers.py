"""Reacting to submitted responses in background tasks, never inside the submit."""

from .models import Webhook
from .tasks import announce_response


def on_response_submitted(sender, response_id: int, organisation_id: int, **kwargs) -> None:
    if Webhook.objects.filter(organisation_id=organisation_id, active=True).exists():
        announce_response.enqueue(response_id, organisation_id)
