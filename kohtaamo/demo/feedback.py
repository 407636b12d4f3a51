"""The demo's pulse feedback: invitations after encounters and the responses that came back."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Subquery

from kohtaamo.feedback.models import Invitation, Response, Round
from kohtaamo.feedback.responding import response_record
from kohtaamo.organisations.models import Customer, Organisation

from .answers import Survey, answers_draw, experience_draw, outcome_value, survey_shape
from .comments import COMPLAINT, MIXED, PRAISE, comment_compose, tone_of
from .encounters import Planned

RESPONSE_SHARE = 0.64  # of invitations
COMMENT_SHARE = {PRAISE: 0.3, MIXED: 0.26, COMPLAINT: 0.55}
FACET_SD = 0.35


@dataclass
class Invited:
    plan: Planned
    invitation: Invitation
    submitted_at: datetime | None


def _delay(rng: random.Random) -> timedelta:
    """Most answer within hours of the invitation, some after a day or two, a few after the reminder."""
    bucket = rng.random()
    if bucket < 0.55:
        return timedelta(minutes=rng.randint(3, 6 * 60))
    if bucket < 0.85:
        return timedelta(minutes=rng.randint(6 * 60, 3 * 24 * 60))
    return timedelta(minutes=rng.randint(3 * 24 * 60 + 60, 12 * 24 * 60))


def _invite(rng: random.Random, plan: Planned, programme: Round, now: datetime) -> Invited:
    customer = plan.client.customer
    sent_at = plan.encounter.occurred_at + timedelta(minutes=rng.randint(5, 120))
    expires_at = sent_at + timedelta(days=programme.expires_after_days)
    submitted_at = sent_at + _delay(rng) if rng.random() < RESPONSE_SHARE else None
    if submitted_at and submitted_at > min(now, expires_at):
        submitted_at = None
    reminder_at = sent_at + timedelta(days=programme.reminder_after_days)
    reminded = reminder_at <= (submitted_at or now)
    status = (
        Invitation.Status.RESPONDED
        if submitted_at
        else Invitation.Status.REMINDED
        if reminded
        else Invitation.Status.SENT
    )
    invitation = Invitation(
        organisation_id=programme.organisation_id,
        round=programme,
        encounter=plan.encounter,
        customer=customer,
        email=customer.email,
        language=customer.language or "fi",
        status=status,
        sent_at=sent_at,
        reminded_at=reminder_at if reminded else None,
        expires_at=expires_at,
        opened_at=submitted_at - timedelta(minutes=3) if submitted_at else None,
        responded_at=submitted_at,
    )
    return Invited(plan, invitation, submitted_at)


def invitations_create(rng: random.Random, *, plans: list[Planned], programme: Round, now: datetime) -> list[Invited]:
    """Invite consenting customers after their encounters, at most once per the programme's throttle period."""
    throttle = timedelta(days=programme.throttle_days)
    last_invited: dict[int, datetime] = {}
    invited = []
    for plan in plans:  # in time order
        customer = plan.client.customer
        if not customer.contact_consent:
            continue
        last = last_invited.get(customer.pk)
        if last and plan.encounter.occurred_at - last < throttle:
            continue
        item = _invite(rng, plan, programme, now)
        if item.invitation.sent_at > now:
            continue
        last_invited[customer.pk] = item.invitation.sent_at
        invited.append(item)
    Invitation.objects.bulk_create([i.invitation for i in invited], batch_size=500)
    ids = dict(Invitation.objects.filter(round=programme).values_list("encounter_id", "pk"))
    for item in invited:
        item.invitation.pk = ids[item.plan.encounter.pk]
    return invited


def _answers(rng: random.Random, item: Invited, survey: Survey, topics: dict, bank: bool) -> dict[int, int | str]:
    """Scale answers from the encounter's experience, and now and then a comment that matches them."""
    plan = item.plan
    staff = plan.staff
    channel = plan.encounter.channel
    experience = experience_draw(rng, base=staff.base if staff else 0.0, channel=channel, progress=plan.progress)
    answers: dict[int, int | str] = answers_draw(
        rng, survey=survey, experience=experience, facets=staff.facets if staff else {}, channel=channel
    )
    tone = tone_of(nps=outcome_value(survey, answers, "nps"), csat=outcome_value(survey, answers, "csat"))
    if survey.open_question_id and rng.random() < COMMENT_SHARE[tone]:
        language = item.invitation.language
        answers[survey.open_question_id] = comment_compose(
            rng,
            language=language,
            tone=tone,
            channel=channel,
            topic=rng.choice(topics[plan.touchpoint_code])[language],
            first_name=staff.person.name.split(" ")[0] if staff else None,
            bank=bank,
        )
    return answers


def responses_create(rng: random.Random, *, invited: list[Invited], programme: Round, topics: dict, bank: bool) -> int:
    """Record the responses through the ordinary response service (the caller holds one transaction)."""
    survey = survey_shape(questionnaire=programme.questionnaire)
    facet_codes = {q.facet for q in survey.scale_questions if q.facet}
    for staff in {id(i.plan.staff): i.plan.staff for i in invited if i.plan.staff}.values():
        for code in sorted(facet_codes):
            staff.facets.setdefault(code, rng.gauss(0, FACET_SD))
    answered = [i for i in invited if i.submitted_at]
    for item in answered:
        response_record(
            round=programme,
            answers=_answers(rng, item, survey, topics, bank),
            language=item.invitation.language,
            submitted_at=item.submitted_at,
            encounter=item.plan.encounter,
            context={"invitation_id": item.invitation.pk},
        )
    return len(answered)


def timestamps_settle(*, organisation: Organisation) -> None:
    """Rows were written now; date their bookkeeping timestamps to when they would have happened."""
    organisation.encounters.update(created_at=F("occurred_at"))
    organisation.invitations.update(created_at=F("sent_at"))
    Response.objects.filter(organisation=organisation).update(
        started_at=F("submitted_at") - timedelta(minutes=4), updated_at=F("submitted_at")
    )
    Customer.objects.filter(organisation=organisation).update(
        last_invited_at=Subquery(
            Invitation.objects.filter(customer=OuterRef("pk")).order_by("-sent_at").values("sent_at")[:1]
        )
    )
