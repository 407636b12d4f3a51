"""The whole mystery-shopping loop in headless Chromium: scenario and wave are set up, a visit is
assigned, the shopper reports on a phone with a photo, QA returns it once, the shopper fixes it,
QA approves, and the location report shows the visit."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from kohtaamo.instruments.models import Dimension
from kohtaamo.mystery.models import Assignment, Correction, Report

from .mystery_helpers import png_bytes
from .test_end_to_end import log_in

pytestmark = pytest.mark.browser


def test_scenario_to_location_report(transactional_db, live_server, world, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = f"{live_server.url}/o/acme/mystery"
    today = timezone.localdate()
    listening = Dimension.objects.filter(group=Dimension.Group.ELEMENT).order_by("order").first()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    lead = desk.new_page()
    lead.set_extra_http_headers({"accept-language": "en"})
    log_in(lead, live_server.url, world.cx_lead.username, "pw-acme")

    # 1. Notice to employees, scenario with a section and two items, a shopper, a wave with one visit.
    lead.goto(f"{base}/notice/")
    lead.fill("#id_announced_on", (today - dt.timedelta(days=30)).isoformat())
    lead.fill("#id_text", "Mystery shoppers will visit our branches this autumn.")
    lead.click("form.card button[type=submit]")
    lead.goto(f"{base}/scenarios/new/")
    lead.fill("#id_name", "Loan enquiry")
    lead.check("#id_require_media")
    lead.click("form.card button[type=submit]")
    lead.fill("#id_section-title", "Greeting")
    lead.click("button[name=add_section]")
    for text, kind, weight in (("Greeted within a minute", "yes_no", "2"), ("Offered a name card", "yes_no_na", "1")):
        lead.fill("#id_item-text", text)
        lead.select_option("#id_item-kind", kind)
        lead.fill("#id_item-weight", weight)
        lead.select_option("#id_item-dimension", str(listening.pk))
        lead.click("button[name=add_item]")
    assert lead.locator("table tbody tr").count() == 2
    lead.goto(f"{base}/shoppers/")
    lead.fill("#id_name", "Sanna Shopper")
    lead.fill("#id_username", "sanna")
    lead.fill("#id_email", "sanna@shoppers.example.org")
    lead.fill("#id_password", "pw-shopper-sanna")
    lead.select_option("#id_regions", [str(world.region.pk)])
    lead.click("form.card button[type=submit]")
    lead.goto(f"{base}/waves/new/")
    lead.select_option("#id_scenario", label="Loan enquiry v1")
    lead.fill("#id_name", "Autumn")
    lead.fill("#id_starts_on", (today - dt.timedelta(days=10)).isoformat())
    lead.fill("#id_ends_on", (today + dt.timedelta(days=10)).isoformat())
    lead.fill("#id_fee", "45")
    lead.click("form.card button[type=submit]")
    lead.select_option("#id_plan-units", [str(world.branch.pk)])
    lead.select_option("#id_plan-channel", "face_to_face")
    lead.click("button[name=plan]")
    lead.click("button[name=auto_assign]")
    assert "Sanna Shopper" in lead.locator("#assignments").inner_text()
    assignment = Assignment.objects.get()
    assert assignment.status == Assignment.Status.OFFERED

    # 2. The shopper accepts and reports on a phone, with a photo; the form saves drafts as it goes.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    shop = phone.new_page()
    shop.set_extra_http_headers({"accept-language": "en"})
    log_in(shop, live_server.url, "sanna", "pw-shopper-sanna")
    shop.goto(f"{base}/")
    assert shop.url.endswith("/mystery/shop/")
    shop.click("button[value=accept]")
    visited = (today - dt.timedelta(days=1)).isoformat()
    shop.fill("#id_visit_started_at", f"{visited}T10:00")
    shop.fill("#id_visit_ended_at", f"{visited}T10:25")
    shop.fill("#id_waiting_minutes", "30")  # longer than the visit: caught on submit
    items = assignment.wave.scenario.sections.get().items.order_by("order")
    shop.check(f"input[name=item-{items[0].pk}][value=yes]")
    shop.check(f"input[name=item-{items[1].pk}][value=na]")
    shop.get_by_text("Draft saved").wait_for()
    photo = tmp_path / "counter.png"
    photo.write_bytes(png_bytes())
    shop.set_input_files("#id_file", str(photo))
    shop.click("#upload button[type=submit]")
    assert shop.locator(".evidence img").count() == 1
    assert shop.is_checked(f"input[name=item-{items[1].pk}][value=na]")  # the autosaved draft survived the upload
    assert shop.evaluate("document.querySelector('main').scrollWidth") <= 390  # the report fits the phone
    shop.click("button[value=submit]")
    assert shop.get_by_text("The waiting time is longer than the whole visit.").is_visible()
    shop.fill("#id_waiting_minutes", "4")
    shop.click("button[value=submit]")
    shop.wait_for_url(re.compile(r"/mystery/shop/$"))
    report = Report.objects.get()
    assert report.status == Report.Status.SUBMITTED and report.score == 100.0

    # 3. QA returns it once with a comment.
    lead.goto(f"{base}/qa/")
    lead.click(f"a[href$='/qa/{report.pk}/']")
    lead.fill("#comment", "Please describe in the narrative how you were greeted.")
    lead.click("button[value=return]")
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED

    # 4. The shopper sees the comment, fixes the report and submits again.
    shop.reload()
    shop.click("text=Fix the report")
    assert shop.get_by_text("Please describe in the narrative").is_visible()
    shop.fill("#id_notes", "Greeted at the door by a smiling adviser within thirty seconds.")
    shop.click("button[value=submit]")
    shop.wait_for_url(re.compile(r"/mystery/shop/$"))
    phone.close()

    # 5. QA corrects one answer (kept in the audit trail) and approves.
    lead.goto(f"{base}/qa/{report.pk}/")
    lead.check(f"input[name=item-{items[0].pk}][value=no]")
    lead.fill("#reason", "The recording shows a two-minute wait")
    lead.click("button[value=correct]")
    assert Correction.objects.filter(report=report, old_value="yes", new_value="no").exists()
    lead.click("button[value=approve]")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.score == 0.0

    # 6. The location report shows the visit with n = 1 and its evidence.
    lead.goto(f"{base}/reports/")
    row = lead.locator(f"#locations tr[data-unit='{world.branch.pk}']")
    assert re.search(r"0\.0\s*\(n = 1", row.inner_text())
    lead.locator("#visits tbody tr a").first.click()
    assert lead.locator(".evidence img").count() == 1
    assert lead.get_by_text("Greeted at the door").is_visible()
    desk.close()
