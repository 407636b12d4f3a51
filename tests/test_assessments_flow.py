import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from kohtaamo.assessments import services
from kohtaamo.assessments.models import Participant, Release
from kohtaamo.assessments.releasing import report_release
from kohtaamo.feedback.models import Response
from kohtaamo.feedback.responding import response_open_for_invitation, response_submit
from kohtaamo.organisations.models import Person

from .assessments_helpers import (
    COLLEAGUE,
    CUSTOMER,
    SELF,
    SUPERVISOR,
    answer,
    approved_participant,
    make_round,
    people,
    raters_of,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def subject(world):
    boss = Person.objects.create(
        organisation=world.organisation, unit=world.team, name="Boss", email="boss@example.org"
    )
    world.person.supervisor = boss
    world.person.email = "employee@example.org"
    world.person.save()
    return world.person


@pytest.fixture
def answered(world, subject, mailbox):
    colleagues = people(world, 3)
    assessment = make_round(world, subjects=[subject])
    participant = approved_participant(world, subject, colleagues, customers=["c1@example.org", "c2@example.org"])
    assert services.raters_invite(assessment=assessment) == 7
    messages = mailbox.wait_for(7)
    assert any("360-palaute: Acme Employee" in m["Subject"] for m in messages)  # raters get Finnish, the default
    answer(raters_of(participant, SELF)[0], 5, "I listen well.")
    answer(raters_of(participant, SUPERVISOR)[0], 3)
    for rater, value in zip(raters_of(participant, COLLEAGUE), (4, 4, 2), strict=True):
        answer(rater, value, f"Colleague says {value}")
    for rater in raters_of(participant, CUSTOMER):
        answer(rater, 4)
    return participant


def test_release_shows_groups_gap_and_hides_small_customer_group(answered):
    release = report_release(participant=answered)
    snapshot = release.snapshot
    groups = {g["key"]: g["n"] for g in snapshot["groups"]}
    # Two customers are under the threshold of 3 and have no other small group to merge with: hidden.
    assert groups == {"self": 1, "supervisor": 1, "colleague": 3, "all_others": 4}
    assert snapshot["hidden"] is True
    listening = next(d for d in snapshot["dimensions"] if d["code"] == "listening")

    # Four listening items, one reverse-coded: answering v everywhere scores (3v + 6 - v) / 4.
    def score(v):
        return (3 * v + 6 - v) / 4

    assert listening["cells"]["colleague"]["mean"] == pytest.approx((2 * score(4) + score(2)) / 3, abs=1e-3)
    others = (score(3) + 2 * score(4) + score(2)) / 4
    assert listening["cells"]["all_others"]["mean"] == pytest.approx(others, abs=1e-3)
    assert listening["gap"] == pytest.approx(score(5) - others, abs=1e-3)
    assert listening["flag"] == "blind_spot"
    # Comments: only the colleagues' (the anonymous pool has 3), sorted, never the self comment.
    answers = [a for c in snapshot["comments"] for a in c["answers"]]
    assert answers == ["Colleague says 2", "Colleague says 4", "Colleague says 4"]


def test_release_is_frozen_and_new_release_needs_threshold_new_answers(world, answered):
    first = report_release(participant=answered)
    # One more colleague answers later: the frozen release does not change, and a new release is refused.
    extra = people(world, 1, prefix="Late")[0]
    rater = answered.raters.create(role=COLLEAGUE, person=extra, email=extra.email)
    services.raters_invite(assessment=answered.assessment)
    answer(rater, 1)
    first.refresh_from_db()
    assert {g["key"]: g["n"] for g in first.snapshot["groups"]}["colleague"] == 3
    with pytest.raises(ValidationError):
        report_release(participant=answered)
    assert Release.objects.filter(participant=answered).count() == 1


def test_bad_input_is_refused_with_clear_messages(world, other_world, subject):
    make_round(world, subjects=[subject])
    participant = Participant.objects.get(person=subject)
    colleagues = people(world, 2)
    with pytest.raises(ValidationError) as error:
        services.nomination_submit(participant=participant, colleagues=[*colleagues, other_world.person])
    assert "Colleague raters must belong to your organisation." in error.value.messages
    with pytest.raises(ValidationError) as error:
        services.nomination_submit(participant=participant, colleagues=[*colleagues, subject])
    assert any("cannot rate yourself" in m for m in error.value.messages)
    with pytest.raises(ValidationError) as error:
        services.nomination_submit(participant=participant, colleagues=colleagues[:1])
    assert "Nominate between 3 and 8 colleagues (now 1)." in error.value.messages
    assert participant.raters.filter(role=COLLEAGUE).count() == 0
    services.assessment_close(assessment=participant.assessment)
    with pytest.raises(ValidationError, match="closed"):
        services.nomination_submit(participant=participant, colleagues=[*colleagues, *people(world, 1, "X")])


def test_answering_twice_stores_one_response(answered):
    rater = raters_of(answered, SELF)[0]
    response = Response.objects.get(invitation=rater.invitation)
    again = response_submit(response=response, key=str(response.idempotency_key), raw_answers={})
    assert again.pk == response.pk
    assert response_open_for_invitation(invitation=rater.invitation, language="en").pk == response.pk
    assert Response.objects.filter(invitation=rater.invitation).count() == 1


def test_report_page_pdf_csv_and_api(client, world, answered, django_assert_max_num_queries):
    report_release(participant=answered)
    client.force_login(world.employee)
    url = reverse("assessments:report", kwargs={"org": "acme", "participant_id": answered.pk})
    with django_assert_max_num_queries(25):
        page = client.get(url, **EN)
    assert page.status_code == 200
    assert "Blind spot" in page.content.decode()
    pdf = client.get(url.replace("report/", "report.pdf"), **EN)
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) >= 2
    assert "360 report: Acme Employee" in text and "Blind spot" in text and "Colleague says 2" in text
    assert "I listen well." not in text
    export = client.get(url.replace("report/", "report.csv"), **EN).content.decode()
    assert ",customer," not in export and ",colleague,3," in export
    api = client.get(f"/api/v1/organisations/acme/360/participants/{answered.pk}/report")
    assert api.status_code == 200
    assert {g["key"] for g in api.json()["groups"]} == {"self", "supervisor", "colleague", "all_others"}
    assert "members" not in api.json()


