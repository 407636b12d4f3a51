"""The widget in headless Chromium, embedded in pages served from other loopback origins than Kohtaamo's."""

import json
import os
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kohtaamo.feedback.models import Response
from kohtaamo.widget.models import WidgetAnswer

from .widget_helpers import csat_widget

pytestmark = pytest.mark.browser
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DAY_MS = 86_400_000
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
# The host page's own behaviour, and its global names before any widget script runs.
HOST_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Online bank help</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Online bank help</h1>
<button id="own" type="button">Count</button> <output id="count">0</output>
<script>
  window.globalsBefore = Object.keys(window).concat(["globalsBefore"]);
  document.getElementById("own").addEventListener("click", function () {{
    var out = document.getElementById("count"); out.textContent = String(Number(out.textContent) + 1);
  }});
</script>
<script src="{src}" async></script>
</body></html>"""


class HostSite:
    """A small web server on its own loopback port: the organisation's own pages."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's hook name
                body = pages.get(self.path, "not found").encode()
                self.send_response(200 if self.path in pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, *, src: str, lang: str = "en") -> str:
        self.pages[path] = HOST_PAGE.format(src=src, lang=lang)
        return self.origin + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    host = HostSite()
    yield host
    host.close()


@pytest.fixture
def other_site():
    host = HostSite()
    yield host
    host.close()


@pytest.fixture
def embedded(transactional_db, live_server, world, site, settings):
    settings.KOHTAAMO_BASE_URL = live_server.url
    widget = csat_widget(world, origins=[site.origin])
    return widget, f"{live_server.url}/widget/{widget.public_key}.js"


def prompt(page):
    return page.locator("[data-kohtaamo-widget] section[role=region]")


def days_ago(page, key: str, **events: int) -> None:
    """Make this browser remember the prompt's events (shown, closed) as that many days ago."""
    page.evaluate(
        """([key, events, day]) => localStorage.setItem(key, JSON.stringify(Object.fromEntries(
            Object.entries(events).map(([event, days]) => [event, Date.now() - days * day]))))""",
        [key, events, DAY_MS],
    )


def own_content_works(page) -> None:
    page.click("#own")
    page.click("#own")
    assert page.text_content("#count") == "2"


