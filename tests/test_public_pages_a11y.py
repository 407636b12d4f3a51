"""Public pages other than the survey — the self-test quiz and the follow-up contact page — have no
serious or critical axe-core violations in any language."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from kohtaamo.feedback.models import Invitation

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm install` in the project root"),
]


def serious_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not add_script_tag: the page's CSP refuses inline scripts
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_self_test_and_contact_pages(transactional_db, live_server, world, browser, language):
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        language=language,
        expires_at=timezone.now() + timedelta(days=3),
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=language)
    page = context.new_page()
    for path in ("/self-test/", f"/followup/contact/{invitation.token}/"):
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == language, path
        assert serious_violations(page) == [], path
    context.close()
