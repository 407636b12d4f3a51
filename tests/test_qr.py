"""Open links and their QR codes (PNG and SVG downloads)."""

import xml.etree.ElementTree as ET

import pytest
import segno
from django.urls import reverse

from kohtaamo.feedback.invitations import open_link_url, open_links_ensure
from kohtaamo.feedback.models import OpenLink
from kohtaamo.feedback.qr import qr_png, qr_svg
from kohtaamo.organisations.models import Touchpoint

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _url(world, extension: str, touchpoint=None) -> str:
    touchpoint_id = (touchpoint or world.touchpoint).pk
    return reverse(f"feedback:qr_{extension}", kwargs={"org": world.organisation.slug, "touchpoint_id": touchpoint_id})


@pytest.mark.django_db
def test_open_links_one_per_touchpoint_and_idempotent(world):
    second = Touchpoint.objects.create(
        organisation=world.organisation, stage=world.touchpoint.stage, name="Phone line", channel="phone", order=2
    )
    links = open_links_ensure(programme=world.programme)
    assert [link.touchpoint for link in links] == [world.touchpoint, second]
    assert open_links_ensure(programme=world.programme) == links
    assert OpenLink.objects.count() == 2
    assert open_link_url(links[0]) == f"http://127.0.0.1:8000/t/{links[0].token}/"


@pytest.mark.django_db
def test_png_download_encodes_the_open_link(client, world):
    world.touchpoint.code = "TP 1"
    world.touchpoint.save()
    client.force_login(world.cx_lead)
    response = client.get(_url(world, "png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="qr-tp-1.png"'
    assert response.content.startswith(PNG_SIGNATURE)
    link = OpenLink.objects.get(touchpoint=world.touchpoint, round=world.programme)
    assert response.content == qr_png(f"http://127.0.0.1:8000/t/{link.token}/")
    assert response.content != qr_png(f"http://127.0.0.1:8000/t/{link.token}x/")


@pytest.mark.django_db
def test_svg_download_is_svg_of_the_same_code(client, world, settings):
    settings.KOHTAAMO_BASE_URL = "https://palaute.example.fi"
    client.force_login(world.admin)
    response = client.get(_url(world, "svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="qr-branch-meeting.svg"'
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    link = OpenLink.objects.get(touchpoint=world.touchpoint)
    url = f"https://palaute.example.fi/t/{link.token}/"
    assert response.content == qr_svg(url, title=world.touchpoint.name)
    # The drawn modules are segno's matrix for exactly this URL.
    expected = segno.make(url, error="m", micro=False)
    assert int(float(root.get("width"))) == expected.symbol_size(scale=8, border=4)[0]
    path = root.find("{http://www.w3.org/2000/svg}path").get("d")
    reference = ET.fromstring(expected.svg_inline(scale=8, border=4))  # noqa: S314
    assert path == reference.find("path").get("d")  # inline SVG has no namespace
    # Repeated downloads reuse the same link.
    assert client.get(_url(world, "svg")).content == response.content
    assert OpenLink.objects.count() == 1


@pytest.mark.django_db
def test_qr_downloads_are_for_managers_of_the_organisation_only(client, world, other_world):
    client.force_login(world.employee)
    assert client.get(_url(world, "png")).status_code == 403
    client.force_login(world.manager)
    assert client.get(_url(world, "svg")).status_code == 403
    client.force_login(other_world.admin)
    assert client.get(_url(world, "png")).status_code == 404
    # Another organisation's touchpoint under one's own organisation is not found either.
    client.force_login(world.admin)
    assert client.get(_url(world, "png", touchpoint=other_world.touchpoint)).status_code == 404
    assert OpenLink.objects.count() == 0
