# ruff: noqa: E501 - natural-language data reads best unwrapped
"""The self-test "What kind of customer servant are you?" as data: statements and tips in fi/sv/en.

Each statement is answered on a 1–5 agreement scale and measures one or more of the eight profile
dimensions (the five elements and ethos/pathos/logos); a reverse-coded statement is flipped
(6 − answer) before scoring.
"""

SCALE_MIN, SCALE_MAX = 1, 5

PROFILE_DIMENSIONS = ("listening", "expertise", "value", "trust", "solution", "ethos", "pathos", "logos")
ELEMENTS = PROFILE_DIMENSIONS[:5]
RHETORIC = PROFILE_DIMENSIONS[5:]

SCALE_LABELS = {
    "fi": {
        1: "Täysin eri mieltä",
        2: "Jokseenkin eri mieltä",
        3: "En osaa sanoa",
        4: "Jokseenkin samaa mieltä",
        5: "Täysin samaa mieltä",
    },
    "sv": {
        1: "Helt av annan åsikt",
        2: "Delvis av annan åsikt",
        3: "Vet inte",
        4: "Delvis av samma åsikt",
        5: "Helt av samma åsikt",
    },
    "en": {1: "Strongly disagree", 2: "Somewhat disagree", 3: "Not sure", 4: "Somewhat agree", 5: "Strongly agree"},
}

# (code, dimensions, reverse-coded, texts)
STATEMENTS: list[tuple[str, tuple[str, ...], bool, dict[str, str]]] = [
    (
        "st_listen_1",
        ("listening",),
        False,
        {
            "fi": "Annan asiakkaan kertoa asiansa loppuun, vaikka luulisin jo tietäväni, mitä hän hakee.",
            "sv": "Jag låter kunden tala till punkt, även när jag tror att jag redan vet vad hen är ute efter.",
            "en": "I let the customer finish, even when I think I already know what they are after.",
        },
    ),
    (
        "st_listen_2",
        ("listening", "pathos"),
        False,
        {
            "fi": "Kysyn tarkentavia kysymyksiä löytääkseni tarpeen, jota asiakas ei sano ääneen.",
            "sv": "Jag ställer följdfrågor för att hitta det behov som kunden inte säger högt.",
            "en": "I ask follow-up questions to find the need the customer does not say out loud.",
        },
    ),
    (
        "st_listen_3",
        ("listening",),
        True,
        {
            "fi": "Kiireessä mietin jo seuraavaa asiaa, kun asiakas vielä puhuu.",
            "sv": "När det är bråttom tänker jag redan på nästa sak medan kunden fortfarande pratar.",
            "en": "When I am busy, I am already thinking about the next thing while the customer is still talking.",
        },
    ),
    (
        "st_expert_1",
        ("expertise", "logos"),
        False,
        {
            "fi": "Osaan selittää monimutkaisen asian asiakkaan omin sanoin, ilman alan jargonia.",
            "sv": "Jag kan förklara en krånglig sak med kundens egna ord, utan branschjargong.",
            "en": "I can explain a complicated matter in the customer's own words, without jargon.",
        },
    ),
    (
        "st_expert_2",
        ("expertise", "ethos"),
        False,
        {
            "fi": "Pidän tietoni ajan tasalla, jotta voin vastata asiakkaan kysymyksiin varmasti.",
            "sv": "Jag håller mina kunskaper aktuella så att jag kan svara säkert på kundens frågor.",
            "en": "I keep my knowledge up to date so that I can answer customers' questions with confidence.",
        },
    ),
    (
        "st_value_1",
        ("value",),
        False,
        {
            "fi": "Lyhyenkin kohtaamisen jälkeen asiakkaalle jää jotain hyödyllistä, vinkki tai selkeämpi kuva asiasta.",
            "sv": "Även efter ett kort möte har kunden fått något nyttigt, ett tips eller en klarare bild av saken.",
            "en": "Even after a short encounter, the customer leaves with something useful, a tip or a clearer picture.",
        },
    ),
    (
        "st_value_2",
        ("value", "pathos"),
        True,
        {
            "fi": "Jos asiakkaan asia on pieni, hoidan sen nopeasti enkä mieti, mitä muuta voisin tarjota.",
            "sv": "Om kundens ärende är litet sköter jag det snabbt och funderar inte på vad mer jag kunde erbjuda.",
            "en": "If the customer's matter is small, I deal with it quickly and do not think about what else I could offer.",
        },
    ),
    (
        "st_trust_1",
        ("trust", "ethos"),
        False,
        {
            "fi": "Pidän lupaukseni: jos sanon soittavani huomenna, soitan huomenna.",
            "sv": "Jag håller det jag lovar: säger jag att jag ringer i morgon, så ringer jag i morgon.",
            "en": "I keep my promises: if I say I will call tomorrow, I call tomorrow.",
        },
    ),
    (
        "st_trust_2",
        ("trust",),
        False,
        {
            "fi": "Kerron asiakkaalle suoraan myös riskeistä ja ongelmista, vaikka se olisi epämukavaa.",
            "sv": "Jag berättar öppet för kunden också om risker och problem, även när det känns obekvämt.",
            "en": "I tell customers frankly about risks and problems too, even when it is uncomfortable.",
        },
    ),
    (
        "st_solution_1",
        ("solution", "logos"),
        False,
        {
            "fi": "Tarjoan asiakkaalle konkreettiset vaihtoehdot ja sovin seuraavista askelista.",
            "sv": "Jag ger kunden konkreta alternativ och vi kommer överens om nästa steg.",
            "en": "I give the customer concrete options and we agree on the next steps.",
        },
    ),
    (
        "st_solution_2",
        ("solution",),
        True,
        {
            "fi": "Kun asia ei kuulu minulle, ohjaan asiakkaan eteenpäin enkä seuraa, ratkesiko se.",
            "sv": "När ärendet inte hör till mig hänvisar jag kunden vidare och följer inte upp om det löstes.",
            "en": "When a matter is not mine, I pass the customer on and do not check whether it was solved.",
        },
    ),
    (
        "st_ethos_1",
        ("ethos",),
        False,
        {
            "fi": "Asiakkaat luottavat arviooni, koska olen johdonmukainen ja rehellinen.",
            "sv": "Kunderna litar på min bedömning eftersom jag är konsekvent och ärlig.",
            "en": "Customers trust my judgement because I am consistent and honest.",
        },
    ),
    (
        "st_pathos_1",
        ("pathos",),
        False,
        {
            "fi": "Huomaan asiakkaan tunnetilan ja sovitan sävyni siihen.",
            "sv": "Jag märker kundens sinnesstämning och anpassar min ton efter den.",
            "en": "I notice how the customer is feeling and adjust my tone to it.",
        },
    ),
    (
        "st_pathos_2",
        ("pathos",),
        True,
        {
            "fi": "Tunteet eivät kuulu asiakaspalveluun, vaan pysyttelen tiukasti asiassa.",
            "sv": "Känslor hör inte till kundservice, jag håller mig strikt till saken.",
            "en": "Emotions do not belong in customer service; I stick strictly to the facts.",
        },
    ),
    (
        "st_logos_1",
        ("logos",),
        False,
        {
            "fi": "Perustelen suositukseni: kerron, miksi juuri tämä vaihtoehto sopii asiakkaalle.",
            "sv": "Jag motiverar mina rekommendationer: jag berättar varför just det här alternativet passar kunden.",
            "en": "I give reasons for my recommendations: I explain why this particular option suits the customer.",
        },
    ),
    (
        "st_logos_2",
        ("logos", "expertise"),
        False,
        {
            "fi": "Käytän esimerkkejä ja lukuja, jotta asiakas voi itse verrata vaihtoehtoja.",
            "sv": "Jag använder exempel och siffror så att kunden själv kan jämföra alternativen.",
            "en": "I use examples and figures so that customers can compare the options themselves.",
        },
    ),
]

