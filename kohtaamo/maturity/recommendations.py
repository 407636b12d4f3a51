"""Recommendation texts per maturity theme, in Finnish, Swedish and English (data, not gettext)."""

from django.urls import reverse

from kohtaamo.instruments.models import pick_language

RECOMMENDATIONS: dict[str, dict[str, str]] = {
    "m_promise": {
        "fi": "Kirjoittakaa palvelulupaus, jonka jokainen työntekijä osaa sanoa omin sanoin, ja "
        "tarkistakaa se asiakaspolun jokaisessa vaiheessa: mitä lupaamme, missä se näkyy ja miten "
        "tiedämme pitäneemme sen.",
        "sv": "Formulera ett servicelöfte som varje medarbetare kan uttrycka med egna ord, och pröva "
        "det i varje skede av kundresan: vad vi lovar, var det syns och hur vi vet att vi hållit det.",
        "en": "Write a service promise every employee can put into their own words, and check it at "
        "every stage of the service path: what we promise, where it shows and how we know we kept it.",
    },
    "m_measurement": {
        "fi": "Rakentakaa säännöllinen asiakaskokemuksen mittaus: lyhyt kysely jokaisen tärkeän "
        "kohtaamisen jälkeen, samat mittarit kaikissa yksiköissä ja tulokset kuukausittain esihenkilöille.",
        "sv": "Bygg upp en regelbunden mätning av kundupplevelsen: en kort enkät efter varje viktigt "
        "möte, samma mått i alla enheter och resultaten till cheferna varje månad.",
        "en": "Set up regular customer-experience measurement: a short survey after every important "
        "encounter, the same measures in every unit and the results to managers every month.",
    },
    "m_cx_as_finance": {
        "fi": "Tuokaa asiakaskokemuksen luvut johtoryhmän ja hallituksen raportteihin talouslukujen "
        "rinnalle, ja asettakaa niille tavoitteet ja vastuuhenkilöt samalla tavalla.",
        "sv": "För in kundupplevelsens siffror i ledningsgruppens och styrelsens rapporter bredvid de "
        "ekonomiska, och sätt mål och ansvariga för dem på samma sätt.",
        "en": "Put customer-experience figures into the management team's and board's reports next "
        "to the financial ones, with targets and owners set the same way.",
    },
    "m_feedback_sync": {
        "fi": "Käsitelkää asiakaspalaute ja henkilöstökyselyn tulokset samassa palaverissa: etsikää "
        "yksiköt, joissa molemmat heikkenevät, ja sopikaa yhteiset toimenpiteet. Henkilöstökokemuksen "
        "vaikutusketju-sivu näyttää ne yksiköittäin rinnakkain.",
        "sv": "Gå igenom kundrespons och personalenkätens resultat på samma möte: leta upp enheter "
        "där båda försämras och kom överens om gemensamma åtgärder. Sidan Sambandskedjan under "
        "Personalupplevelse visar dem sida vid sida per enhet.",
        "en": "Review customer feedback and staff survey results in the same meeting: find the units "
        "where both decline and agree on joint actions. The chain page under Staff experience shows "
        "them side by side for every unit.",
    },
    "m_line_of_sight": {
        "fi": "Näyttäkää jokaiselle tiimille, myös tukitoiminnoille, missä asiakaspolun kohdassa heidän "
        "työnsä näkyy asiakkaalle, ja jakakaa niistä kohdista tullut palaute heille suoraan.",
        "sv": "Visa varje team, även stödfunktionerna, var på kundresan deras arbete syns för kunden, "
        "och dela responsen från de punkterna direkt med dem.",
        "en": "Show every team, support functions included, where on the service path their work "
        "reaches the customer, and share the feedback from those touchpoints with them directly.",
    },
    "m_encouragement": {
        "fi": "Nostakaa onnistuneita asiakaskohtaamisia esiin viikoittain, ja antakaa asiakasta "
        "palveleville valtuudet ratkaista tavallisimmat ongelmat ilman esihenkilön lupaa.",
        "sv": "Lyft fram lyckade kundmöten varje vecka, och ge dem som betjänar kunder befogenhet att "
        "lösa de vanligaste problemen utan chefens tillstånd.",
        "en": "Bring successful customer encounters to light every week, and give those who serve "
        "customers the authority to solve the most common problems without a manager's approval.",
    },
    "m_frontline_development": {
        "fi": "Ottakaa asiakasrajapinnassa työskenteleviä mukaan jokaiseen palvelun kehityshankkeeseen "
        "ja kertokaa, mitkä heidän ehdotuksistaan on toteutettu.",
        "sv": "Ta med medarbetare i kundgränssnittet i varje utvecklingsprojekt för tjänsten och berätta "
        "vilka av deras förslag som har genomförts.",
        "en": "Bring frontline staff into every service development project and tell them which of "
        "their suggestions have been put into practice.",
    },
    "m_training": {
        "fi": "Tehkää palvelutaitojen koulutuksesta jatkuvaa: perehdytys kaikille uusille, "
        "harjoitukset ja case-klinikat tiimeille säännöllisesti ja seuranta asiakaspalautteella.",
        "sv": "Gör utbildningen i servicefärdigheter kontinuerlig: introduktion för alla nya, övningar "
        "och fallkliniker för teamen regelbundet och uppföljning med kundrespons.",
        "en": "Make service-skills training continuous: an induction for every newcomer, regular "
        "practice and case clinics for teams, and follow-up with customer feedback.",
    },
    "m_rewards": {
        "fi": "Ottakaa palvelun laatu mukaan tavoitteisiin, seurantaan ja palkitsemiseen määrän "
        "rinnalle, jotta kiire ja myyntitavoitteet eivät ohita asiakkaan asiaa.",
        "sv": "Ta med servicekvaliteten i mål, uppföljning och belöning vid sidan av volymen, så att "
        "brådska och försäljningsmål inte går före kundens ärende.",
        "en": "Include service quality in targets, follow-up and rewards alongside volume, so that "
        "haste and sales targets do not override the customer's matter.",
    },
    "m_service_profit_chain": {
        "fi": "Tarkastelkaa henkilöstön hyvinvointia, asiakastyytyväisyyttä ja tulosta yhdessä "
        "yksiköittäin, ja kertokaa johdolle ja henkilöstölle, mitä yhteys teillä tarkoittaa.",
        "sv": "Granska personalens välbefinnande, kundnöjdhet och resultat tillsammans per enhet, och "
        "berätta för ledning och personal vad sambandet betyder hos er.",
        "en": "Look at staff well-being, customer satisfaction and results together unit by unit, "
        "and tell management and staff what the link means in your organisation.",
    },
}


# Themes with a page in Kohtaamo to act on: the URL name, which takes the organisation's slug.
RECOMMENDATION_PAGES: dict[str, str] = {
    "m_feedback_sync": "staffexperience:chain",  # staff and customer feedback side by side, per unit
    "m_service_profit_chain": "staffexperience:chain",
}


def recommendation_for(code: str, language: str | None = None) -> str:
    return pick_language(RECOMMENDATIONS.get(code, {}), language)


def recommendation_url(code: str, *, organisation_slug: str) -> str | None:
    """The page where a theme's recommendation can be acted on, or None."""
    name = RECOMMENDATION_PAGES.get(code)
    return reverse(name, kwargs={"org": organisation_slug}) if name else None