def test_customer_answers_on_a_phone_and_the_dashboard_counts_it(browser, embedded, site, live_server, world):
    widget, src = embedded
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sent = []
    page.on("request", lambda request: sent.append(request) if "/answers" in request.url else None)

    # The first POST is stored but its reply is lost on the way back: the customer's retry stores nothing twice.
    lost = {"count": 0}

    def lose_first_reply(route):
        if route.request.method == "POST" and lost["count"] == 0:
            lost["count"] += 1
            route.fetch()  # Kohtaamo stores the answer ...
            route.fulfill(status=502, body="Bad gateway")  # ... and a proxy loses the reply

            return
        route.continue_()

    page.route(re.compile(r".*/answers$"), lose_first_reply)
    page.goto(site.page("/help", src=src))
    region = prompt(page)
    region.wait_for()
    assert region.get_attribute("lang") == "en"
    assert region.get_attribute("aria-label") == "Feedback"
    legend = region.locator("legend")
    assert legend.text_content() == "Overall, how satisfied were you with the service you received?"
    own_content_works(page)  # the page stays usable under the prompt
    region.get_by_role("radio", name="4 – Satisfied").check()
    region.get_by_label(re.compile(r"What would you like to tell us.*\(optional\)")).fill("Clear instructions.")
    region.get_by_role("button", name="Send").click()
    region.get_by_text("Sending failed. Please try again in a moment.").wait_for()
    assert Response.objects.count() == 1  # the server had stored it
    region.get_by_role("button", name="Send").click()
    thanks = region.get_by_text("Thank you for your feedback!")
    thanks.wait_for()
    assert page.evaluate("document.activeElement.tagName") == "DIV"  # focus went into the prompt's shadow host
    posts = [r for r in sent if r.method == "POST"]
    assert len(posts) == 2 and json.loads(posts[0].post_data)["key"] == json.loads(posts[1].post_data)["key"]
    assert all("cookie" not in post.all_headers() for post in posts)  # credentials are never sent

    response = Response.objects.get()
    assert (response.csat, response.channel, response.touchpoint_id) == (4, "web", widget.touchpoint_id)
    assert response.respondent_role == "customer" and response.language == "en"
    assert WidgetAnswer.objects.get().origin == site.origin
    # No global names leaked, no cookies set, the frequency cap remembered in localStorage only.
    assert page.evaluate("Object.keys(window).filter(k => !window.globalsBefore.includes(k))") == []
    assert page.evaluate("document.cookie") == ""
    assert context.cookies(site.origin) == []
    page.reload()
    page.wait_for_load_state("load")
    assert prompt(page).count() == 0
    context.close()

    # The manager sees the answer on the dashboard for the web self-service channel.
    staff_context = browser.new_context(locale="en-GB")
    staff = staff_context.new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.fill("#id_username", world.cx_lead.username)
    staff.fill("#id_password", "pw-acme")
    staff.click("button[type=submit]")
    staff.wait_for_load_state()
    staff.goto(f"{live_server.url}/o/acme/?channel=web&period=30")
    tile = staff.locator(".tile[data-metric=csat]")
    assert tile.locator(".figure-n").text_content().strip() == "n = 1"
    assert tile.locator(".figure-value").text_content().strip().startswith("100")

    # The settings page previews the prompt inline; answering the preview stores nothing.
    staff.goto(f"{live_server.url}/o/acme/widget/{widget.pk}/")
    preview = staff.locator("#kohtaamo-widget-preview section[role=region]")
    preview.get_by_role("radio", name="5 – Very satisfied").check()
    preview.get_by_role("button", name="Send").click()
    preview.get_by_text("Thank you for your feedback!").wait_for()
    staff_context.close()
    assert Response.objects.count() == 1


def test_keyboard_swedish_and_dismiss(browser, embedded, site):
    widget, src = embedded
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.page("/sv", src=src, lang="sv-FI"))
    region = prompt(page)
    region.wait_for()
    assert region.get_attribute("lang") == "sv"
    swedish = widget.round.questionnaire.questions.get(item=widget.item).texts["sv"]
    assert region.locator("legend").text_content() == swedish  # item wording is data, in the page's language
    # Keyboard only: tab into the scale, choose with the arrow keys, write, send with Enter.
    page.focus("#own")
    page.keyboard.press("Tab")  # the close button
    page.keyboard.press("Tab")  # the first scale option
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    checked = region.locator("input[name=value]:checked")
    assert checked.get_attribute("value") == "3"
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Tydligt.")
    page.keyboard.press("Tab")  # send
    page.keyboard.press("Enter")
    region.locator(".thanks").wait_for()
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.className") == "thanks"
    response = Response.objects.get()
    assert (response.csat, response.language) == (3, "sv")
    assert response.answers.exclude(text="").get().text == "Tydligt."
    # Closing with Escape (a new browser profile): not shown again until the cap runs out.
    page.evaluate("localStorage.clear()")
    page.reload()
    prompt(page).wait_for()
    page.focus("#own")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert prompt(page).count() == 0
    stored = page.evaluate("Object.keys(localStorage)")
    assert stored == [f"kohtaamo-widget:{widget.public_key}"]
    page.reload()
    page.wait_for_load_state("load")
    assert prompt(page).count() == 0
    # Ten days later it is still closed (the cap after closing is 30 days, longer than the 7 after a showing).
    key = f"kohtaamo-widget:{widget.public_key}"
    seen = page.evaluate(f"JSON.parse(localStorage.getItem('{key}'))")
    assert set(seen) == {"shown", "closed"}
    days_ago(page, key, shown=10, closed=10)
    page.reload()
    page.wait_for_load_state("load")
    assert prompt(page).count() == 0
    # When the cap has run out, the prompt comes back.
    days_ago(page, key, shown=31, closed=31)
    page.reload()
    prompt(page).wait_for()
    context.close()
    assert Response.objects.count() == 1


