"""Demo data for service paths: personas mapped to the bank's customer segments, what customers value
at each touchpoint, and the first version of each path."""

import random
from datetime import datetime

from kohtaamo.journeys.models import JourneyVersion, Persona, TouchpointDetail
from kohtaamo.journeys.services import journey_version_create
from kohtaamo.organisations.models import Organisation, ServicePath, Touchpoint

# path name -> (persona, description, segments)
PERSONAS = {
    "Asuntolaina": (
        ("Ensiasunnon ostaja", "Nuori pari, joka ostaa ensimmäistä kotiaan ja tarvitsee selkeät ohjeet.", ["Nuoret"]),
        ("Asunnon vaihtaja", "Perhe, joka myy vanhan ja ostaa isomman; aikataulu on tiukka.", ["Perusasiakas"]),
    ),
    "Päivittäinen asiointi": (
        ("Digiasioija", "Hoitaa arjen pankkiasiat sovelluksessa ja odottaa nopeaa apua chatissa.", ["Nuoret"]),
        ("Konttorissa asioiva seniori", "Arvostaa henkilökohtaista palvelua ja kiireetöntä opastusta.", ["Seniorit"]),
    ),
    "Sijoittaminen": (
        ("Aloitteleva säästäjä", "Haluaa aloittaa rahastosäästämisen ja ymmärtää riskit.", ["Perusasiakas", "Nuoret"]),
        ("Varakas sijoittaja", "Odottaa asiantuntevaa, kokonaisvaltaista neuvontaa.", ["Private Banking", "Yrittäjät"]),
    ),
}
# How the customer values the stage, by channel (the question every touchpoint answers).
VALUES = {
    "web": "Asia etenee itsenäisesti ja ohjeet ovat selkeät.",
    "chat": "Vastaus tulee nopeasti ja asia ratkeaa yhdellä kertaa.",
    "phone": "Pääsee nopeasti läpi ja saa asiantuntevan vastauksen.",
    "email": "Viesti on henkilökohtainen ja kertoo seuraavat askeleet.",
    "video": "Neuvoja kuuntelee ja selittää asiat ymmärrettävästi.",
    "face_to_face": "Kiireetön tapaaminen, jossa omaa tilannetta kuunnellaan.",
}


def seed_journeys(*, organisation: Organisation, now: datetime, rng: random.Random) -> int:
    """Personas, touchpoint details and a first version for each of the organisation's service paths.

    Returns the number of personas created. Idempotent per path (a path with personas is skipped)."""
    created = 0
    for path in ServicePath.objects.filter(organisation=organisation).order_by("pk"):
        if Persona.objects.filter(service_path=path).exists():
            continue
        specs = PERSONAS.get(path.name, ())
        Persona.objects.bulk_create(
            Persona(service_path=path, name=name, description=text, segments=segments, order=i)
            for i, (name, text, segments) in enumerate(specs, start=1)
        )
        created += len(specs)
        touchpoints = Touchpoint.objects.filter(stage__service_path=path).exclude(journey_detail__isnull=False)
        TouchpointDetail.objects.bulk_create(
            TouchpointDetail(touchpoint=tp, customer_value=VALUES.get(tp.channel, "")) for tp in touchpoints
        )
        if not JourneyVersion.objects.filter(service_path=path).exists():
            journey_version_create(service_path=path, change="Polku kuvattu")
    return created
