"""Development services and pages: clinic schedules, role-play idempotency, plan baselines and change,
reminders through the real SMTP server (each sent once), role scoping and query counts."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from kohtaamo.development import selectors, services
from kohtaamo.development.models import ClinicAction, ClinicSession, PlanAction, PlanCheckIn, RolePlayRating
from kohtaamo.development.rating import observation_items_for
from kohtaamo.development.reminders import development_reminders_send
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.selectors import scope_for

from .development_helpers import pulse_response, scored_responses_create

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def scope_of(world, user):
    return scope_for(user=user, organisation_slug=world.organisation.slug)


def clinic(world, *, first: datetime | None = None, interval="monthly"):
    return services.clinic_series_create(
        scope=scope_of(world, world.cx_lead),
        unit=world.team,
        name="Clinic",
        interval=interval,
        first_session_at=first or timezone.now() + timedelta(hours=3),
    )


@pytest.mark.django_db
def test_monthly_sessions_keep_local_time_and_clip_month_end(world):
    # 31 January 2027 at 09:00 in Helsinki (07:00 UTC).
    series = clinic(world, first=datetime(2027, 1, 31, 7, tzinfo=UTC))
    local = [timezone.localtime(s.starts_at, world_tz(world)) for s in series.sessions.all()]
    assert [(t.month, t.day, t.hour) for t in local] == [
        (1, 31, 9),
        (2, 28, 9),
        (3, 31, 9),
        (4, 30, 9),
        (5, 31, 9),
        (6, 30, 9),
    ]


def world_tz(world):
    from zoneinfo import ZoneInfo

    return ZoneInfo(world.organisation.time_zone)


@pytest.mark.django_db
def test_employee_cannot_schedule_or_start_role_plays(world):
    scope = scope_of(world, world.employee)
    with pytest.raises(PermissionDenied):
        services.clinic_series_create(
            scope=scope, unit=world.team, name="x", interval="weekly", first_session_at=timezone.now()
        )
    with pytest.raises(PermissionDenied):
        services.role_play_scenario_create(scope=scope, title="x", description="y")


@pytest.mark.django_db
def test_case_from_response_carries_encounter_context_and_library_filters(world, other_world):
    session = clinic(world).sessions.first()
    response = pulse_response(world, value=2, comment="Slow")
    listening = Dimension.objects.get(code="listening")
    case = services.clinic_case_create(
        session=session, title="Queue", outcome="difficult", situation="...", response=response, dimensions=[listening]
    )
    assert case.channel == "phone"
    services.clinic_case_create(session=session, title="Praise", outcome="success", situation="...", channel="chat")
    scope = scope_of(world, world.employee)
    assert [c.title for c in selectors.clinic_case_library(scope=scope, dimension="listening")] == ["Queue"]
    assert [c.title for c in selectors.clinic_case_library(scope=scope, channel="chat")] == ["Praise"]
    assert [c.title for c in selectors.clinic_case_library(scope=scope, text="queue")] == ["Queue"]
    assert selectors.clinic_case_library(scope=scope_of(other_world, other_world.cx_lead)).count() == 0
    foreign = pulse_response(other_world, value=2)
    with pytest.raises(ValidationError):
        services.clinic_case_create(session=session, title="x", outcome="mixed", situation="x", response=foreign)


@pytest.mark.django_db
def test_open_actions_are_followed_up_at_the_next_session(world):
    series = clinic(world)
    first, second = series.sessions.all()[:2]
    case = services.clinic_case_create(session=first, title="c", outcome="mixed", situation="s")
    action = services.clinic_action_create(
        case=case, description="Do it", owner=world.person, due_date=date(2027, 1, 1)
    )
    assert list(selectors.clinic_actions_open_before(session=second)) == [action]
    assert list(selectors.clinic_actions_open_before(session=first)) == []
    services.clinic_action_follow_up(action=action, session=second, note="Done and shared", done=True)
    assert list(selectors.clinic_actions_open_before(session=second)) == []


@pytest.mark.django_db
def test_role_play_rating_is_idempotent_and_validated(world, client):
    scope = scope_of(world, world.cx_lead)
    scenario = services.role_play_scenario_create(scope=scope, title="t", description="d")
    session = services.role_play_session_create(scope=scope, scenario=scenario, participant=world.person)
    items = observation_items_for(organisation=world.organisation)
    key = str(uuid.uuid4())
    values = {items[0].pk: 4, items[1].pk: 2}
    first, created = services.role_play_rating_submit(session=session, page_key=key, rater_role="peer", values=values)
    again, created_again = services.role_play_rating_submit(
        session=session, page_key=key, rater_role="peer", values=values
    )
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(ValidationError):
        services.role_play_rating_submit(session=session, page_key="not-a-key", rater_role="peer", values=values)
    with pytest.raises(ValidationError):
        services.role_play_rating_submit(session=session, page_key=str(uuid.uuid4()), rater_role="boss", values=values)

    url = f"/role-play/{session.token}/"
    page = {"page_key": str(uuid.uuid4()), "rater_role": "coach", f"item-{items[0].pk}": "5"}
    assert client.post(url, page, **ENGLISH).status_code == 302
    assert client.post(url, page, **ENGLISH).status_code == 302  # the same page submitted twice
    assert RolePlayRating.objects.count() == 2
    bad = client.post(url, {**page, "page_key": str(uuid.uuid4()), f"item-{items[0].pk}": "7"}, **ENGLISH)
    assert bad.status_code == 422 and "whole numbers from 1 to 5" in bad.content.decode()
    assert RolePlayRating.objects.count() == 2
    assert client.get("/role-play/not-a-real-token/").status_code == 404
    summary = selectors.role_play_summary(session=session)
    assert summary["raters"] == {"coach": 1, "peers": 1}


@pytest.mark.django_db
def test_plan_baseline_is_frozen_and_change_has_a_ci(world):
    start = datetime(2026, 6, 1, tzinfo=UTC)
    before = [(start - timedelta(days=d), s) for d, s in ((5, 40.0), (20, 50.0), (60, 60.0))]
    after = [(start + timedelta(days=d), s) for d, s in ((5, 65.0), (20, 85.0), (30, 75.0))]
    scored_responses_create(world, person=world.person, scores=before + after, dimension_code="listening")
    scored_responses_create(  # older than the 180-day baseline window: not in the baseline
        world, person=world.person, scores=[(start - timedelta(days=200), 0.0)], dimension_code="listening"
    )
    listening = Dimension.objects.get(code="listening")
    plan = services.plan_create(
        scope=scope_of(world, world.manager),
        person=world.person,
        title="Listen",
        goals=[(listening, "Let customers finish", 70.0)],
        now=start,
    )
    goal = plan.goals.get()
    assert goal.baseline_n == 3 and goal.baseline_value == pytest.approx(50.0)
    [progress] = selectors.plan_progress(plan=plan, now=start + timedelta(days=60))
    assert progress.follow_up.n == 3 and progress.follow_up.value == pytest.approx(75.0)
    assert progress.change.value == pytest.approx(25.0)
    # Welch with equal variances (100) and n = 3 each: se = √(200/3), df = 4.
    assert progress.change.ci_low == pytest.approx(25 - 2.7764451 * (200 / 3) ** 0.5, abs=1e-4)
    scored_responses_create(
        world, person=world.person, scores=[(start - timedelta(days=1), 100.0)], dimension_code="listening"
    )
    assert plan.goals.get().baseline_value == pytest.approx(50.0)  # frozen
    with pytest.raises(ValidationError):
        services.plan_create(scope=scope_of(world, world.manager), person=world.person, title="x", goals=[])


@pytest.mark.django_db
def test_plans_are_scoped_by_role(world):
    listening = Dimension.objects.get(code="listening")
    lead = scope_of(world, world.cx_lead)
    own = services.plan_create(scope=lead, person=world.person, title="Own", goals=[(listening, "g", None)])
    services.plan_create(scope=lead, person=world.other_person, title="Other", goals=[(listening, "g", None)])
    assert {p.title for p in selectors.plans_visible(scope=lead)} == {"Own", "Other"}
    assert [p.title for p in selectors.plans_visible(scope=scope_of(world, world.manager))] == ["Own"]
    assert [p.title for p in selectors.plans_visible(scope=scope_of(world, world.employee))] == ["Own"]
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.plan_for(scope=scope_of(world, world.employee), plan_id=own.pk + 1)


@pytest.mark.django_db
def test_reminders_are_sent_once(world, mailbox):
    now = timezone.now()
    world.person.email = "employee@example.org"
    world.person.save()
    series = clinic(world, first=now + timedelta(hours=5))
    case = services.clinic_case_create(session=series.sessions.first(), title="c", outcome="mixed", situation="s")
    services.clinic_action_create(
        case=case, description="Script", owner=world.person, due_date=timezone.localdate(now) + timedelta(days=1)
    )
    listening = Dimension.objects.get(code="listening")
    plan = services.plan_create(
        scope=scope_of(world, world.cx_lead), person=world.person, title="P", goals=[(listening, "g", None)]
    )
    services.plan_action_add(
        plan=plan, kind="training", description="Course", due_date=timezone.localdate(now) + timedelta(days=2)
    )
    services.plan_action_add(
        plan=plan, kind="training", description="Later", due_date=timezone.localdate(now) + timedelta(days=30)
    )
    services.plan_check_in_schedule(plan=plan, due_date=timezone.localdate(now) + timedelta(days=1))

    sent = development_reminders_send(now=now)
    messages = mailbox.wait_for(4)
    assert sent == 4, [m["Subject"] for m in messages]
    assert len(messages) == 4
    assert all("employee@example.org" in m["X-Envelope-To"] for m in messages)
    subjects = sorted(m["Subject"] for m in messages)
    assert any("Script" in s for s in subjects) and any("Course" in s for s in subjects)
    body = messages[0].get_payload(decode=True).decode()
    assert "/o/acme/development/" in body
    assert development_reminders_send(now=now) == 0
    call_command("send_development_reminders")
    assert len(mailbox.wait_for(5, timeout=0.5)) == 4  # nothing more went out
    assert ClinicSession.objects.exclude(reminder_sent_at=None).count() == 1
    assert ClinicAction.objects.exclude(reminder_sent_at=None).count() == 1
    assert PlanAction.objects.exclude(reminder_sent_at=None).count() == 1
    assert PlanCheckIn.objects.exclude(reminder_sent_at=None).count() == 1


def _seed_pages(world):
    scope = scope_of(world, world.cx_lead)
    series = clinic(world)
    session = series.sessions.first()
    for i in range(3):
        case = services.clinic_case_create(session=session, title=f"c{i}", outcome="mixed", situation="s")
        services.clinic_action_create(case=case, description="a", owner=world.person, due_date=date(2027, 1, 1))
        pulse_response(world, value=2 + i % 3)
    scenario = services.role_play_scenario_create(scope=scope, title="t", description="d")
    rp = services.role_play_session_create(scope=scope, scenario=scenario, participant=world.person)
    listening = Dimension.objects.get(code="listening")
    plan = services.plan_create(scope=scope, person=world.person, title="P", goals=[(listening, "g", None)])
    services.plan_action_add(plan=plan, kind="training", description="Course", due_date=date(2027, 1, 1))
    pair = services.mentor_pair_create(scope=scope, mentor=world.other_person, mentee=world.person, goals="g")
    return {"session": session, "rp": rp, "plan": plan, "pair": pair, "series": series}


@pytest.mark.django_db
def test_pages_render_with_pinned_query_counts(client, world, django_assert_max_num_queries):
    objects = _seed_pages(world)
    client.force_login(world.cx_lead)
    base = f"/o/{world.organisation.slug}/development"
    pages = {
        "/": 14,
        "/clinics/": 12,
        f"/clinics/sessions/{objects['session'].pk}/": 24,
        f"/clinics/sessions/{objects['session'].pk}/cases/new/": 12,
        "/cases/?dimension=listening": 12,
        "/mentoring/": 12,
        f"/mentoring/{objects['pair'].pk}/": 14,
        "/role-play/": 14,
        f"/role-play/sessions/{objects['rp'].pk}/": 14,
        "/plans/": 24,
        f"/plans/new/?person={world.person.pk}": 40,
        f"/plans/{objects['plan'].pk}/": 16,
        "/self-test/": 10,
        f"/effects/?subject=series:{objects['series'].pk}": 14,
    }
    for path, limit in pages.items():
        with django_assert_max_num_queries(limit):
            response = client.get(base + path, **ENGLISH)
        assert response.status_code == 200, path
    effects = client.get(f"{base}/effects/?subject=series:{objects['series'].pk}", **ENGLISH)
    assert "Not enough data" in effects.content.decode()


@pytest.mark.django_db
def test_employee_sees_own_things_and_no_management_pages(client, world):
    objects = _seed_pages(world)
    client.force_login(world.employee)
    base = f"/o/{world.organisation.slug}/development"
    assert client.get(f"{base}/plans/{objects['plan'].pk}/").status_code == 200
    assert client.get(f"{base}/role-play/sessions/{objects['rp'].pk}/").status_code == 200
    assert client.get(f"{base}/role-play/sessions/{objects['rp'].pk}/qr.svg").status_code == 403
    assert client.get(f"{base}/effects/").status_code == 403
    assert client.post(f"{base}/clinics/", {"name": "x"}).status_code == 403
    # The branch manager does not see the other branch's person.
    client.force_login(world.manager)
    assert client.get(f"{base}/plans/new/?person={world.other_person.pk}").status_code == 404


@pytest.mark.django_db
def test_plan_action_can_point_to_a_clinic_lesson(client, world):
    objects = _seed_pages(world)
    case = services.clinic_case_create(
        session=objects["session"], title="Queue", outcome="difficult", situation="s", lessons="Tell why"
    )
    client.force_login(world.manager)
    url = f"/o/{world.organisation.slug}/development/plans/{objects['plan'].pk}/"
    post = {"form": "action", "kind": "clinic_lesson", "description": "Apply", "due_date": "2027-02-01"}
    assert client.post(url, {**post, "clinic_case": case.pk}).status_code == 302
    action = PlanAction.objects.get(description="Apply")
    assert action.clinic_case == case and action.kind == "clinic_lesson"
    assert "Queue" in client.get(url, **ENGLISH).content.decode()
    client.post(url, {**post, "description": "Bad", "due_date": "not a date"}, **ENGLISH)
    assert not PlanAction.objects.filter(description="Bad").exists()