def test_report_is_not_visible_to_other_people_or_tenants(client, world, other_world, answered):
    report_release(participant=answered)
    url = reverse("assessments:report", kwargs={"org": "acme", "participant_id": answered.pk})
    client.force_login(other_world.cx_lead)
    assert client.get(url).status_code == 404
    stranger = Person.objects.create(organisation=world.organisation, unit=world.other_branch, name="Stranger")
    from kohtaamo.organisations.models import Membership

    user = world.employee.__class__.objects.create_user("stranger", "s@example.org", "pw")
    Membership.objects.create(
        user=user, organisation=world.organisation, role=Membership.Role.EMPLOYEE, person=stranger
    )
    client.force_login(user)
    assert client.get(url).status_code == 403


def test_round_pages_and_team_report(client, world, answered, django_assert_max_num_queries):
    report_release(participant=answered)
    client.force_login(world.cx_lead)
    detail = reverse("assessments:detail", kwargs={"org": "acme", "assessment_id": answered.assessment_id})
    with django_assert_max_num_queries(15):
        page = client.get(detail, **EN)
    body = page.content.decode()
    assert "1 / 1 / 1" in body and "3 / 3 / 3" in body  # self, and colleagues: counts only
    assert "data-released" in body and "Release new answers" in body and "Release now" not in body
    with django_assert_max_num_queries(15):
        team = client.get(detail + "team/", **EN)
    assert team.status_code == 200
    # The only person's others pool has 4 answers (>= 3): in the heat map.
    assert "Acme Employee" in team.content.decode()
    assert client.get(reverse("assessments:index", kwargs={"org": "acme"}), **EN).status_code == 200


