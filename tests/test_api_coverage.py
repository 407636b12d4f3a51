"""API routes of the development loop, text analytics, service paths and organisation set-up:
content for allowed roles, role filtering as on the pages, 404 for another organisation, OpenAPI."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kohtaamo.api.models import ApiToken
from kohtaamo.development import services as development
from kohtaamo.development.selftest_data import STATEMENTS
from kohtaamo.instruments.models import Dimension
from kohtaamo.journeys.services import persona_create
from kohtaamo.organisations.models import Person
from kohtaamo.organisations.selectors import scope_for
from kohtaamo.textanalytics.services import comments_analyse

from .journeys_support import answer
from .test_textanalytics_briefing import history

API = "/api/v1/organisations"

NEW_PATHS = [
    "/{org}/units",
    "/{org}/people",
    "/{org}/touchpoints",
    "/{org}/service-paths",
    "/{org}/service-paths/{path_id}",
    "/{org}/service-paths/{path_id}/map",
    "/{org}/service-paths/{path_id}/flows",
    "/{org}/comments",
    "/{org}/themes",
    "/{org}/encounters/{encounter_id}/transcript",
    "/{org}/customers/{customer_id}/briefing",
    "/{org}/development/clinic-series",
    "/{org}/development/clinic-sessions",
    "/{org}/development/clinic-sessions/{session_id}",
    "/{org}/development/cases",
    "/{org}/development/mentor-pairs",
    "/{org}/development/mentor-pairs/{pair_id}",
    "/{org}/development/role-plays",
    "/{org}/development/role-plays/{session_id}",
    "/{org}/development/plans",
    "/{org}/development/plans/{plan_id}",
    "/{org}/development/effects",
    "/{org}/development/self-tests",
]


def headers(user, organisation) -> dict:
    raw = ApiToken.issue(user=user, organisation=organisation, name="t")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def get(client, world, user, path: str, status: int = 200):
    reply = client.get(f"{API}/acme{path}", **headers(user, world.organisation))
    assert reply.status_code == status, (path, reply.content)
    return reply.json()


def scope_of(world, user):
    return scope_for(user=user, organisation_slug=world.organisation.slug)


@pytest.fixture
def loop(world):
    """Development data of Acme: a team clinic with a case and an action, a mentoring pair with a shadowing
    day, a role-play session with a coach rating, a plan and a saved self-test of the team's employee."""
    scope = scope_of(world, world.cx_lead)
    listening = Dimension.objects.get(code="listening")
    series = development.clinic_series_create(
        scope=scope, unit=world.team, name="Team clinic", interval="monthly", first_session_at=timezone.now()
    )
    session = series.sessions.order_by("starts_at").first()
    case = development.clinic_case_create(
        session=session,
        title="Rate question",
        outcome="negative",
        situation="s",
        channel="phone",
        dimensions=[listening],
    )
    action = development.clinic_action_create(
        case=case, description="Call back", owner=world.person, due_date=timezone.localdate()
    )
    other_case = development.clinic_case_create(
        session=session, title="Warm welcome", outcome="positive", situation="s"
    )
    colleague = Person.objects.create(organisation=world.organisation, unit=world.other_branch, name="Colleague")
    pair = development.mentor_pair_create(scope=scope, mentor=world.other_person, mentee=colleague, goals="g")
    own_pair = development.mentor_pair_create(scope=scope, mentor=world.other_person, mentee=world.person, goals="g")
    development.shadowing_day_record(
        pair=own_pair, day=timezone.localdate(), direction="mentee_observes", observations={}, debrief="Went well"
    )
    scenario = development.role_play_scenario_create(scope=scope, title="Angry customer", description="d")
    role_play = development.role_play_session_create(scope=scope, scenario=scenario, participant=world.person)
    other_role_play = development.role_play_session_create(
        scope=scope, scenario=scenario, participant=world.other_person
    )
    plan = development.plan_create(
        scope=scope, person=world.person, title="Listen more", goals=[(listening, "Summarise", 80.0)]
    )
    development.plan_check_in_schedule(plan=plan, due_date=timezone.localdate() + timedelta(days=30))
    answers = {code: 4 for code, *_rest in STATEMENTS}
    selftest = development.selftest_save(
        scope=scope_of(world, world.employee), person=world.person, answers=answers, language="en"
    )
    return {
        "session": session,
        "case": case,
        "other_case": other_case,
        "action": action,
        "pair": pair,
        "own_pair": own_pair,
        "role_play": role_play,
        "other_role_play": other_role_play,
        "plan": plan,
        "selftest": selftest,
    }


def test_openapi_lists_every_new_path(client, world):
    client.force_login(world.admin)
    schema = client.get("/api/v1/openapi.json").json()
    missing = [p for p in NEW_PATHS if f"/api/v1/organisations{p}" not in schema["paths"]]
    assert missing == []


