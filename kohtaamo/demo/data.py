"""The demo bank "Pohjolan Säästöpankki": its unit tree, staff, service paths and activity profiles."""

from kohtaamo.organisations.models import Channel, Unit

from .spec import OrganisationSpec, PathSpec, PersonSpec, ProfileSpec, SelfServiceSpec, StageSpec
from .spec import TouchpointSpec as TP
from .spec import UnitSpec as U

P = PersonSpec
BRANCH, TEAM, REGION, DEPARTMENT = Unit.Kind.BRANCH, Unit.Kind.TEAM, Unit.Kind.REGION, Unit.Kind.DEPARTMENT

# Titles
BRANCH_MANAGER = "Konttorinjohtaja"
ADVISOR = "Asiakasneuvoja"
LOAN_ADVISOR = "Lainaneuvoja"
INVESTMENT_ADVISOR = "Sijoitusneuvoja"


def service_team(code: str, *people: PersonSpec) -> U:
    return U(code=f"{code}-AP", name="Asiakaspalvelu", kind=TEAM, people=people)


def investment_team(code: str, *people: PersonSpec) -> U:
    return U(code=f"{code}-SP", name="Sijoituspalvelut", kind=TEAM, people=people)


def branch(code: str, name: str, manager: PersonSpec, *teams: U, effect: float = 0.0) -> U:
    return U(code=code, name=name, kind=BRANCH, people=(manager,), children=teams, effect=effect, home=True)


def manager(name: str, **kwargs) -> PersonSpec:
    return P(name, BRANCH_MANAGER, "manager", lead=True, **kwargs)


UUSIMAA = U(
    code="UUS",
    name="Uusimaa",
    kind=REGION,
    languages=(0.72, 0.14, 0.14),
    children=(
        branch(
            "UUS-HKI-KESKUSTA",
            "Helsinki Keskusta",
            manager("Mikko Korhonen"),
            service_team(
                "UUS-HKI-KESKUSTA",
                P("Laura Nieminen", ADVISOR, "advisor", quality=1.0),
                P("Antti Mäkinen", ADVISOR, "advisor"),
                P("Sofia Lindqvist", LOAN_ADVISOR, "loan"),
            ),
            investment_team(
                "UUS-HKI-KESKUSTA",
                P("Petri Hämäläinen", "Tiiminvetäjä, sijoituspalvelut", "investment", lead=True),
                P("Emilia Heikkinen", INVESTMENT_ADVISOR, "investment"),
                P("Oskar Wikström", "Private banking -asiantuntija", "investment"),
            ),
        ),
        branch(
            "UUS-ESP-TAPIOLA",
            "Espoo Tapiola",
            manager("Anna Koskinen"),
            service_team(
                "UUS-ESP-TAPIOLA",
                P("Juha Järvinen", ADVISOR, "advisor"),
                P("Henna Lehtonen", LOAN_ADVISOR, "loan"),
            ),
            investment_team("UUS-ESP-TAPIOLA", P("Markus Saarinen", INVESTMENT_ADVISOR, "investment", quality=-0.9)),
            effect=0.15,
        ),
        branch(
            "UUS-VAN-TIKKURILA",
            "Vantaa Tikkurila",
            manager("Timo Salminen"),
            service_team(
                "UUS-VAN-TIKKURILA",
                P("Riikka Heinonen", ADVISOR, "advisor"),
                P("Jari Niemi", ADVISOR, "advisor", quality=-1.0),
                P("Satu Kinnunen", LOAN_ADVISOR, "loan"),
            ),
            effect=-0.35,
        ),
    ),
)

PIRKANMAA = U(
    code="PIR",
    name="Pirkanmaa",
    kind=REGION,
    languages=(0.88, 0.03, 0.09),
    children=(
        branch(
            "PIR-TRE-KESKUSTA",
            "Tampere Keskusta",
            manager("Kirsi Turunen", login="manager"),
            service_team(
                "PIR-TRE-KESKUSTA",
                P("Ville Rantanen", ADVISOR, "advisor", quality=0.2, login="employee"),
                P("Eeva Laine", LOAN_ADVISOR, "loan"),
                P("Tuomas Lehto", ADVISOR, "advisor"),
            ),
            investment_team(
                "PIR-TRE-KESKUSTA",
                P("Sami Ahonen", "Tiiminvetäjä, sijoituspalvelut", "investment", lead=True),
                P("Noora Karjalainen", INVESTMENT_ADVISOR, "investment", quality=0.9),
            ),
            effect=0.1,
        ),
        branch(
            "PIR-NOK",
            "Nokia",
            manager("Pekka Mattila"),
            service_team(
                "PIR-NOK",
                P("Minna Hiltunen", ADVISOR, "advisor"),
                P("Sanna Peltonen", LOAN_ADVISOR, "loan"),
            ),
        ),
    ),
)

