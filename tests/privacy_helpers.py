"""A person and a customer with data in every app, and a scan of every text column for what identifies them."""

import datetime as dt
import json

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from kohtaamo.assessments.models import Participant
from kohtaamo.development.models import (
    ClinicAction,
    ClinicCase,
    ClinicSeries,
    ClinicSession,
    DevelopmentPlan,
    MentorPair,
    SelfTestResult,
)
from kohtaamo.feedback.invitations import invitation_create_for_encounter
from kohtaamo.feedback.models import Encounter, Invitation, RespondentRole
from kohtaamo.followup.models import FollowupCase
from kohtaamo.integrations.models import Webhook, WebhookDelivery
from kohtaamo.mystery.models import ActionPlan
from kohtaamo.organisations.models import Customer, Membership, Person
from kohtaamo.privacy.audit import audit_record
from kohtaamo.textanalytics.models import TranscriptAnalysis

from .assessments_helpers import make_round
from .development_helpers import pulse_response
from .mystery_helpers import scenario_build, wave_build

NAME = "Maija Poistettava"
EMAIL = "maija.poistettava@example.org"
EXTERNAL_ID = "EMP-90210"
USERNAME = "maija.login"
CUSTOMER_ID = "CUST-777123"
CUSTOMER_EMAIL = "asiakas.tunnistettava@example.net"


def person_footprint(world) -> Person:
    """An employee with a login and rows in feedback, 360, development, mystery, follow-up, text analytics,
    integrations, the admin log and the audit log; several of them copy the name or e-mail as text."""
    org = world.organisation
    user = User.objects.create_user(USERNAME, EMAIL, "pw", first_name="Maija", last_name="Poistettava")
    person = Person.objects.create(
        organisation=org, unit=world.team, name=NAME, email=EMAIL, external_id=EXTERNAL_ID, user=user
    )
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.EMPLOYEE, person=person)
    encounter = Encounter.objects.create(
        organisation=org,
        external_id="ENC-P-1",
        person=person,
        unit=world.team,
        channel="phone",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        transcript=f"{NAME}: Hello, how can I help?",
    )
    TranscriptAnalysis.objects.create(
        organisation=org, encounter=encounter, format="plain", turns=[{"speaker": NAME, "text": "Hello"}]
    )
    response = pulse_response(world, value=5, comment=f"{NAME} listened well", person=person)
    make_round(world, subjects=[person])  # 360 participant with a self rater holding the e-mail
    series = ClinicSeries.objects.create(
        organisation=org, unit=world.team, name="Team clinic", first_session_at=timezone.now()
    )
    session = ClinicSession.objects.create(organisation=org, unit=world.team, series=series, starts_at=timezone.now())
    case = ClinicCase.objects.create(
        organisation=org,
        unit=world.team,
        session=session,
        title="Loan call",
        outcome="success",
        situation=f"{NAME} handled a difficult call",
    )
    ClinicAction.objects.create(
        organisation=org,
        unit=world.team,
        case=case,
        description="Share the script",
        owner=person,
        due_date=timezone.localdate(),
    )
    DevelopmentPlan.objects.create(
        organisation=org, unit=world.team, person=person, title="Listening", started_at=timezone.now()
    )
    SelfTestResult.objects.create(
        organisation=org, unit=world.team, person=person, language="fi", answers={}, profile={}
    )
    MentorPair.objects.create(organisation=org, unit=world.team, mentor=world.other_person, mentee=person, goals="Calm")
    scenario, _items = scenario_build(org)
    wave = wave_build(org, scenario)
    ActionPlan.objects.create(
        organisation=org,
        unit=world.team,
        wave=wave,
        title=f"Coach {NAME}",
        owner=person,
        due_on=timezone.localdate(),
    )
    FollowupCase.objects.create(
        organisation=org,
        response=response,
        unit=world.team,
        opened_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=3),
        contact_note=f"Customer praised {NAME} ({EMAIL})",
    )
    webhook = Webhook.objects.create(organisation=org, url="https://hooks.example.org/x", events=["response.submitted"])
    WebhookDelivery.objects.create(
        webhook=webhook, event="response.submitted", payload={"person": NAME, "id": EXTERNAL_ID}
    )
    LogEntry.objects.create(
        user=world.admin,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="Changed e-mail",
    )
    audit_record(organisation=org, actor=user, action="view", object_type="feedback.response", object_id=response.pk)
    return person


def customer_footprint(world) -> Customer:
    """A customer with consent, an encounter with a transcript, an invitation, a response, a follow-up case,
    a 360 rater record and a business outcome."""
    from kohtaamo.impact.models import Outcome
    from kohtaamo.privacy.consent import consent_record_admin

    org = world.organisation
    customer = Customer.objects.create(
        organisation=org, external_id=CUSTOMER_ID, email=CUSTOMER_EMAIL, contact_consent=True, language="fi"
    )
    consent_record_admin(customer=customer, given=True)
    encounter = Encounter.objects.create(
        organisation=org,
        external_id="ENC-C-1",
        customer=customer,
        person=world.person,
        unit=world.team,
        channel="phone",
        occurred_at=timezone.now() - dt.timedelta(hours=3),
        transcript=f"Customer {CUSTOMER_ID} called from {CUSTOMER_EMAIL}",
    )
    invitation = invitation_create_for_encounter(encounter=encounter, programme=world.programme)
    assert invitation is not None and invitation.email == CUSTOMER_EMAIL
    response = pulse_response(world, value=2, comment="Slow answer")
    response.invitation = invitation
    response.encounter = encounter
    response.save(update_fields=["invitation", "encounter"])
    FollowupCase.objects.create(
        organisation=org,
        response=response,
        invitation=invitation,
        customer=customer,
        unit=world.team,
        opened_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=3),
        contact_note=f"Called {CUSTOMER_EMAIL}, left a message",
    )
    Outcome.objects.create(
        organisation=org,
        customer=customer,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        spend=120,
    )
    participant = Participant.objects.filter(organisation=org).first()
    if participant is not None:
        participant.raters.create(role=RespondentRole.CUSTOMER, customer=customer, email=CUSTOMER_EMAIL)
    assert Invitation.objects.filter(customer=customer).exists()
    return customer


def text_columns():
    """(model, field) for every text, e-mail and JSON column of every model in every app."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def occurrences(*, needles: list[str], wholes: list[str] = ()) -> list[str]:
    """Every column value that contains a needle (case-insensitive) or equals a whole-value needle."""
    found = []
    lowered = [n.casefold() for n in needles]
    whole = {w.casefold() for w in wholes}
    for model, field in text_columns():
        for pk, value in model._base_manager.values_list("pk", field.name).iterator():
            if value in (None, ""):
                continue
            text = json.dumps(value, ensure_ascii=False) if isinstance(field, models.JSONField) else str(value)
            folded = text.casefold()
            if any(n in folded for n in lowered) or folded.strip() in whole:
                found.append(f"{model._meta.label}.{field.name} #{pk}: {text[:80]}")
    return found


def links_to(model, pk) -> list[str]:
    """Rows in any app whose foreign key still points at `pk` of `model`."""
    found = []
    for other in apps.get_models():
        for field in other._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                for row_pk in other._base_manager.filter(**{field.attname: pk}).values_list("pk", flat=True):
                    found.append(f"{other._meta.label}.{field.name} #{row_pk}")
    return found
