"""The public endpoints: the script a host page loads, and the answer POST with every refusal storing nothing."""

import json
import uuid

import pytest
from django.urls import reverse

from kohtaamo.feedback.models import Answer, Response
from kohtaamo.feedback.responding import response_record
from kohtaamo.feedback.signals import response_submitted
from kohtaamo.organisations.models import Channel
from kohtaamo.security.models import RateCounter
from kohtaamo.widget.answers import MAX_BODY_BYTES
from kohtaamo.widget.models import WidgetAnswer
from kohtaamo.widget.services import widget_update

from .widget_helpers import HOST_ORIGIN, csat_widget


@pytest.fixture
def widget(world):
    return csat_widget(world)


def answer_url(widget) -> str:
    return reverse("widget_public:answer", kwargs={"public_key": widget.public_key})


def post(client, widget, payload, *, origin=HOST_ORIGIN, raw: bytes | None = None, **extra):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"accept-language": "en", **({"origin": origin} if origin else {})}
    return client.generic(
        "POST",
        answer_url(widget),
        body,
        content_type=extra.pop("content_type", "application/json"),
        headers=headers,
        **extra,
    )


def answer(**changes) -> dict:
    return {"key": str(uuid.uuid4()), "value": 4, "comment": "Quick and clear.", "language": "sv", **changes}


def nothing_stored():
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert WidgetAnswer.objects.count() == 0


def test_answer_is_stored_as_a_scored_web_self_service_response(
    client, widget, world, django_capture_on_commit_callbacks
):
    announced = []

    def listener(sender, response_id, **kwargs):
        announced.append(response_id)

    response_submitted.connect(listener)
    payload = answer()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reply = post(client, widget, payload)
    finally:
        response_submitted.disconnect(listener)
    assert reply.status_code == 201, reply.content
    assert reply["Access-Control-Allow-Origin"] == HOST_ORIGIN
    assert "Access-Control-Allow-Credentials" not in reply
    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    assert response.respondent_role == "customer"
    assert response.channel == Channel.WEB
    assert response.touchpoint_id == widget.touchpoint_id
    assert response.unit_id == world.branch.pk
    assert response.round_id == world.programme.pk
    assert response.language == "sv"
    assert str(response.idempotency_key) == payload["key"]
    assert response.csat == 4  # scored like any pulse response
    assert response.has_comment
    assert list(Answer.objects.order_by("question__order").values_list("value", "text")) == [
        (4, ""),
        (None, "Quick and clear."),
    ]
    assert WidgetAnswer.objects.get().origin == HOST_ORIGIN
    assert announced == [response.pk]  # alerts, text analytics and webhooks hear of it like any response


def test_a_retry_with_the_same_key_stores_nothing_twice(client, widget):
    payload = answer(value=5, comment="")
    first = post(client, widget, payload)
    again = post(client, widget, {**payload, "value": 1})  # a retry never changes what was stored
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "already stored"
    assert Response.objects.get().csat == 5
    assert Answer.objects.count() == 1
    assert post(client, widget, answer(value=2)).status_code == 201  # a new key is a new answer
    assert Response.objects.count() == 2


def test_a_key_of_a_response_from_elsewhere_is_refused(client, widget, world):
    existing = response_record(round=world.programme, answers={}, language="fi")
    reply = post(client, widget, answer(key=str(existing.idempotency_key)))
    assert reply.status_code == 409
    assert Response.objects.count() == 1 and WidgetAnswer.objects.count() == 0


@pytest.mark.parametrize("origin", ["https://evil.example", "http://www.acme.example", "null", None])
def test_a_page_from_another_origin_is_refused(client, widget, origin):
    reply = post(client, widget, answer(), origin=origin)
    assert reply.status_code == 403
    assert reply.json()["message"] == "This site may not send answers to this feedback widget."
    assert "Access-Control-Allow-Origin" not in reply
    nothing_stored()


