"""The theme view's example comments (by breakdown cell, above the anonymity threshold, in the viewer's
scope, unattributed) and its emotions table."""

import re
from zoneinfo import ZoneInfo

from django.utils import timezone

from kohtaamo.feedback.models import RespondentRole, Response
from kohtaamo.organisations.models import Channel
from kohtaamo.textanalytics.services import comments_analyse

from .test_textanalytics_comments import ENGLISH, respond

TEAM_WAITS = (
    "Jonotin tunnin, aivan liian kauan.",
    "Jono oli pitkä ja odotin puoli tuntia.",
    "Odotin vain hetken, nopeaa palvelua!",
    "Jonotin pitkään ennen kuin pääsin asiakaspalveluun.",
)
HARBOUR_WAITS = ("Satamassa jonotin kauan.", "Satamassa odotin tunnin.")


def _examples_section(html: str) -> str:
    match = re.search(r'<section class="card" aria-labelledby="examples-heading".*?</section>', html, re.S)
    assert match, "no example comments section"
    return match.group(0)


def _seed(world):
    for i, text in enumerate(TEAM_WAITS):
        respond(world, text, days_ago=3 + i, channel=Channel.PHONE)
    for i, text in enumerate(HARBOUR_WAITS):
        respond(world, text, days_ago=4 + i, unit=world.other_branch)
    comments_analyse(organisation_id=world.organisation.pk)


def test_examples_follow_the_chosen_cell_and_the_anonymity_threshold(client, world):
    world.organisation.anonymity_threshold = 4
    world.organisation.save()
    _seed(world)
    client.force_login(world.cx_lead)

    # The team's cell: 4 comments, at the organisation's threshold of 4, so shown; only the team's.
    page = client.get(f"/o/acme/texts/?by=unit&theme=waiting_time&cell={world.team.pk}", **ENGLISH)
    examples = page.context["examples"]
    assert (examples.n, examples.threshold, examples.hidden) == (4, 4, False)
    assert sorted(c.text for c in examples.comments) == sorted(TEAM_WAITS)
    section = _examples_section(page.content.decode())
    assert "Example comments: Waiting time in Acme Centre team" in section
    assert "Satamassa" not in section
    # Never who said it: no person, customer or exact date, only the month.
    assert world.person.name not in section and "E1" not in section
    assert timezone.localdate().strftime("%Y") in section
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{4}", section)

    # The harbour's cell: 2 comments, under 4: hidden, and the page says why.
    page = client.get(f"/o/acme/texts/?by=unit&theme=waiting_time&cell={world.other_branch.pk}", **ENGLISH)
    assert page.context["examples"].hidden and page.context["examples"].comments == []
    section = _examples_section(page.content.decode())
    assert "Satamassa" not in section
    assert "Only 2 comments on this theme here" in section
    assert "at least 4, your organisation's anonymity threshold" in section

    # The theme's links in the table lead to each cell's examples.
    html = page.content.decode()
    assert f"?by=unit&amp;theme=waiting_time&amp;cell={world.team.pk}#examples-heading" in html

    # By channel: the team's comments came by phone, the harbour's face to face.
    page = client.get("/o/acme/texts/?by=channel&theme=waiting_time&cell=phone", **ENGLISH)
    assert sorted(c.text for c in page.context["examples"].comments) == sorted(TEAM_WAITS)
    page = client.get("/o/acme/texts/?by=channel&theme=waiting_time&cell=face_to_face", **ENGLISH)
    assert page.context["examples"].n == 2 and page.context["examples"].hidden

    # By month: this month's or last month's cell holds them all; a month without comments has none.
    overall = client.get("/o/acme/texts/?theme=waiting_time", **ENGLISH).context["examples"]
    assert (overall.n, len(overall.comments)) == (6, 5)  # the latest 5 shown
    table = client.get("/o/acme/texts/?by=period&theme=waiting_time", **ENGLISH).context["table"]
    cells = {table.params[key]: cell.n for key, cell in table.rows[0].cells.items()}
    assert sum(cells.values()) == 6
    for month, n in cells.items():
        page = client.get(f"/o/acme/texts/?by=period&theme=waiting_time&cell={month}", **ENGLISH)
        assert page.context["examples"].n == n
        assert len(page.context["examples"].comments) == (min(n, 5) if n >= 4 else 0)
    empty = client.get("/o/acme/texts/?by=period&theme=waiting_time&cell=2001-01", **ENGLISH).context["examples"]
    assert (empty.n, empty.comments) == (0, [])
    # A value that names no cell shows nothing rather than an error.
    assert client.get("/o/acme/texts/?by=unit&theme=waiting_time&cell=x", **ENGLISH).context["examples"].n == 0


