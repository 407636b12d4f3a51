"""Managers' widget pages: creating, validating, editing, the snippet and preview, roles and tenants."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from kohtaamo.demo.widget import seed_widget
from kohtaamo.feedback.models import Response
from kohtaamo.instruments.models import Item
from kohtaamo.organisations.models import Channel, ServicePath, Stage, Touchpoint
from kohtaamo.widget.models import Widget, WidgetAnswer
from kohtaamo.widget.origins import origin_clean

from .widget_helpers import HOST_ORIGIN, csat_widget, web_touchpoint

EN = {"accept-language": "en"}


def index_url(world) -> str:
    return reverse("widget:index", kwargs={"org": world.organisation.slug})


def detail_url(widget) -> str:
    return reverse("widget:detail", kwargs={"org": widget.organisation.slug, "widget_id": widget.pk})


def create_form(touchpoint, **changes) -> dict:
    return {
        "touchpoint": touchpoint.pk,
        "item": Item.objects.get(code="csat_1").pk,
        "ask_comment": "on",
        "allowed_origins": "https://www.acme.example/\nhttp://localhost:8080, https://WWW.ACME.example:443",
        "frequency_cap_days": "14",
        "show_cap_days": "3",
        "active": "on",
        **changes,
    }


def test_cx_lead_creates_a_widget_and_sees_the_snippet(client, world, settings, django_assert_max_num_queries):
    settings.KOHTAAMO_BASE_URL = "https://kohtaamo.example"
    touchpoint = web_touchpoint(world)
    client.force_login(world.cx_lead)
    page = client.get(index_url(world), headers=EN)
    assert page.status_code == 200
    # Only web self-service touchpoints can have a widget (its answers count for that channel).
    choices = [tp.pk for tp in page.context["form"].fields["touchpoint"].queryset]
    assert choices == [touchpoint.pk]
    assert page.context["form"]["item"].value() == Item.objects.get(code="csat_1").pk
    reply = client.post(index_url(world), create_form(touchpoint), headers=EN)
    widget = Widget.objects.get()
    assert reply.status_code == 302 and reply["Location"] == detail_url(widget)
    assert widget.allowed_origins == ["https://www.acme.example", "http://localhost:8080"]
    assert (widget.frequency_cap_days, widget.ask_comment, widget.active) == (14, True, True)
    assert widget.show_cap_days == 3
    assert widget.round == world.programme and widget.organisation == world.organisation
    with django_assert_max_num_queries(12):
        detail = client.get(detail_url(widget), headers=EN)
    html = detail.content.decode()
    snippet = f'<script src="https://kohtaamo.example/widget/{widget.public_key}.js" async></script>'
    assert snippet.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in html
    assert f'<script src="/widget/{widget.public_key}.js?preview=1" async></script>' in html
    assert 'id="kohtaamo-widget-preview"' in html
    assert "On: pages with the snippet show the prompt." in html
    assert "0 answers so far." in html


def test_invalid_settings_are_explained_and_nothing_is_stored(client, world):
    touchpoint = web_touchpoint(world)
    client.force_login(world.admin)
    form = create_form(touchpoint, allowed_origins="https://ok.example\nhttps://x.example/page\n*.example")
    reply = client.post(index_url(world), {**form, "frequency_cap_days": "0"}, headers=EN)
    assert reply.status_code == 400
    errors = reply.context["form"].errors
    assert errors["allowed_origins"] == [
        "“https://x.example/page” has a path or query. Enter only scheme://host[:port], e.g. https://www.example.fi.",
        "“*.example” must start with https:// or http://, e.g. https://www.example.fi.",
    ]
    assert errors["frequency_cap_days"] == ["Ensure this value is greater than or equal to 1."]
    assert not Widget.objects.exists()
    empty = client.post(index_url(world), create_form(touchpoint, allowed_origins="  "), headers=EN)
    assert "This field is required." in empty.context["form"].errors["allowed_origins"]
    face_to_face = client.post(index_url(world), create_form(world.touchpoint), headers=EN)
    assert face_to_face.status_code == 400 and "touchpoint" in face_to_face.context["form"].errors
    assert not Widget.objects.exists()


def test_an_ignored_prompt_may_not_come_back_sooner_than_an_answered_one(client, world):
    touchpoint = web_touchpoint(world)
    client.force_login(world.admin)
    reply = client.post(index_url(world), create_form(touchpoint, show_cap_days="15"), headers=EN)
    assert reply.status_code == 400
    assert reply.context["form"].errors["show_cap_days"] == ["Enter at most 14: the days after an answer or closing."]
    missing = client.post(index_url(world), create_form(touchpoint, show_cap_days=""), headers=EN)
    assert missing.context["form"].errors["show_cap_days"] == ["This field is required."]
    assert not Widget.objects.exists()
    assert client.post(index_url(world), create_form(touchpoint, show_cap_days="14"), headers=EN).status_code == 302
    assert Widget.objects.get().show_cap_days == 14


def test_a_touchpoint_gets_one_widget(client, world):
    widget = csat_widget(world)
    client.force_login(world.admin)
    reply = client.post(index_url(world), create_form(widget.touchpoint), headers=EN)
    assert reply.status_code == 400
    assert reply.context["form"].errors["touchpoint"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Widget.objects.count() == 1
    assert "Every web self-service touchpoint has a widget already." in reply.content.decode()


def test_editing_keeps_the_key_and_switches_off(client, world):
    widget = csat_widget(world)
    key = widget.public_key
    client.force_login(world.cx_lead)
    nps = Item.objects.get(code="nps_1")
    reply = client.post(
        detail_url(widget),
        {"item": nps.pk, "allowed_origins": "https://a.example", "frequency_cap_days": "7", "show_cap_days": "2"},
        headers=EN,
    )
    assert reply.status_code == 302
    widget.refresh_from_db()
    assert (widget.public_key, widget.item, widget.active, widget.ask_comment) == (key, nps, False, False)
    assert widget.allowed_origins == ["https://a.example"] and widget.frequency_cap_days == 7
    assert widget.show_cap_days == 2
    page = client.get(detail_url(widget), headers=EN)
    assert "Off: pages with the snippet show nothing." in page.content.decode()


def test_list_counts_answers_per_widget(client, world, django_assert_max_num_queries):
    widget = csat_widget(world)
    seed_responses = [
        Response.objects.create(
            organisation=world.organisation,
            round=world.programme,
            questionnaire=world.programme.questionnaire,
            status=Response.Status.SUBMITTED,
        )
        for _ in range(3)
    ]
    WidgetAnswer.objects.bulk_create(
        WidgetAnswer(organisation=world.organisation, widget=widget, response=r, origin=HOST_ORIGIN)
        for r in seed_responses
    )
    client.force_login(world.admin)
    with django_assert_max_num_queries(14):
        page = client.get(index_url(world), headers=EN)
    [(listed, question)] = page.context["widgets"]
    assert listed.answer_count == 3
    assert question == "Overall, how satisfied were you with the service you received?"


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_organisation_managers_reach_the_pages(client, world, role):
    widget = csat_widget(world)
    client.force_login(getattr(world, role))
    assert client.get(index_url(world)).status_code == 403
    assert client.get(detail_url(widget)).status_code == 403


def test_another_organisation_sees_nothing(client, world, other_world):
    widget = csat_widget(world)
    client.force_login(other_world.admin)
    assert client.get(index_url(world)).status_code == 404
    other_url = reverse("widget:detail", kwargs={"org": "rival", "widget_id": widget.pk})
    assert client.get(other_url).status_code == 404
    assert client.post(other_url, {"allowed_origins": "https://evil.example"}).status_code == 404
    widget.refresh_from_db()
    assert widget.allowed_origins == [HOST_ORIGIN]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://Example.FI", "https://example.fi"),
        ("https://example.fi:443", "https://example.fi"),
        ("http://example.fi:80/", "http://example.fi"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:5173", "http://127.0.0.1:5173"),
        ("https://[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_origins_are_normalised_as_browsers_send_them(raw, clean):
    assert origin_clean(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "example.fi",
        "ftp://example.fi",
        "https://example.fi/path",
        "https://example.fi?q=1",
        "https://user@example.fi",
        "https://*.example.fi",
        "https://example.fi:99999",
        "https://exa mple.fi",
        "http://300.1.1.1",
        "https://-bad.fi",
        "https://",
    ],
)
def test_bad_origins_are_refused(raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        origin_clean(raw)


def test_demo_seed_configures_a_widget_with_answers(framework):
    from kohtaamo.demo.data import BANK
    from kohtaamo.demo.structure import organisation_build
    from kohtaamo.feedback.services import pulse_programme_ensure

    now = timezone.now()
    built = organisation_build(random.Random(1), spec=BANK, customers=30, today=now.date())
    pulse_programme_ensure(organisation=built.organisation)
    count = seed_widget(organisation=built.organisation, now=now, rng=random.Random(1))
    widget = Widget.objects.get()
    assert widget.touchpoint.channel == Channel.WEB and widget.active
    assert count == widget.answers.count() > 10
    responses = Response.objects.filter(widget_answer__widget=widget)
    assert set(responses.values_list("channel", flat=True)) == {Channel.WEB}
    assert responses.filter(csat__isnull=False).count() == count
    assert all(r.submitted_at <= now for r in responses)
    assert seed_widget(organisation=built.organisation, now=now, rng=random.Random(1)) == 0  # idempotent


def test_touchpoint_not_on_the_web_is_not_offered(world):
    stage = Stage.objects.create(service_path=ServicePath.objects.first(), name="Chat", order=3)
    Touchpoint.objects.create(organisation=world.organisation, stage=stage, name="Chat", channel=Channel.CHAT)
    from kohtaamo.organisations.selectors import scope_from_organisation
    from kohtaamo.widget.selectors import widget_touchpoints

    assert not widget_touchpoints(scope=scope_from_organisation(organisation=world.organisation)).exists()
