"""The live map, actual paths, quality view and exports, on planted data."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kohtaamo.journeys import services
from kohtaamo.journeys.flows import path_flows
from kohtaamo.journeys.selectors import JourneyFilter, journey_map
from kohtaamo.organisations.models import Channel
from kohtaamo.organisations.selectors import scope_for, scope_from_organisation

from .journeys_support import answer

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def planted(world):
    """Twelve customers walk web form -> branch meeting; two also get a call. The call is weak."""
    path = world.touchpoint.stage.service_path
    interest = services.stage_create(service_path=path, name="Interest")
    services.stages_reorder(service_path=path, stage_ids=[interest.pk, world.touchpoint.stage_id])
    web = services.touchpoint_create(service_path=path, stage=interest, name="Web form", channel=Channel.WEB)
    call = services.touchpoint_create(
        service_path=path, stage=world.touchpoint.stage, name="Follow-up call", channel=Channel.PHONE
    )
    for c in range(12):
        segment = "young" if c < 4 else "senior"
        answer(world, touchpoint=web, customer=f"C{c}", nps=9, csat=5, emotion=5, segment=segment)
        # 9 of 12 satisfied at the meeting (75 %)
        answer(world, touchpoint=world.touchpoint, customer=f"C{c}", nps=8, csat=4 if c < 9 else 2, emotion=3)
        answer(world, touchpoint=call, customer=f"C{c}", nps=3, csat=2 if c else 4, emotion=1, comment="Slow")
    return path, web, call


def test_cards_carry_their_figures_colour_and_flags(world, planted):
    path, web, call = planted
    journey = journey_map(
        scope=scope_from_organisation(organisation=world.organisation), service_path=path, filters=JourneyFilter()
    )
    assert [c.stage.name for c in journey.columns] == ["Interest", "Loan meeting"]
    cards = {c.touchpoint.pk: c for c in journey.cards}
    meeting = cards[world.touchpoint.pk].figures["csat"]
    assert (meeting.value, meeting.n) == (75.0, 12)
    assert meeting.ci_low == pytest.approx(46.8, abs=0.1) and meeting.ci_high == pytest.approx(91.1, abs=0.1)
    assert cards[call.pk].figures["csat"].value == pytest.approx(100 / 12)
    assert [cards[t].tone for t in (web.pk, world.touchpoint.pk, call.pk)] == ["green", "amber", "red"]
    assert [c.touchpoint for c in journey.lowest] == [call]  # at most a third of the scored touchpoints
    # Emotion (1–5 scale) rescaled to 0–100: Interest all 5s -> 100; the meeting stage mixes 3s and 1s -> 25.
    assert [c.emotion.value for c in journey.columns] == [100.0, 25.0]
    assert journey.columns[1].emotion.n == 24
    assert not journey.drivers.enough  # 12 customers: too few, and said so


def test_segment_and_persona_narrow_the_map(world, planted):
    path, web, _call = planted
    persona = services.persona_create(service_path=path, name="Young saver", segments=["young"])
    scope = scope_from_organisation(organisation=world.organisation)
    by_persona = journey_map(scope=scope, service_path=path, filters=JourneyFilter(persona=persona))
    by_segment = journey_map(scope=scope, service_path=path, filters=JourneyFilter(segment="senior"))
    web_n = [next(c for c in j.cards if c.touchpoint == web).responses for j in (by_persona, by_segment)]
    assert web_n == [4, 8]


def test_role_scope_applies_to_the_map(world, planted):
    path, web, _call = planted
    scope = scope_for(user=world.employee, organisation_slug="acme")
    journey = journey_map(scope=scope, service_path=path, filters=JourneyFilter())
    assert next(c for c in journey.cards if c.touchpoint == web).responses == 12  # the employee's own encounters
    other = scope_for(user=world.manager, organisation_slug="acme")
    world.team.parent = world.other_branch
    world.team.save()
    assert sum(c.responses for c in journey_map(scope=other, service_path=path, filters=JourneyFilter()).cards) == 0


def test_actual_paths(world, planted):
    path, web, call = planted
    flows = path_flows(
        scope=scope_from_organisation(organisation=world.organisation), service_path=path, filters=JourneyFilter()
    )
    assert flows.customers == 12
    [common] = flows.common
    assert common.touchpoints == (web.pk, world.touchpoint.pk, call.pk) and common.share == 100
    assert flows.rest_customers == 0
    assert flows.ended_after(call.pk) == 12 and flows.ended_after(web.pk) == 0


def test_map_page_and_exports(client, world, planted, django_assert_max_num_queries):
    path, _web, call = planted
    client.force_login(world.cx_lead)
    url = reverse("journeys:map", kwargs={"org": "acme", "path_id": path.pk})
    with django_assert_max_num_queries(16):
        page = client.get(url, **EN)
    html = page.content.decode()
    assert f'class="tp-card score-red" data-touchpoint="{call.pk}"' in html
    assert f"/o/acme/results/responses/?touchpoint={call.pk}" in html
    lowest = html[html.index('id="lowest"') : html.index('id="moments"')]
    assert "Follow-up call" in lowest and "Branch meeting" not in lowest
    assert "needs at least 30 customers; this selection has 12" in html

    for name in ("flows", "quality"):
        with django_assert_max_num_queries(16):
            assert (
                client.get(reverse(f"journeys:{name}", kwargs={"org": "acme", "path_id": path.pk}), **EN).status_code
                == 200
            )

    pdf = client.get(reverse("journeys:pdf", kwargs={"org": "acme", "path_id": path.pk}), **EN)
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Follow-up call" in text and "Lowest-scoring touchpoints" in text

    png = client.get(reverse("journeys:png", kwargs={"org": "acme", "path_id": path.pk}))
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"

    data = client.get(reverse("journeys:csv", kwargs={"org": "acme", "path_id": path.pk})).content.decode()
    rows = {r["touchpoint"]: r for r in csv.DictReader(io.StringIO(data))}
    assert rows["Branch meeting"]["csat"] == "75.00" and rows["Branch meeting"]["csat_n"] == "12"
    assert rows["Follow-up call"]["lowest"] == "1"


def test_quality_dimensions_per_stage(client, world, planted):
    from kohtaamo.feedback.models import DimensionScore, Response
    from kohtaamo.instruments.models import Dimension

    path, web, _call = planted
    content = Dimension.objects.get(code="quality_content")
    for response, score in zip(Response.objects.filter(touchpoint=web)[:3], (50.0, 75.0, 100.0), strict=True):
        DimensionScore.objects.create(
            organisation_id=response.organisation_id,
            response=response,
            dimension=content,
            mean=1 + score / 25,
            score=score,
            items_answered=3,
        )
    journey = journey_map(
        scope=scope_from_organisation(organisation=world.organisation), service_path=path, filters=JourneyFilter()
    )
    interest = journey.columns[0]
    assert [d.code for d in journey.quality_dimensions] == ["quality_content", "quality_process", "quality_experience"]
    assert (interest.quality["quality_content"].value, interest.quality["quality_content"].n) == (75.0, 3)
    assert interest.quality["quality_process"].n == 0
    client.force_login(world.cx_lead)
    html = client.get(reverse("journeys:quality", kwargs={"org": "acme", "path_id": path.pk}), **EN).content.decode()
    assert 'data-dimension="quality_content"><strong class="value">75</strong>' in html
