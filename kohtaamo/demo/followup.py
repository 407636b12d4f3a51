"""Demo follow-up: cases for the unhappy customers of the last months, most of them handled."""

import random
from datetime import datetime, timedelta

from django.db.models import Q

from kohtaamo.feedback.models import Response
from kohtaamo.followup.services import case_close, case_open_for_response, case_record_contact
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Organisation

RESOLUTIONS = [
    "Soitin asiakkaalle, pahoittelin ja sovimme uuden tapaamisen.",
    "Asia korjattiin samana päivänä; asiakas kiitti yhteydenotosta.",
    "Selvitimme väärinkäsityksen ja lähetimme kirjallisen yhteenvedon.",
]
OUTCOMES = ["resolved"] * 6 + ["partly"] * 2 + ["not_reached", "not_resolved"]


def seed_followup(*, organisation: Organisation, now: datetime, rng: random.Random) -> int:
    unhappy = (
        Response.objects.filter(
            organisation=organisation,
            status=Response.Status.SUBMITTED,
            respondent_role="customer",
            submitted_at__gte=now - timedelta(days=90),
        )
        .filter(Q(nps__lte=6) | Q(csat__lte=2))
        .order_by("submitted_at")
        .values_list("pk", "submitted_at")[:150]
    )
    causes = list(Dimension.objects.filter(group=Dimension.Group.ELEMENT))
    opened = 0
    for response_id, submitted_at in unhappy:
        case = case_open_for_response(response_id=response_id, now=submitted_at, notify=False)
        if case is None:
            continue
        opened += 1
        age = now - submitted_at
        if age < timedelta(days=2) or rng.random() < 0.12:
            continue  # still open (some of them overdue)
        contacted = submitted_at + timedelta(hours=rng.uniform(2, 40))
        case_record_contact(case=case, note=rng.choice(RESOLUTIONS), at=contacted)
        case_close(
            case=case,
            outcome=rng.choice(OUTCOMES),
            resolution=rng.choice(RESOLUTIONS),
            root_cause=rng.choice(causes) if causes else None,
            at=contacted + timedelta(hours=rng.uniform(1, 48)),
        )
    return opened
