"""The perception gap against hand-computed values, the maturity profile, recommendations and trend."""

import csv
import io

import pytest
from django.urls import reverse

from kohtaamo.feedback.models import Invitation, RespondentRole
from kohtaamo.instruments.models import Perspective
from kohtaamo.maturity.models import InvitationTarget
from kohtaamo.maturity.selectors import maturity_report, theme_trend, weakest_themes
from kohtaamo.organisations.selectors import scope_from_organisation

from .maturity_helpers import answer, make_survey

M, S, C = RespondentRole.MANAGEMENT, RespondentRole.STAFF, RespondentRole.CUSTOMER

# Theme "a precise service promise", item pairs per respondent, and their scores (0–100):
PROMISE = {
    M: [(5, 5), (5, 4), (3, 3)],  # 100, 87.5, 50 -> mean 79.1667; excellent (mean >= 4.5): 2 of 3
    S: [(4, 4), (4, 3), (2, 2), (5, 5)],  # 75, 62.5, 25, 100 -> 65.625; excellent 1 of 4
    C: [(3, 3), (2, 3), (4, 4), (1, 2), (5, 4)],  # 50, 37.5, 75, 12.5, 87.5 -> 52.5; excellent 1 of 5
}


@pytest.fixture
def survey(world):
    survey = make_survey(world)
    for role, pairs in PROMISE.items():
        for pair in pairs:
            # Every other theme at 3 (score 50), training at 1 (score 0): training is the weakest.
            answer(survey, role, (3, 3), themes={"m_promise": pair, "m_training": (1, 1)})
    return survey


def test_questionnaires_per_perspective(world):
    survey = make_survey(world)
    staff_version, customer_version = survey.organisation_questionnaire, survey.customer_questionnaire
    assert survey.round.kind == "maturity" and survey.round.questionnaire == staff_version
    assert (staff_version.perspective, customer_version.perspective) == (Perspective.ORGANISATION, Perspective.CUSTOMER)
    assert staff_version.kind == customer_version.kind == "maturity"
    for version in (staff_version, customer_version):
        assert version.questions.filter(item__isnull=False).count() == 20
        assert version.questions.filter(item__isnull=True).count() == 1
    first = customer_version.questions.get(order=1)
    assert first.item.code == "m_promise_1"
    assert first.texts["en"] == "Acme clearly tells me what I can expect from its service."
    assert staff_version.questions.get(order=1).texts["en"].startswith("We have a clear service promise")


def test_perception_gap_hand_computed(survey):
    report = maturity_report(survey=survey, language="en")
    promise = next(t for t in report.themes if t.code == "m_promise")
    m, s, c = promise.cells[M], promise.cells[S], promise.cells[C]
    assert (m.n, s.n, c.n) == (3, 4, 5)
    assert m.score.value == pytest.approx(79.16667, abs=1e-4)
    assert s.score.value == pytest.approx(65.625)
    assert c.score.value == pytest.approx(52.5)
    # t-intervals: management sd 26.0208, t(0.975, 2) = 4.302653 -> 79.1667 ± 64.6393, clipped to 0..100
    assert m.score.ci_low == pytest.approx(14.5274, abs=1e-3) and m.score.ci_high == 100
    # customers sd 29.8433 (var 890.625), t(0.975, 4) = 2.776445 -> 52.5 ± 37.0554
    assert c.score.ci_low == pytest.approx(15.4446, abs=1e-3)
    assert c.score.ci_high == pytest.approx(89.5554, abs=1e-3)
    assert m.excellent.value == pytest.approx(200 / 3)
    assert s.excellent.value == pytest.approx(25.0)
    assert c.excellent.value == pytest.approx(20.0)
    # Wilson 1 of 5: 3.62 % .. 62.45 %
    assert c.excellent.ci_low == pytest.approx(3.6223, abs=1e-3)
    assert c.excellent.ci_high == pytest.approx(62.4473, abs=1e-3)
    assert promise.gap(M, C) == pytest.approx(26.66667, abs=1e-4)
    assert promise.gap(M, S) == pytest.approx(13.54167, abs=1e-4)
    assert promise.excellent_gap(M, C) == pytest.approx(46.66667, abs=1e-4)
    assert promise.profile == pytest.approx((79.16667 + 65.625 + 52.5) / 3, abs=1e-4)
    assert m.score.indicative and c.score.indicative  # n < 10


def test_weakest_themes_get_recommendations(survey):
    report = maturity_report(survey=survey, language="en")
    assert [t.code for t in report.weakest] == ["m_training", "m_measurement", "m_cx_as_finance"]
    assert report.weakest[0].profile == 0
    assert report.weakest[0].recommendation.startswith("Make service-skills training continuous")
    assert maturity_report(survey=survey, language="sv").weakest[0].recommendation.startswith("Gör utbildningen")
    assert [t.action_url for t in report.weakest] == [None, None, None]  # no page of their own


def test_a_weak_theme_with_a_page_to_act_on_links_to_it(survey):
    sync = next(t for t in maturity_report(survey=survey).themes if t.code == "m_feedback_sync")
    assert sync.profile is not None
    [row] = weakest_themes(themes=[sync], language="en", organisation_slug=survey.organisation.slug)
    assert row.action_url == reverse("staffexperience:chain", kwargs={"org": survey.organisation.slug})
    assert "chain page" in row.recommendation


