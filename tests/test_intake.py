"""Encounter intake: the CSV import (service, web upload, CLI) and the programme page."""

import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kohtaamo.feedback import intake
from kohtaamo.feedback.intake import encounters_import_csv
from kohtaamo.feedback.models import Encounter, Invitation, OpenLink
from kohtaamo.organisations.models import Customer, Touchpoint

HEADER = "external_id,occurred_at,unit,person,channel,touchpoint,customer_id,customer_email,customer_language,consent"
GOOD_CSV = "\n".join(
    [
        HEADER,
        "K1,2025-03-14T09:30,Acme Centre,E1,face_to_face,Branch meeting,C1,c1@example.org,en,yes",
        "K2,2025-03-14 10:00+00:00,Acme Harbour,E2,Phone,,C2,c2@example.org,fi,no",
        "K3,2025-03-15T12:00,Acme Centre team,,E-MAIL,,,,,",
    ]
).encode()


def _text_part(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def _import(organisation, data: bytes, capture):
    with capture(execute=True), translation.override("en"):
        return encounters_import_csv(organisation=organisation, file=data)


@pytest.mark.django_db
def test_csv_import_creates_encounters_customers_and_sends_the_invitation(
    world, mailbox, django_capture_on_commit_callbacks
):
    result = _import(world.organisation, GOOD_CSV, django_capture_on_commit_callbacks)

    assert result.errors == []
    assert (result.imported, result.invited) == (3, 1)
    k1 = Encounter.objects.get(external_id="K1")
    # Naive time is the organisation's (Helsinki, UTC+2 in March).
    assert k1.occurred_at == datetime(2025, 3, 14, 7, 30, tzinfo=UTC)
    assert (k1.unit, k1.person, k1.touchpoint, k1.channel) == (
        world.branch,
        world.person,
        world.touchpoint,
        "face_to_face",
    )
    assert Encounter.objects.get(external_id="K2").occurred_at == datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
    k3 = Encounter.objects.get(external_id="K3")
    assert (k3.channel, k3.unit, k3.customer) == ("email", world.team, None)

    c1, c2 = Customer.objects.order_by("external_id")
    assert (c1.external_id, c1.email, c1.language, c1.contact_consent) == ("C1", "c1@example.org", "en", True)
    # Without consent to contact, no contact details are kept.
    assert (c2.external_id, c2.email, c2.contact_consent) == ("C2", "", False)

    invitation = Invitation.objects.get()
    assert (invitation.customer, invitation.encounter, invitation.email) == (c1, k1, "c1@example.org")
    assert invitation.status == Invitation.Status.SENT
    assert invitation.sent_at is not None
    assert c1.last_invited_at is not None

    (message,) = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "c1@example.org"
    assert "Acme" in message["Subject"]
    link = re.search(r"(http\S+/r/([\w-]+)/)", _text_part(message))
    assert link.group(2) == invitation.token
    assert link.group(1) == "http://127.0.0.1:8000" + reverse("respond:invitation", args=[invitation.token])
    assert len(invitation.token) >= 40


@pytest.mark.django_db
def test_every_error_is_reported_with_its_line_and_nothing_is_imported(world, django_capture_on_commit_callbacks):
    data = "\n".join(
        [
            HEADER,
            "K1,2025-03-14T09:30,Acme Centre,E1,face_to_face,,C1,c1@example.org,en,yes",
            "K2,2025-03-14T09:30,No Such Unit,E1,phone,,,,,",
            "K3,2025-03-14T09:30,Acme Centre,,phone,,,,,",
            "K4,14.3.2025 9:30,Acme Centre,,phone,,,,,",
            "K5,2025-03-14T09:30,Acme Centre,,phone,,C5,not-an-address,,yes",
        ]
    ).encode()
    result = _import(world.organisation, data, django_capture_on_commit_callbacks)

    assert [(e.row, e.field) for e in result.errors] == [(3, "unit"), (5, "occurred_at"), (6, "customer_email")]
    assert result.errors[0].message == "No unit with this code or name."
    assert "ISO 8601" in result.errors[1].message
    assert result.errors[2].message == "Enter a valid e-mail address."
    assert (result.imported, result.invited) == (0, 0)
    assert Encounter.objects.count() == 0
    assert Customer.objects.count() == 0
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_duplicates_channels_people_and_customer_details_are_checked(world, django_capture_on_commit_callbacks):
    Encounter.objects.create(
        organisation=world.organisation,
        external_id="OLD",
        unit=world.branch,
        channel="phone",
        occurred_at="2025-01-01T00:00Z",
    )
    data = "\n".join(
        [
            HEADER,
            "OLD,2025-03-14T09:30,Acme Centre,,phone,,,,,",
            "K1,2025-03-14T09:30,Acme Centre,E9,carrier pigeon,,,,,",
            "K1,2025-03-14T09:30,Acme Centre,,phone,Nowhere,,x@example.org,,",
            "K2,,Acme Centre,,phone,,C2,,xx,maybe",
            "K3,2099-01-01T00:00,Acme Centre,,phone",
        ]
    ).encode()
    result = _import(world.organisation, data, django_capture_on_commit_callbacks)

    assert [(e.row, e.field) for e in result.errors] == [
        (2, "external_id"),
        (3, "channel"),
        (3, "person"),
        (4, "external_id"),
        (4, "touchpoint"),
        (4, "customer_email"),
        (5, "occurred_at"),
        (5, "customer_language"),
        (5, "consent"),
        (6, ""),
    ]
    messages = {(e.row, e.field): e.message for e in result.errors}
    assert messages[(2, "external_id")] == "An encounter with this external id already exists."
    assert messages[(4, "external_id")] == "The same external id is already on line 3."
    assert messages[(4, "customer_email")] == "Customer details need a customer_id."
    assert messages[(5, "occurred_at")] == "This value is required."
    assert messages[(6, "")] == "The line has 5 values but the header has 10."
    assert Encounter.objects.count() == 1


@pytest.mark.django_db
def test_future_time_and_missing_and_unknown_columns(world, django_capture_on_commit_callbacks):
    result = _import(
        world.organisation, b"external_id,unit,chanel\nK1,Acme Centre,phone\n", django_capture_on_commit_callbacks
    )
    assert [(e.row, e.field) for e in result.errors] == [(1, "occurred_at"), (1, "channel"), (1, "chanel")]
    future = b"external_id,occurred_at,unit,channel\nK1,2099-01-01T00:00,Acme Centre,phone\n"
    result = _import(world.organisation, future, django_capture_on_commit_callbacks)
    assert [(e.row, e.field, e.message) for e in result.errors] == [(2, "occurred_at", "The time is in the future.")]


@pytest.mark.django_db
def test_bom_semicolons_display_names_and_codes(world, django_capture_on_commit_callbacks):
    world.other_branch.code = "HAR"
    world.other_branch.save()
    world.touchpoint.code = "TP-1"
    world.touchpoint.save()
    data = (
        "\ufeffExternal_ID;Occurred_At;Unit;Channel;Touchpoint;Transcript\r\n"
        'S1;2025-03-14T09:30;HAR;Video;TP-1;"Hello; world\r\nsecond line"\r\n'
        "\r\n"
        "S2;2025-03-14T09:45Z;Acme Centre;web;;\r\n"
    )
    result = _import(world.organisation, data.encode("utf-8"), django_capture_on_commit_callbacks)

    assert result.errors == []
    assert result.imported == 2
    s1 = Encounter.objects.get(external_id="S1")
    assert (s1.unit, s1.channel, s1.touchpoint) == (world.other_branch, "video", world.touchpoint)
    assert s1.transcript == "Hello; world\r\nsecond line"
    assert Encounter.objects.get(external_id="S2").occurred_at == datetime(2025, 3, 14, 9, 45, tzinfo=UTC)


@pytest.mark.django_db
def test_line_numbers_count_physical_lines_of_multiline_values(world, django_capture_on_commit_callbacks):
    data = (
        b"external_id,occurred_at,unit,channel,transcript\n"
        b'K1,2025-03-14T09:30,Acme Centre,phone,"two\nlines"\n'
        b"K2,2025-03-14T09:30,Acme Centre,fax,\n"
    )
    result = _import(world.organisation, data, django_capture_on_commit_callbacks)
    assert [(e.row, e.field) for e in result.errors] == [(4, "channel")]


@pytest.mark.django_db
def test_file_level_errors(world, monkeypatch, django_capture_on_commit_callbacks):
    def errors(data: bytes):
        return [
            (e.row, e.message) for e in _import(world.organisation, data, django_capture_on_commit_callbacks).errors
        ]

    assert errors(b"") == [(0, "The file is empty.")]
    assert errors(b"external_id,occurred_at,unit,channel\n") == [(0, "The file has a header row but no encounters.")]
    assert errors(b"external_id,occurred_at,unit,channel\nK1,2025-03-14,Acme \xe4,phone\n") == [
        (2, "The file is not UTF-8 text (first problem on this line).")
    ]
    monkeypatch.setattr(intake, "MAX_ROWS", 2)
    rows = b"".join(b"K%d,2025-03-14,Acme Centre,phone\n" % i for i in range(3))
    assert errors(b"external_id,occurred_at,unit,channel\n" + rows) == [
        (0, "The file has more than 2 rows; split it into smaller files.")
    ]
    assert Encounter.objects.count() == 0


@pytest.mark.django_db
def test_same_customer_twice_in_a_file_is_invited_once(world, mailbox, django_capture_on_commit_callbacks):
    data = "\n".join(
        [
            HEADER,
            "K1,2025-03-14T09:30,Acme Centre,,phone,,C1,c1@example.org,en,yes",
            "K2,2025-03-14T10:30,Acme Centre,,phone,,C1,,,",
        ]
    ).encode()
    result = _import(world.organisation, data, django_capture_on_commit_callbacks)
    assert (result.imported, result.invited) == (2, 1)
    assert Customer.objects.get().email == "c1@example.org"
    assert Invitation.objects.get().encounter.external_id == "K1"
    assert len(mailbox.wait_for(1)) == 1


@pytest.mark.django_db
def test_progress_is_reported(world, django_capture_on_commit_callbacks):
    calls = []
    with django_capture_on_commit_callbacks(execute=True):
        encounters_import_csv(
            organisation=world.organisation, file=GOOD_CSV, progress=lambda d, t: calls.append((d, t))
        )
    assert calls[-1] == (3, 3)


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_imports_a_file(world, tmp_path, capsys, mailbox, django_capture_on_commit_callbacks):
    path = tmp_path / "encounters.csv"
    path.write_bytes(GOOD_CSV)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_encounters", "--organisation", "acme", str(path), "--language", "en")
    assert "Imported 3 encounters; invited 1." in capsys.readouterr().out
    assert Encounter.objects.count() == 3
    assert len(mailbox.wait_for(1)) == 1


@pytest.mark.django_db
def test_cli_fails_on_a_bad_file_and_imports_nothing(world, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"external_id,occurred_at,unit,channel\nK1,2025-03-14,Acme Centre,phone\nK2,never,Mars,phone\n")
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_encounters", "--organisation", "acme", str(path), "--language", "en", "--no-progress")
    err = capsys.readouterr().err
    assert f"{path}:line 3 [occurred_at]:" in err
    assert f"{path}:line 3 [unit]: No unit with this code or name." in err
    assert Encounter.objects.count() == 0
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_encounters", "--organisation", "nope", str(path))


# -- the programme page -------------------------------------------------------------------------


def _programme_url(world) -> str:
    return reverse("feedback:programme", kwargs={"org": world.organisation.slug})


@pytest.mark.django_db
def test_programme_page_lists_links_counts_and_pins_its_queries(client, world, django_assert_max_num_queries):
    Invitation.objects.create(
        organisation=world.organisation, round=world.programme, email="a@example.org", expires_at="2030-01-01T00:00Z"
    )
    Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        email="b@example.org",
        expires_at="2030-01-01T00:00Z",
        status=Invitation.Status.SENT,
    )
    for n in range(3):  # more rows must not mean more queries
        Touchpoint.objects.create(
            organisation=world.organisation,
            stage=world.touchpoint.stage,
            name=f"Desk {n}",
            channel="phone",
            order=n + 2,
        )
    client.force_login(world.cx_lead)
    client.get(_programme_url(world), headers={"accept-language": "en"})  # first view creates the open links
    assert OpenLink.objects.filter(round=world.programme).count() == 4
    with django_assert_max_num_queries(7):
        response = client.get(_programme_url(world), headers={"accept-language": "en"})
    assert response.status_code == 200
    link = OpenLink.objects.get(touchpoint=world.touchpoint)
    page = response.content.decode()
    assert f"/t/{link.token}/" in page
    assert reverse("feedback:qr_svg", kwargs={"org": "acme", "touchpoint_id": world.touchpoint.pk}) in page
    counts = dict(
        re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td></tr>", page.split("invitation-counts")[1])
    )
    assert counts == {"Waiting to be sent": "1", "Sent": "1", "Reminded": "0", "Responded": "0", "Sending failed": "0"}


