"""Moments of truth: which touchpoints' scores explain most of a customer's overall NPS.

Method: Johnson's relative weights with bootstrap CIs and a noise-column test (the shared
implementation in kohtaamo.analytics.drivers), on one row per customer. The outcome is the customer's
mean NPS over all their responses; each predictor is the customer's mean CSAT at one touchpoint. A
customer who did not answer at a touchpoint gets that touchpoint's mean (so a missing visit carries no
signal rather than a false one), re-computed inside every bootstrap sample. A touchpoint counts as a
driver (its "CI excludes zero") when the 95 % bootstrap interval of its weight minus a pure-noise
column's weight lies above zero (Tonidandel, LeBreton and Johnson 2009).
"""

from dataclasses import dataclass

import numpy as np

from kohtaamo.analytics.drivers import r_squared, relative_weights

MIN_CUSTOMERS = 30  # DESIGN.md: key drivers need n ≥ 30
BOOTSTRAP_SAMPLES = 300


@dataclass(frozen=True)
class Driver:
    key: object
    weight: float  # share of the outcome's variance (0..R²)
    share: float  # weight / R², in per cent
    ci_low: float
    ci_high: float
    beyond_noise: bool  # the CI of (weight − a noise column's weight) lies above zero
    answered: int  # customers who answered at this touchpoint

    @property
    def excludes_zero(self) -> bool:
        return self.beyond_noise


@dataclass(frozen=True)
class DriverAnalysis:
    customers: int
    r_squared: float | None
    drivers: list[Driver]  # strongest first
    enough: bool  # n ≥ MIN_CUSTOMERS

    @property
    def moments_of_truth(self) -> list[Driver]:
        """The drivers whose CI excludes zero and that together explain at least half of R², strongest first."""
        picked, total = [], 0.0
        for driver in self.drivers:
            if not driver.excludes_zero:
                break
            picked.append(driver)
            total += driver.share
            if total >= 50:
                break
        return picked


def driver_analysis(
    *, keys: list, x: np.ndarray, y: np.ndarray, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES
) -> DriverAnalysis:
    """Relative weights with bootstrap CIs. `x`: customers × touchpoints (NaN = not answered); `y`: outcome."""
    n = len(y)
    if n < 2 or not keys:
        return DriverAnalysis(customers=n, r_squared=None, drivers=[], enough=False)
    answered = (~np.isnan(x)).sum(axis=0)
    found = relative_weights(
        x, y, names=list(range(len(keys))), n_boot=samples, seed=seed, min_n=0, impute_missing=True
    )
    drivers = [
        Driver(
            key=keys[d.name],
            weight=d.weight,
            share=d.share,
            ci_low=d.ci_low,
            ci_high=d.ci_high,
            beyond_noise=d.significant,
            answered=int(answered[d.name]),
        )
        for d in found
    ]
    return DriverAnalysis(customers=n, r_squared=r_squared(found), drivers=drivers, enough=n >= MIN_CUSTOMERS)
