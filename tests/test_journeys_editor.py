"""The journey editor: ordering, versions, archive instead of delete, refused cycles and orphans."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kohtaamo.journeys import services
from kohtaamo.journeys.models import JourneyVersion, TouchpointDetail
from kohtaamo.organisations.models import Channel, ServicePath, Stage, Touchpoint

from .journeys_support import answer

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def path(world):
    path = services.service_path_create(organisation=world.organisation, name="Account opening")
    interest = services.stage_create(service_path=path, name="Interest")
    start = services.stage_create(service_path=path, name="Start of the relationship")
    services.touchpoint_create(
        service_path=path, stage=interest, name="Web page", channel=Channel.WEB, code="WEB", customer_value="Clear"
    )
    services.touchpoint_create(service_path=path, stage=start, name="Welcome call", channel=Channel.PHONE)
    return path


def _url(world, name, path, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"org": world.organisation.slug, "path_id": path.pk, **kwargs})


def test_every_saved_change_makes_a_version_snapshot(path):
    versions = list(JourneyVersion.objects.filter(service_path=path).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    last = versions[-1].snapshot
    assert [s["name"] for s in last["stages"]] == ["Interest", "Start of the relationship"]
    assert last["stages"][0]["touchpoints"][0] | {"id": 0, "owner_unit": None} == {
        "id": 0,
        "name": "Web page",
        "code": "WEB",
        "channel": "web",
        "owner_unit": None,
        "customer_value": "Clear",
        "archived": False,
    }
    # An earlier version still shows the path as it was then.
    assert versions[2].snapshot["stages"][1]["touchpoints"] == []


def test_reorder_refuses_a_cycle_and_a_foreign_stage(path, world):
    ids = list(path.stages.values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="only once"):
        services.stages_reorder(service_path=path, stage_ids=[ids[0], ids[1], ids[0]])
    with pytest.raises(ValidationError, match="every stage"):
        services.stages_reorder(service_path=path, stage_ids=[ids[0], world.touchpoint.stage_id])
    before = JourneyVersion.objects.filter(service_path=path).count()
    services.stages_reorder(service_path=path, stage_ids=list(reversed(ids)))
    assert list(path.stages.order_by("order").values_list("name", flat=True)) == [
        "Start of the relationship",
        "Interest",
    ]
    assert JourneyVersion.objects.filter(service_path=path).count() == before + 1


def test_orphan_touchpoints_are_refused(path, world):
    interest = path.stages.get(name="Interest")
    with pytest.raises(ValidationError, match="still has touchpoints"):
        services.stage_delete(stage=interest)
    assert Stage.objects.filter(pk=interest.pk).exists()
    other_stage = world.touchpoint.stage  # a stage of another path
    with pytest.raises(ValidationError, match="stage of this service path"):
        services.touchpoint_create(service_path=path, stage=other_stage, name="Stray", channel=Channel.WEB)
    with pytest.raises(ValidationError, match="Only touchpoints of this service path"):
        services.touchpoints_reorder(stage=interest, touchpoint_ids=[world.touchpoint.pk])
    assert not Touchpoint.objects.filter(name="Stray").exists()


def test_touchpoint_and_stage_with_responses_are_archived_not_deleted(world):
    path = world.touchpoint.stage.service_path
    answer(world, touchpoint=world.touchpoint, customer="C1", nps=9, csat=5)
    assert services.touchpoint_delete(touchpoint=world.touchpoint) == "archived"
    assert Touchpoint.objects.filter(pk=world.touchpoint.pk).exists()
    assert TouchpointDetail.objects.get(touchpoint=world.touchpoint).archived
    assert services.stage_delete(stage=world.touchpoint.stage) == "archived"
    assert Stage.objects.filter(pk=world.touchpoint.stage_id).exists()
    empty = services.stage_create(service_path=path, name="Empty")
    assert services.stage_delete(stage=empty) == "deleted"


def test_editor_page_and_actions(client, world, path, django_assert_max_num_queries):
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(12):
        page = client.get(_url(world, "editor", path), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Interest") < html.index("Start of the relationship")
    assert 'draggable="true"' in html and "Move stage Interest later" in html

    interest = path.stages.get(name="Interest")
    response = client.post(_url(world, "action", path, action="stage-down"), {"id": interest.pk}, **EN)
    assert response.status_code == 302
    assert list(path.stages.order_by("order").values_list("name", flat=True))[1] == "Interest"

    # htmx drag-and-drop: a cycle is refused with the message in the swapped editor, nothing changes.
    ids = ",".join(str(i) for i in path.stages.order_by("order").values_list("pk", flat=True))
    refused = client.post(
        _url(world, "action", path, action="stages-reorder"),
        {"ids": ids + f",{interest.pk}"},
        HTTP_HX_REQUEST="true",
        **EN,
    )
    assert "loop back" in refused.content.decode()
    assert list(path.stages.order_by("order").values_list("name", flat=True))[1] == "Interest"

    page = client.post(_url(world, "action", path, action="stage-delete"), {"id": interest.pk}, follow=True, **EN)
    assert "still has touchpoints" in page.content.decode()

    client.post(
        _url(world, "action", path, action="persona-add"),
        {"persona-name": "Young first-home buyer", "persona-segments": "young, first-home"},
        **EN,
    )
    assert path.personas.get().segments == ["first-home", "young"]
    with django_assert_max_num_queries(8):
        versions = client.get(_url(world, "versions", path), **EN)
    with django_assert_max_num_queries(6):
        listing = client.get(reverse("journeys:index", kwargs={"org": world.organisation.slug}), **EN)
    assert "Account opening" in listing.content.decode()
    assert "Persona added: Young first-home buyer" in versions.content.decode()


def test_only_managers_edit_and_other_tenants_see_nothing(client, world, other_world, path):
    client.force_login(world.manager)
    assert client.get(_url(world, "editor", path)).status_code == 403
    assert client.post(_url(world, "action", path, action="stage-add"), {"name": "X"}).status_code == 403
    assert client.get(_url(world, "map", path)).status_code == 200
    client.force_login(other_world.admin)
    assert client.get(_url(world, "map", path)).status_code == 404
    foreign = reverse("journeys:map", kwargs={"org": other_world.organisation.slug, "path_id": path.pk})
    assert client.get(foreign).status_code == 404
    assert ServicePath.objects.filter(pk=path.pk).exists()


def test_demo_seed_adds_personas_details_and_a_version(world):
    import random

    from django.utils import timezone

    from kohtaamo.demo.journeys import seed_journeys

    path = world.touchpoint.stage.service_path
    path.name = "Asuntolaina"
    path.save()
    assert seed_journeys(organisation=world.organisation, now=timezone.now(), rng=random.Random(1)) == 2
    assert list(path.personas.values_list("segments", flat=True)) == [["Nuoret"], ["Perusasiakas"]]
    assert TouchpointDetail.objects.get(touchpoint=world.touchpoint).customer_value.startswith("Kiireetön")
    assert JourneyVersion.objects.filter(service_path=path).count() == 1
    assert seed_journeys(organisation=world.organisation, now=timezone.now(), rng=random.Random(1)) == 0
