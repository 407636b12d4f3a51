"""The three versions of a 360 questionnaire: the same element and rhetoric items, worded per perspective."""

from django.db import transaction

from kohtaamo.instruments.models import Dimension, Framework, Perspective, Questionnaire
from kohtaamo.instruments.services import questionnaire_build
from kohtaamo.organisations.models import Organisation

from .models import RespondentRole

NAMES = {
    Perspective.SELF: {
        "fi": "360-arvio: itsearvio",
        "sv": "360-bedömning: självbedömning",
        "en": "360 assessment: self",
    },
    Perspective.OTHER: {"fi": "360-arvio", "sv": "360-bedömning", "en": "360 assessment"},
    Perspective.CUSTOMER: {
        "fi": "Palaute palvelijastasi",
        "sv": "Respons på den som betjänade dig",
        "en": "Feedback on the person who served you",
    },
}
OPEN_QUESTIONS = [
    {
        Perspective.SELF: {
            "fi": "Missä onnistun asiakaskohtaamisissa erityisen hyvin?",
            "sv": "Vad lyckas jag särskilt bra med i kundmöten?",
            "en": "What do I do especially well in customer encounters?",
        },
        Perspective.OTHER: {
            "fi": "Missä hän onnistuu asiakaskohtaamisissa erityisen hyvin?",
            "sv": "Vad lyckas hen särskilt bra med i kundmöten?",
            "en": "What do they do especially well in customer encounters?",
        },
        Perspective.CUSTOMER: {
            "fi": "Mikä palvelussa onnistui erityisen hyvin?",
            "sv": "Vad gick särskilt bra i betjäningen?",
            "en": "What went especially well when you were served?",
        },
    },
    {
        Perspective.SELF: {
            "fi": "Mitä voisin tehdä toisin?",
            "sv": "Vad kunde jag göra annorlunda?",
            "en": "What could I do differently?",
        },
        Perspective.OTHER: {
            "fi": "Mitä hän voisi tehdä toisin?",
            "sv": "Vad kunde hen göra annorlunda?",
            "en": "What could they do differently?",
        },
        Perspective.CUSTOMER: {
            "fi": "Mitä palvelijasi olisi voinut tehdä toisin?",
            "sv": "Vad kunde den som betjänade dig ha gjort annorlunda?",
            "en": "What could the person who served you have done differently?",
        },
    },
]
KEYS = {Perspective.SELF: "360-self", Perspective.OTHER: "360-other", Perspective.CUSTOMER: "360-customer"}


def perspective_of(role: str) -> str:
    if role == RespondentRole.SELF:
        return Perspective.SELF
    if role == RespondentRole.CUSTOMER:
        return Perspective.CUSTOMER
    return Perspective.OTHER


def _create(*, organisation: Organisation, framework: Framework, perspective: str, items) -> Questionnaire:
    return questionnaire_build(
        organisation=organisation,
        framework=framework,
        key=KEYS[perspective],
        kind=Questionnaire.Kind.THREE_SIXTY,
        names=NAMES[perspective],
        perspective=perspective,
        items=list(items),
        open_questions=[texts[perspective] for texts in OPEN_QUESTIONS],
    )


@transaction.atomic
def questionnaires_create_360(*, organisation: Organisation, framework: Framework) -> dict[str, Questionnaire]:
    """Self, other and customer versions built from the framework's element and rhetoric items."""
    groups = (Dimension.Group.ELEMENT, Dimension.Group.RHETORIC)
    items = list(framework.items.filter(dimensions__group__in=groups).distinct().order_by("code"))
    return {
        perspective: _create(organisation=organisation, framework=framework, perspective=perspective, items=items)
        for perspective in (Perspective.SELF, Perspective.OTHER, Perspective.CUSTOMER)
    }
