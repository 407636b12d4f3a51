"""Is a difference between two shown figures more than chance? Tests per metric kind, and Holm's correction.

- NPS: z test on the difference with the adjusted-Wald variances (Rocks 2016) of the two scores.
- Shares (CSAT % 4–5, CES % 5–7): two-proportion z test with the pooled proportion.
- Means and 0–100 scores: Welch's t test (unequal variances, Welch–Satterthwaite degrees of freedom).

When a page shows several comparisons at once, their p-values are adjusted with Holm's step-down
method (family-wise error 5 %), and only a difference whose adjusted p is below 0.05 is marked.
"""

import math
from dataclasses import dataclass

from scipy.stats import norm
from scipy.stats import t as student_t

from .metrics import Estimate

ALPHA = 0.05
TESTS = {
    "nps": "adjusted-Wald z",
    "percent": "two-proportion z",
    "mean": "Welch t",
    "score": "Welch t",
    "points": "Welch t",
}


@dataclass(frozen=True)
class Comparison:
    difference: float
    p_value: float
    test: str
    p_adjusted: float | None = None

    @property
    def significant(self) -> bool:
        p = self.p_adjusted if self.p_adjusted is not None else self.p_value
        return p < ALPHA


def _testable(a: Estimate, b: Estimate) -> bool:
    return a.value is not None and b.value is not None and a.n >= 2 and b.n >= 2


def compare(a: Estimate, b: Estimate, *, kind: str) -> Comparison | None:
    """a − b with its two-sided p-value; None where either figure cannot be tested."""
    if not _testable(a, b) or kind not in TESTS:
        return None
    difference = a.value - b.value
    if kind == "percent":
        hits_a, hits_b = a.value * a.n / 100, b.value * b.n / 100
        pooled = (hits_a + hits_b) / (a.n + b.n)
        se = math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n)) * 100
        p = 2 * norm.sf(abs(difference) / se) if se > 0 else 1.0
        return Comparison(difference, float(p), TESTS[kind])
    if a.se is None or b.se is None:
        return None
    se2 = a.se**2 + b.se**2
    if se2 == 0:
        return Comparison(difference, 1.0 if difference == 0 else 0.0, TESTS[kind])
    z = abs(difference) / math.sqrt(se2)
    if kind == "nps":
        return Comparison(difference, float(2 * norm.sf(z)), TESTS[kind])
    df = se2**2 / (a.se**4 / (a.n - 1) + b.se**4 / (b.n - 1)) if (a.se or b.se) else a.n + b.n - 2
    return Comparison(difference, float(2 * student_t.sf(z, df)), TESTS[kind])


def holm(p_values: list[float]) -> list[float]:
    """Holm-adjusted p-values, in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def with_holm(comparisons: list[Comparison | None]) -> list[Comparison | None]:
    present = [c for c in comparisons if c is not None]
    adjusted = iter(holm([c.p_value for c in present]))
    return [Comparison(c.difference, c.p_value, c.test, next(adjusted)) if c is not None else None for c in comparisons]


def period_changes(estimates: list[Estimate], *, kind: str) -> list[Comparison | None]:
    """Each period against the one before (the first has none), Holm-corrected over the series."""
    if not estimates:
        return []
    raw = [None] + [compare(b, a, kind=kind) for a, b in zip(estimates, estimates[1:], strict=False)]
    return with_holm(raw)


def pairwise(estimates: list[Estimate], *, kind: str) -> dict[tuple[int, int], Comparison]:
    """Every pair of groups (i < j: estimate i − estimate j), Holm-corrected over all pairs."""
    pairs = [(i, j) for i in range(len(estimates)) for j in range(i + 1, len(estimates))]
    tested = with_holm([compare(estimates[i], estimates[j], kind=kind) for i, j in pairs])
    return {pair: c for pair, c in zip(pairs, tested, strict=True) if c is not None}
