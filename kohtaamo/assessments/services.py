"""Writes of a 360 round: creating it, nominations and approvals, raters, invitations and reminders."""

import csv
import io
import logging
import smtplib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kohtaamo.analytics.anonymity import threshold_for
from kohtaamo.feedback.invitations import invitation_url
from kohtaamo.feedback.models import Invitation, RespondentRole, Round
from kohtaamo.instruments.models import Framework, Perspective, pick_language
from kohtaamo.organisations.models import Customer, Person
from kohtaamo.organisations.selectors import Scope, people_visible, require_manager
from kohtaamo.privacy.consent import consents_record_raters

from .models import Assessment, Participant, Rater
from .questionnaires import perspective_of, questionnaires_create_360

logger = logging.getLogger(__name__)
COLLEAGUE_ROLES = (RespondentRole.COLLEAGUE,)


def _today(assessment: Assessment, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), timezone=ZoneInfo(assessment.organisation.time_zone))


def assessment_is_open(*, assessment: Assessment, now: datetime | None = None) -> bool:
    return assessment.round.active and _today(assessment, now) <= assessment.answering_closes_on


def _require_open(assessment: Assessment, *, nominating: bool = False, now: datetime | None = None) -> None:
    if not assessment_is_open(assessment=assessment, now=now):
        raise ValidationError(_("This 360 round is closed."), code="closed")
    if nominating and _today(assessment, now) > assessment.nomination_closes_on:
        raise ValidationError(
            _("Nominations for this 360 round closed on %(date)s.")
            % {"date": assessment.nomination_closes_on.isoformat()},
            code="nominations_closed",
        )


# -- creating a round ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleImport:
    people: list[Person]
    errors: list[str]


