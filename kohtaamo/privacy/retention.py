"""Retention of customer contact details: a dated customer's e-mail and contact fields are wiped the day
after their retention date, consents are closed, answers and scores stay. Safe to run again: a customer
whose details are gone is not picked up a second time."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from kohtaamo.organisations.models import Customer, Organisation

from .consent import _zone, consents_close, privacy_settings_for
from .introspection import relations_to
from .models import AuditEntry, ConsentRecord

CHUNK = 500
# Field names that hold a way to reach someone, on rows that belong to a customer.
CONTACT_FIELD_WORDS = ("email", "phone", "contact")


@dataclass
class RetentionResult:
    dated: int = 0
    expired: int = 0


def _contact_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.blank
        and any(word in f.name for word in CONTACT_FIELD_WORDS)
    ]


def customer_contact_details_wipe(*, customer_ids: Sequence[int]) -> None:
    """Wipe e-mail, phone and contact-note fields of these customers and of every row that belongs to them
    (invitations, 360 raters, follow-up cases, and any app's table with a customer link)."""
    for field in relations_to(Customer):
        names = _contact_fields(field.model)
        rows = field.model._base_manager.filter(**{f"{field.name}__in": customer_ids})
        for name in names:
            rows.exclude(**{name: ""}).update(**{name: ""})
    # A follow-up case reaches its customer through the invitation when it has no customer of its own.
    from kohtaamo.followup.models import FollowupCase

    FollowupCase.objects.filter(invitation__customer_id__in=customer_ids).exclude(contact_note="").update(
        contact_note=""
    )
    Customer.objects.filter(pk__in=customer_ids).update(
        **{name: "" for name in _contact_fields(Customer)}, contact_consent=False
    )


def _today(organisation: Organisation) -> date:
    return timezone.localdate(timezone=_zone(organisation))


def retention_dates_fill(*, organisation: Organisation, today: date | None = None) -> int:
    """Give customers with contact details but no retention date the organisation's default:
    the latest consent (or today) plus the retention period."""
    today = today or _today(organisation)
    period = timedelta(days=privacy_settings_for(organisation=organisation).contact_retention_days)
    undated = (
        Customer.objects.filter(organisation=organisation, retain_until__isnull=True)
        .filter(~Q(email="") | Q(contact_consent=True))
        .annotate(consented_at=Max("consent_records__at", filter=Q(consent_records__state=ConsentRecord.State.GIVEN)))
        .values_list("pk", "consented_at")
    )
    zone = _zone(organisation)
    updates = [
        Customer(pk=pk, retain_until=(timezone.localdate(at, zone) if at else today) + period) for pk, at in undated
    ]
    Customer.objects.bulk_update(updates, ["retain_until"], batch_size=CHUNK)
    return len(updates)


def _expired(*, organisation: Organisation, today: date):
    open_consent = ConsentRecord.objects.filter(customer=OuterRef("pk"), closed_at__isnull=True)
    return (
        Customer.objects.filter(organisation=organisation, retain_until__lt=today)
        .filter(~Q(email="") | Q(contact_consent=True) | Exists(open_consent))
        .order_by("pk")
    )


def retention_enforce_organisation(*, organisation: Organisation, today: date | None = None) -> RetentionResult:
    today = today or _today(organisation)
    result = RetentionResult(dated=retention_dates_fill(organisation=organisation, today=today))
    while True:
        with transaction.atomic():
            ids = list(_expired(organisation=organisation, today=today).values_list("pk", flat=True)[:CHUNK])
            if not ids:
                break
            customer_contact_details_wipe(customer_ids=ids)
            consents_close(customer_ids=ids, reason=ConsentRecord.Closed.EXPIRED)
            AuditEntry.objects.bulk_create(
                AuditEntry(
                    organisation=organisation,
                    action=AuditEntry.Action.RETENTION,
                    object_type="organisations.customer",
                    object_id=str(pk),
                )
                for pk in ids
            )
        result.expired += len(ids)
    return result


def retention_enforce(*, organisations=None, today: date | None = None) -> RetentionResult:
    """Run retention for every organisation (or the given ones). Daily from cron or the task queue."""
    total = RetentionResult()
    for organisation in organisations if organisations is not None else Organisation.objects.order_by("pk"):
        result = retention_enforce_organisation(organisation=organisation, today=today)
        total.dated += result.dated
        total.expired += result.expired
    return total
