"""What other apps may react to. Sent after the submit transaction has committed, never inside it, so
that a failing listener (text analytics, alerts, webhooks) can never lose or undo a response."""

from django.db import transaction
from django.dispatch import Signal

# kwargs: response_id (int), organisation_id (int), and what listeners need to decide whether they have
# work at all without reading the response again: respondent_role (str), nps (int | None),
# csat (int | None), has_comment (bool), customer_linked (bool: an encounter or invitation names the
# respondent). Senders that leave these out make every listener enqueue its work.
response_submitted = Signal()


def announce_submitted(*, response) -> None:
    facts = {
        "response_id": response.pk,
        "organisation_id": response.organisation_id,
        "respondent_role": response.respondent_role,
        "nps": response.nps,
        "csat": response.csat,
        "has_comment": response.has_comment,
        "customer_linked": response.encounter_id is not None or response.invitation_id is not None,
    }
    transaction.on_commit(lambda: response_submitted.send_robust(sender=type(response), **facts))