def people_from_csv(*, scope: Scope, content: bytes) -> PeopleImport:
    """People listed in a CSV by external id or e-mail (column `person` or the first column); line-numbered errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return PeopleImport([], [_("The file is not UTF-8 text.")])
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() in {"person", "external_id", "email"}:
        rows = [(i, row) for i, row in enumerate(rows[1:], start=2)]
    else:
        rows = list(enumerate(rows, start=1))
    visible = people_visible(scope=scope)
    references = [row[0].strip() for _i, row in rows if row and row[0].strip()]
    found = {
        key: person
        for person in visible.filter(Q(external_id__in=references) | Q(email__in=references))
        for key in (person.external_id, person.email)
        if key
    }
    people, errors = [], []
    for line, row in rows:
        reference = row[0].strip() if row else ""
        if not reference:
            continue
        if reference in found:
            people.append(found[reference])
        else:
            errors.append(
                _("Line %(line)d: no person “%(ref)s” in this organisation.") % {"line": line, "ref": reference}
            )
    return PeopleImport(list(dict.fromkeys(people)), errors)


def _validate_schedule(*, nomination_closes_on: date, answering_closes_on: date, report_on: date) -> None:
    if not nomination_closes_on <= answering_closes_on <= report_on:
        raise ValidationError(
            _("The dates must be in order: nominations close, then answering closes, then reports are released."),
            code="schedule",
        )


@transaction.atomic
def assessment_create(
    *,
    scope: Scope,
    name: str,
    people: list[Person],
    nomination_closes_on: date,
    answering_closes_on: date,
    report_on: date,
    min_colleagues: int = 3,
    max_colleagues: int = 8,
    created_by=None,
) -> Assessment:
    """A 360 round for `people`: its three questionnaires, a participant per person with self,
    supervisor and direct-report raters already in place; colleagues are nominated next."""
    require_manager(scope)
    organisation = scope.organisation
    _validate_schedule(
        nomination_closes_on=nomination_closes_on, answering_closes_on=answering_closes_on, report_on=report_on
    )
    if not 1 <= min_colleagues <= max_colleagues:
        raise ValidationError(_("The colleague limits must satisfy 1 ≤ fewest ≤ most."), code="limits")
    ids = {p.pk for p in people}
    if not ids:
        raise ValidationError(_("Choose at least one person to assess."), code="no_people")
    if people_visible(scope=scope).filter(pk__in=ids).count() != len(ids):
        raise ValidationError(_("Every assessed person must belong to this organisation."), code="foreign_person")
    framework = Framework.objects.order_by("-version").first()
    versions = questionnaires_create_360(organisation=organisation, framework=framework)
    round_ = Round.objects.create(
        organisation=organisation,
        kind=Round.Kind.THREE_SIXTY,
        name=name,
        questionnaire=versions[Perspective.OTHER],
        invite_after_encounters=False,
    )
    assessment = Assessment.objects.create(
        organisation=organisation,
        round=round_,
        nomination_closes_on=nomination_closes_on,
        answering_closes_on=answering_closes_on,
        report_on=report_on,
        min_colleagues=min_colleagues,
        max_colleagues=max_colleagues,
        questionnaire_self=versions[Perspective.SELF],
        questionnaire_other=versions[Perspective.OTHER],
        questionnaire_customer=versions[Perspective.CUSTOMER],
        created_by=created_by,
    )
    participants_add(assessment=assessment, people=Person.objects.filter(pk__in=ids))
    return assessment


def _language_of(organisation) -> str:
    return organisation.default_language or "fi"


def participants_add(*, assessment: Assessment, people) -> list[Participant]:
    people = list(people.select_related("supervisor"))
    participants = Participant.objects.bulk_create(
        [
            Participant(organisation_id=assessment.organisation_id, assessment=assessment, person=p, coach=p.supervisor)
            for p in people
        ]
    )
    language = _language_of(assessment.organisation)
    direct_reports: dict[int, list[Person]] = {}
    for report in Person.objects.filter(supervisor__in=people, active=True):
        direct_reports.setdefault(report.supervisor_id, []).append(report)
    raters = []
    for participant, person in zip(participants, people, strict=True):
        raters.append(
            Rater(
                participant=participant, role=RespondentRole.SELF, person=person, email=person.email, language=language
            )
        )
        if person.supervisor_id:
            raters.append(
                Rater(
                    participant=participant,
                    role=RespondentRole.SUPERVISOR,
                    person=person.supervisor,
                    email=person.supervisor.email,
                    language=language,
                )
            )
        for report in direct_reports.get(person.pk, []):
            raters.append(
                Rater(
                    participant=participant,
                    role=RespondentRole.DIRECT_REPORT,
                    person=report,
                    email=report.email,
                    language=language,
                )
            )
    Rater.objects.bulk_create(raters)
    return participants


# -- nominations ----------------------------------------------------------------------------------


def _validate_colleagues(*, participant: Participant, colleagues: list[Person]) -> None:
    assessment = participant.assessment
    errors = []
    if any(c.organisation_id != participant.organisation_id for c in colleagues):
        errors.append(_("Colleague raters must belong to your organisation."))
    if any(c.pk == participant.person_id for c in colleagues):
        errors.append(_("You cannot rate yourself as a colleague; your self-assessment is asked separately."))
    taken = set(
        participant.raters.exclude(role=RespondentRole.COLLEAGUE)
        .filter(person__isnull=False)
        .values_list("person_id", flat=True)
    )
    if any(c.pk in taken for c in colleagues):
        errors.append(_("Your supervisor and direct reports already rate you in their own groups."))
    if any(not c.email for c in colleagues):
        errors.append(_("Every colleague rater needs an e-mail address."))
    count = len({c.pk for c in colleagues})
    if not assessment.min_colleagues <= count <= assessment.max_colleagues:
        errors.append(
            _("Nominate between %(min)d and %(max)d colleagues (now %(n)d).")
            % {"min": assessment.min_colleagues, "max": assessment.max_colleagues, "n": count}
        )
    if errors:
        raise ValidationError(errors)


def _colleagues_replace(*, participant: Participant, colleagues: list[Person]) -> None:
    current = participant.raters.filter(role=RespondentRole.COLLEAGUE)
    invited = set(current.filter(invitation__isnull=False).values_list("person_id", flat=True))
    wanted = {c.pk: c for c in colleagues}
    if invited - set(wanted):
        raise ValidationError(_("A colleague who has already been invited cannot be removed."), code="invited")
    current.exclude(person_id__in=list(wanted)).delete()
    existing = set(current.values_list("person_id", flat=True))
    language = _language_of(participant.assessment.organisation)
    Rater.objects.bulk_create(
        [
            Rater(participant=participant, role=RespondentRole.COLLEAGUE, person=c, email=c.email, language=language)
            for pk, c in wanted.items()
            if pk not in existing
        ]
    )


@transaction.atomic
def nomination_submit(
    *, participant: Participant, colleagues: list[Person], now: datetime | None = None
) -> Participant:
    """The assessed person's own colleague nominations; their supervisor approves or edits them next."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("assessment__round", "assessment__organisation")
        .get(pk=participant.pk)
    )
    _require_open(participant.assessment, nominating=True, now=now)
    if participant.nomination == Participant.Nomination.APPROVED:
        raise ValidationError(_("Your nominations have already been approved."), code="approved")
    _validate_colleagues(participant=participant, colleagues=colleagues)
    _colleagues_replace(participant=participant, colleagues=colleagues)
    participant.nomination = Participant.Nomination.SUBMITTED
    participant.save(update_fields=["nomination"])
    return participant


