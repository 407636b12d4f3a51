"""Key pages in headless Chromium under the real Content-Security-Policy: charts draw (their scripts
carry the nonce), htmx swaps keep working, and not one violation is reported."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kohtaamo.assessments.releasing import report_release
from kohtaamo.feedback.models import Invitation

from .assessments_helpers import COLLEAGUE, CUSTOMER, SELF, SUPERVISOR, answer, approved_participant, make_round, people
from .mystery_helpers import accepted_assignment, scenario_build, shopper_build, wave_build
from .test_dashboard import build_sample
from .test_end_to_end import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser


def _released_360(world):
    boss = world.person.__class__.objects.create(
        organisation=world.organisation, unit=world.team, name="Boss", email="boss@example.org"
    )
    world.person.supervisor = boss
    world.person.email = "employee@example.org"
    world.person.save()
    assessment = make_round(world, subjects=[world.person])
    participant = approved_participant(world, world.person, people(world, 3), customers=["c1@example.org"])
    from kohtaamo.assessments import services

    services.raters_invite(assessment=assessment)
    for role, value in ((SELF, 5), (SUPERVISOR, 3), (COLLEAGUE, 4), (CUSTOMER, 4)):
        for rater in participant.raters.filter(role=role):
            answer(rater, value)
    report_release(participant=participant)
    return participant


def _visit(page, browser, url: str, ready: str) -> None:
    page.goto(url)
    page.locator(ready).first.wait_for()
    page.wait_for_load_state("networkidle")
    assert browser.violations.take() == [], url


def test_key_pages_run_under_the_policy_without_violations(transactional_db, live_server, world, browser, mailbox):
    base = f"{live_server.url}/o/{world.organisation.slug}"
    build_sample(world)
    participant = _released_360(world)
    scenario, _items = scenario_build(world.organisation)
    shopper = shopper_build(world.organisation, "Sanna")
    assignment = accepted_assignment(wave_build(world.organisation, scenario), world.branch, shopper)
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        language="en",
        expires_at=timezone.now() + timedelta(days=7),
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server.url, world.cx_lead.username, "pw-acme")
    # Dashboard: the Plotly charts draw, so their inline scripts ran with the nonce.
    _visit(page, browser, f"{base}/", ".plotly-graph-div .main-svg")
    assert page.locator(".plotly-graph-div .main-svg").count() >= 2
    # A filter swaps the results in with htmx; the swapped chart's script runs too.
    page.locator("#results .plotly-graph-div").first.evaluate("div => div.setAttribute('data-old', '1')")
    page.select_option("select[name=channel]", index=1)
    page.wait_for_function("() => !document.querySelector('#results .plotly-graph-div[data-old]')")
    page.locator("#results .plotly-graph-div .main-svg").first.wait_for()
    assert browser.violations.take() == []
    # The language switch submits by itself (a static script instead of an onchange attribute).
    page.select_option("#lang-select", "sv")
    page.wait_for_function("() => document.documentElement.lang === 'sv'")
    page.select_option("#lang-select", "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    _visit(page, browser, f"{base}/journeys/", "main")
    path_link = page.locator("main a[href*='/journeys/']").first
    path_link.click()
    page.wait_for_load_state("networkidle")
    assert browser.violations.take() == []
    _visit(page, browser, f"{base}/360/people/{participant.pk}/report/", "main svg")
    _visit(page, browser, f"{live_server.url}/api/v1/docs", "#swagger-ui .opblock")  # the API's own docs page
    context.close()

    shop_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    shop = shop_context.new_page()
    log_in(shop, live_server.url, shopper.user.username, "pw-shopper-Sanna")
    _visit(shop, browser, f"{base}/mystery/shop/{assignment.pk}/", "#report-form")
    shop.check("input[value=yes] >> nth=0")
    shop.get_by_text("Draft saved").wait_for()  # the autosave script (a static file now) ran
    assert browser.violations.take() == []
    shop_context.close()

    respondent_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    respondent = respondent_context.new_page()
    _visit(respondent, browser, f"{live_server.url}/r/{invitation.token}/", "fieldset.question")
    respondent.locator("fieldset.question input[type=radio]").first.check()
    respondent.locator("#progress").get_by_text(re.compile(r"\b1 ?/ ?\d+")).wait_for()  # saved with htmx
    respondent.wait_for_load_state("networkidle")
    assert browser.violations.take() == []
    respondent_context.close()  # nothing in flight when the test database is flushed
