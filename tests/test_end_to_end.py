"""The whole loop in headless Chromium: an encounter is imported, the invitation e-mail arrives at a
real SMTP server, the customer answers in Finnish and submits twice, and the manager sees exactly one
new response on the dashboard."""

import re
from pathlib import Path

import pytest

from kohtaamo.feedback.models import Invitation, Response

pytestmark = pytest.mark.browser

CSV = (
    "external_id,occurred_at,unit,person,channel,touchpoint,customer_id,customer_email,customer_language,consent\n"
    "ENC-1,{when},Acme Centre team,E1,face_to_face,Branch meeting,C-1,asiakas@example.org,fi,kyllä\n"
)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_encounter_to_dashboard(transactional_db, live_server, world, mailbox, browser, context, settings, tmp_path):
    settings.KOHTAAMO_BASE_URL = live_server.url
    base = live_server.url

    # 1. The CX lead imports one encounter through the web page.
    staff = context.new_page()
    log_in(staff, base, world.cx_lead.username, "pw-acme")
    staff.goto(f"{base}/o/acme/feedback/")
    csv_file = Path(tmp_path) / "encounters.csv"
    csv_file.write_text(CSV.format(when="2026-11-20T10:15:00"), encoding="utf-8")
    staff.set_input_files("input[type=file][name=file]", str(csv_file))
    staff.click("form[enctype='multipart/form-data'] button[type=submit]")
    staff.wait_for_load_state()
    assert Invitation.objects.count() == 1

    # 2. The invitation arrives at the SMTP server, in Finnish, with an unguessable link.
    [message] = mailbox.wait_for(1)
    assert "asiakas@example.org" in message["X-Envelope-To"]
    body = next(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    link = re.search(rf"{re.escape(base)}/r/[A-Za-z0-9_-]{{40,}}/", body).group(0)

    # 3. The customer answers on a phone, in Finnish, and submits twice.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fi-FI")
    customer = phone.new_page()
    customer.goto(link)
    assert customer.get_attribute("html", "lang") == "fi"
    questions = customer.locator("fieldset.question")
    for i in range(questions.count()):
        options = questions.nth(i).locator("input[type=radio]")
        options.nth(options.count() - 2).check()  # second-best answer everywhere
    customer.fill("textarea", "Palvelu oli ystävällistä ja asiantuntevaa, kiitos!")
    customer.locator("#progress").get_by_text(re.compile(r"\b1[0-9] ?/ ?1[0-9]\b")).wait_for()
    stale_tab = phone.new_page()  # the same survey left open in a second tab, answers restored
    stale_tab.goto(link)
    customer.locator("button[type=submit]").dblclick()
    customer.wait_for_url(re.compile(r"/thanks/"))
    stale_tab.locator("button[type=submit]").click()  # submitted again from the stale tab
    stale_tab.wait_for_url(re.compile(r"/thanks/"))
    phone.close()
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 1
    response = Response.objects.get()
    assert response.language == "fi" and response.nps == 9 and response.has_comment

    # 4. The branch manager sees exactly one response, and its comment, on the dashboard.
    manager_context = browser.new_context(viewport={"width": 1280, "height": 900})
    manager = manager_context.new_page()
    log_in(manager, base, world.manager.username, "pw-acme")
    manager.goto(f"{base}/o/acme/")
    nps_tile = manager.locator("[data-metric=nps]")
    assert re.search(r"n\s*=\s*1\b", nps_tile.inner_text())
    assert float(nps_tile.locator(".figure-value").inner_text().replace(",", ".")) == 100  # one promoter
    manager.goto(f"{base}/o/acme/results/responses/")
    rows = manager.locator("table tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    manager.wait_for_load_state()
    assert manager.get_by_text("Palvelu oli ystävällistä ja asiantuntevaa, kiitos!").is_visible()
    manager_context.close()
