from kohtaamo.analytics.anonymity import OTHERS, cell_allowed, plan_groups, threshold_for
from kohtaamo.organisations.models import Organisation


def test_groups_at_threshold_are_shown_alone_and_exempt_groups_always():
    plan = plan_groups({"self": 1, "supervisor": 1, "colleague": 3, "customer": 4}, threshold=3)
    assert plan.shown == {
        "self": ("self",),
        "supervisor": ("supervisor",),
        "colleague": ("colleague",),
        "customer": ("customer",),
    }
    assert plan.total_allowed


def test_small_groups_merge_into_others_when_together_they_reach_the_threshold():
    plan = plan_groups({"self": 1, "colleague": 2, "direct_report": 1, "customer": 5}, threshold=3)
    assert plan.shown[OTHERS] == ("colleague", "direct_report")
    assert "colleague" not in plan.shown and plan.total_allowed


def test_others_under_the_threshold_is_hidden_and_no_total_is_allowed():
    plan = plan_groups({"self": 1, "colleague": 2, "customer": 5}, threshold=3)
    assert plan.hidden == ("colleague",) and OTHERS not in plan.shown
    assert not plan.total_allowed  # customer + total would reveal the two colleagues


def test_threshold_never_below_three():
    assert threshold_for(Organisation(anonymity_threshold=5)) == 5
    assert plan_groups({"colleague": 2}, threshold=1).hidden == ("colleague",)
    assert not cell_allowed(2, threshold=1) and cell_allowed(3, threshold=3)
