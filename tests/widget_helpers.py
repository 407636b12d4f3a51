"""Shared set-up for the widget tests: a web self-service touchpoint with a CSAT + comment widget."""

from kohtaamo.instruments.models import Item
from kohtaamo.organisations.models import Channel, Stage, Touchpoint
from kohtaamo.widget.models import Widget
from kohtaamo.widget.services import widget_create

HOST_ORIGIN = "https://www.acme.example"


def web_touchpoint(world) -> Touchpoint:
    stage = Stage.objects.create(service_path=world.touchpoint.stage.service_path, name="Online banking", order=2)
    return Touchpoint.objects.create(
        organisation=world.organisation, stage=stage, name="Online bank", channel=Channel.WEB, owner_unit=world.branch
    )


def csat_widget(world, *, origins=(HOST_ORIGIN,), **changes) -> Widget:
    fields = {
        "organisation": world.organisation,
        "programme": world.programme,
        "touchpoint": web_touchpoint(world),
        "item": Item.objects.get(code="csat_1"),
        "ask_comment": True,
        "allowed_origins": list(origins),
        "frequency_cap_days": 30,
    }
    return widget_create(**{**fields, **changes})