@pytest.mark.django_db
def test_programme_page_is_for_managers_of_the_organisation_only(client, world, other_world):
    for user, status in [(world.employee, 403), (world.manager, 403), (other_world.admin, 404), (world.admin, 200)]:
        client.force_login(user)
        assert client.get(_programme_url(world)).status_code == status


@pytest.mark.django_db
def test_upload_through_the_page(client, world, mailbox):
    client.force_login(world.cx_lead)
    url = reverse("feedback:import", kwargs={"org": "acme"})
    response = client.post(
        url, {"file": SimpleUploadedFile("e.csv", GOOD_CSV, "text/csv")}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "3 encounters imported." in response.content.decode()
    assert "1 customer invited." in response.content.decode()
    assert Encounter.objects.count() == 3

    bad = HEADER.encode() + b"\nK9,2025-03-14T09:30,Nowhere,,phone,,,,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("e.csv", bad)}, headers={"accept-language": "en"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file has 1 error. Nothing was imported." in page
    assert '<td class="num">2</td><td><code>unit</code></td><td>No unit with this code or name.</td>' in page
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_programme_settings_are_validated_and_saved(client, world):
    client.force_login(world.cx_lead)
    data = {
        "active": "on",
        "reminder_after_days": "5",
        "expires_after_days": "20",
        "throttle_days": "60",
    }
    response = client.post(_programme_url(world), data)
    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert (world.programme.active, world.programme.invite_after_encounters) == (True, False)
    assert (world.programme.reminder_after_days, world.programme.expires_after_days, world.programme.throttle_days) == (
        5,
        20,
        60,
    )
    for bad in ({"throttle_days": "400"}, {"expires_after_days": "0"}, {"reminder_after_days": "25"}):
        response = client.post(_programme_url(world), {**data, **bad}, headers={"accept-language": "en"})
        assert response.status_code == 400, bad
        assert 'class="errorlist' in response.content.decode()
    world.programme.refresh_from_db()
    assert (world.programme.reminder_after_days, world.programme.expires_after_days, world.programme.throttle_days) == (
        5,
        20,
        60,
    )
