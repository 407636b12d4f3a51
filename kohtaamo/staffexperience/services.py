"""Staff pulse writes: the schedule, opening a period with its invitations, e-mails, reminders and
the anonymous answer (services in the HackSoft sense: keyword-only, validated, atomic)."""

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kohtaamo.feedback.mailing import email_deliver, templated_email
from kohtaamo.organisations.models import Organisation, Unit
from kohtaamo.organisations.selectors import people_visible, scope_from_organisation

from .items import COMMENT_ITEM, DEFAULT_ITEMS, SCALE_MAX, SCALE_MIN
from .models import (
    StaffPulseAnswer,
    StaffPulseInvitation,
    StaffPulseItem,
    StaffPulsePeriod,
    StaffPulseSchedule,
    StaffPulseSheet,
)

logger = logging.getLogger(__name__)

COMMENT_MAX_LENGTH = 2000


# -- periods ---------------------------------------------------------------------------------------


def period_bounds(*, day: date, cadence: str) -> tuple[date, date]:
    """The month or quarter containing `day`: first and last day (inclusive)."""
    first_month = day.month if cadence == StaffPulseSchedule.Cadence.MONTH else 3 * ((day.month - 1) // 3) + 1
    last_month = first_month if cadence == StaffPulseSchedule.Cadence.MONTH else first_month + 2
    return date(day.year, first_month, 1), date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def _zone(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


# -- set-up ----------------------------------------------------------------------------------------


def staff_pulse_items_ensure(*, organisation: Organisation) -> list[StaffPulseItem]:
    """The organisation's statements, created from the shipped wording the first time."""
    for order, (code, theme, texts) in enumerate((*DEFAULT_ITEMS, COMMENT_ITEM)):
        kind = StaffPulseItem.Kind.COMMENT if code == COMMENT_ITEM[0] else StaffPulseItem.Kind.SCALE
        StaffPulseItem.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={"theme": theme, "kind": kind, "order": order, "texts": texts},
        )
    return list(StaffPulseItem.objects.filter(organisation=organisation).order_by("order"))


def staff_pulse_schedule_save(
    *,
    organisation: Organisation,
    cadence: str,
    units: list[Unit],
    reminder_after_days: int,
    active: bool,
) -> StaffPulseSchedule:
    if any(u.organisation_id != organisation.pk for u in units):
        raise ValidationError({"units": _("A unit belongs to another organisation.")})
    with transaction.atomic():
        schedule, _created = StaffPulseSchedule.objects.get_or_create(organisation=organisation)
        schedule.cadence = cadence
        schedule.reminder_after_days = reminder_after_days
        schedule.active = active
        schedule.full_clean(exclude=["organisation"])
        schedule.save()
        schedule.units.set(units)
        staff_pulse_items_ensure(organisation=organisation)
    return schedule


# -- opening a period ------------------------------------------------------------------------------


def _invitees(*, schedule: StaffPulseSchedule):
    people = people_visible(scope=scope_from_organisation(organisation=schedule.organisation))
    people = people.filter(active=True).exclude(email="")
    paths = list(schedule.units.values_list("path", flat=True))
    if paths:
        in_units = Q()
        for path in paths:
            in_units |= Q(unit__path__startswith=path)
        people = people.filter(in_units)
    return people


def staff_pulse_period_open(*, organisation: Organisation, now: datetime | None = None) -> StaffPulsePeriod | None:
    """Open the current period of an active schedule (once): invite the staff and send the e-mails.
    Returns None where there is no active schedule or the period is already open."""
    now = now or timezone.now()
    schedule = StaffPulseSchedule.objects.filter(organisation=organisation, active=True).first()
    if schedule is None:
        return None
    start, end = period_bounds(day=now.astimezone(_zone(organisation)).date(), cadence=schedule.cadence)
    staff_pulse_items_ensure(organisation=organisation)
    with transaction.atomic():
        period, created = StaffPulsePeriod.objects.get_or_create(
            organisation=organisation, start=start, defaults={"end": end, "opened_at": now}
        )
        if not created:
            return None
        StaffPulseInvitation.objects.bulk_create(
            [
                StaffPulseInvitation(
                    organisation=organisation,
                    period=period,
                    person=person,
                    unit_id=person.unit_id,
                    email=person.email,
                    language=organisation.default_language,
                )
                for person in _invitees(schedule=schedule)
            ]
        )
    staff_pulse_invitations_send(period=period, now=now)
    return period


# -- e-mail ----------------------------------------------------------------------------------------


def answer_url(invitation: StaffPulseInvitation) -> str:
    return settings.KOHTAAMO_BASE_URL + reverse("staff_pulse:answer", kwargs={"token": invitation.token})


def _message(invitation: StaffPulseInvitation, *, reminder: bool) -> EmailMultiAlternatives:
    organisation = invitation.organisation
    with translation.override(invitation.language):
        context = {
            "organisation": organisation,
            "period": invitation.period,
            "url": answer_url(invitation),
            "reminder": reminder,
        }
        return templated_email(templates="staffexperience/email/", context=context, to=invitation.email)


def _deliver(invitation: StaffPulseInvitation, *, reminder: bool) -> str:
    return email_deliver(
        lambda: _message(invitation, reminder=reminder), what=f"Staff pulse invitation {invitation.pk}"
    )


def staff_pulse_invitations_send(*, period: StaffPulsePeriod, now: datetime | None = None) -> int:
    """Send every unsent invitation of the period; a failure is recorded and retried next run."""
    now = now or timezone.now()
    sent = 0
    unsent = StaffPulseInvitation.objects.filter(period=period, sent_at__isnull=True).select_related(
        "organisation", "period"
    )
    for invitation in unsent.iterator(chunk_size=500):
        error = _deliver(invitation, reminder=False)
        unsent_still = StaffPulseInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True)
        if error:
            unsent_still.update(last_error=error)
        else:
            sent += unsent_still.update(sent_at=now, last_error="")
    return sent


