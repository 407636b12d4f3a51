"""The chain: staff experience index beside customer EQI per unit, Pearson r with a Fisher-z CI,
the one-period lag, units under the threshold left out, and figures checked against scipy."""

import re
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

EN = {"accept-language": "en"}
API = "/api/v1/organisations/acme/staff-pulse/chain"
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
    ys = [p.figure.value for p in report.points]
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
    assert first.figure.n == 5
    assert (first.figure.value, first.figure.ci_low, first.figure.ci_high) == pytest.approx(
        (stats.tmean(customer), low, high)
    )


def test_pearson_edge_cases():
    assert pearson_with_ci([1, 2], [3, 4]) is None
    assert pearson_with_ci([1, 1, 1, 1], [1, 2, 3, 4]) is None
    three = pearson_with_ci([1, 2, 3], [1, 3, 2])
    assert three.r == pytest.approx(0.5) and three.ci_low is None


def _outcomes(world, units):
    """Four served customers per unit in January; retention and spend rise with the unit's staff level."""
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


def test_outcomes_by_unit_follow_the_customers_they_served(planted):
    world, units, january, _february = planted
    assert _report(world, period_id=january.pk).outcome is None  # nothing imported: no outcome comparison
    _outcomes(world, units)
    retained = _report(world, period_id=january.pk, outcome="retained")
    by_unit = {p.unit: p.figure for p in retained.outcome.points}
    assert [by_unit[u].n for u in units] == [4] * 10
    assert [by_unit[u].value for u in units] == pytest.approx([25.0 * (level - 1) for level in LEVELS])
    assert retained.outcome.correlation.excludes_zero
    assert retained.outcome.correlation.n == 10
    # The customer comparison is there beside it, unchanged.
    assert retained.correlation == _report(world, period_id=january.pk).correlation
    spend = {p.unit: p.figure for p in _report(world, period_id=january.pk, outcome="spend").outcome.points}
    assert spend[units[-1]].value == pytest.approx(501.5) and spend[units[-1]].n == 4
    # Once outcomes are imported, retention is compared by default.
    assert _report(world, period_id=january.pk).outcome.measure == "retained"


def test_staff_outcome_correlation_matches_scipy(planted):
    world, units, january, _february = planted
    _outcomes(world, units)
    report = _report(world, period_id=january.pk, outcome="spend")
    xs = [p.staff.value for p in report.outcome.points]
    ys = [p.figure.value for p in report.outcome.points]
    expected = stats.pearsonr(xs, ys)
    interval = expected.confidence_interval(0.95)
    assert report.outcome.correlation.r == pytest.approx(expected.statistic, abs=1e-12)
    assert report.outcome.correlation.ci_low == pytest.approx(interval.low, abs=1e-3)
    assert report.outcome.correlation.ci_high == pytest.approx(interval.high, abs=1e-3)


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


