import os
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
import pytest
from playwright.sync_api import sync_playwright
from tests.test_dashboard import build_sample

@pytest.mark.django_db(transaction=True)
def test_browser(live_server, world):
    build_sample(world)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run","--disable-quic"])
        page = b.new_page(viewport={"width": 1280, "height": 2400})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "acme-admin"); page.fill("input[name=password]", "pw-acme")
        page.click("button[type=submit]")
        page.goto(live_server.url + f"/o/acme/?unit={world.region.pk}&by=unit")
        page.wait_for_selector(".plotly-graph-div .main-svg")
        page.screenshot(path="/tmp/dash.png", full_page=True)
        page.select_option("#id_by", "channel")
        page.wait_for_timeout(1500)
        print("URL after htmx", page.url, page.locator("#breakdown-heading").inner_text())
        print("plots", page.locator(".plotly-graph-div .main-svg").count())
        page.screenshot(path="/tmp/dash2.png", full_page=True)
        print("ERRORS", errors)
        b.close()
