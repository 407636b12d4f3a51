"""Export of everything stored about one person or one customer, across every app, as one JSON document.

Rows are found from the schema: those that point at the subject (level 1), and those that point at
those rows, up to three links away (an encounter's invitation's response's answers). What would name
somebody else is left out: other people's e-mail addresses, and who the 360 raters were — their
answers reach the person only through released reports, which follow the anonymity rule.
"""

import json
from collections import defaultdict
from collections.abc import Iterable

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from kohtaamo.feedback.models import RespondentRole
from kohtaamo.organisations.models import Customer, Person

from .audit import audit_record
from .introspection import model_label, relations_to
from .models import AuditEntry

DEPTH = 3
CHUNK = 500
# Credentials and keys: never part of anyone's export.
SECRET_FIELDS = frozenset({"password", "token", "key_hash", "secret", "idempotency_key", "page_key", "code_hash"})
# Respondent roles whose identity a 360 report keeps from the person rated.
OPEN_ROLES = frozenset({RespondentRole.SELF, RespondentRole.CUSTOMER})
# Fields that would tell the person who the hidden raters were, or reach other people.
OTHERS_FIELDS = frozenset({"email", "customer", "person", "invitation", "encounter", "open_link"})


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _role(obj) -> str | None:
    return getattr(obj, "respondent_role", None) or (
        getattr(obj, "role", None) if hasattr(obj, "participant_id") else None
    )


class _Collector:
    def __init__(self, *, hide_others: bool):
        self.hide_others = hide_others
        self.rows: dict[type, dict[int, object]] = defaultdict(dict)
        # Once the subject is in, other people's and customers' own records are never followed into.
        self.closed_models: frozenset = frozenset()

    def seal(self) -> None:
        from django.contrib.auth import get_user_model

        self.closed_models = frozenset({Person, Customer, get_user_model()})

    def hidden(self, obj) -> bool:
        """A row from a hidden 360 rater group: kept as a fact, not followed, stripped of identities."""
        role = _role(obj)
        return self.hide_others and role is not None and role not in OPEN_ROLES

    def add(self, objects: Iterable) -> dict[type, list[int]]:
        new: dict[type, list[int]] = defaultdict(list)
        for obj in objects:
            model = type(obj)
            if model in self.closed_models or obj.pk in self.rows[model]:
                continue
            self.rows[model][obj.pk] = obj
            if not self.hidden(obj):
                new[model].append(obj.pk)
        return new

    def walk(self, frontier: dict[type, list[int]]) -> None:
        for _level in range(DEPTH):
            found: dict[type, list[int]] = defaultdict(list)
            for model, pks in frontier.items():
                for field in relations_to(model):
                    for chunk in _chunks(pks):
                        objects = field.model._base_manager.filter(**{f"{field.name}__in": chunk})
                        for new_model, new_pks in self.add(objects).items():
                            found[new_model].extend(new_pks)
            frontier = found

    def document(self, *, subject_models: set) -> dict:
        apps_data: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for model, objects in sorted(self.rows.items(), key=lambda item: model_label(item[0])):
            if not objects:
                continue
            for row in serializers.serialize("python", objects.values()):
                obj = objects[row["pk"]]
                fields = {k: v for k, v in row["fields"].items() if k not in SECRET_FIELDS}
                if self.hide_others and model not in subject_models:
                    strip = OTHERS_FIELDS if self.hidden(obj) or _role(obj) is not None else {"email", "customer"}
                    fields = {k: v for k, v in fields.items() if k not in strip}
                apps_data[model._meta.app_label][model._meta.model_name].append({"id": row["pk"], **fields})
        return {app: dict(models) for app, models in apps_data.items()}


def _about(*, object_type: str, object_id: int, organisation_id: int):
    return AuditEntry.objects.filter(organisation_id=organisation_id, object_type=object_type, object_id=str(object_id))


def _envelope(*, object_type: str, object_id: int, organisation, data: dict) -> dict:
    return {
        "subject": {"type": object_type, "id": object_id},
        "organisation": organisation.slug,
        "exported_at": timezone.now().isoformat(),
        "apps": data,
    }


def person_export(*, person: Person, actor=None, request=None) -> dict:
    """Everything stored about an employee: their record and login, and every row that points at them."""
    collector = _Collector(hide_others=True)
    frontier = collector.add([person])
    if person.user_id:
        frontier = {**frontier, **collector.add([person.user])}
    collector.seal()
    collector.walk(frontier)
    collector.add(
        _about(object_type="organisations.person", object_id=person.pk, organisation_id=person.organisation_id)
    )
    subject_models = {Person, type(person.user)} if person.user_id else {Person}
    document = _envelope(
        object_type="organisations.person",
        object_id=person.pk,
        organisation=person.organisation,
        data=collector.document(subject_models=subject_models),
    )
    _audit_export(
        organisation=person.organisation,
        actor=actor,
        object_type="organisations.person",
        object_id=person.pk,
        request=request,
    )
    return document


def customer_export(*, customer: Customer, actor=None, request=None) -> dict:
    """Everything stored about a customer: contact details, consents, encounters, invitations, answers,
    follow-up cases, 360 rater records and business outcomes."""
    collector = _Collector(hide_others=False)
    frontier = collector.add([customer])
    collector.seal()
    collector.walk(frontier)
    collector.add(
        _about(object_type="organisations.customer", object_id=customer.pk, organisation_id=customer.organisation_id)
    )
    document = _envelope(
        object_type="organisations.customer",
        object_id=customer.pk,
        organisation=customer.organisation,
        data=collector.document(subject_models={Customer}),
    )
    _audit_export(
        organisation=customer.organisation,
        actor=actor,
        object_type="organisations.customer",
        object_id=customer.pk,
        request=request,
    )
    return document


def _audit_export(*, organisation, actor, object_type: str, object_id: int, request) -> None:
    audit_record(
        organisation=organisation,
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type=object_type,
        object_id=object_id,
        request=request,
    )


def export_bytes(document: dict) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
