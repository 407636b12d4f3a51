"""Reacting to submitted responses: the work happens in a background task, never inside the submit."""

from .tasks import followup_for_response


def on_response_submitted(sender, response_id: int, organisation_id: int, **kwargs) -> None:
    followup_for_response.enqueue(response_id)
