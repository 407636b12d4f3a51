"""In the browser: an encounter with a transcript shows its metrics; a briefing opens for an allowed user
and is refused to a user outside the customer's encounters."""

import os

import pytest

from kohtaamo.textanalytics.services import comments_analyse

from .test_end_to_end import log_in
from .test_textanalytics_briefing import history

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser

VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Advisor>Hi, what brings you in today?

00:00:06.000 --> 00:00:12.000
<v Customer>I want to renew my loan and I'm worried about the rate.

00:00:13.000 --> 00:00:20.000
<v Advisor>So what you need is a safe monthly payment. I'll send two offers by Wednesday.
"""


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", extra_http_headers={"Accept-Language": "en"}
    )
    yield context
    context.close()


def test_transcript_metrics_and_briefing_access(transactional_db, live_server, world, browser, context):
    c1, c2 = history(world)
    comments_analyse(organisation_id=world.organisation.pk)
    meeting = c1.encounters.get(external_id="E-2")
    base = live_server.url
    page = context.new_page()
    log_in(page, base, world.cx_lead.username, "pw-acme")

    # The CX lead pastes a WebVTT transcript and sees its metrics beside the customer scores.
    page.goto(f"{base}/o/acme/texts/encounters/{meeting.pk}/")
    page.fill("textarea[name=text]", VTT)
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("#transcript-metrics")
    assert page.inner_text("tr[data-metric=employee_talk_share] td.num") == "0.636"  # 21 of 33 words
    assert page.inner_text("tr[data-metric=silence_seconds] td.num") == "3.0"
    assert "Machine-derived" in page.inner_text("#transcript-metrics")
    assert page.inner_text("tr[data-element=listening] td.num >> nth=0").startswith("100")
    # Beside it, the serving person's figures from every source, each with its n or why it is missing.
    listening = "tr[data-element=listening] "
    assert page.inner_text(listening + "td[data-source=transcript]").endswith("(n=1)")
    # The other person's customers: E-2 scored 100 and E-3 75 → 87.5.
    assert page.inner_text(listening + "td[data-source=customers]") == "88 (n=2)"
    assert page.inner_text(listening + "td[data-source=assessment_360]") == "No released 360 report."
    assert page.inner_text(listening + "td[data-source=mystery]") == "No approved mystery visits."
    assert "Machine-derived" in page.inner_text("#evidence-sources")
    # The wider table still fits its card at 1280 px.
    assert page.evaluate(
        "() => { const t = document.getElementById('element-evidence'); "
        "return t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1; }"
    )

    # The briefing opens for the employee who served C-1 …
    employee = context.browser.new_context(extra_http_headers={"Accept-Language": "en"})
    staff = employee.new_page()
    log_in(staff, base, world.employee.username, "pw-acme")
    staff.goto(f"{base}/o/acme/texts/briefing/{c1.pk}/")
    assert "Before you meet customer C-1" in staff.inner_text("h1")
    assert "Lähetän laskelman perjantaina." in staff.inner_text("#open-issues")
    # … and not for C-2, whom they never met.
    response = staff.goto(f"{base}/o/acme/texts/briefing/{c2.pk}/")
    assert response.status == 404
    assert "C-2" not in staff.content()
    employee.close()
