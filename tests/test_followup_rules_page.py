"""The follow-up rules page: managers add, edit and deactivate rules; validation; scoping; query counts."""

import pytest

from kohtaamo.followup.models import FollowupRule
from kohtaamo.followup.services import case_open_for_response
from tests.test_followup_loop import _answer

URL = "/o/acme/followup/rules/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _new(kind, threshold="", keywords="", days="3", prefix="new"):
    fields = {"kind": kind, "threshold": threshold, "keywords": keywords, "deadline_days": days}
    return {f"{prefix}-{name}": value for name, value in fields.items()}


def _rule(world, **fields):
    return FollowupRule.objects.create(organisation=world.organisation, **fields)


def test_manager_adds_edits_and_deactivates_a_rule(client, world):
    client.force_login(world.cx_lead)
    page = client.get(URL, **EN)
    assert page.status_code == 200
    defaults = list(FollowupRule.objects.filter(organisation=world.organisation).values_list("kind", "threshold"))
    assert defaults == [("nps_at_most", 6), ("csat_at_most", 2), ("comment_keywords", None)]

    created = client.post(URL, _new("comment_keywords", keywords=" Rude \n\n slow service \n", days="5"), **EN)
    assert created.status_code == 302
    rule = FollowupRule.objects.filter(organisation=world.organisation).last()
    assert (rule.kind, rule.threshold, rule.keyword_list, rule.deadline_days, rule.active) == (
        "comment_keywords",
        None,
        ["rude", "slow service"],
        5,
        True,
    )

    edit = _new("nps_at_most", threshold="4", days="2", prefix=f"rule-{rule.pk}")
    assert client.post(f"{URL}{rule.pk}/", edit, **EN).status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.threshold, rule.keywords, rule.deadline_days) == ("nps_at_most", 4, "", 2)

    assert client.post(f"{URL}{rule.pk}/active/", {"active": "0"}, **EN).status_code == 302
    rule.refresh_from_db()
    assert rule.active is False
    page = client.get(URL, **EN).content.decode()
    assert f'data-rule="{rule.pk}" data-active="0"' in page
    assert client.post(f"{URL}{rule.pk}/active/", {"active": "1"}, **EN).status_code == 302
    rule.refresh_from_db()
    assert rule.active is True


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_new("nps_at_most", threshold="11"), "The NPS threshold must be between 0 and 10."),
        (_new("nps_at_most", threshold="-1"), "The NPS threshold must be between 0 and 10."),
        (_new("csat_at_most", threshold="0"), "The CSAT threshold must be between 1 and 5."),
        (_new("csat_at_most", threshold="6"), "The CSAT threshold must be between 1 and 5."),
        (_new("nps_at_most"), "Enter a threshold for this rule."),
        (_new("csat_at_most"), "Enter a threshold for this rule."),
        (_new("comment_keywords"), "Enter at least one keyword, one per line."),
        (
            _new("comment_keywords", keywords="\n".join(f"w{i}" for i in range(51))),
            "Enter at most 50 keywords (now 51).",
        ),
        (_new("nps_at_most", threshold="5", keywords="rude"), "Keywords are used only with the comment rule"),
        (
            _new("comment_keywords", threshold="5", keywords="rude"),
            "The comment rule has no threshold; leave it empty.",
        ),
        (_new("nps_at_most", threshold="5", days="0"), "Days to close must be between 1 and 60."),
        (_new("nps_at_most", threshold="5", days="61"), "Days to close must be between 1 and 60."),
    ],
)
def test_each_validation_error_is_shown_and_nothing_is_stored(client, world, data, message):
    client.force_login(world.admin)
    before = FollowupRule.objects.count()
    page = client.post(URL, data, **EN)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert FollowupRule.objects.count() == before


def test_invalid_edit_is_shown_and_rule_unchanged(client, world):
    rule = _rule(world, kind="csat_at_most", threshold=2)
    client.force_login(world.consultant)
    page = client.post(
        f"{URL}{rule.pk}/",
        {
            f"rule-{rule.pk}-kind": "csat_at_most",
            f"rule-{rule.pk}-threshold": "9",
            f"rule-{rule.pk}-deadline_days": "3",
        },
        **EN,
    )
    assert page.status_code == 400
    assert "The CSAT threshold must be between 1 and 5." in page.content.decode()
    rule.refresh_from_db()
    assert rule.threshold == 2


def test_only_managers_of_the_organisation_reach_the_rules(client, world, other_world):
    rule = _rule(world, kind="nps_at_most", threshold=6)
    for user in (world.manager, world.employee):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, _new("nps_at_most", threshold="3")).status_code == 403
        assert client.post(f"{URL}{rule.pk}/active/", {"active": "0"}).status_code == 403
    client.force_login(other_world.admin)
    assert client.get(URL).status_code == 404
    assert client.post(f"{URL}{rule.pk}/active/", {"active": "0"}).status_code == 404
    # Their own page cannot reach another organisation's rule either.
    assert client.post(f"/o/rival/followup/rules/{rule.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"/o/rival/followup/rules/{rule.pk}/", {}).status_code == 404
    rule.refresh_from_db()
    assert rule.active is True


def test_index_links_to_rules_for_managers_only(client, world):
    client.force_login(world.admin)
    assert "data-rules-link" in client.get("/o/acme/followup/", **EN).content.decode()
    client.force_login(world.manager)
    assert "data-rules-link" not in client.get("/o/acme/followup/", **EN).content.decode()


def test_deactivated_rule_opens_no_case(client, world, mailbox):
    rule = _rule(world, kind="nps_at_most", threshold=6)
    client.force_login(world.cx_lead)
    assert client.post(f"{URL}{rule.pk}/active/", {"active": "0"}).status_code == 302
    assert case_open_for_response(response_id=_answer(world, 3).pk, notify=False) is None
    assert client.post(f"{URL}{rule.pk}/active/", {"active": "1"}).status_code == 302
    case = case_open_for_response(response_id=_answer(world, 3).pk, notify=False)
    assert case is not None and case.reasons == [str(rule)]


def test_rules_page_query_count_pinned(client, world, django_assert_max_num_queries):
    for threshold in range(5):
        _rule(world, kind="nps_at_most", threshold=threshold)
    client.force_login(world.admin)
    with django_assert_max_num_queries(5):
        page = client.get(URL, **EN)
    assert page.content.decode().count("data-rule=") == 5
