"""Every metric against numbers computed by hand (DESIGN.md section 3)."""

import pytest

from kohtaamo.analytics.metrics import mean_t_interval, nps, top_box_share


def test_nps_value_and_adjusted_wald_interval():
    # 10 promoters, 5 passives, 5 detractors: n = 20, NPS = 100·(10 − 5)/20 = 25.
    # n' = 23, p' = 10.75/23 = 0.467391, d' = 5.75/23 = 0.25, p' − d' = 5/23 = 0.217391
    # SE = √((16.5/23 − (5/23)²)/23) = √(0.670132/23) = √0.0291362 = 0.170693
    # CI = 100·(0.217391 ± 1.96·0.170693) = 100·(0.217391 ± 0.334559) = (−11.7167, 55.1950)
    result = nps(promoters=10, passives=5, detractors=5)
    assert result.value == 25
    assert result.n == 20
    assert result.ci_low == pytest.approx(-11.7167, abs=1e-3)
    assert result.ci_high == pytest.approx(55.1950, abs=1e-3)
    assert result.indicative is False


def test_nps_interval_is_clipped_to_the_scale():
    # 3 detractors: NPS = −100. n' = 6, p' = 0.75/6 = 0.125, d' = 3.75/6 = 0.625, p' − d' = −0.5
    # SE = √((0.75 − 0.25)/6) = √0.083333 = 0.288675; CI = 100·(−0.5 ± 0.565803) = (−106.58 → −100, 6.5803)
    result = nps(promoters=0, passives=0, detractors=3)
    assert result.value == -100
    assert result.ci_low == -100
    assert result.ci_high == pytest.approx(6.5803, abs=1e-3)
    assert result.indicative is True


def test_nps_without_answers_has_no_value():
    result = nps(promoters=0, passives=0, detractors=0)
    assert (result.value, result.n, result.ci_low, result.ci_high) == (None, 0, None, None)
    assert result.indicative is True


def test_wilson_interval_for_8_of_10():
    # p = 0.8, z² = 3.8416, denominator = 1 + 3.8416/10 = 1.38416
    # centre = (0.8 + 3.8416/20)/1.38416 = 0.99208/1.38416 = 0.716738
    # half = 1.96·√(0.8·0.2/10 + 3.8416/400)/1.38416 = 1.96·√0.025604/1.38416 = 1.96·0.160012/1.38416 = 0.226582
    # CI = (0.490156, 0.943320) → 49.0156 % … 94.3320 %
    result = top_box_share(hits=8, n=10)
    assert result.value == 80
    assert result.ci_low == pytest.approx(49.0156, abs=1e-3)
    assert result.ci_high == pytest.approx(94.3320, abs=1e-3)
    assert result.indicative is False


def test_wilson_interval_at_zero_hits_stays_within_bounds():
    # p = 0, n = 5: centre = (3.8416/10)/1.76832 = 0.217246, half = 1.96·√(3.8416/100)/1.76832 = 0.217246
    result = top_box_share(hits=0, n=5)
    assert result.value == 0
    assert result.ci_low == pytest.approx(0, abs=1e-9)
    assert result.ci_high == pytest.approx(43.4493, abs=1e-3)


def test_share_without_answers_has_no_value():
    assert top_box_share(hits=0, n=0).value is None


def test_t_interval_for_a_tiny_sample():
    # answers 2, 4, 4, 5, 5: n = 5, Σx = 20, Σx² = 86, mean = 4
    # s² = (86 − 20²/5)/4 = 6/4 = 1.5, SE = √(1.5/5) = 0.547723, t(0.975, df = 4) = 2.776445
    # CI = 4 ± 2.776445·0.547723 = 4 ± 1.520722 = (2.479278, 5.520722)
    result = mean_t_interval(n=5, total=20, total_sq=86)
    assert result.value == 4
    assert result.ci_low == pytest.approx(2.479278, abs=1e-5)
    assert result.ci_high == pytest.approx(5.520722, abs=1e-5)
    assert result.indicative is True


def test_t_interval_of_identical_answers_is_a_point():
    result = mean_t_interval(n=3, total=15.0, total_sq=75.0)
    assert (result.value, result.ci_low, result.ci_high) == (5, 5, 5)


def test_single_answer_has_a_mean_but_no_interval():
    result = mean_t_interval(n=1, total=6, total_sq=36)
    assert (result.value, result.n, result.ci_low, result.ci_high) == (6, 1, None, None)


def test_mean_without_answers_has_no_value():
    result = mean_t_interval(n=0, total=None, total_sq=None)
    assert (result.value, result.n) == (None, 0)


def test_ten_answers_are_no_longer_indicative():
    assert mean_t_interval(n=9, total=9, total_sq=9).indicative is True
    assert mean_t_interval(n=10, total=10, total_sq=10).indicative is False
