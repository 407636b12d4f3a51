"""Builders for mystery-shopping tests, all through the app's services."""

import datetime as dt
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kohtaamo.instruments.models import Dimension
from kohtaamo.mystery import services, visits
from kohtaamo.mystery.models import ChecklistItem

Kind = ChecklistItem.Kind
TODAY = dt.date(2026, 11, 20)


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def photo(name: str = "counter.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def dimensions() -> tuple[Dimension, Dimension]:
    listening, expertise = Dimension.objects.filter(group=Dimension.Group.ELEMENT).order_by("order")[:2]
    return listening, expertise


def scenario_build(organisation, *, critical_fails_visit: bool = False, require_media: bool = False):
    """The hand-computed scenario of the scoring tests:

    Greeting: greeted (yes/no, w 2, listening), name offered (yes/no/N/A, w 1, listening),
              friendliness (scale 1–5, w 1, expertise)
    Closing:  next steps (yes/no, w 1, expertise, critical), remarks (text),
              parking (yes/no/N/A integrity check: the branch has no car park)
    """
    listening, expertise = dimensions()
    scenario = services.scenario_create(
        organisation=organisation,
        name="Loan enquiry",
        critical_fails_visit=critical_fails_visit,
        require_waiting_time=True,
        require_media=require_media,
    )
    greeting = services.section_add(scenario=scenario, title="Greeting")
    closing = services.section_add(scenario=scenario, title="Closing")
    items = {
        "greeted": services.item_add(section=greeting, text="Greeted within a minute", weight=2, dimension=listening),
        "name": services.item_add(
            section=greeting, text="Offered a name card", kind=Kind.YES_NO_NA, dimension=listening
        ),
        "friendly": services.item_add(section=greeting, text="Friendliness", kind=Kind.SCALE, dimension=expertise),
        "next": services.item_add(section=closing, text="Agreed next steps", dimension=expertise, critical=True),
        "remarks": services.item_add(section=closing, text="Remarks", kind=Kind.TEXT),
        "parking": services.item_add(
            section=closing, text="Was the car park attendant helpful?", kind=Kind.YES_NO_NA, integrity=True
        ),
    }
    return scenario, items


def notice_ensure(organisation, *, staff: bool = False):
    return services.notice_record(
        organisation=organisation,
        announced_on=TODAY - dt.timedelta(days=400),
        text="Mystery shoppers visit our branches.",
        staff_identification_announced=staff,
        user=None,
    )


def wave_build(organisation, scenario, *, name="Autumn", starts_on=TODAY - dt.timedelta(days=10), days=20, fee=45):
    if services.notice_current(organisation=organisation) is None:
        notice_ensure(organisation)
    return services.wave_create(
        organisation=organisation,
        scenario=scenario,
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days),
        fee=fee,
    )


def shopper_build(organisation, name: str, regions=()):
    return services.shopper_create(
        organisation=organisation,
        username=f"{organisation.slug}-{name.lower()}",
        email=f"{name.lower()}@shoppers.example.org",
        name=name,
        password="pw-shopper-" + name,
        regions=list(regions),
    )


def accepted_assignment(wave, unit, shopper):
    [assignment] = services.assignments_plan(
        wave=wave, units=[unit], channel="face_to_face", window_start=wave.starts_on, window_end=wave.ends_on
    )
    services.assignment_offer(assignment=assignment, shopper=shopper)
    return services.assignment_accept(assignment=assignment, shopper=shopper)


GOOD_ANSWERS = {"greeted": "yes", "name": "na", "friendly": "4", "next": "no", "remarks": "Calm", "parking": "na"}


def visit_start(wave) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(wave.starts_on + dt.timedelta(days=2), dt.time(10, 0)))


def report_filled(assignment, items, answers=GOOD_ANSWERS, *, start=None, minutes=20, waiting=5, evidence=True):
    report = visits.report_for_assignment(assignment=assignment)
    start = start or visit_start(assignment.wave)
    visits.report_save_draft(
        report=report,
        fields={
            "visit_started_at": start,
            "visit_ended_at": start + dt.timedelta(minutes=minutes),
            "waiting_minutes": waiting,
            "notes": "Visited at lunchtime.",
        },
        answers={items[key].pk: value for key, value in answers.items()},
    )
    if evidence:
        visits.evidence_add(report=report, upload=photo())
    return report


def approved_report(wave, unit, shopper, items, answers=GOOD_ANSWERS, reviewer=None):
    assignment = accepted_assignment(wave, unit, shopper)
    report = report_filled(assignment, items, answers)
    visits.report_submit(report=report)
    return visits.report_approve(report=report, reviewer=reviewer)


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    import wave as wave_module

    with wave_module.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * 80)
    return buffer.getvalue()