def test_preflight_is_answered_only_for_allowed_origins(client, widget):
    url = answer_url(widget)
    headers = {"origin": HOST_ORIGIN, "access-control-request-method": "POST"}
    ok = client.options(url, headers=headers)
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == HOST_ORIGIN
    assert ok["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert ok["Access-Control-Allow-Headers"] == "Content-Type"
    assert "Access-Control-Allow-Credentials" not in ok
    refused = client.options(url, headers={**headers, "origin": "https://evil.example"})
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused
    nothing_stored()


def test_oversized_body_is_refused(client, widget):
    big = answer(comment="x" * MAX_BODY_BYTES)
    reply = post(client, widget, big)
    assert reply.status_code == 413
    assert reply.json()["message"] == f"The answer is too large (at most {MAX_BODY_BYTES} bytes)."
    assert reply["Access-Control-Allow-Origin"] == HOST_ORIGIN  # the widget can read why
    nothing_stored()


@pytest.mark.parametrize(
    ("raw", "content_type", "message"),
    [
        (b"{not json", "application/json", "The request body is not valid JSON."),
        (b"[1, 2]", "application/json", "The request body must be a JSON object."),
        (b"\xff\xfe", "application/json", "The request body is not valid JSON."),
        (b'{"value": 4}', "text/plain", "Send the answer as JSON (Content-Type: application/json)."),
    ],
)
def test_malformed_body_is_refused_with_400(client, widget, raw, content_type, message):
    reply = post(client, widget, None, raw=raw, content_type=content_type)
    assert reply.status_code == 400
    assert reply.json()["message"] == message
    nothing_stored()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": 6}, "value", "Choose a whole number from 1 to 5."),
        ({"value": 0}, "value", "Choose a whole number from 1 to 5."),
        ({"value": "4"}, "value", "Choose a whole number from 1 to 5."),
        ({"value": 4.0}, "value", "Choose a whole number from 1 to 5."),
        ({"value": True}, "value", "Choose a whole number from 1 to 5."),
        ({"value": None}, "value", "Choose a whole number from 1 to 5."),
        ({"key": "not-a-uuid"}, "key", None),
        ({"key": None}, "key", None),
        ({"comment": 12}, "comment", "The comment must be text."),
        ({"comment": "a" * 1001}, "comment", "Keep the comment to at most 1000 characters."),
        ({"comment": "nul\x00byte"}, "comment", "The comment contains characters that are not allowed."),
        ({"language": "de"}, "language", "Use one of: fi, sv, en."),
        ({"extra": 1}, "extra", "Unknown field."),
    ],
)
def test_invalid_fields_are_refused_with_422(client, widget, changes, field, message):
    reply = post(client, widget, answer(**changes))
    assert reply.status_code == 422
    body = reply.json()
    assert body["message"] == "The answer was not stored. Correct the fields listed."
    [error] = body["errors"]
    assert error["field"] == field
    if message:
        assert error["message"] == message
    nothing_stored()


def test_a_comment_is_refused_when_the_widget_does_not_ask_one(client, widget):
    widget_update(widget=widget, ask_comment=False)
    reply = post(client, widget, answer())
    assert reply.status_code == 422
    assert reply.json()["errors"] == [{"field": "comment", "message": "This widget does not ask for a comment."}]
    nothing_stored()
    assert post(client, widget, answer(comment="")).status_code == 201


def test_a_switched_off_widget_or_paused_programme_takes_nothing(client, widget, world):
    widget_update(widget=widget, active=False)
    reply = post(client, widget, answer())
    assert reply.status_code == 403 and reply.json()["message"] == "This feedback prompt is switched off."
    widget_update(widget=widget, active=True)
    world.programme.active = False
    world.programme.save()
    assert post(client, widget, answer()).status_code == 403
    nothing_stored()


def test_unknown_widget_and_wrong_method(client, widget):
    missing = client.post("/widget/no-such-key/answers", b"{}", content_type="application/json")
    assert missing.status_code == 404
    get = client.get(answer_url(widget), headers={"origin": HOST_ORIGIN})
    assert get.status_code == 405 and get["Allow"] == "POST, OPTIONS"
    nothing_stored()


@pytest.fixture
def clock(monkeypatch):
    """The rate counters' clock, 450 s into a 600 s window."""
    from types import SimpleNamespace

    from kohtaamo.security import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 600 * 2_000_000 + 450.0))


