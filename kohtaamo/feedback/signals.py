"""What other apps may react to. Sent after the submit transaction has committed, never inside it, so
that a failing listener (text analytics, alerts, webhooks) can never lose or undo a response."""

from django.db import transaction
from django.dispatch import Signal

# kwargs: response_id (int), organisation_id (int)
response_submitted = Signal()


def announce_submitted(*, response) -> None:
    response_id, organisation_id = response.pk, response.organisation_id
    transaction.on_commit(
        lambda: response_submitted.send_robust(
            sender=type(response), response_id=response_id, organisation_id=organisation_id
        )
    )
