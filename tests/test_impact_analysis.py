"""Key drivers and business impact on synthetic data: planted effects are found, noise is not claimed;
outcome imports report every bad line and store nothing."""

import numpy as np
import pytest

from kohtaamo.analytics.drivers import TooFewResponses, relative_weights
from kohtaamo.impact.analysis import impact_analysis
from kohtaamo.impact.importing import outcomes_import_csv
from kohtaamo.impact.models import Outcome
from kohtaamo.organisations.models import Customer


def test_relative_weights_find_planted_drivers():
    rng = np.random.default_rng(7)
    n = 300
    X = rng.normal(size=(n, 4))  # noqa: N806
    X[:, 3] += 0.6 * X[:, 0]  # correlated with a driver, no effect of its own
    y = 0.7 * X[:, 0] + 0.35 * X[:, 2] + rng.normal(size=n)
    drivers = {d.name: d for d in relative_weights(X, y, names=["a", "b", "c", "d"], n_boot=300, seed=1)}
    assert drivers["a"].significant and drivers["c"].significant
    assert drivers["a"].ci_low > 0 and drivers["a"].weight > drivers["c"].weight > drivers["b"].weight
    assert not drivers["b"].significant
    # The weights add up to the model's R².
    Z = np.column_stack([np.ones(n), X])  # noqa: N806
    beta, *_ = np.linalg.lstsq(Z, y, rcond=None)
    r2 = 1 - ((y - Z @ beta) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert sum(d.weight for d in drivers.values()) == pytest.approx(r2, rel=1e-6)
    assert drivers["a"].n == n


def test_relative_weights_claim_nothing_in_noise():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 5))  # noqa: N806
    y = rng.normal(size=200)
    drivers = relative_weights(X, y, names=list("abcde"), n_boot=300, seed=2)
    assert not any(d.significant for d in drivers)


def test_relative_weights_refuse_below_30():
    rng = np.random.default_rng(0)
    with pytest.raises(TooFewResponses) as caught:
        relative_weights(rng.normal(size=(29, 2)), rng.normal(size=29), names=["a", "b"], n_boot=10)
    assert caught.value.n == 29


def _customers(n: int, rng, effect: float):
    nps = rng.integers(0, 11, n).astype(float)
    eqi = np.clip(40 + 5 * nps + rng.normal(0, 10, n), 0, 100)
    prev = rng.poisson(3, n).astype(float)
    promoter = (nps >= 9).astype(float)
    y = 0.8 * prev + effect * promoter + rng.normal(0, 1, n)
    return {"y": y, "prev": prev, "nps": nps, "eqi": eqi}


def test_impact_finds_a_planted_promoter_effect():
    result = impact_analysis(**_customers(600, np.random.default_rng(5), effect=1.5))
    diff = result.promoter_vs_detractor
    assert diff is not None and diff.significant and diff.ci_low > 0
    coefficient = result.nps_regression.coefficient("promoter")
    assert coefficient.ci_low < 1.5 < coefficient.ci_high and coefficient.p_value < 0.001
    assert result.nps_regression.coefficient("previous").estimate == pytest.approx(0.8, abs=0.1)
    assert [g.key for g in result.nps_groups] == ["promoter", "passive", "detractor"]
    assert sum(g.n for g in result.nps_groups) == 600


def test_impact_claims_nothing_without_an_effect():
    result = impact_analysis(**_customers(600, np.random.default_rng(11), effect=0.0))
    coefficient = result.nps_regression.coefficient("promoter")
    assert coefficient.ci_low < 0 < coefficient.ci_high
    assert not result.nps_regression.coefficient("detractor").significant


def test_outcome_import_reports_every_bad_line_and_stores_nothing(world):
    Customer.objects.create(organisation=world.organisation, external_id="C1")
    Customer.objects.create(organisation=world.organisation, external_id="C2")
    Customer.objects.create(organisation=world.organisation, external_id="OTHER")
    csv = (
        b"customer_id,period,spend,services,retained,recommended\n"
        b"C1,2026-01,120.50,3,yes,no\n"
        b"C9,2026-01,10,1,yes,no\n"
        b"C1,2026-01,99,2,yes,no\n"
        b"C2,2026-13,10,1,yes,no\n"
        b"C2,2026-02,-5,1,maybe,no\n"
        b"C2,2026-Q1,10,2.5,1,0\n"
    )
    result = outcomes_import_csv(organisation=world.organisation, data=csv)
    problems = {(e.line, e.field) for e in result.errors}
    assert problems == {
        (3, "customer_id"),
        (4, "period"),
        (5, "period"),
        (6, "spend"),
        (6, "retained"),
        (7, "services"),
    }
    assert "Duplicate of line 2" in next(e.message for e in result.errors if e.line == 4)
    assert Outcome.objects.count() == 0


def test_outcome_import_stores_and_replaces(world):
    Customer.objects.create(organisation=world.organisation, external_id="C1")
    first = outcomes_import_csv(
        organisation=world.organisation, data=b"customer_id;period;spend;services\nC1;2026-Q1;10,5;2\n"
    )
    assert first.ok and first.created == 1
    again = outcomes_import_csv(organisation=world.organisation, data=b"customer_id,period,services\nC1,2026-Q1,4\n")
    assert again.updated == 1
    outcome = Outcome.objects.get()
    assert outcome.services == 4 and str(outcome.period_end) == "2026-03-31"