def test_flood_from_one_address_gets_429(client, widget, settings, clock):
    settings.KOHTAAMO_WIDGET_RATE_LIMITS = {"address": (3, 600)}
    codes = [post(client, widget, answer()).status_code for _ in range(3)]
    flood = post(client, widget, answer())
    assert codes == [201, 201, 201]
    # Retry-After is what is left of the window, not the window's length.
    assert flood.status_code == 429 and flood["Retry-After"] == "150"
    assert flood.json()["message"] == "Too many answers. Please wait a moment and try again."
    assert Response.objects.count() == 3
    other_address = post(client, widget, answer(), REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 201


def test_flood_on_one_widget_from_many_addresses_gets_429(client, widget, settings):
    settings.KOHTAAMO_WIDGET_RATE_LIMITS = {"widget": (2, 600)}
    codes = [post(client, widget, answer(), REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    assert Response.objects.count() == 2
    assert RateCounter.objects.exists()


def test_other_sites_cannot_spend_the_widgets_budget(client, widget, settings, clock):
    settings.KOHTAAMO_WIDGET_RATE_LIMITS = {"widget": (2, 600)}
    refused = [
        post(client, widget, answer(), origin="https://evil.example", REMOTE_ADDR=f"10.0.1.{i}").status_code
        for i in range(5)
    ]
    assert refused == [403] * 5
    widget_update(widget=widget, active=False)
    assert post(client, widget, answer(), REMOTE_ADDR="10.0.2.1").status_code == 403
    widget_update(widget=widget, active=True)
    # The real visitors still have the widget's whole budget.
    codes = [post(client, widget, answer(), REMOTE_ADDR=f"10.0.3.{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    assert Response.objects.count() == 2


def test_refused_requests_still_count_for_their_address(client, widget, settings, clock):
    settings.KOHTAAMO_WIDGET_RATE_LIMITS = {"address": (3, 600)}
    codes = [post(client, widget, answer(), origin="https://evil.example").status_code for _ in range(4)]
    assert codes == [403, 403, 403, 429]
    flood = post(client, widget, answer())
    assert flood.status_code == 429 and flood["Retry-After"] == "150"
    assert post(client, widget, answer(), REMOTE_ADDR="10.0.0.9").status_code == 201
    assert Response.objects.count() == 1


def test_csrf_is_not_required(widget):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, widget, answer()).status_code == 201


def test_answer_post_query_count(client, widget, django_assert_max_num_queries):
    post(client, widget, answer())  # warm caches (content types, translations)
    # Most of these are the shared durable write: response, answers, scoring and the analytics roll-up.
    with django_assert_max_num_queries(40):
        assert post(client, widget, answer()).status_code == 201
    with django_assert_max_num_queries(10):
        assert post(client, widget, answer(value=9)).status_code == 422


# --- the script ------------------------------------------------------------------------------------


def script(client, widget, query=""):
    return client.get(reverse("widget_public:script", kwargs={"public_key": widget.public_key}) + query)


def config_of(source: str) -> dict:
    start = source.index("var CONFIG = ") + len("var CONFIG = ")
    return json.loads(source[start : source.index(";\n", start)])


def test_script_carries_the_questions_in_three_languages(client, widget, settings, django_assert_max_num_queries):
    settings.KOHTAAMO_BASE_URL = "https://kohtaamo.example"
    with django_assert_max_num_queries(3):
        reply = script(client, widget)
    assert reply.status_code == 200
    assert reply["Content-Type"] == "text/javascript; charset=utf-8"
    assert reply["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in reply
    source = reply.content.decode()
    config = config_of(source)
    assert config["key"] == widget.public_key
    assert config["endpoint"] == f"https://kohtaamo.example/widget/{widget.public_key}/answers"
    assert config["origins"] == [HOST_ORIGIN]
    assert config["capDays"] == 30 and config["showCapDays"] == 7 and config["preview"] is False
    assert (config["question"]["min"], config["question"]["max"]) == (1, 5)
    assert set(config["question"]["texts"]) == {"fi", "sv", "en"}
    assert config["question"]["labels"]["en"]["5"] == "Very satisfied"
    assert config["comment"]["maxLength"] == 1000
    assert config["texts"]["en"]["send"] == "Send"
    # Nothing reaches out: no other host, no cookies, no global names.
    code = source.replace(json.dumps(config, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E"), "")
    assert "var CONFIG = ;" in code  # the whole configuration was cut out, only code is left
    assert "document.cookie" not in code and "http" not in code
    assert source.lstrip().startswith("/*") and source.rstrip().endswith("})();")


def test_script_texts_cannot_close_a_script_tag(client, widget):
    question = widget.round.questionnaire.questions.get(item=widget.item)
    question.texts = {**question.texts, "en": "</script><script>alert(1)</script>"}
    question.save()
    source = script(client, widget).content.decode()
    assert "</script>" not in source
    assert config_of(source)["question"]["texts"]["en"] == "</script><script>alert(1)</script>"


def test_script_is_silent_when_off_unknown_or_question_gone(client, widget):
    widget_update(widget=widget, active=False)
    off = script(client, widget)
    assert off.status_code == 200 and "CONFIG" not in off.content.decode()
    preview = script(client, widget, "?preview=1")  # the settings page still shows what it would look like
    assert config_of(preview.content.decode())["preview"] is True
    unknown = client.get("/widget/nope.js")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("text/javascript")
    widget_update(widget=widget, active=True, item=widget.round.questionnaire.questions.first().item)
    widget.round.questionnaire.questions.filter(item=widget.item).delete()
    assert "CONFIG" not in script(client, widget).content.decode()
