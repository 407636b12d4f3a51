"""Seed the demo: a bank with six months of encounter feedback, a small café, and logins for every role."""

import importlib
import random
import time
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from kohtaamo.analytics.rollup import response_rollup_rebuild, rollup_refresh_deferred
from kohtaamo.feedback.models import Encounter, Invitation, OpenLink, Response, Round
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.instruments.models import Questionnaire
from kohtaamo.organisations.models import Customer, Membership, Organisation, Person, ServicePath, Unit

from .cafe import CAFE
from .data import BANK
from .encounters import encounters_create
from .feedback import invitations_create, responses_create, timestamps_settle
from .spec import OrganisationSpec
from .structure import Built, organisation_build

DEMO_PASSWORD = "demo-Kohtaamo-2026"  # noqa: S105 - printed for everyone to use; demo data only
DEMO_SPECS = (BANK, CAFE)
DEMO_THROTTLE_DAYS = 14  # the demo programmes ask a regular customer again after two weeks
Role = Membership.Role


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisations: tuple[str, ...]
    sees: str  # what the login is scoped to


@dataclass(frozen=True)
class DemoSummary:
    created: bool  # False: the demo existed and was left as it was
    organisation_slug: str
    password: str
    logins: tuple[DemoLogin, ...]
    counts: dict[str, int]
    seconds: float


def _organisation_seed(rng: random.Random, *, spec: OrganisationSpec, scale: float, now: datetime) -> Built:
    built = organisation_build(rng, spec=spec, customers=max(30, round(spec.customers * scale)), today=now.date())
    programme = pulse_programme_ensure(organisation=built.organisation)
    programme.throttle_days = DEMO_THROTTLE_DAYS
    programme.save(update_fields=["throttle_days"])
    plans = encounters_create(rng, built=built, spec=spec, count=max(60, round(spec.encounters * scale)), now=now)
    invited = invitations_create(rng, plans=plans, programme=programme, now=now)
    responses_create(rng, invited=invited, programme=programme, topics=built.topics, bank=spec.bank)
    timestamps_settle(organisation=built.organisation)
    return built


def _login(username: str, *, superuser: bool = False) -> User:
    """The demo login, created or reset to the demo password."""
    user, _created = User.objects.get_or_create(username=username)
    user.email = f"{username}@{BANK.domain}"
    user.is_staff = user.is_superuser = superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _logins_create(bank: Built, cafe: Built) -> None:
    """One login per role in the bank; the consultant also serves the café, so the organisation chooser shows."""
    people = {s.spec.login: s.person for s in bank.staff if s.spec.login}
    grants = (
        ("admin", Role.ADMIN, {}),
        ("cx", Role.CX_LEAD, {}),
        ("manager", Role.UNIT_MANAGER, {"unit": people["manager"].unit}),
        ("employee", Role.EMPLOYEE, {"person": people["employee"]}),
        ("consultant", Role.CONSULTANT, {}),
    )
    for username, role, scope in grants:
        user = _login(username, superuser=role == Role.ADMIN)
        Membership.objects.create(user=user, organisation=bank.organisation, role=role, **scope)
        if role == Role.CONSULTANT:
            Membership.objects.create(user=user, organisation=cafe.organisation, role=role)
        if username in people:
            people[username].user = user
            people[username].save(update_fields=["user"])


def demo_logins() -> tuple[DemoLogin, ...]:
    """The demo's logins as they stand in the database, in the order they were created."""
    memberships = (
        Membership.objects.filter(organisation__slug__in=[s.slug for s in DEMO_SPECS])
        .select_related("user", "organisation", "unit", "person")
        .order_by("user__pk", "-organisation__slug")
    )
    rows: dict[str, DemoLogin] = {}
    for m in memberships:
        seen = rows.get(m.user.username)
        if seen:
            rows[m.user.username] = DemoLogin(
                seen.username, seen.role, (*seen.organisations, m.organisation.name), seen.sees
            )
            continue
        if m.role == Membership.Role.SHOPPER:
            sees = str(_("own mystery-shopping assignments"))
        else:
            sees = m.unit.name if m.unit else m.person.name if m.person else str(_("the whole organisation"))
        rows[m.user.username] = DemoLogin(m.user.username, str(m.get_role_display()), (m.organisation.name,), sees)
    return tuple(rows.values())


