"""Demo maturity surveys for the bank: last year's and this year's, answered by management, staff and
customers. Management sees the bank rosier than its staff, and the staff rosier than its customers;
the themes the bank worked on since last year improve."""

import random
from datetime import datetime, timedelta

from django.db.models import Q

from kohtaamo.feedback.models import Answer, Invitation, RespondentRole, Response
from kohtaamo.feedback.scoring import response_score
from kohtaamo.maturity.models import MaturitySurvey
from kohtaamo.maturity.services import Invitee, maturity_invitations_create, maturity_survey_create
from kohtaamo.organisations.models import Customer, Organisation, Person, Unit

# Customers' level per theme on the 1–5 scale; management sees +0.9, staff +0.4.
CUSTOMER_LEVEL = {
    "m_promise": 3.3,
    "m_measurement": 3.5,
    "m_cx_as_finance": 2.9,
    "m_feedback_sync": 2.7,
    "m_line_of_sight": 3.2,
    "m_encouragement": 3.6,
    "m_frontline_development": 2.8,
    "m_training": 3.8,
    "m_rewards": 2.6,
    "m_service_profit_chain": 3.4,
}
SIDE_SHIFT = {RespondentRole.MANAGEMENT: 0.9, RespondentRole.STAFF: 0.4, RespondentRole.CUSTOMER: 0.0}
# What the bank worked on during the year: this year's level is higher by this much.
IMPROVED = {"m_feedback_sync": 0.5, "m_measurement": 0.3, "m_rewards": 0.2}
RESPONSE_SHARE = {RespondentRole.MANAGEMENT: 0.9, RespondentRole.STAFF: 0.75, RespondentRole.CUSTOMER: 0.35}
CUSTOMERS_INVITED = 120


def _branch_of(unit: Unit, units: dict[int, Unit]) -> Unit:
    """Staff results are shown per branch: a team's staff count with its branch."""
    while unit.kind != Unit.Kind.BRANCH and unit.parent_id in units:
        unit = units[unit.parent_id]
    return unit


def _value(rng: random.Random, level: float) -> int:
    return max(1, min(5, round(rng.gauss(level, 0.8))))


def _answer_all(rng, *, survey, invitations, role, latest: bool, start: datetime, now: datetime) -> None:
    questions = list(
        (survey.customer_questionnaire if role == RespondentRole.CUSTOMER else survey.organisation_questionnaire)
        .questions.filter(item__isnull=False)
        .prefetch_related("item__dimensions")
    )
    for invitation in invitations:
        if rng.random() > RESPONSE_SHARE[role]:
            continue
        personal = rng.gauss(0, 0.4)
        submitted_at = min(start + timedelta(hours=rng.uniform(2, 14 * 24)), now - timedelta(minutes=5))
        response = Response.objects.create(
            organisation_id=survey.organisation_id,
            round=survey.round,
            questionnaire_id=invitation.questionnaire_id,
            invitation=invitation,
            respondent_role=role,
            language=invitation.language,
            status=Response.Status.SUBMITTED,
            submitted_at=submitted_at,
        )
        answers = []
        for question in questions:
            code = question.item.dimensions.all()[0].code
            level = CUSTOMER_LEVEL[code] + SIDE_SHIFT[role] + personal + (IMPROVED.get(code, 0) if latest else 0)
            answers.append(
                Answer(
                    organisation_id=response.organisation_id,
                    response=response,
                    question=question,
                    value=_value(rng, level),
                )
            )
        Answer.objects.bulk_create(answers)
        response_score(response=response)
        Invitation.objects.filter(pk=invitation.pk).update(
            status=Invitation.Status.RESPONDED, opened_at=submitted_at, responded_at=submitted_at
        )


def seed_maturity(*, organisation: Organisation, now: datetime, rng: random.Random) -> list[MaturitySurvey]:
    units = {u.pk: u for u in Unit.objects.filter(organisation=organisation)}
    people = list(Person.objects.filter(organisation=organisation, active=True).exclude(email="").order_by("pk"))
    is_management = Q(title__icontains="johtaja") | Q(supervisor__isnull=True)
    management = set(
        Person.objects.filter(organisation=organisation).filter(is_management).values_list("pk", flat=True)
    )
    customers = list(
        Customer.objects.filter(organisation=organisation, contact_consent=True).exclude(email="").order_by("pk")
    )
    surveys = []
    for offset_days, latest in ((380, False), (20, True)):
        start = now - timedelta(days=offset_days)
        survey = maturity_survey_create(organisation=organisation, year=start.year)
        groups = {
            RespondentRole.MANAGEMENT: [Invitee(email=p.email, language="fi") for p in people if p.pk in management],
            RespondentRole.STAFF: [
                Invitee(email=p.email, unit=_branch_of(units[p.unit_id], units), language="fi")
                for p in people
                if p.pk not in management
            ],
            RespondentRole.CUSTOMER: [
                Invitee(email=c.email, language=c.language or "fi")
                for c in rng.sample(customers, min(CUSTOMERS_INVITED, len(customers)))
            ],
        }
        for role, invitees in groups.items():
            if not invitees:
                continue
            invitations = maturity_invitations_create(survey=survey, role=role, invitees=invitees, now=start)
            Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
                status=Invitation.Status.SENT, sent_at=start
            )
            _answer_all(rng, survey=survey, invitations=invitations, role=role, latest=latest, start=start, now=now)
        surveys.append(survey)
    return surveys
