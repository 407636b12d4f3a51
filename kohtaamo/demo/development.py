"""Demo data for the development loop: a monthly case clinic per branch with cases from real low-scoring
responses, a mentoring pair with a shadowing day, role plays rated by a coach and peers, development
plans with pulse baselines and check-ins, and a few saved self-tests."""

import random
import uuid
from datetime import datetime, timedelta

from kohtaamo.development import services
from kohtaamo.development.models import ClinicSeries, PlanAction, ShadowingDay
from kohtaamo.development.rating import observation_items_for
from kohtaamo.development.selectors import person_gaps
from kohtaamo.development.selftest_data import STATEMENT_CODES
from kohtaamo.feedback.models import RespondentRole, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Organisation, Person, Unit
from kohtaamo.organisations.selectors import scope_from_organisation

CASE_TEXTS = (
    ("Pitkä jono ilman selitystä", "Asiakas odotti parikymmentä minuuttia eikä kukaan kertonut syytä.",
     "Kerrotaan odottaville, mitä tapahtuu ja kauanko kestää.", "service_failure", "difficult"),
    ("Kortti jäi automaattiin", "Asiakas oli kiukkuinen, kun kortti jäi automaattiin lauantaina.",
     "Rauhallinen ääni ja konkreettinen seuraava askel auttoivat.", "difficult_customer", "mixed"),
    ("Selkokielinen laina-esite", "Iäkäs asiakas pyysi lainaehdot paperilla ja isolla tekstillä.",
     "Tulostimme ehdot ja kävimme ne läpi yhdessä.", "special_need", "success"),
    ("Soitto perään", "Neuvoja soitti oma-aloitteisesti seuraavana päivänä ja kertoi lainapäätöksen.",
     "Lupauksen pitäminen rakentaa luottamusta.", "unprompted", "success"),
)  # fmt: skip
SCENARIOS = (
    ("Kiukkuinen asiakas tiskillä", "Asiakkaan kortti jäi automaattiin, ja hän vaatii heti uutta.", "face_to_face"),
    ("Huolestunut säästäjä puhelimessa", "Rahaston arvo on laskenut, ja asiakas haluaa myydä kaiken.", "phone"),
    ("Chatissa kiireinen yrittäjä", "Yrittäjä tarvitsee tilisiirtorajan noston tunnin sisällä.", "chat"),
)


def _team_units(organisation: Organisation) -> list[Unit]:
    units = Unit.objects.filter(organisation=organisation, people__isnull=False).distinct().order_by("path")
    return list(units[:3])


