"""Demo stakeholders for the bank: partners of the digital services and of two branches, and the
internal customers of the contact centre, the digital services and the Helsinki investment team,
answered this quarter.

The digital services' partners (6 answers) and the contact centre's internal customers (14) reach the
threshold and are shown; the two branches' partners and the two smaller internal-customer groups
(2 answers each) stay hidden under the threshold rule. Being two per audience, the hidden groups
together reach the threshold, so the larger cells beside them can be shown."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from kohtaamo.feedback.models import Answer, Invitation, Response
from kohtaamo.feedback.scoring import response_score
from kohtaamo.organisations.models import Organisation, Unit
from kohtaamo.stakeholders.models import Audience, InternalService, PartnerContact, PartnerOrganisation
from kohtaamo.stakeholders.periods import period_containing
from kohtaamo.stakeholders.services import stakeholder_round_launch


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str
    unit_code: str
    contacts: tuple[tuple[str, str], ...]  # (name, language)


PARTNERS = (
    PartnerSpec(
        "Koodiverstas Oy",
        PartnerOrganisation.Kind.SUPPLIER,
        "PSP-DIGI",
        (("Janne Salo", "fi"), ("Riikka Anttila", "fi"), ("Henrik Sjöberg", "sv"), ("Elina Kallio", "fi")),
    ),
    PartnerSpec(
        "Tunnistuspalvelu Avain Oy",
        PartnerOrganisation.Kind.SUBCONTRACTOR,
        "PSP-DIGI",
        (("Marko Lehto", "fi"), ("Anna Grönroos", "sv"), ("Tuomas Peltonen", "fi")),
    ),
    PartnerSpec(
        "Kotiväylä LKV",
        PartnerOrganisation.Kind.RESELLER,
        "UUS-HKI-KESKUSTA",
        (("Sanna Koskinen", "fi"), ("Mats Holm", "sv"), ("Päivi Laine", "fi")),
    ),
    PartnerSpec(
        "Tampereen Asuntopiste LKV",
        PartnerOrganisation.Kind.RESELLER,
        "PIR-TRE-KESKUSTA",
        (("Kari Jokinen", "fi"), ("Minna Saarinen", "fi"), ("Lotta Berg", "en")),
    ),
)
# Provider -> the units it serves inside the bank.
INTERNAL_SERVICES = {
    "PSP-AKK": ("UUS", "PIR", "POH"),
    "PSP-DIGI": ("PSP-AKK",),
    "UUS-HKI-KESKUSTA-SP": ("PIR",),
}
# How many of the invited answer, per (audience, unit): below the threshold for some units on purpose.
ANSWERS = {
    (Audience.PARTNER, "PSP-DIGI"): 6,
    (Audience.PARTNER, "UUS-HKI-KESKUSTA"): 2,
    (Audience.PARTNER, "PIR-TRE-KESKUSTA"): 2,
    (Audience.INTERNAL_CUSTOMER, "PSP-AKK"): 14,
    (Audience.INTERNAL_CUSTOMER, "PSP-DIGI"): 2,
    (Audience.INTERNAL_CUSTOMER, "UUS-HKI-KESKUSTA-SP"): 2,
}
# Level on the 1–5 agreement scale per element; outcome items follow the overall level.
LEVELS = {
    (Audience.PARTNER, "PSP-DIGI"): {"listening": 3.6, "expertise": 4.3, "value": 3.9, "trust": 4.0, "solution": 3.4},
    (Audience.PARTNER, "UUS-HKI-KESKUSTA"): {"listening": 4.2, "expertise": 4.0, "value": 4.1, "trust": 4.3},
    (Audience.INTERNAL_CUSTOMER, "PSP-AKK"): {"listening": 3.3, "expertise": 4.0, "value": 3.7, "trust": 3.9},
    (Audience.INTERNAL_CUSTOMER, "PSP-DIGI"): {"listening": 3.2, "expertise": 4.4, "value": 3.5, "trust": 3.6},
}
DEFAULT_LEVEL = 3.8


def _value(rng: random.Random, level: float, scale_min: int, scale_max: int) -> int:
    # The level is on 1–5; other scales (NPS 0–10, CES 1–7) take the same relative position.
    relative = (level - 1) / 4
    value = scale_min + relative * (scale_max - scale_min) + rng.gauss(0, 0.12 * (scale_max - scale_min))
    return max(scale_min, min(scale_max, round(value)))


def _partners_create(organisation: Organisation, units: dict[str, Unit]) -> None:
    for spec in PARTNERS:
        if spec.unit_code not in units:
            continue
        partner = PartnerOrganisation.objects.create(
            organisation=organisation, unit=units[spec.unit_code], name=spec.name, kind=spec.kind
        )
        domain = spec.name.split()[0].lower().replace("ä", "a").replace("ö", "o") + ".example"
        PartnerContact.objects.bulk_create(
            PartnerContact(
                organisation=organisation,
                partner=partner,
                name=name,
                email=f"{name.split()[0].lower()}@{domain}".replace("ä", "a").replace("ö", "o"),
                language=language,
                contact_consent=True,
            )
            for name, language in spec.contacts
        )


def _answer(rng, *, stakeholder_round, level_of: dict[str, float], count: int, start: datetime, now: datetime) -> int:
    questions = list(
        stakeholder_round.round.questionnaire.questions.filter(item__isnull=False).prefetch_related("item__dimensions")
    )
    invitations = list(Invitation.objects.filter(round=stakeholder_round.round).order_by("pk"))
    answered = 0
    for invitation in rng.sample(invitations, min(count, len(invitations))):
        personal = rng.gauss(0, 0.35)
        submitted_at = start + (now - start) * rng.uniform(0.05, 0.95)
        response = Response.objects.create(
            organisation_id=invitation.organisation_id,
            round_id=invitation.round_id,
            questionnaire_id=invitation.questionnaire_id,
            invitation=invitation,
            respondent_role=invitation.respondent_role,
            language=invitation.language,
            status=Response.Status.SUBMITTED,
            submitted_at=submitted_at,
        )
        overall = sum(level_of.values()) / len(level_of)
        Answer.objects.bulk_create(
            Answer(
                organisation_id=response.organisation_id,
                response=response,
                question=question,
                value=_value(
                    rng,
                    level_of.get(question.item.dimensions.all()[0].code, overall) + personal,
                    question.scale_min,
                    question.scale_max,
                ),
            )
            for question in questions
        )
        response_score(response=response)
        Invitation.objects.filter(pk=invitation.pk).update(
            status=Invitation.Status.RESPONDED, sent_at=start, opened_at=submitted_at, responded_at=submitted_at
        )
        answered += 1
    return answered


def seed_stakeholders(*, organisation: Organisation, now: datetime, rng: random.Random) -> int:
    """Partners, internal services and this quarter's answered rounds; returns how many answered."""
    units = {u.code: u for u in Unit.objects.filter(organisation=organisation).exclude(code="")}
    _partners_create(organisation, units)
    for provider, served in INTERNAL_SERVICES.items():
        for code in served:
            if provider in units and code in units:
                InternalService.objects.create(
                    organisation=organisation, provider=units[provider], customer_unit=units[code]
                )
    # Launched early this quarter (at most three weeks ago), so the default view shows the answers.
    quarter_start = period_containing(moment=now, time_zone=organisation.time_zone).start
    start = max(quarter_start + timedelta(hours=1), now - timedelta(days=21))
    answered = 0
    for (audience, code), count in ANSWERS.items():
        if code not in units:
            continue
        launched = stakeholder_round_launch(organisation=organisation, unit=units[code], audience=audience, now=start)
        Invitation.objects.filter(round=launched.round).update(status=Invitation.Status.SENT, sent_at=start)
        answered += _answer(
            rng,
            stakeholder_round=launched,
            level_of=LEVELS.get((audience, code), {"listening": DEFAULT_LEVEL}),
            count=count,
            start=start,
            now=now,
        )
    return answered
