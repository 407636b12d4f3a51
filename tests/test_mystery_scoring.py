"""Scoring against hand-computed cases: weights, not applicable, critical items, integrity items."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kohtaamo.mystery import visits
from kohtaamo.mystery.scoring import ItemAnswer, scorecard

from .mystery_helpers import accepted_assignment, report_filled, scenario_build, shopper_build, wave_build


def answers(next_steps: int = 0, name_card=None, name_na=True, parking_na=True, parking_value=None):
    return [
        ItemAnswer(item_id=1, section_id=10, dimension_id=100, kind="yes_no", weight=2, value=1),
        ItemAnswer(
            item_id=2,
            section_id=10,
            dimension_id=100,
            kind="yes_no_na",
            weight=1,
            value=name_card,
            not_applicable=name_na,
        ),
        ItemAnswer(item_id=3, section_id=10, dimension_id=200, kind="scale", weight=1, value=4),
        ItemAnswer(
            item_id=4, section_id=20, dimension_id=200, kind="yes_no", weight=1, value=next_steps, critical=True
        ),
        ItemAnswer(item_id=5, section_id=20, dimension_id=None, kind="text", weight=1),
        ItemAnswer(
            item_id=6,
            section_id=20,
            dimension_id=None,
            kind="yes_no_na",
            weight=1,
            value=parking_value,
            not_applicable=parking_na,
            integrity=True,
        ),
    ]


def test_weights_and_not_applicable_leave_the_denominator():
    # (2·1 + 1·0.75 + 1·0) / (2 + 1 + 1) = 2.75 / 4; the N/A item, text and integrity item do not count.
    card = scorecard(answers=answers(), critical_fails_visit=False)
    assert card.raw_score == pytest.approx(68.75)
    assert card.score == pytest.approx(68.75)
    assert card.sections == {10: pytest.approx(100 * 2.75 / 3), 20: pytest.approx(0.0)}
    assert card.dimensions == {100: pytest.approx(100.0), 200: pytest.approx(37.5)}
    assert card.points == {1: 1.0, 2: None, 3: 0.75, 4: 0.0, 5: None, 6: None}
    assert card.critical_failed and not card.integrity_failed


def test_a_no_instead_of_not_applicable_enters_the_denominator():
    card = scorecard(answers=answers(name_card=0, name_na=False), critical_fails_visit=False)
    assert card.raw_score == pytest.approx(100 * 2.75 / 5)  # 55.0
    assert card.dimensions[100] == pytest.approx(100 * 2 / 3)


def test_critical_item_fails_the_whole_visit_only_where_the_scenario_says_so():
    failed = scorecard(answers=answers(), critical_fails_visit=True)
    assert failed.score == 0.0 and failed.raw_score == pytest.approx(68.75) and failed.critical_failed
    passed = scorecard(answers=answers(next_steps=1), critical_fails_visit=True)
    assert passed.score == pytest.approx(100 * 3.75 / 4) and not passed.critical_failed


def test_integrity_item_answered_flags_a_careless_report_without_changing_the_score():
    card = scorecard(answers=answers(parking_na=False, parking_value=1), critical_fails_visit=False)
    assert card.integrity_failed
    assert card.score == pytest.approx(68.75)


def test_nothing_applicable_gives_no_score():
    card = scorecard(
        answers=[
            ItemAnswer(item_id=1, section_id=1, dimension_id=None, kind="yes_no_na", weight=1, not_applicable=True)
        ],
        critical_fails_visit=True,
    )
    assert card.score is None and card.sections == {}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.floats(0.01, 10), st.booleans()), min_size=1, max_size=12))
def test_score_is_a_weighted_percentage_within_0_and_100(rows):
    items = [
        ItemAnswer(
            item_id=i,
            section_id=1,
            dimension_id=1,
            kind="yes_no_na",
            weight=w,
            value=None if na else v,
            not_applicable=na,
        )
        for i, (v, w, na) in enumerate(rows)
    ]
    card = scorecard(answers=items, critical_fails_visit=False)
    counted = [(v, w) for v, w, na in rows if not na]
    if not counted:
        assert card.score is None
    else:
        assert 0 <= card.score <= 100
        assert card.score == pytest.approx(100 * sum(v * w for v, w in counted) / sum(w for _, w in counted))


@pytest.mark.django_db
def test_submitted_report_stores_the_hand_computed_scores(world):
    scenario, items = scenario_build(world.organisation, critical_fails_visit=True)
    wave = wave_build(world.organisation, scenario)
    shopper = shopper_build(world.organisation, "Sanna", [world.region])
    report = report_filled(accepted_assignment(wave, world.branch, shopper), items)
    visits.report_submit(report=report)
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.raw_score == pytest.approx(68.75) and report.score == 0.0 and report.critical_failed
    parts = {(p.section_id, p.dimension_id): p.score for p in report.part_scores.all()}
    greeting, closing = scenario.sections.all()
    listening, expertise = items["greeted"].dimension, items["friendly"].dimension
    assert parts == {
        (greeting.pk, None): pytest.approx(100 * 2.75 / 3),
        (closing.pk, None): pytest.approx(0.0),
        (None, listening.pk): pytest.approx(100.0),
        (None, expertise.pk): pytest.approx(37.5),
    }
    points = dict(report.answers.values_list("item_id", "points"))
    assert points[items["friendly"].pk] == 0.75 and points[items["name"].pk] is None
