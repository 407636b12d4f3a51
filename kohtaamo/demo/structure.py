"""Build a demo organisation's set-up from its spec: units, people, service paths and customers."""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from kohtaamo.organisations.models import Customer, Organisation, Person, ServicePath, Stage, Touchpoint, Unit

from .spec import OrganisationSpec, PathSpec, PersonSpec, UnitSpec

LANGUAGES = ("fi", "sv", "en")
CONSENT_SHARE = 0.88
RETENTION_DAYS = 730


@dataclass
class Staff:
    """A person as the activity generator sees them."""

    person: Person
    spec: PersonSpec
    base: float  # person quality + unit effect (logit)
    home: str | None  # code of the branch whose customers they mostly serve
    facets: dict[str, float] = field(default_factory=dict)  # per-dimension strengths and weaknesses


@dataclass
class Client:
    customer: Customer
    home: str | None


@dataclass
class Built:
    organisation: Organisation
    units: dict[str, Unit]
    staff: list[Staff]
    touchpoints: dict[str, Touchpoint]
    topics: dict[str, tuple[dict, ...]]  # touchpoint code -> its path's topics
    clients: list[Client]


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _units_create(organisation: Organisation, spec: UnitSpec, parent: Unit | None, units: dict[str, Unit]) -> None:
    units[spec.code] = Unit.objects.create(
        organisation=organisation, parent=parent, name=spec.name, kind=spec.kind, code=spec.code
    )
    for child in spec.children:
        _units_create(organisation, child, units[spec.code], units)


def _walk(spec: UnitSpec, effect=0.0, languages=None, home=None, lead=None):
    """Yield (unit spec, inherited effect, language mix, home branch code, supervising lead) top-down."""
    effect += spec.effect
    languages = spec.languages or languages
    home = spec.code if spec.home else home
    yield spec, effect, languages, home, lead
    own_lead = next((p for p in spec.people if p.lead), None) or lead
    for child in spec.children:
        yield from _walk(child, effect, languages, home, own_lead)


def _staff_create(rng: random.Random, organisation: Organisation, org: OrganisationSpec, units) -> list[Staff]:
    staff, by_name = [], {}
    for unit_spec, effect, _, home, outer_lead in _walk(org.root):
        unit_lead = next((p for p in unit_spec.people if p.lead), None)
        for p in unit_spec.people:
            supervisor_spec = outer_lead if p.lead or unit_lead is None else unit_lead
            first, last = ascii_fold(p.name).lower().split(" ", 1)
            person = Person.objects.create(
                organisation=organisation,
                unit=units[unit_spec.code],
                name=p.name,
                title=p.title,
                email=f"{first}.{last.replace(' ', '')}@{org.domain}",
                external_id=f"E-{len(staff) + 1:03d}",
                supervisor=by_name[supervisor_spec.name] if supervisor_spec else None,
            )
            by_name[p.name] = person
            quality = p.quality if p.quality is not None else rng.gauss(0, 0.3)
            staff.append(Staff(person, p, quality + effect, home))
    return staff


def _paths_create(organisation: Organisation, paths: tuple[PathSpec, ...], units) -> tuple[dict, dict]:
    touchpoints, topics = {}, {}
    for path_spec in paths:
        path = ServicePath.objects.create(
            organisation=organisation, name=path_spec.name, description=path_spec.description
        )
        for order, stage_spec in enumerate(path_spec.stages, start=1):
            stage = Stage.objects.create(service_path=path, name=stage_spec.name, order=order)
            for tp_order, tp in enumerate(stage_spec.touchpoints, start=1):
                touchpoints[tp.code] = Touchpoint.objects.create(
                    organisation=organisation,
                    stage=stage,
                    name=tp.name,
                    code=tp.code,
                    channel=tp.channel,
                    owner_unit=units[tp.owner] if tp.owner else None,
                    order=tp_order,
                )
                topics[tp.code] = path_spec.topics
    return touchpoints, topics


def _clients_create(
    rng: random.Random, organisation: Organisation, org: OrganisationSpec, count: int, today: date
) -> list[Client]:
    """Customers with a home branch (weighted by its staff) and a language from the branch's region."""
    homes = {}
    for unit_spec, _, languages, home, _ in _walk(org.root):
        if home:
            mix = homes.setdefault(home, [languages or (1.0, 0.0, 0.0), 0])
            mix[1] += len(unit_spec.people)
    codes = list(homes)
    rows, clients = [], []
    for i in range(1, count + 1):
        home = rng.choices(codes, weights=[homes[c][1] for c in codes])[0]
        consent = rng.random() < CONSENT_SHARE
        customer = Customer(
            organisation=organisation,
            external_id=f"C-{i:06d}",
            language=rng.choices(LANGUAGES, weights=homes[home][0])[0],
            segment=rng.choice(org.segments) if org.segments else "",
            contact_consent=consent,
            email=f"c-{i:06d}@example.org" if consent else "",
            retain_until=today + timedelta(days=RETENTION_DAYS) if consent else None,
        )
        rows.append(customer)
        clients.append(Client(customer, home))
    Customer.objects.bulk_create(rows, batch_size=500)
    ids = dict(Customer.objects.filter(organisation=organisation).values_list("external_id", "pk"))
    for client in clients:
        client.customer.pk = ids[client.customer.external_id]
    return clients


def organisation_build(rng: random.Random, *, spec: OrganisationSpec, customers: int, today: date) -> Built:
    organisation = Organisation.objects.create(
        name=spec.name, slug=spec.slug, time_zone="Europe/Helsinki", default_language="fi"
    )
    units: dict[str, Unit] = {}
    _units_create(organisation, spec.root, None, units)
    staff = _staff_create(rng, organisation, spec, units)
    touchpoints, topics = _paths_create(organisation, spec.paths, units)
    clients = _clients_create(rng, organisation, spec, customers, today)
    return Built(organisation, units, staff, touchpoints, topics, clients)
