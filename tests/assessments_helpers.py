"""Shared set-up for the 360 tests: a round with people, raters and answers given through the respondent flow."""

from datetime import date, timedelta

from django.utils import timezone

from kohtaamo.assessments import services
from kohtaamo.assessments.models import Participant, Rater
from kohtaamo.feedback.models import RespondentRole
from kohtaamo.feedback.responding import response_open_for_invitation, response_submit
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Person
from kohtaamo.organisations.selectors import scope_from_organisation


def people(world, n: int, prefix: str = "Colleague") -> list[Person]:
    return [
        Person.objects.create(
            organisation=world.organisation,
            unit=world.team,
            name=f"{prefix} {i}",
            email=f"{prefix.lower()}{i}@example.org",
        )
        for i in range(n)
    ]


def make_round(world, *, subjects: list[Person], min_colleagues: int = 3, max_colleagues: int = 8):
    today = timezone.localdate()
    return services.assessment_create(
        scope=scope_from_organisation(organisation=world.organisation),
        name="Autumn 360",
        people=subjects,
        nomination_closes_on=today + timedelta(days=7),
        answering_closes_on=today + timedelta(days=14),
        report_on=today + timedelta(days=21),
        min_colleagues=min_colleagues,
        max_colleagues=max_colleagues,
    )


def answer(rater: Rater, value: int, comment: str = "") -> None:
    """Answer every scale item with `value` (and the first open question with `comment`) on the respondent flow."""
    rater.refresh_from_db()
    response = response_open_for_invitation(invitation=rater.invitation, language="en")
    raw = {}
    for q in Question.objects.filter(questionnaire_id=response.questionnaire_id).order_by("order"):
        if q.kind == Question.Kind.ITEM:
            raw[q.pk] = str(value)
        elif comment and not raw.get("c"):
            raw[q.pk] = comment
            raw["c"] = True
    raw.pop("c", None)
    response_submit(response=response, key=str(response.idempotency_key), raw_answers=raw)


def approved_participant(world, subject: Person, colleagues: list[Person], customers: list[str] = ()) -> Participant:
    participant = Participant.objects.get(person=subject)
    services.nomination_submit(participant=participant, colleagues=colleagues)
    services.nomination_approve(participant=participant, colleagues=colleagues, approved_by=world.cx_lead)
    if customers:
        services.customer_raters_add(participant=participant, emails=list(customers))
    return participant


def raters_of(participant: Participant, role: str) -> list[Rater]:
    return list(participant.raters.filter(role=role).order_by("pk"))


SELF, SUPERVISOR, COLLEAGUE, CUSTOMER, DIRECT_REPORT = (
    RespondentRole.SELF,
    RespondentRole.SUPERVISOR,
    RespondentRole.COLLEAGUE,
    RespondentRole.CUSTOMER,
    RespondentRole.DIRECT_REPORT,
)
__all__ = ["date"]
