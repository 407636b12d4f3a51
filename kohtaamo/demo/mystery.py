"""Demo mystery shopping for the bank: a checklist scenario, shoppers, three waves of visits to every
branch (most approved, a few still in QA or returned), action plans and a calibration round."""

import datetime as dt
import random
import struct
import zlib

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from kohtaamo.instruments.models import Dimension
from kohtaamo.mystery import calibration, services, visits
from kohtaamo.mystery.models import Assignment, ChecklistItem, Shopper
from kohtaamo.organisations.models import Channel, Membership, Organisation, Person, Unit

Kind = ChecklistItem.Kind

# (section, [(text, kind, weight, dimension code, critical, integrity)])
CHECKLIST = (
    (
        "Vastaanotto",
        (
            ("Asiakas tervehdittiin minuutin kuluessa saapumisesta", Kind.YES_NO, 2, "listening", False, False),
            ("Neuvoja esittäytyi nimellä", Kind.YES_NO_NA, 1, "trust", False, False),
            ("Odotustila oli siisti ja viihtyisä", Kind.SCALE, 1, "quality_experience", False, False),
            ("Pysäköinninvalvoja neuvoi ystävällisesti", Kind.YES_NO_NA, 1, None, False, True),
        ),
    ),
    (
        "Tarpeiden kartoitus",
        (
            (
                "Neuvoja kysyi asiakkaan tilanteesta ennen kuin tarjosi mitään",
                Kind.YES_NO,
                2,
                "listening",
                False,
                False,
            ),
            ("Lainan kulut ja riskit kerrottiin ymmärrettävästi", Kind.YES_NO, 2, "expertise", True, False),
            ("Selitysten selkeys", Kind.SCALE, 1, "expertise", False, False),
        ),
    ),
    (
        "Ratkaisu ja lopetus",
        (
            ("Asiakkaalle tarjottiin vähintään kaksi vaihtoehtoa", Kind.YES_NO_NA, 1, "solution", False, False),
            ("Seuraavista askelista sovittiin", Kind.YES_NO, 2, "solution", True, False),
            ("Asiakas sai jotain hyödyllistä mukaansa", Kind.SCALE, 1, "value", False, False),
            ("Vapaa kuvaus kohtaamisesta", Kind.TEXT, 1, None, False, False),
        ),
    ),
)
SHOPPERS = ("Kaisa Virta", "Jussi Laakso", "Minna Saari", "Tomas Berg")
NARRATIVES = (
    "Neuvoja otti hyvin vastaan ja kuunteli tarkasti.",
    "Jouduin odottamaan, mutta palvelu oli asiantuntevaa.",
    "Keskustelu jäi pinnalliseksi, eikä jatkosta sovittu.",
    "Erittäin selkeä ja ystävällinen tapaaminen.",
)


def _png() -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    body = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(
        b"IDAT", zlib.compress(b"\0\x20\x60\xa0")
    )
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


def _scenario(organisation: Organisation):
    dimensions = {d.code: d for d in Dimension.objects.filter(framework__code="kohtaamo")}
    scenario = services.scenario_create(
        organisation=organisation,
        name="Asuntolainakysely konttorissa",
        description="Varaa aika tai mene konttoriin kysymään asuntolainasta ensiasunnon ostajana.",
        critical_fails_visit=True,
        require_waiting_time=True,
    )
    for title, items in CHECKLIST:
        section = services.section_add(scenario=scenario, title=title)
        for text, kind, weight, code, critical, integrity in items:
            services.item_add(
                section=section,
                text=text,
                kind=kind,
                weight=weight,
                dimension=dimensions.get(code),
                critical=critical,
                integrity=integrity,
            )
    return scenario


def _shoppers(organisation: Organisation, regions: list[Unit]) -> list[Shopper]:
    from .seed import DEMO_PASSWORD

    shoppers = []
    for i, name in enumerate(SHOPPERS):
        username = "shopper" if i == 0 else f"shopper{i + 1}"
        if User.objects.filter(username=username).exists():
            continue
        region_set = [regions[i % len(regions)], regions[(i + 1) % len(regions)]] if regions else []
        shoppers.append(
            services.shopper_create(
                organisation=organisation,
                username=username,
                name=name,
                email=f"{username}@example.org",
                password=DEMO_PASSWORD,
                regions=region_set,
                capacity=30,
            )
        )
    return shoppers


def _answer(rng: random.Random, item: ChecklistItem, quality: float) -> str:
    if item.integrity:
        return "na" if rng.random() > 0.05 else "yes"
    if item.kind == Kind.TEXT:
        return rng.choice(NARRATIVES)
    if item.kind == Kind.YES_NO_NA and rng.random() < 0.15:
        return "na"
    if item.kind == Kind.SCALE:
        return str(max(1, min(5, round(rng.gauss(1 + 4 * quality, 0.8)))))
    return "yes" if rng.random() < quality else "no"


