import random
from datetime import UTC, datetime

import pytest

from kohtaamo.demo.data import BANK
from kohtaamo.demo.stakeholders import seed_stakeholders
from kohtaamo.demo.structure import organisation_build
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.organisations.selectors import scope_from_organisation
from kohtaamo.stakeholders.models import PartnerContact, StakeholderRound
from kohtaamo.stakeholders.periods import period_containing
from kohtaamo.stakeholders.selectors import side_by_side

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_demo_bank_meets_the_threshold_for_some_units_and_not_others(framework):
    bank = organisation_build(random.Random(3), spec=BANK, customers=30, today=NOW.date())
    organisation = bank.organisation
    pulse_programme_ensure(organisation=organisation)
    answered = seed_stakeholders(organisation=organisation, now=NOW, rng=random.Random(7))
    assert answered == 6 + 2 + 2 + 14 + 2 + 2
    assert PartnerContact.objects.filter(organisation=organisation).count() == 13
    assert StakeholderRound.objects.filter(organisation=organisation).count() == 6

    report = side_by_side(
        scope=scope_from_organisation(organisation=organisation),
        period=period_containing(moment=NOW, time_zone=organisation.time_zone),
    )
    cells = {row.unit.code: row.audiences for row in report.rows}
    digital = cells["PSP-DIGI"]["partner"]
    assert digital.eqi.n == digital.responses.n == 6 and not digital.eqi.hidden
    assert 40 < digital.eqi.estimate.value < 90 and digital.eqi.estimate.ci_low < digital.eqi.estimate.value
    assert cells["UUS-HKI-KESKUSTA"]["partner"].eqi.hidden
    assert cells["PIR-TRE-KESKUSTA"]["partner"].responses.hidden
    contact_centre = cells["PSP-AKK"]["internal_customer"]
    assert contact_centre.responses.n == 14 and not contact_centre.eqi.hidden
    assert cells["PSP-DIGI"]["internal_customer"].eqi.hidden
    assert cells["PSP"]["internal_customer"].responses.n == 18
