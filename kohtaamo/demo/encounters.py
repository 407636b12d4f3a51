"""The demo's encounters: who served whom, where, through which touchpoint and when."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kohtaamo.feedback.models import Encounter
from kohtaamo.organisations.models import Channel

from .spec import OrganisationSpec
from .structure import Built, Client, Staff

WEEKDAYS, WITH_SATURDAY, EVERY_DAY = frozenset(range(5)), frozenset(range(6)), frozenset(range(7))
# Opening hours per channel (local time): days of the week, first and last minute of the day.
HOURS = {
    Channel.FACE_TO_FACE: (WEEKDAYS, 9 * 60, 16 * 60 + 30),
    Channel.PHONE: (WEEKDAYS, 8 * 60, 18 * 60),
    Channel.CHAT: (WITH_SATURDAY, 8 * 60, 20 * 60),
    Channel.EMAIL: (WEEKDAYS, 8 * 60, 16 * 60 + 30),
    Channel.VIDEO: (WEEKDAYS, 8 * 60 + 30, 17 * 60),
    Channel.WEB: (EVERY_DAY, 6 * 60, 23 * 60 + 30),
}
OWN_BRANCH_SHARE = 0.9  # branch staff mostly serve their own branch's customers


@dataclass
class Planned:
    encounter: Encounter
    staff: Staff | None  # None: self-service
    client: Client
    touchpoint_code: str
    progress: float  # 0 at the start of the demo period, 1 at its end


def moment_draw(rng: random.Random, *, channel: str, start: datetime, now: datetime, tz: ZoneInfo) -> datetime:
    """A moment within the channel's opening hours between start and now."""
    days, first, last = HOURS[channel]
    span = (now - start).days
    local_today = now.astimezone(tz).date()
    while True:
        day = local_today - timedelta(days=rng.randint(0, span))
        if day.weekday() not in days:
            continue
        minute = rng.randint(first, last - 1)
        moment = datetime.combine(day, time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=tz)
        if start <= moment <= now:
            return moment


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def encounters_create(rng: random.Random, *, built: Built, spec: OrganisationSpec, count: int, now: datetime):
    """Plan `count` encounters over the spec's period up to `now`, store them, and return the plans in time order."""
    tz = ZoneInfo(built.organisation.time_zone)
    start = now - timedelta(days=spec.days)
    clients_by_home: dict[str, list[Client]] = {}
    for client in built.clients:
        clients_by_home.setdefault(client.home, []).append(client)

    def plan(staff: Staff | None, touchpoint_code: str) -> Planned:
        touchpoint = built.touchpoints[touchpoint_code]
        if staff and staff.home and rng.random() < OWN_BRANCH_SHARE:
            client = rng.choice(clients_by_home[staff.home])
        else:
            client = rng.choice(built.clients)
        occurred_at = moment_draw(rng, channel=touchpoint.channel, start=start, now=now, tz=tz)
        encounter = Encounter(
            organisation=built.organisation,
            customer=client.customer,
            person=staff.person if staff else None,
            unit=staff.person.unit if staff else built.units[spec.self_service.unit],
            channel=touchpoint.channel,
            touchpoint=touchpoint,
            occurred_at=occurred_at,
        )
        return Planned(encounter, staff, client, touchpoint_code, (occurred_at - start) / (now - start))

    self_service = round(count * spec.self_service.share)
    plans = [plan(None, _weighted(rng, spec.self_service.touchpoints)) for _ in range(self_service)]
    serving = [s for s in built.staff if spec.profiles[s.spec.profile].activity > 0]
    total_activity = sum(spec.profiles[s.spec.profile].activity for s in serving)
    for staff in serving:
        profile = spec.profiles[staff.spec.profile]
        for _ in range(round((count - self_service) * profile.activity / total_activity)):
            plans.append(plan(staff, _weighted(rng, profile.touchpoints)))
    plans.sort(key=lambda p: p.encounter.occurred_at)
    for number, p in enumerate(plans, start=1):
        p.encounter.external_id = f"E-{number:06d}"
    Encounter.objects.bulk_create([p.encounter for p in plans], batch_size=500)
    ids = dict(Encounter.objects.filter(organisation=built.organisation).values_list("external_id", "pk"))
    for p in plans:
        p.encounter.pk = ids[p.encounter.external_id]
    return plans
