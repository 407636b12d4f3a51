"""Demo data for text analytics: every customer comment analysed, and transcripts for a sample of
recent encounters — attentive conversations where the customer rated the encounter well, hurried ones
where they did not — so the transcript evidence and the channel calibration have something to show."""

import random
from datetime import datetime

from django.db.models import Avg

from kohtaamo.feedback.models import Encounter, Response
from kohtaamo.organisations.models import Channel, Organisation
from kohtaamo.textanalytics.services import comments_analyse, transcript_import

TRANSCRIPT_CHANNELS = (Channel.PHONE, Channel.FACE_TO_FACE, Channel.VIDEO, Channel.CHAT)
TRANSCRIPTS_PER_CHANNEL = 24
MATTERS = (
    ("lainan korkoa", "kuukausierän"),
    ("säästämisen aloittamista", "säästösumman"),
    ("kortin tilaamista", "toimitusajan"),
    ("asuntolainaa", "lainamäärän"),
)
DAYS = ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina")


def _attentive(rng: random.Random, matter: str, detail: str) -> str:
    """A conversation led by the customer's need; which optional turns it has varies, so the metrics
    (talk share, questions, summaries, monologue length) vary as real conversations do."""
    day, hour = rng.choice(DAYS), rng.choice((9, 10, 13, 14, 15))
    lines = [
        "Virkailija: Hei, mukava kun tulit! Mitä asiaa sinulla on tänään?",
        f"Asiakas: Haluaisin kysyä {matter}. Tilanteeni on muuttunut ja mietin, mitä kannattaisi tehdä.",
        "Virkailija: Kerrotko vähän lisää, mikä on muuttunut?",
        f"Asiakas: Tulot pienenivät syksyllä, joten {detail} pitäisi olla pienempi. "
        "En halua kuitenkaan venyttää asiaa loputtomiin.",
    ]
    if rng.random() < 0.6:
        lines += [
            "Virkailija: Onko sinulla jo jokin toive aikataulun suhteen?",
            "Asiakas: Mieluiten ennen vuodenvaihdetta, jos se vain onnistuu.",
        ]
    if rng.random() < 0.4:
        lines.append(
            "Virkailija: Tähän on kolme tapaa: voimme pidentää laina-aikaa, sopia lyhennysvapaasta "
            "tai yhdistää sen pienempään erään. Kerron lyhyesti jokaisen hyvät ja huonot puolet."
        )
    if rng.random() < 0.8:
        percent = rng.randint(10, 30)
        lines += [
            f"Virkailija: Eli jos ymmärsin oikein, haluat pienentää {detail} noin {percent} prosentilla?",
            "Asiakas: Kyllä, juuri niin.",
        ]
    else:
        lines.append("Asiakas: Mitä suosittelisit minun tilanteeseeni?")
    lines += [
        f"Virkailija: Selvä. Lähetän sinulle kaksi vaihtoehtoa sähköpostiin {day}, "
        f"ja sovitaan puhelu klo {hour}. Sopiiko?",
        "Asiakas: Sopii hyvin, kiitos." + (" Tämä helpotti paljon." if rng.random() < 0.5 else ""),
    ]
    return "\n".join(lines)


def _hurried(rng: random.Random, matter: str, detail: str) -> str:
    lines = [
        "Virkailija: Hei.",
        f"Asiakas: Hei, haluaisin kysyä {matter}, koska...",
        "Virkailija: Niistä on tietoa verkkosivuilla. Yleensä ihmiset valitsevat vakiovaihtoehdon, "
        "se on helpoin ja siinä ei ole mitään erityistä mietittävää, ja jos haluaa muuttaa jotain, "
        "sen voi tehdä myöhemmin verkkopankissa tai soittamalla asiakaspalveluun, joka palvelee arkisin.",
    ]
    if rng.random() < 0.5:
        lines += ["Asiakas: Voiko sen tehdä myös konttorissa?", "Virkailija: Periaatteessa kyllä."]
    lines += [
        f"Asiakas: Mutta {detail} on minulle tärkeä...",
        "Virkailija: Katso verkkosivuilta, siellä on kaikki.",
        "Asiakas: No, selvä.",
    ]
    return "\n".join(lines)


def seed_textanalytics(*, organisation: Organisation, now: datetime, rng: random.Random) -> dict:
    analysed = comments_analyse(organisation_id=organisation.pk).analysed
    transcripts = 0
    for channel in TRANSCRIPT_CHANNELS:
        rated = (
            Response.objects.filter(
                organisation=organisation,
                status=Response.Status.SUBMITTED,
                encounter__channel=channel,
                encounter__occurred_at__lte=now,
                eqi__isnull=False,
            )
            .values("encounter_id")
            .annotate(eqi=Avg("eqi"))
            .order_by("-encounter_id")[:TRANSCRIPTS_PER_CHANNEL]
        )
        encounters = Encounter.objects.in_bulk([row["encounter_id"] for row in rated])
        for row in rated:
            matter, detail = rng.choice(MATTERS)
            write = _attentive if row["eqi"] >= 60 else _hurried
            transcript_import(encounter=encounters[row["encounter_id"]], text=write(rng, matter, detail))
            transcripts += 1
    return {"comments": analysed, "transcripts": transcripts}
