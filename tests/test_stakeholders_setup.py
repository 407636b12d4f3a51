"""Set-up pages: validated forms with clear errors, the CSV import's line-numbered errors (nothing
half-stored), roles, tenant isolation, pinned query counts, and individual stakeholder answers
staying out of the customer dashboards and response lists."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kohtaamo.feedback.models import Invitation, Response
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Person
from kohtaamo.stakeholders.models import InternalService, PartnerContact, PartnerOrganisation, StakeholderRound
from kohtaamo.stakeholders.periods import period_containing, period_parse
from kohtaamo.stakeholders.questionnaires import stakeholder_questionnaire_ensure

from .stakeholders_helpers import answers_add, stakeholder_round

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MOMENT = datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def url(name: str, org: str = "acme", **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"org": org, **kwargs})


def upload(text: str) -> io.BytesIO:
    file = io.BytesIO(text.encode())
    file.name = "contacts.csv"
    return file


@pytest.fixture
def partner(world):
    return PartnerOrganisation.objects.create(
        organisation=world.organisation, unit=world.branch, name="Tukku Oy", kind="supplier"
    )


@pytest.mark.django_db
def test_partner_form_explains_what_is_wrong(client, world, partner):
    client.force_login(world.admin)
    page = client.post(url("partners"), {"name": "  ", "kind": "supplier", "unit": world.branch.pk}, **EN)
    assert page.status_code == 400 and "This field is required." in page.content.decode()
    page = client.post(url("partners"), {"name": "tukku oy", "kind": "supplier", "unit": world.branch.pk}, **EN)
    assert page.status_code == 400 and "There is already a partner called “tukku oy”." in page.content.decode()
    assert PartnerOrganisation.objects.count() == 1


@pytest.mark.django_db
def test_contact_form_checks_the_address_and_duplicates(client, world, partner):
    client.force_login(world.admin)
    form = {"name": "Liisa", "email": "liisa@tukku.example", "language": "fi", "contact_consent": "on"}
    assert client.post(url("partner", partner_id=partner.pk), form, **EN).status_code == 302
    again = client.post(url("partner", partner_id=partner.pk), {**form, "email": "LIISA@tukku.example"}, **EN)
    assert again.status_code == 400
    assert "This partner already has a contact with the address “LIISA@tukku.example”." in again.content.decode()
    bad = client.post(url("partner", partner_id=partner.pk), {**form, "email": "liisa(at)tukku"}, **EN)
    assert bad.status_code == 400 and "Enter a valid email address." in bad.content.decode()
    contact = PartnerContact.objects.get()
    assert contact.contact_consent and contact.organisation_id == world.organisation.pk


@pytest.mark.django_db
def test_csv_import_reports_every_bad_line_and_stores_nothing(client, world, partner):
    client.force_login(world.admin)
    text = (
        "name,email,language,consent,retain_until\n"
        "Aino,aino@tukku.example,fi,yes,2030-01-01\n"
        "Bertil,bertil-at-tukku,sv,yes,\n"
        "Cecilia,aino@tukku.example,de,maybe,31.12.2030\n"
    )
    page = client.post(url("partner_import", partner_id=partner.pk), {"file": upload(text)}, **EN)
    html = page.content.decode()
    assert page.status_code == 400
    assert "Line 3: “bertil-at-tukku” is not an e-mail address." in html
    assert "Line 4: consent must be yes or no." in html
    assert "Line 4: retain_until must be a date like 2027-12-31." in html
    assert "Line 4: This partner already has a contact with the address “aino@tukku.example”." in html
    assert "Line 4: Choose fi, sv or en." in html
    assert "Line 2" not in html
    assert PartnerContact.objects.count() == 0

    missing = client.post(url("partner_import", partner_id=partner.pk), {"file": upload("name;mail\nA;a@x.fi\n")}, **EN)
    assert "Line 1: The column “email” is missing." in missing.content.decode()
    short = client.post(url("partner_import", partner_id=partner.pk), {"file": upload("name,email\nA\n")}, **EN)
    assert "Line 2: The line has 1 values but the header has 2." in short.content.decode()
    assert PartnerContact.objects.count() == 0

    good = "name;email;consent\nAino;aino@tukku.example;kyllä\nBertil;bertil@tukku.example;no\n"
    assert client.post(url("partner_import", partner_id=partner.pk), {"file": upload(good)}, **EN).status_code == 302
    assert dict(PartnerContact.objects.values_list("name", "contact_consent")) == {"Aino": True, "Bertil": False}


@pytest.mark.django_db
def test_internal_service_must_join_two_separate_units(client, world):
    client.force_login(world.admin)
    same = client.post(url("internal"), {"provider": world.branch.pk, "customer_unit": world.branch.pk}, **EN)
    assert same.status_code == 400 and "A unit cannot be its own internal customer." in same.content.decode()
    own_team = client.post(url("internal"), {"provider": world.branch.pk, "customer_unit": world.team.pk}, **EN)
    assert "Choose a unit outside Acme Centre: its own teams are not its internal customers." in (
        own_team.content.decode()
    )
    ok = {"provider": world.branch.pk, "customer_unit": world.other_branch.pk}
    assert client.post(url("internal"), ok, **EN).status_code == 302
    twice = client.post(url("internal"), ok, **EN)
    assert "Acme Harbour is already served by this unit." in twice.content.decode()
    assert InternalService.objects.count() == 1
    service = InternalService.objects.get()
    assert client.post(url("internal_delete", service_id=service.pk)).status_code == 302
    assert not InternalService.objects.exists()


@pytest.mark.django_db
def test_launch_refuses_a_round_that_could_never_show_a_result(client, world, partner, mailbox):
    client.force_login(world.admin)
    form = {"audience": "partner", "unit": world.branch.pk, "expires_after_days": 14}
    page = client.post(url("rounds"), form, **EN)
    assert page.status_code == 400
    assert "Acme Centre has no partner contacts who agreed to be contacted." in page.content.decode()
    InternalService.objects.create(
        organisation=world.organisation, provider=world.branch, customer_unit=world.other_branch
    )
    Person.objects.create(organisation=world.organisation, unit=world.other_branch, name="A", email="a@acme.example")
    page = client.post(url("rounds"), {**form, "audience": "internal_customer"}, **EN)
    assert "Only 1 people could be invited; with fewer than 3 no result could ever be shown." in (page.content.decode())
    page = client.post(url("rounds"), {**form, "expires_after_days": 0}, **EN)
    assert "Ensure this value is greater than or equal to 1." in page.content.decode()
    assert not StakeholderRound.objects.exists() and not Invitation.objects.exists()
    assert mailbox.messages == []


@pytest.mark.django_db
def test_wording_is_the_audience_s_and_scoring_uses_the_framework_items(world):
    questionnaire = stakeholder_questionnaire_ensure(
        organisation=world.organisation, audience="internal_customer", unit=world.branch
    )
    questions = list(Question.objects.filter(questionnaire=questionnaire).select_related("item"))
    assert [q.item.code for q in questions[:4]] == ["nps_1", "csat_1", "ces_1", "emotion_1"]
    assert len(questions) == 12 and all(q.item_id for q in questions)
    listening = next(q for q in questions if q.item.code == "listening_1")
    assert listening.texts["fi"] == "Yksikön työntekijät antoivat minun kertoa asiani loppuun keskeyttämättä."
    assert set(listening.texts) == {"fi", "sv", "en"}
    assert questionnaire.names["en"] == "Internal customer feedback: Acme Centre"
    partner_q = stakeholder_questionnaire_ensure(organisation=world.organisation, audience="partner", unit=world.branch)
    nps = partner_q.questions.get(item__code="nps_1")
    assert nps.texts["en"] == "How likely are you to recommend Acme to others as a partner?"
    # The same wording again reuses the version; a renamed unit gets a new one.
    again = stakeholder_questionnaire_ensure(organisation=world.organisation, audience="partner", unit=world.branch)
    assert again.pk == partner_q.pk
    world.branch.name = "Acme City"
    world.branch.save()
    renamed = stakeholder_questionnaire_ensure(organisation=world.organisation, audience="partner", unit=world.branch)
    assert renamed.version == partner_q.version + 1


@pytest.mark.django_db
def test_periods_are_quarters_in_the_organisation_time_zone():
    period = period_parse("2026-Q4", time_zone="Europe/Helsinki")
    assert period.start.isoformat() == "2026-10-01T00:00:00+03:00" and period.end.year == 2027
    assert period_parse("2026-Q5", time_zone="Europe/Helsinki") is None
    utc_new_year = datetime(2026, 12, 31, 22, 30, tzinfo=ZoneInfo("UTC"))  # already 2027 in Helsinki
    assert period_containing(moment=utc_new_year, time_zone="Europe/Helsinki").code == "2027-Q1"


@pytest.mark.django_db
def test_bad_period_is_explained(client, world):
    client.force_login(world.admin)
    page = client.get(url("index"), {"period": "last-year"}, **EN)
    assert (
        page.status_code == 400 and "“last-year” is not a quarter; choose one from the list." in page.content.decode()
    )
    assert client.get(url("export_csv"), {"period": "x"}).status_code == 400
    api = client.get("/api/v1/organisations/acme/stakeholders/side-by-side?period=2026-13")
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "period"


SETUP_URLS = ["partners", "internal", "rounds"]


@pytest.mark.django_db
def test_roles(client, world, partner):
    for user in (world.admin, world.cx_lead, world.consultant):
        client.force_login(user)
        assert all(client.get(url(name)).status_code == 200 for name in [*SETUP_URLS, "index"])
    client.force_login(world.manager)  # a unit manager sees figures of their subtree, sets nothing up
    assert client.get(url("index")).status_code == 200
    assert all(client.get(url(name)).status_code == 403 for name in SETUP_URLS)
    client.force_login(world.employee)
    assert client.get(url("index")).status_code == 403
    assert client.get("/api/v1/organisations/acme/stakeholders/side-by-side").status_code == 403


@pytest.mark.django_db
def test_another_organisation_gets_404_everywhere(client, world, other_world, partner):
    service = InternalService.objects.create(
        organisation=world.organisation, provider=world.branch, customer_unit=world.other_branch
    )
    pages = [url(name) for name in [*SETUP_URLS, "index", "export_csv"]] + [
        url("partner", partner_id=partner.pk),
        url("partner_import", partner_id=partner.pk),
        url("internal_delete", service_id=service.pk),
    ]
    for user in (other_world.admin, other_world.manager, other_world.employee):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code in (404, 405), page
            assert client.post(page, {}).status_code in (404, 405), page
        assert client.get("/api/v1/organisations/acme/stakeholders/side-by-side").status_code == 404
    # Their own organisation's pages do not reach Acme's partner either.
    client.force_login(other_world.admin)
    assert client.get(url("partner", org="rival", partner_id=partner.pk)).status_code == 404
    assert client.post(url("internal_delete", org="rival", service_id=service.pk)).status_code == 404
    assert InternalService.objects.filter(pk=service.pk).exists()


@pytest.mark.django_db
def test_side_by_side_query_count_is_pinned(client, world, django_assert_max_num_queries):
    rounds = [
        stakeholder_round(world, unit=unit, audience=a, now=MOMENT)
        for unit in (world.branch, world.team)
        for a in ("partner", "internal_customer")
    ]
    answers_add([(r, [50.0, 75.0, 100.0]) for r in rounds], submitted_at=MOMENT)
    client.force_login(world.admin)
    period = period_containing(moment=MOMENT, time_zone="Europe/Helsinki").code
    with django_assert_max_num_queries(10):
        assert client.get(url("index"), {"period": period}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("export_csv"), {"period": period}).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(f"/api/v1/organisations/acme/stakeholders/side-by-side?period={period}").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url("rounds")).status_code == 200
    partner = PartnerOrganisation.objects.create(
        organisation=world.organisation, unit=world.team, name="P", kind="other"
    )
    PartnerContact.objects.bulk_create(
        PartnerContact(organisation=world.organisation, partner=partner, name=f"C{i}", email=f"c{i}@p.example")
        for i in range(5)
    )
    InternalService.objects.create(organisation=world.organisation, provider=world.team, customer_unit=world.region)
    for name, kwargs in (("partners", {}), ("partner", {"partner_id": partner.pk}), ("internal", {})):
        with django_assert_max_num_queries(8):
            assert client.get(url(name, **kwargs)).status_code == 200


@pytest.mark.django_db
def test_stakeholder_answers_stay_out_of_customer_figures_and_response_lists(client, world):
    internal = stakeholder_round(world, unit=world.branch, audience="internal_customer", now=MOMENT)
    answers_add([(internal, [100.0] * 4)], submitted_at=MOMENT)
    response = Response.objects.filter(respondent_role="internal_customer", round=internal.round).first()
    client.force_login(world.admin)
    listed = client.get("/api/v1/organisations/acme/responses").json()
    assert listed["count"] == 0
    assert client.get(f"/api/v1/organisations/acme/responses/{response.pk}").status_code == 404
    metrics = client.get("/api/v1/organisations/acme/metrics?date_from=2026-01-01&date_to=2026-12-31").json()
    assert metrics["eqi"]["n"] == 0
