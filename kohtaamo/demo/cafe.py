"""The consultant's second client, "Kahvila Kohtaamo Oy": two cafés and a few weeks of feedback."""

from kohtaamo.organisations.models import Channel, Unit

from .spec import OrganisationSpec, PathSpec, ProfileSpec, SelfServiceSpec, StageSpec
from .spec import PersonSpec as P
from .spec import TouchpointSpec as TP
from .spec import UnitSpec as U

CAFE_ROOT = U(
    code="KKO",
    name="Kahvila Kohtaamo Oy",
    kind=Unit.Kind.ORGANISATION,
    languages=(0.85, 0.05, 0.10),
    people=(P("Tero Kallio", "Toimitusjohtaja", "none", lead=True),),
    children=(
        U(
            code="KKO-KAMPPI",
            name="Kahvila Kamppi",
            kind=Unit.Kind.BRANCH,
            home=True,
            people=(
                P("Aino Salo", "Kahvilapäällikkö", "counter_lead", lead=True),
                P("Eetu Vainio", "Barista", "counter"),
            ),
        ),
        U(
            code="KKO-TAMMELA",
            name="Kahvila Tammela",
            kind=Unit.Kind.BRANCH,
            home=True,
            effect=0.25,
            people=(
                P("Iida Heikkilä", "Vuoropäällikkö", "counter_lead", lead=True),
                P("Rasmus Lund", "Barista", "counter"),
            ),
        ),
    ),
)

CAFE = OrganisationSpec(
    name="Kahvila Kohtaamo Oy",
    slug="kahvila-kohtaamo",
    domain="kahvilakohtaamo.example",
    root=CAFE_ROOT,
    paths=(
        PathSpec(
            name="Kahvilakäynti",
            description="Tilauksesta pöytään, paikan päällä tai ennakkoon.",
            stages=(
                StageSpec("Ennakkotilaus", (TP("CAFE-APP", "Mobiilitilaus", Channel.WEB, owner="KKO"),)),
                StageSpec(
                    "Tilaus ja tarjoilu",
                    (
                        TP("CAFE-COUNTER", "Palvelu tiskillä", Channel.FACE_TO_FACE),
                        TP("CAFE-CATERING", "Pitopalvelutilaus puhelimitse", Channel.PHONE),
                    ),
                ),
            ),
            topics=(
                {"fi": "kahvitilaus", "sv": "kaffebeställningen", "en": "my coffee order"},
                {"fi": "lounas", "sv": "lunchen", "en": "lunch"},
                {"fi": "pitopalvelutilaus", "sv": "cateringbeställningen", "en": "the catering order"},
            ),
        ),
    ),
    profiles={
        "none": ProfileSpec(activity=0.0),
        "counter_lead": ProfileSpec(0.8, {"CAFE-COUNTER": 5, "CAFE-CATERING": 2}),
        "counter": ProfileSpec(1.0, {"CAFE-COUNTER": 1}),
    },
    self_service=SelfServiceSpec(share=0.15, unit="KKO", touchpoints={"CAFE-APP": 1}),
    customers=150,
    encounters=320,
    days=28,
    bank=False,
    segments=("Kanta-asiakas", "Satunnainen"),
)
