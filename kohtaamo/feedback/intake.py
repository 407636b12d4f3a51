"""Encounter intake: CSV import and the API's create calls share one validation and one write path.

CSV format (the upload page shows the same description):

* UTF-8, with or without a byte-order mark; comma or semicolon as the delimiter (read from the
  header row); a header row is required; column order is free; blank lines are skipped.
* Columns (header names are case-insensitive):

  ==================  ========  ==============================================================
  column              required  value
  ==================  ========  ==============================================================
  external_id         yes       the encounter's id in the source system, unique per organisation
  occurred_at         yes       ISO 8601 date and time; without an offset it is the
                                organisation's local time (e.g. ``2025-03-14T09:30``)
  unit                yes       unit code, or the unit's exact name
  channel             yes       face_to_face, phone, email, video, chat, web, or the channel's
                                name in Finnish, Swedish or English (case-insensitive)
  person              no        the employee's external id
  touchpoint          no        touchpoint code, or the touchpoint's exact name
  customer_id         no        the customer's pseudonymous id (needed by the three below)
  customer_email      no        kept only with consent to contact
  customer_language   no        fi, sv or en: the language of the invitation
  consent             no        consent to contact: yes/no, 1/0, true/false, kyllä/ei, ja/nej
  transcript          no        free text
  ==================  ========  ==============================================================

Every row is validated before anything is written; any error (reported with its line number and
column) means nothing of the file is imported.
"""

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kohtaamo.organisations.models import Channel, Customer, Language, Organisation, Person, Touchpoint, Unit
from kohtaamo.organisations.selectors import (
    Scope,
    customers_visible,
    people_visible,
    scope_from_organisation,
    touchpoints_visible,
    units_visible,
)
from kohtaamo.privacy.consent import consents_record_intake

from .invitations import invitation_create_for_encounter
from .models import Encounter, Invitation
from .selectors import pulse_programme_for

