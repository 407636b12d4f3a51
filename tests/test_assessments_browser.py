"""A 360 round end to end in Debian Chromium: the CX lead creates it, the person nominates, the
supervisor approves and adds customers, self, supervisor, three colleagues and two customers answer
from their e-mails, the report is released, opened and its PDF downloaded and read as a PDF."""

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kohtaamo.assessments.models import Participant, Release
from kohtaamo.feedback.models import Response
from kohtaamo.organisations.models import Membership, Person

from .test_end_to_end import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser


def _body(message) -> str:
    return next(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def _answer(browser, link: str, value: int, comment: str = "", *, click: bool = False) -> None:
    """Answer every item with `value`. With `click`, each option is clicked as a person would (the page
    saves each answer as it is given); otherwise the options are set at once and only the submit posts."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(link)
    options = f"fieldset.question input[type=radio][value='{value}']"
    if click:
        questions = page.locator("fieldset.question")
        for i in range(questions.count()):
            questions.nth(i).locator(f"input[type=radio][value='{value}']").check()
    else:
        page.eval_on_selector_all(options, "els => els.forEach(e => { e.checked = true; })")
    if comment:
        page.locator("textarea").first.fill(comment)
        page.locator("textarea").first.blur()
    if click or comment:
        page.wait_for_load_state("networkidle")  # the page saves each answer as it is given; let those land first
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    context.close()


def test_360_round_from_creation_to_pdf(transactional_db, live_server, world, mailbox, browser, settings):
    settings.KOHTAAMO_BASE_URL = live_server.url
    base = live_server.url
    boss_user = world.employee.__class__.objects.create_user("acme-boss", "boss@example.org", "pw-acme")
    boss = Person.objects.create(
        organisation=world.organisation, unit=world.team, name="Boss Person", email="boss@example.org", user=boss_user
    )
    Membership.objects.create(
        user=boss_user, organisation=world.organisation, role=Membership.Role.EMPLOYEE, person=boss
    )
    world.person.supervisor = boss
    world.person.email = "employee@example.org"
    world.person.save()
    colleagues = [
        Person.objects.create(
            organisation=world.organisation, unit=world.team, name=f"Colleague {i}", email=f"c{i}@example.org"
        )
        for i in range(3)
    ]

    def new_page(username):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", extra_http_headers={"Accept-Language": "en"}
        )
        page = context.new_page()
        log_in(page, base, username, "pw-acme")
        return context, page

    # 1. The CX lead creates the round for one person.
    lead_context, lead = new_page(world.cx_lead.username)
    lead.goto(f"{base}/o/acme/360/new/")
    today = timezone.localdate()
    lead.fill("#id_name", "Autumn 360")
    lead.fill("#id_nomination_closes_on", (today + timedelta(days=3)).isoformat())
    lead.fill("#id_answering_closes_on", (today + timedelta(days=10)).isoformat())
    lead.fill("#id_report_on", (today + timedelta(days=14)).isoformat())
    lead.select_option("#id_people", label=world.person.name)
    lead.click("#round-form button[type=submit]")
    lead.wait_for_url(re.compile(r"/360/\d+/$"))
    participant = Participant.objects.get(person=world.person)

    # 2. The person nominates three colleagues.
    person_context, person = new_page(world.employee.username)
    person.goto(f"{base}/o/acme/360/people/{participant.pk}/nominate/")
    for colleague in colleagues:
        person.get_by_label(re.compile(colleague.name)).check()
    person.click("#nomination-form button[type=submit]")
    person.wait_for_url(re.compile(r"/360/\d+/$"))

    # 3. The supervisor approves them and adds two customers by hand.
    boss_context, boss_page = new_page("acme-boss")
    boss_page.goto(f"{base}/o/acme/360/people/{participant.pk}/approve/")
    for colleague in colleagues:
        assert boss_page.get_by_label(re.compile(colleague.name)).is_checked()
    boss_page.fill("#customer_emails", "k1@example.org\nk2@example.org")
    boss_page.click("#nomination-form button[type=submit]")
    boss_page.wait_for_url(re.compile(r"/360/\d+/$"))
    participant.refresh_from_db()
    assert participant.nomination == Participant.Nomination.APPROVED

    # 4. Invitations go out by e-mail: self, supervisor, three colleagues, two customers.
    lead.reload()
    lead.click("button[value=invite]")
    lead.wait_for_load_state()
    messages = mailbox.wait_for(7)
    assert len(messages) == 7
    links = {
        m["X-Envelope-To"]: re.search(rf"{re.escape(base)}/r/[A-Za-z0-9_-]{{40,}}/", _body(m)).group(0)
        for m in messages
    }

    # 5. Everyone answers on a phone.
    _answer(browser, links["employee@example.org"], 5, "I explain things clearly.", click=True)
    _answer(browser, links["boss@example.org"], 3)
    for i, value in enumerate((4, 4, 2)):
        _answer(browser, links[f"c{i}@example.org"], value, f"Comment from a colleague, {value}")
    _answer(browser, links["k1@example.org"], 4)
    _answer(browser, links["k2@example.org"], 5)
    assert Response.objects.filter(status=Response.Status.SUBMITTED, subject_person=world.person).count() == 7
    lead.reload()
    row = lead.locator(f"tr[data-person='{world.person.name}']")
    assert "3 / 3 / 3" in row.inner_text()  # colleagues: invited / started / answered, no names

    # 6. The CX lead releases the report.
    row.locator("button[value=release]").click()
    lead.wait_for_load_state()
    assert Release.objects.filter(participant=participant).count() == 1

    # 7. The person opens the report and downloads the PDF.
    person.goto(f"{base}/o/acme/360/people/{participant.pk}/report/")
    assert person.get_by_role("heading", name=re.compile("360 report")).is_visible()
    assert person.get_by_text("Blind spot").first.is_visible()
    assert person.get_by_text("Comment from a colleague, 2").is_visible()
    with person.expect_download() as download_info:
        person.get_by_role("link", name="Download PDF").click()
    pdf = download_info.value
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) >= 2
    assert "360 report: Acme Employee" in text
    assert "Colleague" in text and "Blind spot" in text
    assert "I explain things clearly." not in text  # the self comment is not among the raters' comments
    for context in (lead_context, person_context, boss_context):
        context.close()
