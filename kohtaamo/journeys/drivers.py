"""Moments of truth: which touchpoints' scores explain most of a customer's overall NPS.

Method: Johnson's relative weights (Johnson 2000) on one row per customer. The outcome is the
customer's mean NPS over all their responses; each predictor is the customer's mean CSAT at one
touchpoint. A customer who did not answer at a touchpoint gets that touchpoint's mean (so missing
visits carry no signal rather than a false one). The predictors are orthogonalised through the
symmetric square root of their correlation matrix, the outcome is regressed on the orthogonal
set, and each predictor's weight is its share of the explained variance (the weights sum to R²).
Confidence intervals: percentile bootstrap over customers (resampling whole rows), 95 %.

A raw weight is never negative, so its own interval says little about whether it differs from
nothing. Following Tonidandel, LeBreton and Johnson (2009), every fit also carries one column of
pure noise; a touchpoint counts as a driver (its "CI excludes zero") when the 95 % bootstrap
interval of its weight minus the noise column's weight lies above zero.
"""

from dataclasses import dataclass

import numpy as np

MIN_CUSTOMERS = 30  # DESIGN.md: key drivers need n ≥ 30
BOOTSTRAP_SAMPLES = 300


@dataclass(frozen=True)
class Driver:
    key: object
    weight: float  # share of the outcome's variance (0..R²)
    share: float  # weight / R², in per cent
    ci_low: float
    ci_high: float
    beyond_noise_low: float  # lower bound of the CI of (weight − the noise column's weight)
    answered: int  # customers who answered at this touchpoint

    @property
    def excludes_zero(self) -> bool:
        return self.beyond_noise_low > 0


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


def relative_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's raw relative weights of the columns of `x` for `y`; they sum to the model's R²."""
    data = np.column_stack([x, y])
    std = data.std(axis=0)
    # A (near-)constant column carries no information and would divide by zero in the correlations.
    usable = std[:-1] > 1e-9
    weights = np.zeros(x.shape[1])
    if std[-1] <= 1e-9 or not usable.any():
        return weights
    corr = np.corrcoef(data[:, np.append(usable, True)], rowvar=False)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    values = np.clip(values, 0, None)
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T  # correlations of X with its orthogonal twins
    beta = np.linalg.pinv(lam) @ rxy
    weights[usable] = (lam**2) @ (beta**2)
    return weights


def _impute(x: np.ndarray) -> np.ndarray:
    means = np.nanmean(np.where(np.isnan(x).all(axis=0), 0.0, x), axis=0)
    return np.where(np.isnan(x), means, x)


def driver_analysis(
    *, keys: list, x: np.ndarray, y: np.ndarray, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES
) -> DriverAnalysis:
    """Relative weights with bootstrap CIs. `x`: customers × touchpoints (NaN = not answered); `y`: outcome."""
    n = len(y)
    if n == 0 or not keys:
        return DriverAnalysis(customers=n, r_squared=None, drivers=[], enough=False)
    answered = (~np.isnan(x)).sum(axis=0)
    point = relative_weights(_impute(x), y)
    r2 = float(point.sum())
    rng = np.random.default_rng(seed)
    boot = np.empty((samples, len(keys)))
    beyond = np.empty((samples, len(keys)))
    for b in range(samples):
        rows = rng.integers(0, n, n)
        # Re-impute within the resample so a resample never sees the full sample's means.
        filled = _impute(x[rows])
        boot[b] = relative_weights(filled, y[rows])
        with_noise = relative_weights(np.column_stack([filled, rng.normal(size=n)]), y[rows])
        beyond[b] = with_noise[:-1] - with_noise[-1]
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    beyond_low = np.percentile(beyond, 2.5, axis=0)
    drivers = [
        Driver(
            key=key,
            weight=float(point[j]),
            share=float(100 * point[j] / r2) if r2 > 0 else 0.0,
            ci_low=float(low[j]),
            ci_high=float(high[j]),
            beyond_noise_low=float(beyond_low[j]),
            answered=int(answered[j]),
        )
        for j, key in enumerate(keys)
    ]
    drivers.sort(key=lambda d: d.weight, reverse=True)
    return DriverAnalysis(customers=n, r_squared=r2, drivers=drivers, enough=n >= MIN_CUSTOMERS)
