"""Shared fixtures: a real SMTP server (aiosmtpd) and small organisations built through the services."""

import os
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from kohtaamo.feedback.ingest import questionnaire_shapes_forget
from kohtaamo.feedback.models import Round
from kohtaamo.feedback.services import pulse_programme_ensure
from kohtaamo.instruments.services import framework_import
from kohtaamo.organisations.models import (
    Channel,
    Membership,
    Organisation,
    Person,
    ServicePath,
    Stage,
    Touchpoint,
    Unit,
)


class Inbox:
    """Collects every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self._arrived:
            message = message_from_bytes(envelope.original_content)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            if message["Subject"]:  # readable in assertions: "Muistutus: …", not "=?utf-8?q?…"
                message.replace_header("Subject", str(make_header(decode_header(message["Subject"]))))
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list[Message]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return list(self.messages)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(autouse=True)
def mailbox(smtp_server, settings) -> Inbox:
    """Every test sends mail through the real SMTP server; the inbox starts empty."""
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    inbox.clear()
    return inbox


@dataclass
class OrgWorld:
    organisation: Organisation
    region: Unit
    branch: Unit
    other_branch: Unit
    team: Unit
    person: Person  # works in `team` (inside `branch`)
    other_person: Person  # works in `other_branch`
    touchpoint: Touchpoint
    programme: Round
    admin: User
    cx_lead: User
    manager: User  # manages `branch`
    employee: User  # is `person`
    consultant: User


@pytest.fixture
def fresh_shapes():
    """Questionnaire shapes cached by an earlier test (whose rows were rolled back) are forgotten."""
    questionnaire_shapes_forget()
    yield
    questionnaire_shapes_forget()


@pytest.fixture
def framework(db):
    return framework_import()


def build_world(name: str, slug: str) -> OrgWorld:
    organisation = Organisation.objects.create(name=name, slug=slug)
    root = Unit.objects.create(organisation=organisation, name=name, kind=Unit.Kind.ORGANISATION)
    region = Unit.objects.create(organisation=organisation, parent=root, name=f"{name} South", kind=Unit.Kind.REGION)
    branch = Unit.objects.create(organisation=organisation, parent=region, name=f"{name} Centre", kind=Unit.Kind.BRANCH)
    other_branch = Unit.objects.create(
        organisation=organisation, parent=region, name=f"{name} Harbour", kind=Unit.Kind.BRANCH
    )
    team = Unit.objects.create(organisation=organisation, parent=branch, name=f"{name} Centre team")
    path = ServicePath.objects.create(organisation=organisation, name="Home loan")
    stage = Stage.objects.create(service_path=path, name="Loan meeting", order=1)
    touchpoint = Touchpoint.objects.create(
        organisation=organisation, stage=stage, name="Branch meeting", channel=Channel.FACE_TO_FACE, owner_unit=branch
    )

    def login(role: str, **membership) -> User:
        user = User.objects.create_user(f"{slug}-{role}", f"{slug}-{role}@example.org", "pw-" + slug)
        Membership.objects.create(user=user, organisation=organisation, role=role, **membership)
        return user

    person = Person.objects.create(organisation=organisation, unit=team, name=f"{name} Employee", external_id="E1")
    other_person = Person.objects.create(
        organisation=organisation, unit=other_branch, name=f"{name} Other", external_id="E2"
    )
    employee = login(Membership.Role.EMPLOYEE, person=person)
    person.user = employee
    person.save()
    return OrgWorld(
        organisation=organisation,
        region=region,
        branch=branch,
        other_branch=other_branch,
        team=team,
        person=person,
        other_person=other_person,
        touchpoint=touchpoint,
        programme=pulse_programme_ensure(organisation=organisation),
        admin=login(Membership.Role.ADMIN),
        cx_lead=login(Membership.Role.CX_LEAD),
        manager=login(Membership.Role.UNIT_MANAGER, unit=branch),
        employee=employee,
        consultant=login(Membership.Role.CONSULTANT),
    )


@pytest.fixture
def world(framework) -> OrgWorld:
    return build_world("Acme", "acme")


@pytest.fixture
def other_world(framework) -> OrgWorld:
    return build_world("Rival", "rival")


# Debian's Chromium, headless; the flags keep it from reaching for the network at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from .csp_watch import CspWatchingBrowser

    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield CspWatchingBrowser(chromium)
        chromium.close()


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """A browser test fails when any page it opened broke the Content-Security-Policy."""
    watching = "browser" in request.fixturenames
    if watching:
        request.getfixturevalue("browser").violations.take()
    yield
    if watching:
        violations = request.getfixturevalue("browser").violations.take()
        assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Service calls made directly by a test speak English; every request still picks its own language
    (LocaleMiddleware, the invitation's language), so pages are tested in the language they choose."""
    from django.utils import translation

    with translation.override("en"):
        yield
