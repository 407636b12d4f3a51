"""The schema is ready to be distributed by organisation (Citus): the discipline, checked.

Every tenant table carries the organisation id, every unique constraint includes it, and the
dashboard's and reports' queries on the large tables filter on it, so each runs on one shard.
"""

import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from kohtaamo.organisations.models import Organisation

# Tables that are not any one organisation's data, and why. In Citus they are reference tables
# (copied to every node) or stay on the coordinator.
NOT_TENANT_DATA = {
    "organisations.Organisation": "the distribution key itself",
    "instruments.Framework": "the shared encounter-quality model: a reference table",
    "instruments.Dimension": "part of the shared model: a reference table",
    "instruments.Item": "part of the shared model: a reference table",
    "development.PublicSelfTestResult": "the public self-test, answered outside any organisation",
    "security.RateCounter": "request counters per client address, not tenant data",
    "security.TotpDevice": "a login's second factor; a login may belong to several organisations",
    "security.RecoveryCode": "a login's recovery codes; as above",
    "deployment.StoredFile": "uploaded file contents, reached only through a tenant row that names them",
}

# One-to-one links to a parent row of the same organisation. They are unique on their own; in Citus
# the unique index becomes (organisation, link), which the co-located parent makes equivalent.
ONE_TO_ONE_WITH_SAME_TENANT = {
    "organisations.Person.user",
    "assessments.Assessment.round",
    "assessments.Rater.invitation",
    "maturity.MaturitySurvey.round",
    "maturity.InvitationTarget.invitation",
    "mystery.Report.assignment",
    "journeys.StageDetail.stage",
    "journeys.TouchpointDetail.touchpoint",
    "followup.FollowupCase.response",
    "followup.ContactPreference.invitation",
    "textanalytics.CommentAnalysis.answer",
    "textanalytics.TranscriptAnalysis.encounter",
    "api.ApiToken.key_hash",
    "stakeholders.StakeholderRound.round",
    "widget.WidgetAnswer.response",
}


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("kohtaamo.")]


def _tenant_models():
    return [m for m in _project_models() if m._meta.label not in NOT_TENANT_DATA]


def test_every_tenant_table_carries_the_organisation():
    missing = []
    for model in _tenant_models():
        try:
            field = model._meta.get_field("organisation")
        except Exception:  # noqa: BLE001 - FieldDoesNotExist, reported below
            missing.append(model._meta.label)
            continue
        if field.null or field.related_model is not Organisation:
            missing.append(f"{model._meta.label} (nullable or not an organisation key)")
    assert missing == []


def test_every_unique_constraint_includes_the_organisation():
    offending = []
    for model in _tenant_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and "organisation" not in constraint.fields:
                offending.append(f"{model._meta.label}.{constraint.name}")
        for fields in model._meta.unique_together:
            if "organisation" not in fields:
                offending.append(f"{model._meta.label} unique_together {fields}")
        for field in model._meta.fields:
            label = f"{model._meta.label}.{field.name}"
            own_key = field.primary_key or field.name == "organisation"
            if field.unique and not own_key and label not in ONE_TO_ONE_WITH_SAME_TENANT:
                offending.append(label)
    assert offending == []


def test_the_allow_lists_name_real_things():
    labels = {m._meta.label for m in _project_models()}
    assert set(NOT_TENANT_DATA) <= labels
    for label in ONE_TO_ONE_WITH_SAME_TENANT:
        app_model, field = label.rsplit(".", 1)
        assert apps.get_model(app_model)._meta.get_field(field).unique


LARGE_TABLES = ("feedback_response", "feedback_answer", "feedback_dimensionscore")


def _queries_on_large_tables_without_organisation(captured) -> list[str]:
    offending = []
    for query in captured:
        sql = query["sql"]
        tables = [t for t in LARGE_TABLES if re.search(rf'\b"?{t}"?\b', sql)]
        if not tables or not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            continue
        where = sql.upper().split(" WHERE ", 1)
        if len(where) < 2 or "ORGANISATION_ID" not in where[1]:
            offending.append(sql[:300])
    return offending


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/o/{org}/",
        "/o/{org}/?period=90",
        "/o/{org}/?unit={unit}",
        "/o/{org}/?person={person}",
        "/api/v1/organisations/{org}/metrics",
        "/api/v1/organisations/{org}/metrics/trend",
        "/api/v1/organisations/{org}/responses",
    ],
)
def test_dashboard_queries_on_the_large_tables_filter_on_the_organisation(client, world, path):
    client.force_login(world.cx_lead)
    url = path.format(org=world.organisation.slug, unit=world.branch.pk, person=world.person.pk)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert _queries_on_large_tables_without_organisation(captured.captured_queries) == []
