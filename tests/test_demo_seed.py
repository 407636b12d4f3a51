from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, F, Q

from kohtaamo.demo.seed import DEMO_PASSWORD, seed_demo
from kohtaamo.feedback.models import Answer, Encounter, Invitation, Response
from kohtaamo.organisations.models import Channel, Customer, Membership, Organisation, Person, Touchpoint, Unit
from kohtaamo.organisations.selectors import people_visible, scope_for

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
BANK, CAFE = "demo-pankki", "kahvila-kohtaamo"
SCALE = 0.05

pytestmark = pytest.mark.django_db


def _encounter_pulses(bank):
    """Customers' answers to encounter invitations and links (not partners, colleagues or the web widget)."""
    return Response.objects.filter(
        organisation=bank, round__kind="pulse", respondent_role="customer", widget_answer__isnull=True
    )


@pytest.fixture
def demo(framework):
    return seed_demo(now=NOW, scale=SCALE)


def _bank() -> Organisation:
    return Organisation.objects.get(slug=BANK)


def test_structure_keeps_all_staff_and_a_supervisor_chain(demo):
    bank = _bank()
    people = Person.objects.filter(organisation=bank)
    assert people.count() == 40  # scale shrinks customers and encounters, never the staff
    assert people.filter(supervisor__isnull=True).count() == 1
    assert not people.filter(supervisor__isnull=False).exclude(supervisor__organisation=bank).exists()
    assert people.filter(email__endswith="@pohjolansaastopankki.example").count() == 40
    pohjanmaa = Unit.objects.get(organisation=bank, code="POH")
    assert set(pohjanmaa.children.values_list("code", flat=True)) == {"POH-VAA", "POH-PIE"}
    assert Unit.objects.filter(organisation=bank, kind=Unit.Kind.BRANCH).count() == 7
    assert Unit.objects.get(organisation=bank, code="UUS-HKI-KESKUSTA").kind == Unit.Kind.BRANCH
    assert set(Touchpoint.objects.filter(organisation=bank).values_list("channel", flat=True)) == set(Channel.values)
    customers = Customer.objects.filter(organisation=bank)
    assert customers.count() == 100
    assert not customers.exclude(email="").exclude(email__endswith="@example.org").exists()
    assert not customers.filter(contact_consent=False).exclude(email="").exists()
    assert Person.objects.filter(organisation__slug=CAFE).count() == 5


def test_encounters_cover_every_channel_within_opening_hours(demo):
    encounters = Encounter.objects.filter(organisation=_bank())
    assert encounters.count() == pytest.approx(450, abs=10)
    assert set(encounters.values_list("channel", flat=True).distinct()) == set(Channel.values)
    assert not encounters.filter(occurred_at__gt=NOW).exists()
    assert encounters.filter(occurred_at__lt=datetime(2025, 9, 1, tzinfo=UTC)).count() == 0
    # Branch meetings happen on weekdays between 9 and 16:30, Helsinki time (the project's time zone).
    branch = encounters.filter(channel=Channel.FACE_TO_FACE)
    assert not branch.filter(Q(occurred_at__week_day__in=[1, 7]) | Q(occurred_at__hour__lt=9)).exists()
    assert not branch.filter(occurred_at__hour__gte=17).exists()
    assert not encounters.filter(channel=Channel.WEB, person__isnull=False).exists()
    assert not encounters.exclude(channel=Channel.WEB).filter(person__isnull=True).exists()


def test_responses_are_multilingual_commented_and_invited(demo):
    bank = _bank()
    # The pulse programme's customer responses; other features add surveys of their own.
    responses = _encounter_pulses(bank).filter(status=Response.Status.SUBMITTED)
    n_encounters = Encounter.objects.filter(organisation=bank).count()
    assert 0.35 <= responses.count() / n_encounters <= 0.5
    languages = dict(responses.values_list("language").annotate(n=Count("id")))
    assert set(languages) == {"fi", "sv", "en"}
    assert languages["fi"] > languages["sv"] > 0
    commented = responses.filter(has_comment=True).count() / responses.count()
    assert 0.2 <= commented <= 0.45
    comments = Answer.objects.filter(response__in=responses).exclude(text="")
    assert comments.filter(response__language="sv", text__contains=" och ").exists()
    assert not comments.filter(response__language="fi", text__contains=" och ").exists()
    # Detractors complain; nobody who gave 0–6 writes the top praise line.
    assert not comments.filter(response__nps__lte=6, text__contains="Iso kiitos").exists()
    # Every response came through an invitation whose timestamps agree with it.
    invitations = Invitation.objects.filter(organisation=bank, round__kind="pulse", respondent_role="customer")
    assert responses.filter(invitation__isnull=True).count() == 0
    assert invitations.filter(status=Invitation.Status.RESPONDED).count() == responses.count()
    assert invitations.exclude(status=Invitation.Status.RESPONDED).exists()
    assert not responses.filter(submitted_at__lt=F("invitation__sent_at")).exists()
    assert not responses.filter(submitted_at__gt=F("invitation__expires_at")).exists()
    assert not invitations.filter(sent_at__lt=F("encounter__occurred_at")).exists()


