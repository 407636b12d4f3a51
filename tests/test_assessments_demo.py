import random

from django.utils import timezone

from kohtaamo.assessments.models import Assessment, Release
from kohtaamo.demo.assessments import seed_assessments
from kohtaamo.organisations.models import Person


def test_demo_seed_fills_two_released_rounds_with_a_trend(world):
    boss = Person.objects.create(organisation=world.organisation, unit=world.team, name="Boss", email="b@example.org")
    for i in range(6):
        Person.objects.create(
            organisation=world.organisation, unit=world.team, name=f"P{i}", email=f"p{i}@example.org", supervisor=boss
        )
    for i in range(5):
        Person.objects.create(
            organisation=world.organisation, unit=world.branch, name=f"C{i}", email=f"c{i}@example.org"
        )
    seed_assessments(organisation=world.organisation, now=timezone.now(), rng=random.Random(1))
    assert Assessment.objects.filter(organisation=world.organisation).count() == 2
    spring = Assessment.objects.get(organisation=world.organisation, round__name="360-arvio kevät")
    assert spring.report_on < timezone.localdate()  # the closed round's dates lie in the past
    releases = Release.objects.filter(participant__assessment__organisation=world.organisation)
    assert releases.count() == 12
    # Self, supervisor and 3–4 colleagues answered: the colleagues' group is shown in every report.
    assert all({"self", "supervisor", "colleague"} <= {g["key"] for g in r.snapshot["groups"]} for r in releases)
