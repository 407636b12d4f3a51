"""Customer comments for the demo: written templates per language and tone, lightly varied.

Placeholders: {name} the first name of the person who served (only where one did), {topic} /
{Topic} what the customer's matter was (from the service path), {wait} minutes waited.
"""

import random
from dataclasses import dataclass

from kohtaamo.organisations.models import Channel

PRAISE, MIXED, COMPLAINT = "praise", "mixed", "complaint"
F2F, PHONE, EMAIL, VIDEO, CHAT, WEB = (
    Channel.FACE_TO_FACE,
    Channel.PHONE,
    Channel.EMAIL,
    Channel.VIDEO,
    Channel.CHAT,
    Channel.WEB,
)


SERVED = frozenset({F2F, PHONE, EMAIL, VIDEO, CHAT})  # a person served the customer
ANY = SERVED | {WEB}


@dataclass(frozen=True)
class Template:
    text: str
    channels: frozenset[str]  # where it fits
    bank: bool  # speaks of loans, branches or investments

    @property
    def needs_name(self) -> bool:
        return "{name}" in self.text


def T(text: str, *channels: str | frozenset, bank: bool = False) -> Template:  # noqa: N802 - a table row
    """A template for the given channels; without any, for every channel where a person served."""
    chosen = frozenset().union(*(c if isinstance(c, frozenset) else {c} for c in channels))
    return Template(text, chosen or SERVED, bank)


FI = {
    PRAISE: (
        T("{name} kuunteli tarkasti ja ymmärsi heti, mitä tarvitsin."),
        T("{Topic} hoitui nopeasti ja vaivattomasti.", ANY),
        T("Todella asiantuntevaa palvelua. {name} selitti kaiken selkeästi ilman pankkitermejä.", bank=True),
        T("Sain vastaukset kaikkiin kysymyksiini ja selkeät ohjeet jatkoon."),
        T("Ystävällinen ja kiireetön palvelu, tuntui että minulle oli aikaa."),
        T("{name} otti huoleni korkojen noususta vakavasti ja kävi läpi eri vaihtoehdot.", bank=True),
        T("Erinomainen kokemus! Asiani ratkesi yhdellä puhelulla.", PHONE),
        T("Chatissa vastattiin parissa minuutissa ja asia hoitui saman tien.", CHAT),
        T("Videotapaaminen toimi hienosti, säästin matkan konttoriin.", VIDEO, bank=True),
        T("Verkossa {topic} onnistui muutamassa minuutissa.", WEB),
        T("Luotettavaa ja rehellistä neuvontaa, myös riskeistä puhuttiin suoraan.", bank=True),
        T("{name} huomasi asian, jota en ollut itse tullut ajatelleeksi. Iso kiitos!"),
        T("Asiointi oli sujuvaa ja sain enemmän kuin odotin.", ANY),
        T("Viestiini vastattiin nopeasti ja vastaus oli selkeä.", EMAIL),
        T("Mukava ja ammattitaitoinen palvelu, tulen varmasti uudelleen."),
        T("Tunsin, että minua kuunneltiin eikä minulle tyrkytetty mitään turhaa."),
    ),
    COMPLAINT: (
        T("Jonotin konttorissa {wait} minuuttia, vaikka paikalla oli vain muutama asiakas.", F2F, bank=True),
        T("Odotin puhelinjonossa {wait} minuuttia ennen kuin kukaan vastasi.", PHONE),
        T("Chatin vastaukset olivat valmiita fraaseja eivätkä liittyneet kysymykseeni.", CHAT),
        T("{Topic} kesti aivan liian kauan, ja jouduin kysymään tilannetta itse monta kertaa.", ANY),
        T("Sain ristiriitaista tietoa eri henkilöiltä. Kuka tässä oikeasti tietää?", bank=True),
        T("Minua ei kuunneltu, vaan minulle yritettiin myydä tuotetta, jota en tarvinnut."),
        T("Palvelu kaatui kesken asioinnin ja jouduin aloittamaan alusta.", WEB),
        T("Lupasitte soittaa takaisin, mutta kukaan ei soittanut."),
        T("Ohjeet olivat epäselvät enkä vieläkään tiedä, mitä minun pitää tehdä seuraavaksi.", ANY, bank=True),
        T("Viestiini vastattiin vasta viikon päästä, ja silloinkin vain puoliksi.", EMAIL),
        T("Videoyhteys pätki koko ajan eikä asiakirjoja saatu näkyviin.", VIDEO),
        T("Palvelu oli tylyä ja kiireistä. Tunsin itseni taakaksi."),
        T("Lainan kuluja ei selitetty kunnolla, ne selvisivät vasta jälkikäteen.", bank=True),
        T("Tunnistautuminen oli hankalaa, enkä löytänyt oikeaa lomaketta.", WEB),
    ),
    MIXED: (
        T("{name} oli ystävällinen, mutta asian hoitaminen kesti odotettua kauemmin."),
        T("Palvelu sinänsä hyvää, mutta jonotin {wait} minuuttia.", F2F, PHONE),
        T("Sain asian hoidettua, mutta jouduin kertomaan saman asian kahdesti."),
        T("Asiantuntevaa neuvontaa, mutta paperityötä oli turhan paljon.", bank=True),
        T("Chat on kätevä, mutta vastausta sai odottaa {wait} minuuttia.", CHAT),
        T("{Topic} onnistui lopulta, vaikka alussa ohjeet olivat sekavia.", ANY),
        T("Ihan ok. Olisin kaivannut vähän enemmän aikaa kysymyksille."),
        T("Hyvä palvelu, mutta vapaata aikaa sai odottaa lähes kaksi viikkoa.", F2F, VIDEO, bank=True),
        T("Palvelu toimii, mutta valikoista on vaikea löytää oikeaa kohtaa.", WEB),
        T("Ystävällistä palvelua, mutta sain vastauksen vain osaan kysymyksistäni."),
        T("Videotapaaminen oli kätevä, vaikka yhteyden avaamisessa oli alussa ongelmia.", VIDEO),
        T("Asia eteni, mutta seuraavista vaiheista olisin halunnut kirjallisen yhteenvedon.", ANY, bank=True),
    ),
}

