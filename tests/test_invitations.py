"""Invitations: who is invited (consent, retention, throttling), sending, failure, reminders, the cron command."""

import socket
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kohtaamo.feedback.invitations import (
    invitation_create_for_encounter,
    invitation_send,
    invitations_send_pending,
    invitations_send_reminders,
)
from kohtaamo.feedback.models import Encounter, Invitation, Response
from kohtaamo.organisations.models import Customer


def _customer(world, external_id="C1", **fields) -> Customer:
    defaults = {"email": f"{external_id.lower()}@example.org", "language": "en", "contact_consent": True}
    return Customer.objects.create(organisation=world.organisation, external_id=external_id, **{**defaults, **fields})


def _encounter(world, customer, external_id="K1") -> Encounter:
    return Encounter.objects.create(
        organisation=world.organisation,
        external_id=external_id,
        customer=customer,
        unit=world.branch,
        channel="phone",
        occurred_at=timezone.now(),
    )


def _invite(world, customer, external_id="K1", now=None) -> Invitation | None:
    return invitation_create_for_encounter(
        encounter=_encounter(world, customer, external_id), programme=world.programme, now=now
    )


@pytest.mark.django_db
def test_invitation_fields(world):
    now = timezone.now()
    invitation = _invite(world, _customer(world, language="sv"), now=now)
    assert invitation.email == "c1@example.org"
    assert invitation.language == "sv"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at == now + timedelta(days=world.programme.expires_after_days)
    assert Customer.objects.get().last_invited_at == now
    # Without a language of its own the customer gets the organisation's.
    assert _invite(world, _customer(world, "C2", language=""), "K2").language == "fi"


@pytest.mark.django_db
def test_throttling_invites_a_customer_once_per_window(world):
    world.programme.throttle_days = 30
    world.programme.save()
    customer = _customer(world)
    start = timezone.now()
    assert _invite(world, customer, "K1", now=start) is not None
    assert _invite(world, customer, "K2", now=start + timedelta(days=29)) is None
    # A stale in-memory customer is still held back by the database's last_invited_at.
    stale = Customer.objects.get(pk=customer.pk)
    stale.last_invited_at = None
    assert (
        invitation_create_for_encounter(
            encounter=_encounter(world, stale, "K3"), programme=world.programme, now=start + timedelta(days=1)
        )
        is None
    )
    assert _invite(world, customer, "K4", now=start + timedelta(days=30, minutes=1)) is not None
    assert Invitation.objects.filter(customer=customer).count() == 2


@pytest.mark.django_db
def test_throttle_of_zero_invites_after_every_encounter(world):
    world.programme.throttle_days = 0
    world.programme.save()
    customer = _customer(world)
    assert _invite(world, customer, "K1") is not None
    assert _invite(world, customer, "K2") is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "customer_fields",
    [
        {"contact_consent": False},
        {"email": ""},
        {"retain_until": date(2000, 1, 1)},
    ],
)
def test_no_invitation_without_consent_address_or_after_retention(world, customer_fields):
    assert _invite(world, _customer(world, **customer_fields)) is None
    assert Invitation.objects.count() == 0
    assert Customer.objects.get().last_invited_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("programme_fields", [{"active": False}, {"invite_after_encounters": False}])
def test_no_invitation_when_the_programme_does_not_invite(world, programme_fields):
    for name, value in programme_fields.items():
        setattr(world.programme, name, value)
    world.programme.save()
    assert _invite(world, _customer(world)) is None


@pytest.mark.django_db
def test_no_invitation_without_a_customer(world):
    assert _invite(world, None) is None


@pytest.mark.django_db
def test_sending_delivers_plain_text_and_html_in_the_invitation_language(world, mailbox):
    invitation = _invite(world, _customer(world, language="sv"))
    assert invitation_send(invitation_id=invitation.pk) is True
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert invitation.sent_at is not None
    (message,) = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "c1@example.org"
    assert message.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in message.walk() if not p.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    url = f"http://127.0.0.1:8000/r/{invitation.token}/"
    assert url in parts["text/plain"]
    assert f'href="{url}"' in parts["text/html"]
    assert '<html lang="sv">' in parts["text/html"]
    # Sending twice sends once.
    assert invitation_send(invitation_id=invitation.pk) is False
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