def test_an_ignored_prompt_is_not_shown_again_within_the_cap(browser, embedded, site):
    widget, src = embedded
    key = f"kohtaamo-widget:{widget.public_key}"
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.page("/ignored", src=src))
    prompt(page).wait_for()
    seen = page.evaluate(f"JSON.parse(localStorage.getItem('{key}'))")
    assert list(seen) == ["shown"]  # the showing itself is remembered, not only an answer or a dismissal
    # The visitor ignores it and reloads, then opens another page of the same site: no prompt either time.
    page.reload()
    page.wait_for_load_state("load")
    assert prompt(page).count() == 0
    page.goto(site.page("/ignored-too", src=src))
    page.wait_for_load_state("load")
    assert prompt(page).count() == 0
    own_content_works(page)
    # Six days after the showing still nothing; after the widget's 7 days it is shown once more.
    days_ago(page, key, shown=6)
    page.reload()
    page.wait_for_load_state("load")
    assert prompt(page).count() == 0
    days_ago(page, key, shown=8)
    page.reload()
    prompt(page).wait_for()
    assert page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).shown") > page.evaluate("Date.now()") - 60000
    context.close()
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "init",
    [
        "Navigator.prototype, 'doNotTrack', {get: () => '1'}",
        "Navigator.prototype, 'globalPrivacyControl', {get: () => true}",
    ],
)
def test_do_not_track_shows_and_sends_nothing(browser, embedded, site, init):
    widget, src = embedded
    context = browser.new_context()
    context.add_init_script(f"Object.defineProperty({init});")
    page = context.new_page()
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/answers" in request.url else None)
    page.goto(site.page("/dnt", src=src))
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert prompt(page).count() == 0 and sent == []
    assert page.evaluate("Object.keys(localStorage)") == []
    own_content_works(page)
    context.close()


def test_a_page_from_another_origin_is_refused(browser, embedded, other_site):
    widget, src = embedded
    context = browser.new_context()
    page = context.new_page()
    page.goto(other_site.page("/copied", src=src))
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert prompt(page).count() == 0  # the script knows the page is not allowed and asks nothing
    own_content_works(page)
    # A script on that page posting anyway: the preflight is refused, so is a "no-cors" post.
    endpoint = src.replace(".js", "/answers")
    outcome = page.evaluate(
        """async (url) => {
            const body = JSON.stringify({key: crypto.randomUUID(), value: 5});
            let cors;
            const headers = {"Content-Type": "application/json"};
            try { await fetch(url, {method: "POST", headers, body}); cors = "sent"; } catch (e) { cors = "blocked"; }
            const plain = await fetch(url, {method: "POST", mode: "no-cors", body});
            return [cors, plain.type];
        }""",
        endpoint,
    )
    assert outcome == ["blocked", "opaque"]
    assert Response.objects.count() == 0 and WidgetAnswer.objects.count() == 0
    context.close()


def test_host_page_works_when_kohtaamo_is_down_or_hangs(browser, site):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    hanging = socket.socket()  # accepts connections, never answers
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(8)
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(site.page("/down", src=f"http://127.0.0.1:{dead}/widget/abc.js"))
    page.wait_for_load_state("load")
    own_content_works(page)
    page.goto(
        site.page("/slow", src=f"http://127.0.0.1:{hanging.getsockname()[1]}/widget/abc.js"),
        wait_until="domcontentloaded",
    )
    own_content_works(page)
    assert prompt(page).count() == 0 and errors == []
    context.close()
    hanging.close()
