"""The pre-encounter briefing: content, and who may open it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kohtaamo.api.models import ApiToken
from kohtaamo.feedback.models import Response
from kohtaamo.textanalytics.services import comments_analyse, transcript_import

from .test_textanalytics_comments import ENGLISH, customer, encounter, respond

TRANSCRIPT = """Virkailija: Hei! Miten voin auttaa?
Asiakas: Lainani korko nousi ja olen huolissani.
Virkailija: Eli jos ymmärsin oikein, haluat pienemmän kuukausierän. Lähetän laskelman perjantaina.
Asiakas: Kiitos.
"""


def history(world):
    """C-1 met the employee in the team (poorly rated) and a colleague in the other branch (well rated)."""
    c1 = customer(world, "C-1")
    first = encounter(world, "E-1", customer=c1, days_ago=20)
    transcript_import(encounter=first, text=TRANSCRIPT)
    respond(world, "Lupasitte soittaa takaisin, mutta kukaan ei soittanut. Olen pettynyt.", quality=2, encounter=first)
    second = encounter(world, "E-2", customer=c1, person=world.other_person, unit=world.other_branch, days_ago=5)
    respond(world, "Erinomaista ja ystävällistä palvelua, kiitos!", quality=5, encounter=second)
    c2 = customer(world, "C-2")
    third = encounter(world, "E-3", customer=c2, person=world.other_person, unit=world.other_branch)
    respond(world, "Ihan ok.", quality=4, encounter=third)
    comments_analyse(organisation_id=world.organisation.pk)
    return c1, c2


def test_briefing_content_for_an_organisation_wide_role(client, world, django_assert_max_num_queries):
    c1, _c2 = history(world)
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(16):
        page = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH)
    assert page.status_code == 200
    b = page.context["briefing"]
    assert b.encounter_count == 2
    assert [p.encounter.external_id for p in b.encounters] == ["E-2", "E-1"]
    assert [p.eqi for p in b.encounters] == [100.0, 25.0]
    assert [i["text"][:21] for i in b.open_issues] == ["Lupasitte soittaa tak"]
    assert b.promises[0]["text"] == "Lähetän laskelman perjantaina."
    assert b.emphasis[0].element == "trust" and b.emphasis[0].negative_comments == 1
    # Mean element score over both responses: (25 + 100) / 2 = 62.5 < 75, so every element is listed (3 shown).
    assert len(b.emphasis) == 3 and b.emphasis[0].score == 62.5
    html = page.content.decode()
    assert "Before you meet customer C-1" in html and "Promised:" in html
    assert "comment, mean sentiment" in html and 'id="sentiment-points"' in html


def test_manager_and_employee_see_only_encounters_in_their_scope(client, world, django_assert_max_num_queries):
    c1, c2 = history(world)
    client.force_login(world.manager)  # manages the branch containing the team
    b = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH).context["briefing"]
    assert [p.encounter.external_id for p in b.encounters] == ["E-1"]
    assert b.sentiment_points and all(score < 0 for _when, score in b.sentiment_points)
    assert client.get(f"/o/acme/texts/briefing/{c2.pk}/").status_code == 404
    client.force_login(world.employee)
    b = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH).context["briefing"]
    assert [p.encounter.external_id for p in b.encounters] == ["E-1"]
    assert client.get(f"/o/acme/texts/briefing/{c2.pk}/").status_code == 404
    # Looking a customer up by id answers the same for "not yours" and "does not exist".
    with django_assert_max_num_queries(8):
        not_yours = client.get("/o/acme/texts/briefing/?customer=C-2", **ENGLISH)
    missing = client.get("/o/acme/texts/briefing/?customer=NOPE", **ENGLISH)
    assert not_yours.status_code == missing.status_code == 200
    assert client.get("/o/acme/texts/briefing/?customer=C-1").status_code == 302
    # Any letter case, or Kohtaamo's own number for the customer, finds the same briefing.
    for query in ("c-1", str(c1.pk)):
        found = client.get("/o/acme/texts/briefing/", {"customer": query})
        assert found.status_code == 302 and found.url.endswith(f"/briefing/{c1.pk}/"), query
    assert client.get("/o/acme/texts/briefing/", {"customer": str(c2.pk)}).status_code == 200  # not theirs


def test_other_organisation_gets_404(client, world, other_world):
    c1, _c2 = history(world)
    client.force_login(other_world.admin)
    assert client.get(f"/o/acme/texts/briefing/{c1.pk}/").status_code == 404
    assert client.get(f"/o/rival/texts/briefing/{c1.pk}/").status_code == 404


# --- open issues: follow-up cases and resolved comments ------------------------------------------


def followup_case(world, response, *, customer, unit, reasons, deadline_days, opened_days_ago=1):
    from kohtaamo.followup.models import FollowupCase

    now = timezone.now()
    case, _created = FollowupCase.objects.update_or_create(
        response=response,
        defaults={
            "organisation": world.organisation,
            "customer": customer,
            "unit": unit,
            "reasons": reasons,
            "opened_at": now - timedelta(days=opened_days_ago),
            "deadline": now - timedelta(days=opened_days_ago) + timedelta(days=deadline_days),
        },
    )
    return case


@pytest.fixture
def cases(world):
    """C-1's negative comment on E-1 got a case closed as resolved; a newer negative comment (E-4, the team)
    has an open case; a case in the other branch is open and overdue; one more case there is closed."""
    from kohtaamo.followup.models import FollowupCase
    from kohtaamo.followup.services import case_close

    c1, _c2 = history(world)
    first = Response.objects.get(encounter__external_id="E-1")
    resolved = followup_case(world, first, customer=c1, unit=world.team, reasons=["CSAT at most 2"], deadline_days=3)
    case_close(case=resolved, outcome=FollowupCase.Outcome.RESOLVED, resolution="Called back.", root_cause=None)
    fourth = encounter(world, "E-4", customer=c1, days_ago=1)
    again = respond(world, "Jonotin tunnin eikä kukaan auttanut. Todella huono palvelu.", quality=1, encounter=fourth)
    comments_analyse(organisation_id=world.organisation.pk)
    open_case = followup_case(world, again, customer=c1, unit=world.team, reasons=["NPS at most 6"], deadline_days=3)
    second = Response.objects.get(encounter__external_id="E-2")
    overdue = followup_case(
        world,
        second,
        customer=c1,
        unit=world.other_branch,
        reasons=["Comment mentions: lupa"],
        deadline_days=2,
        opened_days_ago=4,
    )
    other = encounter(world, "E-5", customer=c1, person=world.other_person, unit=world.other_branch, days_ago=1)
    closed = followup_case(
        world,
        respond(world, "Ok.", quality=3, encounter=other),
        customer=c1,
        unit=world.other_branch,
        reasons=["NPS at most 6"],
        deadline_days=3,
    )
    case_close(case=closed, outcome=FollowupCase.Outcome.NOT_REACHED, resolution="", root_cause=None)
    return c1, open_case, overdue


def test_open_cases_are_open_issues_and_resolved_comments_are_left_out(client, world, cases):
    c1, open_case, overdue = cases
    client.force_login(world.cx_lead)
    page = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH)
    b = page.context["briefing"]
    # Earliest deadline first: the overdue case of the other branch, then the team's; closed cases never.
    assert [c["id"] for c in b.open_cases] == [overdue.pk, open_case.pk]
    assert [c["overdue"] for c in b.open_cases] == [True, False]
    assert b.open_cases[1]["reasons"] == ["NPS at most 6"]
    assert b.open_cases[1]["deadline"] == open_case.deadline
    # The E-1 comment's case was resolved: only the newer negative comment is an open issue.
    assert [i["text"][:17] for i in b.open_issues] == ["Jonotin tunnin ei"]
    html = page.content.decode()
    assert "Follow-up case:" in html and "NPS at most 6" in html and "overdue" in html
    assert f"deadline {open_case.deadline.astimezone(ZoneInfo(world.organisation.time_zone)):%m/%d/%Y}" in html
    assert "Lupasitte soittaa" not in html
    assert "closed as resolved is left out" in html
    assert f"/o/acme/followup/cases/{open_case.pk}/" in html

    raw = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="t")[1]
    api = client.get(
        f"/api/v1/organisations/acme/customers/{c1.pk}/briefing", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert [(c["id"], c["reasons"], c["overdue"], c["status"]) for c in api["open_cases"]] == [
        (overdue.pk, ["Comment mentions: lupa"], True, "open"),
        (open_case.pk, ["NPS at most 6"], False, "open"),
    ]
    assert [i["text"][:17] for i in api["open_issues"]] == ["Jonotin tunnin ei"]


def test_cases_follow_the_follow_up_apps_scope(client, world, cases):
    c1, open_case, _overdue = cases
    client.force_login(world.manager)  # the branch with the team, not the other branch
    b = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH).context["briefing"]
    assert [c["id"] for c in b.open_cases] == [open_case.pk]
    client.force_login(world.employee)  # employees see no follow-up cases, as in the follow-up app
    page = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH)
    assert page.context["briefing"].open_cases == []
    assert [i["text"][:17] for i in page.context["briefing"].open_issues] == ["Jonotin tunnin ei"]
    assert "Follow-up case:" not in page.content.decode()


def test_a_case_closed_unresolved_keeps_the_comment_open(client, world, cases):
    from kohtaamo.followup.models import FollowupCase
    from kohtaamo.followup.services import case_close

    c1, open_case, _overdue = cases
    case_close(case=open_case, outcome=FollowupCase.Outcome.NOT_RESOLVED, resolution="", root_cause=None)
    client.force_login(world.cx_lead)
    b = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH).context["briefing"]
    assert open_case.pk not in [c["id"] for c in b.open_cases]
    assert [i["text"][:17] for i in b.open_issues] == ["Jonotin tunnin ei"]
