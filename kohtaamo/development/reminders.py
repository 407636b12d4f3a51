"""E-mail reminders for clinic sessions, due actions and plan check-ins; each is sent once.

A reminder is claimed by setting its `reminder_sent_at` with a conditional UPDATE before the mail goes
out, so two cron runs at once cannot both send it; a failed send releases the claim for the next run.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kohtaamo.organisations.models import Person

from .models import ClinicAction, ClinicSession, PlanAction, PlanCheckIn

SESSION_NOTICE = timedelta(hours=24)
DUE_NOTICE_DAYS = 2


@dataclass(frozen=True)
class Reminder:
    subject: str
    lines: list[str]
    link: str


def _claim(model: type[Model], pk: int, now: datetime) -> bool:
    return model.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now) == 1


def _send(*, model: type[Model], pk: int, now: datetime, organisation, recipients: list[str], build) -> int:
    recipients = sorted({r for r in recipients if r})
    if not recipients or not _claim(model, pk, now):
        return 0
    with translation.override(organisation.default_language):
        reminder: Reminder = build()
        body = render_to_string("development/email/reminder.txt", {"reminder": reminder, "organisation": organisation})
        message = EmailMessage(subject=reminder.subject, body=body, to=recipients)
    try:
        message.send()
    except Exception:
        model.objects.filter(pk=pk).update(reminder_sent_at=None)
        raise
    return 1


def _url(name: str, organisation, **kwargs) -> str:
    return settings.KOHTAAMO_BASE_URL + reverse(name, kwargs={"org": organisation.slug, **kwargs})


def _session_reminders(now: datetime) -> int:
    sent = 0
    sessions = ClinicSession.objects.filter(
        reminder_sent_at__isnull=True, starts_at__gt=now, starts_at__lte=now + SESSION_NOTICE
    ).select_related("series", "organisation", "unit")
    for session in sessions:
        team = Person.objects.filter(unit__path__startswith=session.unit.path, active=True).exclude(email="")
        org = session.organisation

        def build(session=session, org=org):
            local = timezone.localtime(session.starts_at, ZoneInfo(org.time_zone))
            return Reminder(
                subject=_("Case clinic %(name)s on %(when)s")
                % {"name": session.series.name, "when": local.strftime("%d.%m.%Y %H:%M")},
                lines=[_("Bring a case: a successful or a difficult encounter."), session.series.location],
                link=_url("development:clinic_session", org, session_id=session.pk),
            )

        sent += _send(
            model=ClinicSession,
            pk=session.pk,
            now=now,
            organisation=org,
            recipients=list(team.values_list("email", flat=True)),
            build=build,
        )
    return sent


def _due(now: datetime):
    return timezone.localdate(now) + timedelta(days=DUE_NOTICE_DAYS)


def _clinic_action_reminders(now: datetime) -> int:
    sent = 0
    actions = ClinicAction.objects.filter(
        reminder_sent_at__isnull=True, done_at__isnull=True, due_date__lte=_due(now)
    ).select_related("owner", "organisation", "case__session")
    for action in actions:

        def build(action=action):
            return Reminder(
                subject=_("Action due %(date)s: %(action)s")
                % {"date": action.due_date.strftime("%d.%m.%Y"), "action": action.description},
                lines=[_("From the case: %(case)s") % {"case": action.case.title}],
                link=_url("development:clinic_session", action.organisation, session_id=action.case.session_id),
            )

        sent += _send(
            model=ClinicAction,
            pk=action.pk,
            now=now,
            organisation=action.organisation,
            recipients=[action.owner.email],
            build=build,
        )
    return sent


def _plan_action_reminders(now: datetime) -> int:
    sent = 0
    actions = PlanAction.objects.filter(
        reminder_sent_at__isnull=True, done_at__isnull=True, due_date__lte=_due(now)
    ).select_related("plan__person", "plan__organisation")
    for action in actions:
        plan = action.plan

        def build(action=action, plan=plan):
            return Reminder(
                subject=_("Development action due %(date)s: %(action)s")
                % {"date": action.due_date.strftime("%d.%m.%Y"), "action": action.description},
                lines=[_("Development plan: %(plan)s") % {"plan": plan.title}],
                link=_url("development:plan", plan.organisation, plan_id=plan.pk),
            )

        sent += _send(
            model=PlanAction,
            pk=action.pk,
            now=now,
            organisation=plan.organisation,
            recipients=[plan.person.email],
            build=build,
        )
    return sent


def _check_in_reminders(now: datetime) -> int:
    sent = 0
    check_ins = PlanCheckIn.objects.filter(
        reminder_sent_at__isnull=True, held_at__isnull=True, due_date__lte=_due(now)
    ).select_related("plan__person__supervisor", "plan__organisation")
    for check_in in check_ins:
        plan = check_in.plan
        supervisor = plan.person.supervisor.email if plan.person.supervisor else ""

        def build(check_in=check_in, plan=plan):
            return Reminder(
                subject=_("Development check-in on %(date)s: %(person)s")
                % {"date": check_in.due_date.strftime("%d.%m.%Y"), "person": plan.person.name},
                lines=[_("Development plan: %(plan)s") % {"plan": plan.title}],
                link=_url("development:plan", plan.organisation, plan_id=plan.pk),
            )

        sent += _send(
            model=PlanCheckIn,
            pk=check_in.pk,
            now=now,
            organisation=plan.organisation,
            recipients=[plan.person.email, supervisor],
            build=build,
        )
    return sent


def development_reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder that has come due and not been sent; returns how many e-mails went out."""
    now = now or timezone.now()
    return (
        _session_reminders(now) + _clinic_action_reminders(now) + _plan_action_reminders(now) + _check_in_reminders(now)
    )
