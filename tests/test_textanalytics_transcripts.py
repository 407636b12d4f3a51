"""Transcript parsing and every metric on hand-made transcripts with known values; the import page."""

import json

import pytest

from kohtaamo.textanalytics.evidence import (
    RANGED_METRICS,
    calibrated_ranges,
    default_ranges,
    element_evidence,
    in_range_score,
)
from kohtaamo.textanalytics.models import TranscriptAnalysis
from kohtaamo.textanalytics.transcripts import TranscriptError, transcript_metrics, transcript_parse

from .test_textanalytics_comments import ENGLISH, encounter, respond

PLAIN = """Virkailija: Hei, miten voin auttaa?
Asiakas: Haluaisin kysyä lainasta, koska...
Virkailija: Selvä. Eli jos ymmärsin oikein, tarvitset lisälainaa remonttiin? Lähetän tarjouksen perjantaina.
Asiakas: Kyllä, kiitos. Milloin se tulee?
Virkailija: Perjantaina.
"""

VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Advisor>Hi, what brings you in today?

00:00:06.000 --> 00:00:12.000
<v Customer>My mortgage renewal is coming up and I'm worried.

00:00:11.000 --> 00:00:20.000
<v Advisor>So what you need is a new fixed rate. I'll send two offers by Wednesday.

