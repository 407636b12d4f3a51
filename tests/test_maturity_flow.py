"""The maturity survey in headless Chromium: the CX lead creates the survey and invites management, staff
and a customer by e-mail; each answers on the respondent page with the wording of their perspective;
the report shows the perception gap and its PDF downloads."""

import os
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from kohtaamo.feedback.models import Invitation, Response
from kohtaamo.feedback.respondent_forms import KEY_FIELD, field_name

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _links(messages, base: str) -> dict[str, str]:
    links = {}
    for message in messages:
        body = next(
            part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        )
        links[message["X-Envelope-To"]] = re.search(rf"{re.escape(base)}/r/[A-Za-z0-9_-]{{40,}}/", body).group(0)
    return links


def _answer(browser, link: str, choice: int, expected_wording: str) -> None:
    """Answer every scale question with option number `choice` (1 = lowest) and submit."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(link)
    assert page.get_by_text(expected_wording).count() == 1
    questions = page.locator("fieldset.question")
    for i in range(questions.count()):
        questions.nth(i).locator("input[type=radio]").nth(choice - 1).check()
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    context.close()


def _answer_by_form(link: str, choice: int) -> None:
    """The same respondent page without a browser: show it (the draft and its key), post the form."""
    client = Client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    draft = Response.objects.get(invitation=Invitation.objects.get(token=path.split("/")[1]))
    data = {KEY_FIELD: str(draft.idempotency_key)}
    for question in draft.questionnaire.questions.filter(item__isnull=False):
        data[field_name(question.pk)] = str(question.scale_min + choice - 1)
    assert "/thanks/" in client.post(f"/{path}", data)["Location"]


def _invite(page, role: str, emails: list[str], unit_label: str | None = None) -> None:
    page.select_option("#id_role", role)
    page.select_option("#id_language", "en")
    if unit_label:
        page.select_option("#id_unit", label=unit_label)
    page.fill("#id_emails", "\n".join(emails))
    page.click("#invite-form button[type=submit]")
    page.wait_for_load_state()


def test_maturity_survey_end_to_end(transactional_db, live_server, world, mailbox, browser, settings):
    settings.KOHTAAMO_BASE_URL = live_server.url
    base = live_server.url
    lead_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    lead = lead_context.new_page()
    log_in(lead, base, world.cx_lead.username, "pw-acme")

    # 1. The CX lead creates this year's survey and invites the three sides.
    lead.goto(f"{base}/o/acme/maturity/")
    lead.fill("#id_year", "2026")
    lead.click("#create-form button[type=submit]")
    lead.wait_for_url(re.compile(r"/maturity/\d+/$"))
    management = [f"manager{i}@example.org" for i in range(3)]
    staff = [f"staff{i}@example.org" for i in range(3)]
    _invite(lead, "management", management)
    _invite(lead, "staff", staff, unit_label="Acme Centre")
    _invite(lead, "customer", ["customer@example.org"])
    links = _links(mailbox.wait_for(7), base)
    assert len(links) == 7

    # 2. Each answers on the respondent page, in the wording of their perspective (one of each side in
    # the browser, the others by posting the same page's form).
    organisation_wording = "We have a clear service promise that every employee can put into words."
    _answer(browser, links[management[0]], 5, organisation_wording)
    _answer(browser, links[staff[0]], 3, organisation_wording)
    for email in management[1:]:
        _answer_by_form(links[email], 5)
    for email in staff[1:]:
        _answer_by_form(links[email], 3)
    _answer(browser, links["customer@example.org"], 2, "Acme clearly tells me what I can expect from its service.")
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED)
    assert (
        sorted(submitted.values_list("respondent_role", flat=True)) == ["customer"] + ["management"] * 3 + ["staff"] * 3
    )

    # 3. Progress shows counts only; the report shows the gap: management 100, staff 50, customers 25.
    lead.reload()
    progress = lead.locator("#progress").inner_text()
    assert "staff0@example.org" not in lead.content()
    assert re.search(r"Staff\s+3\s+3", progress)
    lead.click("text=Open the report")
    lead.wait_for_load_state()
    promise = lead.locator("#gap-table tr[data-theme=m_promise]")
    cells = promise.locator("td")
    assert cells.nth(0).locator(".figure-value").inner_text() == "100.0"
    assert cells.nth(1).locator(".figure-value").inner_text() == "50.0"
    assert cells.nth(2).locator(".figure-value").inner_text() == "25.0"
    assert "100 % excellent" in cells.nth(0).inner_text() and "0 % excellent" in cells.nth(1).inner_text()
    assert cells.nth(3).inner_text() == "75.0"  # management − customers
    # Staff of one unit: 3 answers meet the threshold.
    assert "Acme Centre" in lead.locator("#units-table-staff").inner_text()
    legend = lead.locator("#units-table-staff + .legend").inner_text()
    assert legend.startswith("Columns: 1 = ") and "; 2 = " in legend

    # 4. The PDF downloads and carries the same figures.
    with lead.expect_download() as info:
        lead.click("text=Download PDF")
    path = info.value.path()
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Perception gap" in text and "100 % excellent" in text and "75.0" in text
    lead_context.close()
