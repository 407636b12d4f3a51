"""The encounter page's five elements from every source: transcripts (machine-derived), customers,
360 and mystery shopping, each checked against figures computed here from what the test put in,
and each shown only as far as the viewer may see it."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from kohtaamo.api.models import ApiToken
from kohtaamo.assessments import services as assessments
from kohtaamo.assessments.releasing import report_release
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Person
from kohtaamo.textanalytics.evidence import default_ranges, element_evidence
from kohtaamo.textanalytics.services import transcript_import
from kohtaamo.textanalytics.transcripts import transcript_metrics, transcript_parse

from .assessments_helpers import (
    COLLEAGUE,
    SELF,
    SUPERVISOR,
    answer,
    approved_participant,
    make_round,
    people,
    raters_of,
)
from .mystery_helpers import (
    GOOD_ANSWERS,
    accepted_assignment,
    approved_report,
    report_filled,
    scenario_build,
    shopper_build,
    wave_build,
)
from .test_textanalytics_comments import ELEMENT_ITEMS, ENGLISH, encounter, respond
from .test_textanalytics_transcripts import PLAIN, VTT

ELEMENTS = ("listening", "expertise", "value", "trust", "solution")
API = "/api/v1/organisations/acme"


def oriented_score(questions, value: int) -> float:
    """0–100 score of one response that answered every question `value` (reverse-coded items flipped)."""
    values = [q.scale_min + q.scale_max - value if q.reverse_coded else value for q in questions]
    q = questions[0]
    return (sum(values) / len(values) - q.scale_min) / (q.scale_max - q.scale_min) * 100


def element_questions(questionnaire_id: int, code: str, item_codes=None) -> list[Question]:
    qs = Question.objects.filter(questionnaire_id=questionnaire_id, item__dimensions__code=code)
    if item_codes is not None:
        qs = qs.filter(item__code__in=item_codes)
    return list(qs)


def released_360(world, subject: Person, *, colleagues: tuple[int, ...], supervisor: int | None, self_value=5):
    """A released 360 report of `subject`: colleagues answering the given values, the supervisor likewise."""
    subject.supervisor = Person.objects.create(
        organisation=world.organisation,
        unit=subject.unit,
        name=f"Boss of {subject.name}",
        email=f"boss{subject.pk}@example.org",
    )
    subject.email = f"{subject.pk}@example.org"
    subject.save()
    assessment = make_round(world, subjects=[subject])
    participant = approved_participant(world, subject, people(world, 3, prefix=f"Colleague{subject.pk}-"))
    assessments.raters_invite(assessment=assessment)
    answer(raters_of(participant, SELF)[0], self_value)
    if supervisor is not None:
        answer(raters_of(participant, SUPERVISOR)[0], supervisor)
    for rater, value in zip(raters_of(participant, COLLEAGUE), colleagues, strict=False):
        answer(rater, value)
    report_release(participant=participant)
    return assessment


def shown(value: float) -> str:
    """A 0–100 value as the page writes it (floatformat:0 rounds halves up)."""
    return str(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cells_of(html: str, element: str) -> dict[str, str]:
    row = re.search(rf'<tr data-element="{element}">(.*?)</tr>', html, re.S).group(1)
    return {
        source: re.sub(r"<[^>]+>", "", text).strip()
        for source, text in re.findall(r'data-source="([a-z_0-9]+)">(.*?)</td>', row, re.S)
    }


def api_get(client, world, user, path: str):
    raw = ApiToken.issue(user=user, organisation=world.organisation, name="t")[1]
    return client.get(f"{API}{path}", HTTP_AUTHORIZATION=f"Bearer {raw}", **ENGLISH)


@pytest.fixture
def evidence_world(world):
    """world.person (team in Acme Centre) with customer scores, transcripts, a released 360 and mystery visits."""
    # Customers: 75 (with the encounter), 25 and 100 inside 180 days; 0 older; 0 about someone else.
    meeting = encounter(world, "ENC-1")
    respond(world, quality=4, encounter=meeting)
    respond(world, quality=2, days_ago=10)
    respond(world, quality=5, days_ago=100)
    respond(world, quality=1, days_ago=200)
    elsewhere = encounter(world, "ENC-X", person=world.other_person, unit=world.other_branch)
    respond(world, quality=1, encounter=elsewhere)
    # Transcripts: two of the person's, one of someone else's.
    transcript_import(encounter=meeting, text=PLAIN)
    transcript_import(encounter=encounter(world, "ENC-2", days_ago=6), text=VTT)
    transcript_import(encounter=elsewhere, text=VTT.replace("two offers", "nothing"))
    # 360: self 5, supervisor 3, colleagues 4, 4, 2 → all raters but self n = 4.
    assessment = released_360(world, world.person, colleagues=(4, 4, 2), supervisor=3)
    # Mystery: two approved visits to the branch; one approved elsewhere and one not yet approved don't count.
    scenario, items = scenario_build(world.organisation)
    wave = wave_build(world.organisation, scenario)
    anna = shopper_build(world.organisation, "Anna", [world.region])
    bert = shopper_build(world.organisation, "Bert", [world.region])
    approved_report(wave, world.branch, anna, items)  # listening 100, expertise (0.75 + 0) / 2 = 37.5
    second = {**GOOD_ANSWERS, "greeted": "no", "name": "yes", "friendly": "5", "next": "yes"}
    approved_report(wave, world.branch, bert, items, second)  # listening 1/3, expertise 100
    approved_report(wave, world.other_branch, anna, items, {**GOOD_ANSWERS, "greeted": "no"})
    report_filled(accepted_assignment(wave, world.branch, anna), items, {**GOOD_ANSWERS, "greeted": "no"})
    return meeting, assessment


def expected_figures(world, assessment) -> dict[str, dict[str, tuple]]:
    """The four sources per element, computed from the inputs of `evidence_world`."""
    pulse_questionnaire = world.programme.questionnaire_id
    ranges = default_ranges("phone")
    evidence = [element_evidence(transcript_metrics(transcript_parse(text)[1]), ranges) for text in (PLAIN, VTT)]
    expected = {}
    for code in ELEMENTS:
        pulse = element_questions(pulse_questionnaire, code, ELEMENT_ITEMS)
        customers = [oriented_score(pulse, q) for q in (4, 2, 5)]
        others = element_questions(assessment.questionnaire_other_id, code)
        raters = [oriented_score(others, v) for v in (3, 4, 4, 2)]
        expected[code] = {
            "transcript": (round(sum(e[code] for e in evidence) / 2, 1), 2),
            "customers": (round(sum(customers) / 3, 1), 3),
            "assessment_360": (round(sum(raters) / 4, 1), 4),
        }
    expected["listening"]["mystery"] = (round((100 + 100 / 3) / 2, 1), 2)
    expected["expertise"]["mystery"] = (round((37.5 + 100) / 2, 1), 2)
    for code in ("value", "trust", "solution"):
        expected[code]["mystery"] = (None, 0)  # the checklist has no item on these elements
    return expected


def test_every_source_on_the_encounter_page_and_api(client, world, evidence_world, django_assert_max_num_queries):
    meeting, assessment = evidence_world
    expected = expected_figures(world, assessment)
    # Hand-checked anchors: PLAIN on the phone scores listening 87.5, trust 75 (test_textanalytics_transcripts).
    assert expected["listening"]["customers"] == (66.7, 3)  # (75 + 25 + 100) / 3
    assert expected["listening"]["mystery"] == (66.7, 2)
    client.force_login(world.cx_lead)
    with django_assert_max_num_queries(16):
        page = client.get(f"/o/acme/texts/encounters/{meeting.pk}/", **ENGLISH)
    assert page.status_code == 200
    sources = page.context["view"].person_sources
    html = page.content.decode()
    for code in ELEMENTS:
        for source, (value, n) in expected[code].items():
            cell = sources[code][source]
            assert (cell.value, cell.n) == (pytest.approx(value) if value is not None else None, n), (code, source)
            text = cells_of(html, code)[source]
            if value is None:
                assert text == "No checklist item on this element."
            else:
                assert text == f"{shown(value)} (n={n})", (code, source)
    assert "Transcripts, mean (machine-derived)" in html and "Acme Employee: all sources" in html
    assert "approved visits to Acme Centre" in html

    reply = api_get(client, world, world.cx_lead, f"/encounters/{meeting.pk}/transcript")
    assert reply.status_code == 200
    data = reply.json()
    assert data["machine_derived"] is True and data["person"] == world.person.pk
    assert data["mystery_location"] == world.branch.pk and data["pulse_days"] == 180
    for code in ELEMENTS:
        for source, (value, n) in expected[code].items():
            cell = data["person_sources"][code][source]
            assert (cell["value"], cell["n"]) == (pytest.approx(value) if value is not None else None, n)
            assert cell["machine_derived"] is (source == "transcript")
    assert data["person_sources"]["trust"]["mystery"]["note"] == "no_element_items"


def test_employee_sees_own_figures_but_no_mystery_and_never_another_persons(client, world, evidence_world):
    meeting, _assessment = evidence_world
    other_meeting = encounter(world, "ENC-O", person=world.other_person, unit=world.other_branch)
    released_360(world, world.other_person, colleagues=(1, 1, 1), supervisor=1, self_value=1)
    client.force_login(world.employee)
    own = client.get(f"/o/acme/texts/encounters/{meeting.pk}/", **ENGLISH)
    listening = own.context["view"].person_sources["listening"]
    assert listening["assessment_360"].n == 4  # the person may read their own released report
    assert listening["mystery"] == (None, 0, "not_permitted")  # the mystery app shows employees no visits
    assert "Not shown to your role." in cells_of(own.content.decode(), "listening")["mystery"]
    # Another person's encounter, and so their 360, is out of reach on the page and the API.
    assert client.get(f"/o/acme/texts/encounters/{other_meeting.pk}/").status_code == 404
    assert api_get(client, world, world.employee, f"/encounters/{other_meeting.pk}/transcript").status_code == 404


def test_manager_does_not_see_the_360_of_someone_outside_their_units(client, world):
    """An encounter in the manager's team served by a person of another branch: the encounter is in scope,
    the person's 360 report is not the manager's to read."""
    released_360(world, world.other_person, colleagues=(4, 4, 4), supervisor=4)
    visiting = encounter(world, "ENC-V", person=world.other_person, unit=world.team)
    client.force_login(world.manager)
    page = client.get(f"/o/acme/texts/encounters/{visiting.pk}/", **ENGLISH)
    assert page.status_code == 200
    assert {c.note for c in (page.context["view"].person_sources[e]["assessment_360"] for e in ELEMENTS)} == {
        "not_permitted"
    }
    client.force_login(world.cx_lead)
    page = client.get(f"/o/acme/texts/encounters/{visiting.pk}/", **ENGLISH)
    assert page.context["view"].person_sources["listening"]["assessment_360"].n == 4


@pytest.mark.parametrize(
    ("colleagues", "supervisor"),
    [((4, 4), None), ((4, 4), 3)],
    ids=["no-others-group", "supervisor-alone"],
)
def test_360_below_threshold_shows_no_value(client, world, colleagues, supervisor):
    """Two colleagues are under the threshold of 3: the report shows no all-raters figure, or only the
    supervisor's (n = 1), which is under the threshold as a single cell: no value either way."""
    released_360(world, world.person, colleagues=colleagues, supervisor=supervisor)
    meeting = encounter(world, "ENC-B")
    client.force_login(world.cx_lead)
    page = client.get(f"/o/acme/texts/encounters/{meeting.pk}/", **ENGLISH)
    for code in ELEMENTS:
        assert page.context["view"].person_sources[code]["assessment_360"] == (None, 0, "below_threshold")
        assert cells_of(page.content.decode(), code)["assessment_360"] == "Below the anonymity threshold."
    data = api_get(client, world, world.cx_lead, f"/encounters/{meeting.pk}/transcript").json()
    assert data["person_sources"]["listening"]["assessment_360"] == {
        "value": None,
        "n": 0,
        "note": "below_threshold",
        "machine_derived": False,
    }


def test_absent_sources_say_why(client, world):
    meeting = encounter(world, "ENC-E")
    client.force_login(world.cx_lead)
    page = client.get(f"/o/acme/texts/encounters/{meeting.pk}/", **ENGLISH)
    cells = cells_of(page.content.decode(), "listening")
    assert cells == {
        "transcript": "No transcripts of this person.",
        "customers": "No customer scores in the period.",
        "assessment_360": "No released 360 report.",
        "mystery": "No approved mystery visits.",
    }
