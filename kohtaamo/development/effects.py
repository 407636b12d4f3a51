"""Did it work? Before/after changes and difference-in-differences with Welch intervals.

The unit of analysis is the person: each person's mean score in a window before and after the start
date; a participant's change is compared with the changes of comparable non-participants (people in
the same scope who were measured in both windows). Below `MIN_GROUP_N` people per group the report
says "not enough data"; an effect is claimed only when its 95 % CI excludes zero.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q
from scipy.stats import t as student_t

from kohtaamo.analytics.metrics import Estimate
from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.organisations.selectors import Scope, people_visible, restrict

MIN_GROUP_N = 5
WINDOW_DAYS = 90
SCORE_BOUNDS = (0.0, 100.0)


@dataclass(frozen=True)
class Sample:
    """Sufficient statistics of a sample: n, mean and (n − 1) variance."""

    n: int
    mean: float | None
    variance: float | None

    @classmethod
    def of(cls, values: list[float]) -> "Sample":
        n = len(values)
        if n == 0:
            return cls(0, None, None)
        mean = sum(values) / n
        variance = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else None
        return cls(n, mean, variance)

    @classmethod
    def from_sums(cls, *, n: int, total: float | None, total_sq: float | None) -> "Sample":
        if not n or total is None:
            return cls(0, None, None)
        mean = total / n
        variance = max(0.0, (total_sq - total * total / n) / (n - 1)) if n > 1 else None
        return cls(n, mean, variance)


def welch_difference(a: Sample, b: Sample) -> Estimate:
    """Mean of `a` minus mean of `b` with a Welch–Satterthwaite 95 % interval; n is the smaller group's."""
    if a.mean is None or b.mean is None:
        return Estimate(value=None, n=min(a.n, b.n))
    value = a.mean - b.mean
    if a.variance is None or b.variance is None:
        return Estimate(value=value, n=min(a.n, b.n))
    sa, sb = a.variance / a.n, b.variance / b.n
    se = math.sqrt(sa + sb)
    if se == 0:
        return Estimate(value=value, n=min(a.n, b.n), ci_low=value, ci_high=value)
    df = (sa + sb) ** 2 / (sa**2 / (a.n - 1) + sb**2 / (b.n - 1))
    half = float(student_t.ppf(0.975, df)) * se
    return Estimate(value=value, n=min(a.n, b.n), ci_low=value - half, ci_high=value + half)


def one_sample_mean(sample: Sample, *, bounds: tuple[float, float] | None = None) -> Estimate:
    """Mean with a t-interval; `bounds` clip the interval to values the mean can take (0–100 for scores)."""
    if sample.mean is None:
        return Estimate(value=None, n=0)
    if sample.variance is None:
        return Estimate(value=sample.mean, n=sample.n)
    half = float(student_t.ppf(0.975, sample.n - 1)) * math.sqrt(sample.variance / sample.n)
    low, high = sample.mean - half, sample.mean + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return Estimate(value=sample.mean, n=sample.n, ci_low=low, ci_high=high)


class Verdict:
    NOT_ENOUGH_DATA = "not_enough_data"
    IMPROVED = "improved"
    DECLINED = "declined"
    NO_CLEAR_EFFECT = "no_clear_effect"


def verdict_of(estimate: Estimate, *, enough: bool) -> str:
    if not enough or estimate.ci_low is None or estimate.ci_high is None:
        return Verdict.NOT_ENOUGH_DATA
    if estimate.ci_low > 0:
        return Verdict.IMPROVED
    if estimate.ci_high < 0:
        return Verdict.DECLINED
    return Verdict.NO_CLEAR_EFFECT


@dataclass(frozen=True)
class EffectReport:
    start: datetime
    window_days: int
    measure: str  # "eqi" or a dimension code
    participants: Estimate  # mean change of participants (after − before)
    comparison: Estimate  # mean change of non-participants
    effect: Estimate  # difference in differences
    verdict: str
    min_n: int

    @property
    def enough(self) -> bool:
        return self.verdict != Verdict.NOT_ENOUGH_DATA


def _person_windows(*, scope: Scope, start: datetime, window: timedelta, dimension_code: str | None):
    """Per person: mean score and count before and after `start`, aggregated in the database."""
    responses = restrict(
        Response.objects.customer_feedback(),
        scope=scope,
        person_field="subject_person",
    ).filter(
        subject_person__in=people_visible(scope=scope),
        submitted_at__gte=start - window,
        submitted_at__lt=start + window,
    )
    if dimension_code is None:
        rows, prefix, field = responses.filter(eqi__isnull=False), "", "eqi"
    else:
        rows = DimensionScore.objects.filter(response__in=responses, dimension__code=dimension_code)
        prefix, field = "response__", "score"
    before = Q(**{f"{prefix}submitted_at__lt": start})
    after = Q(**{f"{prefix}submitted_at__gte": start})
    return (
        rows.values(f"{prefix}subject_person")
        .annotate(
            n_before=Count("pk", filter=before),
            n_after=Count("pk", filter=after),
            mean_before=Avg(field, filter=before),
            mean_after=Avg(field, filter=after),
        )
        .filter(n_before__gt=0, n_after__gt=0)
        .values_list(f"{prefix}subject_person", "mean_before", "mean_after")
    )


def effect_report(
    *,
    scope: Scope,
    participant_ids: set[int],
    start: datetime,
    dimension_code: str | None = None,
    window_days: int = WINDOW_DAYS,
    min_n: int = MIN_GROUP_N,
) -> EffectReport:
    """Score change before vs after `start` for participants vs comparable non-participants."""
    changes_in, changes_out = [], []
    for person_id, before, after in _person_windows(
        scope=scope, start=start, window=timedelta(days=window_days), dimension_code=dimension_code
    ):
        (changes_in if person_id in participant_ids else changes_out).append(after - before)
    participants, comparison = Sample.of(changes_in), Sample.of(changes_out)
    effect = welch_difference(participants, comparison)
    enough = participants.n >= min_n and comparison.n >= min_n
    return EffectReport(
        start=start,
        window_days=window_days,
        measure=dimension_code or "eqi",
        participants=one_sample_mean(participants),
        comparison=one_sample_mean(comparison),
        effect=effect,
        verdict=verdict_of(effect, enough=enough),
        min_n=min_n,
    )