00:00:30.000 --> 00:00:32.000
<v Customer>Thanks.
"""


def test_plain_transcript_metrics():
    fmt, turns = transcript_parse(PLAIN)
    assert fmt == "plain"
    assert [t.role for t in turns] == ["employee", "customer", "employee", "customer", "employee"]
    m = transcript_metrics(turns)
    # employee words: 4 + 11 + 1 = 16; customer words: 4 + 5 = 9
    assert (m["employee_words"], m["customer_words"]) == (16, 9)
    assert m["employee_talk_share"] == 0.64
    assert m["longest_monologue_words"] == 11
    assert (m["questions_employee"], m["questions_customer"]) == (2, 1)
    assert m["customer_cut_offs"] == 1  # "koska..." broke off
    assert m["summaries"] == 1
    assert m["next_steps"] == 1 and m["next_step_sentences"] == ["Lähetän tarjouksen perjantaina."]
    # employee sentences: "Hei, miten voin auttaa?", "Selvä.", "Eli … remonttiin?", "Lähetän … perjantaina.",
    # "Perjantaina." — two name a day.
    assert m["concrete_share"] == 0.4
    assert m["timed"] is False and "silence_seconds" not in m


def test_vtt_times_give_silence_overlap_and_monologue_seconds():
    fmt, turns = transcript_parse(VTT)
    assert fmt == "vtt" and turns[0].start == 0.0 and turns[2].end == 20.0
    m = transcript_metrics(turns)
    # gaps: 4→6 = 2 s, 12→11 overlap = 0, 20→30 = 10 s; duration 32 s
    assert (m["silence_seconds"], m["longest_silence_seconds"], m["duration_seconds"]) == (12.0, 10.0, 32.0)
    assert m["silence_share"] == round(12 / 32, 3)
    assert m["customer_cut_offs"] == 1  # the advisor started at 11 s, the customer spoke until 12 s
    assert m["longest_monologue_seconds"] == 9.0
    assert m["summaries"] == 1 and m["next_steps"] == 1


def test_json_transcript_and_role_labels():
    text = json.dumps(
        {
            "turns": [
                {"speaker": "Anna", "text": "Hej! Vad kan jag hjälpa till med?"},
                {"speaker": "Kund", "text": "Mitt kort fungerar inte."},
                {"speaker": "Anna", "text": "Jag skickar ett nytt kort i dag."},
            ]
        }
    )
    fmt, turns = transcript_parse(text)
    assert fmt == "json"
    assert [t.role for t in turns] == ["employee", "customer", "employee"]
    m = transcript_metrics(turns)
    assert (m["questions_employee"], m["next_steps"], m["summaries"]) == (1, 1, 0)


def test_employee_found_by_name_even_when_the_customer_speaks_first():
    _fmt, turns = transcript_parse("Matti: Hei, korttini ei toimi.\nLiisa: Katsotaan.", employee_names=("Liisa",))
    assert [t.role for t in turns] == ["customer", "employee"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("just some words without speakers", "line 1"),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v A>x\n", "ends before it starts"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nno speaker here\n", "line 3"),
        ("WEBVTT\n\nxx:yy --> 00:00:02.000\n<v A>x\n", "line 3"),
        ('{"turns": [{"speaker": "A", "text": "hi"}, ', "not valid JSON"),
        ('[{"speaker": "A"}]', "turn 1 needs a text"),
        ('[{"speaker": "A", "text": "x", "start": "soon"}, {"speaker": "Customer", "text": "y"}]', "seconds"),
        ("Asiakas: Hei.", "at least two turns"),
        ("Virkailija: Hei.\nVirkailija: Hei taas.", "no customer"),
        ("A: " + "x" * 200_001, "longer than"),
    ],
)
def test_malformed_transcripts_get_a_clear_error(text, message):
    with pytest.raises(TranscriptError) as error:
        transcript_parse(text)
    assert message in str(error.value)


def test_range_scores_and_element_evidence():
    assert in_range_score(0.5, 0.4, 0.6) == 100.0
    assert in_range_score(0.7, 0.4, 0.6) == pytest.approx(50.0)
    assert in_range_score(1.0, 0.4, 0.6) == 0.0
    _fmt, turns = transcript_parse(PLAIN)
    evidence = element_evidence(transcript_metrics(turns), default_ranges("phone"))
    # talk share 0.64 within phone 0.40–0.65 → 100; one cut-off → 50; summary 100; monologue 100 → 87.5
    assert evidence["listening"] == 87.5
    assert evidence["value"] == 100.0 and evidence["trust"] == 75.0
    assert set(evidence) == {"listening", "expertise", "value", "trust", "solution"}


def test_calibration_needs_enough_best_encounters():
    few = calibrated_ranges("phone", [{"employee_talk_share": 0.3}] * 4)
    assert not few.calibrated and few.bounds == default_ranges("phone").bounds
    metrics = [
        {"employee_talk_share": s, "longest_monologue_words": 50, "questions_employee": 4, "concrete_share": 0.5}
        for s in (0.2, 0.3, 0.4, 0.5, 0.6)
    ]
    calibrated = calibrated_ranges("phone", metrics)
    assert calibrated.calibrated and calibrated.basis_n == 5
    assert calibrated.bounds["employee_talk_share"] == pytest.approx((0.28, 0.52))
    assert calibrated.widened == ("longest_monologue_words", "questions_employee", "concrete_share")


def test_calibration_from_encounters_too_alike_keeps_a_usable_width():
    alike = [
        {"employee_talk_share": 0.95, "longest_monologue_words": 50, "questions_employee": 4, "concrete_share": 0.5}
    ] * 6
    ranges = calibrated_ranges("phone", alike)  # phone defaults: talk 0.40–0.65, monologue 0–90
    assert ranges.calibrated and set(ranges.widened) == set(RANGED_METRICS)
    assert ranges.bounds["longest_monologue_words"] == pytest.approx((27.5, 72.5))  # 45 wide, around 50
    assert ranges.bounds["questions_employee"] == pytest.approx((1.5, 6.5))  # 5 wide, around 4
    assert ranges.bounds["concrete_share"] == pytest.approx((0.2875, 0.7125))
    assert ranges.bounds["employee_talk_share"] == pytest.approx((0.875, 1.0))  # a share stops at 1
    # An encounter a little off the calibrated value still scores, instead of 0 as against a 0-width range.
    assert in_range_score(55, *ranges.bounds["longest_monologue_words"]) == 100.0
    assert 0 < in_range_score(80, *ranges.bounds["longest_monologue_words"]) < 100


def test_import_page_shows_metrics_and_calibrates(client, world, other_world, django_assert_max_num_queries):
    meeting = encounter(world, "ENC-T1")
    client.force_login(world.cx_lead)
    bad = client.post(f"/o/acme/texts/encounters/{meeting.pk}/", {"text": "no speakers here"}, **ENGLISH)
    assert bad.status_code == 200 and "Line 1" in bad.content.decode()
    assert not TranscriptAnalysis.objects.exists()
    done = client.post(f"/o/acme/texts/encounters/{meeting.pk}/", {"text": PLAIN}, **ENGLISH)
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.transcript == PLAIN.strip()
    respond(world, "Hyvä.", quality=4, encounter=meeting)
    with django_assert_max_num_queries(14):
        page = client.get(f"/o/acme/texts/encounters/{meeting.pk}/", **ENGLISH)
    html = page.content.decode()
    assert "Machine-derived" in html and "Employee talk share" in html
    assert page.context["view"].customer_scores["listening"] == {"score": 75.0, "n": 1}
    assert not page.context["view"].ranges.calibrated
    # Employees and managers may read but not import; another organisation gets 404.
    client.force_login(world.employee)
    assert client.get(f"/o/acme/texts/encounters/{meeting.pk}/").status_code == 200
    assert client.post(f"/o/acme/texts/encounters/{meeting.pk}/", {"text": PLAIN}).status_code == 403
    other = encounter(world, "ENC-T2", person=world.other_person, unit=world.other_branch)
    assert client.get(f"/o/acme/texts/encounters/{other.pk}/").status_code == 404
    client.force_login(other_world.admin)
    assert client.get(f"/o/acme/texts/encounters/{meeting.pk}/").status_code == 404


def test_ranges_calibrate_from_the_best_quarter(world):
    from kohtaamo.textanalytics.selectors import channel_ranges
    from kohtaamo.textanalytics.services import transcript_import

    for i in range(20):
        meeting = encounter(world, f"ENC-C{i}")
        employee_words = " ".join(["sana"] * (5 + i))
        transcript_import(encounter=meeting, text=f"Virkailija: {employee_words}.\nAsiakas: {' '.join(['x'] * 10)}.")
        respond(world, quality=5 if i >= 15 else 1 + i // 5, encounter=meeting)
    ranges = channel_ranges(organisation=world.organisation, channel="phone")
    assert ranges.calibrated and ranges.basis_n == 5
    # The best five (i = 15…19) have 20…24 employee words against 10 customer words: their middle 60 %
    # (20.8…23.2 words, talk share 0.675…0.699) is narrower than half the phone default, so each range is
    # that width around them (monologue: 45 words, kept at or above 0).
    low, high = ranges.bounds["longest_monologue_words"]
    assert (low, high) == pytest.approx((0.0, 45.0))
    low, high = ranges.bounds["employee_talk_share"]
    assert ((low + high) / 2, high - low) == pytest.approx((0.687, 0.125), abs=1e-3)
    assert {"longest_monologue_words", "employee_talk_share"} <= set(ranges.widened)
