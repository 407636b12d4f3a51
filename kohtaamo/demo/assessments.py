"""Demo data for 360 assessments: last spring's round (released) and this autumn's round for one
branch's people, answered by self, supervisor, colleagues and served customers, with reports released."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from kohtaamo.assessments import services
from kohtaamo.assessments.models import Assessment, Participant
from kohtaamo.assessments.releasing import report_release
from kohtaamo.feedback.models import Invitation, RespondentRole, Response
from kohtaamo.feedback.responding import response_open_for_invitation, response_submit
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Organisation, Person
from kohtaamo.organisations.selectors import scope_from_organisation

PEOPLE = 6
COLLEAGUES = 3
CUSTOMERS = 3
COMMENTS = {
    0: ("Kuuntelee rauhassa ja kysyy tarkentavia kysymyksiä.", "Selittää asiat asiakkaan kielellä.",
        "Asiakkaat luottavat häneen.", "Pitää lupauksensa."),
    1: ("Voisi kertoa seuraavista askelista selkeämmin.", "Kiireessä keskeyttää joskus asiakkaan.",
        "Voisi tarjota useampia vaihtoehtoja.", ""),
}  # fmt: skip


def _subjects(organisation: Organisation) -> list[Person]:
    """People of the branch with the most supervised staff."""
    people = Person.objects.filter(organisation=organisation, active=True, supervisor__isnull=False).exclude(email="")
    by_unit: dict[int, list[Person]] = {}
    for person in people.order_by("unit_id", "name"):
        by_unit.setdefault(person.unit_id, []).append(person)
    biggest = max(by_unit.values(), key=len, default=[])
    return biggest[:PEOPLE]


def _answer(rng: random.Random, invitation: Invitation, level: float) -> None:
    response = response_open_for_invitation(invitation=invitation, language="fi")
    raw = {}
    for question in Question.objects.filter(questionnaire_id=response.questionnaire_id).order_by("order"):
        if question.kind == Question.Kind.ITEM:
            value = max(1, min(5, round(rng.gauss(level, 0.7))))
            raw[question.pk] = str(question.scale_min + question.scale_max - value if question.reverse_coded else value)
        else:
            text = rng.choice(COMMENTS[0 if question.order % 2 else 1])
            if text:
                raw[question.pk] = text
    response_submit(response=response, key=str(response.idempotency_key), raw_answers=raw)


DEMO_WINDOW = 3 * 365


def _round(
    rng: random.Random, *, organisation: Organisation, subjects: list[Person], name: str, opened: datetime, lift: float
) -> Assessment:
    scope = scope_from_organisation(organisation=organisation)
    today = timezone.localdate(timezone.now())
    assessment = services.assessment_create(
        scope=scope,
        name=name,
        people=subjects,
        nomination_closes_on=today + timedelta(days=1),
        answering_closes_on=today + timedelta(days=2),
        report_on=today + timedelta(days=3),
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=opened)
    pool = list(
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(email="")
        .exclude(pk__in=[p.pk for p in subjects])
    )
    for participant in Participant.objects.filter(assessment=assessment).select_related("person__supervisor"):
        candidates = [p for p in pool if p.pk != participant.person.supervisor_id]
        colleagues = rng.sample(candidates, COLLEAGUES + rng.randint(0, 1))
        services.nomination_submit(participant=participant, colleagues=colleagues)
        services.nomination_approve(participant=participant, colleagues=colleagues, approved_by=None)
        # The demo's encounters may lie further back than the product's default window.
        customers = list(services.customers_suggested(participant=participant, days=DEMO_WINDOW)[: CUSTOMERS + 1])
        services.customer_raters_add(participant=participant, customers=customers, days=DEMO_WINDOW)
    services.raters_invite(assessment=assessment, send=False)
    for participant in Participant.objects.filter(assessment=assessment):
        level = rng.uniform(3.0, 4.2) + lift
        for rater in participant.raters.exclude(invitation=None).select_related("invitation"):
            if rater.role == RespondentRole.CUSTOMER and rng.random() < 0.2:
                continue  # not every customer answers
            _answer(rng, rater.invitation, level + (0.5 if rater.role == RespondentRole.SELF else 0))
        report_release(participant=participant)
    if opened.date() < today:  # an earlier round, answered and released: its dates lie in the past too
        start = timezone.localdate(opened)
        Assessment.objects.filter(pk=assessment.pk).update(
            nomination_closes_on=start + timedelta(days=7),
            answering_closes_on=start + timedelta(days=14),
            report_on=start + timedelta(days=21),
        )
    return assessment


def seed_assessments(*, organisation: Organisation, now: datetime, rng: random.Random) -> None:
    subjects = _subjects(organisation)
    if len(subjects) < 3:
        return
    spring = _round(
        rng,
        organisation=organisation,
        subjects=subjects,
        name="360-arvio kevät",
        opened=now - timedelta(days=180),
        lift=0,
    )
    services.assessment_close(assessment=spring)
    _round(rng, organisation=organisation, subjects=subjects, name="360-arvio syksy", opened=now, lift=0.2)
    Response.objects.filter(round__assessment=spring).update(submitted_at=now - timedelta(days=170))