# Bilingual region: many customers are Swedish-speaking.
POHJANMAA = U(
    code="POH",
    name="Pohjanmaa – Österbotten",
    kind=REGION,
    languages=(0.42, 0.52, 0.06),
    children=(
        branch(
            "POH-VAA",
            "Vaasa – Vasa",
            manager("Anders Björklund"),
            service_team(
                "POH-VAA",
                P("Linnea Holmström", ADVISOR, "advisor"),
                P("Mervi Kangas", ADVISOR, "advisor"),
                P("Jonas Nyman", LOAN_ADVISOR, "loan"),
            ),
            investment_team("POH-VAA", P("Camilla Sjöberg", INVESTMENT_ADVISOR, "investment")),
        ),
        branch(
            "POH-PIE",
            "Pietarsaari – Jakobstad",
            manager("Ulrika Sandvik", quality=0.9),
            service_team(
                "POH-PIE",
                P("Johan Nyström", ADVISOR, "advisor"),
                P("Fredrik Back", LOAN_ADVISOR, "loan"),
            ),
            effect=0.3,
        ),
    ),
)

CONTACT_CENTRE = U(
    code="PSP-AKK",
    name="Asiakaspalvelukeskus",
    kind=DEPARTMENT,
    effect=-0.05,
    people=(P("Heidi Lindroos", "Palvelupäällikkö", "contact_lead", lead=True),),
    children=(
        U(
            code="PSP-AKK-PUH",
            name="Puhelinpalvelu",
            kind=TEAM,
            people=(
                P("Jussi Koivisto", "Asiakaspalvelija", "phone"),
                P("Tiina Räsänen", "Asiakaspalvelija", "phone", quality=-0.9),
            ),
        ),
        U(
            code="PSP-AKK-CHAT",
            name="Chat- ja viestipalvelu",
            kind=TEAM,
            people=(
                P("Aleksi Virtanen", "Asiakaspalvelija", "chat"),
                P("Maria Eriksson", "Asiakaspalvelija", "chat"),
            ),
        ),
    ),
)

DIGITAL_SERVICES = U(
    code="PSP-DIGI",
    name="Digitaaliset palvelut",
    kind=DEPARTMENT,
    people=(
        P("Katja Mustonen", "Digipalvelupäällikkö", "remote", lead=True),
        P("Olli Pitkänen", "Etäneuvoja", "remote"),
    ),
)

BANK_ROOT = U(
    code="PSP",
    name="Pohjolan Säästöpankki",
    kind=Unit.Kind.ORGANISATION,
    people=(P("Johanna Lehtinen", "Asiakaskokemusjohtaja", "none", lead=True, login="cx"),),
    children=(UUSIMAA, PIRKANMAA, POHJANMAA, CONTACT_CENTRE, DIGITAL_SERVICES),
)

