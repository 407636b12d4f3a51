"""The chain: staff experience index beside customer EQI per unit, Pearson r with a Fisher-z CI,
the one-period lag, units under the threshold left out, and figures checked against scipy."""

from datetime import date

import pytest
from django.urls import reverse
from scipy import stats

from kohtaamo.feedback.models import Encounter
from kohtaamo.impact.models import Outcome
from kohtaamo.organisations.models import Customer
from kohtaamo.organisations.selectors import scope_for
from kohtaamo.staffexperience.chain import chain_report, next_period, pearson_with_ci

from .staffexperience_helpers import add_customer_responses, add_sheets, child_units, invite, make_period

# Staff answers per unit: five sheets around a level; the level rises with the unit's number.
STAFF = [[(1 + (i + k) % 5,) for k in range(5)] for i in range(10)]
LEVELS = [2, 2, 3, 3, 3, 4, 4, 4, 5, 5]
NOISE = [-6, 3, 0, 5, -2, 4, -5, 1, 2, -3]
UNRELATED = [70, 40, 65, 35, 60, 45, 75, 50, 38, 68]


def _staff(period, units):
    for unit, level in zip(units, LEVELS, strict=True):
        invite(period, unit, 6)
        add_sheets(period, unit, [(level,), (level,), (max(1, level - 1),), (min(5, level + 1),), (level,)])


def _customers(world, units, day, means):
    for unit, mean in zip(units, means, strict=True):
        add_customer_responses(world, unit, day, [mean - 10, mean, mean + 10, mean + 5, mean - 5])


@pytest.fixture
def planted(world):
    units = child_units(world, 10)
    january, february = make_period(world.organisation, 2026, 1), make_period(world.organisation, 2026, 2)
    _staff(january, units)
    # January customers: EQI follows staff experience. February customers: unrelated to January staff.
    _customers(
        world, units, date(2026, 1, 15), [30 + 12 * level + noise for level, noise in zip(LEVELS, NOISE, strict=True)]
    )
    _customers(world, units, date(2026, 2, 10), UNRELATED)
    return world, units, january, february


def _report(world, **options):
    return chain_report(scope=scope_for(user=world.admin, organisation_slug="acme"), level=2, **options)


def test_planted_association_is_clearly_positive(planted):
    world, units, january, _february = planted
    report = _report(world, period_id=january.pk)
    assert len(report.points) == 10 and report.hidden_units == 0
    assert report.correlation.n == 10
    assert report.correlation.r > 0.8
    assert report.correlation.ci_low > 0 and report.correlation.excludes_zero


def test_no_association_gives_an_interval_around_zero(planted):
    world, units, january, february = planted
    _staff(february, units)
    report = _report(world, period_id=february.pk)  # February staff beside February customers (unrelated)
    assert report.correlation.n == 10
    assert report.correlation.ci_low < 0 < report.correlation.ci_high
    assert not report.correlation.excludes_zero


def test_lag_compares_staff_with_the_next_periods_customers(planted):
    world, units, january, february = planted
    same = _report(world, period_id=january.pk, lag=False)
    lagged = _report(world, period_id=january.pk, lag=True)
    assert lagged.target == (date(2026, 2, 1), date(2026, 2, 28))
    assert same.correlation.excludes_zero
    assert not lagged.correlation.excludes_zero
    # Planted the other way round: December staff predicts January customers only with the lag.
    december = make_period(world.organisation, 2025, 12)
    _staff(december, units)
    _customers(world, units, date(2025, 12, 10), UNRELATED)
    assert _report(world, period_id=december.pk, lag=True).correlation.excludes_zero
    assert not _report(world, period_id=december.pk, lag=False).correlation.excludes_zero


def test_next_period_follows_the_cadence(world):
    month = make_period(world.organisation, 2026, 12)
    quarter = make_period(world.organisation, 2026, 4, cadence="quarter")
    assert next_period(month) == (date(2027, 1, 1), date(2027, 1, 31))
    assert next_period(quarter) == (date(2026, 7, 1), date(2026, 9, 30))


def test_units_under_the_threshold_are_left_out_and_counted(planted):
    world, units, january, _february = planted
    (small,) = child_units(world, 1, prefix="Small")
    invite(january, small, 4)
    add_sheets(january, small, [(5,), (5,)])
    add_customer_responses(world, small, date(2026, 1, 20), [99.0] * 5)
    report = _report(world, period_id=january.pk)
    # The small unit is hidden, and so is one of its siblings: the region minus the others would show it.
    assert report.hidden_units == 2
    assert len(report.points) == 9 and small not in [p.unit for p in report.points]


