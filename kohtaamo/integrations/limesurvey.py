"""Import of a LimeSurvey survey structure (.lss XML) into a questionnaire.

An .lss file holds tables as <table><rows><row><column>…</column></row></rows></table>. Question
wording is in <questions> rows (LimeSurvey 3 and older: with a <language> column) or in
<question_l10ns> (LimeSurvey 4 and newer). Answer options are in <answers> (+ <answer_l10ns>).
Question types used: 5 (five-point choice), L/! (list with numeric codes) -> scale items; T, S, U, Q
(free text) -> open questions. Every other type is reported and left out.
"""

from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.db import transaction
from django.utils.translation import gettext as _

from kohtaamo.instruments.models import Item, Question, Questionnaire

LANGUAGES = ("fi", "sv", "en")
SCALE_TYPES = {"5", "L", "!"}
TEXT_TYPES = {"T", "S", "U", "Q"}


class LssError(ValueError):
    pass


@dataclass
class LssQuestion:
    qid: str
    code: str
    kind: str  # LimeSurvey type letter
    order: int
    group_order: int
    texts: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> {lang: label}

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_TYPES

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_TYPES

    @property
    def scale(self) -> tuple[int, int] | None:
        if self.kind == "5":
            return 1, 5
        numeric = [int(c) for c in self.options if c.lstrip("-").isdigit()]
        if self.is_scale and numeric and len(numeric) == len(self.options) and max(numeric) > min(numeric):
            return min(numeric), max(numeric)
        return None


@dataclass
class LssSurvey:
    title: dict[str, str]
    languages: list[str]
    questions: list[LssQuestion]


def _rows(root, table: str) -> list[dict[str, str]]:
    node = root.find(table)
    if node is None:
        return []
    return [{child.tag: (child.text or "").strip() for child in row} for row in node.iter("row")]


def _lang(code: str) -> str:
    return (code or "").split("-")[0].lower()


def lss_parse(data: bytes) -> LssSurvey:
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - the standard parser refuses external entities
    except ElementTree.ParseError as exc:
        raise LssError(_("The file is not valid XML: %(error)s") % {"error": exc}) from exc
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        raise LssError(_("The file is not a LimeSurvey survey structure (.lss)."))
    groups = {r.get("gid"): int(r.get("group_order") or 0) for r in _rows(root, "groups")}
    questions: dict[str, LssQuestion] = {}
    for row in _rows(root, "questions"):
        if row.get("parent_qid", "0") not in ("", "0"):
            continue  # sub-questions of arrays
        q = questions.get(row["qid"])
        if q is None:
            q = questions[row["qid"]] = LssQuestion(
                qid=row["qid"],
                code=row.get("title", ""),
                kind=row.get("type", ""),
                order=int(row.get("question_order") or 0),
                group_order=groups.get(row.get("gid"), 0),
            )
        if row.get("question") and row.get("language"):
            q.texts[_lang(row["language"])] = row["question"]
    for row in _rows(root, "question_l10ns"):
        if row.get("qid") in questions:
            questions[row["qid"]].texts[_lang(row.get("language", ""))] = row.get("question", "")
    answer_ids = {}
    for row in _rows(root, "answers"):
        q = questions.get(row.get("qid"))
        if q is None or row.get("scale_id", "0") not in ("", "0"):
            continue
        labels = q.options.setdefault(row.get("code", ""), {})
        if row.get("answer") and row.get("language"):
            labels[_lang(row["language"])] = row["answer"]
        if row.get("aid"):
            answer_ids[row["aid"]] = (q, row.get("code", ""))
    for row in _rows(root, "answer_l10ns"):
        if row.get("aid") in answer_ids:
            q, code = answer_ids[row["aid"]]
            q.options[code][_lang(row.get("language", ""))] = row.get("answer", "")
    languages_node = root.find("languages")
    languages = [_lang(e.text or "") for e in languages_node] if languages_node is not None else []
    title = {}
    for row in _rows(root, "surveys_languagesettings"):
        title[_lang(row.get("surveyls_language", ""))] = row.get("surveyls_title", "")
    ordered = sorted(questions.values(), key=lambda q: (q.group_order, q.order, int(q.qid) if q.qid.isdigit() else 0))
    if not ordered:
        raise LssError(_("The survey has no questions."))
    return LssSurvey(title=title, languages=languages, questions=ordered)


def _clean(texts: dict[str, str]) -> dict[str, str]:
    import re

    return {lang: re.sub(r"<[^>]+>", "", text).strip() for lang, text in texts.items() if lang in LANGUAGES and text}


@transaction.atomic
def questionnaire_import_lss(
    *, organisation, framework, survey: LssSurvey, mapping: dict[str, Item | None], key: str, kind: str = "pulse"
) -> tuple[Questionnaire, list[str]]:
    """Create a questionnaire from the survey. `mapping` (question code -> framework item or None) says
    which scale questions measure which item; unmapped scale questions and unsupported types are skipped
    and reported. Free-text questions become open questions. Wording (fi/sv/en) comes from the file."""
    version = Questionnaire.objects.filter(organisation=organisation, key=key).order_by("-version").first()
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        framework=framework,
        key=key,
        version=(version.version + 1) if version else 1,
        kind=kind,
        names=_clean(survey.title) or {"fi": key},
    )
    skipped: list[str] = []
    order = 0
    for q in survey.questions:
        texts = _clean(q.texts)
        item = mapping.get(q.code)
        if q.is_text:
            order += 1
            Question.objects.create(questionnaire=questionnaire, order=order, kind=Question.Kind.OPEN, texts=texts)
        elif q.is_scale and item is not None and q.scale is not None:
            low, high = q.scale
            labels = {}
            for code, per_language in q.options.items():
                for lang, label in _clean(per_language).items():
                    labels.setdefault(lang, {})[code] = label
            order += 1
            Question.objects.create(
                questionnaire=questionnaire,
                order=order,
                kind=Question.Kind.ITEM,
                item=item,
                texts=texts,
                scale_min=low,
                scale_max=high,
                scale_labels=labels or item.scale_labels,
                reverse_coded=item.reverse_coded,
            )
        else:
            skipped.append(q.code)
    return questionnaire, skipped
