"""Key-driver analysis: Johnson's relative weights with bootstrap confidence intervals (DESIGN.md section 3).

Relative weights split the R² of a linear model of an outcome (NPS, CSAT) on correlated predictors
(dimensions, items, touchpoints) into one share per predictor: the predictors are replaced by their
closest orthogonal counterparts, the outcome is regressed on those, and each predictor gets back the
part of the explained variance its counterparts carry (Johnson 2000). A weight is "raw" (share of the
outcome's variance, the weights sum to R²).

Significance follows Tonidandel, LeBreton & Johnson (2009): a random-noise predictor is added to every
bootstrap sample, and a predictor is called a driver only where the bootstrap interval of its weight
minus the noise predictor's weight lies above zero. Raw weights are never negative, so an interval of
the weight alone always "excludes zero" and would claim a driver in pure noise.
"""

from dataclasses import dataclass

import numpy as np

MIN_N = 30  # DESIGN.md: key drivers need n >= 30


class TooFewResponses(ValueError):
    """Fewer complete cases than the analysis needs; nothing is estimated."""

    def __init__(self, n: int, minimum: int = MIN_N) -> None:
        super().__init__(f"{n} complete cases, at least {minimum} needed")
        self.n = n
        self.minimum = minimum


@dataclass(frozen=True)
class Driver:
    name: str
    weight: float  # share of the outcome's variance (raw relative weight)
    ci_low: float
    ci_high: float
    share: float = 0.0  # weight / R², in per cent
    significant: bool = False  # weight above a random predictor's, 95 % bootstrap interval
    n: int = 0


def _standardise(a: np.ndarray) -> np.ndarray:
    sd = a.std(axis=0, ddof=1)
    sd[sd == 0] = np.inf  # a constant column carries nothing (its z-scores become 0)
    return (a - a.mean(axis=0)) / sd


def _weights(X: np.ndarray, y: np.ndarray) -> np.ndarray:  # noqa: N803 - statistics' names
    """Raw relative weights of the columns of X for y (both standardised inside)."""
    n = X.shape[0]
    Z = _standardise(X)  # noqa: N806
    zy = _standardise(y.reshape(-1, 1)).ravel()
    rxx = Z.T @ Z / (n - 1)
    rxy = Z.T @ zy / (n - 1)
    eigenvalues, vectors = np.linalg.eigh(rxx)
    eigenvalues = np.clip(eigenvalues, 0, None)
    lam = vectors @ np.diag(np.sqrt(eigenvalues)) @ vectors.T
    beta = np.linalg.pinv(lam) @ rxy
    return (lam**2) @ (beta**2)


def raw_relative_weights(X, y) -> np.ndarray:  # noqa: N803
    """The point estimates alone: one raw weight per column of X (they sum to the model's R²)."""
    return _weights(np.asarray(X, dtype=float), np.asarray(y, dtype=float).ravel())


def _impute_column_means(X: np.ndarray) -> np.ndarray:  # noqa: N803
    """A missing predictor takes its column's mean, so a missing value carries no signal."""
    means = np.nanmean(np.where(np.isnan(X).all(axis=0), 0.0, X), axis=0)
    return np.where(np.isnan(X), means, X)


def relative_weights(
    X,  # noqa: N803
    y,
    *,
    names: list,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = MIN_N,
    impute_missing: bool = False,
) -> list[Driver]:
    """Johnson's relative weights of the columns of X for y with percentile bootstrap CIs, largest first.

    Rows with a missing value (NaN) are dropped, or with `impute_missing` a missing predictor takes its
    column mean (re-computed inside every bootstrap sample). Raises TooFewResponses below `min_n` rows.
    """
    X = np.asarray(X, dtype=float)  # noqa: N806
    y = np.asarray(y, dtype=float).ravel()
    if X.ndim != 2 or X.shape[1] != len(names) or X.shape[0] != y.shape[0]:
        raise ValueError("X must be n × len(names) and y of length n")
    complete = np.isnan(y) if impute_missing else np.isnan(X).any(axis=1) | np.isnan(y)
    X, y = X[~complete], y[~complete]  # noqa: N806
    n = X.shape[0]
    if n < min_n:
        raise TooFewResponses(n, min_n)
    prepare = _impute_column_means if impute_missing else (lambda a: a)
    weights = _weights(prepare(X), y)
    r2 = float(weights.sum())
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, X.shape[1]))
    above_noise = np.empty((n_boot, X.shape[1]))
    for b in range(n_boot):
        rows = rng.integers(0, n, n)
        noise = rng.standard_normal((n, 1))
        sample = prepare(X[rows])
        with_noise = _weights(np.hstack([sample, noise]), y[rows])
        boot[b] = _weights(sample, y[rows])
        above_noise[b] = with_noise[:-1] - with_noise[-1]
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    noise_low = np.percentile(above_noise, 2.5, axis=0)
    drivers = [
        Driver(
            name=name,
            weight=float(weights[j]),
            ci_low=float(low[j]),
            ci_high=float(high[j]),
            share=float(100 * weights[j] / r2) if r2 > 0 else 0.0,
            significant=bool(noise_low[j] > 0),
            n=n,
        )
        for j, name in enumerate(names)
    ]
    return sorted(drivers, key=lambda d: d.weight, reverse=True)


def r_squared(drivers: list[Driver]) -> float:
    return sum(d.weight for d in drivers)
