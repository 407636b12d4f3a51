"""Who sees what: a shopper sees only their own assignments and nothing of the organisation; the
organisation sees a report only after QA approval."""

import pytest
from django.urls import reverse

from kohtaamo.mystery import visits

from .mystery_helpers import (
    accepted_assignment,
    report_filled,
    scenario_build,
    shopper_build,
    wave_build,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def setup(world):
    scenario, items = scenario_build(world.organisation)
    wave = wave_build(world.organisation, scenario)
    sanna = shopper_build(world.organisation, "Sanna", [world.region])
    pekka = shopper_build(world.organisation, "Pekka", [world.region])
    own = accepted_assignment(wave, world.branch, sanna)
    others = accepted_assignment(wave, world.other_branch, pekka)
    others_report = report_filled(others, items)
    return {
        "items": items,
        "wave": wave,
        "sanna": sanna,
        "pekka": pekka,
        "own": own,
        "others": others,
        "others_report": others_report,
    }


def url(name: str, **kwargs) -> str:
    return reverse(f"mystery:{name}", kwargs={"org": "acme", **kwargs})


@pytest.mark.django_db
def test_shopper_sees_only_their_own_assignments(client, world, setup):
    client.force_login(setup["sanna"].user)
    home = client.get(url("shop"), **EN)
    assert home.status_code == 200
    assert world.branch.name in home.content.decode()
    assert world.other_branch.name not in home.content.decode()
    assert client.get(url("shop_report", assignment_id=setup["own"].pk), **EN).status_code == 200
    # Pekka's assignment, its report and its evidence do not exist for Sanna.
    others = setup["others"].pk
    assert client.get(url("shop_report", assignment_id=others)).status_code == 404
    assert client.post(url("shop_report", assignment_id=others), {"action": "save"}).status_code == 404
    assert client.post(url("shop_respond", assignment_id=others), {"decision": "decline"}).status_code == 404
    evidence = setup["others_report"].evidence.get()
    assert client.get(url("evidence", evidence_id=evidence.pk)).status_code == 404
    assert client.post(url("shop_evidence_delete", assignment_id=others, evidence_id=evidence.pk)).status_code == 404
    setup["others_report"].refresh_from_db()
    assert setup["others_report"].evidence.count() == 1 and setup["others_report"].notes == "Visited at lunchtime."


@pytest.mark.django_db
def test_shopper_sees_no_organisation_data(client, world, setup):
    client.force_login(setup["sanna"].user)
    assert client.get(url("index")).url == url("shop")  # the mystery entry page sends a shopper to the portal
    for name, kwargs in [
        ("report", {}),
        ("report_csv", {}),
        ("report_xlsx", {}),
        ("qa", {}),
        ("shoppers", {}),
        ("actions", {}),
        ("calibrations", {}),
        ("notice", {}),
        ("fees", {}),
        ("wave", {"wave_id": setup["wave"].pk}),
        ("qa_review", {"report_id": setup["others_report"].pk}),
        ("visit", {"report_id": setup["others_report"].pk}),
    ]:
        assert client.get(url(name, **kwargs)).status_code == 403, name
    assert client.get("/o/acme/").status_code == 403  # the dashboard
    assert client.get("/o/acme/feedback/").status_code == 403


@pytest.mark.django_db
def test_organisation_sees_nothing_before_qa_approval(client, world, setup):
    report = setup["others_report"]
    visits.report_submit(report=report)
    client.force_login(world.cx_lead)
    page = client.get(url("report"), {"wave": setup["wave"].pk}, **EN)
    assert page.context["overall"].n == 0 and page.context["locations"] == []
    assert client.get(url("visit", report_id=report.pk)).status_code == 404
    csv_text = client.get(url("report_csv"), {"wave": setup["wave"].pk}).content.decode("utf-8-sig")
    assert world.other_branch.name not in csv_text
    # QA (a managing role) reads it in review; it is not published.
    assert client.get(url("qa_review", report_id=report.pk), **EN).status_code == 200
    # The unit manager of another branch sees neither the review nor, later, the published visit.
    visits.report_approve(report=report, reviewer=world.cx_lead)
    page = client.get(url("report"), {"wave": setup["wave"].pk}, **EN)
    assert page.context["overall"].n == 1
    assert page.context["overall"].value == pytest.approx(68.75)
    assert client.get(url("visit", report_id=report.pk), **EN).status_code == 200
    client.force_login(world.manager)  # manages `branch`, not `other_branch`
    assert client.get(url("visit", report_id=report.pk)).status_code == 404
    assert client.get(url("report"), {"wave": setup["wave"].pk}).context["overall"].n == 0
    assert client.get(url("qa_review", report_id=report.pk)).status_code == 403


@pytest.mark.django_db
def test_employee_and_other_organisation_see_no_mystery_data(client, world, other_world, setup):
    report = setup["others_report"]
    visits.report_submit(report=report)
    visits.report_approve(report=report, reviewer=world.cx_lead)
    client.force_login(world.employee)
    assert client.get(url("report")).context["overall"].n == 0
    assert client.get(url("visit", report_id=report.pk)).status_code == 404
    assert client.get(url("evidence", evidence_id=report.evidence.get().pk)).status_code == 404
    client.force_login(other_world.admin)
    assert client.get(url("report")).status_code == 404
    assert client.get(url("evidence", evidence_id=report.evidence.get().pk)).status_code == 404


@pytest.mark.django_db
def test_shopper_sets_own_availability_and_auto_assignment_skips_unavailable(client, world, setup):
    from kohtaamo.mystery import services

    client.force_login(setup["sanna"].user)
    client.post(url("shop"), {"available": "0"})
    setup["sanna"].refresh_from_db()
    assert not setup["sanna"].available
    [open_one] = services.assignments_plan(
        wave=setup["wave"],
        units=[world.team],
        channel="chat",
        window_start=setup["wave"].starts_on,
        window_end=setup["wave"].ends_on,
    )
    assert services.assignments_auto_assign(wave=setup["wave"]) == (1, 0)
    open_one.refresh_from_db()
    assert open_one.shopper == setup["pekka"]


@pytest.mark.django_db
def test_staff_identified_only_where_announced_and_evidence_served_through_the_scoped_view(client, world, setup):
    from .mystery_helpers import notice_ensure, png_bytes

    report = setup["others_report"]
    visits.report_save_draft(report=report, fields={"staff_description": "Tall man, name tag 'Ville'"}, answers={})
    visits.report_submit(report=report)
    visits.report_approve(report=report, reviewer=world.cx_lead)
    client.force_login(world.cx_lead)
    page = client.get(url("visit", report_id=report.pk), **EN).content.decode()
    assert "name tag" not in page  # the recorded notice did not announce identification
    notice_ensure(world.organisation, staff=True)
    page = client.get(url("visit", report_id=report.pk), **EN).content.decode()
    assert "name tag" in page
    evidence = report.evidence.get()
    served = client.get(url("evidence", evidence_id=evidence.pk))
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == png_bytes()
    assert served["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_unit_manager_counts_cover_only_their_subtree(client, world, setup):
    client.force_login(world.manager)  # manages `branch`; the wave also has a visit to `other_branch`
    [wave] = client.get(url("index"), **EN).context["waves"]
    assert wave.planned == 1
    client.force_login(world.admin)
    [wave] = client.get(url("index"), **EN).context["waves"]
    assert wave.planned == 2