def test_organisation_set_up_is_scoped(client, world, django_assert_max_num_queries):
    units = get(client, world, world.admin, "/units")
    assert len(units) == 5 and units[0]["parent"] is None
    manager_units = {u["id"] for u in get(client, world, world.manager, "/units")}
    assert manager_units == {world.branch.pk, world.team.pk}
    assert [u["id"] for u in get(client, world, world.employee, "/units")] == [world.team.pk]
    for i in range(30):
        Person.objects.create(organisation=world.organisation, unit=world.other_branch, name=f"Z {i:02}")
    with django_assert_max_num_queries(8):
        people = get(client, world, world.admin, "/people?page_size=10&page=4")
    assert people["count"] == 32 and [p["name"] for p in people["items"]] == ["Z 28", "Z 29"]
    assert [p["id"] for p in get(client, world, world.manager, "/people")["items"]] == [world.person.pk]
    assert [p["id"] for p in get(client, world, world.admin, f"/people?unit={world.team.pk}")["items"]] == [
        world.person.pk
    ]
    with django_assert_max_num_queries(8):
        touchpoints = get(client, world, world.manager, "/touchpoints")
    assert touchpoints == [
        {
            "id": world.touchpoint.pk,
            "name": "Branch meeting",
            "code": "",
            "channel": world.touchpoint.channel,
            "stage": world.touchpoint.stage_id,
            "service_path": world.touchpoint.stage.service_path_id,
            "owner_unit": world.branch.pk,
        }
    ]


def test_service_path_structure_map_and_flows(client, world, django_assert_max_num_queries):
    path = world.touchpoint.stage.service_path
    persona_create(service_path=path, name="First-time buyer", description="", segments=["young"])
    for i, csat in enumerate([5, 5, 4, 2]):
        answer(world, touchpoint=world.touchpoint, customer=f"C{i}", nps=9, csat=csat, segment="young")
    paths = get(client, world, world.employee, "/service-paths")
    assert paths == [{"id": path.pk, "name": "Home loan", "description": ""}]
    detail = get(client, world, world.employee, f"/service-paths/{path.pk}")
    assert detail["stages"][0]["touchpoints"][0]["id"] == world.touchpoint.pk
    assert detail["personas"][0]["segments"] == ["young"]
    with django_assert_max_num_queries(25):
        figures = get(client, world, world.cx_lead, f"/service-paths/{path.pk}/map?metric=eqi")
    card = figures["stages"][0]["touchpoints"][0]
    assert card["responses"] == 4
    assert card["csat"]["n"] == 4 and card["csat"]["value"] == 75.0 and card["csat"]["indicative"] is True
    assert card["csat"]["ci_low"] < 75.0 < card["csat"]["ci_high"]
    assert figures["metric"] == "eqi" and figures["enough_for_drivers"] is False and figures["moments_of_truth"] == []
    flows = get(client, world, world.cx_lead, f"/service-paths/{path.pk}/flows")
    assert flows["customers"] == 4
    assert flows["common"] == [{"touchpoints": [world.touchpoint.pk], "customers": 4, "share": 100.0}]
    assert flows["touchpoints"] == [{"touchpoint": world.touchpoint.pk, "started": 4, "ended": 4}]
    bad = client.get(
        f"{API}/acme/service-paths/{path.pk}/map?metric=loudness", **headers(world.admin, world.organisation)
    )
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["metric"]


def test_text_analytics_routes(client, world, django_assert_max_num_queries):
    c1, c2 = history(world)
    comments_analyse(organisation_id=world.organisation.pk)
    with django_assert_max_num_queries(8):
        everything = get(client, world, world.cx_lead, "/comments")
    assert everything["count"] == 3
    negative = get(client, world, world.cx_lead, "/comments?sentiment=negative")["items"]
    assert len(negative) == 1 and negative[0]["language"] == "fi" and "trust" in negative[0]["elements"]
    assert negative[0]["unit"] == world.team.pk
    assert get(client, world, world.manager, "/comments")["count"] == 1  # only the team's encounter
    themed = get(client, world, world.cx_lead, f"/comments?theme={negative[0]['themes'][0]}")["items"]
    assert negative[0]["id"] in [c["id"] for c in themed]
    assert all(negative[0]["themes"][0] in c["themes"] for c in themed)
    table = get(client, world, world.cx_lead, "/themes?by=unit")
    assert table["comments"] == 3 and table["by"] == "unit"
    assert sum(r["total"]["n"] for r in table["rows"]) >= 1
    assert all(set(r["cells"]) <= {g["key"] for g in table["groups"]} for r in table["rows"])
    assert client.get(f"{API}/acme/themes?by=weather", **headers(world.admin, world.organisation)).status_code == 422
    first = c1.encounters.get(external_id="E-1")
    transcript = get(client, world, world.employee, f"/encounters/{first.pk}/transcript")
    assert transcript["analysed"] is True and transcript["turns"] == 4
    assert transcript["metrics"]["next_steps"] >= 1 and set(transcript["evidence"]) >= {"listening", "trust"}
    briefing = get(client, world, world.cx_lead, f"/customers/{c1.pk}/briefing")
    assert briefing["encounter_count"] == 2 and [e["eqi"] for e in briefing["encounters"]] == [100.0, 25.0]
    assert briefing["promises"][0]["text"] == "Lähetän laskelman perjantaina."
    employee_view = get(client, world, world.employee, f"/customers/{c1.pk}/briefing")
    assert employee_view["encounter_count"] == 1
    get(client, world, world.manager, f"/customers/{c2.pk}/briefing", status=404)


