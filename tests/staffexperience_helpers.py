"""Building staff pulse data for tests: a schedule, periods, anonymous sheets and customer responses."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kohtaamo.feedback.models import RespondentRole, Response
from kohtaamo.organisations.models import Person, Unit
from kohtaamo.staffexperience.models import (
    StaffPulseAnswer,
    StaffPulseInvitation,
    StaffPulseItem,
    StaffPulsePeriod,
    StaffPulseSheet,
)
from kohtaamo.staffexperience.services import period_bounds, sheet_index, staff_pulse_items_ensure

HELSINKI = ZoneInfo("Europe/Helsinki")


def make_period(organisation, year: int, month: int, cadence: str = "month") -> StaffPulsePeriod:
    staff_pulse_items_ensure(organisation=organisation)
    start, end = period_bounds(day=date(year, month, 1), cadence=cadence)
    return StaffPulsePeriod.objects.create(
        organisation=organisation, start=start, end=end, opened_at=datetime.combine(start, time(8), HELSINKI)
    )


def add_sheets(period: StaffPulsePeriod, unit: Unit, answer_sets: list[tuple[int, ...]], comment: str = "") -> None:
    """One sheet per tuple of answers (given in item order; shorter tuples repeat their last value)."""
    items = list(StaffPulseItem.objects.filter(organisation=period.organisation, kind="scale").order_by("order"))
    for values in answer_sets:
        values = tuple(values) + (values[-1],) * (len(items) - len(values))
        sheet = StaffPulseSheet.objects.create(
            organisation=period.organisation,
            period=period,
            unit=unit,
            index=sheet_index(list(values[: len(items)])),
            comment=comment,
        )
        StaffPulseAnswer.objects.bulk_create(
            StaffPulseAnswer(
                organisation=period.organisation, sheet=sheet, period=period, unit=unit, item=item, value=value
            )
            for item, value in zip(items, values, strict=False)
        )


def invite(period: StaffPulsePeriod, unit: Unit, count: int) -> None:
    for i in range(count):
        person = Person.objects.create(organisation=period.organisation, unit=unit, name=f"Staff {unit.pk}-{i}")
        StaffPulseInvitation.objects.create(
            organisation=period.organisation, period=period, person=person, unit=unit, email=f"s{person.pk}@example.org"
        )


def add_customer_responses(world, unit: Unit, day: date, eqis: list[float]) -> None:
    at = datetime.combine(day, time(12), HELSINKI)
    Response.objects.bulk_create(
        Response(
            organisation=world.organisation,
            round=world.programme,
            questionnaire=world.programme.questionnaire,
            respondent_role=RespondentRole.CUSTOMER,
            unit=unit,
            status=Response.Status.SUBMITTED,
            submitted_at=at,
            eqi=eqi,
        )
        for eqi in eqis
    )


def child_units(world, count: int, prefix: str = "Unit") -> list[Unit]:
    return [
        Unit.objects.create(organisation=world.organisation, parent=world.region, name=f"{prefix} {i}")
        for i in range(count)
    ]
