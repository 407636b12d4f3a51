"""Reacting to submitted responses: their comments are analysed in the background."""

import logging

logger = logging.getLogger(__name__)


def on_response_submitted(sender, *, response_id: int, organisation_id: int, **kwargs) -> None:
    # A response without a comment has nothing to analyse: no task (each one is a row to write and poll).
    if kwargs.get("has_comment") is False:
        return
    # The submit has already committed; whatever happens here must not reach the respondent.
    try:
        from .tasks import analyse_response_comments

        analyse_response_comments.enqueue(response_id)
    except Exception:  # noqa: BLE001
        logger.exception("could not enqueue comment analysis for response %s", response_id)
