"""A year of monthly staff pulses for the demo bank, with staff experience planted to go together with
customer EQI in most branches (and not in a couple), so that the chain page has something to find."""

import random
import statistics
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Case, IntegerField, Value, When

from kohtaamo.feedback.models import RespondentRole, Response
from kohtaamo.organisations.models import Organisation, Person, Unit
from kohtaamo.staffexperience.models import (
    StaffPulseAnswer,
    StaffPulseInvitation,
    StaffPulseItem,
    StaffPulsePeriod,
    StaffPulseSheet,
)
from kohtaamo.staffexperience.services import period_bounds, sheet_index, staff_pulse_schedule_save

MONTHS = 12
ANSWER_RATE = 0.9
UNPLANTED = 2  # branches whose staff experience is drawn independently of their customers
COMMENTS = (
    "Asiakaspalautteet voisi käydä läpi tiimipalaverissa joka viikko.",
    "Kiireisinä päivinä ei ehdi perehtyä asiakkaan tilanteeseen kunnolla.",
    "Uusi lainajärjestelmä helpottaa työtä selvästi.",
    "Toivoisin enemmän koulutusta sijoitustuotteista.",
    "Hyvä tiimihenki, autetaan toisiamme.",
    "Asiakkaiden kiitokset eivät aina tule meille asti.",
    "Mer tid för kunderna skulle behövas.",
)


def _months(today: date) -> list[tuple[date, date]]:
    periods, day = [], today.replace(day=1)
    for _ in range(MONTHS):
        periods.append(period_bounds(day=day, cadence="month"))
        day = (day - timedelta(days=1)).replace(day=1)
    return list(reversed(periods))


def _observation_units(organisation: Organisation) -> list[Unit]:
    """The units two levels below the top (branches, contact-centre teams): where the chain compares."""
    units = list(Unit.objects.filter(organisation=organisation))
    top = min(u.depth for u in units)
    return [u for u in units if u.depth == top + 2]


def _customer_eqi(organisation: Organisation, units: list[Unit]) -> dict[int, float]:
    bucket = Case(
        *[When(unit__path__startswith=u.path, then=Value(u.pk)) for u in units],
        default=Value(None),
        output_field=IntegerField(),
    )
    rows = (
        Response.objects.filter(
            organisation=organisation,
            respondent_role=RespondentRole.CUSTOMER,
            status=Response.Status.SUBMITTED,
            eqi__isnull=False,
        )
        .values(bucket=bucket)
        .annotate(eqi=Avg("eqi"))
        .order_by()
    )
    return {r["bucket"]: r["eqi"] for r in rows if r["bucket"] is not None}


def _levels(rng: random.Random, organisation: Organisation) -> tuple[dict[int, float], dict[str, Unit]]:
    """Mean agreement (1–5) per observation unit, and which unit each staff unit reports under."""
    units = _observation_units(organisation)
    eqi = _customer_eqi(organisation, units)
    mean = statistics.fmean(eqi.values()) if eqi else 0.0
    spread = statistics.pstdev(eqi.values()) if len(eqi) > 1 else 1.0
    unplanted = set(rng.sample(sorted(eqi), min(UNPLANTED, len(eqi))))
    levels = {}
    for unit in units:
        if unit.pk in eqi and unit.pk not in unplanted:
            levels[unit.pk] = 3.5 + 0.8 * (eqi[unit.pk] - mean) / (spread or 1.0)
        else:
            levels[unit.pk] = rng.uniform(2.8, 4.2)
    return {pk: min(4.7, max(1.8, level)) for pk, level in levels.items()}, {u.path: u for u in units}


def _level_of(person: Person, levels: dict[int, float], by_path: dict[str, Unit]) -> float:
    for path, unit in by_path.items():
        if person.unit.path.startswith(path):
            return levels[unit.pk]
    return 3.6


def seed_staffexperience(*, organisation: Organisation, now: datetime, rng: random.Random) -> list[StaffPulsePeriod]:
    staff_pulse_schedule_save(organisation=organisation, cadence="month", units=[], reminder_after_days=7, active=True)
    zone = ZoneInfo(organisation.time_zone)
    items = list(StaffPulseItem.objects.filter(organisation=organisation, kind=StaffPulseItem.Kind.SCALE))
    people = list(
        Person.objects.filter(organisation=organisation, active=True).exclude(email="").select_related("unit")
    )
    levels, by_path = _levels(rng, organisation)
    personal = {p.pk: rng.gauss(0, 0.35) for p in people}
    periods, invitations, sheets, answers = [], [], [], []
    for start, end in _months(now.astimezone(zone).date()):
        opened = datetime.combine(start, time(8), zone)
        period = StaffPulsePeriod.objects.create(organisation=organisation, start=start, end=end, opened_at=opened)
        periods.append(period)
        current = end >= now.astimezone(zone).date()
        drift = rng.gauss(0, 0.15)
        for person in people:
            answered = rng.random() < (ANSWER_RATE * (0.6 if current else 1))
            invitations.append(
                StaffPulseInvitation(
                    organisation=organisation,
                    period=period,
                    person=person,
                    unit_id=person.unit_id,
                    email=person.email,
                    language=organisation.default_language,
                    sent_at=opened,
                    reminded_at=opened + timedelta(days=7) if answered is False or rng.random() < 0.3 else None,
                    answered=answered,
                )
            )
            if not answered:
                continue
            level = _level_of(person, levels, by_path) + personal[person.pk] + drift
            values = [min(5, max(1, round(rng.gauss(level, 0.7)))) for _item in items]
            sheet = StaffPulseSheet(
                organisation=organisation,
                period=period,
                unit_id=person.unit_id,
                index=sheet_index(values),
                comment=rng.choice(COMMENTS) if rng.random() < 0.12 else "",
            )
            sheets.append(sheet)
            answers.extend(
                StaffPulseAnswer(
                    organisation=organisation, sheet=sheet, period=period, unit_id=person.unit_id, item=item, value=v
                )
                for item, v in zip(items, values, strict=True)
            )
    # Shuffled, so that not even the physical order of the rows follows the invitations.
    rng.shuffle(sheets)
    StaffPulseInvitation.objects.bulk_create(invitations)
    StaffPulseSheet.objects.bulk_create(sheets)
    StaffPulseAnswer.objects.bulk_create(answers, batch_size=2000)
    return periods