def _figures(html: str) -> dict[int, dict[str, str]]:
    """unit id -> {staff, customer, outcome: the cell's text} from the chain table."""
    rows = {}
    for row in re.finditer(r'<tr data-unit="(\d+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r'data-figure="(\w+)">(.*?)</td>', row.group(2), re.S)
        rows[int(row.group(1))] = {name: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for name, body in cells}
    return rows


def test_chain_table_shows_staff_customers_and_outcomes_with_both_correlations(client, planted):
    world, units, january, _february = planted
    _outcomes(world, units)
    client.force_login(world.cx_lead)
    url = reverse("staffexperience:chain", kwargs={"org": "acme"})
    page = client.get(url, {"period": january.pk, "level": 2, "outcome": "spend"}, headers=EN)
    assert page.status_code == 200
    html = page.content.decode()
    figures = _figures(html)
    assert set(figures) == {u.pk for u in units}
    last = figures[units[-1].pk]
    report = _report(world, period_id=january.pk, outcome="spend")
    row = next(r for r in report.rows if r.unit == units[-1])
    assert last["staff"] == f"{row.staff.value:.1f} ({row.staff.ci_low:.1f}–{row.staff.ci_high:.1f}) n = 5 *"
    assert last["customer"].endswith("n = 5 *") and last["customer"].startswith(f"{row.customer.value:.1f} (")
    assert last["outcome"] == f"501.5 ({row.outcome.ci_low:.1f}–{row.outcome.ci_high:.1f}) n = 4 *"
    assert "Customer spend (mean)" in html and "Customer EQI (0–100)" in html
    customer_c, outcome_c = report.correlation, report.outcome.correlation
    correlation = " ".join(re.sub(r"<[^>]+>", " ", _by_id(html, "correlation")).split())
    assert correlation.startswith("Staff experience and Customer EQI (0–100):")
    assert f"r) = {customer_c.r:.2f}, n = 10 units, 95 % CI {customer_c.ci_low:.2f} to" in correlation
    outcome_text = " ".join(re.sub(r"<[^>]+>", " ", _by_id(html, "outcome-correlation")).split())
    assert outcome_text.startswith("Staff experience and Customer spend (mean):")
    assert f"r) = {outcome_c.r:.2f}, n = 10 units, 95 % CI {outcome_c.ci_low:.2f} to {outcome_c.ci_high:.2f}" in (
        outcome_text
    )
    assert 'name="outcome"' in html and '<option value="spend" selected>' in html
    assert "No business outcomes have been imported" not in html
    api = client.get(API, {"period": january.pk, "level": 2, "outcome": "spend"}).json()
    assert api["outcome"] == "spend" and api["outcomes_imported"] is True
    assert api["outcome_comparison"]["correlation"]["n"] == 10
    assert api["outcome_comparison"]["correlation"]["r"] == pytest.approx(outcome_c.r)
    by_unit = {u["unit"]: u for u in api["units"]}
    assert by_unit[units[-1].pk]["outcome"]["value"] == pytest.approx(501.5)
    assert by_unit[units[-1].pk]["outcome"]["n"] == 4
    assert by_unit[units[-1].pk]["customer"]["n"] == 5


def _by_id(html: str, element_id: str) -> str:
    match = re.search(rf'<p id="{element_id}"[^>]*>(.*?)</p>', html, re.S)
    assert match, element_id
    return match.group(1)


def test_without_outcomes_the_page_says_so_and_how_to_import(client, planted):
    world, units, january, _february = planted
    client.force_login(world.cx_lead)
    url = reverse("staffexperience:chain", kwargs={"org": "acme"})
    html = client.get(url, {"period": january.pk, "level": 2}, headers=EN).content.decode()
    notice = _by_id(html, "no-outcomes")
    assert "No business outcomes have been imported for this organisation" in notice
    assert f'href="{reverse("impact:index", kwargs={"org": "acme"})}"' in notice
    assert "outcome-correlation" not in html and 'data-figure="outcome"' not in html
    assert "<select" in html and '<select name="outcome"' not in html  # not offered
    refused = client.get(url, {"period": january.pk, "outcome": "retained"}, headers=EN)
    assert refused.status_code == 400
    assert "No business outcomes have been imported for this organisation, so there is none to compare." in (
        refused.content.decode()
    )
    api = client.get(API, {"outcome": "retained"}, headers=EN)
    assert api.status_code == 422
    assert api.json()["errors"] == [
        {
            "field": "outcome",
            "message": "No business outcomes have been imported for this organisation, so there is none to compare.",
        }
    ]
    plain = client.get(API, {"period": january.pk, "level": 2}).json()
    assert plain["outcomes_imported"] is False and plain["outcome"] is None and plain["outcome_comparison"] is None


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "bad"}, "period", "Choose one of the staff pulse periods listed."),
        ({"period": "999999"}, "period", "Choose one of the staff pulse periods listed."),
        ({"measure": "mood"}, "measure", "Choose a customer figure from the list (EQI or NPS)."),
        ({"level": "9"}, "level", "Choose one of the unit levels listed."),
        ({"lag": "maybe"}, "lag", "Give lag as true or false."),
    ],
)
def test_invalid_choices_are_explained_not_replaced_by_defaults(client, planted, query, field, message):
    world, _units, _january, _february = planted
    client.force_login(world.cx_lead)
    page = client.get(reverse("staffexperience:chain", kwargs={"org": "acme"}), query, headers=EN)
    assert page.status_code == 400
    html = page.content.decode()
    errors = re.search(r'<div class="error" role="alert" id="chain-errors">(.*?)</div>', html, re.S).group(1)
    assert message in errors
    assert 'id="chain-table"' not in html and 'id="correlation"' not in html  # no figures for other choices
    api = client.get(API, query, headers=EN)
    assert api.status_code == 422
    [error] = api.json()["errors"]
    assert error["field"] == field
    if field not in ("measure", "lag", "period") or query[field] == "999999":
        assert error["message"] == message  # the page's own message (typed values are checked by the API schema)


def test_api_note_is_in_the_callers_language(client, planted):
    world, _units, january, _february = planted
    client.force_login(world.cx_lead)
    english = client.get(API, {"period": january.pk}, headers=EN).json()["note"]
    assert english == "Association, not causation: Pearson r over units, 95 % CI by Fisher's z."
    finnish = client.get(API, {"period": january.pk}, headers={"accept-language": "fi"}).json()["note"]
    assert finnish == "Yhteys, ei syy-seuraussuhde: Pearsonin r yksiköiden yli, 95 %:n luottamusväli Fisherin z:lla."


def test_the_feedback_sync_recommendation_leads_to_the_chain_page(client, planted):
    from kohtaamo.maturity.recommendations import recommendation_for, recommendation_url

    world, _units, _january, _february = planted
    url = recommendation_url("m_feedback_sync", organisation_slug="acme")
    assert url == "/o/acme/staff/chain/" == reverse("staffexperience:chain", kwargs={"org": "acme"})
    assert recommendation_url("m_training", organisation_slug="acme") is None
    assert "The chain page under Staff experience" in recommendation_for("m_feedback_sync", "en")
    assert "vaikutusketju" in recommendation_for("m_feedback_sync", "fi")
    client.force_login(world.cx_lead)
    assert 'id="chain-table"' in client.get(url, headers=EN).content.decode()


def test_the_unchosen_form_shows_what_the_defaults_compared(client, planted):
    world, _units, _january, february = planted
    client.force_login(world.cx_lead)
    page = client.get(reverse("staffexperience:chain", kwargs={"org": "acme"}), headers={"accept-language": "en"})
    report = page.context["report"]
    assert report.period == february  # the latest period
    html = page.content.decode()
    level = re.search(r'<select name="level"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.search(rf'<option value="{report.level}" selected>', level), level
    period = re.search(r'<select name="period"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.search(rf'<option value="{february.pk}" selected>', period), period