def staff_pulse_reminders_send(*, period: StaffPulsePeriod, now: datetime | None = None) -> int:
    """One reminder to every invitee who has not answered, once the schedule's delay has passed."""
    now = now or timezone.now()
    schedule = StaffPulseSchedule.objects.filter(organisation_id=period.organisation_id).first()
    if schedule is None or schedule.reminder_after_days == 0 or not period_accepts_answers(period=period, now=now):
        return 0
    due = StaffPulseInvitation.objects.filter(
        period=period,
        answered=False,
        reminded_at__isnull=True,
        sent_at__lte=now - timedelta(days=schedule.reminder_after_days),
    ).select_related("organisation", "period")
    sent = 0
    for invitation in due.iterator(chunk_size=500):
        error = _deliver(invitation, reminder=True)
        still_due = StaffPulseInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True, answered=False)
        if error:
            still_due.update(last_error=error)
        else:
            sent += still_due.update(reminded_at=now, last_error="")
    return sent


@dataclass(frozen=True)
class RunSummary:
    opened: int
    sent: int
    reminded: int


def staff_pulses_run(*, now: datetime | None = None) -> RunSummary:
    """The scheduled job: open due periods, retry unsent e-mails, send due reminders."""
    now = now or timezone.now()
    opened = sent = reminded = 0
    for schedule in StaffPulseSchedule.objects.filter(active=True).select_related("organisation"):
        opened += staff_pulse_period_open(organisation=schedule.organisation, now=now) is not None
    recent = StaffPulsePeriod.objects.filter(end__gte=(now - timedelta(days=1)).date())
    for period in recent:
        sent += staff_pulse_invitations_send(period=period, now=now)
        reminded += staff_pulse_reminders_send(period=period, now=now)
    return RunSummary(opened=opened, sent=sent, reminded=reminded)


# -- answering -------------------------------------------------------------------------------------


class AlreadyAnswered(Exception):
    """This invitation has been used; the pulse takes one answer per person and period."""


class PeriodClosed(Exception):
    """The period has ended."""


def period_accepts_answers(*, period: StaffPulsePeriod, now: datetime) -> bool:
    return now.astimezone(_zone(period.organisation)).date() <= period.end


def invitation_by_token(*, token: str) -> StaffPulseInvitation | None:
    return (
        StaffPulseInvitation.objects.select_related("organisation", "period__organisation").filter(token=token).first()
    )


def _validated(*, items: list[StaffPulseItem], values: dict[str, str], comment: str) -> dict[int, int]:
    errors: dict[str, str] = {}
    cleaned: dict[int, int] = {}
    for item in items:
        raw = (values.get(item.code) or "").strip()
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not SCALE_MIN <= value <= SCALE_MAX:
            errors[item.code] = (
                _("Please choose one of the options from 1 to 5.") if raw else _("Please answer this statement.")
            )
        else:
            cleaned[item.pk] = value
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("Please shorten your comment to at most %(max)s characters.") % {
            "max": COMMENT_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return cleaned


def sheet_index(values: list[int]) -> float:
    """The staff experience index of one sheet: the mean agreement rescaled to 0–100."""
    mean = sum(values) / len(values)
    return (mean - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * 100


def staff_pulse_answer(
    *, invitation: StaffPulseInvitation, values: dict[str, str], comment: str = "", now: datetime | None = None
) -> None:
    """Store one anonymous answer sheet and mark the invitation used, in one transaction.

    Raises ValidationError (per statement), AlreadyAnswered or PeriodClosed; nothing is stored then."""
    now = now or timezone.now()
    period = invitation.period
    if not period_accepts_answers(period=period, now=now):
        raise PeriodClosed
    items = list(
        StaffPulseItem.objects.filter(organisation_id=invitation.organisation_id, kind=StaffPulseItem.Kind.SCALE)
    )
    comment = (comment or "").strip()
    cleaned = _validated(items=items, values=values, comment=comment)
    with transaction.atomic():
        # The conditional update claims the invitation: of two concurrent submits only one matches.
        if not StaffPulseInvitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True):
            raise AlreadyAnswered
        sheet = StaffPulseSheet.objects.create(
            organisation_id=invitation.organisation_id,
            period=period,
            unit_id=invitation.unit_id,
            index=sheet_index(list(cleaned.values())),
            comment=comment,
        )
        StaffPulseAnswer.objects.bulk_create(
            [
                StaffPulseAnswer(
                    organisation_id=invitation.organisation_id,
                    sheet=sheet,
                    period=period,
                    unit_id=invitation.unit_id,
                    item_id=item_id,
                    value=value,
                )
                for item_id, value in cleaned.items()
            ]
        )
    invitation.answered = True