def demo_counts(*, organisation: Organisation | None) -> dict[str, int]:
    if organisation is None:
        return {}
    responses = Response.objects.filter(organisation=organisation, status=Response.Status.SUBMITTED)
    return {
        "units": Unit.objects.filter(organisation=organisation).count(),
        "people": Person.objects.filter(organisation=organisation).count(),
        "customers": Customer.objects.filter(organisation=organisation).count(),
        "encounters": Encounter.objects.filter(organisation=organisation).count(),
        "invitations": Invitation.objects.filter(organisation=organisation).count(),
        "responses": responses.count(),
        "comments": responses.filter(has_comment=True).count(),
    }


@transaction.atomic
def demo_reset() -> None:
    """Remove the demo organisations and their logins. Deletes in dependency order: several links PROTECT."""
    slugs = [s.slug for s in DEMO_SPECS]
    organisations = Organisation.objects.filter(slug__in=slugs)
    # Logins that also belong to a real organisation stay; they only lose their demo memberships.
    User.objects.filter(memberships__organisation__in=organisations).exclude(
        memberships__organisation__in=Organisation.objects.exclude(slug__in=slugs)
    ).delete()
    for model in (Response, Invitation, OpenLink, Encounter, Round, Questionnaire, ServicePath, Person):
        _delete_protected_last(model.objects.filter(organisation__in=organisations))
    Unit.objects.filter(organisation__in=organisations).update(parent=None)
    _delete_protected_last(organisations)


def _delete_protected_last(queryset) -> None:
    """Delete, first clearing every feature's tenant rows that PROTECT these (features come and go)."""
    try:
        with transaction.atomic():
            queryset.delete()
    except ProtectedError as error:
        blockers = {type(obj) for obj in error.protected_objects}
        for model in blockers:
            _delete_protected_last(
                model.objects.filter(pk__in=[o.pk for o in error.protected_objects if type(o) is model])
            )
        queryset.delete()


# Each feature fills itself in for the demo bank: (module, function), called in this order.
FEATURE_SEEDS = (
    ("kohtaamo.demo.assessments", "seed_assessments"),
    ("kohtaamo.demo.journeys", "seed_journeys"),
    ("kohtaamo.demo.maturity", "seed_maturity"),
    ("kohtaamo.demo.textanalytics", "seed_textanalytics"),
    ("kohtaamo.demo.development", "seed_development"),
    ("kohtaamo.demo.followup", "seed_followup"),
    ("kohtaamo.demo.impact", "seed_impact"),
    ("kohtaamo.demo.integrations", "seed_integrations"),
    ("kohtaamo.demo.mystery", "seed_mystery"),
    ("kohtaamo.demo.stakeholders", "seed_stakeholders"),
    ("kohtaamo.demo.widget", "seed_widget"),
    ("kohtaamo.demo.staffexperience", "seed_staffexperience"),
    ("kohtaamo.demo.privacy", "seed_privacy"),
)


def _features_seed(*, organisation: Organisation, now: datetime, seed: int) -> None:
    for module, function in FEATURE_SEEDS:
        # Each feature gets its own random stream, so adding one never changes the others' data.
        rng = random.Random(f"{seed}:{function}")
        with transaction.atomic():
            getattr(importlib.import_module(module), function)(organisation=organisation, now=now, rng=rng)


@transaction.atomic
def seed_demo(*, now: datetime | None = None, seed: int = 2026, scale: float = 1.0) -> DemoSummary:
    """Create the demo unless it exists. `scale` shrinks customers and encounters, never the staff."""
    started = time.monotonic()
    created = not Organisation.objects.filter(slug__in=[s.slug for s in DEMO_SPECS]).exists()
    if created:
        now = now or timezone.now()
        rng = random.Random(seed)
        with rollup_refresh_deferred():
            bank = _organisation_seed(rng, spec=BANK, scale=scale, now=now)
            cafe = _organisation_seed(rng, spec=CAFE, scale=scale, now=now)
            _logins_create(bank, cafe)
            _features_seed(organisation=bank.organisation, now=now, seed=seed)
        # Some seeds adjust responses in bulk; the dashboard's rollup is rebuilt from what they left.
        for seeded in (bank.organisation, cafe.organisation):
            response_rollup_rebuild(organisation=seeded)
    return DemoSummary(
        created=created,
        organisation_slug=BANK.slug,
        password=DEMO_PASSWORD,
        logins=demo_logins(),
        counts=demo_counts(organisation=Organisation.objects.filter(slug=BANK.slug).first()),
        seconds=time.monotonic() - started,
    )
