"""The demo's staff pulses: a year of monthly periods for the whole staff, anonymous sheets, and a
planted positive association with customer EQI that the chain finds."""

import random
from datetime import UTC, datetime

import pytest

from kohtaamo.demo.staffexperience import seed_staffexperience
from kohtaamo.organisations.models import Person, Unit
from kohtaamo.organisations.selectors import scope_from_organisation
from kohtaamo.staffexperience.chain import chain_report
from kohtaamo.staffexperience.models import StaffPulseInvitation, StaffPulseSheet

from .staffexperience_helpers import add_customer_responses

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def bank(world):
    """Ten branches of six staff under the region, with customers whose EQI differs by branch."""
    branches = []
    for i in range(10):
        branch = Unit.objects.create(
            organisation=world.organisation, parent=world.region, name=f"Branch {i}", kind=Unit.Kind.BRANCH
        )
        for k in range(6):
            Person.objects.create(
                organisation=world.organisation, unit=branch, name=f"P{i}-{k}", email=f"p{i}.{k}@example.org"
            )
        add_customer_responses(world, branch, NOW.date().replace(day=1), [40.0 + 4 * i + d for d in (-5, 0, 5)])
        branches.append(branch)
    return world, branches


def test_demo_seeds_a_year_of_anonymous_monthly_pulses(bank):
    world, _branches = bank
    periods = seed_staffexperience(organisation=world.organisation, now=NOW, rng=random.Random(7))
    assert len(periods) == 12
    assert (periods[0].start.isoformat(), periods[-1].start.isoformat()) == ("2025-04-01", "2026-03-01")
    staff = Person.objects.filter(organisation=world.organisation, active=True).exclude(email="").count()
    assert StaffPulseInvitation.objects.filter(period=periods[0]).count() == staff
    answered = StaffPulseInvitation.objects.filter(period=periods[0], answered=True).count()
    assert StaffPulseSheet.objects.filter(period=periods[0]).count() == answered
    assert 0.6 * staff < answered <= staff


def test_demo_staff_experience_goes_with_customer_eqi(bank):
    world, _branches = bank
    periods = seed_staffexperience(organisation=world.organisation, now=NOW, rng=random.Random(7))
    scope = scope_from_organisation(organisation=world.organisation)
    report = chain_report(scope=scope, period_id=periods[-2].pk, level=2, lag=True)
    assert report.correlation is not None and report.correlation.n >= 6
    assert report.correlation.r > 0.3
