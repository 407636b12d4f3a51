"""Set-up of mystery shopping: scenarios, the employee notice, waves, shoppers, assignments, action plans."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.organisations.models import Membership, Organisation, Person, Unit

from .models import (
    ActionPlan,
    Assignment,
    ChecklistItem,
    EmployeeNotice,
    Report,
    Scenario,
    Section,
    Shopper,
    Wave,
)

Status = Assignment.Status
OPEN_LOAD = (Status.OFFERED, Status.ACCEPTED, Status.RETURNED)


def scenario_is_frozen(scenario: Scenario) -> bool:
    """A scenario that a report uses never changes: its scores must stay what they were."""
    return Report.objects.filter(scenario=scenario).exists()


def _require_editable(scenario: Scenario) -> None:
    if scenario_is_frozen(scenario):
        raise ValidationError(_("This scenario is in use by reports; create a new version to change it."))


def scenario_create(*, organisation: Organisation, name: str, **options) -> Scenario:
    return Scenario.objects.create(organisation=organisation, name=name, **options)


def section_add(*, scenario: Scenario, title: str) -> Section:
    _require_editable(scenario)
    order = scenario.sections.count() + 1
    return Section.objects.create(scenario=scenario, title=title, order=order)


def item_add(
    *,
    section: Section,
    text: str,
    kind: str = ChecklistItem.Kind.YES_NO,
    weight: Decimal | float = 1,
    dimension=None,
    critical: bool = False,
    integrity: bool = False,
    scale_min: int = 1,
    scale_max: int = 5,
) -> ChecklistItem:
    _require_editable(section.scenario)
    if integrity and kind != ChecklistItem.Kind.YES_NO_NA:
        raise ValidationError(_("An integrity item must offer “not applicable”: use the yes/no/not applicable kind."))
    if kind == ChecklistItem.Kind.SCALE and scale_max <= scale_min:
        raise ValidationError(_("The scale maximum must be greater than its minimum."))
    if dimension is not None and dimension.framework_id is None:
        raise ValidationError(_("Choose a framework dimension."))
    item = ChecklistItem(
        section=section,
        text=text,
        kind=kind,
        weight=Decimal(str(weight)),
        dimension=dimension,
        critical=critical,
        integrity=integrity,
        scale_min=scale_min,
        scale_max=scale_max,
        order=section.items.count() + 1,
    )
    item.full_clean(exclude=["section"])
    item.save()
    return item


@transaction.atomic
def scenario_new_version(*, scenario: Scenario) -> Scenario:
    """A copy of the scenario with its sections and items, one version up, editable again."""
    copy = Scenario.objects.get(pk=scenario.pk)
    copy.pk = None
    copy.version = scenario.version + 1
    copy.previous = scenario
    copy.save()
    for section in scenario.sections.prefetch_related("items"):
        new_section = Section.objects.create(scenario=copy, title=section.title, order=section.order)
        for item in section.items.all():
            item.pk = None
            item.section = new_section
            item.save()
    return copy


def notice_record(
    *, organisation: Organisation, announced_on: dt.date, text: str, staff_identification_announced: bool, user
) -> EmployeeNotice:
    if not text.strip():
        raise ValidationError(_("Write the notice as it was given to the employees."))
    return EmployeeNotice.objects.create(
        organisation=organisation,
        announced_on=announced_on,
        text=text,
        staff_identification_announced=staff_identification_announced,
        recorded_by=user,
    )


def notice_current(*, organisation: Organisation, on: dt.date | None = None) -> EmployeeNotice | None:
    qs = EmployeeNotice.objects.filter(organisation=organisation)
    if on is not None:
        qs = qs.filter(announced_on__lte=on)
    return qs.first()


def wave_create(
    *,
    organisation: Organisation,
    scenario: Scenario,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    fee: Decimal | int = 0,
    evidence_retain_days: int = 180,
) -> Wave:
    if scenario.organisation_id != organisation.pk:
        raise ValidationError(_("Unknown scenario."))
    if ends_on < starts_on:
        raise ValidationError(_("The last visit day must not be before the first."))
    if notice_current(organisation=organisation, on=starts_on) is None:
        raise ValidationError(
            _("Record the notice to employees that mystery shopping takes place before the wave starts.")
        )
    if not ChecklistItem.objects.filter(section__scenario=scenario).exists():
        raise ValidationError(_("The scenario has no checklist items yet."))
    return Wave.objects.create(
        organisation=organisation,
        scenario=scenario,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        fee=Decimal(str(fee)),
        evidence_retain_days=evidence_retain_days,
    )


def assignments_plan(
    *, wave: Wave, units: list[Unit], channel: str, window_start: dt.date, window_end: dt.date
) -> list[Assignment]:
    if not units:
        raise ValidationError(_("Choose at least one unit."))
    if window_end < window_start:
        raise ValidationError(_("The window must not end before it starts."))
    if window_start < wave.starts_on or window_end > wave.ends_on:
        raise ValidationError(_("The visit window must lie within the wave's dates."))
    if any(u.organisation_id != wave.organisation_id for u in units):
        raise ValidationError(_("Unknown unit."))
    return Assignment.objects.bulk_create(
        Assignment(
            organisation_id=wave.organisation_id,
            wave=wave,
            unit=unit,
            channel=channel,
            window_start=window_start,
            window_end=window_end,
            fee=wave.fee,
        )
        for unit in units
    )


def shopper_create(
    *,
    organisation: Organisation,
    username: str,
    email: str,
    name: str,
    password: str,
    regions: list[Unit] = (),
    capacity: int = 5,
) -> Shopper:
    """A new login with the shopper role only: external people get no other access."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("That username is taken."))
    with transaction.atomic():
        user = User.objects.create_user(username, email, password)
        Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.SHOPPER)
        shopper = Shopper.objects.create(organisation=organisation, user=user, name=name, capacity=capacity)
        shopper.regions.set(regions)
    return shopper


