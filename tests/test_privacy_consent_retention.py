"""Consent records where contact details come in, and the daily retention run."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from kohtaamo.assessments import services as assessment_services
from kohtaamo.assessments.models import Participant, Rater
from kohtaamo.feedback.intake import encounters_create, encounters_import_csv
from kohtaamo.feedback.models import Encounter, Invitation, Response
from kohtaamo.followup.models import FollowupCase
from kohtaamo.organisations.models import Customer
from kohtaamo.privacy.models import AuditEntry, ConsentRecord, PrivacySettings
from kohtaamo.privacy.tasks import enforce_retention

from .assessments_helpers import make_round
from .development_helpers import pulse_response

HEADER = "external_id,occurred_at,unit,channel,customer_id,customer_email,consent"


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def _today():
    return timezone.localdate()


def test_csv_import_opens_and_closes_consents_and_dates_the_customer(world):
    result = encounters_import_csv(
        organisation=world.organisation,
        file=_csv(
            "K1,2025-03-14T09:30,Acme Centre,phone,C1,c1@example.org,yes", "K2,2025-03-14T10:00,Acme Centre,phone,C2,,"
        ),
    )
    assert result.errors == []
    [given] = ConsentRecord.objects.all()
    customer = Customer.objects.get(external_id="C1")
    assert (given.customer, given.state, given.source, given.purpose) == (
        customer,
        "given",
        "csv_import",
        "survey_invitations",
    )
    assert given.wording_version == "intake-1" and given.wording and given.closed_at is None
    assert customer.retain_until == _today() + dt.timedelta(days=365)

    # the same "yes" again records nothing new; a "no" closes the consent and records the withdrawal
    encounters_import_csv(organisation=world.organisation, file=_csv("K3,2025-03-15T09:30,Acme Centre,phone,C1,,yes"))
    assert ConsentRecord.objects.count() == 1
    encounters_import_csv(organisation=world.organisation, file=_csv("K4,2025-03-16T09:30,Acme Centre,phone,C1,,no"))
    given.refresh_from_db()
    assert (given.closed_reason, given.closed_at is not None) == ("withdrawn", True)
    withdrawn = ConsentRecord.objects.exclude(pk=given.pk).get()
    assert (withdrawn.state, withdrawn.source) == ("withdrawn", "csv_import")
    customer.refresh_from_db()
    assert (customer.email, customer.contact_consent) == ("", False)


def test_api_intake_records_its_source_and_keeps_a_retention_date_given(world):
    Customer.objects.create(organisation=world.organisation, external_id="C9", retain_until=dt.date(2031, 1, 1))
    encounters_create(
        organisation=world.organisation,
        items=[
            {
                "external_id": "A1",
                "occurred_at": "2025-03-14T09:30",
                "unit": "Acme Centre",
                "channel": "phone",
                "customer_id": "C9",
                "customer_email": "c9@example.org",
                "consent": "yes",
            }
        ],
    )
    record = ConsentRecord.objects.get()
    assert (record.source, record.customer.external_id) == ("api", "C9")
    assert Customer.objects.get(external_id="C9").retain_until == dt.date(2031, 1, 1)


def test_the_respondents_contact_choice_is_a_consent_record(world, client):
    customer = Customer.objects.create(organisation=world.organisation, external_id="C5", email="c5@example.org")
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        customer=customer,
        email=customer.email,
        language="en",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    client.post(f"/followup/contact/{invitation.token}/", {"choice": "contact"})
    client.post(f"/followup/contact/{invitation.token}/", {"choice": "contact"})
    [record] = ConsentRecord.objects.all()
    assert (record.purpose, record.state, record.source, record.invitation, record.customer) == (
        "followup_contact",
        "given",
        "respondent_page",
        invitation,
        customer,
    )
    assert record.wording == "Please contact me"
    client.post(f"/followup/contact/{invitation.token}/", {"choice": "no_contact"})
    record.refresh_from_db()
    assert record.closed_reason == "withdrawn"
    assert ConsentRecord.objects.filter(state="withdrawn", wording="Please do not contact me").count() == 1


def test_360_customer_raters_typed_in_by_staff_get_a_consent_record(world):
    from .assessments_helpers import people

    colleagues = people(world, 3)
    make_round(world, subjects=[world.person])
    participant = Participant.objects.get(person=world.person)
    assessment_services.nomination_submit(participant=participant, colleagues=colleagues)
    assessment_services.nomination_approve(participant=participant, colleagues=colleagues, approved_by=world.cx_lead)
    assessment_services.customer_raters_add(participant=participant, emails=["r1@example.net", "r2@example.net"])
    records = ConsentRecord.objects.order_by("pk")
    assert [(r.rater.email, r.purpose, r.source) for r in records] == [
        ("r1@example.net", "rater_invitation", "staff_entry"),
        ("r2@example.net", "rater_invitation", "staff_entry"),
    ]


def _customer_with_contact(world, external_id: str, *, retain_until=None, consented_days_ago: int = 0) -> Customer:
    from kohtaamo.privacy.consent import consent_record_admin

    customer = Customer.objects.create(
        organisation=world.organisation,
        external_id=external_id,
        email=f"{external_id.lower()}@example.org",
        contact_consent=True,
        retain_until=retain_until,
    )
    consent_record_admin(customer=customer, given=True, at=timezone.now() - dt.timedelta(days=consented_days_ago))
    if retain_until is None:  # the consent dated it; the test wants it undated
        Customer.objects.filter(pk=customer.pk).update(retain_until=None)
    encounter = Encounter.objects.create(
        organisation=world.organisation,
        external_id=f"E-{external_id}",
        customer=customer,
        unit=world.team,
        channel="phone",
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        encounter=encounter,
        customer=customer,
        email=customer.email,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    response = pulse_response(world, value=4)
    Response.objects.filter(pk=response.pk).update(invitation=invitation, encounter=encounter)
    FollowupCase.objects.create(
        organisation=world.organisation,
        response=response,
        invitation=invitation,
        unit=world.team,
        opened_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=3),
        contact_note=f"Phoned {customer.email}",
    )
    return customer


def test_retention_wipes_expired_contact_details_once_and_keeps_answers(world):
    today = _today()
    PrivacySettings.objects.create(organisation=world.organisation, contact_retention_days=365)
    expired = _customer_with_contact(world, "OLD", retain_until=today - dt.timedelta(days=1))
    undated_old = _customer_with_contact(world, "UNDATED", consented_days_ago=400)
    current = _customer_with_contact(world, "NOW", retain_until=today)
    undated_new = _customer_with_contact(world, "NEW", consented_days_ago=10)
    participant_rater = Rater.objects.create(
        participant=_participant(world), role="customer", customer=expired, email=expired.email
    )
    answers_before = list(Response.objects.order_by("pk").values_list("pk", "nps", "csat", "eqi"))

    call_command("privacy_enforce_retention")

    for customer in (expired, undated_old):
        customer.refresh_from_db()
        assert (customer.email, customer.contact_consent) == ("", False)
        assert list(Invitation.objects.filter(customer=customer).values_list("email", flat=True)) == [""]
        assert list(
            FollowupCase.objects.filter(invitation__customer=customer).values_list("contact_note", flat=True)
        ) == [""]
        assert not ConsentRecord.objects.filter(customer=customer, closed_at__isnull=True).exists()
        assert set(ConsentRecord.objects.filter(customer=customer).values_list("closed_reason", flat=True)) == {
            "expired"
        }
    undated_old.refresh_from_db()
    assert undated_old.retain_until == timezone.localdate(timezone.now() - dt.timedelta(days=400)) + dt.timedelta(
        days=365
    )
    participant_rater.refresh_from_db()
    assert participant_rater.email == ""
    for customer in (current, undated_new):
        customer.refresh_from_db()
        assert customer.email and customer.contact_consent
        assert Invitation.objects.get(customer=customer).email == customer.email
    undated_new.refresh_from_db()
    assert undated_new.retain_until == timezone.localdate(timezone.now() - dt.timedelta(days=10)) + dt.timedelta(
        days=365
    )
    assert list(Response.objects.order_by("pk").values_list("pk", "nps", "csat", "eqi")) == answers_before
    entries = AuditEntry.objects.filter(action="retention")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted([str(expired.pk), str(undated_old.pk)])
    assert all(e.actor is None for e in entries)

    # a second run (cron tomorrow, or the task) finds nothing left to do
    call_command("privacy_enforce_retention")
    assert AuditEntry.objects.filter(action="retention").count() == 2
    assert enforce_retention.enqueue().return_value == 0


def test_retention_command_reaches_the_next_day_with_date_and_one_organisation(world, other_world, capsys):
    today = _today()
    customer = _customer_with_contact(world, "TODAY", retain_until=today)
    call_command(
        "privacy_enforce_retention", "--organisation", "acme", "--date", (today + dt.timedelta(days=1)).isoformat()
    )
    assert "contact details erased: 1" in capsys.readouterr().out
    customer.refresh_from_db()
    assert customer.email == ""


def _participant(world) -> Participant:
    make_round(world, subjects=[world.other_person])
    return Participant.objects.get(person=world.other_person)
