"""Writes for the framework and questionnaires."""

import json
from pathlib import Path

from django.db import transaction

from kohtaamo.organisations.models import Organisation

from .models import Dimension, Framework, Item, Perspective, Question, Questionnaire
from .selectors import questionnaire_is_frozen

FRAMEWORK_V1 = Path(__file__).parent / "data" / "framework_v1.json"
PULSE_KEY = "pulse"


@transaction.atomic
def framework_import(*, path: Path = FRAMEWORK_V1) -> Framework:
    """Load a framework file; idempotent (an existing code+version is returned untouched)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    framework, created = Framework.objects.get_or_create(
        code=data["code"], version=data["version"], defaults={"names": data["names"]}
    )
    if not created:
        return framework
    dimensions = {
        d["code"]: Dimension.objects.create(
            framework=framework,
            code=d["code"],
            group=d["group"],
            order=d["order"],
            names=d["names"],
            descriptions=d.get("descriptions", {}),
        )
        for d in data["dimensions"]
    }
    for spec in data["items"]:
        scale = data["scales"][spec["scale"]]
        item = Item.objects.create(
            framework=framework,
            code=spec["code"],
            scale_code=spec["scale"],
            scale_min=scale["min"],
            scale_max=scale["max"],
            scale_labels=scale.get("labels", {}),
            reverse_coded=spec.get("reverse", False),
            weight=spec.get("weight", 1.0),
            in_pulse=spec.get("pulse", False),
            texts=spec["texts"],
        )
        item.dimensions.set([dimensions[code] for code in spec["dimensions"]])
    return framework


def _item_question(*, questionnaire: Questionnaire, order: int, item: Item, perspective: str, organisation_name: str):
    texts = {
        lang: text.replace("{organisation}", organisation_name)
        for lang, text in item.texts.get(perspective, item.texts.get(Perspective.CUSTOMER, {})).items()
    }
    return Question(
        questionnaire=questionnaire,
        order=order,
        kind=Question.Kind.ITEM,
        item=item,
        texts=texts,
        scale_min=item.scale_min,
        scale_max=item.scale_max,
        scale_labels=item.scale_labels,
        reverse_coded=item.reverse_coded,
    )


def _next_version(*, organisation: Organisation, key: str) -> int:
    latest = Questionnaire.objects.filter(organisation=organisation, key=key).order_by("-version").first()
    return latest.version + 1 if latest else 1


@transaction.atomic
def questionnaire_build(
    *,
    organisation: Organisation,
    framework: Framework,
    key: str,
    kind: str,
    names: dict,
    perspective: str,
    items: list[Item],
    open_questions: list[dict],
) -> Questionnaire:
    """The next version of questionnaire `key`: the items in order with the perspective's wording frozen,
    then the open questions (each a {language: text} dict)."""
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        framework=framework,
        key=key,
        version=_next_version(organisation=organisation, key=key),
        kind=kind,
        names=names,
        perspective=perspective,
    )
    questions = [
        _item_question(
            questionnaire=questionnaire,
            order=i,
            item=item,
            perspective=perspective,
            organisation_name=organisation.name,
        )
        for i, item in enumerate(items, start=1)
    ]
    questions += [
        Question(questionnaire=questionnaire, order=len(questions) + i, kind=Question.Kind.OPEN, texts=texts)
        for i, texts in enumerate(open_questions, start=1)
    ]
    Question.objects.bulk_create(questions)
    return questionnaire


PULSE_COMMENT = {
    "fi": "Mitä haluaisit kertoa meille tästä asioinnista? Mikä onnistui, mitä voisimme tehdä paremmin?",
    "sv": "Vad vill du berätta för oss om det här ärendet? Vad gick bra, vad kunde vi göra bättre?",
    "en": "What would you like to tell us about this encounter? What went well, what could we do better?",
}
PULSE_NAMES = {"fi": "Asiointipalaute", "sv": "Respons på ärendet", "en": "Feedback on your visit"}
# Outcome items first: the most important answers survive an early drop-out.
OUTCOME_ORDER = ["nps", "csat", "ces", "emotion"]


@transaction.atomic
def questionnaire_create_pulse(*, organisation: Organisation, framework: Framework) -> Questionnaire:
    """The short post-encounter survey: NPS, CSAT, CES, emotion, the pulse element items and a comment."""
    items = list(framework.items.filter(in_pulse=True).prefetch_related("dimensions").order_by("code"))

    def sort_key(item: Item):
        codes = [d.code for d in item.dimensions.all()]
        outcome = next((OUTCOME_ORDER.index(c) for c in codes if c in OUTCOME_ORDER), None)
        if outcome is not None:
            return (0, outcome, item.code)
        # An item measuring an element and a rhetoric dimension sits with its element.
        dimension = min(item.dimensions.all(), key=lambda d: (d.group != Dimension.Group.ELEMENT, d.order))
        group_rank = 1 if dimension.group == Dimension.Group.ELEMENT else 2
        return (group_rank, dimension.order, item.code)

    return questionnaire_build(
        organisation=organisation,
        framework=framework,
        key=PULSE_KEY,
        kind=Questionnaire.Kind.PULSE,
        names=PULSE_NAMES,
        perspective=Perspective.CUSTOMER,
        items=sorted(items, key=sort_key),
        open_questions=[PULSE_COMMENT],
    )


@transaction.atomic
def questionnaire_revise(*, questionnaire: Questionnaire, questions: list[dict]) -> Questionnaire:
    """Change a questionnaire's questions. A frozen one (it has responses) gets a new version instead.

    `questions` is the full new list: dicts with either `item` (an Item) or `texts` (an open question),
    optionally `texts` overriding an item's wording and `required`.
    """
    if questionnaire_is_frozen(questionnaire=questionnaire):
        target = Questionnaire.objects.create(
            organisation=questionnaire.organisation,
            framework=questionnaire.framework,
            key=questionnaire.key,
            version=_next_version(organisation=questionnaire.organisation, key=questionnaire.key),
            kind=questionnaire.kind,
            names=questionnaire.names,
            intros=questionnaire.intros,
            perspective=questionnaire.perspective,
        )
    else:
        target = questionnaire
        target.questions.all().delete()
    built = []
    for order, spec in enumerate(questions, start=1):
        if spec.get("item") is not None:
            question = _item_question(
                questionnaire=target,
                order=order,
                item=spec["item"],
                perspective=target.perspective,
                organisation_name=target.organisation.name,
            )
            if spec.get("texts"):
                question.texts = spec["texts"]
        else:
            question = Question(questionnaire=target, order=order, kind=Question.Kind.OPEN, texts=spec["texts"])
        question.required = spec.get("required", False)
        built.append(question)
    Question.objects.bulk_create(built)
    return target


def questionnaire_new_version(*, questionnaire: Questionnaire) -> Questionnaire:
    """An editable copy of a frozen questionnaire (the next version), with the same questions and wording."""
    specs = [
        {"item": q.item, "texts": q.texts, "required": q.required}
        if q.item_id
        else {"texts": q.texts, "required": q.required}
        for q in questionnaire.questions.select_related("item")
    ]
    if not questionnaire_is_frozen(questionnaire=questionnaire):
        return questionnaire
    return questionnaire_revise(questionnaire=questionnaire, questions=specs)
