"""The development loop in headless Chromium: a clinic is scheduled, a case is brought from a real
low-scoring response, an action is assigned, a role play is rated from three phones, a plan is created
from a gap and a check-in recorded."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kohtaamo.development.models import (
    ClinicAction,
    ClinicCase,
    ClinicSession,
    DevelopmentPlan,
    PlanCheckIn,
    RolePlayRating,
)

from .development_helpers import pulse_response

pytestmark = pytest.mark.browser
PASSWORD = "pw-acme"


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_development_loop(transactional_db, live_server, world, browser, settings):
    settings.KOHTAAMO_BASE_URL = live_server.url
    base = live_server.url
    org = f"{base}/o/{world.organisation.slug}/development"
    low = pulse_response(world, value=2, comment="Jonotin pitkään eikä kukaan kertonut miksi.")
    pulse_response(world, value=5, submitted_at=timezone.now() - timedelta(days=3))

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    lead = desk.new_page()
    log_in(lead, base, world.cx_lead.username)

    # 1. Schedule a monthly clinic for the team.
    lead.goto(f"{org}/clinics/")
    lead.fill("#id_name", "Centre team clinic")
    lead.select_option("#id_unit", str(world.team.pk))
    lead.select_option("#id_interval", "monthly")
    first = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")
    lead.fill("#id_first_session_at", first)
    lead.click("#schedule button[type=submit]")
    lead.wait_for_url(re.compile(r"/clinics/sessions/\d+/"))
    assert ClinicSession.objects.filter(series__name="Centre team clinic").count() == 6

    # 2. Bring a case from the low-scoring response: its scores and comment come along.
    lead.click(f"#low-scores a[data-response='{low.pk}']")
    lead.wait_for_url(re.compile(r"cases/new/\?response="))
    assert lead.get_by_text("Jonotin pitkään eikä kukaan kertonut miksi.").is_visible()
    lead.fill("#id_title", "Long queue, no explanation")
    lead.fill("#id_situation", "The customer waited 20 minutes and nobody told why.")
    lead.fill("#id_to_improve", "Tell waiting customers what is happening.")
    lead.select_option("#id_incident_kind", "service_failure")
    lead.get_by_label("Active listening").check()
    lead.click("form.card button[type=submit]")
    lead.wait_for_url(re.compile(r"/clinics/sessions/\d+/#case-\d+"))
    case = ClinicCase.objects.get()
    assert case.response_id == low.pk and case.channel == "phone" and case.incident_kind == "service_failure"
    assert [d.code for d in case.dimensions.all()] == ["listening"]

    # 3. Assign an action with owner and due date.
    lead.click(f"#case-{case.pk} summary")
    form = lead.locator(f"#case-{case.pk} form.action-form")
    form.locator("[name=description]").fill("Agree on a waiting-time script")
    form.locator("[name=owner]").select_option(str(world.person.pk))
    form.locator("[name=due_date]").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    form.locator("button[type=submit]").click()
    lead.wait_for_load_state()
    assert lead.locator(f"#case-{case.pk} .actions").inner_text().startswith("Agree on a waiting-time script")
    action = ClinicAction.objects.get()
    assert action.owner == world.person and action.due_date == timezone.localdate() + timedelta(days=14)

    # 4. A role play, rated from three phones without login.
    lead.goto(f"{org}/role-play/")
    lead.fill("#scenario-form [name=title]", "Angry customer at the counter")
    lead.fill("#scenario-form [name=description]", "The card was swallowed by the ATM.")
    lead.click("#scenario-form button[type=submit]")
    lead.wait_for_load_state()
    lead.select_option("#session-form [name=scenario]", label="Angry customer at the counter")
    lead.select_option("#session-form [name=participant]", str(world.person.pk))
    lead.click("#session-form button[type=submit]")
    lead.wait_for_url(re.compile(r"/role-play/sessions/\d+/"))
    rating_url = lead.locator("#rating-url").get_attribute("href")
    assert re.search(r"/role-play/[A-Za-z0-9_-]{40,}/$", rating_url)
    assert lead.locator("#rating-link img").evaluate("img => img.naturalWidth") > 0  # the QR code renders

    phones = [browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB") for _ in range(3)]
    for number, phone in enumerate(phones):
        page = phone.new_page()
        page.goto(rating_url)
        page.get_by_label("Coach" if number == 0 else "Peer").check()
        questions = page.locator("fieldset.question")
        for i in range(questions.count()):
            questions.nth(i).locator("input[type=radio]").nth(3 if number == 0 else 4).check()  # coach 4, peers 5
        page.fill("textarea", f"Feedback {number}")
        page.locator("button[type=submit]").dblclick()  # a double tap stores one rating
        page.wait_for_url(re.compile(r"/thanks/"))
        phone.close()
    assert RolePlayRating.objects.count() == 3

    participant_context = browser.new_context(locale="en-GB")
    participant = participant_context.new_page()
    log_in(participant, base, world.employee.username)
    session_id = RolePlayRating.objects.first().session_id
    participant.goto(f"{org}/role-play/sessions/{session_id}/")
    summary = participant.locator("#summary")
    assert "Coach ratings: 1 · peer ratings: 2" in summary.inner_text()
    first_row = summary.locator("tbody tr").first.inner_text()
    assert re.search(r"4[.,]0\s+n = 1", first_row) and re.search(r"5[.,]0\s+n = 2", first_row)
    assert participant.locator("#rating-link").count() == 0  # the participant does not hand out the link
    participant_context.close()

    # 5. A plan from the person's weakest dimension, with its pulse baseline.
    lead.goto(f"{org}/plans/")
    lead.select_option("#plan-person", str(world.person.pk))
    lead.click("form[action$='/plans/new/'] button[type=submit]")
    lead.wait_for_url(re.compile(r"/plans/new/\?person="))
    lead.locator("#gaps tbody tr a").first.click()
    lead.wait_for_load_state()
    lead.fill("#id_title", "Better listening")
    lead.fill("#id_description", "Sum up the customer's matter before proposing anything.")
    lead.fill("#id_target", "75")
    lead.click("form.card button[type=submit]")
    lead.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan = DevelopmentPlan.objects.get()
    goal = plan.goals.get()
    assert goal.baseline_n == 2 and plan.person == world.person
    assert "n = 2" in lead.locator("#goals td.baseline").inner_text()

    # 6. Record a check-in.
    lead.fill("#check-in-form textarea", "Good start: summarising feels natural already.")
    lead.click("#check-in-form button[type=submit]")
    lead.wait_for_load_state()
    assert lead.locator("#check-ins").get_by_text("Good start: summarising feels natural already.").is_visible()
    assert PlanCheckIn.objects.get().held_at is not None
    desk.close()
