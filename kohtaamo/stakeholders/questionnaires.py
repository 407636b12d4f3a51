"""The pulse items in partner and internal-customer wording (data/wording.json), built into
questionnaire versions with the instruments services. The items, scales and dimensions are the
framework's, so the answers are scored exactly as customers' are."""

import json
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kohtaamo.instruments.models import Framework, Perspective, Questionnaire
from kohtaamo.instruments.selectors import current_framework
from kohtaamo.instruments.services import framework_import, questionnaire_build, questionnaire_revise
from kohtaamo.organisations.models import Organisation, Unit

from .models import Audience

WORDING = Path(__file__).parent / "data" / "wording.json"
# Outcome items first, as in the customer pulse: the most important answers survive an early drop-out.
OUTCOME_PREFIXES = ("nps", "csat", "ces", "emotion")


@cache
def wording() -> dict:
    return json.loads(WORDING.read_text(encoding="utf-8"))


def _fill(texts: dict, **values: str) -> dict:
    filled = {}
    for language, text in texts.items():
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        filled[language] = text
    return filled


def item_codes(audience: str) -> list[str]:
    codes = list(wording()[audience]["items"])
    return sorted(codes, key=lambda code: (not code.startswith(OUTCOME_PREFIXES), codes.index(code)))


def _specs(*, audience: str, framework: Framework, organisation: Organisation, unit: Unit) -> list[dict]:
    texts = wording()[audience]["items"]
    codes = item_codes(audience)
    items = {item.code: item for item in framework.items.filter(code__in=codes)}
    missing = [code for code in codes if code not in items]
    if missing:
        raise ValidationError(
            _("The measurement framework lacks the items %(codes)s.") % {"codes": ", ".join(missing)},
            code="framework_items",
        )
    return [
        {"item": items[code], "texts": _fill(texts[code], organisation=organisation.name, unit=unit.name)}
        for code in codes
    ]


def _matches(questionnaire: Questionnaire, *, names: dict, specs: list[dict]) -> bool:
    asked = [(q.item_id, q.texts) for q in questionnaire.questions.order_by("order")]
    return questionnaire.names == names and asked == [(s["item"].pk, s["texts"]) for s in specs]


def questionnaire_key(*, audience: str, unit: Unit) -> str:
    return f"{audience}-unit-{unit.pk}"


@transaction.atomic
def stakeholder_questionnaire_ensure(*, organisation: Organisation, audience: str, unit: Unit) -> Questionnaire:
    """The questionnaire version asking `audience` about `unit`: the latest one while its wording is
    current, else a new version (older versions stay with the responses that answered them)."""
    if audience not in (Audience.PARTNER, Audience.INTERNAL_CUSTOMER):
        raise ValidationError(_("Choose partners or internal customers."), code="audience")
    framework = current_framework() or framework_import()
    data = wording()[audience]
    names = _fill(data["names"], unit=unit.name)
    specs = _specs(audience=audience, framework=framework, organisation=organisation, unit=unit)
    key = questionnaire_key(audience=audience, unit=unit)
    latest = Questionnaire.objects.filter(organisation=organisation, key=key).order_by("-version").first()
    if latest is not None and _matches(latest, names=names, specs=specs):
        return latest
    # Built empty, then filled with the audience's wording through the revise service, which takes
    # per-question texts (questionnaire_build takes only the framework's perspectives).
    questionnaire = questionnaire_build(
        organisation=organisation,
        framework=framework,
        key=key,
        kind=Questionnaire.Kind.PULSE,
        names=names,
        perspective=Perspective.CUSTOMER,
        items=[],
        open_questions=[],
    )
    questionnaire.intros = _fill(data["intros"], unit=unit.name)
    questionnaire.save(update_fields=["intros"])
    return questionnaire_revise(questionnaire=questionnaire, questions=specs)
