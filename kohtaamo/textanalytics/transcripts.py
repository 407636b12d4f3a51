"""Encounter transcripts: parsing (plain "speaker: text", WebVTT, JSON) and conversation metrics.

Definitions (also in the README):
- words: word tokens of a turn. Talk share = employee words / (employee + customer words).
- longest monologue: the most words (and, with times, seconds) in one unbroken run of employee turns.
- questions: "?"-ended sentences in each side's turns.
- customer cut off: a customer turn that breaks off ("-", "–", "—", "...", "…" at its end) and is
  followed by an employee turn, or, with times, one the employee's next turn starts before it ends.
- summaries: employee turns that paraphrase or sum up the customer's need ("jos ymmärsin oikein",
  "om jag förstår rätt", "if I understand correctly", "so what you need is" …).
- next steps: employee sentences that commit to a next step ("lähetän", "jag återkommer", "I'll send" …).
- concrete share: share of employee sentences with a number, an amount or a day/time word.
- silence (only where times exist): gaps between consecutive turns; total, longest and share of duration.
"""

import json
import re
from dataclasses import dataclass

from .analysis import TOKEN

MAX_TRANSCRIPT_CHARS = 200_000
EMPLOYEE, CUSTOMER = "employee", "customer"
EMPLOYEE_LABELS = (
    "employee",
    "staff",
    "agent",
    "advisor",
    "adviser",
    "clerk",
    "consultant",
    "työntekijä",
    "virkailija",
    "asiantuntija",
    "neuvoja",
    "myyjä",
    "palvelija",
    "personal",
    "handläggare",
    "rådgivare",
    "kundtjänst",
    "tjänsteman",
    "expert",
)
CUSTOMER_LABELS = ("customer", "client", "caller", "asiakas", "soittaja", "kund", "kunden")
SUMMARY_MARKERS = (
    "jos ymmärsin",
    "jos ymmärrän",
    "eli siis",
    "eli haluaisit",
    "eli haluat",
    "eli tarvitset",
    "eli sinulle",
    "kuulostaa siltä",
    "tiivistän",
    "tiivistettynä",
    "yhteenvetona",
    "kertaan vielä",
    "eli toivot",
    "om jag förstår",
    "om jag förstått",
    "så du menar",
    "så du vill",
    "så du behöver",
    "alltså vill du",
    "sammanfattningsvis",
    "om jag sammanfattar",
    "för att sammanfatta",
    "det låter som",
    "if i understand",
    "if i've understood",
    "so what you",
    "so you need",
    "so you want",
    "so you'd like",
    "to summarise",
    "to summarize",
    "to sum up",
    "let me check i",
    "in other words",
    "sounds like you",
)
NEXT_STEP_MARKERS = (
    "lähetän",
    "soitan",
    "sovitaan",
    "varaan",
    "palaan",
    "selvitän",
    "seuraavaksi",
    "seuraava askel",
    "toimitan",
    "teen hakemuksen",
    "laitan",
    "otan yhteyttä",
    "jag skickar",
    "jag ringer",
    "vi bokar",
    "jag bokar",
    "jag återkommer",
    "nästa steg",
    "jag ordnar",
    "jag tar kontakt",
    "jag kollar upp",
    "vi ses",
    "i'll",
    "i will",
    "next step",
    "we'll",
    "let's book",
    "i'm going to",
    "i am going to",
    "we will",
)
CONCRETE_WORDS = re.compile(
    r"\d|€|%|\b(maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai|huomen|ylihuomen|viikolla|"
    r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|imorgon|i morgon|nästa vecka|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|"
    r"euro|kronor|klo|kello|klockan|o'clock)",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?]+[.!?]*")
CUT_OFF_ENDINGS = ("-", "–", "—", "...", "…")
VTT_TIME = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)")
VTT_VOICE = re.compile(r"^<v(?:\.[^ >]*)?\s+([^>]+)>(.*?)(?:</v>)?$")
SPEAKER_LINE = re.compile(r"^\s*([^:]{1,60}?)\s*:\s*(.*)$")


