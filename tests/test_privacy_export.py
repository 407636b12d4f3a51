"""The export holds the person's data from every app that holds any, and nothing that names hidden raters."""

import io
import json
import zipfile

from kohtaamo.organisations.models import Customer, Person
from kohtaamo.privacy.export import customer_export, person_export
from kohtaamo.privacy.models import AuditEntry

from .privacy_helpers import CUSTOMER_EMAIL, EMAIL, NAME, customer_footprint, links_to, person_footprint


def _held(model, pk) -> dict[str, set]:
    """{model label: ids} of the rows in any app that point at `pk` of `model`, found from the schema."""
    held: dict[str, set] = {}
    for link in links_to(model, pk):
        label, row = link.split(" #")
        label = label.rsplit(".", 1)[0].lower()
        held.setdefault(label, set()).add(row)
    return held


def _exported(document: dict) -> dict[str, set]:
    return {
        f"{app}.{model}": {str(row["id"]) for row in rows}
        for app, models in document["apps"].items()
        for model, rows in models.items()
    }


def test_person_export_covers_every_app_that_holds_the_person(world):
    person = person_footprint(world)
    held = _held(Person, person.pk)
    held_apps = {label.split(".")[0] for label in held}
    # the footprint reaches these apps, so the check below is not vacuous
    assert {"feedback", "assessments", "development", "mystery", "organisations"} <= held_apps

    document = person_export(person=person, actor=world.admin)

    exported = _exported(document)
    for label, ids in held.items():
        assert ids <= exported.get(label, set()), label
    assert held_apps <= set(document["apps"])
    assert document["apps"]["organisations"]["person"][0]["name"] == NAME
    assert document["apps"]["auth"]["user"][0]["email"] == EMAIL
    assert "password" not in document["apps"]["auth"]["user"][0]
    # two links away: the customer answers about the person, and the comment naming them
    answers = document["apps"]["feedback"]["answer"]
    assert any(NAME in (a.get("text") or "") for a in answers)
    assert "textanalytics" in document["apps"] and "followup" in document["apps"]
    # audit entries of the login's own access are part of it
    assert document["apps"]["privacy"]["auditentry"]
    # the export is itself recorded
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.object_type, entry.object_id) == (world.admin, "organisations.person", str(person.pk))


def test_person_export_hides_who_the_360_raters_were(world):
    from .assessments_helpers import approved_participant, people

    person = person_footprint(world)
    colleagues = people(world, 3)
    approved_participant(world, person, colleagues)
    document = person_export(person=person)
    text = json.dumps(document, default=str)
    for colleague in colleagues:
        assert colleague.email not in text
    raters = document["apps"]["assessments"]["rater"]
    assert {r["role"] for r in raters} >= {"self", "colleague"}
    assert all("person" not in r and "email" not in r for r in raters)


def test_customer_export_covers_every_app_that_holds_the_customer(world):
    person_footprint(world)
    customer = customer_footprint(world)
    held = _held(Customer, customer.pk)
    assert {"feedback", "followup", "impact", "privacy", "assessments"} <= {label.split(".")[0] for label in held}

    document = customer_export(customer=customer)

    exported = _exported(document)
    for label, ids in held.items():
        assert ids <= exported.get(label, set()), label
    assert document["apps"]["organisations"]["customer"][0]["email"] == CUSTOMER_EMAIL
    responses = document["apps"]["feedback"]["response"]
    assert len(responses) == 1 and responses[0]["nps"] is not None
    assert {a["response"] for a in document["apps"]["feedback"]["answer"]} == {responses[0]["id"]}


def test_admin_action_exports_a_zip_for_several_people(world, client):
    first = person_footprint(world)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.post(
        "/admin/organisations/person/",
        {"action": "export_people", "_selected_action": [first.pk, world.other_person.pk]},
    )
    assert response.status_code == 200, response.content[:300]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([f"person-{first.pk}.json", f"person-{world.other_person.pk}.json"])
    document = json.loads(archive.read(f"person-{first.pk}.json"))
    assert document["subject"] == {"type": "organisations.person", "id": first.pk}
    assert AuditEntry.objects.filter(action="export", actor=world.admin).count() == 2
