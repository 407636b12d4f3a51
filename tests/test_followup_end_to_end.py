"""The closed loop in headless Chromium: a detractor answers, the branch manager gets the e-mail,
opens the case from its link, records the contact and closes it with a root cause."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kohtaamo.feedback.models import Encounter, Invitation
from kohtaamo.followup.models import FollowupCase
from kohtaamo.instruments.models import Dimension

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser


def _body(message) -> str:
    return next(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def test_detractor_case_from_answer_to_closed(transactional_db, live_server, world, mailbox, browser, settings):
    settings.KOHTAAMO_BASE_URL = live_server.url
    base = live_server.url
    encounter = Encounter.objects.create(
        organisation=world.organisation,
        external_id="ENC-9",
        unit=world.team,
        person=world.person,
        channel="phone",
        occurred_at=timezone.now(),
    )
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        encounter=encounter,
        email="asiakas@example.org",
        language="en",
        expires_at=timezone.now() + timedelta(days=7),
    )

    # 1. A detractor answers on a phone: the lowest option everywhere.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    customer = phone.new_page()
    customer.goto(f"{base}/r/{invitation.token}/")
    questions = customer.locator("fieldset.question")
    for i in range(questions.count()):
        questions.nth(i).locator("input[type=radio]").first.check()
    customer.fill("textarea", "I was promised a call back and nobody called. I don't trust you any more.")
    customer.locator("button[type=submit]").click()
    customer.wait_for_url(re.compile(r"/thanks/"))
    phone.close()

    # 2. The branch's manager (the team has none of its own) gets the e-mail with the case link.
    [message] = mailbox.wait_for(1)
    assert world.manager.email in message["X-Envelope-To"]
    case = FollowupCase.objects.get()
    assert case.owner == world.manager and case.unit == world.team
    assert any("NPS at most 6" in r for r in case.reasons) and any("Comment" in r for r in case.reasons)
    link = re.search(rf"{re.escape(base)}/o/acme/followup/cases/\d+/", _body(message)).group(0)

    # 3. The manager opens the case from the link, records the call and closes the case.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(link)
    page.fill("#id_username", world.manager.username)
    page.fill("#id_password", "pw-acme")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/followup/cases/\d+/"))
    assert page.get_by_text("nobody called").is_visible()
    page.fill("#id_note", "Called the customer, apologised and booked a meeting.")
    page.click("button[value=contact]")
    page.wait_for_load_state()
    trust = Dimension.objects.get(code="trust")
    page.select_option("#id_outcome", "resolved")
    page.select_option("#id_root_cause", str(trust.pk))
    page.fill("#id_resolution", "Meeting held; the loan offer was sent the same day.")
    page.click("button[value=close]")
    page.wait_for_load_state()
    assert page.locator("[data-status]").get_attribute("data-status") == "closed"
    context.close()
    case.refresh_from_db()
    assert case.status == "closed" and case.root_cause == trust and case.contacted_at is not None
    assert case.closed_at >= case.contacted_at