def shopper_set_availability(*, shopper: Shopper, available: bool) -> Shopper:
    shopper.available = available
    shopper.save(update_fields=["available"])
    return shopper


def _previous_shopper_at(unit: Unit, *, before: Assignment) -> int | None:
    """The shopper of the unit's latest earlier assignment (by window), whoever it was."""
    return (
        Assignment.objects.filter(unit=unit, shopper__isnull=False)
        .exclude(pk=before.pk)
        .filter(window_start__lte=before.window_start)
        .order_by("-window_start", "-pk")
        .values_list("shopper_id", flat=True)
        .first()
    )


def _check_offer(assignment: Assignment, shopper: Shopper) -> None:
    if shopper.organisation_id != assignment.organisation_id:
        raise ValidationError(_("Unknown shopper."))
    if assignment.status != Status.OPEN:
        raise ValidationError(_("This assignment has already been offered."))
    if _previous_shopper_at(assignment.unit, before=assignment) == shopper.pk:
        raise ValidationError(_("This shopper made the previous visit to this location; choose another shopper."))


def assignment_offer(*, assignment: Assignment, shopper: Shopper) -> Assignment:
    _check_offer(assignment, shopper)
    assignment.shopper = shopper
    assignment.status = Status.OFFERED
    assignment.offered_at = timezone.now()
    assignment.save(update_fields=["shopper", "status", "offered_at"])
    return assignment


def assignment_accept(*, assignment: Assignment, shopper: Shopper) -> Assignment:
    if assignment.shopper_id != shopper.pk or assignment.status != Status.OFFERED:
        raise ValidationError(_("This assignment is not offered to you."))
    assignment.status = Status.ACCEPTED
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["status", "accepted_at"])
    return assignment


def assignment_decline(*, assignment: Assignment, shopper: Shopper) -> Assignment:
    if assignment.shopper_id != shopper.pk or assignment.status != Status.OFFERED:
        raise ValidationError(_("This assignment is not offered to you."))
    assignment.shopper = None
    assignment.status = Status.OPEN
    assignment.offered_at = None
    assignment.save(update_fields=["shopper", "status", "offered_at"])
    return assignment


def _covers(shopper_paths: list[str], unit: Unit) -> bool:
    return any(unit.path.startswith(path) for path in shopper_paths)


def assignments_auto_assign(*, wave: Wave) -> tuple[int, int]:
    """Offer each open assignment to the least-loaded available shopper whose regions cover the unit.

    Never offers a shopper the location they visited last. Returns (offered, left open)."""
    shoppers = list(
        Shopper.objects.filter(organisation_id=wave.organisation_id, available=True)
        .annotate(load=Count("assignments", filter=Q(assignments__status__in=OPEN_LOAD)))
        .prefetch_related("regions")
        .order_by("name", "pk")
    )
    regions = {s.pk: [u.path for u in s.regions.all()] for s in shoppers}
    load = {s.pk: s.load for s in shoppers}
    offered = left = 0
    for assignment in wave.assignments.filter(status=Status.OPEN).select_related("unit").order_by("window_start", "pk"):
        previous = _previous_shopper_at(assignment.unit, before=assignment)
        candidates = [
            s
            for s in shoppers
            if s.pk != previous and load[s.pk] < s.capacity and _covers(regions[s.pk], assignment.unit)
        ]
        if not candidates:
            left += 1
            continue
        chosen = min(candidates, key=lambda s: load[s.pk])
        assignment_offer(assignment=assignment, shopper=chosen)
        load[chosen.pk] += 1
        offered += 1
    return offered, left


def action_plan_create(
    *, wave: Wave, unit: Unit, title: str, due_on: dt.date, owner: Person | None = None, follow_up_wave=None
) -> ActionPlan:
    if unit.organisation_id != wave.organisation_id or (owner and owner.organisation_id != wave.organisation_id):
        raise ValidationError(_("Unknown unit or owner."))
    if not title.strip():
        raise ValidationError(_("Describe the action."))
    return ActionPlan.objects.create(
        organisation_id=wave.organisation_id,
        wave=wave,
        unit=unit,
        title=title,
        due_on=due_on,
        owner=owner,
        follow_up_wave=follow_up_wave,
    )


def action_plan_follow_up(*, plan: ActionPlan, status: str, note: str, follow_up_wave: Wave | None) -> ActionPlan:
    plan.status = status
    plan.follow_up_note = note
    plan.follow_up_wave = follow_up_wave
    plan.save(update_fields=["status", "follow_up_note", "follow_up_wave"])
    return plan