def test_development_routes_for_a_cx_lead(client, world, loop, django_assert_max_num_queries):
    assert [s["name"] for s in get(client, world, world.cx_lead, "/development/clinic-series")] == ["Team clinic"]
    with django_assert_max_num_queries(12):
        session = get(client, world, world.cx_lead, f"/development/clinic-sessions/{loop['session'].pk}")
    case = next(c for c in session["cases"] if c["id"] == loop["case"].pk)
    assert case["elements"] == ["listening"] and case["actions"][0]["description"] == "Call back"
    with django_assert_max_num_queries(10):
        library = get(client, world, world.cx_lead, "/development/cases?element=listening&channel=phone")
    assert [c["id"] for c in library["items"]] == [loop["case"].pk]
    positive = get(client, world, world.cx_lead, "/development/cases?outcome=positive")["items"]
    assert [c["id"] for c in positive] == [loop["other_case"].pk]
    pair = get(client, world, world.cx_lead, f"/development/mentor-pairs/{loop['own_pair'].pk}")
    assert pair["mentee"] == world.person.pk and pair["shadowing_days"][0]["debrief"] == "Went well"
    role_play = get(client, world, world.cx_lead, f"/development/role-plays/{loop['role_play'].pk}")
    assert role_play["scenario_title"] == "Angry customer" and role_play["coach_ratings"] == 0
    plan = get(client, world, world.cx_lead, f"/development/plans/{loop['plan'].pk}")
    assert plan["goals"][0]["dimension"] == "listening" and plan["goals"][0]["target"] == 80.0
    assert plan["goals"][0]["baseline"]["n"] == 0 and len(plan["check_ins"]) == 1
    effect = get(client, world, world.cx_lead, "/development/effects?subject=plans")
    assert effect["started"] is True and effect["verdict"] and effect["participants"]["n"] == 0
    bad = client.get(f"{API}/acme/development/effects?subject=nothing", **headers(world.cx_lead, world.organisation))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "subject"
    selftests = get(client, world, world.cx_lead, f"/development/self-tests?person={world.person.pk}")["items"]
    assert [s["id"] for s in selftests] == [loop["selftest"].pk] and selftests[0]["profile"]


def test_development_routes_filter_by_role(client, world, loop):
    employee = world.employee
    assert [p["id"] for p in get(client, world, employee, "/development/mentor-pairs")] == [loop["own_pair"].pk]
    get(client, world, employee, f"/development/mentor-pairs/{loop['pair'].pk}", status=404)
    assert [r["id"] for r in get(client, world, employee, "/development/role-plays")["items"]] == [loop["role_play"].pk]
    get(client, world, employee, f"/development/role-plays/{loop['other_role_play'].pk}", status=404)
    get(client, world, employee, "/development/effects", status=403)
    assert get(client, world, employee, "/development/plans")["count"] == 1
    assert (
        get(client, world, employee, "/development/clinic-sessions")["count"] == loop["session"].series.sessions.count()
    )
    manager_pairs = get(client, world, world.manager, "/development/mentor-pairs")
    # A pair belongs to the mentee's unit: the branch manager sees the team's pair, not the other branch's.
    assert [p["id"] for p in manager_pairs] == [loop["own_pair"].pk]
    assert get(client, world, world.manager, "/development/self-tests")["count"] == 1
    assert get(client, world, world.consultant, "/development/role-plays")["count"] == 2


@pytest.mark.parametrize("caller", ["admin", "token"])
def test_another_organisation_gets_404_everywhere(client, world, other_world, loop, caller):
    ids = {
        "path_id": world.touchpoint.stage.service_path_id,
        "encounter_id": 1,
        "customer_id": 1,
        "session_id": loop["session"].pk,
        "pair_id": loop["own_pair"].pk,
        "plan_id": loop["plan"].pk,
    }
    extra = {}
    if caller == "token":
        extra = headers(other_world.admin, other_world.organisation)
    else:
        client.force_login(other_world.admin)
    statuses = {}
    for path in NEW_PATHS:
        url = API + path.format(org="acme", **ids)
        statuses[path] = client.get(url, **extra).status_code
    assert set(statuses.values()) == {404}, statuses
