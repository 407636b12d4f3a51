"""The audit log: viewing or exporting personal data writes one entry with the right actor; only admins read it."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kohtaamo.organisations.models import Customer, Membership
from kohtaamo.privacy.audit import AUDITED_ROUTES, audit_record
from kohtaamo.privacy.models import AuditEntry, ConsentRecord

from .development_helpers import pulse_response

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def test_viewing_a_response_on_the_dashboard_writes_one_entry(world, client):
    response = pulse_response(world, value=4, comment="Fine")
    client.force_login(world.cx_lead)
    page = client.get(f"/o/acme/results/responses/{response.pk}/", **EN)
    assert page.status_code == 200
    entry = _only_entry()
    assert entry.actor == world.cx_lead and entry.actor_label == "acme-cx_lead"
    assert (entry.organisation, entry.action) == (world.organisation, "view")
    assert (entry.object_type, entry.object_id) == ("feedback.response", str(response.pk))
    assert entry.client_address == "127.0.0.1"


def test_exporting_responses_writes_one_export_entry(world, client):
    pulse_response(world, value=4)
    client.force_login(world.admin)
    assert client.get("/o/acme/integrations/export/csv/", **EN).status_code == 200
    entry = _only_entry()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        world.admin,
        "export",
        "feedback.response",
        "",
    )


def test_api_detail_writes_one_entry_for_the_token_user(world, client):
    from kohtaamo.api.models import ApiToken

    response = pulse_response(world, value=3)
    _token, raw = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="BI")
    answer = client.get(f"/api/v1/organisations/acme/responses/{response.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}", **EN)
    assert answer.status_code == 200, answer.content
    entry = _only_entry()
    assert (entry.actor, entry.action, entry.object_id) == (world.cx_lead, "view", str(response.pk))


def test_a_refused_request_writes_nothing(world, other_world, client):
    response = pulse_response(world, value=3)
    client.force_login(other_world.admin)
    assert client.get(f"/o/acme/results/responses/{response.pk}/", **EN).status_code == 404
    client.force_login(world.employee)
    other = pulse_response(world, value=3, person=world.other_person)
    assert client.get(f"/o/acme/results/responses/{other.pk}/", **EN).status_code in (403, 404)
    assert AuditEntry.objects.count() == 0


def _url_names() -> dict[str, str]:
    """{namespace:name: route} of every URL pattern of the project."""
    from django.urls import URLResolver, get_resolver

    names = {}

    def walk(resolver, prefix="", namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern,
                    prefix + str(pattern.pattern),
                    namespace + (f"{pattern.namespace}:" if pattern.namespace else ""),
                )
            elif pattern.name:
                names[namespace + pattern.name] = prefix + str(pattern.pattern)

    walk(get_resolver())
    return names


@pytest.mark.django_db
def test_every_audited_route_exists_with_its_object_argument():
    names = _url_names()
    for name, route in AUDITED_ROUTES.items():
        assert name in names, name
        if route.id_kwarg:
            assert f"{route.id_kwarg}>" in names[name], (name, names[name])


@pytest.mark.parametrize("role", ["cx_lead", "manager", "employee", "consultant"])
def test_non_admins_cannot_read_the_log(world, client, role):
    audit_record(organisation=world.organisation, actor=world.admin, action="view", object_type="x", object_id=1)
    client.force_login(getattr(world, role))
    for url in ("/o/acme/privacy/audit/", "/o/acme/privacy/audit.csv", "/o/acme/privacy/", "/o/acme/privacy/people/1/"):
        assert client.get(url, **EN).status_code == 403, url


def test_another_organisations_admin_gets_404(world, other_world, client):
    client.force_login(other_world.admin)
    assert client.get("/o/acme/privacy/audit/", **EN).status_code == 404


def test_admin_reads_and_filters_the_log(world, client, django_assert_max_num_queries):
    for i in range(3):
        audit_record(
            organisation=world.organisation,
            actor=world.cx_lead,
            action="view",
            object_type="feedback.response",
            object_id=i,
        )
    audit_record(organisation=world.organisation, actor=world.manager, action="export", object_type="mystery.report")
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        page = client.get("/o/acme/privacy/audit/?action=export", **EN)
    assert page.status_code == 200
    rows = page.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1 and "acme-unit_manager" in rows and "mystery.report" in rows
    page = client.get("/o/acme/privacy/audit/?actor=cx_lead&object_id=2", **EN)
    rows = page.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1
    bad = client.get("/o/acme/privacy/audit/?since=2025-05-02&until=2025-05-01", **EN)
    assert "The start date is after the end date." in bad.content.decode()


def test_audit_csv_export_lists_the_filtered_entries_and_is_itself_recorded(world, client):
    audit_record(
        organisation=world.organisation,
        actor=world.cx_lead,
        action="view",
        object_type="feedback.response",
        object_id=7,
    )
    audit_record(organisation=world.organisation, actor=world.manager, action="export", object_type="mystery.report")
    User.objects.filter(pk=world.manager.pk).update(username="=HYPERLINK(1)")
    audit_record(
        organisation=world.organisation, actor=User.objects.get(pk=world.manager.pk), action="view", object_type="t"
    )
    client.force_login(world.admin)
    answer = client.get("/o/acme/privacy/audit.csv?action=view", **EN)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0] == ["When", "By", "Action", "Object type", "Object id", "Client address"]
    assert [r[1:5] for r in rows[1:]] == [
        ["'=HYPERLINK(1)", "Viewed", "t", ""],
        ["acme-cx_lead", "Viewed", "feedback.response", "7"],
    ]
    last = AuditEntry.objects.order_by("-pk").first()
    assert (last.actor, last.action, last.object_type) == (world.admin, "export", "privacy.auditentry")


def test_person_page_export_and_erasure_through_the_privacy_pages(world, client, django_assert_max_num_queries):
    from .privacy_helpers import person_footprint

    person = person_footprint(world)
    AuditEntry.objects.all().delete()
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        page = client.get(f"/o/acme/privacy/people/{person.pk}/", **EN)
    assert page.status_code == 200 and person.name in page.content.decode()
    download = client.get(f"/o/acme/privacy/people/{person.pk}/export.json", **EN)
    assert download["Content-Disposition"] == f'attachment; filename="person-{person.pk}.json"'
    refused = client.post(f"/o/acme/privacy/people/{person.pk}/erase/", {}, follow=True, **EN)
    assert "Tick the box to confirm the erasure." in refused.content.decode()
    erased = client.post(f"/o/acme/privacy/people/{person.pk}/erase/", {"confirm": "on"}, follow=True, **EN)
    assert "The person&#x27;s data was erased." in erased.content.decode()
    actions = list(AuditEntry.objects.order_by("pk").values_list("actor_id", "action", "object_id"))
    assert actions == [(world.admin.pk, a, str(person.pk)) for a in ("view", "export", "view", "erase")]


def test_search_finds_people_and_customers(world, client):
    Customer.objects.create(organisation=world.organisation, external_id="C-55", email="c55@example.org")
    client.force_login(world.admin)
    page = client.get("/o/acme/privacy/?q=Employee", **EN).content.decode()
    assert "Acme Employee" in page and "No customers found" in page
    page = client.get("/o/acme/privacy/?q=c55@example.org", **EN).content.decode()
    assert "C-55" in page and "No employees found." in page


def test_retention_period_is_set_on_the_privacy_page(world, client):
    client.force_login(world.admin)
    bad = client.post("/o/acme/privacy/", {"contact_retention_days": "0"}, **EN)
    assert "Give a retention period between 1 and 3650 days." in bad.content.decode()
    client.post("/o/acme/privacy/", {"contact_retention_days": "90"}, **EN)
    assert world.organisation.privacy_settings.contact_retention_days == 90


def test_django_admin_change_of_a_customer_is_audited_and_its_consent_recorded(world, client):
    customer = Customer.objects.create(organisation=world.organisation, external_id="C-1")
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    Membership.objects.filter(user=admin).delete()
    client.force_login(admin)
    url = f"/admin/organisations/customer/{customer.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "organisation": world.organisation.pk,
        "external_id": "C-1",
        "email": "c1@example.org",
        "language": "fi",
        "segment": "",
        "contact_consent": "on",
        "retain_until": "",
    }
    assert client.post(url, data).status_code == 302
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "object_type", "object_id")) == [
        ("view", "organisations.customer", str(customer.pk)),
        ("change", "organisations.customer", str(customer.pk)),
    ]
    record = ConsentRecord.objects.get(customer=customer)
    assert (record.state, record.source, record.purpose) == ("given", "admin", "survey_invitations")
    customer.refresh_from_db()
    assert customer.retain_until == timezone.localdate() + timezone.timedelta(days=365)


def test_customer_page_lists_consents_and_is_audited(world, client, django_assert_max_num_queries):
    from kohtaamo.privacy.consent import consent_record_admin

    customer = Customer.objects.create(organisation=world.organisation, external_id="C-8", email="c8@example.org")
    consent_record_admin(customer=customer, given=True)
    consent_record_admin(customer=customer, given=False)
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        page = client.get(f"/o/acme/privacy/customers/{customer.pk}/", **EN)
    table = page.content.decode().split("data-consents>")[1].split("</table>")[0]
    assert table.count("<tr>") == 3  # header, the withdrawal and the consent it closed
    assert "Administrator" in table and "Withdrawn" in table
    assert _only_entry().object_id == str(customer.pk)
    with django_assert_max_num_queries(10):
        assert client.get("/o/acme/privacy/?q=C-8", **EN).status_code == 200


def test_a_write_on_an_audited_path_is_not_a_read(world, client):
    """POST /responses (a submission) shares its path with GET /responses (a read of personal data)."""
    import uuid

    from kohtaamo.api.models import ApiToken

    raw = ApiToken.issue(user=world.cx_lead, organisation=world.organisation, name="t")[1]
    headers = {"authorization": f"Bearer {raw}", "accept-language": "en"}
    payload = {"idempotency_key": str(uuid.uuid4()), "language": "en", "answers": {"nps_1": 9}}
    posted = client.post(
        "/api/v1/organisations/acme/responses", payload, content_type="application/json", headers=headers
    )
    assert posted.status_code == 201, posted.content
    assert AuditEntry.objects.count() == 0
    assert client.get("/api/v1/organisations/acme/responses", headers=headers).status_code == 200
    entry = _only_entry()
    assert (entry.action, entry.object_type, entry.actor) == ("view", "feedback.response", world.cx_lead)