def test_nomination_page_refuses_an_outsider_with_a_message(
    client, world, other_world, subject, django_assert_max_num_queries
):
    make_round(world, subjects=[subject])
    participant = Participant.objects.get(person=subject)
    colleagues = people(world, 2)
    client.force_login(world.employee)
    url = reverse("assessments:nominate", kwargs={"org": "acme", "participant_id": participant.pk})
    with django_assert_max_num_queries(12):
        assert client.get(url, **EN).status_code == 200
    ids = [c.pk for c in colleagues] + [other_world.person.pk]
    page = client.post(url, {"colleagues": ids}, **EN)
    assert "Colleague raters must belong to your organisation." in page.content.decode()
    assert participant.raters.filter(role=COLLEAGUE).count() == 0
    # Someone else's nomination page is not theirs to use.
    other = Participant.objects.create(
        organisation=world.organisation, assessment=participant.assessment, person=world.other_person
    )
    assert (
        client.get(reverse("assessments:nominate", kwargs={"org": "acme", "participant_id": other.pk})).status_code
        == 403
    )


def test_create_round_from_a_csv_with_line_numbered_errors(client, world, subject):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.cx_lead)
    data = {
        "name": "Spring",
        "nomination_closes_on": "2030-01-01",
        "answering_closes_on": "2030-01-10",
        "report_on": "2030-01-20",
        "min_colleagues": 3,
        "max_colleagues": 8,
    }
    url = reverse("assessments:create", kwargs={"org": "acme"})
    bad = client.post(url, {**data, "people_csv": SimpleUploadedFile("p.csv", b"person\nE1\nNOPE\n")}, **EN)
    assert "Line 3: no person “NOPE” in this organisation." in bad.content.decode()
    good = client.post(url, {**data, "people_csv": SimpleUploadedFile("p.csv", b"person\nE1\nE2\n")}, **EN)
    assert good.status_code == 302
    participant_names = set(Participant.objects.values_list("person__name", flat=True))
    assert participant_names == {"Acme Employee", "Acme Other"}
    assert set(Participant.objects.get(person=subject).raters.values_list("role", flat=True)) == {SELF, SUPERVISOR}
    reversed_dates = {**data, "report_on": "2029-01-01", "people": [subject.pk]}
    assert "The dates must be in order" in client.post(url, reversed_dates, **EN).content.decode()


def test_index_lists_what_waits_for_me(client, world, subject, django_assert_max_num_queries):
    from kohtaamo.organisations.models import Membership

    make_round(world, subjects=[subject])
    participant = Participant.objects.get(person=subject)
    client.force_login(world.employee)
    index = reverse("assessments:index", kwargs={"org": "acme"})
    assert "Nominate your colleague raters for Autumn 360" in client.get(index, **EN).content.decode()
    services.nomination_submit(participant=participant, colleagues=people(world, 3))
    boss_user = world.employee.__class__.objects.create_user("boss", "boss@example.org", "pw")
    subject.supervisor.user = boss_user
    subject.supervisor.save()
    Membership.objects.create(
        user=boss_user, organisation=world.organisation, role=Membership.Role.EMPLOYEE, person=subject.supervisor
    )
    client.force_login(boss_user)
    with django_assert_max_num_queries(12):
        body = client.get(index, **EN).content.decode()
    assert "Approve the raters of Acme Employee (Autumn 360)" in body


def test_reminders_go_only_to_raters_who_have_not_answered(world, subject, mailbox):
    assessment = make_round(world, subjects=[subject])
    participant = approved_participant(world, subject, people(world, 3))
    assert services.raters_invite(assessment=assessment) == 5
    mailbox.wait_for(5)
    answer(raters_of(participant, SELF)[0], 4)
    mailbox.clear()
    assert services.raters_remind(assessment=assessment) == 4
    reminders = mailbox.wait_for(4)
    assert all(m["Subject"].startswith("Muistutus:") for m in reminders)
    assert "employee@example.org" not in {m["X-Envelope-To"] for m in reminders}
    assert services.raters_remind(assessment=assessment) == 0  # at most once a day


def test_due_reports_are_released_on_the_report_date_only(answered):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from kohtaamo.assessments.releasing import reports_release_due

    assessment = answered.assessment
    zone = ZoneInfo("Europe/Helsinki")
    before = datetime.combine(assessment.answering_closes_on, time(12), tzinfo=zone)
    on_the_day = datetime.combine(assessment.report_on, time(8), tzinfo=zone)
    assert reports_release_due(assessment=assessment, now=before) == 0
    assert reports_release_due(assessment=assessment, now=on_the_day) == 1
    assert reports_release_due(assessment=assessment, now=on_the_day) == 0  # released once
