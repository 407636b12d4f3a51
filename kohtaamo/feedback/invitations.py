"""Distribution of the pulse programme: per-encounter e-mail invitations (throttling, sending,
reminders) and open links per touchpoint. Expiry is enforced where invitations are answered."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation

from kohtaamo.instruments.models import pick_language
from kohtaamo.organisations.models import Customer, Touchpoint
from kohtaamo.organisations.selectors import scope_from_organisation, touchpoints_visible

from .mailing import email_deliver, templated_email
from .models import Encounter, Invitation, OpenLink, RespondentRole, Response, Round
from .selectors import open_links_for

logger = logging.getLogger(__name__)


def invitation_url(invitation: Invitation) -> str:
    return settings.KOHTAAMO_BASE_URL + reverse("respond:invitation", kwargs={"token": invitation.token})


def open_link_url(open_link: OpenLink) -> str:
    return settings.KOHTAAMO_BASE_URL + reverse("respond:open_link", kwargs={"token": open_link.token})


# -- programme settings ------------------------------------------------------------------------


def pulse_programme_update(
    *,
    programme: Round,
    active: bool,
    invite_after_encounters: bool,
    reminder_after_days: int,
    expires_after_days: int,
    throttle_days: int,
) -> Round:
    programme.active = active
    programme.invite_after_encounters = invite_after_encounters
    programme.reminder_after_days = reminder_after_days
    programme.expires_after_days = expires_after_days
    programme.throttle_days = throttle_days
    programme.full_clean()
    programme.save(
        update_fields=[
            "active",
            "invite_after_encounters",
            "reminder_after_days",
            "expires_after_days",
            "throttle_days",
        ]
    )
    return programme


# -- creating invitations ------------------------------------------------------------------------


def _may_contact(customer: Customer | None, *, now: datetime, time_zone: str) -> bool:
    if customer is None or not customer.email or not customer.contact_consent:
        return False
    return customer.retain_until is None or customer.retain_until >= timezone.localdate(
        now, timezone=ZoneInfo(time_zone)
    )


def invitation_create_for_encounter(
    *, encounter: Encounter, programme: Round | None, now: datetime | None = None
) -> Invitation | None:
    """Invite the encounter's customer, if the programme invites, the customer may be contacted and
    was not invited within the programme's throttle window. Sending happens elsewhere (tasks).
    """
    now = now or timezone.now()
    if programme is None or not (programme.active and programme.invite_after_encounters):
        return None
    if programme.organisation_id != encounter.organisation_id:
        raise ValueError("The programme belongs to another organisation.")
    customer = encounter.customer
    if not _may_contact(customer, now=now, time_zone=encounter.organisation.time_zone):
        return None
    window_start = now - timedelta(days=programme.throttle_days)
    if customer.last_invited_at is not None and customer.last_invited_at > window_start:
        return None
    with transaction.atomic():
        # A conditional update claims the customer: of two concurrent writers only one matches.
        claimed = (
            Customer.objects.filter(pk=customer.pk)
            .filter(Q(last_invited_at__isnull=True) | Q(last_invited_at__lte=window_start))
            .update(last_invited_at=now)
        )
        if not claimed:
            return None
        customer.last_invited_at = now
        return Invitation.objects.create(
            organisation_id=encounter.organisation_id,
            round=programme,
            encounter=encounter,
            customer=customer,
            email=customer.email,
            language=customer.language or encounter.organisation.default_language,
            expires_at=now + timedelta(days=programme.expires_after_days),
        )


# -- sending -------------------------------------------------------------------------------------

SEND_RELATED = ("organisation", "round__questionnaire", "encounter__unit")


def _message(invitation: Invitation, *, reminder: bool) -> EmailMultiAlternatives:
    """The invitation e-mail in the invitation's language, times in the organisation's time zone."""
    organisation = invitation.organisation
    with translation.override(invitation.language), timezone.override(organisation.time_zone):
        context = {
            "organisation": organisation,
            "survey_name": pick_language(invitation.round.questionnaire.names, invitation.language),
            "encounter": invitation.encounter,
            "url": invitation_url(invitation),
            "expires_at": invitation.expires_at,
            "reminder": reminder,
            "language": invitation.language,
            "as_customer": invitation.respondent_role == RespondentRole.CUSTOMER,
        }
        return templated_email(templates="feedback/email/invitation_", context=context, to=invitation.email)


def _deliver(invitation: Invitation, *, reminder: bool) -> str:
    """Send the e-mail; '' on success, else the error to record."""
    return email_deliver(lambda: _message(invitation, reminder=reminder), what=f"Invitation {invitation.pk}")


def invitation_send(*, invitation_id: int, now: datetime | None = None, retry_failed: bool = False) -> bool:
    """Send a waiting invitation; marks it sent, or failed with the error (the invitation stays)."""
    now = now or timezone.now()
    sendable = [Invitation.Status.PENDING] + ([Invitation.Status.FAILED] if retry_failed else [])
    invitation = (
        Invitation.objects.select_related(*SEND_RELATED)
        .filter(pk=invitation_id, status__in=sendable, expires_at__gt=now)
        .exclude(email="")
        .first()
    )
    if invitation is None:
        return False
    error = _deliver(invitation, reminder=False)
    still_sendable = Invitation.objects.filter(pk=invitation.pk, status__in=sendable)
    if error:
        still_sendable.update(status=Invitation.Status.FAILED, last_error=error)
        return False
    still_sendable.update(status=Invitation.Status.SENT, sent_at=now, last_error="")
    return True


def invitations_send_pending(*, now: datetime | None = None, retry_failed: bool = False) -> int:
    """Send every waiting, unexpired invitation (the cron job's catch-up for the task queue)."""
    now = now or timezone.now()
    statuses = [Invitation.Status.PENDING] + ([Invitation.Status.FAILED] if retry_failed else [])
    ids = Invitation.objects.filter(status__in=statuses, expires_at__gt=now).values_list("pk", flat=True)
    return sum(invitation_send(invitation_id=pk, now=now, retry_failed=retry_failed) for pk in list(ids))


def invitations_due_reminder(*, programme: Round, now: datetime):
    """Sent, unanswered, unexpired and not yet reminded invitations older than the reminder delay."""
    answered = Response.objects.filter(invitation=OuterRef("pk"), status=Response.Status.SUBMITTED)
    return (
        Invitation.objects.filter(
            round=programme,
            status=Invitation.Status.SENT,
            reminded_at__isnull=True,
            responded_at__isnull=True,
            sent_at__lte=now - timedelta(days=programme.reminder_after_days),
            expires_at__gt=now,
        )
        .exclude(email="")
        .exclude(Exists(answered))
    )


def invitations_send_reminders(*, now: datetime | None = None) -> int:
    """Send one reminder to every invitation due one; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    # System job across organisations: one pulse programme per organisation, so this loop is short.
    for programme in Round.objects.filter(active=True, reminder_after_days__gt=0):
        due = invitations_due_reminder(programme=programme, now=now).select_related(*SEND_RELATED)
        for invitation in due.iterator(chunk_size=500):
            error = _deliver(invitation, reminder=True)
            still_due = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.SENT)
            if error:
                still_due.update(last_error=error)
                continue
            sent += still_due.update(status=Invitation.Status.REMINDED, reminded_at=now, last_error="")
    return sent


# -- open links ----------------------------------------------------------------------------------


def open_link_ensure(*, programme: Round, touchpoint: Touchpoint) -> OpenLink:
    if programme.organisation_id != touchpoint.organisation_id:
        raise ValueError("The touchpoint belongs to another organisation.")
    link, _created = OpenLink.objects.get_or_create(
        round=programme, touchpoint=touchpoint, defaults={"organisation_id": programme.organisation_id}
    )
    return link


def open_links_create_missing(*, programme: Round) -> int:
    """Give every touchpoint of the programme's organisation its open link; returns how many were missing."""
    scope = scope_from_organisation(organisation=programme.organisation)
    missing = touchpoints_visible(scope=scope).exclude(open_links__round=programme)
    created = OpenLink.objects.bulk_create(
        [OpenLink(organisation_id=programme.organisation_id, round=programme, touchpoint=t) for t in missing],
        ignore_conflicts=True,
    )
    return len(created)


def open_links_ensure(*, programme: Round) -> list[OpenLink]:
    """One open link (and so one QR code) per touchpoint of the programme's organisation."""
    open_links_create_missing(programme=programme)
    scope = scope_from_organisation(organisation=programme.organisation)
    return list(open_links_for(scope=scope, programme=programme))
