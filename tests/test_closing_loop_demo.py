"""Demo seeds of follow-up, business impact and integrations, on a small world; re-running adds nothing."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from kohtaamo.demo.followup import seed_followup
from kohtaamo.demo.impact import demo_quarters, seed_impact
from kohtaamo.demo.integrations import seed_integrations
from kohtaamo.feedback.models import Encounter
from kohtaamo.feedback.responding import response_record
from kohtaamo.followup.models import FollowupCase
from kohtaamo.impact.models import Outcome
from kohtaamo.organisations.models import Customer


def test_demo_seeds(world, client, mailbox):
    now = timezone.now()
    question = world.programme.questionnaire.questions.get(item__dimensions__code="nps")
    first_start = demo_quarters(now)[2]
    previous_quarter = timezone.make_aware(datetime.combine(first_start + timedelta(days=10), time(12)))
    for i, value in enumerate([0, 3, 6, 8, 9, 10, 2, 10]):
        customer = Customer.objects.create(organisation=world.organisation, external_id=f"C{i}")
        when = now - timedelta(days=5 + i) if i % 2 else previous_quarter
        encounter = Encounter.objects.create(
            organisation=world.organisation,
            external_id=f"E{i}",
            customer=customer,
            unit=world.team,
            channel="phone",
            occurred_at=when,
        )
        response_record(
            round=world.programme, answers={question.pk: value}, language="fi", encounter=encounter, submitted_at=when
        )
    mailbox.clear()
    opened = seed_followup(organisation=world.organisation, now=now, rng=random.Random(1))
    assert opened == 1 == FollowupCase.objects.count()  # the one detractor of the last 90 days (NPS 3)
    assert mailbox.messages == []  # the demo sends no e-mail
    assert seed_followup(organisation=world.organisation, now=now, rng=random.Random(1)) == 0
    seed_impact(organisation=world.organisation, now=now, rng=random.Random(1))
    assert Outcome.objects.values("customer").distinct().count() == 4  # the customers who answered then
    assert Outcome.objects.count() == 8
    assert seed_integrations(organisation=world.organisation, now=now, rng=random.Random(1)) == 1
    assert seed_integrations(organisation=world.organisation, now=now, rng=random.Random(1)) == 0
    client.force_login(world.cx_lead)
    for path in ("followup/", "impact/", "impact/drivers/", "integrations/"):
        assert client.get(f"/o/acme/{path}").status_code == 200
