"""The effect report: difference in differences with Welch intervals, on synthetic data with a planted
effect and with none; no claim below the minimum n or when the interval includes zero."""

import random
from datetime import UTC, datetime

import pytest
from scipy import stats

from kohtaamo.analytics.metrics import Estimate
from kohtaamo.development.effects import (
    MIN_GROUP_N,
    SCORE_BOUNDS,
    Sample,
    Verdict,
    effect_report,
    one_sample_mean,
    verdict_of,
    welch_difference,
)
from kohtaamo.organisations.selectors import scope_for

from .development_helpers import before_after, people_create, scored_responses_create

START = datetime(2026, 6, 1, 9, tzinfo=UTC)


def test_welch_difference_matches_scipy():
    a = [3.0, 7.5, 12.0, 9.0, 4.5, 10.0]
    b = [1.0, -2.0, 0.5, 3.0, -1.5, 2.0, 0.0]
    estimate = welch_difference(Sample.of(a), Sample.of(b))
    reference = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert estimate.value == pytest.approx(sum(a) / 6 - sum(b) / 7)
    assert estimate.ci_low == pytest.approx(reference.low)
    assert estimate.ci_high == pytest.approx(reference.high)
    assert estimate.n == 6


def test_sample_from_sums_equals_sample_of_values():
    values = [10.0, 20.0, 35.0, 50.0]
    from_sums = Sample.from_sums(n=4, total=sum(values), total_sq=sum(v * v for v in values))
    direct = Sample.of(values)
    assert from_sums.mean == pytest.approx(direct.mean)
    assert from_sums.variance == pytest.approx(direct.variance)


@pytest.mark.parametrize(
    ("low", "high", "enough", "verdict"),
    [
        (1.0, 9.0, True, Verdict.IMPROVED),
        (-9.0, -1.0, True, Verdict.DECLINED),
        (-1.0, 9.0, True, Verdict.NO_CLEAR_EFFECT),
        (1.0, 9.0, False, Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_verdict_never_claims_an_interval_that_includes_zero(low, high, enough, verdict):
    assert verdict_of(Estimate(value=(low + high) / 2, n=10, ci_low=low, ci_high=high), enough=enough) == verdict


def _scope(world):
    return scope_for(user=world.cx_lead, organisation_slug=world.organisation.slug)


@pytest.mark.django_db
def test_planted_effect_is_found(world):
    rng = random.Random(7)
    participants = people_create(world, count=10, prefix="In")
    others = people_create(world, count=10, unit=world.other_branch, prefix="Out")
    before_after(world, people=participants, start=START, before=60, after=75, rng=rng)
    before_after(world, people=others, start=START, before=60, after=60, rng=rng)
    report = effect_report(scope=_scope(world), participant_ids={p.pk for p in participants}, start=START)
    assert report.participants.n == 10 and report.comparison.n == 10
    assert report.verdict == Verdict.IMPROVED
    assert report.effect.ci_low > 0
    assert report.effect.ci_low < 15 < report.effect.ci_high  # the planted +15 lies in the interval
    assert report.effect.value == pytest.approx(report.participants.value - report.comparison.value)

    by_dimension = effect_report(
        scope=_scope(world), participant_ids={p.pk for p in participants}, start=START, dimension_code="listening"
    )
    assert by_dimension.effect.value == pytest.approx(report.effect.value)


@pytest.mark.django_db
def test_no_effect_gives_no_claim(world):
    rng = random.Random(11)
    participants = people_create(world, count=10, prefix="In")
    others = people_create(world, count=10, unit=world.other_branch, prefix="Out")
    # Everyone improves by 8 (a season, say): the training itself did nothing.
    before_after(world, people=participants, start=START, before=60, after=68, rng=rng)
    before_after(world, people=others, start=START, before=60, after=68, rng=rng)
    report = effect_report(scope=_scope(world), participant_ids={p.pk for p in participants}, start=START)
    assert report.participants.ci_low > 0  # participants did improve ...
    assert report.verdict == Verdict.NO_CLEAR_EFFECT  # ... but no more than the others
    assert report.effect.ci_low < 0 < report.effect.ci_high


@pytest.mark.django_db
def test_null_effect_claims_rarely_over_many_samples(world):
    """Under no effect, at most a few of 20 independent synthetic studies claim one (95 % intervals)."""
    participants = people_create(world, count=6, prefix="In")
    others = people_create(world, count=6, unit=world.other_branch, prefix="Out")
    ids = {p.pk for p in participants}
    claims = 0
    for study in range(20):
        start = datetime(2024, 1, 1, tzinfo=UTC).replace(month=1 + study % 12, year=2020 + study)
        rng = random.Random(study)
        before_after(world, people=participants + others, start=start, before=50, after=50, rng=rng)
        report = effect_report(scope=_scope(world), participant_ids=ids, start=start, window_days=60)
        claims += report.verdict in (Verdict.IMPROVED, Verdict.DECLINED)
    assert claims <= 3


@pytest.mark.django_db
def test_small_groups_say_not_enough_data(world):
    rng = random.Random(3)
    participants = people_create(world, count=MIN_GROUP_N - 1, prefix="In")
    others = people_create(world, count=10, unit=world.other_branch, prefix="Out")
    before_after(world, people=participants, start=START, before=40, after=90, rng=rng)
    before_after(world, people=others, start=START, before=60, after=60, rng=rng)
    report = effect_report(scope=_scope(world), participant_ids={p.pk for p in participants}, start=START)
    assert report.participants.n == MIN_GROUP_N - 1
    assert report.verdict == Verdict.NOT_ENOUGH_DATA  # a huge change, but too few people


@pytest.mark.django_db
def test_people_measured_only_on_one_side_are_left_out(world):
    [only_before, both] = people_create(world, count=2, prefix="X")
    scored_responses_create(world, person=only_before, scores=[(START.replace(month=5), 50.0)])
    scored_responses_create(world, person=both, scores=[(START.replace(month=5), 50.0), (START.replace(month=7), 70.0)])
    report = effect_report(scope=_scope(world), participant_ids={only_before.pk, both.pk}, start=START)
    assert report.participants.n == 1 and report.participants.value == pytest.approx(20.0)


@pytest.mark.django_db
def test_manager_report_sees_only_their_subtree(world):
    rng = random.Random(5)
    inside = people_create(world, count=6, prefix="In")
    outside = people_create(world, count=6, unit=world.other_branch, prefix="Out")
    before_after(world, people=inside + outside, start=START, before=50, after=55, rng=rng)
    scope = scope_for(user=world.manager, organisation_slug=world.organisation.slug)
    report = effect_report(scope=scope, participant_ids={p.pk for p in inside[:3]}, start=START)
    assert report.participants.n + report.comparison.n == 6  # other_branch is outside the manager's branch


def test_score_intervals_stay_on_the_scale():
    estimate = one_sample_mean(Sample.of([0.0, 100.0, 50.0]), bounds=SCORE_BOUNDS)
    assert estimate.value == pytest.approx(50.0)
    assert estimate.ci_low == 0.0 and estimate.ci_high == 100.0  # the raw t-interval reaches beyond both ends
