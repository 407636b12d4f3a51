"""Writes for feedback collection. Intake (encounters, invitations) and responding live in their own
modules; this module is the app's public service surface."""

from django.db import transaction

from kohtaamo.instruments.selectors import current_framework
from kohtaamo.instruments.services import framework_import, questionnaire_create_pulse
from kohtaamo.organisations.models import Organisation

from .models import Round


@transaction.atomic
def pulse_programme_ensure(*, organisation: Organisation) -> Round:
    """The organisation's pulse programme, created with the framework's pulse survey on first use."""
    programme = Round.objects.filter(organisation=organisation, kind=Round.Kind.PULSE).first()
    if programme:
        return programme
    framework = current_framework() or framework_import()
    questionnaire = questionnaire_create_pulse(organisation=organisation, framework=framework)
    return Round.objects.create(
        organisation=organisation,
        kind=Round.Kind.PULSE,
        name=questionnaire.names.get(organisation.default_language, questionnaire.name),
        questionnaire=questionnaire,
    )


@transaction.atomic
def rounds_switch_questionnaire(*, old, new) -> int:
    """Point the active rounds asking `old` at its new version; responses keep the version they answered."""
    return Round.objects.filter(questionnaire=old, active=True).update(questionnaire=new)
