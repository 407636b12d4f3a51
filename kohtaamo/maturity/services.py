"""Writes for maturity surveys: the two questionnaires, the survey round and its invitations."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.feedback.invitations import invitation_send
from kohtaamo.feedback.models import Invitation, RespondentRole, Round
from kohtaamo.instruments.models import Dimension, Framework, Item, Perspective, Questionnaire
from kohtaamo.instruments.services import questionnaire_build
from kohtaamo.organisations.models import Language, Organisation, Unit

from .models import InvitationTarget, MaturitySurvey

ORGANISATION_KEY = "maturity-organisation"
CUSTOMER_KEY = "maturity-customer"
INVITED_ROLES = (RespondentRole.MANAGEMENT, RespondentRole.STAFF, RespondentRole.CUSTOMER)
SURVEY_NAMES = {
    Perspective.ORGANISATION: {
        "fi": "Asiakaskeskeisyyden kypsyys",
        "sv": "Kundfokusets mognad",
        "en": "Customer-centricity maturity",
    },
    Perspective.CUSTOMER: {
        "fi": "Millaisena koet palvelumme?",
        "sv": "Hur upplever du vår service?",
        "en": "How do you experience our service?",
    },
}
OPEN_QUESTION = {
    Perspective.ORGANISATION: {
        "fi": "Mikä yksittäinen muutos tekisi meistä asiakaskeskeisemmän organisaation?",
        "sv": "Vilken enskild förändring skulle göra oss mer kundfokuserade?",
        "en": "What single change would make us a more customer-centric organisation?",
    },
    Perspective.CUSTOMER: {
        "fi": "Mitä haluaisit meidän tekevän toisin?",
        "sv": "Vad skulle du vilja att vi gjorde annorlunda?",
        "en": "What would you like us to do differently?",
    },
}


def maturity_items(*, framework: Framework) -> list[Item]:
    """The maturity items in theme order."""
    return list(
        Item.objects.filter(framework=framework, dimensions__group=Dimension.Group.MATURITY)
        .order_by("dimensions__order", "code")
        .distinct()
    )


@transaction.atomic
def maturity_questionnaire_create(
    *, organisation: Organisation, framework: Framework, perspective: str
) -> Questionnaire:
    """A new version of the maturity questionnaire for one perspective (organisation or customer):
    the two items of every theme in theme order, with the wording of that perspective, and an open question."""
    if perspective not in (Perspective.ORGANISATION, Perspective.CUSTOMER):
        raise ValueError(f"No maturity questionnaire for perspective {perspective!r}.")
    return questionnaire_build(
        organisation=organisation,
        framework=framework,
        key=ORGANISATION_KEY if perspective == Perspective.ORGANISATION else CUSTOMER_KEY,
        kind=Questionnaire.Kind.MATURITY,
        names=SURVEY_NAMES[perspective],
        perspective=perspective,
        items=list(maturity_items(framework=framework)),
        open_questions=[OPEN_QUESTION[perspective]],
    )


def _framework_with_maturity() -> Framework:
    framework = (
        Framework.objects.filter(dimensions__group=Dimension.Group.MATURITY).order_by("-version").distinct().first()
    )
    if framework is None:
        raise ValidationError(_("The measurement framework has no maturity themes."), code="no_framework")
    return framework


@transaction.atomic
def maturity_survey_create(*, organisation: Organisation, year: int, name: str = "") -> MaturitySurvey:
    """This year's maturity survey: a round of kind maturity with its two questionnaire versions."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")}, code="year")
    if MaturitySurvey.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": _("There is already a maturity survey for %(year)s.") % {"year": year}})
    framework = _framework_with_maturity()
    staff_version = maturity_questionnaire_create(
        organisation=organisation, framework=framework, perspective=Perspective.ORGANISATION
    )
    customer_version = maturity_questionnaire_create(
        organisation=organisation, framework=framework, perspective=Perspective.CUSTOMER
    )
    default_name = f"{staff_version.names.get(organisation.default_language, staff_version.name)} {year}"
    survey_round = Round.objects.create(
        organisation=organisation,
        kind=Round.Kind.MATURITY,
        name=(name or "").strip() or default_name,
        questionnaire=staff_version,
        invite_after_encounters=False,
        expires_after_days=30,
    )
    return MaturitySurvey.objects.create(
        organisation=organisation,
        round=survey_round,
        year=year,
        organisation_questionnaire=staff_version,
        customer_questionnaire=customer_version,
    )


@dataclass(frozen=True)
class Invitee:
    email: str
    unit: Unit | None = None
    language: str = ""


def _questionnaire_for(survey: MaturitySurvey, role: str) -> Questionnaire:
    if role == RespondentRole.CUSTOMER:
        return survey.customer_questionnaire
    return survey.organisation_questionnaire


def _validated(*, survey: MaturitySurvey, role: str, invitees: list[Invitee]) -> None:
    if role not in INVITED_ROLES:
        raise ValidationError({"role": _("Choose management, staff or customers.")})
    if not invitees:
        raise ValidationError({"emails": _("Give at least one e-mail address.")})
    errors = []
    for line, invitee in enumerate(invitees, start=1):
        try:
            validate_email(invitee.email)
        except ValidationError:
            errors.append(
                _("Line %(line)s: “%(email)s” is not an e-mail address.") % {"line": line, "email": invitee.email}
            )
        if invitee.unit is not None and invitee.unit.organisation_id != survey.organisation_id:
            errors.append(_("Line %(line)s: the unit belongs to another organisation.") % {"line": line})
        if invitee.language and invitee.language not in Language.values:
            errors.append(_("Line %(line)s: unknown language.") % {"line": line})
    if errors:
        raise ValidationError({"emails": errors})


def maturity_invitations_create(
    *, survey: MaturitySurvey, role: str, invitees: list[Invitee], now: datetime | None = None
) -> list[Invitation]:
    """One invitation per invitee, asking the questionnaire version of the role's perspective, with the
    invitee's unit kept beside it. All or nothing: one bad address stores none."""
    now = now or timezone.now()
    _validated(survey=survey, role=role, invitees=invitees)
    organisation = survey.organisation
    questionnaire = _questionnaire_for(survey, role)
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(
                    organisation=organisation,
                    round=survey.round,
                    email=invitee.email.strip(),
                    language=invitee.language or organisation.default_language,
                    respondent_role=role,
                    questionnaire=questionnaire,
                    expires_at=now + timedelta(days=survey.round.expires_after_days),
                )
                for invitee in invitees
            ]
        )
        InvitationTarget.objects.bulk_create(
            [
                InvitationTarget(invitation=invitation, survey=survey, unit=invitee.unit)
                for invitation, invitee in zip(invitations, invitees, strict=True)
            ]
        )
    return invitations


def maturity_invitations_send(*, survey: MaturitySurvey, now: datetime | None = None) -> int:
    """Send the survey's waiting invitations; returns how many were sent."""
    pending = Invitation.objects.filter(round=survey.round, status=Invitation.Status.PENDING)
    return sum(invitation_send(invitation_id=pk, now=now) for pk in list(pending.values_list("pk", flat=True)))
