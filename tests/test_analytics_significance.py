"""Significance marks on the dashboard: the tests, Holm's correction, and marks only where earned."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy import stats

from kohtaamo.analytics import metrics
from kohtaamo.analytics.significance import compare, holm, pairwise, period_changes
from kohtaamo.feedback.responding import response_record


def test_two_proportion_z():
    a = metrics.top_box_share(hits=60, n=100)
    b = metrics.top_box_share(hits=40, n=100)
    result = compare(a, b, kind="percent")
    assert result.difference == pytest.approx(20) and result.p_value == pytest.approx(0.004678, abs=1e-5)
    assert result.test == "two-proportion z"


def test_welch_t_matches_scipy():
    rng = np.random.default_rng(2)
    x, y = rng.normal(50, 10, 40), rng.normal(55, 20, 25)

    def estimate(v):
        return metrics.mean_t_interval(n=v.size, total=float(v.sum()), total_sq=float((v * v).sum()))

    result = compare(estimate(x), estimate(y), kind="score")
    assert result.p_value == pytest.approx(stats.ttest_ind(x, y, equal_var=False).pvalue, rel=1e-6)


def test_nps_difference_uses_adjusted_wald_variances():
    a = metrics.nps(promoters=50, passives=30, detractors=20)
    b = metrics.nps(promoters=30, passives=30, detractors=40)
    result = compare(a, b, kind="nps")
    assert result.difference == pytest.approx(40)
    se = np.hypot(a.se, b.se)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(40 / se))
    assert compare(a, metrics.nps(promoters=0, passives=0, detractors=1), kind="nps") is None  # n = 1


def test_holm():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    changes = period_changes([metrics.top_box_share(hits=h, n=100) for h in (40, 60, 61)], kind="percent")
    assert changes[0] is None and changes[1].significant and not changes[2].significant
    assert changes[1].p_adjusted == pytest.approx(2 * changes[1].p_value)
    assert set(pairwise([metrics.top_box_share(hits=h, n=50) for h in (10, 30, 31)], kind="percent")) == {
        (0, 1),
        (0, 2),
        (1, 2),
    }


def _answers(world, month: int, nps_values: list[int], unit) -> None:
    question = world.programme.questionnaire.questions.get(item__dimensions__code="nps")
    when = datetime(2026, month, 10, 12, tzinfo=ZoneInfo("Europe/Helsinki"))
    for value in nps_values:
        response_record(
            round=world.programme,
            answers={question.pk: value},
            language="fi",
            submitted_at=when,
            context={"unit_id": unit.pk},
        )


def test_dashboard_marks_only_significant_changes(client, world):
    _answers(world, 1, [2] * 20 + [9] * 5, world.branch)
    _answers(world, 2, [10] * 20 + [3] * 5, world.branch)
    _answers(world, 3, [10] * 19 + [3] * 6, world.other_branch)
    client.force_login(world.cx_lead)
    page = client.get(
        f"/o/acme/?start=2026-01-01&end=2026-03-31&granularity=month&chart=nps&by=unit&unit={world.region.pk}",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    trend = page[page.index('id="trend-heading"') : page.index('id="breakdown-heading"')]
    assert trend.count("data-significant") == 1  # January → February, not February → March
    assert "adjusted-Wald z" in trend and "Holm-adjusted" in trend
    breakdown = page[page.index('id="breakdown-heading"') :]
    # Centre (NPS 0 over both months) against Harbour (NPS 52): one significant pair, named both ways.
    assert len(re.findall(r"<td data-significant", breakdown)) == 2
    assert "lower than Acme Harbour" in breakdown and "higher than Acme Centre" in breakdown
