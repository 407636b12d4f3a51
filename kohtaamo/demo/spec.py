"""The shape of a demo organisation: a declarative description that the seed turns into rows."""

from dataclasses import dataclass, field

# A text in each language: {"fi": ..., "sv": ..., "en": ...}.
Texts = dict[str, str]


@dataclass(frozen=True)
class PersonSpec:
    name: str
    title: str
    profile: str  # key into OrganisationSpec.profiles: which touchpoints this person serves
    lead: bool = False  # supervises the others in the unit and the leads of units below
    quality: float | None = None  # latent service quality (logit scale); None draws an ordinary one
    login: str = ""  # demo username linked to this person


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    children: tuple["UnitSpec", ...] = ()
    people: tuple[PersonSpec, ...] = ()
    effect: float = 0.0  # how much better or worse this unit serves (logit scale), inherited downwards
    # Customer language mix (fi, sv, en) of customers whose home branch lies below; inherited downwards.
    languages: tuple[float, float, float] | None = None
    home: bool = False  # customers have this unit as their home branch


@dataclass(frozen=True)
class TouchpointSpec:
    code: str
    name: str
    channel: str
    owner: str | None = None  # unit code; None: every branch has this touchpoint


@dataclass(frozen=True)
class StageSpec:
    name: str
    touchpoints: tuple[TouchpointSpec, ...]


@dataclass(frozen=True)
class PathSpec:
    name: str
    description: str
    stages: tuple[StageSpec, ...]
    topics: tuple[Texts, ...]  # what customers call their matter on this path, for comments


@dataclass(frozen=True)
class ProfileSpec:
    activity: float  # relative number of encounters
    touchpoints: dict[str, float] = field(default_factory=dict)  # touchpoint code -> weight


@dataclass(frozen=True)
class SelfServiceSpec:
    """Encounters without a person (web self-service), booked on a unit."""

    share: float  # of all encounters
    unit: str
    touchpoints: dict[str, float]


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    slug: str
    domain: str  # staff e-mail domain
    root: UnitSpec
    paths: tuple[PathSpec, ...]
    profiles: dict[str, ProfileSpec]
    self_service: SelfServiceSpec
    customers: int  # at scale 1
    encounters: int  # at scale 1
    days: int
    bank: bool  # comments may speak of loans, branches and investments
    segments: tuple[str, ...] = ()
