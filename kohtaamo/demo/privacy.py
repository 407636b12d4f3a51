"""Demo privacy: consents behind the customers' contact details, a retention period, a few expired
customers wiped by the retention run, and a month of audit-log entries of managers reading personal data."""

import random
from datetime import datetime, timedelta

from django.db.models import Min

from kohtaamo.feedback.models import Response
from kohtaamo.organisations.models import Customer, Membership, Organisation
from kohtaamo.privacy.consent import INTAKE_WORDING
from kohtaamo.privacy.models import AuditEntry, ConsentPurpose, ConsentRecord, ConsentSource, PrivacySettings
from kohtaamo.privacy.retention import retention_enforce_organisation

# (URL kind, action, object type): what managers typically open.
READS = [
    ("view", "feedback.response"),
    ("view", "feedback.response"),
    ("view", "organisations.person"),
    ("view", "followup.followupcase"),
    ("view", "assessments.participant"),
    ("export", "feedback.response"),
    ("export", "assessments.participant"),
    ("view", "organisations.customer"),
]
ADDRESSES = ["10.20.1.14", "10.20.1.15", "10.20.3.41", "192.168.50.7"]


def _consents(organisation: Organisation, rng: random.Random) -> int:
    """A consent for each customer with contact details, dated at their first encounter (from the CRM import)."""
    version, wording = INTAKE_WORDING
    consenting = (
        Customer.objects.filter(organisation=organisation, contact_consent=True)
        .annotate(first_seen=Min("encounters__occurred_at"))
        .values_list("pk", "first_seen")
    )
    records = [
        ConsentRecord(
            organisation=organisation,
            customer_id=pk,
            purpose=ConsentPurpose.SURVEY_INVITATIONS,
            state=ConsentRecord.State.GIVEN,
            source=rng.choice([ConsentSource.CSV_IMPORT] * 4 + [ConsentSource.API]),
            wording=wording,
            wording_version=version,
            at=first_seen,
        )
        for pk, first_seen in consenting
        if first_seen is not None
    ]
    ConsentRecord.objects.bulk_create(records, batch_size=1000)
    return len(records)


def _audit_history(organisation: Organisation, now: datetime, rng: random.Random) -> int:
    readers = list(
        Membership.objects.filter(
            organisation=organisation,
            role__in=[Membership.Role.ADMIN, Membership.Role.CX_LEAD, Membership.Role.UNIT_MANAGER],
        ).select_related("user")
    )
    response_ids = list(
        Response.objects.filter(organisation=organisation, status=Response.Status.SUBMITTED)
        .order_by("-submitted_at")
        .values_list("pk", flat=True)[:300]
    )
    if not readers or not response_ids:
        return 0
    entries = []
    for _ in range(240):
        reader = rng.choice(readers).user
        action, object_type = rng.choice(READS)
        object_id = str(rng.choice(response_ids)) if object_type == "feedback.response" and action == "view" else ""
        entries.append(
            AuditEntry(
                organisation=organisation,
                actor=reader,
                actor_label=reader.get_username(),
                action=action,
                object_type=object_type,
                object_id=object_id,
                client_address=rng.choice(ADDRESSES),
            )
        )
    created = AuditEntry.objects.bulk_create(entries)
    # `at` is auto_now_add: spread the history over the last thirty days afterwards.
    for entry in created:
        entry.at = now - timedelta(days=rng.uniform(0, 30))
    AuditEntry.objects.bulk_update(created, ["at"], batch_size=500)
    return len(created)


def seed_privacy(*, organisation: Organisation, now: datetime, rng: random.Random) -> dict[str, int]:
    PrivacySettings.objects.update_or_create(organisation=organisation, defaults={"contact_retention_days": 365})
    consents = _consents(organisation, rng)
    audit = _audit_history(organisation, now, rng)
    # A handful of customers whose retention date passed last week: the daily run wipes them.
    today = now.date()
    expired = list(
        Customer.objects.filter(organisation=organisation, contact_consent=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:4]
    )
    Customer.objects.filter(pk__in=expired).update(retain_until=today - timedelta(days=7))
    result = retention_enforce_organisation(organisation=organisation, today=today)
    return {"consents": consents, "audit_entries": audit, "retention_dated": result.dated, "expired": result.expired}