class TranscriptError(ValueError):
    """A transcript that cannot be read; says where and why."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Turn:
    role: str
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None

    def as_dict(self) -> dict:
        return {"role": self.role, "speaker": self.speaker, "text": self.text, "start": self.start, "end": self.end}


def detect_format(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith(("{", "[")):
        return "json"
    return "plain"


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return value


def _role(speaker: str, employee_names: tuple[str, ...]) -> str | None:
    label = speaker.strip().lower()
    if any(word in label for word in CUSTOMER_LABELS):
        return CUSTOMER
    if any(word in label for word in EMPLOYEE_LABELS) or any(n and n.lower() in label for n in employee_names):
        return EMPLOYEE
    return None


def _assign_roles(raw: list[tuple[str, str, float | None, float | None]], employee_names) -> list[Turn]:
    """Roles from speaker labels; unlabelled speakers: the first to speak is the employee, others customers."""
    roles: dict[str, str] = {}
    for speaker, *_ in raw:
        if speaker not in roles:
            roles[speaker] = _role(speaker, employee_names) or ""
    unknown = [s for s, r in roles.items() if not r]
    has_employee = EMPLOYEE in roles.values()
    for speaker in unknown:
        roles[speaker] = CUSTOMER if has_employee else EMPLOYEE
        has_employee = True
    return [Turn(roles[s], s, t, a, b) for s, t, a, b in raw]


def _parse_plain(text: str) -> list[tuple]:
    raw: list[list] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = SPEAKER_LINE.match(line)
        if match and match.group(1).strip() and not match.group(1).strip().isdigit():
            raw.append([match.group(1).strip(), match.group(2).strip(), None, None])
        elif raw:
            raw[-1][1] = f"{raw[-1][1]} {line.strip()}".strip()
        else:
            raise TranscriptError('expected "speaker: text"', line=number)
    return [tuple(r) for r in raw]


def _parse_vtt(text: str) -> list[tuple]:
    raw: list[tuple] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = VTT_TIME.match(lines[i])
        if not match:
            if "-->" in lines[i]:
                raise TranscriptError("cannot read the cue times", line=i + 1)
            i += 1
            continue
        start, end = _seconds(match.group(1)), _seconds(match.group(2))
        if end < start:
            raise TranscriptError("cue ends before it starts", line=i + 1)
        cue_line = i + 1
        i += 1
        body = []
        while i < len(lines) and lines[i].strip():
            body.append(lines[i].strip())
            i += 1
        content = " ".join(body)
        voice = VTT_VOICE.match(content)
        speaker_line = SPEAKER_LINE.match(content)
        if voice:
            speaker, words = voice.group(1).strip(), re.sub(r"</?v[^>]*>", "", voice.group(2)).strip()
        elif speaker_line:
            speaker, words = speaker_line.group(1).strip(), speaker_line.group(2).strip()
        else:
            raise TranscriptError("a cue without a speaker (use <v Name> or 'Name: text')", line=cue_line)
        raw.append((speaker, words, start, end))
    return raw


def _parse_json(text: str) -> list[tuple]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptError(f"not valid JSON ({error.msg})", line=error.lineno) from None
    turns = data.get("turns") if isinstance(data, dict) else data
    if not isinstance(turns, list):
        raise TranscriptError('expected a list of turns or {"turns": [...]}')
    raw = []
    for index, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
            raise TranscriptError(f"turn {index} needs a text")
        speaker = str(turn.get("role") or turn.get("speaker") or "").strip()
        if not speaker:
            raise TranscriptError(f"turn {index} needs a speaker or role")
        try:
            start = float(turn["start"]) if turn.get("start") is not None else None
            end = float(turn["end"]) if turn.get("end") is not None else None
        except (TypeError, ValueError):
            raise TranscriptError(f"turn {index} has a start or end that is not a number of seconds") from None
        raw.append((speaker, turn["text"].strip(), start, end))
    return raw


def transcript_parse(text: str, *, employee_names: tuple[str, ...] = ()) -> tuple[str, list[Turn]]:
    """(format, turns) of a transcript; TranscriptError says what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise TranscriptError("the transcript is empty")
    if len(text) > MAX_TRANSCRIPT_CHARS:
        raise TranscriptError(f"the transcript is longer than {MAX_TRANSCRIPT_CHARS} characters")
    fmt = detect_format(text)
    raw = {"vtt": _parse_vtt, "json": _parse_json, "plain": _parse_plain}[fmt](text.lstrip("\ufeff"))
    raw = [r for r in raw if r[1]]
    if len(raw) < 2:
        raise TranscriptError("a transcript needs at least two turns")
    turns = _assign_roles(raw, employee_names)
    if not any(t.role == CUSTOMER for t in turns):
        raise TranscriptError("no customer turns found (label a speaker 'customer')")
    return fmt, turns