def seed_development(*, organisation: Organisation, now: datetime, rng: random.Random) -> dict:
    """Fill the development pages with believable data. Idempotent: an organisation with clinics is skipped."""
    if ClinicSeries.objects.filter(organisation=organisation).exists():
        return {}
    scope = scope_from_organisation(organisation=organisation)
    counts = {"clinics": 0, "cases": 0, "plans": 0, "role_plays": 0, "ratings": 0}
    element_dimensions = list(Dimension.objects.filter(group=Dimension.Group.ELEMENT).order_by("order")[:5])
    for unit in _team_units(organisation):
        first = (now - timedelta(days=62)).replace(hour=7, minute=0, second=0, microsecond=0)
        series = services.clinic_series_create(
            scope=scope, unit=unit, name=f"{unit.name}: asiakaskohtaamisklinikka", interval="monthly",
            first_session_at=first, location="Neuvotteluhuone / Teams",
        )  # fmt: skip
        counts["clinics"] += 1
        people = list(Person.objects.filter(unit__path__startswith=unit.path, active=True)[:6])
        low = list(
            Response.objects.filter(
                organisation=organisation, unit__path__startswith=unit.path, eqi__isnull=False,
                status=Response.Status.SUBMITTED, respondent_role=RespondentRole.CUSTOMER,
            ).order_by("eqi")[:2]
        )  # fmt: skip
        for index, session in enumerate(series.sessions.filter(starts_at__lt=now)):
            for offset, (title, situation, lesson, incident, outcome) in enumerate(
                CASE_TEXTS[index * 2 : index * 2 + 2]
            ):
                response = low[offset] if outcome != "success" and offset < len(low) else None
                case = services.clinic_case_create(
                    session=session, title=title, outcome=outcome, situation=situation, lessons=lesson,
                    went_well="Asiakas sai lopulta ratkaisun." if outcome != "difficult" else "",
                    to_improve="Ennakoidaan ja kerrotaan aiemmin." if outcome != "success" else "",
                    incident_kind=incident, response=response, channel="" if response else "face_to_face",
                    dimensions=rng.sample(element_dimensions, 2),
                )  # fmt: skip
                counts["cases"] += 1
                if people:
                    action = services.clinic_action_create(
                        case=case, description=f"Jaetaan oppi: {lesson[:60]}", owner=rng.choice(people),
                        due_date=(session.starts_at + timedelta(days=21)).date(),
                    )  # fmt: skip
                    if index == 0:
                        later = series.sessions.filter(starts_at__gt=session.starts_at).first()
                        services.clinic_action_follow_up(
                            action=action, session=later, note="Käyty läpi tiimipalaverissa.", done=True, now=now
                        )
        if len(people) >= 2:
            pair = services.mentor_pair_create(
                scope=scope, mentor=people[0], mentee=people[1],
                goals="Tarveanalyysi ja seuraavista askelista sopiminen asiakastapaamisissa.",
            )  # fmt: skip
            items = observation_items_for(organisation=organisation)
            services.shadowing_day_record(
                pair=pair, day=(now - timedelta(days=14)).date(), direction=ShadowingDay.Direction.MENTEE_OBSERVES,
                observations={item.pk: (rng.randint(3, 5), "") for item in items[:6]},
                debrief="Mentori kysyi aina lopuksi, jäikö jotain mieltä painamaan. Kokeilen samaa.",
            )  # fmt: skip
        for person in people[:3]:
            gaps = [g for g in person_gaps(person=person, now=now) if g[1].value is not None]
            if not gaps:
                continue
            dimension, _estimate = gaps[0]
            plan = services.plan_create(
                scope=scope, person=person, title=f"Vahvistetaan: {dimension.names.get('fi', dimension.code)}",
                goals=[(dimension, "Nostetaan asiakkaiden arvio tällä osa-alueella.", None)],
                now=now - timedelta(days=45),
            )  # fmt: skip
            services.plan_action_add(plan=plan, kind=PlanAction.Kind.ROLE_PLAY, description="Roolipeliharjoitus",
                                     due_date=(now - timedelta(days=30)).date())  # fmt: skip
            services.plan_action_add(plan=plan, kind=PlanAction.Kind.TRAINING, description="Kuuntelun verkkokurssi",
                                     due_date=(now + timedelta(days=10)).date())  # fmt: skip
            services.plan_check_in_record(
                plan=plan, note="Hyvä alku, harjoitellaan lisää.", now=now - timedelta(days=20)
            )
            services.plan_check_in_schedule(plan=plan, due_date=(now + timedelta(days=14)).date())
            counts["plans"] += 1
    scenarios = [
        services.role_play_scenario_create(scope=scope, title=title, description=text, channel=channel)
        for title, text, channel in SCENARIOS
    ]
    participants = list(Person.objects.filter(organisation=organisation, active=True).order_by("pk")[:4])
    items = observation_items_for(organisation=organisation)
    for person in participants:
        session = services.role_play_session_create(scope=scope, scenario=rng.choice(scenarios), participant=person)
        counts["role_plays"] += 1
        for role in ("coach", "peer", "peer"):
            services.role_play_rating_submit(
                session=session, page_key=str(uuid.UUID(int=rng.getrandbits(128))), rater_role=role,
                values={item.pk: rng.randint(3, 5) for item in items},
                comment="Hyvä tarveanalyysi, yhteenveto jäi puuttumaan." if role == "coach" else "",
            )  # fmt: skip
            counts["ratings"] += 1
    for person in participants[:3]:
        answers = {code: rng.randint(2, 5) for code in STATEMENT_CODES}
        services.selftest_save(scope=scope, person=person, answers=answers, language="fi")
    return counts
