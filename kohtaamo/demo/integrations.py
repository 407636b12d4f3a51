"""Demo integrations: one example webhook, switched off (the demo has no receiving system)."""

import random
from datetime import datetime

from kohtaamo.integrations.models import Webhook
from kohtaamo.organisations.models import Organisation


def seed_integrations(*, organisation: Organisation, now: datetime, rng: random.Random) -> int:
    _hook, created = Webhook.objects.get_or_create(
        organisation=organisation,
        url="https://crm.example.org/kohtaamo/webhook",
        defaults={"events": ["followup.case_opened", "followup.case_closed"], "active": False},
    )
    return int(created)
