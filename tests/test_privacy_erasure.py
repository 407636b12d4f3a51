"""Erasure leaves nothing of the person: every text column of every app is scanned, and every foreign key."""

from django.contrib.auth.models import User

from kohtaamo.feedback.models import Answer, Encounter, Invitation, Response
from kohtaamo.organisations.models import Customer, Person
from kohtaamo.privacy.erasure import customer_erase, person_erase
from kohtaamo.privacy.models import AuditEntry, ConsentRecord

from .privacy_helpers import (
    CUSTOMER_EMAIL,
    CUSTOMER_ID,
    EMAIL,
    EXTERNAL_ID,
    NAME,
    USERNAME,
    customer_footprint,
    links_to,
    occurrences,
    person_footprint,
)


def test_person_erasure_leaves_no_name_email_id_or_link(world, other_world):
    person = person_footprint(world)
    pk, user_pk = person.pk, person.user_id
    needles = [NAME, EMAIL, EXTERNAL_ID, USERNAME]
    assert len(occurrences(needles=needles)) >= 10  # the scan finds the copies before erasure
    responses_before = Response.objects.filter(organisation=world.organisation).count()
    answers_before = Answer.objects.filter(organisation=world.organisation).count()
    scored = Response.objects.get(subject_person=person, respondent_role="customer")

    result = person_erase(person=person, actor=world.admin)

    assert occurrences(needles=needles) == []
    assert links_to(Person, pk) == []
    assert links_to(User, user_pk) == []
    assert not Person.objects.filter(pk=pk).exists() and not User.objects.filter(pk=user_pk).exists()
    assert result.login_deleted is True
    # answers and scores stay, unlinked
    assert Response.objects.filter(organisation=world.organisation).count() == responses_before
    assert Answer.objects.filter(organisation=world.organisation).count() == answers_before
    scored.refresh_from_db()
    assert scored.subject_person_id is None and scored.nps == 10
    # the erasure is in the audit log by type and id, by the admin
    entry = AuditEntry.objects.get(action="erase")
    assert (entry.actor, entry.object_type, entry.object_id) == (world.admin, "organisations.person", str(pk))
    # the other organisation's people are untouched
    assert Person.objects.filter(organisation=other_world.organisation).count() == 2


def test_customer_erasure_leaves_no_email_id_or_link_but_keeps_answers(world):
    customer = customer_footprint(world)
    pk = customer.pk
    response = Response.objects.get(invitation__customer=customer)
    answers = list(response.answers.values_list("question_id", "value"))
    assert len(occurrences(needles=[CUSTOMER_EMAIL, CUSTOMER_ID])) >= 4

    customer_erase(customer=customer, actor=world.admin)

    assert occurrences(needles=[CUSTOMER_EMAIL, CUSTOMER_ID], wholes=["ENC-C-1"]) == []
    assert links_to(Customer, pk) == []
    assert not ConsentRecord.objects.filter(customer_id=pk).exists()
    response.refresh_from_db()
    assert list(response.answers.values_list("question_id", "value")) == answers
    assert response.nps is not None
    invitation = Invitation.objects.get(pk=response.invitation_id)
    assert invitation.email == "" and invitation.customer_id is None
    encounter = Encounter.objects.get(pk=response.encounter_id)
    assert encounter.transcript == "" and encounter.external_id == f"erased-{encounter.pk}"


def test_an_admin_cannot_erase_their_own_person(world):
    from django.core.exceptions import ValidationError

    world.person.user = world.admin
    world.person.save()
    try:
        person_erase(person=world.person, actor=world.admin)
    except ValidationError as exc:
        assert "own personal data" in exc.messages[0]
    else:
        raise AssertionError("erasing oneself must be refused")
    assert Person.objects.filter(pk=world.person.pk).exists()


def test_admin_action_asks_once_then_erases_and_audits(world, client):
    person = person_footprint(world)
    root = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    form = {"action": "erase_people", "_selected_action": [person.pk]}
    confirm = client.post("/admin/organisations/person/", form)
    assert confirm.status_code == 200 and NAME in confirm.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    done = client.post("/admin/organisations/person/", {**form, "confirmed": "yes"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action="erase")
    assert (entry.actor, entry.object_id) == (root, str(person.pk))
    assert occurrences(needles=[NAME, EMAIL, EXTERNAL_ID]) == []
