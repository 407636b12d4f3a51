"""The anonymity threshold for management and staff answers: hidden below the threshold per side and
per unit, and no hidden unit derivable from the total, in the page, the PDF, the CSV and the API."""

import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kohtaamo.feedback.models import DimensionScore, Invitation, RespondentRole, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.maturity.models import InvitationTarget
from kohtaamo.maturity.selectors import maturity_report
from kohtaamo.maturity.suppression import cells_shown

from .maturity_helpers import answer, make_survey

M, S, C = RespondentRole.MANAGEMENT, RespondentRole.STAFF, RespondentRole.CUSTOMER
HIDDEN_TEXT = "hidden (too few answers)"


@given(
    counts=st.dictionaries(st.integers(0, 8), st.integers(0, 12), max_size=8),
    threshold=st.integers(0, 6),
)
def test_cells_shown_keeps_every_hidden_pool_at_the_threshold(counts, threshold):
    shown = cells_shown(counts, threshold=threshold)
    effective = max(threshold, 3)
    assert all(counts[key] >= effective for key in shown)
    hidden_pool = sum(n for key, n in counts.items() if key not in shown)
    # Either nothing is hidden, or the hidden cells together are as large as the threshold (so the total
    # minus the shown cells never reveals fewer answers), or nothing is shown and the total is itself small.
    assert hidden_pool == 0 or hidden_pool >= effective or (not shown and sum(counts.values()) < effective)
    if all(n >= effective or n == 0 for n in counts.values()):
        assert shown == {key for key, n in counts.items() if n > 0}


def test_cells_shown_hides_the_next_smallest_unit():
    assert cells_shown({"a": 4, "b": 3, "c": 2}, threshold=3) == {"a"}
    assert cells_shown({"a": 4, "b": 3, "c": 3}, threshold=3) == {"a", "b", "c"}
    assert cells_shown({"a": 5, "b": 1, "c": 2}, threshold=3) == {"a"}
    assert cells_shown({"a": 4, "b": 2}, threshold=3) == set()
    assert cells_shown({"a": 4, "b": 4}, threshold=5) == set()


@pytest.fixture
def survey(world):
    """Management: 2 (under the threshold). Staff: Centre 4 (score 100), Centre team 3 (45.83),
    Harbour 2 (18.75): Harbour is under the threshold, so the team is hidden too."""
    survey = make_survey(world)
    for _ in range(2):
        answer(survey, M, (5, 5))
    for _ in range(4):
        answer(survey, S, (5, 5), unit=world.branch)
    for pair in [(2, 3), (3, 3), (3, 3)]:
        answer(survey, S, pair, unit=world.team)
    for pair in [(1, 2), (2, 2)]:
        answer(survey, S, pair, unit=world.other_branch)
    for _ in range(3):
        answer(survey, C, (4, 4))
    return survey


def test_report_hides_small_groups(survey, world):
    report = maturity_report(survey=survey)
    promise = next(t for t in report.themes if t.code == "m_promise")
    assert promise.cells[M].hidden and promise.cells[M].score.value is None
    assert promise.cells[S].score.value == pytest.approx((400 + 37.5 + 100 + 12.5 + 25) / 9)
    assert promise.cells[C].score.value == 75 and not promise.cells[C].hidden  # customers are not a rater group
    assert promise.gap(M, C) is None
    rows = {row.unit: row.cells["m_promise"] for row in report.units[S]}
    assert rows[world.branch].score.value == 100 and not rows[world.branch].hidden
    assert rows[world.team].hidden and rows[world.other_branch].hidden
    assert C not in report.units  # customers were invited without a unit


