"""Import of business outcomes (CSV or API rows): every problem reported with its line, nothing half-stored.

Columns: customer_id, period (2026-03 for a month, 2026-Q1 for a quarter), spend, services, retained,
recommended. Empty cells are "not known". Booleans: 1/0, yes/no, true/false, kyllä/ei, ja/nej.
A customer's row for a period that already has one replaces it.
"""

import calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from kohtaamo.organisations.models import Customer, Organisation

from .models import Outcome

COLUMNS = ("customer_id", "period", "spend", "services", "retained", "recommended")
REQUIRED = ("customer_id", "period")
TRUE = {"1", "yes", "true", "kyllä", "ja", "y"}
FALSE = {"0", "no", "false", "ei", "nej", "n"}
MAX_SPEND = Decimal("1e11")
MAX_SERVICES = 10_000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def period_parse(text: str) -> tuple[date, date] | None:
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * (quarter - 1) + 1
        return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    return None


def _bool(value: str, field: str, line: int, errors: list) -> bool | None:
    value = value.strip().casefold()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    errors.append(RowError(line, field, _("“%(value)s” is not yes or no.") % {"value": value}))
    return None


def _row_clean(row: dict, line: int, errors: list) -> dict | None:
    before = len(errors)
    customer_id = (row.get("customer_id") or "").strip()
    if not customer_id:
        errors.append(RowError(line, "customer_id", _("The customer id is missing.")))
    period = period_parse(row.get("period") or "")
    if period is None:
        errors.append(
            RowError(line, "period", _("The period must look like 2026-03 (month) or 2026-Q1 (quarter).")),
        )
    spend = None
    if raw := (row.get("spend") or "").strip().replace(",", ".").replace(" ", ""):
        try:
            spend = Decimal(raw)
        except InvalidOperation:
            errors.append(RowError(line, "spend", _("“%(value)s” is not a number.") % {"value": raw}))
        else:
            if not spend.is_finite() or spend < 0 or spend >= MAX_SPEND:
                errors.append(RowError(line, "spend", _("Spend cannot be negative or absurdly large.")))
    services = None
    if raw := (row.get("services") or "").strip():
        if not re.fullmatch(r"-?\d+", raw):
            errors.append(RowError(line, "services", _("The number of services must be a whole number.")))
        elif not 0 <= int(raw) <= MAX_SERVICES:
            errors.append(
                RowError(
                    line, "services", _("The number of services must be between 0 and %(max)s.") % {"max": MAX_SERVICES}
                )
            )
        else:
            services = int(raw)
    retained = _bool(row.get("retained") or "", "retained", line, errors)
    recommended = _bool(row.get("recommended") or "", "recommended", line, errors)
    if len(errors) > before:
        return None
    return {
        "customer_id": customer_id,
        "period": period,
        "spend": spend,
        "services": services,
        "retained": retained,
        "recommended": recommended,
    }


def outcomes_import_rows(*, organisation: Organisation, rows: list[tuple[int, dict]]) -> ImportResult:
    """Validate every (line, row) pair; store all of them in one transaction, or none."""
    errors: list[RowError] = []
    cleaned: list[tuple[int, dict]] = []
    seen: dict[tuple[str, date], int] = {}
    for line, row in rows:
        clean = _row_clean(row, line, errors)
        if clean is None:
            continue
        key = (clean["customer_id"], clean["period"][0])
        if key in seen:
            errors.append(
                RowError(
                    line, "period", _("Duplicate of line %(line)s (same customer and period).") % {"line": seen[key]}
                )
            )
            continue
        seen[key] = line
        cleaned.append((line, clean))
    wanted = {clean["customer_id"] for _line, clean in cleaned}
    customers = dict(
        Customer.objects.filter(organisation=organisation, external_id__in=wanted).values_list("external_id", "pk")
    )
    for line, clean in cleaned:
        if clean["customer_id"] not in customers:
            errors.append(RowError(line, "customer_id", _("Unknown customer “%(id)s”.") % {"id": clean["customer_id"]}))
    if errors:
        return ImportResult(errors=tuple(sorted(errors, key=lambda e: (e.line, e.field))))
    created = updated = 0
    with transaction.atomic():
        for _line, clean in cleaned:
            start, end = clean["period"]
            _outcome, was_created = Outcome.objects.update_or_create(
                customer_id=customers[clean["customer_id"]],
                period_start=start,
                defaults={
                    "organisation": organisation,
                    "period_end": end,
                    "spend": clean["spend"],
                    "services": clean["services"],
                    "retained": clean["retained"],
                    "recommended": clean["recommended"],
                },
            )
            created += was_created
            updated += not was_created
    return ImportResult(created=created, updated=updated)


def outcomes_import_csv(*, organisation: Organisation, data: bytes) -> ImportResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult(errors=(RowError(1, "__all__", _("The file is not UTF-8 text.")),))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return ImportResult(
            errors=(RowError(1, "__all__", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}),)
        )
    reader.fieldnames = header
    rows = [
        (reader.line_num, row) for row in reader if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]
    if not rows:
        return ImportResult(errors=(RowError(1, "__all__", _("The file has no rows.")),))
    return outcomes_import_rows(organisation=organisation, rows=rows)
