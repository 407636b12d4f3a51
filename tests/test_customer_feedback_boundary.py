"""Customers also rate an employee in 360 rounds and answer maturity surveys. Those answers belong to
those instruments' own reports and anonymity rules: they never count as customer feedback on the
dashboard (rollup and raw path), in response lists, exports, webhooks, follow-up cases or text
analytics, and the API and the bulk import take responses only for pulse programmes."""

import io
import uuid

import pytest

from kohtaamo.analytics.rollup import response_rollup_rebuild
from kohtaamo.analytics.selectors import DashboardFilter, customer_responses
from kohtaamo.api.models import ApiToken
from kohtaamo.assessments import services as assessments
from kohtaamo.feedback.bulk_import import responses_import_csv
from kohtaamo.feedback.models import RespondentRole, Response
from kohtaamo.followup.models import FollowupCase
from kohtaamo.followup.services import case_open_for_response
from kohtaamo.integrations.events import response_payload
from kohtaamo.integrations.exports import export_rows
from kohtaamo.organisations.selectors import scope_from_organisation
from kohtaamo.textanalytics.models import CommentAnalysis
from kohtaamo.textanalytics.services import comments_analyse

from .assessments_helpers import CUSTOMER, answer, approved_participant, make_round, people, raters_of
from .maturity_helpers import answer as maturity_answer
from .maturity_helpers import make_survey
from .test_textanalytics_comments import respond

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def others(world, mailbox):
    """Three customers rating world.person in a 360 round (NPS-like low scores, angry comments) and one
    customer answering a maturity survey; and one ordinary pulse response."""
    assessment = make_round(world, subjects=[world.person])
    participant = approved_participant(
        world, world.person, people(world, 3), customers=[f"c{i}@example.org" for i in range(3)]
    )
    assessments.raters_invite(assessment=assessment)
    for rater in raters_of(participant, CUSTOMER):
        answer(rater, 1, "Ei kuunnellut ollenkaan ja lupasi soittaa mutta ei soittanut. Todella huono.")
    maturity_answer(make_survey(world), RespondentRole.CUSTOMER, (1, 1))
    pulse = respond(world, "Hyvää ja nopeaa palvelua, kiitos!", quality=5)
    return pulse


def test_they_are_stored_as_customer_answers_but_are_not_customer_feedback(world, others):
    customers = Response.objects.filter(status=Response.Status.SUBMITTED, respondent_role=RespondentRole.CUSTOMER)
    assert customers.count() == 5  # three 360 customers, one maturity customer, one pulse customer
    assert list(Response.objects.customer_feedback()) == [others]


def test_the_dashboard_counts_only_customer_feedback(client, world, others):
    scope = scope_from_organisation(organisation=world.organisation)
    assert list(customer_responses(scope=scope, filters=DashboardFilter())) == [others]
    client.force_login(world.cx_lead)
    for rebuilt in (False, True):  # as counted at submit, and as a rebuild counts
        if rebuilt:
            response_rollup_rebuild(organisation=world.organisation)
        page = client.get("/o/acme/?period=all", **ENGLISH).content.decode()
        assert "n = 1" in page and "n = 4" not in page and "n = 5" not in page
    listing = client.get("/o/acme/results/responses/", **ENGLISH).content.decode()
    assert f"/results/responses/{others.pk}/" in listing
    for response in Response.objects.exclude(pk=others.pk).filter(status=Response.Status.SUBMITTED):
        assert f"/results/responses/{response.pk}/" not in listing
        assert client.get(f"/o/acme/results/responses/{response.pk}/").status_code == 404


def test_exports_webhooks_cases_and_text_analytics_leave_them_out(world, others):
    _columns, rows = export_rows(scope=scope_from_organisation(organisation=world.organisation))
    assert len(rows) == 1
    rated = Response.objects.filter(round__kind="360", respondent_role=RespondentRole.CUSTOMER)
    assert rated.count() == 3
    for response in rated:
        assert response_payload(response_id=response.pk) is None
        assert case_open_for_response(response_id=response.pk) is None
    assert FollowupCase.objects.count() == 0
    comments_analyse(organisation_id=world.organisation.pk)
    assert list(CommentAnalysis.objects.values_list("response_id", flat=True)) == [others.pk]


def test_the_api_and_the_bulk_import_take_responses_only_for_pulse_programmes(client, world, others):
    three_sixty = Response.objects.filter(round__kind="360").first().round
    raw = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="t")[1]
    payload = {"idempotency_key": str(uuid.uuid4()), "round": three_sixty.pk, "answers": {"nps_1": 0}}
    reply = client.post(
        "/api/v1/organisations/acme/responses",
        payload,
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}", "accept-language": "en"},
    )
    assert reply.status_code == 422
    assert {"field": "round", "message": "Responses can be sent only to a pulse programme."} in reply.json()["errors"]
    before = Response.objects.count()
    result = responses_import_csv(
        organisation=world.organisation, file=io.BytesIO(b"submitted_at,nps_1\n2026-01-05 10:00,9\n"), round=three_sixty
    )
    assert result.error_count == 1 and "pulse programme" in str(result.errors[0])
    assert Response.objects.count() == before