@transaction.atomic
def nomination_approve(
    *, participant: Participant, colleagues: list[Person], approved_by, now: datetime | None = None
) -> Participant:
    """The supervisor (or a CX lead) approves the colleague list, as nominated or edited."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("assessment__round", "assessment__organisation")
        .get(pk=participant.pk)
    )
    _require_open(participant.assessment, now=now)
    _validate_colleagues(participant=participant, colleagues=colleagues)
    _colleagues_replace(participant=participant, colleagues=colleagues)
    participant.nomination = Participant.Nomination.APPROVED
    participant.approved_by = approved_by
    participant.approved_at = now or timezone.now()
    participant.save(update_fields=["nomination", "approved_by", "approved_at"])
    return participant


def customers_suggested(*, participant: Participant, days: int = 180, now: datetime | None = None):
    """Customers the person served recently who agreed to be contacted and whose details are still kept."""
    now = now or timezone.now()
    today = _today(participant.assessment, now)
    return (
        Customer.objects.filter(
            organisation_id=participant.organisation_id,
            encounters__person_id=participant.person_id,
            encounters__occurred_at__gte=now - timedelta(days=days),
            contact_consent=True,
        )
        .exclude(email="")
        .filter(Q(retain_until__isnull=True) | Q(retain_until__gte=today))
        .exclude(rates__participant=participant)
        .distinct()
        .order_by("external_id")
    )


@transaction.atomic
def customer_raters_add(
    *,
    participant: Participant,
    customers: list[Customer] = (),
    emails: list[str] = (),
    now: datetime | None = None,
    days: int = 180,
) -> list[Rater]:
    """Customer raters: suggested customers (consent and contact checked again) or addresses added by hand.
    `days` is the window of recent encounters the customers are drawn from, as in customers_suggested."""
    _require_open(participant.assessment, now=now)
    allowed = {c.pk for c in customers_suggested(participant=participant, now=now, days=days)}
    if any(c.pk not in allowed for c in customers):
        raise ValidationError(_("Only customers this person served who agreed to be contacted can be invited."))
    for email in emails:
        try:
            from django.core.validators import validate_email

            validate_email(email)
        except ValidationError:
            raise ValidationError(_("“%(email)s” is not a valid e-mail address.") % {"email": email}) from None
    language = _language_of(participant.assessment.organisation)
    raters = [
        Rater(
            participant=participant,
            role=RespondentRole.CUSTOMER,
            customer=c,
            email=c.email,
            language=c.language or language,
        )
        for c in customers
    ]
    known = set(participant.raters.values_list("email", flat=True))
    raters += [
        Rater(participant=participant, role=RespondentRole.CUSTOMER, email=e, language=language)
        for e in dict.fromkeys(emails)
        if e not in known
    ]
    created = Rater.objects.bulk_create(raters)
    consents_record_raters(raters=created)
    return created


# -- invitations ------------------------------------------------------------------------------------


def _questionnaire_for(assessment: Assessment, role: str):
    return {
        Perspective.SELF: assessment.questionnaire_self,
        Perspective.OTHER: assessment.questionnaire_other,
        Perspective.CUSTOMER: assessment.questionnaire_customer,
    }[perspective_of(role)]


def _expires_at(assessment: Assessment) -> datetime:
    zone = ZoneInfo(assessment.organisation.time_zone)
    return datetime.combine(assessment.answering_closes_on + timedelta(days=1), time.min, tzinfo=zone)


def _message(rater: Rater, *, reminder: bool) -> EmailMultiAlternatives:
    invitation = rater.invitation
    assessment = rater.participant.assessment
    with translation.override(rater.language), timezone.override(assessment.organisation.time_zone):
        context = {
            "organisation": assessment.organisation,
            "subject": rater.participant.person,
            "role": rater.role,
            "self": rater.role == RespondentRole.SELF,
            "customer": rater.role == RespondentRole.CUSTOMER,
            "supervisor": rater.role == RespondentRole.SUPERVISOR,
            "threshold": threshold_for(assessment.organisation),
            "survey_name": pick_language(_questionnaire_for(assessment, rater.role).names, rater.language),
            "url": invitation_url(invitation),
            "closes_on": assessment.answering_closes_on,
            "reminder": reminder,
        }
        subject = " ".join(render_to_string("assessments/email/invitation_subject.txt", context).split())
        text = render_to_string("assessments/email/invitation_body.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[rater.email])


def _deliver(rater: Rater, *, reminder: bool) -> bool:
    try:
        _message(rater, reminder=reminder).send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("360 invitation of rater %s could not be sent: %s", rater.pk, exc)
        Invitation.objects.filter(pk=rater.invitation_id).update(status=Invitation.Status.FAILED, last_error=str(exc))
        return False
    return True


def raters_invite(*, assessment: Assessment, now: datetime | None = None, send: bool = True) -> int:
    """Invite every rater of approved participants who has no invitation yet; returns e-mails sent.
    With `send=False` the invitations are only created (links handed out some other way)."""
    now = now or timezone.now()
    _require_open(assessment, now=now)
    raters = (
        Rater.objects.filter(
            participant__assessment=assessment,
            participant__nomination=Participant.Nomination.APPROVED,
            invitation__isnull=True,
        )
        .exclude(email="")
        .select_related("participant__person", "participant__assessment__organisation")
    )
    sent = 0
    for rater in raters:
        with transaction.atomic():
            rater.invitation = Invitation.objects.create(
                organisation_id=assessment.organisation_id,
                round_id=assessment.round_id,
                customer_id=rater.customer_id,
                language=rater.language,
                respondent_role=rater.role,
                subject_person_id=rater.participant.person_id,
                questionnaire=_questionnaire_for(assessment, rater.role),
                status=Invitation.Status.SENT if send else Invitation.Status.PENDING,
                sent_at=now if send else None,
                expires_at=_expires_at(assessment),
            )
            rater.save(update_fields=["invitation"])
        rater.participant.assessment = assessment
        if send:
            sent += _deliver(rater, reminder=False)
    return sent


def raters_remind(*, assessment: Assessment, now: datetime | None = None) -> int:
    """Remind invited raters who have not answered (at most once a day)."""
    now = now or timezone.now()
    _require_open(assessment, now=now)
    raters = (
        Rater.objects.filter(participant__assessment=assessment, invitation__isnull=False)
        .exclude(invitation__status=Invitation.Status.RESPONDED)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - timedelta(days=1)))
        .select_related("invitation", "participant__person")
    )
    sent = 0
    for rater in raters:
        rater.participant.assessment = assessment
        if _deliver(rater, reminder=True):
            Rater.objects.filter(pk=rater.pk).update(reminded_at=now)
            Invitation.objects.filter(pk=rater.invitation_id).update(status=Invitation.Status.REMINDED, reminded_at=now)
            sent += 1
    return sent


def assessment_close(*, assessment: Assessment) -> Assessment:
    """No more nominations or answers; released reports stay as they are."""
    Round.objects.filter(pk=assessment.round_id).update(active=False)
    assessment.round.active = False
    return assessment