def test_figures_match_scipy(planted):
    world, units, january, _february = planted
    report = _report(world, period_id=january.pk)
    xs = [p.staff.value for p in report.points]
    ys = [p.customer.value for p in report.points]
    expected = stats.pearsonr(xs, ys)
    interval = expected.confidence_interval(0.95)
    assert report.correlation.r == pytest.approx(expected.statistic, abs=1e-12)
    assert report.correlation.ci_low == pytest.approx(interval.low, abs=1e-3)
    assert report.correlation.ci_high == pytest.approx(interval.high, abs=1e-3)
    # One unit's staff index: n and its t-interval.
    first = next(p for p in report.points if p.unit == units[0])
    values = [25.0, 25.0, 0.0, 50.0, 25.0]
    low, high = stats.t.interval(0.95, len(values) - 1, loc=stats.tmean(values), scale=stats.sem(values))
    assert first.staff.n == 5
    assert (first.staff.value, first.staff.ci_low, first.staff.ci_high) == pytest.approx((25.0, max(0, low), high))
    customer = [30 + 12 * 2 - 6 + d for d in (-10, 0, 10, 5, -5)]
    low, high = stats.t.interval(0.95, 4, loc=stats.tmean(customer), scale=stats.sem(customer))
    assert first.customer.n == 5
    assert (first.customer.value, first.customer.ci_low, first.customer.ci_high) == pytest.approx(
        (stats.tmean(customer), low, high)
    )


def test_pearson_edge_cases():
    assert pearson_with_ci([1, 2], [3, 4]) is None
    assert pearson_with_ci([1, 1, 1, 1], [1, 2, 3, 4]) is None
    three = pearson_with_ci([1, 2, 3], [1, 3, 2])
    assert three.r == pytest.approx(0.5) and three.ci_low is None


def test_outcomes_by_unit_follow_the_customers_they_served(planted):
    world, units, january, _february = planted
    for index, unit in enumerate(units):
        for k in range(4):
            customer = Customer.objects.create(organisation=world.organisation, external_id=f"c-{index}-{k}")
            Encounter.objects.create(
                organisation=world.organisation,
                external_id=f"e-{index}-{k}",
                customer=customer,
                unit=unit,
                channel="phone",
                occurred_at="2026-01-12T10:00:00+02:00",
            )
            Outcome.objects.create(
                organisation=world.organisation,
                customer=customer,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 1, 31),
                retained=k < LEVELS[index] - 1,
                spend=100 * LEVELS[index] + k,
            )
    retained = _report(world, period_id=january.pk, measure="retained")
    by_unit = {p.unit: p.customer for p in retained.points}
    assert [by_unit[u].n for u in units] == [4] * 10
    assert [by_unit[u].value for u in units] == pytest.approx([25.0 * (level - 1) for level in LEVELS])
    assert retained.correlation.excludes_zero
    spend = {p.unit: p.customer for p in _report(world, period_id=january.pk, measure="spend").points}
    assert spend[units[-1]].value == pytest.approx(501.5) and spend[units[-1]].n == 4


def test_chain_page_and_api_say_association_not_causation(client, planted):
    world, units, january, _february = planted
    client.force_login(world.cx_lead)
    url = reverse("staffexperience:chain", kwargs={"org": "acme"})
    page = client.get(url, {"period": january.pk, "level": 2, "measure": "eqi"}, headers={"accept-language": "en"})
    text = page.content.decode()
    assert "association, not causation" in text
    assert "plotly.min.js" in text and "Plotly.newPlot" in text
    nonce = page["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}"' in text  # the figure's inline script may run under the CSP
    report = _report(world, period_id=january.pk)
    assert f"n = {report.correlation.n} units" in text
    api = client.get(
        "/api/v1/organisations/acme/staff-pulse/chain", {"period": january.pk, "level": 2, "lag": "true"}
    ).json()
    assert api["lag"] is True and api["target_start"] == "2026-02-01"
    assert api["correlation"]["n"] == 10
    assert client.get("/api/v1/organisations/acme/staff-pulse/chain", {"measure": "mood"}).status_code == 422
