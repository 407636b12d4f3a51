"""Location reports: scores with n, trend, breakdowns, the customer pulse beside the mystery score,
PDF/CSV/XLSX exports, action plans, and pinned query counts."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.mystery import services

from .mystery_helpers import (
    GOOD_ANSWERS,
    accepted_assignment,
    approved_report,
    report_filled,
    scenario_build,
    shopper_build,
    wave_build,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PERFECT = {**GOOD_ANSWERS, "next": "yes", "friendly": "5"}  # 100


def url(name: str) -> str:
    return reverse(f"mystery:{name}", kwargs={"org": "acme"})


@pytest.fixture
def published(world):
    """Spring: branch 68.75. Autumn: branch 68.75 and 100, other branch 55, plus a draft that must not count."""
    scenario, items = scenario_build(world.organisation)
    spring = wave_build(world.organisation, scenario, name="Spring", starts_on=dt.date(2026, 5, 4))
    autumn = wave_build(world.organisation, scenario, name="Autumn")
    anna = shopper_build(world.organisation, "Anna", [world.region])
    bert = shopper_build(world.organisation, "Bert", [world.region])
    approved_report(spring, world.branch, anna, items)
    approved_report(autumn, world.branch, bert, items)
    approved_report(autumn, world.branch, anna, items, PERFECT)
    approved_report(autumn, world.other_branch, bert, items, {**GOOD_ANSWERS, "name": "no"})
    report_filled(accepted_assignment(autumn, world.other_branch, anna), items, PERFECT)
    return {"spring": spring, "autumn": autumn, "items": items}


def customer_score(world, unit, dimension, score: float, when: dt.datetime) -> None:
    programme = world.programme
    response = Response.objects.create(
        organisation=world.organisation,
        round=programme,
        unit=unit,
        questionnaire=programme.questionnaire,
        status=Response.Status.SUBMITTED,
        submitted_at=when,
    )
    DimensionScore.objects.create(
        organisation_id=response.organisation_id,
        response=response,
        dimension=dimension,
        mean=1 + score / 25,
        score=score,
        items_answered=2,
    )


@pytest.mark.django_db
def test_location_report_figures(client, world, published, django_assert_max_num_queries):
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(20):
        page = client.get(url("report"), {"wave": published["autumn"].pk}, **EN)
    context = page.context
    assert context["overall"].n == 3
    assert context["overall"].value == pytest.approx((68.75 + 100 + 55) / 3)
    [first, second] = context["locations"]
    assert (first.label, first.estimate.n, first.estimate.value) == (world.branch.name, 2, pytest.approx(84.375))
    assert (second.label, second.estimate.n, second.estimate.value) == (world.other_branch.name, 1, 55.0)
    assert first.estimate.ci_low is not None and first.estimate.indicative
    trend = [(r.label, r.estimate.n) for r in context["trend"]]
    assert trend == [("Spring", 1), ("Autumn", 3)]
    sections = {r.label: r.estimate.value for r in context["sections"]}
    assert sections["Closing"] == pytest.approx(100 / 3)  # next steps agreed in one visit of three
    items = {r.label: r for r in context["items"]}
    assert items["Offered a name card"].estimate.n == 1 and items["Offered a name card"].extra["not_applicable"] == 2
    assert items["Friendliness"].estimate.value == pytest.approx((75 + 100 + 75) / 3)
    assert "Remarks" not in items
    assert [v.assignment.unit_id for v in context["visits"]].count(world.branch.pk) == 2
    html = page.content.decode()
    assert "n = 3" in html and "indicative" in html

    # One region/location: the unit filter narrows to its subtree.
    narrowed = client.get(url("report"), {"wave": published["autumn"].pk, "unit": world.other_branch.pk}, **EN)
    assert narrowed.context["overall"].n == 1 and narrowed.context["overall"].value == 55.0


@pytest.mark.django_db
def test_customer_pulse_beside_the_mystery_score(client, world, published):
    autumn = published["autumn"]
    listening = published["items"]["greeted"].dimension
    inside = timezone.make_aware(dt.datetime.combine(autumn.starts_on + dt.timedelta(days=3), dt.time(12)))
    customer_score(world, world.team, listening, 80, inside)  # inside the branch subtree
    customer_score(world, world.branch, listening, 60, inside)
    customer_score(world, world.branch, listening, 0, inside - dt.timedelta(days=60))  # before the wave
    customer_score(world, world.other_branch, listening, 10, inside)  # another unit
    client.force_login(world.admin)
    page = client.get(url("report"), {"wave": autumn.pk, "unit": world.branch.pk}, **EN)
    rows = {r["dimension"].pk: r for r in page.context["comparison"]}
    assert rows[listening.pk]["mystery"].value == pytest.approx(100.0) and rows[listening.pk]["mystery"].n == 2
    pulse = rows[listening.pk]["pulse"]
    assert (pulse.n, pulse.value) == (2, pytest.approx(70.0))
    expertise = published["items"]["friendly"].dimension
    assert rows[expertise.pk]["mystery"].value == pytest.approx((37.5 + 100) / 2)
    assert rows[expertise.pk]["pulse"] is None


@pytest.mark.django_db
def test_exports_pdf_csv_xlsx(client, world, published):
    client.force_login(world.cx_lead)
    params = {"wave": published["autumn"].pk}
    csv_text = client.get(url("report_csv"), params, **EN).content.decode("utf-8-sig")
    assert f"Location,{world.branch.name},84.4,2," in csv_text
    assert f"Location,{world.other_branch.name},55.0,1," in csv_text
    workbook = load_workbook(io.BytesIO(client.get(url("report_xlsx"), params, **EN).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Level", "Name", "Score (0–100)", "n")
    assert rows[1][:4] == ("Total", "All locations", 74.6, 3)
    pdf = client.get(url("report_pdf"), params, **EN)
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Mystery shopping report" in text and world.other_branch.name in text and "n = 3" in text


@pytest.mark.django_db
def test_action_plan_with_follow_up_in_the_next_wave(client, world, published):
    client.force_login(world.cx_lead)
    response = client.post(
        url("actions"),
        {
            "unit": world.other_branch.pk,
            "wave": published["spring"].pk,
            "title": "Offer a name card at every meeting",
            "owner": world.other_person.pk,
            "due_on": "2026-09-01",
            "follow_up_wave": published["autumn"].pk,
        },
    )
    assert response.status_code == 302
    [plan] = services.ActionPlan.objects.all()
    assert (plan.unit, plan.owner, plan.follow_up_wave) == (world.other_branch, world.other_person, published["autumn"])
    follow = reverse("mystery:action_follow_up", kwargs={"org": "acme", "plan_id": plan.pk})
    client.post(
        follow,
        {"status": "done", "note": "Name card offered in 0 of 1 visits", "follow_up_wave": published["autumn"].pk},
    )
    plan.refresh_from_db()
    assert plan.status == "done" and plan.follow_up_note.startswith("Name card")
    client.force_login(world.manager)  # manages the other branch? no: `branch` only
    assert client.get(url("actions")).context["plans"].count() == 0


@pytest.mark.django_db
def test_management_pages_query_counts(client, world, published, django_assert_max_num_queries):
    client.force_login(world.admin)
    autumn = published["autumn"]
    report = autumn.assignments.filter(status="approved").first().report
    pages = [
        url("index"),
        url("qa"),
        url("shoppers"),
        url("actions"),
        url("calibrations"),
        url("notice"),
        reverse("mystery:wave", kwargs={"org": "acme", "wave_id": autumn.pk}),
        reverse("mystery:scenario", kwargs={"org": "acme", "scenario_id": autumn.scenario_id}),
        reverse("mystery:visit", kwargs={"org": "acme", "report_id": report.pk}),
    ]
    for page in pages:
        with django_assert_max_num_queries(20):
            assert client.get(page, **EN).status_code == 200, page
    shopper = autumn.assignments.first().shopper
    client.force_login(shopper.user)
    for page in [
        url("shop"),
        reverse("mystery:shop_report", kwargs={"org": "acme", "assignment_id": autumn.assignments.first().pk}),
    ]:
        with django_assert_max_num_queries(20):
            assert client.get(page, **EN).status_code == 200, page


@pytest.mark.django_db
def test_api_scores_match_the_page_and_refuse_shoppers(client, world, published):
    from kohtaamo.api.models import ApiToken

    _token, key = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="bi")
    headers = {"authorization": f"Bearer {key}"}
    body = client.get(
        "/api/v1/organisations/acme/mystery/scores", {"wave": published["autumn"].pk}, headers=headers
    ).json()
    assert body["wave"] == "Autumn" and body["overall"]["n"] == 3
    assert [(r["unit"], r["score"]["n"]) for r in body["locations"]] == [
        (world.branch.name, 2),
        (world.other_branch.name, 1),
    ]
    assert client.get("/api/v1/organisations/acme/mystery/scores", {"wave": 999999}, headers=headers).status_code == 404
    shopper = published["autumn"].assignments.first().shopper
    client.force_login(shopper.user)
    assert client.get("/api/v1/organisations/acme/mystery/scores").status_code == 403
