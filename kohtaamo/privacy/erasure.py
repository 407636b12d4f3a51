"""Erasure of one person (an employee) or one customer across every app, in one transaction.

The subject's row is deleted, so the schema's own rules remove or unlink what hangs off it (a development
plan goes with its person, a response loses its subject link and keeps its scores). Then every text and
JSON column of the organisation's tables is searched for the subject's name, e-mail, login and id, and
each occurrence is replaced, so copies (an invitation's address, a comment naming the employee, an
audit entry's login name) go too. The erasure itself is recorded in the audit log by type and id only.
"""

import json
import re
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from kohtaamo.organisations.models import Customer, Organisation, Person

from .audit import audit_record
from .introspection import data_models, model_label, organisation_path, scoped_queryset, text_fields
from .models import AuditEntry, ConsentRecord
from .retention import customer_contact_details_wipe

ERASED = "[erased]"
# Tables outside any tenant that may still copy a name: the admin's change log and the task queue's arguments.
# Other tenant-less tables (logins, framework wording) are never rewritten on behalf of one organisation.
SHARED_TABLES = frozenset({"admin.logentry", "django_tasks_database.dbtaskresult"})
# Shorter values (an id like "E1") are replaced only where a whole value equals them, never inside text.
MIN_SUBSTRING = 4
IDENTITY_COLUMN_WORDS = ("external", "customer", "person", "email", "name", "label", "speaker")


@dataclass
class Needles:
    """What identifies the subject: matched inside text when long enough, else as a whole value."""

    values: list[str] = field(default_factory=list)

    def add(self, *values: str) -> None:
        for value in values:
            value = (value or "").strip()
            if value and value.casefold() not in {v.casefold() for v in self.values}:
                self.values.append(value)

    @property
    def substrings(self) -> list[str]:
        return [v for v in self.values if len(v) >= MIN_SUBSTRING]

    def wholes_for(self, model_field) -> list[str]:
        """Whole values to match in this column: short ids only where a column holds references to people
        (an id "C1" in a unit's code column is another thing altogether)."""
        if isinstance(model_field, models.JSONField) or any(w in model_field.name for w in IDENTITY_COLUMN_WORDS):
            return list(self.values)
        return self.substrings


@dataclass
class ErasureResult:
    object_type: str
    object_id: int
    rows_redacted: int = 0
    login_deleted: bool = False


def _pattern(needles: Needles) -> re.Pattern:
    return re.compile("|".join(re.escape(v) for v in sorted(needles.substrings, key=len, reverse=True)), re.IGNORECASE)


def _redact_string(value: str, wholes: list[str], pattern: re.Pattern | None) -> str:
    if value.strip().casefold() in {v.casefold() for v in wholes}:
        return ERASED
    return pattern.sub(ERASED, value) if pattern is not None else value


def _redact_json(value, wholes: list[str], pattern):
    if isinstance(value, str):
        return _redact_string(value, wholes, pattern)
    if isinstance(value, list):
        return [_redact_json(v, wholes, pattern) for v in value]
    if isinstance(value, dict):
        return {_redact_json(k, wholes, pattern): _redact_json(v, wholes, pattern) for k, v in value.items()}
    return value


def _condition(model_field, needles: Needles) -> Q:
    """Rows whose column may hold a needle. JSON is searched as its text (SQLite keeps \\u escapes)."""
    q = Q()
    if isinstance(model_field, models.JSONField):
        column = f"_privacy_text_{model_field.name}"
        for value in needles.wholes_for(model_field):
            for form in {value, json.dumps(value)[1:-1]}:
                q |= Q(**{f"{column}__icontains": form})
        return q
    for value in needles.substrings:
        q |= Q(**{f"{model_field.name}__icontains": value})
    for value in needles.wholes_for(model_field):
        q |= Q(**{f"{model_field.name}__iexact": value})
    return q


def _fit(model_field, value: str, pk) -> str:
    if isinstance(model_field, models.JSONField):
        return value
    if value == ERASED and model_field.blank and not model_field.unique:
        return ""
    if value == ERASED and model_field.unique:
        value = f"{ERASED} {pk}"
    max_length = getattr(model_field, "max_length", None)
    return value[:max_length] if max_length else value


def _redacted(model_field, value, needles: Needles, pattern, pk):
    if value in (None, ""):
        return value
    wholes = needles.wholes_for(model_field)
    if isinstance(model_field, models.JSONField):
        return _redact_json(value, wholes, pattern)
    return _fit(model_field, _redact_string(value, wholes, pattern), pk)