BANK_PATHS = (
    PathSpec(
        name="Asuntolaina",
        description="Kodin ostajan polku ensimmäisestä yhteydenotosta lainan jälkihoitoon.",
        stages=(
            StageSpec(
                "Ensikontakti",
                (
                    TP("LOAN-WEB", "Lainahakemus verkossa", Channel.WEB, owner="PSP-DIGI"),
                    TP("LOAN-CHAT", "Lainaneuvonta chatissa", Channel.CHAT, owner="PSP-AKK-CHAT"),
                ),
            ),
            StageSpec(
                "Lainaneuvottelu",
                (
                    TP("LOAN-MEETING", "Lainaneuvottelu konttorissa", Channel.FACE_TO_FACE),
                    TP("LOAN-VIDEO", "Lainaneuvottelu videolla", Channel.VIDEO, owner="PSP-DIGI"),
                ),
            ),
            StageSpec(
                "Asiakirjojen allekirjoitus",
                (
                    TP("LOAN-SIGNING", "Allekirjoitustapaaminen", Channel.FACE_TO_FACE),
                    TP("LOAN-ESIGN", "Sähköinen allekirjoitus", Channel.WEB, owner="PSP-DIGI"),
                ),
            ),
            StageSpec("Jälkihoito", (TP("LOAN-AFTERCARE", "Jälkihoitosoitto", Channel.PHONE),)),
        ),
        topics=(
            {"fi": "asuntolaina-asia", "sv": "bolåneärendet", "en": "arranging my mortgage"},
            {"fi": "lainahakemuksen käsittely", "sv": "låneansökan", "en": "my loan application"},
            {"fi": "lainatarjouksen saaminen", "sv": "lånelöftet", "en": "getting the loan offer"},
        ),
    ),
    PathSpec(
        name="Päivittäinen asiointi",
        description="Kortit, tilit, maksut ja tunnukset: arjen pankkiasiat kaikissa kanavissa.",
        stages=(
            StageSpec(
                "Yhteydenotto",
                (
                    TP("DAILY-CHAT", "Chat-palvelu", Channel.CHAT, owner="PSP-AKK-CHAT"),
                    TP("DAILY-PHONE", "Puhelinpalvelu", Channel.PHONE, owner="PSP-AKK-PUH"),
                    TP("DAILY-MESSAGE", "Viesti verkkopankissa", Channel.EMAIL, owner="PSP-AKK-CHAT"),
                ),
            ),
            StageSpec("Asiointi konttorissa", (TP("DAILY-BRANCH", "Konttorikäynti", Channel.FACE_TO_FACE),)),
            StageSpec("Omatoiminen asiointi", (TP("DAILY-WEB", "Verkkopankki", Channel.WEB, owner="PSP-DIGI"),)),
        ),
        topics=(
            {"fi": "kortin uusiminen", "sv": "kortförnyelsen", "en": "renewing my card"},
            {"fi": "tilin avaaminen", "sv": "kontoöppningen", "en": "opening my account"},
            {
                "fi": "verkkopankkitunnusten uusiminen",
                "sv": "förnyelsen av nätbankskoderna",
                "en": "getting new online banking codes",
            },
            {"fi": "laskun maksaminen", "sv": "betalningen av räkningen", "en": "paying my bill"},
        ),
    ),
    PathSpec(
        name="Sijoittaminen",
        description="Säästäjän ja sijoittajan polku neuvonnasta seurantaan.",
        stages=(
            StageSpec(
                "Sijoitusneuvonta",
                (
                    TP("INVEST-VIDEO", "Sijoitusneuvonta videolla", Channel.VIDEO),
                    TP("INVEST-MEETING", "Sijoitustapaaminen konttorissa", Channel.FACE_TO_FACE),
                ),
            ),
            StageSpec("Seuranta", (TP("INVEST-FOLLOWUP", "Seurantaviesti", Channel.EMAIL),)),
        ),
        topics=(
            {"fi": "rahastosäästämisen aloittaminen", "sv": "fondsparandet", "en": "starting a fund savings plan"},
            {"fi": "sijoitussuunnitelman päivittäminen", "sv": "placeringsplanen", "en": "updating my investment plan"},
            {
                "fi": "osakesäästötilin avaaminen",
                "sv": "öppnandet av aktiesparkontot",
                "en": "opening an equity savings account",
            },
        ),
    ),
)

BANK_PROFILES = {
    "none": ProfileSpec(activity=0.0),
    "manager": ProfileSpec(0.6, {"LOAN-MEETING": 3, "DAILY-BRANCH": 2, "LOAN-AFTERCARE": 1, "INVEST-MEETING": 1}),
    "advisor": ProfileSpec(1.0, {"DAILY-BRANCH": 6, "LOAN-MEETING": 1, "LOAN-AFTERCARE": 1}),
    "loan": ProfileSpec(0.9, {"LOAN-MEETING": 5, "LOAN-SIGNING": 2, "LOAN-AFTERCARE": 2}),
    "investment": ProfileSpec(0.7, {"INVEST-MEETING": 3, "INVEST-VIDEO": 3, "INVEST-FOLLOWUP": 2}),
    "contact_lead": ProfileSpec(0.5, {"DAILY-PHONE": 2, "DAILY-CHAT": 1}),
    "phone": ProfileSpec(2.0, {"DAILY-PHONE": 6, "DAILY-MESSAGE": 1}),
    "chat": ProfileSpec(2.0, {"DAILY-CHAT": 4, "LOAN-CHAT": 1, "DAILY-MESSAGE": 3}),
    "remote": ProfileSpec(1.0, {"LOAN-VIDEO": 2, "INVEST-VIDEO": 1}),
}

BANK = OrganisationSpec(
    name="Pohjolan Säästöpankki",
    slug="demo-pankki",
    domain="pohjolansaastopankki.example",
    root=BANK_ROOT,
    paths=BANK_PATHS,
    profiles=BANK_PROFILES,
    self_service=SelfServiceSpec(
        share=0.1, unit="PSP-DIGI", touchpoints={"DAILY-WEB": 5, "LOAN-WEB": 2, "LOAN-ESIGN": 2}
    ),
    customers=2000,
    encounters=9000,
    days=182,
    bank=True,
    segments=("Perusasiakas", "Nuoret", "Seniorit", "Yrittäjät", "Private Banking"),
)