@pytest.mark.django_db
def test_smtp_failure_marks_the_invitation_failed_and_keeps_it(world, mailbox, settings):
    invitation = _invite(world, _customer(world))
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    assert invitation_send(invitation_id=invitation.pk) is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.FAILED
    assert "Connection" in invitation.last_error or "refused" in invitation.last_error.lower()
    assert invitation.sent_at is None
    # The cron command retries on request once the server is back.
    settings.EMAIL_PORT = port
    assert invitations_send_pending() == 0
    assert invitations_send_pending(retry_failed=True) == 1
    invitation.refresh_from_db()
    assert (invitation.status, invitation.last_error) == (Invitation.Status.SENT, "")
    assert len(mailbox.wait_for(1)) == 1


@pytest.mark.django_db
def test_expired_invitations_are_not_sent(world, mailbox):
    invitation = _invite(world, _customer(world), now=timezone.now() - timedelta(days=30))
    assert invitation_send(invitation_id=invitation.pk) is False
    assert Invitation.objects.get().status == Invitation.Status.PENDING


@pytest.mark.django_db
def test_one_reminder_after_the_delay_and_none_after_a_response(world, mailbox):
    world.programme.reminder_after_days = 3
    world.programme.save()
    waiting = _invite(world, _customer(world, "C1"), "K1")
    answered = _invite(world, _customer(world, "C2"), "K2")
    marked = _invite(world, _customer(world, "C3"), "K3")
    for invitation in (waiting, answered, marked):
        assert invitation_send(invitation_id=invitation.pk)
    mailbox.wait_for(3)
    mailbox.clear()
    Response.objects.create(
        organisation=world.organisation,
        round=world.programme,
        questionnaire=world.programme.questionnaire,
        invitation=answered,
        status=Response.Status.SUBMITTED,
    )
    Invitation.objects.filter(pk=marked.pk).update(status=Invitation.Status.RESPONDED, responded_at=timezone.now())
    sent_at = Invitation.objects.get(pk=waiting.pk).sent_at

    assert invitations_send_reminders(now=sent_at + timedelta(days=2, hours=23)) == 0
    assert invitations_send_reminders(now=sent_at + timedelta(days=3, minutes=1)) == 1
    (reminder,) = mailbox.wait_for(1)
    assert reminder["X-Envelope-To"] == "c1@example.org"
    assert reminder["Subject"].startswith("Reminder")
    waiting.refresh_from_db()
    assert waiting.status == Invitation.Status.REMINDED
    assert waiting.reminded_at == sent_at + timedelta(days=3, minutes=1)
    # Once only.
    assert invitations_send_reminders(now=sent_at + timedelta(days=5)) == 0
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1


@pytest.mark.django_db
def test_no_reminder_after_expiry_or_when_reminders_are_off(world, mailbox):
    world.programme.reminder_after_days = 3
    world.programme.expires_after_days = 5
    world.programme.save()
    invitation = _invite(world, _customer(world))
    invitation_send(invitation_id=invitation.pk)
    sent_at = Invitation.objects.get().sent_at
    assert invitations_send_reminders(now=sent_at + timedelta(days=6)) == 0
    world.programme.reminder_after_days = 0
    world.programme.save()
    assert invitations_send_reminders(now=sent_at + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_send_invitations_command_sends_waiting_ones(world, mailbox, capsys):
    _invite(world, _customer(world))
    call_command("send_invitations")
    assert "Sent 1 invitations and 0 reminders." in capsys.readouterr().out
    assert Invitation.objects.get().status == Invitation.Status.SENT
    assert len(mailbox.wait_for(1)) == 1


@pytest.mark.django_db
def test_a_staff_invitation_is_not_worded_as_a_customer_visit(world, mailbox):
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        email="staff@example.org",
        language="en",
        respondent_role="staff",
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert invitation_send(invitation_id=invitation.pk)
    [message] = mailbox.wait_for(1)
    body = message.get_payload()[0].get_payload(decode=True).decode()
    assert "asks for your view in the survey" in body and "visiting" not in body
    assert "invited you to this survey" in body and "agreed that" not in body
