"""Writes for web feedback widgets: managers' configuration."""

from django.db import transaction

from kohtaamo.feedback.models import Round
from kohtaamo.instruments.models import Item
from kohtaamo.organisations.models import Organisation, Touchpoint

from .models import Widget


@transaction.atomic
def widget_create(
    *,
    organisation: Organisation,
    programme: Round,
    touchpoint: Touchpoint,
    item: Item,
    ask_comment: bool,
    allowed_origins: list[str],
    active: bool = True,
    frequency_cap_days: int = 30,
    show_cap_days: int = 7,
) -> Widget:
    """A widget for one touchpoint; its answers join `programme` (the pulse programme). Inputs are validated."""
    return Widget.objects.create(
        organisation=organisation,
        round=programme,
        touchpoint=touchpoint,
        item=item,
        ask_comment=ask_comment,
        allowed_origins=allowed_origins,
        active=active,
        frequency_cap_days=frequency_cap_days,
        show_cap_days=show_cap_days,
    )


UPDATABLE = ("item", "ask_comment", "allowed_origins", "active", "frequency_cap_days", "show_cap_days")


@transaction.atomic
def widget_update(*, widget: Widget, **changes) -> Widget:
    """Change a widget's question, origins, switch or frequency caps. Its key (and so the snippet) stays."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"widget_update() cannot change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(widget, name, value)
    widget.save(update_fields=[*changes, "updated_at"])
    return widget
