"""Dashboard pages: hand-computed figures, filters, drill-down, scoping per role, query counts."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from kohtaamo.analytics import selectors
from kohtaamo.feedback.responding import response_record
from kohtaamo.organisations.models import Channel
from kohtaamo.organisations.selectors import scope_for

# The pulse's element items: one answer value for all of them gives every element score (v − 1)·25.
ELEMENT_ITEMS = ("listening_1", "listening_3", "expertise_2", "value_1", "trust_1", "solution_1", "solution_3")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def pulse_questions(world) -> dict[str, int]:
    questions = world.programme.questionnaire.questions.select_related("item")
    return {q.item.code if q.item_id else "comment": q.pk for q in questions}


def respond(
    world,
    *,
    nps=None,
    csat=None,
    ces=None,
    quality=None,
    logos=None,
    comment="",
    person="default",
    unit=None,
    channel=Channel.FACE_TO_FACE,
    touchpoint=None,
    submitted_at=None,
    questions=None,
):
    """One submitted pulse response. `quality` answers every element item (and ethos/pathos with them);
    `logos` defaults to `quality`."""
    questions = questions or pulse_questions(world)
    answers = {}
    for code, value in (("nps_1", nps), ("csat_1", csat), ("ces_1", ces)):
        if value is not None:
            answers[questions[code]] = value
    if quality is not None:
        for code in ELEMENT_ITEMS:
            answers[questions[code]] = quality
        answers[questions["logos_1"]] = quality if logos is None else logos
    if comment:
        answers[questions["comment"]] = comment
    person = world.person if person == "default" else person
    if unit is None:
        unit = person.unit if person is not None else world.team
    return response_record(
        round=world.programme,
        answers=answers,
        language="en",
        submitted_at=submitted_at or timezone.now() - timedelta(days=2),
        context={
            "unit_id": unit.pk,
            "subject_person_id": person.pk if person is not None else None,
            "channel": channel,
            "touchpoint_id": touchpoint.pk if touchpoint is not None else None,
        },
    )


def build_sample(world) -> dict:
    """Five responses about `person` (team), one at `branch` with no person, two about `other_person`."""
    q = pulse_questions(world)
    own = [
        respond(world, nps=10, csat=5, ces=7, quality=5, logos=1, comment="Excellent advice, thank you", questions=q),
        respond(world, nps=9, csat=4, ces=6, quality=4, questions=q, touchpoint=world.touchpoint),
        respond(world, nps=8, csat=3, ces=4, quality=3, questions=q),
        respond(world, nps=3, csat=5, ces=5, quality=5, questions=q),
        respond(world, nps=10, csat=2, ces=1, quality=1, comment="Slow queue", questions=q),
    ]
    branch_only = respond(world, nps=6, csat=3, ces=3, quality=2, person=None, unit=world.branch, questions=q)
    other = [
        respond(world, nps=0, csat=1, ces=1, quality=1, person=world.other_person, channel=Channel.PHONE, questions=q)
        for _ in range(2)
    ]
    return {"own": own, "branch_only": branch_only, "other": other}


@pytest.fixture
def sample(world):
    return build_sample(world)


def tile(page: str, key: str) -> str:
    """The text of one metric tile, tags stripped and whitespace collapsed."""
    match = re.search(rf'data-metric="{key}">(.*?)</li>', page, re.S)
    assert match, f"no tile {key}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params, **ENGLISH)
    return response, response.content.decode()


# --- figures computed by hand ---------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_of_one_persons_responses_matches_hand_computation(world, sample):
    figures = selectors.overview(
        scope=scope_for(user=world.employee, organisation_slug="acme"), filters=selectors.DashboardFilter()
    )
    # NPS answers 10, 9, 8, 3, 10: 3 promoters, 1 passive, 1 detractor → 100·(3 − 1)/5 = 40
    # n' = 8, p' = 3.75/8 = 0.46875, d' = 1.75/8 = 0.21875, SE = √((0.6875 − 0.0625)/8) = 0.279508
    # CI = 100·(0.25 ± 1.96·0.279508) = (−29.7837, 79.7837)
    assert figures["nps"].value == 40
    assert figures["nps"].n == 5
    assert figures["nps"].ci_low == pytest.approx(-29.7837, abs=1e-3)
    assert figures["nps"].ci_high == pytest.approx(79.7837, abs=1e-3)
    # CSAT answers 5, 4, 3, 5, 2: 3 of 5 in 4–5 = 60 %; Wilson: centre = (0.6 + 0.38416)/1.76832 = 0.556545,
    # half = 1.96·√(0.048 + 0.038416)/1.76832 = 0.325831 → (23.0714, 88.2376)
    assert figures["csat"].value == 60
    assert figures["csat"].ci_low == pytest.approx(23.0714, abs=1e-3)
    assert figures["csat"].ci_high == pytest.approx(88.2376, abs=1e-3)
    # CES answers 7, 6, 4, 5, 1: mean 23/5 = 4.6; s² = (127 − 23²/5)/4 = 5.3; SE = √(5.3/5) = 1.029563;
    # 4.6 ± 2.776445·1.029563 = 4.6 ± 2.858527 → (1.741473, 7.458527), clipped to the 1–7 scale
    assert figures["ces"].value == pytest.approx(4.6)
    assert figures["ces"].ci_low == pytest.approx(1.741473, abs=1e-5)
    assert figures["ces"].ci_high == 7
    # CES % 5–7: 7, 6, 5 → 3 of 5 = 60 %
    assert figures["ces_easy"].value == 60
    # EQI: element answers 5, 4, 3, 5, 1 → scores 100, 75, 50, 100, 0 → mean 65;
    # s² = (28125 − 325²/5)/4 = 1750; 65 ± 2.776445·√(1750/5) = 65 ± 51.9427 → (13.0573, 116.94 → 100)
    assert figures["eqi"].value == pytest.approx(65)
    assert figures["eqi"].ci_low == pytest.approx(13.0573, abs=1e-3)
    assert figures["eqi"].ci_high == 100
    for element in ("listening", "expertise", "value", "trust", "solution"):
        assert figures[element].value == pytest.approx(65)
        assert figures[element].n == 5
    # Ethos (trust_1) and pathos (listening_3) follow the element answers; logos answers 1, 4, 3, 5, 1
    # → 0, 75, 50, 100, 0 → mean 45
    assert figures["ethos"].value == pytest.approx(65)
    assert figures["pathos"].value == pytest.approx(65)
    assert figures["logos"].value == pytest.approx(45)
    # Balance: per-response spread max − min of the three: 100 (100, 100, 0), then 0, 0, 0, 0 → mean 20;
    # s² = (10000 − 100²/5)/4 = 2000, 20 ± 2.776445·√400 = 20 ± 55.5289 → (0 after clipping, 75.5289)
    assert figures["rhetoric_balance"].value == pytest.approx(20)
    assert figures["rhetoric_balance"].n == 5
    assert figures["rhetoric_balance"].ci_low == 0
    assert figures["rhetoric_balance"].ci_high == pytest.approx(75.5289, abs=1e-3)
    assert all(estimate.indicative for estimate in figures.values())


@pytest.mark.django_db
def test_dashboard_page_shows_hand_computed_tiles(client, world, sample):
    response, page = get(client, world.employee, "/o/acme/")
    assert response.status_code == 200
    assert tile(page, "nps") == "NPS 40.0 95 % CI -29.8 – 79.8 n = 5 indicative (n < 10)"
    assert tile(page, "csat") == "CSAT (% 4–5) 60.0 % 95 % CI 23.1 – 88.2 n = 5 indicative (n < 10)"
    assert tile(page, "ces") == "CES (mean 1–7) 4.60 95 % CI 1.74 – 7.00 n = 5 indicative (n < 10)"
    assert tile(page, "eqi") == "Encounter Quality Index 65.0 95 % CI 13.1 – 100.0 n = 5 indicative (n < 10)"
    assert tile(page, "logos") == "Logos 45.0 95 % CI 0.0 – 100.0 n = 5 indicative (n < 10)"


@pytest.mark.django_db
def test_scope_decides_the_figures(client, world, sample):
    # Manager of branch: the five plus the branch-level response (6 → NPS 100·(3 − 2)/6 = 16.7).
    _, page = get(client, world.manager, "/o/acme/")
    assert tile(page, "nps").startswith("NPS 16.7 ")
    assert "n = 6" in tile(page, "nps")
    # Admin: all eight (3 promoters, 1 passive, 4 detractors → 100·(3 − 4)/8 = −12.5).
    _, page = get(client, world.admin, "/o/acme/")
    assert tile(page, "nps").startswith("NPS -12.5 ")
    assert "n = 8" in tile(page, "nps")


@pytest.mark.django_db
def test_ten_answers_are_not_flagged(client, world):
    q = pulse_questions(world)
    for _ in range(10):
        respond(world, nps=10, csat=5, ces=7, quality=5, questions=q)
    _, page = get(client, world.admin, "/o/acme/")
    assert "indicative" not in tile(page, "nps")
    assert "n = 10" in tile(page, "nps")


# --- filters --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_narrow_the_figures(client, world, sample):
    _, page = get(client, world.admin, "/o/acme/", channel="phone")
    assert tile(page, "nps").startswith("NPS -100.0 ")
    assert "n = 2" in tile(page, "nps")
    _, page = get(client, world.admin, "/o/acme/", unit=world.branch.pk)
    assert "n = 6" in tile(page, "nps")
    _, page = get(client, world.admin, "/o/acme/", person=world.person.pk)
    assert "n = 5" in tile(page, "nps")
    _, page = get(client, world.admin, "/o/acme/", touchpoint=world.touchpoint.pk)
    assert tile(page, "nps").startswith("NPS 100.0 ")
    assert "n = 1" in tile(page, "nps")
    _, page = get(client, world.admin, "/o/acme/", period="custom", start="2000-01-01", end="2000-12-31")
    assert tile(page, "nps").startswith("NPS – n = 0")


@pytest.mark.django_db
def test_periods_are_cut_in_the_organisations_time_zone(client, world):
    q = pulse_questions(world)
    # 20:30 UTC on 31 March 2025 is 23:30 in Helsinki (March); 21:30 UTC is 00:30 on 1 April.
    respond(world, nps=10, questions=q, submitted_at=datetime(2025, 3, 31, 20, 30, tzinfo=UTC))
    respond(world, nps=0, questions=q, submitted_at=datetime(2025, 3, 31, 21, 30, tzinfo=UTC))
    _, page = get(client, world.admin, "/o/acme/", period="custom", start="2025-04-01", end="2025-04-30")
    assert tile(page, "nps").startswith("NPS -100.0 ")
    assert "n = 1" in tile(page, "nps")
    _, page = get(client, world.admin, "/o/acme/", period="custom", start="2025-03-01", end="2025-03-31")
    assert tile(page, "nps").startswith("NPS 100.0 ")

    points = selectors.trend(
        scope=scope_for(user=world.admin, organisation_slug="acme"),
        filters=selectors.DashboardFilter(granularity="month"),
    )
    assert [(p.label, p.responses, p.figures["nps"].value) for p in points] == [
        ("2025-03", 1, 100),
        ("2025-04", 1, -100),
    ]
    quarters = selectors.trend(
        scope=scope_for(user=world.admin, organisation_slug="acme"),
        filters=selectors.DashboardFilter(granularity="quarter"),
    )
    assert [(p.label, p.responses) for p in quarters] == [("2025 Q1", 1), ("2025 Q2", 1)]


@pytest.mark.django_db
def test_preset_period_excludes_older_responses(client, world):
    q = pulse_questions(world)
    respond(world, nps=10, questions=q, submitted_at=timezone.now() - timedelta(days=5))
    respond(world, nps=0, questions=q, submitted_at=timezone.now() - timedelta(days=60))
    _, page = get(client, world.admin, "/o/acme/", period="30")
    assert tile(page, "nps").startswith("NPS 100.0 ")
    _, page = get(client, world.admin, "/o/acme/", period="90")
    assert "n = 2" in tile(page, "nps")


@pytest.mark.django_db
def test_bad_filters_get_specific_messages(client, world, sample):
    response, page = get(client, world.admin, "/o/acme/", period="custom", start="2025-05-01", end="2025-04-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in page
    assert 'data-metric="nps"' not in page
    _, page = get(client, world.admin, "/o/acme/", period="custom", start="31.4.2025")
    assert "Enter a valid date." in page
    _, page = get(client, world.admin, "/o/acme/", period="custom", start="0001-01-01")
    assert "Enter a date between 1970 and 9998." in page
    # A preset period ignores stale custom dates.
    _, page = get(client, world.admin, "/o/acme/", period="90", start="2025-05-01", end="2025-04-01")
    assert "n = 8" in tile(page, "nps")


# --- trend and breakdown charts -------------------------------------------------------------------


@pytest.mark.django_db
def test_charts_use_the_local_plotly_and_have_tables(client, world, sample):
    _, page = get(client, world.admin, "/o/acme/", metric="csat")
    assert '<script src="/static/plotly/plotly.min.js"></script>' in page
    assert page.count("plotly.min.js") == 1
    assert "cdn.plot.ly" not in page
    assert page.count("Plotly.newPlot") == 2
    assert finders.find("plotly/plotly.min.js") is not None
    assert "Trend: CSAT (% 4–5)" in page
    # The trend table is the chart's text alternative.
    assert re.search(r'<caption id="trend-table-caption">', page)


@pytest.mark.django_db
def test_breakdown_drills_down_from_organisation_to_person(client, world, sample):
    _, page = get(client, world.admin, "/o/acme/")
    assert "Units under Acme" in page
    assert f'href="?unit={world.region.pk}&amp;by=unit"' in page

    _, page = get(client, world.admin, "/o/acme/", unit=world.region.pk, by="unit")
    rows = {row.label: row for row in breakdown_rows(world.admin, unit=world.region)}
    assert rows["Acme Centre"].responses == 6
    assert rows["Acme Harbour"].responses == 2
    assert rows["Acme Harbour"].figures["nps"].value == -100
    assert f"unit={world.branch.pk}&amp;by=unit" in page  # branch has a team below it
    assert f"unit={world.other_branch.pk}&amp;by=person" in page  # a leaf drills to its people

    _, page = get(client, world.admin, "/o/acme/", unit=world.branch.pk, by="unit")
    rows = {row.label: row for row in breakdown_rows(world.admin, unit=world.branch)}
    assert rows["Acme Centre team"].responses == 5
    assert rows["Acme Centre itself"].responses == 1
    assert rows["Acme Centre itself"].figures["nps"].value == -100  # one answer of 6

    _, page = get(client, world.admin, "/o/acme/", unit=world.team.pk, by="person")
    assert f"/o/acme/results/people/{world.person.pk}/?" in page
    _, page = get(client, world.admin, f"/o/acme/results/people/{world.person.pk}/")
    assert tile(page, "nps").startswith("NPS 40.0 ")
    assert "Excellent advice, thank you" in page
    detail_url = f"/o/acme/results/responses/{sample['own'][0].pk}/"
    assert detail_url in page
    response, page = get(client, world.admin, detail_url)
    assert response.status_code == 200
    for question in world.programme.questionnaire.questions.all():
        if question.kind == "item" and question.item.code != "emotion_1":
            assert html.escape(question.text("en")) in page  # every answered question with its text
    assert "Excellent advice, thank you" in page
    assert "Acme Employee" in page


def breakdown_rows(user, *, unit=None, by="unit"):
    scope = scope_for(user=user, organisation_slug="acme")
    return selectors.breakdown(scope=scope, filters=selectors.DashboardFilter(unit=unit), by=by).rows


@pytest.mark.django_db
def test_breakdown_by_person_channel_and_touchpoint(world, sample):
    by_person = {row.label: row.responses for row in breakdown_rows(world.admin, by="person")}
    assert by_person == {"Acme Employee": 5, "Acme Other": 2, "No person recorded": 1}
    by_channel = {row.label: row.responses for row in breakdown_rows(world.admin, by="channel")}
    assert by_channel == {"Face to face": 6, "Phone": 2}
    by_touchpoint = {row.label: row.responses for row in breakdown_rows(world.admin, by="touchpoint")}
    assert by_touchpoint == {"Branch meeting": 1, "No touchpoint recorded": 7}


@pytest.mark.django_db
def test_response_list_is_paginated_newest_first(client, world):
    q = pulse_questions(world)
    now = timezone.now()
    for i in range(30):
        respond(world, nps=i % 11, questions=q, comment=f"comment {i}", submitted_at=now - timedelta(hours=i + 1))
    _, page = get(client, world.admin, "/o/acme/results/responses/")
    assert "30 responses" in page
    assert "comment 0" in page and "comment 24" in page and "comment 25" not in page
    assert page.index("comment 0<") < page.index("comment 1<")
    _, page = get(client, world.admin, "/o/acme/results/responses/", page=2)
    assert "comment 25" in page and "comment 24<" not in page


# --- who may see what -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_sees_only_own_figures(client, world, sample):
    _, page = get(client, world.employee, "/o/acme/", by="person")
    assert "n = 5" in tile(page, "nps")
    assert "Acme Other" not in page
    assert "Acme Harbour" not in page
    assert [row.label for row in breakdown_rows(world.employee, by="person")] == ["Acme Employee"]
    response, _ = get(client, world.employee, f"/o/acme/results/people/{world.other_person.pk}/")
    assert response.status_code == 404
    response, _ = get(client, world.employee, f"/o/acme/results/responses/{sample['branch_only'].pk}/")
    assert response.status_code == 404
    _, page = get(client, world.employee, "/o/acme/results/responses/")
    assert "6 responses" not in page and "5 responses" in page


@pytest.mark.django_db
def test_manager_cannot_reach_outside_their_subtree(client, world, sample):
    _, page = get(client, world.manager, "/o/acme/")
    assert "Units under Acme Centre" in page
    assert "Acme Harbour" not in page
    assert "Acme Other" not in page
    _, page = get(client, world.manager, "/o/acme/", by="person")
    assert "Acme Other" not in page
    assert {row.label for row in breakdown_rows(world.manager, by="person")} == {
        "Acme Employee",
        "No person recorded or outside your units",
    }
    response, _ = get(client, world.manager, f"/o/acme/results/people/{world.other_person.pk}/")
    assert response.status_code == 404
    response, _ = get(client, world.manager, f"/o/acme/results/responses/{sample['other'][0].pk}/")
    assert response.status_code == 404
    _, page = get(client, world.manager, "/o/acme/", unit=world.other_branch.pk)
    assert "Select a valid choice" in page
    assert 'data-metric="nps"' not in page


@pytest.mark.django_db
def test_manager_does_not_learn_names_of_people_from_elsewhere(client, world):
    # Someone from another branch served a customer in the manager's branch.
    respond(world, nps=9, person=world.other_person, unit=world.branch, comment="Helpful visitor")
    _, page = get(client, world.manager, "/o/acme/", by="person")
    assert "n = 1" in tile(page, "nps")
    assert "Acme Other" not in page
    _, page = get(client, world.manager, "/o/acme/results/responses/")
    assert "Helpful visitor" in page
    assert "Acme Other" not in page


@pytest.mark.django_db
def test_other_organisation_and_anonymous_are_kept_out(client, world, other_world, sample):
    for url in (
        "/o/acme/",
        f"/o/acme/results/people/{world.person.pk}/",
        "/o/acme/results/responses/",
        f"/o/acme/results/responses/{sample['own'][0].pk}/",
    ):
        response, _ = get(client, other_world.admin, url)
        assert response.status_code == 404, url
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    # Another organisation's ids under its own slug find nothing either.
    response, _ = get(client, other_world.admin, f"/o/rival/results/responses/{sample['own'][0].pk}/")
    assert response.status_code == 404
    response, _ = get(client, other_world.admin, f"/o/rival/results/people/{world.person.pk}/")
    assert response.status_code == 404


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 30])
def test_query_counts_do_not_grow_with_responses(client, world, django_assert_max_num_queries, count):
    q = pulse_questions(world)
    for i in range(count):
        person = world.person if i % 2 else world.other_person
        respond(
            world,
            nps=i % 11,
            csat=i % 5 + 1,
            ces=i % 7 + 1,
            quality=i % 5 + 1,
            person=person,
            questions=q,
            comment=f"c{i}",
        )
    last = respond(world, nps=5, questions=q)
    client.force_login(world.admin)
    # A period of whole days comes from the rollup's month and day cells: two queries per read.
    pages = {
        "/o/acme/": 16,
        f"/o/acme/?unit={world.region.pk}&by=unit&granularity=week": 17,
        "/o/acme/?by=person": 15,
        "/o/acme/?by=touchpoint": 14,
        "/o/acme/?by=channel": 14,
        # + 1: the personal-data audit entry (privacy) of each person or response page
        f"/o/acme/results/people/{world.person.pk}/": 13 + 1,
        "/o/acme/results/responses/": 8 + 1,
        f"/o/acme/results/responses/{last.pk}/": 6 + 1,
    }
    for url, limit in pages.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
