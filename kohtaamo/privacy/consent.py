"""Consent records: written wherever contact details come in, closed when consent is withdrawn, expires or
the person is erased. Set-based, so an import of thousands of customers costs a handful of queries."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone, translation

from kohtaamo.organisations.models import Customer, Organisation

from .models import ConsentPurpose, ConsentRecord, ConsentSource, PrivacySettings

State = ConsentRecord.State
Closed = ConsentRecord.Closed

# The wording a consent was given under, with its version, per purpose and source. Intake consent was
# asked in the organisation's own system; the record says so rather than pretending to know its words.
INTAKE_WORDING = ("intake-1", "Consent to be contacted for feedback, collected in the organisation's own system.")
STAFF_WORDING = ("staff-1", "Address entered by staff, who confirm the person agreed to be asked for 360 feedback.")
ADMIN_WORDING = ("admin-1", "Consent to contact set by an administrator.")
CONTACT_CHOICE_VERSION = "contact-choice-1"


def privacy_settings_for(*, organisation: Organisation) -> PrivacySettings:
    settings, _created = PrivacySettings.objects.get_or_create(organisation=organisation)
    return settings


def retention_default_until(*, organisation: Organisation, start: date | None = None) -> date:
    """The retention date of contact details given on `start` (today) under the organisation's period."""
    days = privacy_settings_for(organisation=organisation).contact_retention_days
    start = start or timezone.localdate(timezone=_zone(organisation))
    return start + timedelta(days=days)


def _zone(organisation: Organisation):
    from zoneinfo import ZoneInfo

    return ZoneInfo(organisation.time_zone)


def _open_records(*, organisation_id: int, purpose: str, **filters):
    return ConsentRecord.objects.filter(
        organisation_id=organisation_id, purpose=purpose, state=State.GIVEN, closed_at__isnull=True, **filters
    )


def consents_record_intake(
    *,
    organisation: Organisation,
    consent_by_customer: Mapping[Customer, bool],
    source: str,
    at: datetime | None = None,
) -> int:
    """Record what an import or API batch said about customers' consent to be invited.

    A "yes" opens a consent (unless one is open already) and gives the customer the default retention
    date when they have none; a "no" closes an open consent and records the withdrawal. Returns the
    number of records written."""
    if not consent_by_customer:
        return 0
    at = at or timezone.now()
    version, wording = INTAKE_WORDING
    purpose = ConsentPurpose.SURVEY_INVITATIONS
    ids = [c.pk for c in consent_by_customer]
    already_open = set(
        _open_records(organisation_id=organisation.pk, purpose=purpose, customer_id__in=ids).values_list(
            "customer_id", flat=True
        )
    )
    given = [c.pk for c, yes in consent_by_customer.items() if yes and c.pk not in already_open]
    withdrawn = [c.pk for c, yes in consent_by_customer.items() if not yes and c.pk in already_open]
    records = [
        ConsentRecord(
            organisation=organisation,
            customer_id=pk,
            purpose=purpose,
            state=state,
            source=source,
            wording=wording,
            wording_version=version,
            at=at,
        )
        for state, pks in ((State.GIVEN, given), (State.WITHDRAWN, withdrawn))
        for pk in pks
    ]
    if withdrawn:
        _open_records(organisation_id=organisation.pk, purpose=purpose, customer_id__in=withdrawn).update(
            closed_at=at, closed_reason=Closed.WITHDRAWN
        )
    ConsentRecord.objects.bulk_create(records)
    if given:
        Customer.objects.filter(pk__in=given, retain_until__isnull=True).update(
            retain_until=retention_default_until(
                organisation=organisation, start=timezone.localdate(at, _zone(organisation))
            )
        )
    return len(records)


def _record_choice(
    *, organisation_id: int, purpose: str, give: bool, source: str, wording: str, version: str, at=None, **subject
) -> ConsentRecord | None:
    """Open or close one subject's consent; None where nothing changed (a repeated choice)."""
    at = at or timezone.now()
    open_records = _open_records(organisation_id=organisation_id, purpose=purpose, **subject)
    if give and open_records.exists():
        return None
    if not give and not open_records.update(closed_at=at, closed_reason=Closed.WITHDRAWN):
        return None
    return ConsentRecord.objects.create(
        organisation_id=organisation_id,
        purpose=purpose,
        state=State.GIVEN if give else State.WITHDRAWN,
        source=source,
        wording=wording,
        wording_version=version,
        at=at,
        **subject,
    )


def consent_record_contact_choice(*, invitation, choice: str, at: datetime | None = None) -> ConsentRecord | None:
    """The respondent's own choice on the follow-up contact page, with the words they saw."""
    from kohtaamo.followup.models import ContactPreference

    give = choice == ContactPreference.Choice.CONTACT
    with translation.override(invitation.language):
        wording = str(ContactPreference.Choice(choice).label)
    return _record_choice(
        organisation_id=invitation.organisation_id,
        purpose=ConsentPurpose.FOLLOWUP_CONTACT,
        give=give,
        source=ConsentSource.RESPONDENT_PAGE,
        wording=wording,
        version=CONTACT_CHOICE_VERSION,
        at=at,
        invitation=invitation,
        customer_id=invitation.customer_id,
    )


def consent_record_admin(*, customer: Customer, given: bool, at: datetime | None = None) -> ConsentRecord | None:
    """An administrator set or cleared a customer's consent to contact."""
    version, wording = ADMIN_WORDING
    record = _record_choice(
        organisation_id=customer.organisation_id,
        purpose=ConsentPurpose.SURVEY_INVITATIONS,
        give=given,
        source=ConsentSource.ADMIN,
        wording=wording,
        version=version,
        at=at,
        customer=customer,
    )
    if given and customer.retain_until is None:
        customer.retain_until = retention_default_until(organisation=customer.organisation)
        Customer.objects.filter(pk=customer.pk).update(retain_until=customer.retain_until)
    return record


def consents_record_raters(*, raters: Sequence, at: datetime | None = None) -> int:
    """360 customer raters whose address staff typed in: the consent is the staff member's confirmation."""
    at = at or timezone.now()
    version, wording = STAFF_WORDING
    records = [
        ConsentRecord(
            organisation_id=rater.participant.organisation_id,
            rater=rater,
            purpose=ConsentPurpose.RATER_INVITATION,
            state=State.GIVEN,
            source=ConsentSource.STAFF_ENTRY,
            wording=wording,
            wording_version=version,
            at=at,
        )
        for rater in raters
        if rater.customer_id is None and rater.email
    ]
    ConsentRecord.objects.bulk_create(records)
    return len(records)


def consents_close(*, customer_ids: Iterable[int], reason: str, at: datetime | None = None) -> int:
    """Close every open consent of these customers (retention ended, erasure)."""
    return ConsentRecord.objects.filter(customer_id__in=list(customer_ids), closed_at__isnull=True).update(
        closed_at=at or timezone.now(), closed_reason=reason
    )
