"""A partner round and an internal-customer round from set-up to the side-by-side view: the e-mails
arrive through the real SMTP server, the answers are given on the respondent page, and the figures
come out right in the page, the CSV and the API."""

import csv
import io
import math
import re

import pytest
from django.urls import reverse
from scipy.stats import t as student_t

from kohtaamo.feedback.models import Invitation, Response
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Person
from kohtaamo.stakeholders.models import InternalService, PartnerOrganisation, StakeholderRound
from kohtaamo.stakeholders.periods import period_containing

from .stakeholders_helpers import page_cells

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = re.compile(r"https?://\S+/r/[\w-]+/")


def org_url(name: str, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"org": "acme", **kwargs})


def answer_survey(client, url: str, level: int) -> None:
    """Answer every scale item at `level` steps below its top (agreement items: 5 - level)."""
    path = url.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in url else re.sub(r"^https?://[^/]+", "", url)
    html = client.get(path).content.decode()
    key = re.search(r'name="key" value="([0-9a-f-]{36})"', html).group(1)
    response = Response.objects.get(invitation__token=path.strip("/").split("/")[-1])
    posted = {"key": key}
    for question in Question.objects.filter(questionnaire_id=response.questionnaire_id, item__isnull=False):
        posted[f"q_{question.pk}"] = str(question.scale_max - level)
    assert client.post(path, posted).status_code == 303


def expected_estimate(values: list[float]) -> tuple[float, float, float]:
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(student_t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean, max(0.0, mean - half), min(100.0, mean + half)


@pytest.mark.django_db
def test_partner_and_internal_rounds_from_set_up_to_side_by_side(client, world, mailbox):
    admin = client
    admin.force_login(world.admin)

    # Partners: one partner of the Centre branch, its contacts from CSV (one without consent).
    page = admin.post(org_url("partners"), {"name": "Tukku Oy", "kind": "supplier", "unit": world.branch.pk}, **EN)
    partner = PartnerOrganisation.objects.get(organisation=world.organisation, name="Tukku Oy")
    assert page.status_code == 302 and partner.unit == world.branch
    rows = "name;email;language;consent\n" + "".join(
        f"Kontakti {i};k{i}@tukku.example;fi;{'yes' if i < 4 else 'no'}\n" for i in range(1, 5)
    )
    upload = io.BytesIO(rows.encode())
    upload.name = "contacts.csv"
    page = admin.post(org_url("partner_import", partner_id=partner.pk), {"file": upload}, **EN)
    assert page.status_code == 302 and partner.contacts.count() == 4

    # Internal customers: the Centre branch serves Harbour's people.
    colleagues = [
        Person.objects.create(
            organisation=world.organisation, unit=world.other_branch, name=f"Colleague {i}", email=f"c{i}@acme.example"
        )
        for i in range(3)
    ]
    page = admin.post(org_url("internal"), {"provider": world.branch.pk, "customer_unit": world.other_branch.pk}, **EN)
    assert page.status_code == 302 and InternalService.objects.filter(provider=world.branch).count() == 1

    # Launch both rounds: three consenting contacts and three colleagues with e-mail get an invitation.
    for audience in ("partner", "internal_customer"):
        page = admin.post(
            org_url("rounds"), {"audience": audience, "unit": world.branch.pk, "expires_after_days": 14}, **EN
        )
        assert page.status_code == 302, page.content.decode()
    messages = mailbox.wait_for(6)
    assert len(messages) == 6
    recipients = sorted(m["To"] for m in messages)
    assert recipients == sorted([f"k{i}@tukku.example" for i in (1, 2, 3)] + [p.email for p in colleagues])
    assert not Invitation.objects.filter(email="k4@tukku.example").exists()  # no consent, no invitation
    roles = dict(
        Invitation.objects.filter(round__stakeholder_round__isnull=False).values_list("email", "respondent_role")
    )
    assert roles["k1@tukku.example"] == "partner" and roles["c0@acme.example"] == "internal_customer"

    # Answer on the respondent page: levels 0, 1, 2 below the top give element scores 100, 75 and 50.
    respondent = client.__class__()
    for message in messages:
        body = message.get_payload()[0].get_payload(decode=True).decode()
        url = URL.search(body).group(0)
        level = int(re.search(r"\d", message["To"]).group(0)) % 3
        answer_survey(respondent, url, level)
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED)
    assert submitted.filter(respondent_role="partner").count() == 3
    assert submitted.filter(respondent_role="internal_customer").count() == 3
    assert not submitted.filter(unit__isnull=False).exists()  # stakeholder answers reach a unit only via the round

    # The side-by-side view: three answers per audience for the Centre branch, and its region and root.
    period = period_containing(moment=submitted.first().submitted_at, time_zone="Europe/Helsinki").code
    html = admin.get(org_url("index"), {"period": period}, **EN).content.decode()
    cells = page_cells(html)
    mean, low, high = expected_estimate([100.0, 75.0, 50.0])
    for unit in (world.branch, world.region):
        for audience in ("partner", "internal_customer"):
            assert cells[(unit.pk, audience, "responses")].startswith("3")
            for metric in ("eqi", "listening", "solution"):
                assert cells[(unit.pk, audience, metric)] == f"{mean:.1f} ({low:.1f}–{high:.1f}) n = 3 *"
        assert cells[(unit.pk, "customer", "eqi")] == "–"
    assert not any(unit == world.other_branch.pk for unit, _a, _m in cells)  # no answers: not listed

    export = admin.get(org_url("export_csv"), {"period": period}).content.decode()
    rows = {(r["unit_id"], r["audience"], r["metric"]): r for r in csv.DictReader(io.StringIO(export))}
    row = rows[(str(world.branch.pk), "internal_customer", "eqi")]
    assert (row["n"], row["value"], row["ci_low"], row["hidden"]) == ("3", "75.00", f"{low:.2f}", "no")

    api = admin.get(f"/api/v1/organisations/acme/stakeholders/side-by-side?period={period}").json()
    branch = next(u for u in api["units"] if u["unit"] == world.branch.pk)
    eqi = branch["audiences"]["partner"]["eqi"]
    assert eqi["n"] == 3 and eqi["value"] == pytest.approx(75) and eqi["ci_low"] == pytest.approx(low)
    assert eqi["indicative"] is True

    # Who answered is nowhere: the rounds page shows counts only.
    rounds_page = admin.get(org_url("rounds"), **EN).content.decode()
    assert "c0@acme.example" not in rounds_page and "Colleague 0" not in rounds_page
    assert StakeholderRound.objects.filter(audience="internal_customer").count() == 1


@pytest.mark.django_db
def test_invitation_e_mail_names_the_survey_and_promises_anonymity(client, world, mailbox):
    client.force_login(world.admin)
    for i in range(3):
        Person.objects.create(
            organisation=world.organisation, unit=world.other_branch, name=f"P{i}", email=f"p{i}@acme.example"
        )
    InternalService.objects.create(organisation=world.organisation, provider=world.branch, customer_unit=world.region)
    page = client.post(
        org_url("rounds"), {"audience": "internal_customer", "unit": world.branch.pk, "expires_after_days": 7}, **EN
    )
    assert page.status_code == 302
    message = mailbox.wait_for(3)[0]
    assert message["Subject"] == "Sisäinen asiakaspalaute: Acme Centre – Acme"
    body = message.get_payload()[0].get_payload(decode=True).decode()
    assert "ryhmissä" in body  # the Finnish anonymity promise of non-customer invitations
