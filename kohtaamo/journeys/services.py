"""Writes of the journey editor. Every saved change records a version snapshot of the whole path.

Bad input is refused with a specific message (ValidationError) and nothing is half-stored: each
public function runs in one transaction. A stage or touchpoint that has responses is archived, never
deleted; a stage that still holds touchpoints cannot be deleted (they would be left without a stage).
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kohtaamo.feedback.models import Encounter, Response
from kohtaamo.organisations.models import Channel, ServicePath, Stage, Touchpoint, Unit

from .models import JourneyVersion, Persona, StageDetail, TouchpointDetail


def _snapshot(service_path: ServicePath) -> dict:
    stages = Stage.objects.filter(service_path=service_path).select_related("journey_detail").order_by("order", "pk")
    touchpoints = (
        Touchpoint.objects.filter(stage__service_path=service_path)
        .select_related("journey_detail")
        .order_by("order", "pk")
    )
    by_stage: dict[int, list] = {}
    for tp in touchpoints:
        detail = getattr(tp, "journey_detail", None)
        by_stage.setdefault(tp.stage_id, []).append(
            {
                "id": tp.pk,
                "name": tp.name,
                "code": tp.code,
                "channel": tp.channel,
                "owner_unit": tp.owner_unit_id,
                "customer_value": detail.customer_value if detail else "",
                "archived": bool(detail and detail.archived),
            }
        )
    return {
        "name": service_path.name,
        "description": service_path.description,
        "personas": [
            {"id": p.pk, "name": p.name, "description": p.description, "segments": p.segments}
            for p in Persona.objects.filter(service_path=service_path)
        ],
        "stages": [
            {
                "id": s.pk,
                "name": s.name,
                "archived": bool(getattr(s, "journey_detail", None) and s.journey_detail.archived),
                "touchpoints": by_stage.get(s.pk, []),
            }
            for s in stages
        ],
    }


def journey_version_create(*, service_path: ServicePath, change: str, user=None) -> JourneyVersion:
    """Record the path as it now is. Called by every editor write inside its transaction."""
    # Lock the path row so two concurrent edits cannot take the same version number.
    ServicePath.objects.select_for_update().filter(pk=service_path.pk).first()
    last = JourneyVersion.objects.filter(service_path=service_path).aggregate(n=Max("number"))["n"] or 0
    return JourneyVersion.objects.create(
        service_path=service_path,
        number=last + 1,
        change=change[:300],
        snapshot=_snapshot(service_path),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("The name is too long (at most 200 characters).")})
    return name


@transaction.atomic
def service_path_create(*, organisation, name: str, description: str = "", user=None) -> ServicePath:
    path = ServicePath.objects.create(organisation=organisation, name=_clean_name(name), description=description)
    journey_version_create(service_path=path, change=_("Service path created"), user=user)
    return path


@transaction.atomic
def persona_create(
    *, service_path: ServicePath, name: str, description: str = "", segments: Sequence[str] = (), user=None
) -> Persona:
    order = (service_path.personas.aggregate(n=Max("order"))["n"] or 0) + 1
    persona = Persona.objects.create(
        service_path=service_path,
        name=_clean_name(name),
        description=description,
        segments=sorted({s.strip() for s in segments if s.strip()}),
        order=order,
    )
    journey_version_create(service_path=service_path, change=_("Persona added: %s") % persona.name, user=user)
    return persona


@transaction.atomic
def persona_delete(*, persona: Persona, user=None) -> None:
    path, name = persona.service_path, persona.name
    persona.delete()
    journey_version_create(service_path=path, change=_("Persona removed: %s") % name, user=user)


@transaction.atomic
def stage_create(*, service_path: ServicePath, name: str, user=None) -> Stage:
    order = (service_path.stages.aggregate(n=Max("order"))["n"] or 0) + 1
    stage = Stage.objects.create(service_path=service_path, name=_clean_name(name), order=order)
    journey_version_create(service_path=service_path, change=_("Stage added: %s") % stage.name, user=user)
    return stage


def _stage_has_responses(stage: Stage) -> bool:
    return Response.objects.filter(touchpoint__stage=stage).exists()


def _touchpoint_has_data(touchpoint: Touchpoint) -> bool:
    return (
        Response.objects.filter(touchpoint=touchpoint).exists()
        or Encounter.objects.filter(touchpoint=touchpoint).exists()
    )


@transaction.atomic
def stage_delete(*, stage: Stage, user=None) -> str:
    """Delete an empty stage; archive one with responses. Returns "deleted" or "archived".

    A stage that still holds touchpoints without responses is refused: deleting it would orphan them."""
    path = stage.service_path
    if _stage_has_responses(stage):
        StageDetail.objects.update_or_create(stage=stage, defaults={"archived": True})
        journey_version_create(service_path=path, change=_("Stage archived: %s") % stage.name, user=user)
        return "archived"
    if stage.touchpoints.exists():
        raise ValidationError(
            _("The stage “%s” still has touchpoints. Move them to another stage or delete them first.") % stage.name
        )
    name = stage.name
    stage.delete()
    journey_version_create(service_path=path, change=_("Stage deleted: %s") % name, user=user)
    return "deleted"


@transaction.atomic
def stage_restore(*, stage: Stage, user=None) -> None:
    StageDetail.objects.filter(stage=stage).update(archived=False)
    journey_version_create(service_path=stage.service_path, change=_("Stage restored: %s") % stage.name, user=user)


def _clean_touchpoint(*, organisation, stage: Stage | None, channel: str, owner_unit: Unit | None, code: str) -> str:
    if stage is None:
        raise ValidationError({"stage": _("A touchpoint must belong to a stage of this service path.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    if owner_unit is not None and owner_unit.organisation_id != organisation.pk:
        raise ValidationError({"owner_unit": _("Choose a unit of this organisation.")})
    code = (code or "").strip()
    if code and Touchpoint.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("Another touchpoint already has the code “%s”.") % code})
    return code


@transaction.atomic
def touchpoint_create(
    *,
    service_path: ServicePath,
    stage: Stage | None,
    name: str,
    channel: str,
    owner_unit: Unit | None = None,
    code: str = "",
    customer_value: str = "",
    user=None,
) -> Touchpoint:
    if stage is not None and stage.service_path_id != service_path.pk:
        stage = None  # a stage of another path: refused below like a missing one
    code = _clean_touchpoint(
        organisation=service_path.organisation, stage=stage, channel=channel, owner_unit=owner_unit, code=code
    )
    order = (stage.touchpoints.aggregate(n=Max("order"))["n"] or 0) + 1
    touchpoint = Touchpoint.objects.create(
        organisation=service_path.organisation,
        stage=stage,
        name=_clean_name(name),
        code=code,
        channel=channel,
        owner_unit=owner_unit,
        order=order,
    )
    TouchpointDetail.objects.create(touchpoint=touchpoint, customer_value=customer_value.strip())
    journey_version_create(service_path=service_path, change=_("Touchpoint added: %s") % touchpoint.name, user=user)
    return touchpoint


@transaction.atomic
def touchpoint_update(
    *, touchpoint: Touchpoint, name: str, channel: str, owner_unit: Unit | None, customer_value: str, user=None
) -> Touchpoint:
    _clean_touchpoint(
        organisation=touchpoint.organisation, stage=touchpoint.stage, channel=channel, owner_unit=owner_unit, code=""
    )
    touchpoint.name = _clean_name(name)
    touchpoint.channel = channel
    touchpoint.owner_unit = owner_unit
    touchpoint.save(update_fields=["name", "channel", "owner_unit"])
    TouchpointDetail.objects.update_or_create(
        touchpoint=touchpoint, defaults={"customer_value": customer_value.strip()}
    )
    journey_version_create(
        service_path=touchpoint.stage.service_path, change=_("Touchpoint changed: %s") % touchpoint.name, user=user
    )
    return touchpoint


@transaction.atomic
def touchpoint_delete(*, touchpoint: Touchpoint, user=None) -> str:
    """Delete a touchpoint without data; archive one with responses or encounters. Returns what happened."""
    path = touchpoint.stage.service_path
    if _touchpoint_has_data(touchpoint):
        TouchpointDetail.objects.update_or_create(touchpoint=touchpoint, defaults={"archived": True})
        journey_version_create(service_path=path, change=_("Touchpoint archived: %s") % touchpoint.name, user=user)
        return "archived"
    name = touchpoint.name
    touchpoint.delete()
    journey_version_create(service_path=path, change=_("Touchpoint deleted: %s") % name, user=user)
    return "deleted"


@transaction.atomic
def touchpoint_restore(*, touchpoint: Touchpoint, user=None) -> None:
    TouchpointDetail.objects.filter(touchpoint=touchpoint).update(archived=False)
    journey_version_create(
        service_path=touchpoint.stage.service_path, change=_("Touchpoint restored: %s") % touchpoint.name, user=user
    )


def _ids(raw: Sequence) -> list[int]:
    try:
        return [int(x) for x in raw]
    except (TypeError, ValueError):
        raise ValidationError(_("The new order is not a list of ids.")) from None


@transaction.atomic
def stages_reorder(*, service_path: ServicePath, stage_ids: Sequence, user=None) -> None:
    """Put the path's stages in the given order. Each stage must appear exactly once.

    A stage listed twice would make the path return to an earlier point (a cycle): refused."""
    ids = _ids(stage_ids)
    if len(ids) != len(set(ids)):
        raise ValidationError(
            _("A stage can appear only once on a service path; the new order would make the path loop back.")
        )
    existing = set(service_path.stages.values_list("pk", flat=True))
    if set(ids) != existing:
        raise ValidationError(_("The new order must list every stage of this service path, and only those."))
    for order, pk in enumerate(ids, start=1):
        Stage.objects.filter(pk=pk).update(order=order)
    journey_version_create(service_path=service_path, change=_("Stages reordered"), user=user)


@transaction.atomic
def touchpoints_reorder(*, stage: Stage, touchpoint_ids: Sequence, user=None) -> None:
    """Make `touchpoint_ids` the touchpoints of `stage`, in this order (moving them from other stages of the path).

    Touchpoints of other paths are refused; a touchpoint left out stays where it was, so none is orphaned."""
    ids = _ids(touchpoint_ids)
    if len(ids) != len(set(ids)):
        raise ValidationError(_("A touchpoint can appear only once in a stage."))
    path = stage.service_path
    found = set(Touchpoint.objects.filter(pk__in=ids, stage__service_path=path).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationError(_("Only touchpoints of this service path can be placed in its stages."))
    for order, pk in enumerate(ids, start=1):
        Touchpoint.objects.filter(pk=pk).update(stage=stage, order=order)
    journey_version_create(service_path=path, change=_("Touchpoints reordered in %s") % stage.name, user=user)


def _swap(items: list, index: int, direction: int) -> list | None:
    target = index + direction
    if target < 0 or target >= len(items):
        return None
    items[index], items[target] = items[target], items[index]
    return items


@transaction.atomic
def stage_move(*, stage: Stage, direction: int, user=None) -> None:
    """Move a stage one place earlier (-1) or later (+1): the keyboard alternative to dragging."""
    ids = list(stage.service_path.stages.order_by("order", "pk").values_list("pk", flat=True))
    new = _swap(ids, ids.index(stage.pk), direction)
    if new is not None:
        stages_reorder(service_path=stage.service_path, stage_ids=new, user=user)


@transaction.atomic
def touchpoint_move(*, touchpoint: Touchpoint, direction: int, user=None) -> None:
    ids = list(touchpoint.stage.touchpoints.order_by("order", "pk").values_list("pk", flat=True))
    new = _swap(ids, ids.index(touchpoint.pk), direction)
    if new is not None:
        touchpoints_reorder(stage=touchpoint.stage, touchpoint_ids=new, user=user)
