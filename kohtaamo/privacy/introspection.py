"""What the schema says about personal data: which models hold text, how each reaches its organisation,
and which rows point at a given object. Read from django.apps, so a new app is covered without a change here.
"""

from collections import deque
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models

# Framework tables that never hold a tenant's personal data as text, or that are handled on their own.
SKIPPED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session", "auth.group"})


def model_label(model) -> str:
    return model._meta.label_lower


@cache
def data_models() -> tuple:
    return tuple(
        m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and model_label(m) not in SKIPPED_MODELS
    )


def is_text_field(field) -> bool:
    """Free text or a JSON document; choice fields hold codes, not people's words."""
    if isinstance(field, models.JSONField):
        return True
    return isinstance(field, models.CharField | models.TextField) and not field.choices


@cache
def text_fields(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if is_text_field(f))


@cache
def organisation_path(model) -> str | None:
    """The lookup from `model` to its Organisation ("organisation", "report__assignment__organisation"),
    "pk" for Organisation itself, None for tables outside any tenant (logins, framework data)."""
    organisation_model = apps.get_model("organisations", "Organisation")
    if model is organisation_model:
        return "pk"
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    queue = deque([(model, "", 0)])
    seen = {model}
    while queue:
        current, prefix, depth = queue.popleft()
        for field in current._meta.concrete_fields:
            if not field.is_relation or not field.many_to_one and not field.one_to_one:
                continue
            target = field.related_model
            if target is organisation_model:
                return prefix + field.name
            if depth < 3 and target not in seen and target is not user_model:
                seen.add(target)
                queue.append((target, f"{prefix}{field.name}__", depth + 1))
    return None


def scoped_queryset(model, organisation):
    """All rows of `model` in `organisation`; every row for tables outside any tenant."""
    path = organisation_path(model)
    manager = model._base_manager
    if path is None:
        return manager.all()
    return manager.filter(**{path: organisation.pk})


def relations_to(model) -> list:
    """Every concrete ForeignKey / OneToOne field, in any app, that points at `model`."""
    return [
        field
        for other in data_models()
        for field in other._meta.concrete_fields
        if field.is_relation and field.related_model is model and (field.many_to_one or field.one_to_one)
    ]


def m2m_relations_to(model) -> list:
    return [
        field for other in data_models() for field in other._meta.local_many_to_many if field.related_model is model
    ]