def test_invitations_ask_the_version_of_their_perspective(survey):
    by_role = {
        role: set(Invitation.objects.filter(respondent_role=role).values_list("questionnaire", flat=True))
        for role in (M, S, C)
    }
    assert by_role[M] == by_role[S] == {survey.organisation_questionnaire_id}
    assert by_role[C] == {survey.customer_questionnaire_id}
    assert InvitationTarget.objects.filter(survey=survey).count() == 12


def test_report_page_csv_and_api_agree(client, survey, world, django_assert_max_num_queries):
    client.force_login(world.cx_lead)
    url = reverse("maturity:report", kwargs={"org": "acme", "survey_id": survey.pk})
    with django_assert_max_num_queries(16):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "79.2" in html and "65.6" in html and "52.5" in html and "26.7" in html
    assert "Make service-skills training continuous" in html
    with django_assert_max_num_queries(12):
        index = client.get(reverse("maturity:index", kwargs={"org": "acme"}), HTTP_ACCEPT_LANGUAGE="en")
    assert "79.2" in index.content.decode()  # the trend table
    with django_assert_max_num_queries(12):
        survey_page = client.get(
            reverse("maturity:survey", kwargs={"org": "acme", "survey_id": survey.pk}), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert survey_page.status_code == 200
    with django_assert_max_num_queries(16):
        client.get(reverse("maturity:report_pdf", kwargs={"org": "acme", "survey_id": survey.pk}))
    csv_page = client.get(
        reverse("maturity:report_csv", kwargs={"org": "acme", "survey_id": survey.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(csv.DictReader(io.StringIO(csv_page.content.decode())))
    promise = {r["side"]: r for r in rows if r["section"] == "gap" and r["theme"] == "m_promise"}
    assert promise["management"]["mean_0_100"] == "79.17" and promise["management"]["excellent_pct"] == "66.67"
    assert promise["customer"]["n"] == "5" and promise["customer"]["excellent_pct"] == "20.00"
    api = client.get(f"/api/v1/organisations/acme/maturity/surveys/{survey.pk}/report", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200
    theme = next(t for t in api.json()["themes"] if t["code"] == "m_promise")
    assert theme["sides"]["staff"]["score"]["value"] == pytest.approx(65.625)
    assert theme["gap_management_customer"] == pytest.approx(26.66667, abs=1e-4)
    assert api.json()["recommendations"][0]["code"] == "m_training"


def test_yearly_trend(world):
    first = make_survey(world, year=2025)
    second = make_survey(world, year=2026)
    for _ in range(3):
        answer(first, C, (2, 2))  # 25
        answer(second, C, (4, 4))  # 75
    years, trend = theme_trend(scope=scope_from_organisation(organisation=world.organisation))
    assert years == [2025, 2026]
    promise = next(row for row in trend if row.dimension.code == "m_promise")
    assert promise.by_year[2025][C].score.value == 25 and promise.by_year[2026][C].score.value == 75
    assert promise.by_year[2026][S].n == 0


def test_one_survey_per_year_and_clear_errors(client, world):
    client.force_login(world.admin)
    url = reverse("maturity:index", kwargs={"org": "acme"})
    assert client.post(url, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    again = client.post(url, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "There is already a maturity survey for 2026." in again.content.decode()
    survey_url = reverse(
        "maturity:survey", kwargs={"org": "acme", "survey_id": world.organisation.maturity_surveys.get().pk}
    )
    bad = client.post(
        survey_url,
        {"role": "staff", "language": "en", "emails": "a@example.org\nnot-an-address"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert "Line 2: “not-an-address” is not an e-mail address." in bad.content.decode()
    assert Invitation.objects.count() == 0  # nothing half-stored


def test_invitations_are_sent_by_email(client, world, mailbox):
    client.force_login(world.cx_lead)
    survey = make_survey(world)
    url = reverse("maturity:survey", kwargs={"org": "acme", "survey_id": survey.pk})
    response = client.post(
        url,
        {"role": "staff", "unit": world.branch.pk, "language": "en", "emails": "s1@example.org\ns2@example.org"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    messages = mailbox.wait_for(2)
    assert sorted(m["X-Envelope-To"] for m in messages) == ["s1@example.org", "s2@example.org"]
    assert all(i.status == "sent" for i in Invitation.objects.all())
    assert set(InvitationTarget.objects.values_list("unit", flat=True)) == {world.branch.pk}
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "s1@example.org" not in page  # progress only as counts


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_roles_below_organisation_level_are_refused(client, world, who):
    survey = make_survey(world)
    client.force_login(getattr(world, who))
    for name in ("index", "survey", "report", "report_pdf", "report_csv"):
        kwargs = {"org": "acme"} | ({} if name == "index" else {"survey_id": survey.pk})
        assert client.get(reverse(f"maturity:{name}", kwargs=kwargs)).status_code == 403
    assert client.get("/api/v1/organisations/acme/maturity/surveys").json() == []


def test_other_organisation_sees_nothing(client, world, other_world):
    survey = make_survey(world)
    client.force_login(other_world.admin)
    for name in ("survey", "report", "report_pdf", "report_csv"):
        assert (
            client.get(reverse(f"maturity:{name}", kwargs={"org": "acme", "survey_id": survey.pk})).status_code == 404
        )
        assert (
            client.get(reverse(f"maturity:{name}", kwargs={"org": "rival", "survey_id": survey.pk})).status_code == 404
        )
    assert client.get(f"/api/v1/organisations/rival/maturity/surveys/{survey.pk}/report").status_code == 404
