"""The respondent page in headless Chromium: axe-core finds no serious or critical violations in
Finnish, Swedish and English, and the survey can be answered with the keyboard."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from kohtaamo.feedback.models import Answer, Invitation, Response

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs beside Playwright's event loop

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm install` in the project root"),
]


@pytest.fixture
def page(browser):
    # A phone-sized viewport: the layout is phone first.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.fixture
def invitation_url(transactional_db, live_server, world) -> str:
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        language="fi",
        expires_at=timezone.now() + timedelta(days=7),
    )
    return live_server.url + reverse("respond:invitation", args=[invitation.token])


def serious_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not add_script_tag: the page's CSP refuses inline scripts
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[node['target'] for node in v['nodes']]}" for v in violations
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_respondent_page_has_no_serious_accessibility_violations(page, invitation_url, language):
    page.goto(f"{invitation_url}?lang={language}")
    assert page.get_attribute("html", "lang") == language
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_error_summary_and_thanks_pages_are_accessible(page, invitation_url):
    page.goto(invitation_url)
    # Out-of-range input cannot come from the page itself; forge one the way a broken client would.
    page.eval_on_selector("input[type=radio]", "radio => { radio.value = '99'; radio.checked = true; }")
    page.click("button[type=submit]")
    assert page.locator(".error-summary[role=alert]").is_visible()
    violations = serious_violations(page)
    assert not violations, describe(violations)
    assert Response.objects.get().status == Response.Status.DRAFT


def test_the_survey_can_be_answered_with_the_keyboard(page, invitation_url):
    page.goto(invitation_url)
    first_radio = page.locator("input[type=radio]").first
    # Skip link, three language links, then the first choice of the first question.
    for _ in range(5):
        page.keyboard.press("Tab")
        if first_radio.evaluate("radio => radio === document.activeElement"):
            break
    assert first_radio.evaluate("radio => radio === document.activeElement")
    page.keyboard.press("Space")
    assert first_radio.is_checked()
    page.keyboard.press("ArrowRight")  # radios in a group move and select with the arrows
    second_radio = page.locator("input[type=radio]").nth(1)
    assert second_radio.is_checked()
    # The answer is saved as it is given and the progress tells so.
    page.locator("#progress").get_by_text("1/13 vastattu").wait_for()
    page.wait_for_load_state("networkidle")  # the second choice's save, not only the first
    assert list(Answer.objects.values_list("value", flat=True)) == [1]
    focus_outline = second_radio.evaluate("radio => getComputedStyle(radio.nextElementSibling).outlineStyle")
    assert focus_outline == "solid"  # visible focus on the choice the keyboard is on