SV = {
    PRAISE: (
        T("{name} lyssnade verkligen och förstod direkt vad jag behövde."),
        T("{Topic} gick snabbt och smidigt.", ANY),
        T("Skönt att kunna sköta ärendet på svenska, och allt förklarades tydligt."),
        T("Mycket kunnig rådgivning, {name} tog sig tid att gå igenom alternativen."),
        T("Chatten svarade inom ett par minuter och ärendet löstes direkt.", CHAT),
        T("Videomötet fungerade utmärkt och jag slapp åka till kontoret.", VIDEO, bank=True),
        T("Vänligt och professionellt bemötande, jag kommer gärna tillbaka."),
        T("Ärlig rådgivning, även riskerna togs upp öppet.", bank=True),
    ),
    COMPLAINT: (
        T("Jag köade {wait} minuter på kontoret.", F2F, bank=True),
        T("Jag fick vänta {wait} minuter i telefonkön.", PHONE),
        T("Ingen betjäning på svenska trots att jag bad om det."),
        T("{Topic} tog alldeles för lång tid och ingen hörde av sig.", ANY),
        T("Ni lovade att ringa tillbaka, men ingen ringde."),
        T("Tjänsten krånglade och jag fick börja om från början.", WEB),
        T("Avgifterna förklarades inte ordentligt, de kom som en överraskning.", bank=True),
    ),
    MIXED: (
        T("{name} var vänlig, men det tog längre tid än väntat."),
        T("Bra service, men jag fick vänta {wait} minuter.", F2F, PHONE, CHAT),
        T("Ärendet blev skött, men jag fick berätta samma sak två gånger."),
        T("{Topic} löste sig till slut, men instruktionerna var först otydliga.", ANY),
        T("Helt okej. Jag hade gärna fått en skriftlig sammanfattning av nästa steg."),
        T("Smidigt på nätet, men det var svårt att hitta rätt blankett.", WEB),
    ),
}

EN = {
    PRAISE: (
        T("{name} really listened and understood straight away what I needed."),
        T("{Topic} went quickly and smoothly.", ANY),
        T("Great that I could be served in English, everything was explained clearly."),
        T("Very knowledgeable advice, and honest about the risks too.", bank=True),
        T("The chat replied within a couple of minutes and sorted everything out.", CHAT),
        T("The video meeting worked well and saved me a trip to the branch.", VIDEO, bank=True),
    ),
    COMPLAINT: (
        T("I had to queue for {wait} minutes.", F2F),
        T("I waited {wait} minutes on the phone before anyone answered.", PHONE),
        T("Hardly any service in English, and the forms were only in Finnish."),
        T("{Topic} took far too long and nobody kept me updated.", ANY),
        T("You promised to call me back, but nobody did."),
        T("The website kept logging me out and I had to start all over again.", WEB),
    ),
    MIXED: (
        T("{name} was friendly, but it all took longer than expected."),
        T("Good service in the end, although I had to explain my situation twice."),
        T("{Topic} was sorted out, but the instructions were confusing at first.", ANY),
        T("The website works, but it is hard to find the right form.", WEB),
    ),
}

TEMPLATES = {"fi": FI, "sv": SV, "en": EN}

# Light variation: a closing remark now and then (empty strings keep most comments plain).
CLOSINGS = {
    "fi": {
        PRAISE: ("", "", "", " Kiitos!", " Kiitos vielä kerran.", " Suosittelen."),
        MIXED: ("", "", "", " Muuten ihan hyvä."),
        COMPLAINT: ("", "", " Toivottavasti tähän puututaan.", " Odotin parempaa."),
    },
    "sv": {
        PRAISE: ("", "", "", " Tack!", " Stort tack."),
        MIXED: ("", "", " Annars bra."),
        COMPLAINT: ("", "", " Hoppas att ni ser över det här."),
    },
    "en": {
        PRAISE: ("", "", " Thank you!", " Highly recommended."),
        MIXED: ("", "", " Otherwise fine."),
        COMPLAINT: ("", "", " I expected better."),
    },
}
WAIT_MINUTES = {COMPLAINT: (15, 50), MIXED: (8, 25), PRAISE: (2, 5)}


def tone_of(*, nps: int | None, csat: int | None) -> str:
    """Praise for promoters and very satisfied customers, complaints for detractors, mixed between."""
    if nps is not None:
        return PRAISE if nps >= 9 else COMPLAINT if nps <= 6 else MIXED
    if csat is not None:
        return PRAISE if csat >= 5 else COMPLAINT if csat <= 2 else MIXED
    return MIXED


def comment_compose(
    rng: random.Random, *, language: str, tone: str, channel: str, topic: str, first_name: str | None, bank: bool
) -> str:
    """A comment in `language` with the given tone that fits the channel and the organisation."""
    candidates = [
        t
        for t in TEMPLATES[language][tone]
        if channel in t.channels and (bank or not t.bank) and (first_name or not t.needs_name)
    ]
    template = rng.choice(candidates)
    text = template.text.format(
        name=first_name or "",
        topic=topic,
        Topic=topic[:1].upper() + topic[1:],
        wait=rng.randint(*WAIT_MINUTES[tone]),
    )
    closing = rng.choice(CLOSINGS[language][tone])
    return text + closing if text.endswith(".") else text  # "…Iso kiitos!" needs no second thanks