def text_redact(*, organisation: Organisation, needles: Needles) -> int:
    """Replace the needles in every text and JSON column of the organisation's rows (and of the shared
    tables that copy names, such as the admin's change log): one search per table. Returns rows changed."""
    if not needles.values:
        return 0
    pattern = _pattern(needles) if needles.substrings else None
    changed = 0
    for model in data_models():
        fields = text_fields(model)
        if not fields or (organisation_path(model) is None and model_label(model) not in SHARED_TABLES):
            continue
        qs = scoped_queryset(model, organisation).annotate(
            **{
                f"_privacy_text_{f.name}": Cast(f.name, models.TextField())
                for f in fields
                if isinstance(f, models.JSONField)
            }
        )
        condition = Q()
        for model_field in fields:
            condition |= _condition(model_field, needles)
        names = [f.name for f in fields]
        for row in qs.filter(condition).values_list("pk", *names):
            pk, values = row[0], row[1:]
            updates = {}
            for model_field, value in zip(fields, values, strict=True):
                new = _redacted(model_field, value, needles, pattern, pk)
                if new != value:
                    updates[model_field.name] = new
            if updates:
                model._base_manager.filter(pk=pk).update(**updates)
                changed += 1
    return changed


def _admin_log_forget(obj) -> None:
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)).delete()


def _delete(obj) -> None:
    try:
        obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
        names = sorted({str(o._meta.verbose_name) for o in blocking})
        raise ValidationError(
            _("This record cannot be erased while these depend on it: %(blockers)s") % {"blockers": ", ".join(names)}
        ) from exc


def _login_is_only_here(user, organisation: Organisation) -> bool:
    return not user.is_superuser and not user.memberships.exclude(organisation=organisation).exists()


def person_erase(*, person: Person, actor, request=None) -> ErasureResult:
    """Erase an employee: their record, login (when it serves no other organisation), development data,
    360 participation and rater records, and every copy of their name, e-mail and ids."""
    if actor is not None and person.user_id is not None and person.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot erase your own personal data here; ask another administrator."))
    organisation = person.organisation
    needles = Needles()
    needles.add(person.name, person.email, person.external_id)
    user = person.user
    delete_login = user is not None and _login_is_only_here(user, organisation)
    if delete_login:
        # A first or last name alone is too common to erase from other people's text; the full name is not.
        needles.add(user.get_username(), user.email, user.get_full_name())
    result = ErasureResult(object_type="organisations.person", object_id=person.pk, login_deleted=delete_login)
    with transaction.atomic():
        _admin_log_forget(person)
        _delete(person)
        if delete_login:
            _admin_log_forget(user)
            AuditEntry.objects.filter(actor=user).update(actor=None, actor_label="")
            _delete(user)
        _erasure_close(organisation=organisation, needles=needles, result=result, actor=actor, request=request)
    return result


def customer_erase(*, customer: Customer, actor, request=None) -> ErasureResult:
    """Erase a customer: contact details everywhere, consents, outcomes, transcripts and the encounters'
    source-system ids; their answers and scores stay, linked to no one."""
    from kohtaamo.feedback.models import Encounter

    organisation = customer.organisation
    needles = Needles()
    needles.add(customer.email, customer.external_id)
    result = ErasureResult(object_type="organisations.customer", object_id=customer.pk)
    with transaction.atomic():
        customer_contact_details_wipe(customer_ids=[customer.pk])
        ConsentRecord.objects.filter(customer=customer).delete()
        encounters = Encounter.objects.filter(customer=customer)
        needles.add(*encounters.values_list("external_id", flat=True))
        for encounter in encounters.only("pk"):
            # The source system's id would lead straight back to the customer's record there.
            Encounter.objects.filter(pk=encounter.pk).update(external_id=f"erased-{encounter.pk}", transcript="")
        _transcripts_delete(encounter_ids=list(encounters.values_list("pk", flat=True)))
        _admin_log_forget(customer)
        _delete(customer)
        _erasure_close(organisation=organisation, needles=needles, result=result, actor=actor, request=request)
    return result


def _erasure_close(*, organisation, needles: Needles, result: ErasureResult, actor, request) -> None:
    """Last steps of every erasure: the name in free text anywhere, then the audit entry."""
    result.rows_redacted = text_redact(organisation=organisation, needles=needles)
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEntry.Action.ERASE,
        object_type=result.object_type,
        object_id=result.object_id,
        request=request,
    )


def _transcripts_delete(*, encounter_ids: list[int]) -> None:
    from kohtaamo.textanalytics.models import TranscriptAnalysis

    TranscriptAnalysis.objects.filter(encounter_id__in=encounter_ids).delete()