STATEMENT_CODES = tuple(code for code, *_ in STATEMENTS)

DIMENSION_NAMES = {
    "listening": {"fi": "Aktiivinen kuuntelu", "sv": "Aktivt lyssnande", "en": "Active listening"},
    "expertise": {
        "fi": "Asiantuntemus ja sen välittäminen",
        "sv": "Sakkunskap och att förmedla den",
        "en": "Expertise and conveying it",
    },
    "value": {"fi": "Arvoa jokaisessa kohtaamisessa", "sv": "Värde i varje möte", "en": "Value in every encounter"},
    "trust": {"fi": "Luottamuksen rakentaminen", "sv": "Att bygga förtroende", "en": "Building trust"},
    "solution": {"fi": "Ratkaisukeskeisyys", "sv": "Lösningsinriktning", "en": "Solution orientation"},
    "ethos": {"fi": "Eetos – uskottavuus", "sv": "Etos – trovärdighet", "en": "Ethos – credibility"},
    "pathos": {
        "fi": "Paatos – tunneyhteys",
        "sv": "Patos – känslomässig kontakt",
        "en": "Pathos – emotional connection",
    },
    "logos": {"fi": "Logos – perustelut", "sv": "Logos – argument", "en": "Logos – reasoned argument"},
}

# A tip per dimension, for when it is the person's weakest area; `action` names the development tool that fits.
TIPS = {
    "listening": {
        "action": "role_play",
        "fi": "Kokeile seuraavissa kohtaamisissa kolmen sekunnin taukoa ennen kuin vastaat, ja tiivistä asiakkaan asia omin sanoin ennen ratkaisua.",
        "sv": "Pröva en paus på tre sekunder innan du svarar i dina nästa möten, och sammanfatta kundens ärende med egna ord innan du föreslår en lösning.",
        "en": "In your next encounters, pause for three seconds before you answer, and sum up the customer's matter in your own words before offering a solution.",
    },
    "expertise": {
        "action": "mentoring",
        "fi": "Valitse yksi tuote tai palvelu, jonka selität usein, ja harjoittele sen selittämistä kolmella lauseella ilman ammattitermejä – vaikka mentorin kanssa.",
        "sv": "Välj en produkt eller tjänst som du ofta förklarar och öva på att förklara den med tre meningar utan fackord – gärna med en mentor.",
        "en": "Pick one product or service you explain often and practise explaining it in three sentences without jargon – with a mentor, for example.",
    },
    "value": {
        "action": "clinic",
        "fi": "Kysy itseltäsi jokaisen kohtaamisen lopussa: mitä asiakas sai tästä mukaansa? Tuo esimerkkejä tiimin case-klinikalle.",
        "sv": "Fråga dig själv i slutet av varje möte: vad fick kunden med sig? Ta med exempel till teamets fallklinik.",
        "en": "At the end of every encounter, ask yourself: what did the customer take away? Bring examples to your team's case clinic.",
    },
    "trust": {
        "action": "plan",
        "fi": "Kirjaa lupauksesi ylös ja sovi itsellesi muistutus. Kerro myös, mitä et voi luvata – rehellisyys rakentaa luottamusta.",
        "sv": "Skriv upp dina löften och ställ in en påminnelse. Säg också vad du inte kan lova – ärlighet bygger förtroende.",
        "en": "Write down your promises and set yourself a reminder. Say what you cannot promise, too – honesty builds trust.",
    },
    "solution": {
        "action": "role_play",
        "fi": "Päätä jokainen kohtaaminen konkreettiseen seuraavaan askeleeseen: kuka tekee mitä ja milloin.",
        "sv": "Avsluta varje möte med ett konkret nästa steg: vem gör vad och när.",
        "en": "End every encounter with a concrete next step: who does what, and when.",
    },
    "ethos": {
        "action": "mentoring",
        "fi": "Uskottavuus syntyy johdonmukaisuudesta. Seuraa kokeneemman kollegan kohtaamisia ja huomaa, miten hän perustelee asiantuntemuksensa.",
        "sv": "Trovärdighet kommer av konsekvens. Skugga en erfaren kollega och lägg märke till hur hen visar sin sakkunskap.",
        "en": "Credibility comes from consistency. Shadow an experienced colleague and notice how they show their expertise.",
    },
    "pathos": {
        "action": "role_play",
        "fi": "Harjoittele roolipelissä tilannetta, jossa asiakas on huolissaan: sanoita hänen tunteensa ennen kuin siirryt asiaan.",
        "sv": "Öva i ett rollspel en situation där kunden är orolig: sätt ord på känslan innan du går in på sakfrågan.",
        "en": "Practise a role play where the customer is worried: name their feeling before you move to the facts.",
    },
    "logos": {
        "action": "clinic",
        "fi": "Perustele suosituksesi yhdellä selkeällä syyllä ja yhdellä esimerkillä. Kerää case-klinikalla hyviä perusteluja koko tiimin käyttöön.",
        "sv": "Motivera din rekommendation med ett tydligt skäl och ett exempel. Samla bra argument i fallkliniken för hela teamet.",
        "en": "Back your recommendation with one clear reason and one example. Collect good arguments at the case clinic for the whole team.",
    },
}