def test_numbers_carry_the_built_in_differences(demo):
    responses = _encounter_pulses(_bank())
    strong = responses.filter(subject_person__name__in=["Laura Nieminen", "Noora Karjalainen", "Ulrika Sandvik"])
    weak = responses.filter(subject_person__name__in=["Jari Niemi", "Tiina Räsänen", "Markus Saarinen"])
    assert strong.aggregate(m=Avg("csat"))["m"] > weak.aggregate(m=Avg("csat"))["m"] + 0.5
    effort = dict(responses.values_list("channel").annotate(m=Avg("ces")))
    assert effort[Channel.FACE_TO_FACE] > effort[Channel.CHAT] + 0.5
    assert effort[Channel.FACE_TO_FACE] > effort[Channel.WEB] + 0.5
    # Scale items are sometimes skipped, but most responses answer NPS.
    assert 0 < responses.filter(nps__isnull=True).count() < responses.count() * 0.15


def test_every_login_resolves_its_scope(demo):
    users = {m.user.username: m.user for m in Membership.objects.select_related("user")}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["cx"].check_password(DEMO_PASSWORD)
    roles = {name: scope_for(user=user, organisation_slug=BANK).role for name, user in users.items()}
    assert roles == {
        "admin": Membership.Role.ADMIN,
        "cx": Membership.Role.CX_LEAD,
        "manager": Membership.Role.UNIT_MANAGER,
        "employee": Membership.Role.EMPLOYEE,
        "consultant": Membership.Role.CONSULTANT,
        # mystery shoppers of the demo's waves
        "shopper": Membership.Role.SHOPPER,
        "shopper2": Membership.Role.SHOPPER,
        "shopper3": Membership.Role.SHOPPER,
        "shopper4": Membership.Role.SHOPPER,
    }
    manager = scope_for(user=users["manager"], organisation_slug=BANK)
    assert manager.unit_path == Unit.objects.get(code="PIR-TRE-KESKUSTA").path
    assert people_visible(scope=manager).count() == 6
    employee = scope_for(user=users["employee"], organisation_slug=BANK)
    assert list(people_visible(scope=employee).values_list("name", flat=True)) == ["Ville Rantanen"]
    assert Response.objects.filter(subject_person_id=employee.person_id).exists()
    assert scope_for(user=users["consultant"], organisation_slug=CAFE).organisation_wide
    assert Response.objects.filter(organisation__slug=CAFE).exists()
    staff = ["admin", "cx", "manager", "employee", "consultant"]
    assert [s.username for s in demo.logins] == [*staff, "shopper", "shopper2", "shopper3", "shopper4"]


def test_rerun_without_reset_creates_nothing(demo):
    models = (Organisation, Unit, Person, Customer, Encounter, Response, Invitation)
    before = [m.objects.count() for m in models]
    again = seed_demo(now=NOW, scale=SCALE)
    assert not again.created
    assert [
        m.objects.count() for m in (Organisation, Unit, Person, Customer, Encounter, Response, Invitation)
    ] == before
    assert again.counts == demo.counts
    assert again.counts["people"] == 40


def test_command_prints_the_logins_and_resets(framework):
    out = StringIO()
    call_command("seed_demo", scale=0.02, stdout=out)
    printed = out.getvalue()
    for username in ("admin", "cx", "manager", "employee", "consultant"):
        assert f"\n{username} " in printed
    assert printed.count(DEMO_PASSWORD) == 9  # five staff logins and four mystery shoppers
    first = _bank().pk
    out = StringIO()
    call_command("seed_demo", "--reset", scale=0.02, stdout=out)
    assert _bank().pk != first
    assert Organisation.objects.filter(slug__in=[BANK, CAFE]).count() == 2
    assert Membership.objects.filter(user__username="consultant").count() == 2
