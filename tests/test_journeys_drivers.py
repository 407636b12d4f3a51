"""Driver analysis on synthetic data with known effects: the planted strongest touchpoint comes first."""

import numpy as np
import pytest

from kohtaamo.analytics.drivers import raw_relative_weights as relative_weights
from kohtaamo.journeys.drivers import MIN_CUSTOMERS, driver_analysis
from kohtaamo.journeys.selectors import JourneyFilter, journey_map
from kohtaamo.organisations.models import Channel, Stage, Touchpoint
from kohtaamo.organisations.selectors import scope_from_organisation

from .journeys_support import answer


def test_relative_weights_sum_to_r_squared():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 3))
    x[:, 1] += 0.6 * x[:, 0]  # correlated predictors
    y = 0.5 * x[:, 0] + 0.2 * x[:, 1] + rng.normal(size=400)
    design = np.column_stack([np.ones(400), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    r2 = 1 - ((y - design @ beta) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    weights = relative_weights(x, y)
    assert weights.sum() == pytest.approx(r2, rel=1e-9)
    assert weights[0] > weights[1] > weights[2] >= 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_driver_comes_first_with_ci_above_zero(seed):
    rng = np.random.default_rng(seed)
    n = 150
    x = rng.integers(1, 6, size=(n, 4)).astype(float)
    y = 1.5 * x[:, 2] + 0.3 * x[:, 0] + rng.normal(0, 1.5, size=n)  # touchpoint "c" is the planted driver
    x[rng.random((n, 4)) < 0.25] = np.nan  # not every customer meets every touchpoint
    analysis = driver_analysis(keys=["a", "b", "c", "d"], x=x, y=y, seed=seed, samples=200)
    first = analysis.drivers[0]
    assert first.key == "c"
    assert first.ci_low > 0 and first.excludes_zero
    assert first.share > 60
    null = next(d for d in analysis.drivers if d.key == "d")  # no effect planted
    assert not null.excludes_zero
    assert [d.key for d in analysis.moments_of_truth] == ["c"]
    assert analysis.enough


def test_too_few_customers_is_said():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(MIN_CUSTOMERS - 1, 2))
    analysis = driver_analysis(keys=[1, 2], x=x, y=x[:, 0], samples=20)
    assert not analysis.enough


def test_moment_of_truth_from_database(world):
    """Per-customer aggregates from real responses: CSAT at the loan meeting drives the customer's NPS."""
    rng = np.random.default_rng(7)
    stage = Stage.objects.create(service_path=world.touchpoint.stage.service_path, name="Follow-up", order=2)
    web = Touchpoint.objects.create(organisation=world.organisation, stage=stage, name="Web form", channel=Channel.WEB)
    call = Touchpoint.objects.create(organisation=world.organisation, stage=stage, name="Call", channel=Channel.PHONE)
    for c in range(40):
        meeting_csat, web_csat, call_csat = (int(v) for v in rng.integers(1, 6, size=3))
        nps = int(np.clip(round(2.4 * meeting_csat - 2 + rng.normal(0, 0.8)), 0, 10))
        for touchpoint, csat in ((world.touchpoint, meeting_csat), (web, web_csat), (call, call_csat)):
            answer(world, touchpoint=touchpoint, customer=f"C{c}", nps=nps, csat=csat)
    scope = scope_from_organisation(organisation=world.organisation)
    journey = journey_map(scope=scope, service_path=world.touchpoint.stage.service_path, filters=JourneyFilter())
    assert journey.drivers.customers == 40
    strongest = journey.drivers.drivers[0]
    assert strongest.key == world.touchpoint.pk and strongest.excludes_zero
    assert [c.touchpoint for c in journey.moments_of_truth] == [world.touchpoint]
