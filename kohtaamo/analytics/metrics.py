"""Metric definitions (DESIGN.md section 3) as pure functions of counts and sums.

The database returns counts, sums and sums of squares; these functions turn them into an estimate
with its n and a 95 % confidence interval. Every figure with n < 10 is flagged as indicative.
"""

import functools
import math
from dataclasses import dataclass, field

from scipy.stats import t as student_t

Z_95 = 1.96
INDICATIVE_BELOW = 10


@dataclass(frozen=True)
class Estimate:
    """A figure with its n and 95 % CI; `value` is None when nothing was answered."""

    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    indicative: bool = field(init=False)
    # Standard error of `value` (NPS points, or the mean's), for significance tests; not part of equality.
    se: float | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicative", self.n < INDICATIVE_BELOW)

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "n": self.n,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "indicative": self.indicative,
        }


EMPTY = Estimate(value=None, n=0)


def _clip(x: float, low: float, high: float) -> float:
    return float(max(low, min(high, x)))


def nps(*, promoters: int, passives: int, detractors: int) -> Estimate:
    """Net Promoter Score (−100…100) with the adjusted-Wald interval (Rocks 2016)."""
    n = promoters + passives + detractors
    if n == 0:
        return EMPTY
    value = 100 * (promoters - detractors) / n
    n_adj = n + 3
    p = (promoters + 0.75) / n_adj
    d = (detractors + 0.75) / n_adj
    se = math.sqrt((p + d - (p - d) ** 2) / n_adj)
    low = _clip(100 * ((p - d) - Z_95 * se), -100, 100)
    high = _clip(100 * ((p - d) + Z_95 * se), -100, 100)
    return Estimate(value=value, n=n, ci_low=low, ci_high=high, se=100 * se)


def top_box_share(*, hits: int, n: int) -> Estimate:
    """Share of answers in the top boxes, in per cent, with the Wilson score interval."""
    if n == 0:
        return EMPTY
    p = hits / n
    z2 = Z_95**2
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = Z_95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return Estimate(
        value=100 * p,
        n=n,
        ci_low=100 * _clip(centre - half, 0, 1),
        ci_high=100 * _clip(centre + half, 0, 1),
    )


@functools.lru_cache(maxsize=4096)
def _t_quantile(degrees_of_freedom: int) -> float:
    """The two-sided 95 % quantile of Student's t; cached, as a dashboard asks for the same few hundred."""
    return float(student_t.ppf(0.975, degrees_of_freedom))


def mean_t_interval(
    *, n: int, total: float | None, total_sq: float | None, bounds: tuple[float, float] | None = None
) -> Estimate:
    """Mean with a t-interval from sufficient statistics (count, sum, sum of squares).

    `bounds` (the scale's min and max) clip the interval to values the mean can take.
    """
    if n == 0 or total is None:
        return EMPTY
    mean = total / n
    if n == 1:
        return Estimate(value=mean, n=1)
    # Rounding can push a zero variance slightly below zero.
    variance = max(0.0, (total_sq - total * total / n) / (n - 1))
    half = _t_quantile(n - 1) * math.sqrt(variance / n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = _clip(low, *bounds), _clip(high, *bounds)
    return Estimate(value=mean, n=n, ci_low=low, ci_high=high, se=math.sqrt(variance / n))
