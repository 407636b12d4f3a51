import random
from datetime import UTC, datetime

import pytest

from kohtaamo.demo.maturity import seed_maturity
from kohtaamo.feedback.models import RespondentRole
from kohtaamo.maturity.selectors import maturity_report
from kohtaamo.organisations.models import Customer, Person

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def staffed(world):
    boss = Person.objects.create(
        organisation=world.organisation, unit=world.region, name="Boss", title="Aluejohtaja", email="boss@example.org"
    )
    for i in range(4):
        Person.objects.create(
            organisation=world.organisation,
            unit=world.branch,
            name=f"Manager {i}",
            title="Konttorinjohtaja",
            email=f"manager{i}@example.org",
            supervisor=boss,
        )
    for i in range(16):
        Person.objects.create(
            organisation=world.organisation,
            unit=world.team if i % 2 else world.other_branch,
            name=f"Staff {i}",
            email=f"staff{i}@example.org",
            supervisor=boss,
        )
    Customer.objects.bulk_create(
        Customer(organisation=world.organisation, external_id=f"C{i}", email=f"c{i}@example.org", contact_consent=True)
        for i in range(60)
    )
    return world


def test_demo_maturity_tells_the_perception_gap_story(staffed):
    last_year, this_year = seed_maturity(organisation=staffed.organisation, now=NOW, rng=random.Random(7))
    assert (last_year.year, this_year.year) == (2025, 2026)
    report = maturity_report(survey=this_year, language="en")
    m, s, c = RespondentRole.MANAGEMENT, RespondentRole.STAFF, RespondentRole.CUSTOMER
    assert not any(t.cells[m].hidden for t in report.themes)
    assert sum(t.gap(m, c) for t in report.themes) > 0  # management sees it rosier than customers
    assert sum(t.gap(s, c) for t in report.themes) > 0
    assert report.weakest and all(t.recommendation for t in report.weakest)
    # Team staff count with their branch: per-unit rows are branches.
    assert {row.unit for row in report.units[s]} <= {staffed.branch, staffed.other_branch}
