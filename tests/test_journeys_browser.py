"""In headless Chromium: build a small service path in the editor, import encounters and responses,
see the live map colour the planted weak touchpoint red and name it, and download the PDF."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kohtaamo.feedback.models import Encounter
from kohtaamo.feedback.responding import response_record
from kohtaamo.organisations.models import ServicePath, Touchpoint

from .journeys_support import pulse_questions
from .test_end_to_end import log_in

pytestmark = pytest.mark.browser


def _encounters_csv(when) -> str:
    lines = ["external_id,occurred_at,unit,channel,touchpoint,customer_id"]
    for c in range(12):
        for step, (code, channel) in enumerate((("WEB", "web"), ("BRANCH", "face_to_face"), ("CALL", "phone"))):
            moment = (when + timedelta(hours=step)).strftime("%Y-%m-%dT%H:%M:%S")
            lines.append(f"ENC-{c}-{code},{moment},Acme Centre team,{channel},{code},CUST-{c}")
    return "\n".join(lines) + "\n"


def _add_touchpoint(page, stage: str, name: str, code: str, channel: str) -> None:
    form = page.locator("#touchpoint-form")
    form.locator("select[name=touchpoint-stage]").select_option(label=stage)
    form.locator("input[name=touchpoint-name]").fill(name)
    form.locator("input[name=touchpoint-code]").fill(code)
    form.locator("select[name=touchpoint-channel]").select_option(channel)
    form.locator("textarea[name=touchpoint-customer_value]").fill(f"{name} should be quick")
    form.get_by_role("button", name="Add touchpoint").click()
    page.wait_for_load_state()


def test_build_path_import_and_see_the_weak_touchpoint(transactional_db, live_server, world, browser, tmp_path):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    log_in(page, base, world.cx_lead.username, "pw-acme")

    # 1. Build the path in the editor.
    page.goto(f"{base}/o/acme/journeys/")
    page.get_by_label("Name").fill("Mortgage")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/edit/")
    for stage in ("Interest", "Meeting"):
        page.locator("#stage-form input[name=stage-name]").fill(stage)
        page.get_by_role("button", name="Add stage").click()
        page.wait_for_load_state()
    _add_touchpoint(page, "Interest", "Web form", "WEB", "web")
    _add_touchpoint(page, "Meeting", "Aftercare call", "CALL", "phone")
    _add_touchpoint(page, "Meeting", "Branch visit", "BRANCH", "face_to_face")
    # Keyboard alternative: move the branch visit before the call.
    page.get_by_role("button", name="Move touchpoint Branch visit up").click()
    page.wait_for_load_state()
    # Drag and drop: drag the Meeting stage before Interest (posted with htmx), then back with the button.
    with page.expect_response(lambda r: "stages-reorder" in r.url) as reordered:
        page.locator(".editor-stage h2", has_text="Meeting").drag_to(
            page.locator(".editor-stage h2", has_text="Interest"), target_position={"x": 4, "y": 4}
        )
    assert reordered.value.ok
    path = ServicePath.objects.get(name="Mortgage")
    assert list(path.stages.order_by("order").values_list("name", flat=True)) == ["Meeting", "Interest"]
    page.get_by_role("button", name="Move stage Interest earlier").click()
    page.wait_for_load_state()
    assert list(path.stages.order_by("order").values_list("name", flat=True)) == ["Interest", "Meeting"]
    meeting = path.stages.get(name="Meeting")
    assert list(meeting.touchpoints.order_by("order").values_list("code", flat=True)) == ["BRANCH", "CALL"]

    # 2. Import encounters through the upload page, then their responses.
    page.goto(f"{base}/o/acme/feedback/")
    csv_file = Path(tmp_path) / "encounters.csv"
    csv_file.write_text(_encounters_csv(timezone.localtime() - timedelta(days=2)), encoding="utf-8")
    page.set_input_files("input[type=file][name=file]", str(csv_file))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state()
    assert Encounter.objects.filter(touchpoint__stage__service_path=path).count() == 36
    questions = pulse_questions(world.programme)
    call = Touchpoint.objects.get(code="CALL")
    for encounter in Encounter.objects.filter(touchpoint__stage__service_path=path):
        weak = encounter.touchpoint_id == call.pk
        response_record(
            round=world.programme,
            answers={
                questions["nps"]: 4 if weak else 9,
                questions["csat"]: 2 if weak else 5,
                questions["emotion"]: 2 if weak else 4,
            },
            language="en",
            submitted_at=encounter.occurred_at + timedelta(hours=1),
            encounter=encounter,
        )

    # 3. The live map colours the weak touchpoint red and names it as the lowest.
    page.goto(f"{base}/o/acme/journeys/{path.pk}/")
    card = page.locator(f".tp-card[data-touchpoint='{call.pk}']")
    assert "score-red" in card.get_attribute("class")
    assert "Lowest-scoring" in card.inner_text()
    assert page.locator("#lowest li").first.inner_text().startswith("Aftercare call")
    assert "score-green" in page.locator(".tp-card", has_text="Branch visit").get_attribute("class")
    assert card.get_attribute("href").endswith(f"/o/acme/results/responses/?touchpoint={call.pk}")

    # 4. Download the PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mortgage" in text and "Aftercare call" in text
    context.close()
