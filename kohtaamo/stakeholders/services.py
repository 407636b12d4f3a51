"""Writes: partner organisations and contacts (one by one or from CSV), internal services, and the
launch of a stakeholder round with its invitations (sent by the feedback invitation machinery)."""

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from kohtaamo.analytics.anonymity import threshold_for
from kohtaamo.feedback.invitations import invitation_send
from kohtaamo.feedback.models import Invitation, Round
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.organisations.models import Language, Organisation, Person, Unit
from kohtaamo.organisations.selectors import people_visible, scope_from_organisation

from .models import Audience, InternalService, PartnerContact, PartnerOrganisation, StakeholderRound
from .questionnaires import stakeholder_questionnaire_ensure

# -- partners ----------------------------------------------------------------------------------


def _same_organisation(organisation: Organisation, unit: Unit, field: str = "unit") -> None:
    if unit.organisation_id != organisation.pk:
        raise ValidationError({field: _("The unit belongs to another organisation.")})


def partner_create(*, organisation: Organisation, name: str, unit: Unit, kind: str) -> PartnerOrganisation:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the partner's name.")})
    _same_organisation(organisation, unit)
    if PartnerOrganisation.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a partner called “%(name)s”.") % {"name": name}})
    partner = PartnerOrganisation(organisation=organisation, name=name, unit=unit, kind=kind)
    partner.full_clean(exclude=["organisation", "unit"])
    partner.save()
    return partner


@dataclass(frozen=True)
class ContactData:
    name: str
    email: str
    language: str = Language.FI
    contact_consent: bool = False
    retain_until: date | None = None


def _contact_errors(*, partner: PartnerOrganisation, contact: ContactData, taken: set[str]) -> dict[str, str]:
    errors = {}
    if not contact.name.strip():
        errors["name"] = _("Give the contact person's name.")
    try:
        validate_email(contact.email)
    except ValidationError:
        errors["email"] = _("“%(email)s” is not an e-mail address.") % {"email": contact.email}
    else:
        if contact.email.lower() in taken:
            errors["email"] = _("This partner already has a contact with the address “%(email)s”.") % {
                "email": contact.email
            }
    if contact.language not in Language.values:
        errors["language"] = _("Choose fi, sv or en.")
    return errors


def _taken_emails(partner: PartnerOrganisation) -> set[str]:
    return {email.lower() for email in partner.contacts.values_list("email", flat=True)}


def _contact_row(partner: PartnerOrganisation, contact: ContactData) -> PartnerContact:
    return PartnerContact(
        organisation_id=partner.organisation_id,
        partner=partner,
        name=contact.name.strip(),
        email=contact.email.strip(),
        language=contact.language,
        contact_consent=contact.contact_consent,
        retain_until=contact.retain_until,
    )


def partner_contact_create(*, partner: PartnerOrganisation, contact: ContactData) -> PartnerContact:
    contact = replace(contact, email=contact.email.strip())
    errors = _contact_errors(partner=partner, contact=contact, taken=_taken_emails(partner))
    if errors:
        raise ValidationError(errors)
    row = _contact_row(partner, contact)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # a concurrent add of the same address
        raise ValidationError({"email": _("This partner already has a contact with this address.")}) from exc
    return row


CSV_COLUMNS = ("name", "email")
OPTIONAL_COLUMNS = ("language", "consent", "retain_until")
YES = {"yes", "y", "true", "1", "kyllä", "k", "ja", "j", "x"}
NO = {"no", "n", "false", "0", "ei", "e", "nej", ""}


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ContactImportFailed(Exception):
    def __init__(self, errors: list[ImportProblem]):
        super().__init__(errors)
        self.errors = errors