def _words(text: str) -> int:
    return sum(1 for token in TOKEN.findall(text) if token[0].isalpha())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def _has(text: str, markers) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in markers)


def transcript_metrics(turns: list[Turn]) -> dict:
    employee = [t for t in turns if t.role == EMPLOYEE]
    customer = [t for t in turns if t.role == CUSTOMER]
    employee_words = sum(_words(t.text) for t in employee)
    customer_words = sum(_words(t.text) for t in customer)
    timed = all(t.start is not None and t.end is not None for t in turns)

    longest_words, longest_seconds, run_words, run_start = 0, 0.0, 0, None
    for turn in turns + [Turn(CUSTOMER, "", "")]:
        if turn.role == EMPLOYEE:
            run_start = turn.start if run_words == 0 else run_start
            run_words += _words(turn.text)
            if run_words > longest_words:
                longest_words = run_words
            if timed and run_start is not None:
                longest_seconds = max(longest_seconds, turn.end - run_start)
        else:
            run_words = 0

    cut_offs = 0
    for current, following in zip(turns, turns[1:], strict=False):
        if current.role != CUSTOMER or following.role != EMPLOYEE:
            continue
        broke_off = current.text.rstrip().endswith(CUT_OFF_ENDINGS)
        overlapped = timed and following.start < current.end
        cut_offs += bool(broke_off or overlapped)

    employee_sentences = [s for t in employee for s in _sentences(t.text)]
    next_steps = [s for s in employee_sentences if _has(s, NEXT_STEP_MARKERS)]
    concrete = [s for s in employee_sentences if CONCRETE_WORDS.search(s)]
    metrics = {
        "turns": len(turns),
        "employee_words": employee_words,
        "customer_words": customer_words,
        "employee_talk_share": round(employee_words / max(employee_words + customer_words, 1), 3),
        "longest_monologue_words": longest_words,
        "questions_employee": sum(len(re.findall(r"\?+", t.text)) for t in employee),
        "questions_customer": sum(len(re.findall(r"\?+", t.text)) for t in customer),
        "customer_cut_offs": cut_offs,
        "summaries": sum(_has(t.text, SUMMARY_MARKERS) for t in employee),
        "next_steps": len(next_steps),
        "next_step_sentences": next_steps[:10],
        "concrete_share": round(len(concrete) / len(employee_sentences), 3) if employee_sentences else 0.0,
        "timed": timed,
    }
    if timed:
        ordered = sorted(turns, key=lambda t: t.start)
        gaps = [max(0.0, b.start - a.end) for a, b in zip(ordered, ordered[1:], strict=False)]
        duration = max(t.end for t in turns) - ordered[0].start
        metrics |= {
            "longest_monologue_seconds": round(longest_seconds, 1),
            "duration_seconds": round(duration, 1),
            "silence_seconds": round(sum(gaps), 1),
            "longest_silence_seconds": round(max(gaps, default=0.0), 1),
            "silence_share": round(sum(gaps) / duration, 3) if duration > 0 else 0.0,
        }
    return metrics
