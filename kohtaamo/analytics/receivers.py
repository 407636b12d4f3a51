"""After a submit: now and then, a background compaction of the organisation's rollup entries, so the
dashboard's reads stay one row per cell without a cron job (`rollup_compact` remains for those who
prefer one)."""

import logging
import math
import time

from django.conf import settings

from kohtaamo.feedback.models import RespondentRole

logger = logging.getLogger(__name__)

# Per process: when each organisation's compaction was last enqueued (monotonic seconds).
_last_enqueued: dict[int, float] = {}


def on_response_submitted(sender, *, organisation_id: int, respondent_role: str | None = None, **kwargs) -> None:
    every = getattr(settings, "KOHTAAMO_ROLLUP_COMPACT_SECONDS", None)
    if every is None or respondent_role not in (None, RespondentRole.CUSTOMER):
        return  # switched off, or a response the rollup does not count
    now = time.monotonic()
    if now - _last_enqueued.get(organisation_id, -math.inf) < every:
        return
    _last_enqueued[organisation_id] = now
    # The submit has already committed; whatever happens here must not reach the respondent.
    try:
        from .tasks import compact_rollup

        compact_rollup.enqueue(organisation_id)
    except Exception:  # noqa: BLE001
        logger.exception("could not enqueue the rollup compaction of organisation %s", organisation_id)