def test_threshold_holds_in_page_pdf_csv_and_api(client, survey, world):
    client.force_login(world.admin)
    kwargs = {"org": "acme", "survey_id": survey.pk}
    html = client.get(reverse("maturity:report", kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Management on 10 themes, Centre team and Harbour on 10 themes each.
    assert html.count(HIDDEN_TEXT) == 30
    assert "45.8" not in html and "18.8" not in html
    pdf = client.get(reverse("maturity:report_pdf", kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="en")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Perception gap" in text and "Centre" in text
    assert " ".join(text.split()).count(HIDDEN_TEXT) == 30
    assert "45.8" not in text and "18.8" not in text
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("maturity:report_csv", kwargs=kwargs)).content.decode())))
    staff_units = {r["unit"]: r for r in rows if r["section"] == "unit" and r["theme"] == "m_promise"}
    assert staff_units["Acme Centre"]["mean_0_100"] == "100.00" and staff_units["Acme Centre"]["n"] == "4"
    for name in ("Acme Centre team", "Acme Harbour"):
        assert staff_units[name]["hidden_below_threshold"] == "yes"
        assert staff_units[name]["n"] == staff_units[name]["mean_0_100"] == ""
    management = next(r for r in rows if r["section"] == "gap" and r["side"] == "management")
    assert management["hidden_below_threshold"] == "yes" and management["n"] == ""
    api = client.get(f"/api/v1/organisations/acme/maturity/surveys/{survey.pk}/report").json()
    units = {u["name"]: u["themes"]["m_promise"] for u in api["units"]["staff"]}
    assert units["Acme Centre"]["score"]["value"] == 100
    assert units["Acme Harbour"] == units["Acme Centre team"] == {"hidden": True, "score": None, "excellent": None}
    assert api["themes"][0]["sides"]["management"] == {"hidden": True, "score": None, "excellent": None}


def test_raised_threshold_hides_more(survey, world):
    world.organisation.anonymity_threshold = 5
    world.organisation.save()
    report = maturity_report(survey=survey)
    assert all(cell.hidden for row in report.units[S] for cell in row.cells.values())
    assert not report.themes[0].cells[S].hidden  # 9 staff overall


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(0, 6), min_size=1, max_size=4), scores=st.data())
def test_no_hidden_unit_is_derivable_from_the_report(world, sizes, scores):
    """Whatever the staff counts per unit, every shown unit has n ≥ threshold, and the total minus the
    shown units leaves either nothing or a pool of at least the threshold."""
    survey = world.organisation.maturity_surveys.first() or make_survey(world)
    theme = Dimension.objects.get(code="m_promise")
    units = [world.branch, world.other_branch, world.team, world.region]
    with transaction.atomic():
        for unit, size in zip(units, sizes, strict=False):
            for _ in range(size):
                invitation = Invitation.objects.create(
                    organisation=world.organisation,
                    round=survey.round,
                    respondent_role=S,
                    questionnaire=survey.organisation_questionnaire,
                    expires_at="2030-01-01T00:00:00Z",
                )
                InvitationTarget.objects.create(invitation=invitation, survey=survey, unit=unit)
                response = Response.objects.create(
                    organisation=world.organisation,
                    round=survey.round,
                    questionnaire=survey.organisation_questionnaire,
                    invitation=invitation,
                    respondent_role=S,
                    status=Response.Status.SUBMITTED,
                )
                value = scores.draw(st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0]))
                DimensionScore.objects.create(
                    organisation_id=response.organisation_id,
                    response=response,
                    dimension=theme,
                    mean=1 + value / 25,
                    score=value,
                    items_answered=2,
                )
        report = maturity_report(survey=survey)
        total = report.themes[0].cells[S]
        counts = {unit.pk: size for unit, size in zip(units, sizes, strict=False) if size}
        shown = {
            row.unit.pk: row.cells["m_promise"] for row in report.units.get(S, []) if not row.cells["m_promise"].hidden
        }
        assert all(cell.n >= 3 and cell.n == counts[pk] for pk, cell in shown.items())
        pool = sum(counts.values()) - sum(cell.n for cell in shown.values())
        assert pool == 0 or pool >= 3 or (total.hidden and not shown)
        assert total.hidden == (0 < sum(counts.values()) < 3)
        assert total.hidden or total.n == sum(counts.values())
        transaction.set_rollback(True)