# A strength sentence for the top dimension.
STRENGTHS = {
    "listening": {
        "fi": "Olet kuuntelija: asiakas tuntee tulleensa ymmärretyksi.",
        "sv": "Du är en lyssnare: kunden känner sig förstådd.",
        "en": "You are a listener: customers feel understood.",
    },
    "expertise": {
        "fi": "Olet asiantuntija, joka osaa kertoa asiansa selkeästi.",
        "sv": "Du är en expert som kan förklara saker tydligt.",
        "en": "You are an expert who explains things clearly.",
    },
    "value": {
        "fi": "Olet arvon tuottaja: asiakas lähtee luotasi aina jotain saaneena.",
        "sv": "Du skapar värde: kunden går alltid därifrån med något.",
        "en": "You create value: customers always leave with something.",
    },
    "trust": {
        "fi": "Olet luottamuksen rakentaja: sanasi pitää.",
        "sv": "Du bygger förtroende: ditt ord håller.",
        "en": "You build trust: your word holds.",
    },
    "solution": {
        "fi": "Olet ratkaisija: asiat etenevät kanssasi.",
        "sv": "Du är en problemlösare: med dig går saker framåt.",
        "en": "You are a solver: things move forward with you.",
    },
    "ethos": {
        "fi": "Vahvuutesi on uskottavuus.",
        "sv": "Din styrka är trovärdighet.",
        "en": "Your strength is credibility.",
    },
    "pathos": {
        "fi": "Vahvuutesi on tunneyhteys asiakkaaseen.",
        "sv": "Din styrka är den känslomässiga kontakten med kunden.",
        "en": "Your strength is the emotional connection with customers.",
    },
    "logos": {
        "fi": "Vahvuutesi on selkeä perustelu.",
        "sv": "Din styrka är tydliga argument.",
        "en": "Your strength is clear reasoning.",
    },
}