def test_examples_keep_the_viewers_scope(client, world):
    _seed(world)
    respond(world, "Jonotin kauan, mutta tämä on henkilöstön kommentti.", role=RespondentRole.STAFF)
    comments_analyse(organisation_id=world.organisation.pk)
    # The manager of the branch (team inside it) sees the team's comments, never the harbour's,
    # even when asking for the harbour's cell by its id.
    client.force_login(world.manager)
    page = client.get("/o/acme/texts/?theme=waiting_time", **ENGLISH)
    assert page.context["examples"].n == 4
    assert sorted(c.text for c in page.context["examples"].comments) == sorted(TEAM_WAITS)
    page = client.get(f"/o/acme/texts/?by=unit&theme=waiting_time&cell={world.other_branch.pk}", **ENGLISH)
    assert page.context["examples"].n == 0 and "Satamassa" not in page.content.decode()
    assert "henkilöstön" not in page.content.decode()


def test_emotions_by_breakdown_with_translated_labels(client, world):
    respond(world, "Olen todella pettynyt palveluun.", channel=Channel.PHONE)
    respond(world, "Pettymys, kukaan ei auttanut.", channel=Channel.PHONE)
    respond(world, "Olen pettynyt hintaan.", unit=world.other_branch)
    respond(world, "Kiitos paljon avusta!", unit=world.other_branch)
    respond(world, "Olen pettynyt johtoon.", role=RespondentRole.STAFF)
    comments_analyse(organisation_id=world.organisation.pk)
    client.force_login(world.cx_lead)

    emotions = client.get("/o/acme/texts/?by=unit", **ENGLISH).context["emotions"]
    rows = {row.code: row for row in emotions.rows}
    assert rows["disappointment"].n == 3  # the staff comment is never analysed
    assert rows["disappointment"].cells == {world.team.pk: 2, world.other_branch.pk: 1}
    assert rows["gratitude"].cells == {world.other_branch.pk: 1}

    by_channel = client.get("/o/acme/texts/?by=channel", **ENGLISH).context["emotions"]
    rows = {row.code: row for row in by_channel.rows}
    assert rows["disappointment"].cells == {"phone": 2, "face_to_face": 1}

    html = client.get("/o/acme/texts/?by=unit", **ENGLISH).content.decode()
    row = re.search(r'<tr data-emotion="disappointment">.*?</tr>', html, re.S).group(0)
    assert "Disappointment" in row and "n=3" in row and "n=2" in row
    finnish = client.get("/o/acme/texts/?by=unit", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    row = re.search(r'<tr data-emotion="disappointment">.*?</tr>', finnish, re.S).group(0)
    assert "Pettymys" in row

    # A manager's emotions are their subtree's only.
    client.force_login(world.manager)
    rows = {r.code: r for r in client.get("/o/acme/texts/", **ENGLISH).context["emotions"].rows}
    assert rows["disappointment"].n == 2 and "gratitude" not in rows


def test_breakdown_headers_are_names_people_read(client, world):
    from kohtaamo.organisations.models import Unit
    from kohtaamo.organisations.selectors import scope_from_organisation
    from kohtaamo.textanalytics.selectors import theme_table

    # Two teams called "Service desk", under different branches: each is shown with its branch.
    desks = [
        Unit.objects.create(organisation=world.organisation, parent=parent, name="Service desk", kind=Unit.Kind.TEAM)
        for parent in (world.branch, world.other_branch)
    ]
    for desk in desks:
        respond(world, "Jonotin tunnin, aivan liian kauan.", unit=desk, channel=Channel.FACE_TO_FACE)
    respond(world, "Jono oli pitkä ja odotin puoli tuntia.", channel=Channel.PHONE, days_ago=40)
    comments_analyse(organisation_id=world.organisation.pk)
    scope = scope_from_organisation(organisation=world.organisation)
    units = dict(theme_table(scope=scope, by="unit").groups)
    assert units[desks[0].pk] == f"{world.branch.name} › Service desk"
    assert units[desks[1].pk] == f"{world.other_branch.name} › Service desk"
    assert units[world.team.pk] == world.team.name  # a unique name needs no parent
    client.force_login(world.cx_lead)
    html = client.get("/o/acme/texts/?by=channel", **ENGLISH).content.decode()
    headers = re.findall(r'<th scope="col" class="num">([^<]*)</th>', html)
    assert "Phone" in headers and "Face to face" in headers and "phone" not in headers and "" not in headers
    finnish = client.get("/o/acme/texts/?by=channel", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Puhelin" in re.findall(r'<th scope="col" class="num">([^<]*)</th>', finnish)
    months = [label for _key, label in theme_table(scope=scope, by="period").groups]
    latest = Response.objects.latest("submitted_at").submitted_at.astimezone(ZoneInfo(world.organisation.time_zone))
    assert months[-1] == f"{latest.month}/{latest.year}" and all(re.fullmatch(r"\d{1,2}/\d{4}", m) for m in months)
    assert '<div class="table-scroll"><table class="figures" id="theme-table">' in html