REQUIRED_COLUMNS = ("external_id", "occurred_at", "unit", "channel")
OPTIONAL_COLUMNS = (
    "person",
    "touchpoint",
    "customer_id",
    "customer_email",
    "customer_language",
    "consent",
    "transcript",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CUSTOMER_DETAIL_COLUMNS = ("customer_email", "customer_language", "consent")
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
MAX_LENGTHS = {"external_id": 100, "customer_id": 100, "transcript": 100_000}
# Clocks of source systems drift; a time further ahead than this is a data error.
FUTURE_TOLERANCE = timedelta(days=1)
CONSENT_VALUES = {
    **dict.fromkeys(("yes", "y", "1", "true", "kyllä", "kylla", "k", "ja", "j"), True),
    **dict.fromkeys(("no", "n", "0", "false", "ei", "e", "nej"), False),
}
WRITE_CHUNK = 1000
LOOKUP_CHUNK = 500

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IntakeError:
    """One problem in the input: `row` is the CSV line number, or the item's index in an API batch."""

    row: int
    field: str
    message: str


class EncounterDataInvalid(Exception):
    def __init__(self, errors: list[IntakeError]):
        super().__init__(f"{len(errors)} error(s) in encounter data")
        self.errors = errors


@dataclass
class ImportResult:
    imported: int = 0
    invited: int = 0
    errors: list[IntakeError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CleanEncounter:
    external_id: str
    occurred_at: datetime
    unit: Unit
    channel: str
    person: Person | None
    touchpoint: Touchpoint | None
    customer_id: str
    customer_email: str
    customer_language: str
    consent: bool | None
    transcript: str


def _chunks(values: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _text(raw: Mapping[str, Any], column: str) -> str:
    value = raw.get(column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _channel_aliases() -> dict[str, str]:
    """Channel codes and their display names in every UI language, casefolded."""
    aliases = {value: value for value in Channel.values}
    for language, _name in Language.choices:
        with translation.override(language):
            for value, label in Channel.choices:
                aliases[str(label).casefold()] = value
    return aliases


def _language_aliases() -> dict[str, str]:
    aliases = {value: value for value in Language.values}
    aliases.update({str(label).casefold(): value for value, label in Language.choices})
    return aliases


class IntakeReferences:
    """The units, people and touchpoints a batch refers to, fetched once through the tenant scope."""

    def __init__(self, *, scope: Scope, rows: Sequence[Mapping[str, Any]]):
        self.scope = scope
        self.time_zone = ZoneInfo(scope.organisation.time_zone)
        self.now = timezone.now()
        self.channels = _channel_aliases()
        self.languages = _language_aliases()
        self.units = self._by_code_or_name(units_visible(scope=scope), {_text(r, "unit") for r in rows})
        self.touchpoints = self._by_code_or_name(
            touchpoints_visible(scope=scope), {_text(r, "touchpoint") for r in rows}
        )
        person_ids = sorted({_text(r, "person") for r in rows} - {""})
        self.people: dict[str, Person] = {}
        for chunk in _chunks(person_ids, LOOKUP_CHUNK):
            self.people.update({p.external_id: p for p in people_visible(scope=scope).filter(external_id__in=chunk)})

    @staticmethod
    def _by_code_or_name(queryset, references: set[str]) -> dict[str, list]:
        """Reference -> matches; a code match wins over name matches."""
        references = sorted(references - {""})
        by_code: dict[str, list] = {}
        by_name: dict[str, list] = {}
        for chunk in _chunks(references, LOOKUP_CHUNK):
            for obj in queryset.filter(Q(code__in=chunk) | Q(name__in=chunk)):
                if obj.code in chunk:
                    by_code.setdefault(obj.code, []).append(obj)
                if obj.name in chunk:
                    by_name.setdefault(obj.name, []).append(obj)
        return {ref: by_code.get(ref) or by_name.get(ref, []) for ref in references}


def _parse_time(value: str, references: IntakeReferences) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, references.time_zone)
    return parsed


def encounter_clean(
    *, raw: Mapping[str, Any], references: IntakeReferences, row: int
) -> tuple[CleanEncounter | None, list[IntakeError]]:
    """Validate one encounter's raw values (strings as in the CSV). Returns the clean values or the errors."""
    errors: list[IntakeError] = []

    def error(column: str, message: str) -> None:
        errors.append(IntakeError(row=row, field=column, message=message))

    values = {column: _text(raw, column) for column in COLUMNS}
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            error(column, _("This value is required."))
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            error(column, _("Too long: at most %(limit)d characters.") % {"limit": limit})

    occurred_at = None
    if values["occurred_at"]:
        occurred_at = _parse_time(values["occurred_at"], references)
        if occurred_at is None:
            error("occurred_at", _("Not a valid date and time. Use ISO 8601, for example 2025-03-14T09:30."))
        elif occurred_at > references.now + FUTURE_TOLERANCE:
            error("occurred_at", _("The time is in the future."))

    unit = _resolve(values["unit"], references.units, "unit", error, not_found=_("No unit with this code or name."))
    touchpoint = _resolve(
        values["touchpoint"],
        references.touchpoints,
        "touchpoint",
        error,
        not_found=_("No touchpoint with this code or name."),
    )

    channel = references.channels.get(values["channel"].casefold()) if values["channel"] else None
    if values["channel"] and channel is None:
        error("channel", _("Unknown channel. Use one of: %(choices)s.") % {"choices": ", ".join(Channel.values)})

    person = None
    if values["person"]:
        person = references.people.get(values["person"])
        if person is None:
            error("person", _("No person with this external id."))

    if values["customer_email"]:
        try:
            validate_email(values["customer_email"])
        except ValidationError:
            error("customer_email", _("Enter a valid e-mail address."))
    language = ""
    if values["customer_language"]:
        language = references.languages.get(values["customer_language"].casefold(), "")
        if not language:
            error("customer_language", _("Unknown language. Use fi, sv or en."))
    consent = None
    if values["consent"]:
        consent = CONSENT_VALUES.get(values["consent"].casefold())
        if consent is None:
            error("consent", _("Unknown consent value. Use yes or no."))
    if not values["customer_id"]:
        for column in CUSTOMER_DETAIL_COLUMNS:
            if values[column]:
                error(column, _("Customer details need a customer_id."))

    if errors:
        return None, errors
    return (
        CleanEncounter(
            external_id=values["external_id"],
            occurred_at=occurred_at,
            unit=unit,
            channel=channel,
            person=person,
            touchpoint=touchpoint,
            customer_id=values["customer_id"],
            customer_email=values["customer_email"],
            customer_language=language,
            consent=consent,
            transcript=values["transcript"],
        ),
        [],
    )


def _resolve(reference: str, lookup: dict[str, list], column: str, error, *, not_found: str):
    if not reference:
        return None
    matches = lookup.get(reference, [])
    if not matches:
        error(column, not_found)
        return None
    if len(matches) > 1:
        error(column, _("Several match this name; use the code instead."))
        return None
    return matches[0]


def _external_id_errors(
    *, scope: Scope, external_ids: Sequence[tuple[int, str]], first_seen: Callable[[int], str]
) -> list[IntakeError]:
    """Duplicates within the batch and ids the organisation already has."""
    errors = []
    seen: dict[str, int] = {}
    for row, external_id in external_ids:
        if not external_id:
            continue
        if external_id in seen:
            errors.append(IntakeError(row=row, field="external_id", message=first_seen(seen[external_id])))
        else:
            seen[external_id] = row
    existing: set[str] = set()
    for chunk in _chunks(sorted(seen), LOOKUP_CHUNK):
        existing.update(
            Encounter.objects.filter(organisation=scope.organisation, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    errors += [
        IntakeError(row=seen[e], field="external_id", message=_("An encounter with this external id already exists."))
        for e in sorted(existing)
    ]
    return errors


def _validate(
    *, scope: Scope, rows: Sequence[tuple[int, Mapping[str, Any]]], first_seen: Callable[[int], str]
) -> tuple[list[CleanEncounter], list[IntakeError]]:
    references = IntakeReferences(scope=scope, rows=[raw for _row, raw in rows])
    cleaned, errors = [], []
    for row, raw in rows:
        clean, row_errors = encounter_clean(raw=raw, references=references, row=row)
        if clean is not None:
            cleaned.append(clean)
        errors += row_errors
    errors += _external_id_errors(
        scope=scope, external_ids=[(row, _text(raw, "external_id")) for row, raw in rows], first_seen=first_seen
    )
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.field) if e.field in COLUMNS else -1))
    return cleaned, errors


def _customers_upsert(*, scope: Scope, rows: Sequence[CleanEncounter]) -> dict[str, Customer]:
    """Create or update customers by pseudonymous id; the last row's non-blank details win.

    Contact details are kept only with consent to contact: no consent, no e-mail.
    """
    details: dict[str, dict] = {}
    for row in rows:
        if not row.customer_id:
            continue
        merged = details.setdefault(row.customer_id, {})
        if row.customer_email:
            merged["email"] = row.customer_email
        if row.customer_language:
            merged["language"] = row.customer_language
        if row.consent is not None:
            merged["contact_consent"] = row.consent
    customers: dict[str, Customer] = {}
    for chunk in _chunks(sorted(details), LOOKUP_CHUNK):
        customers.update({c.external_id: c for c in customers_visible(scope=scope).filter(external_id__in=chunk)})
    new, changed = [], []
    for external_id, merged in details.items():
        customer = customers.get(external_id)
        is_new = customer is None
        if is_new:
            customer = Customer(organisation=scope.organisation, external_id=external_id)
            customers[external_id] = customer
        before = (customer.email, customer.language, customer.contact_consent)
        for name, value in merged.items():
            setattr(customer, name, value)
        if not customer.contact_consent:
            customer.email = ""
        if is_new:
            new.append(customer)
        elif before != (customer.email, customer.language, customer.contact_consent):
            changed.append(customer)
    Customer.objects.bulk_create(new, batch_size=WRITE_CHUNK)
    Customer.objects.bulk_update(changed, ["email", "language", "contact_consent"], batch_size=WRITE_CHUNK)
    return customers


def _invitations_enqueue(invitation_ids: list[int]) -> None:
    from .tasks import send_invitation

    for invitation_id in invitation_ids:
        send_invitation.enqueue(invitation_id)


def _encounters_write(
    *, scope: Scope, rows: Sequence[CleanEncounter], progress: Progress | None = None, consent_source: str = "api"
) -> list[Encounter]:
    """Write validated encounters, their customers and invitations in one transaction.

    Each returned encounter carries `invitation` (Invitation or None). Invitations are handed to the
    task queue only once the transaction has committed.
    """
    total = len(rows)
    try:
        with transaction.atomic():
            customers = _customers_upsert(scope=scope, rows=rows)
            consents_record_intake(
                organisation=scope.organisation,
                consent_by_customer={customers[r.customer_id]: r.consent for r in rows if r.consent is not None},
                source=consent_source,
            )
            encounters = [
                Encounter(
                    organisation=scope.organisation,
                    external_id=row.external_id,
                    customer=customers.get(row.customer_id),
                    person=row.person,
                    unit=row.unit,
                    channel=row.channel,
                    touchpoint=row.touchpoint,
                    occurred_at=row.occurred_at,
                    transcript=row.transcript,
                )
                for row in rows
            ]
            programme = pulse_programme_for(organisation=scope.organisation)
            invitations: list[Invitation] = []
            for done, chunk in enumerate(_chunks(encounters, WRITE_CHUNK), start=1):
                Encounter.objects.bulk_create(chunk)
                for encounter in chunk:
                    encounter.invitation = invitation_create_for_encounter(encounter=encounter, programme=programme)
                    if encounter.invitation is not None:
                        invitations.append(encounter.invitation)
                if progress:
                    progress(min(done * WRITE_CHUNK, total), total)
            transaction.on_commit(partial(_invitations_enqueue, [i.pk for i in invitations]))
    except IntegrityError as exc:
        # Another writer stored one of these external ids after validation.
        raise EncounterDataInvalid(
            [IntakeError(row=0, field="external_id", message=_("An encounter with this external id already exists."))]
        ) from exc
    return encounters


# -- CSV ---------------------------------------------------------------------------------------


def _file_error(message: str, line: int = 0) -> list[IntakeError]:
    return [IntakeError(row=line, field="", message=message)]


def _csv_rows(file: IO[bytes] | bytes) -> tuple[list[tuple[int, dict[str, str]]], list[IntakeError]]:
    """Decode and split the file: (line number, {column: value}) per record, or the file's errors."""
    data = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return [], _file_error(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], _file_error(_("The file is not UTF-8 text (first problem on this line)."), line)
    if not text.strip():
        return [], _file_error(_("The file is empty."))
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((r for r in reader if any(cell.strip() for cell in r)), None)
    except csv.Error as exc:
        return [], _file_error(_("The file cannot be read as CSV: %(error)s") % {"error": exc}, reader.line_num)
    if header is None:
        return [], _file_error(_("The file is empty."))
    header_line = reader.line_num
    columns = [cell.strip().lower() for cell in header]
    errors = _header_errors(columns, header_line)
    if errors:
        return [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors += _file_error(_("The file cannot be read as CSV: %(error)s") % {"error": exc}, line)
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) == MAX_ROWS:
            return [], _file_error(
                _("The file has more than %(max)s rows; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}
            )
        if len(record) != len(columns):
            message = ngettext(
                "The line has %(found)d value but the header has %(expected)d.",
                "The line has %(found)d values but the header has %(expected)d.",
                len(record),
            ) % {"found": len(record), "expected": len(columns)}
            errors.append(IntakeError(row=line, field="", message=message))
            continue
        rows.append((line, dict(zip(columns, record, strict=True))))
    if not rows and not errors:
        errors = _file_error(_("The file has a header row but no encounters."))
    return rows, errors


def _header_errors(columns: list[str], line: int) -> list[IntakeError]:
    errors = []
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            errors.append(IntakeError(row=line, field=column, message=_("This column is required.")))
    seen = set()
    for column in columns:
        if column in seen:
            errors.append(IntakeError(row=line, field=column, message=_("The column appears twice in the header.")))
        elif column not in COLUMNS:
            errors.append(
                IntakeError(
                    row=line,
                    field=column,
                    message=_("Unknown column. Allowed columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)},
                )
            )
        seen.add(column)
    return errors


def encounters_import_csv(
    *, organisation: Organisation, file: IO[bytes] | bytes, progress: Progress | None = None
) -> ImportResult:
    """Import a CSV of encounters (format in this module's docstring): all rows or none.

    `progress(done, total)` is called while rows are written. Errors come back in the result,
    each with its line number and column, in the active language.
    """
    rows, read_errors = _csv_rows(file)
    if not rows:
        return ImportResult(errors=read_errors)
    scope = scope_from_organisation(organisation=organisation)
    cleaned, errors = _validate(
        scope=scope,
        rows=rows,
        first_seen=lambda line: _("The same external id is already on line %(line)d.") % {"line": line},
    )
    if read_errors or errors:
        return ImportResult(errors=sorted(read_errors + errors, key=lambda e: e.row))
    try:
        encounters = _encounters_write(scope=scope, rows=cleaned, progress=progress, consent_source="csv_import")
    except EncounterDataInvalid as exc:
        return ImportResult(errors=exc.errors)
    return ImportResult(imported=len(encounters), invited=sum(e.invitation is not None for e in encounters))


# -- API ---------------------------------------------------------------------------------------


def encounters_create(*, organisation: Organisation, items: Sequence[Mapping[str, Any]]) -> list[Encounter]:
    """Create a batch of encounters from raw values (the CSV's columns as keys): all or nothing.

    Raises EncounterDataInvalid whose errors carry the item's index as `row`. Each returned
    encounter carries `invitation` (Invitation or None).
    """
    scope = scope_from_organisation(organisation=organisation)
    cleaned, errors = _validate(
        scope=scope,
        rows=list(enumerate(items)),
        first_seen=lambda index: _("The same external id is already at index %(index)d.") % {"index": index},
    )
    if errors:
        raise EncounterDataInvalid(errors)
    return _encounters_write(scope=scope, rows=cleaned)


def encounter_create(*, organisation: Organisation, data: Mapping[str, Any]) -> Encounter:
    """Create one encounter (and its invitation where due); raises EncounterDataInvalid."""
    return encounters_create(organisation=organisation, items=[data])[0]
