"""Assignments, validation on submit, evidence checks, QA with its audit trail, fees and calibration."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kohtaamo.deployment.models import StoredFile
from kohtaamo.mystery import calibration, services, visits
from kohtaamo.mystery.models import Assignment, Correction, Evidence

from .mystery_helpers import (
    GOOD_ANSWERS,
    TODAY,
    accepted_assignment,
    approved_report,
    notice_ensure,
    photo,
    report_filled,
    scenario_build,
    shopper_build,
    visit_start,
    wav_bytes,
    wave_build,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def scenario(world):
    return scenario_build(world.organisation, require_media=True)


@pytest.mark.django_db
def test_wave_needs_the_notice_to_employees(world, scenario):
    with pytest.raises(ValidationError, match="notice to employees"):
        services.wave_create(
            organisation=world.organisation, scenario=scenario[0], name="W", starts_on=TODAY, ends_on=TODAY
        )
    notice_ensure(world.organisation)
    assert services.wave_create(
        organisation=world.organisation, scenario=scenario[0], name="W", starts_on=TODAY, ends_on=TODAY
    ).pk


@pytest.mark.django_db
def test_auto_assignment_by_region_and_load_never_the_same_location_twice_in_a_row(world, scenario):
    organisation = world.organisation
    spring = wave_build(organisation, scenario[0], name="Spring", starts_on=TODAY - dt.timedelta(days=200))
    autumn = wave_build(organisation, scenario[0], name="Autumn")
    anna = shopper_build(organisation, "Anna", [world.region])
    bert = shopper_build(organisation, "Bert", [world.region])
    outsider = shopper_build(organisation, "Cecilia", [world.team])  # covers only the team, not the branches
    approved_report(spring, world.branch, anna, scenario[1])  # Anna visited the branch last
    services.assignments_plan(
        wave=autumn,
        units=[world.branch, world.other_branch],
        channel="phone",
        window_start=autumn.starts_on,
        window_end=autumn.ends_on,
    )
    offered, left = services.assignments_auto_assign(wave=autumn)
    assert (offered, left) == (2, 0)
    by_unit = dict(autumn.assignments.values_list("unit_id", "shopper_id"))
    assert by_unit[world.branch.pk] == bert.pk  # not Anna, who made the previous visit there
    assert by_unit[world.other_branch.pk] == anna.pk  # the less-loaded shopper, Bert already has one
    assert outsider.assignments.count() == 0
    assert set(autumn.assignments.values_list("status", flat=True)) == {Assignment.Status.OFFERED}
    # Offering by hand follows the same rule.
    [again] = services.assignments_plan(
        wave=autumn, units=[world.branch], channel="chat", window_start=autumn.ends_on, window_end=autumn.ends_on
    )
    with pytest.raises(ValidationError, match="previous visit"):
        services.assignment_offer(assignment=again, shopper=bert)


@pytest.mark.django_db
def test_submit_validates_window_evidence_and_times(world, scenario):
    wave = wave_build(world.organisation, scenario[0])
    shopper = shopper_build(world.organisation, "Sanna", [world.region])
    assignment = accepted_assignment(wave, world.branch, shopper)
    outside = visit_start(wave) - dt.timedelta(days=30)
    report = report_filled(assignment, scenario[1], start=outside, minutes=10, waiting=15, evidence=False)
    with pytest.raises(ValidationError) as error:
        visits.report_submit(report=report)
    messages = " ".join(error.value.messages)
    assert "outside the assignment window" in messages
    assert "Attach a photo or an audio file" in messages
    assert "waiting time is longer than the whole visit" in messages
    report.refresh_from_db()
    assert report.status == "draft" and report.score is None
    visits.report_save_draft(
        report=report,
        fields={"visit_started_at": visit_start(wave), "visit_ended_at": visit_start(wave) - dt.timedelta(minutes=5)},
        answers={scenario[1]["greeted"].pk: ""},
    )
    with pytest.raises(ValidationError) as error:
        visits.report_submit(report=report)
    assert "must end after it started" in " ".join(error.value.messages)
    assert "Answer “Greeted within a minute”" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_evidence_type_is_checked_by_content_and_size(world, scenario):
    wave = wave_build(world.organisation, scenario[0])
    report = visits.report_for_assignment(
        assignment=accepted_assignment(wave, world.branch, shopper_build(world.organisation, "Sanna"))
    )
    disguised = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="Only photos"):
        visits.evidence_add(report=report, upload=disguised)
    huge = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError, match="at most 10 MB"):
        visits.evidence_add(report=report, upload=huge)
    png = visits.evidence_add(report=report, upload=photo())
    audio = visits.evidence_add(report=report, upload=SimpleUploadedFile("a.bin", wav_bytes()))
    assert (png.kind, png.content_type, audio.kind, audio.content_type) == ("photo", "image/png", "audio", "audio/wav")
    assert png.file.read().startswith(b"\x89PNG") and png.retain_until == wave.ends_on + dt.timedelta(days=180)
    assert Evidence.objects.count() == 2
    assert visits.evidence_purge_expired(today=png.retain_until) == 0
    assert visits.evidence_purge_expired(today=png.retain_until + dt.timedelta(days=1)) == 2
    assert Evidence.objects.count() == 0 and not StoredFile.objects.exists()


@pytest.mark.django_db
def test_qa_corrects_with_audit_trail_returns_and_approves(client, world, scenario):
    items = scenario[1]
    wave = wave_build(world.organisation, scenario[0])
    shopper = shopper_build(world.organisation, "Sanna", [world.region])
    report = report_filled(accepted_assignment(wave, world.branch, shopper), items)
    visits.report_submit(report=report)
    with pytest.raises(ValidationError):
        visits.report_save_draft(report=report, fields={"notes": "late edit"}, answers={})
    client.force_login(world.cx_lead)
    review = url = reverse("mystery:qa_review", kwargs={"org": "acme", "report_id": report.pk})
    response = client.post(
        review,
        {
            "action": "correct",
            "reason": "The recording shows next steps were agreed",
            "visit_started_at": "",
            "visit_ended_at": "",
            "waiting_minutes": "5",
            f"item-{items['next'].pk}": "yes",
        },
        **EN,
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.score == pytest.approx(100 * 3.75 / 4) and not report.critical_failed
    trail = list(Correction.objects.filter(report=report).values_list("field", "old_value", "new_value", "changed_by"))
    assert (f"item:{items['next'].pk} Agreed next steps", "no", "yes", world.cx_lead.pk) in trail
    assert any(field == "visit_started_at" and new == "" for field, _old, new, _by in trail)
    # Returning needs a comment; the shopper may then edit again.
    refused = client.post(url, {"action": "return", "comment": ""}, **EN)
    assert refused.status_code == 200 and "Write a comment." in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(url, {"action": "return", "comment": "Please add the visit times."})
    report.refresh_from_db()
    assert report.status == "returned" and report.assignment.status == Assignment.Status.RETURNED
    start = visit_start(wave)
    visits.report_save_draft(
        report=report,
        fields={"visit_started_at": start, "visit_ended_at": start + dt.timedelta(minutes=25)},
        answers={},
    )
    visits.report_submit(report=report)
    client.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == world.cx_lead
    assert report.assignment.status == Assignment.Status.APPROVED


@pytest.mark.django_db
def test_scenario_is_frozen_once_used_and_versioned(world, scenario):
    wave = wave_build(world.organisation, scenario[0])
    report_filled(accepted_assignment(wave, world.branch, shopper_build(world.organisation, "Sanna")), scenario[1])
    with pytest.raises(ValidationError, match="new version"):
        services.section_add(scenario=scenario[0], title="Farewell")
    copy = services.scenario_new_version(scenario=scenario[0])
    assert copy.version == 2 and copy.previous == scenario[0]
    assert [s.title for s in copy.sections.all()] == ["Greeting", "Closing"]
    assert services.section_add(scenario=copy, title="Farewell").order == 3


@pytest.mark.django_db
def test_fee_export_lists_approved_assignments_only(client, world, scenario):
    wave = wave_build(world.organisation, scenario[0], fee=45)
    sanna = shopper_build(world.organisation, "Sanna", [world.region])
    approved_report(wave, world.branch, sanna, scenario[1])
    report_filled(accepted_assignment(wave, world.other_branch, sanna), scenario[1])  # a draft: not payable
    client.force_login(world.admin)
    rows = client.get(reverse("mystery:fees", kwargs={"org": "acme"}), {"wave": wave.pk}, **EN)
    lines = rows.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Shopper,E-mail,Wave,Unit")
    assert len(lines) == 2 and lines[1].endswith(",45.00") and world.branch.name in lines[1]


@pytest.mark.django_db
def test_calibration_agreement(world, scenario):
    items = scenario[1]
    round_ = calibration.calibration_create(scenario=scenario[0], name="Recorded call", recording="Transcript …")
    raters = [world.admin, world.cx_lead, world.consultant, world.manager]
    # Scores: 68.75, 68.75, 93.75 (next steps "yes"), 55 (name card "no").
    variants = [{}, {}, {"next": "yes"}, {"name": "no"}]
    for rater, change in zip(raters, variants, strict=True):
        answers = {items[k].pk: v for k, v in {**GOOD_ANSWERS, **change}.items()}
        calibration.calibration_rate(calibration=round_, rater=rater, answers=answers)
    with pytest.raises(ValidationError):
        calibration.calibration_rate(calibration=round_, rater=world.admin, answers={})
    agreement = calibration.calibration_agreement(calibration=round_)
    assert agreement.scores == pytest.approx([55.0, 68.75, 68.75, 93.75])
    assert agreement.median == pytest.approx(68.75)
    assert agreement.within_share == pytest.approx(50.0)  # 55 and 93.75 are more than 10 points away
    per_item = {a.item.pk: a.modal_share for a in agreement.items}
    assert per_item[items["greeted"].pk] == 100 and per_item[items["next"].pk] == 75
    assert per_item[items["name"].pk] == 75


@pytest.mark.django_db
def test_organisation_and_its_logins_can_be_removed(world, scenario):
    """Removing a tenant (as the demo reset does: logins first, then the organisation) is not blocked."""
    from django.contrib.auth.models import User

    wave = wave_build(world.organisation, scenario[0])
    sanna = shopper_build(world.organisation, "Sanna", [world.region])
    report = report_filled(accepted_assignment(wave, world.branch, sanna), scenario[1])
    visits.report_submit(report=report)
    visits.report_correct(report=report, reviewer=world.cx_lead, answers={}, fields={"waiting_minutes": 2}, reason="x")
    visits.report_return(report=report, reviewer=world.cx_lead, comment="Add times")
    from kohtaamo.feedback.models import Round
    from kohtaamo.instruments.models import Questionnaire
    from kohtaamo.organisations.models import Person

    User.objects.filter(memberships__organisation=world.organisation).delete()
    for model in (Round, Questionnaire, Person):  # the foundation's own protected links, as demo_reset does
        model.objects.filter(organisation=world.organisation).delete()
    world.organisation.units.update(parent=None)
    world.organisation.delete()
    assert not Assignment.objects.exists() and not Evidence.objects.exists()
