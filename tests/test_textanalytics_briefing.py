"""The pre-encounter briefing: content, and who may open it."""

from kohtaamo.textanalytics.services import comments_analyse, transcript_import

from .test_textanalytics_comments import ENGLISH, customer, encounter, respond

TRANSCRIPT = """Virkailija: Hei! Miten voin auttaa?
Asiakas: Lainani korko nousi ja olen huolissani.
Virkailija: Eli jos ymmärsin oikein, haluat pienemmän kuukausierän. Lähetän laskelman perjantaina.
Asiakas: Kiitos.
"""


def history(world):
    """C-1 met the employee in the team (poorly rated) and a colleague in the other branch (well rated)."""
    c1 = customer(world, "C-1")
    first = encounter(world, "E-1", customer=c1, days_ago=20)
    transcript_import(encounter=first, text=TRANSCRIPT)
    respond(world, "Lupasitte soittaa takaisin, mutta kukaan ei soittanut. Olen pettynyt.", quality=2, encounter=first)
    second = encounter(world, "E-2", customer=c1, person=world.other_person, unit=world.other_branch, days_ago=5)
    respond(world, "Erinomaista ja ystävällistä palvelua, kiitos!", quality=5, encounter=second)
    c2 = customer(world, "C-2")
    third = encounter(world, "E-3", customer=c2, person=world.other_person, unit=world.other_branch)
    respond(world, "Ihan ok.", quality=4, encounter=third)
    comments_analyse(organisation_id=world.organisation.pk)
    return c1, c2


def test_briefing_content_for_an_organisation_wide_role(client, world, django_assert_max_num_queries):
    c1, _c2 = history(world)
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(16):
        page = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH)
    assert page.status_code == 200
    b = page.context["briefing"]
    assert b.encounter_count == 2
    assert [p.encounter.external_id for p in b.encounters] == ["E-2", "E-1"]
    assert [p.eqi for p in b.encounters] == [100.0, 25.0]
    assert [i["text"][:21] for i in b.open_issues] == ["Lupasitte soittaa tak"]
    assert b.promises[0]["text"] == "Lähetän laskelman perjantaina."
    assert b.emphasis[0].element == "trust" and b.emphasis[0].negative_comments == 1
    # Mean element score over both responses: (25 + 100) / 2 = 62.5 < 75, so every element is listed (3 shown).
    assert len(b.emphasis) == 3 and b.emphasis[0].score == 62.5
    html = page.content.decode()
    assert "Before you meet customer C-1" in html and "Promised:" in html


def test_manager_and_employee_see_only_encounters_in_their_scope(client, world, django_assert_max_num_queries):
    c1, c2 = history(world)
    client.force_login(world.manager)  # manages the branch containing the team
    b = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH).context["briefing"]
    assert [p.encounter.external_id for p in b.encounters] == ["E-1"]
    assert b.sentiment_points and all(score < 0 for _when, score in b.sentiment_points)
    assert client.get(f"/o/acme/texts/briefing/{c2.pk}/").status_code == 404
    client.force_login(world.employee)
    b = client.get(f"/o/acme/texts/briefing/{c1.pk}/", **ENGLISH).context["briefing"]
    assert [p.encounter.external_id for p in b.encounters] == ["E-1"]
    assert client.get(f"/o/acme/texts/briefing/{c2.pk}/").status_code == 404
    # Looking a customer up by id answers the same for "not yours" and "does not exist".
    with django_assert_max_num_queries(8):
        not_yours = client.get("/o/acme/texts/briefing/?customer=C-2", **ENGLISH)
    missing = client.get("/o/acme/texts/briefing/?customer=NOPE", **ENGLISH)
    assert not_yours.status_code == missing.status_code == 200
    assert client.get("/o/acme/texts/briefing/?customer=C-1").status_code == 302


def test_other_organisation_gets_404(client, world, other_world):
    c1, _c2 = history(world)
    client.force_login(other_world.admin)
    assert client.get(f"/o/acme/texts/briefing/{c1.pk}/").status_code == 404
    assert client.get(f"/o/rival/texts/briefing/{c1.pk}/").status_code == 404
