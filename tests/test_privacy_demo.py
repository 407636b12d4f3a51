"""The privacy demo seed: consents behind contact details, a retention run, and an audit history."""

import random
from datetime import timedelta

from django.utils import timezone

from kohtaamo.demo.privacy import seed_privacy
from kohtaamo.feedback.models import Encounter
from kohtaamo.organisations.models import Customer
from kohtaamo.privacy.models import AuditEntry, ConsentRecord

from .development_helpers import pulse_response


def test_seed_privacy_fills_consents_retention_and_audit_history(world):
    now = timezone.now()
    for i in range(6):
        customer = Customer.objects.create(
            organisation=world.organisation, external_id=f"D{i}", email=f"d{i}@example.org", contact_consent=True
        )
        Encounter.objects.create(
            organisation=world.organisation,
            external_id=f"DE{i}",
            customer=customer,
            unit=world.team,
            channel="phone",
            occurred_at=now - timedelta(days=20 + i),
        )
    pulse_response(world, value=4)

    summary = seed_privacy(organisation=world.organisation, now=now, rng=random.Random(3))

    assert summary == {"consents": 6, "audit_entries": 240, "retention_dated": 2, "expired": 4}
    assert ConsentRecord.objects.filter(closed_reason="expired").count() == 4
    assert Customer.objects.filter(organisation=world.organisation, email="").count() == 4
    assert AuditEntry.objects.filter(action="retention").count() == 4
    oldest = AuditEntry.objects.exclude(action="retention").order_by("at").first().at
    assert now - timedelta(days=30) <= oldest < now - timedelta(days=1)