def _visit(rng, assignment: Assignment, items, quality: float, now: dt.datetime, *, photo: bool):
    shopper = assignment.shopper
    services.assignment_accept(assignment=assignment, shopper=shopper)
    report = visits.report_for_assignment(assignment=assignment)
    days = (assignment.window_end - assignment.window_start).days
    day = assignment.window_start + dt.timedelta(days=rng.randint(0, days))
    start = dt.datetime.combine(day, dt.time(rng.randint(9, 15), rng.choice((0, 15, 30, 45))), tzinfo=dt.UTC)
    start = min(start, now - dt.timedelta(hours=2))
    visits.report_save_draft(
        report=report,
        fields={
            "visit_started_at": start,
            "visit_ended_at": start + dt.timedelta(minutes=rng.randint(15, 45)),
            "waiting_minutes": rng.randint(0, 12),
            "notes": rng.choice(NARRATIVES),
        },
        answers={item.pk: _answer(rng, item, quality) for item in items},
    )
    if photo:
        visits.evidence_add(report=report, upload=SimpleUploadedFile("odotustila.png", _png()))
    visits.report_submit(report=report)
    return report


def seed_mystery(*, organisation: Organisation, now: dt.datetime, rng: random.Random) -> dict[str, int]:
    today = now.date()
    services.notice_record(
        organisation=organisation,
        announced_on=today - dt.timedelta(days=300),
        text="Pankki käyttää haamuasiointia palvelun laadun kehittämiseen. Työntekijöitä ei tunnisteta raporteissa.",
        staff_identification_announced=False,
        user=None,
    )
    scenario = _scenario(organisation)
    items = list(ChecklistItem.objects.filter(section__scenario=scenario))
    branches = list(Unit.objects.filter(organisation=organisation, kind=Unit.Kind.BRANCH))
    regions = list(Unit.objects.filter(organisation=organisation, kind=Unit.Kind.REGION))
    _shoppers(organisation, regions)
    reviewer = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.CX_LEAD
    ).first()
    quality = {b.pk: min(0.95, max(0.35, rng.gauss(0.72, 0.12))) for b in branches}
    waves = []
    for n, (name, offset) in enumerate((("Kevät", 240), ("Kesä", 130), ("Syksy", 25))):
        starts = today - dt.timedelta(days=offset)
        wave = services.wave_create(
            organisation=organisation,
            scenario=scenario,
            name=f"{name} {starts.year}",
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=20),
            fee=55,
        )
        waves.append(wave)
        services.assignments_plan(
            wave=wave,
            units=branches,
            channel=Channel.FACE_TO_FACE,
            window_start=wave.starts_on,
            window_end=wave.ends_on,
        )
        services.assignments_plan(
            wave=wave, units=branches[:3], channel=Channel.PHONE, window_start=wave.starts_on, window_end=wave.ends_on
        )
        services.assignments_auto_assign(wave=wave)
        offered = list(wave.assignments.filter(status=Assignment.Status.OFFERED).select_related("unit", "shopper"))
        last = n == 2
        for i, assignment in enumerate(offered):
            if last and i >= len(offered) - 2:
                continue  # still offered, waiting for the shopper
            drift = 0.04 * n if quality[assignment.unit_id] < 0.7 else 0
            report = _visit(rng, assignment, items, quality[assignment.unit_id] + drift, now, photo=i % 4 == 0)
            if last and i == 0:
                visits.report_return(report=report, reviewer=reviewer, comment="Lisää kuvaus odotustilasta.")
            elif not (last and i in (1, 2)):  # two stay in QA
                visits.report_approve(report=report, reviewer=reviewer)
    weakest = sorted(branches, key=lambda b: quality[b.pk])[:3]
    for unit in weakest:
        owner = Person.objects.filter(unit=unit).first()
        services.action_plan_create(
            wave=waves[1],
            unit=unit,
            title="Seuraavista askelista sovitaan jokaisessa lainatapaamisessa",
            due_on=waves[2].starts_on,
            owner=owner,
            follow_up_wave=waves[2],
        )
    raters = list(
        User.objects.filter(memberships__organisation=organisation)
        .exclude(memberships__role=Membership.Role.SHOPPER)
        .exclude(memberships__role=Membership.Role.EMPLOYEE)[:4]
    )
    if raters:
        round_ = calibration.calibration_create(
            scenario=scenario,
            name="Kalibrointi: nauhoitettu lainapuhelu",
            recording="Asiakas soittaa ja kysyy ensiasunnon lainasta …",
        )
        for rater in raters:
            calibration.calibration_rate(
                calibration=round_, rater=rater, answers={i.pk: _answer(rng, i, 0.75) for i in items}
            )
    return {"mystery_waves": len(waves), "mystery_assignments": Assignment.objects.filter(wave__in=waves).count()}