def _csv_records(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContactImportFailed([ImportProblem(line, _("The file is not UTF-8 text."))]) from exc
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise ContactImportFailed([ImportProblem(1, _("The file is empty."))])
    header = next(line for line in lines if line.strip())
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, columns = [], None
    try:
        for record in reader:
            if not any(value.strip() for value in record):
                continue
            if columns is None:
                columns = [c.strip().lower() for c in record]
                missing = [c for c in CSV_COLUMNS if c not in columns]
                unknown = [c for c in columns if c not in CSV_COLUMNS + OPTIONAL_COLUMNS]
                errors = [
                    ImportProblem(reader.line_num, _("The column “%(column)s” is missing.") % {"column": c})
                    for c in missing
                ] + [ImportProblem(reader.line_num, _("Unknown column “%(column)s”.") % {"column": c}) for c in unknown]
                if errors:
                    raise ContactImportFailed(errors)
                continue
            if len(record) != len(columns):
                raise ContactImportFailed(
                    [
                        ImportProblem(
                            reader.line_num,
                            _("The line has %(found)s values but the header has %(expected)s.")
                            % {"found": len(record), "expected": len(columns)},
                        )
                    ]
                )
            records.append((reader.line_num, dict(zip(columns, (v.strip() for v in record), strict=True))))
    except csv.Error as exc:
        raise ContactImportFailed([ImportProblem(reader.line_num, _("The file cannot be read as CSV."))]) from exc
    return records


def _contact_from_record(record: dict[str, str], *, default_language: str) -> tuple[ContactData, list[str]]:
    problems = []
    consent_text = record.get("consent", "").lower()
    if consent_text not in YES | NO:
        problems.append(_("consent must be yes or no."))
    retain_text = record.get("retain_until", "")
    retain_until = None
    if retain_text:
        try:
            retain_until = parse_date(retain_text)
        except ValueError:
            retain_until = None
        if retain_until is None:
            problems.append(_("retain_until must be a date like 2027-12-31."))
    contact = ContactData(
        name=record.get("name", ""),
        email=record.get("email", ""),
        language=(record.get("language") or default_language).lower(),
        contact_consent=consent_text in YES,
        retain_until=retain_until,
    )
    return contact, problems


@transaction.atomic
def partner_contacts_import_csv(*, partner: PartnerOrganisation, data: bytes) -> list[PartnerContact]:
    """Add contacts from a CSV file (columns name, email; optional language, consent, retain_until).

    Every line is checked first; any problem (reported with its line number) stores nothing."""
    records = _csv_records(data)
    if not records:
        raise ContactImportFailed([ImportProblem(1, _("The file has no contacts below the header."))])
    taken = _taken_emails(partner)
    errors: list[ImportProblem] = []
    contacts = []
    default_language = partner.organisation.default_language
    for line, record in records:
        contact, problems = _contact_from_record(record, default_language=default_language)
        problems += list(_contact_errors(partner=partner, contact=contact, taken=taken).values())
        errors += [ImportProblem(line, problem) for problem in problems]
        taken.add(contact.email.lower())
        contacts.append(contact)
    if errors:
        raise ContactImportFailed(errors)
    return PartnerContact.objects.bulk_create([_contact_row(partner, c) for c in contacts])


# -- internal services -------------------------------------------------------------------------


def internal_service_create(*, organisation: Organisation, provider: Unit, customer_unit: Unit) -> InternalService:
    _same_organisation(organisation, provider, "provider")
    _same_organisation(organisation, customer_unit, "customer_unit")
    if provider.pk == customer_unit.pk:
        raise ValidationError({"customer_unit": _("A unit cannot be its own internal customer.")})
    if customer_unit.path.startswith(provider.path):
        raise ValidationError(
            {
                "customer_unit": _("Choose a unit outside %(unit)s: its own teams are not its internal customers.")
                % {"unit": provider.name}
            }
        )
    if InternalService.objects.filter(provider=provider, customer_unit=customer_unit).exists():
        raise ValidationError(
            {"customer_unit": _("%(unit)s is already served by this unit.") % {"unit": customer_unit}}
        )
    return InternalService.objects.create(organisation=organisation, provider=provider, customer_unit=customer_unit)


def internal_service_delete(*, service: InternalService) -> None:
    service.delete()


# -- launching a round -------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    email: str
    language: str


def _partner_invitees(*, unit: Unit, today: date) -> list[Invitee]:
    contacts = (
        PartnerContact.objects.filter(partner__unit=unit, active=True, contact_consent=True)
        .filter(Q(retain_until__isnull=True) | Q(retain_until__gte=today))
        .exclude(email="")
    )
    return [Invitee(email=c.email, language=c.language) for c in contacts.order_by("pk")]


def internal_customers_of(*, unit: Unit) -> list[Person]:
    """The active people with an e-mail in the units `unit` serves (and their subtrees), outside `unit`."""
    scope = scope_from_organisation(organisation=unit.organisation)
    served = Q()
    for path in InternalService.objects.filter(provider=unit).values_list("customer_unit__path", flat=True):
        served |= Q(unit__path__startswith=path)
    if not served:
        return []
    people = people_visible(scope=scope).filter(served, active=True).exclude(email="")
    return list(people.exclude(unit__path__startswith=unit.path).order_by("pk"))


def stakeholder_invitees(*, unit: Unit, audience: str, now: datetime) -> list[Invitee]:
    if audience == Audience.PARTNER:
        today = timezone.localdate(now, timezone=ZoneInfo(unit.organisation.time_zone))
        return _partner_invitees(unit=unit, today=today)
    language = unit.organisation.default_language
    return [Invitee(email=p.email, language=language) for p in internal_customers_of(unit=unit)]


def _launch_errors(*, organisation: Organisation, unit: Unit, audience: str, invitees: list[Invitee]) -> None:
    if audience not in (Audience.PARTNER, Audience.INTERNAL_CUSTOMER):
        raise ValidationError({"audience": _("Choose partners or internal customers.")})
    _same_organisation(organisation, unit)
    if not invitees:
        message = (
            _("%(unit)s has no partner contacts who agreed to be contacted.")
            if audience == Audience.PARTNER
            else _("%(unit)s serves no internal customers with an e-mail address. Say first which units it serves.")
        )
        raise ValidationError({"unit": message % {"unit": unit.name}})
    threshold = threshold_for(organisation)
    if len(invitees) < threshold:
        raise ValidationError(
            {
                "unit": _(
                    "Only %(n)s people could be invited; with fewer than %(threshold)s no result could ever be shown."
                )
                % {"n": len(invitees), "threshold": threshold}
            }
        )


def stakeholder_round_launch(
    *,
    organisation: Organisation,
    unit: Unit,
    audience: str,
    expires_after_days: int = 14,
    now: datetime | None = None,
) -> StakeholderRound:
    """A round asking `audience` about `unit`: the questionnaire in the audience's wording, one
    invitation per partner contact (with consent) or internal customer. All or nothing."""
    now = now or timezone.now()
    invitees = stakeholder_invitees(unit=unit, audience=audience, now=now)
    _launch_errors(organisation=organisation, unit=unit, audience=audience, invitees=invitees)
    if not 1 <= expires_after_days <= 90:
        raise ValidationError({"expires_after_days": _("Give between 1 and 90 days.")})
    with transaction.atomic():
        # The customer programme exists first, so that "the organisation's pulse programme" stays it.
        pulse_programme_ensure(organisation=organisation)
        questionnaire = stakeholder_questionnaire_ensure(organisation=organisation, audience=audience, unit=unit)
        feedback_round = Round.objects.create(
            organisation=organisation,
            kind=Round.Kind.PULSE,
            name=questionnaire.names.get(organisation.default_language, questionnaire.name),
            questionnaire=questionnaire,
            invite_after_encounters=False,
            expires_after_days=expires_after_days,
        )
        stakeholder_round = StakeholderRound.objects.create(
            organisation=organisation, round=feedback_round, audience=audience, unit=unit, launched_at=now
        )
        Invitation.objects.bulk_create(
            [
                Invitation(
                    organisation=organisation,
                    round=feedback_round,
                    email=invitee.email,
                    language=invitee.language,
                    respondent_role=audience,
                    questionnaire=questionnaire,
                    expires_at=now + timedelta(days=expires_after_days),
                )
                for invitee in invitees
            ]
        )
    return stakeholder_round


def stakeholder_invitations_send(*, stakeholder_round: StakeholderRound, now: datetime | None = None) -> int:
    """Send the round's waiting invitations; returns how many were sent."""
    pending = Invitation.objects.filter(round_id=stakeholder_round.round_id, status=Invitation.Status.PENDING)
    return sum(invitation_send(invitation_id=pk, now=now) for pk in list(pending.values_list("pk", flat=True)))
