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
    day, hour = rng.choice(DAYS), rng.choice((9, 10, 13, 14, 15))
    return "\n".join(
        [
            "Virkailija: Hei, mukava kun tulit! Mitä asiaa sinulla on tänään?",
            f"Asiakas: Haluaisin kysyä {matter}. Tilanteeni on muuttunut ja mietin, mitä kannattaisi tehdä.",
            "Virkailija: Kerrotko vähän lisää, mikä on muuttunut?",
            f"Asiakas: Tulot pienenivät syksyllä, joten {detail} pitäisi olla pienempi. "
            "En halua kuitenkaan venyttää asiaa loputtomiin.",
            f"Virkailija: Eli jos ymmärsin oikein, haluat pienentää {detail} noin {rng.randint(10, 30)} prosentilla?",
            "Asiakas: Kyllä, juuri niin.",
            f"Virkailija: Selvä. Lähetän sinulle kaksi vaihtoehtoa sähköpostiin {day}, "
            f"ja sovitaan puhelu klo {hour}. Sopiiko?",
            "Asiakas: Sopii hyvin, kiitos.",
        ]
    )


def _hurried(rng: random.Random, matter: str, detail: str) -> str:
    return "\n".join(
        [
            "Virkailija: Hei.",
            f"Asiakas: Hei, haluaisin kysyä {matter}, koska...",
            "Virkailija: Niistä on tietoa verkkosivuilla. Yleensä ihmiset valitsevat vakiovaihtoehdon, "
            "se on helpoin ja siinä ei ole mitään erityistä mietittävää, ja jos haluaa muuttaa jotain, "
            "sen voi tehdä myöhemmin verkkopankissa tai soittamalla asiakaspalveluun, joka palvelee arkisin.",
            f"Asiakas: Mutta {detail} on minulle tärkeä...",
            "Virkailija: Katso verkkosivuilta, siellä on kaikki.",
            "Asiakas: No, selvä.",
        ]
    )


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
