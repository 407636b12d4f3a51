"""Business impact, computed: next-period outcomes by encounter experience (DESIGN.md section 3).

Pure numpy/scipy over one row per customer: y = the outcome in the period after the experience,
prev = the same outcome in the experience period, nps = the customer's NPS answer (mean where they
answered several times), eqi = their EQI. Comparisons carry n and 95 % CIs (Welch for differences);
the regression is ordinary least squares with classical standard errors.

These are associations in the organisation's own data, not proof that the experience caused the
outcome: customers who are doing well anyway may both answer more kindly and buy more. Controlling
for the previous period's outcome removes the most obvious part of that, not all of it.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_GROUP = 10  # a group mean with fewer customers is not shown
MIN_N = 30  # the regression and a unit's own report need this many customers


@dataclass(frozen=True)
class GroupMean:
    key: str
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Difference:
    label: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    relative: float | None  # estimate / reference group mean, in per cent

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


@dataclass(frozen=True)
class Coefficient:
    name: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


@dataclass(frozen=True)
class Regression:
    n: int
    r_squared: float
    coefficients: list[Coefficient]

    def coefficient(self, name: str) -> Coefficient:
        return next(c for c in self.coefficients if c.name == name)


@dataclass(frozen=True)
class ImpactResult:
    n: int
    nps_groups: list[GroupMean]
    promoter_vs_detractor: Difference | None
    eqi_groups: list[GroupMean]
    eqi_high_vs_low: Difference | None
    nps_regression: Regression | None
    eqi_regression: Regression | None


def group_mean(key: str, values: np.ndarray) -> GroupMean:
    n = int(values.size)
    if n < MIN_GROUP:
        return GroupMean(key, n, None, None, None)
    mean = float(values.mean())
    half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))
    return GroupMean(key, n, mean, mean - half, mean + half)


def welch_difference(label: str, a: np.ndarray, b: np.ndarray) -> Difference | None:
    """Mean of a minus mean of b, Welch's t-interval."""
    if a.size < MIN_GROUP or b.size < MIN_GROUP:
        return None
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = float(np.sqrt(va + vb))
    estimate = float(a.mean() - b.mean())
    if se == 0:
        return Difference(label, estimate, estimate, estimate, 0.0 if estimate else 1.0, None)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf(0.975, df)) * se
    p = float(2 * stats.t.sf(abs(estimate) / se, df))
    reference = float(b.mean())
    relative = 100 * estimate / reference if reference else None
    return Difference(label, estimate, estimate - half, estimate + half, p, relative)


def ols(y: np.ndarray, columns: dict[str, np.ndarray]) -> Regression | None:
    """y on an intercept and the given columns; None below MIN_N or when the design is singular."""
    n = y.size
    names = ["intercept", *columns]
    X = np.column_stack([np.ones(n), *columns.values()])  # noqa: N806
    k = X.shape[1]
    if n < max(MIN_N, k + 2) or np.linalg.matrix_rank(X) < k:
        return None
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    residuals = y - X @ beta
    df = n - k
    sigma2 = float(residuals @ residuals) / df
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(X.T @ X)))
    t_crit = float(stats.t.ppf(0.975, df))
    total = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - float(residuals @ residuals) / total if total else 0.0
    coefficients = []
    for name, b, s in zip(names, beta, se, strict=True):
        p = float(2 * stats.t.sf(abs(b / s), df)) if s > 0 else 0.0
        coefficients.append(Coefficient(name, float(b), float(s), float(b - t_crit * s), float(b + t_crit * s), p))
    return Regression(n=n, r_squared=r2, coefficients=coefficients)


def nps_category(nps: np.ndarray) -> np.ndarray:
    return np.where(nps >= 9, "promoter", np.where(nps <= 6, "detractor", "passive"))


def impact_analysis(*, y, prev, nps, eqi) -> ImpactResult:
    """Every comparison of one outcome. Inputs are equal-length arrays; NaN = not known."""
    y, prev, nps, eqi = (np.asarray(a, dtype=float) for a in (y, prev, nps, eqi))
    known = ~np.isnan(y)
    n = int(known.sum())
    has_nps = known & ~np.isnan(nps)
    categories = nps_category(np.nan_to_num(nps))
    groups = {c: y[has_nps & (categories == c)] for c in ("promoter", "passive", "detractor")}
    nps_groups = [group_mean(c, v) for c, v in groups.items()]
    has_eqi = known & ~np.isnan(eqi)
    eqi_groups, eqi_diff, eqi_reg = [], None, None
    if has_eqi.sum() >= 3:
        cut_low, cut_high = np.quantile(eqi[has_eqi], [1 / 3, 2 / 3])
        tertiles = {
            "low": y[has_eqi & (eqi <= cut_low)],
            "middle": y[has_eqi & (eqi > cut_low) & (eqi <= cut_high)],
            "high": y[has_eqi & (eqi > cut_high)],
        }
        eqi_groups = [group_mean(k, v) for k, v in tertiles.items()]
        eqi_diff = welch_difference("eqi_high_vs_low", tertiles["high"], tertiles["low"])
        rows = has_eqi & ~np.isnan(prev)
        eqi_reg = ols(y[rows], {"eqi_per_10": eqi[rows] / 10, "previous": prev[rows]})
    rows = has_nps & ~np.isnan(prev)
    nps_reg = ols(
        y[rows],
        {
            "promoter": (categories[rows] == "promoter").astype(float),
            "detractor": (categories[rows] == "detractor").astype(float),
            "previous": prev[rows],
        },
    )
    return ImpactResult(
        n=n,
        nps_groups=nps_groups,
        promoter_vs_detractor=welch_difference("promoter_vs_detractor", groups["promoter"], groups["detractor"]),
        eqi_groups=eqi_groups,
        eqi_high_vs_low=eqi_diff,
        nps_regression=nps_reg,
        eqi_regression=eqi_reg,
    )
