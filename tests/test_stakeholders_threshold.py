"""Internal-customer and partner answers are anonymous "as for 360": a unit's cell is shown only with at
least the threshold, and no hidden cell can be worked out from the shown ones (a parent's subtree
figure minus its shown children, or any other combination), in the page, the CSV and the API alike."""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kohtaamo.stakeholders.periods import period_containing
from kohtaamo.stakeholders.selectors import side_by_side
from kohtaamo.stakeholders.suppression import subtree_counts, tree_cells_shown

from .stakeholders_helpers import answers_add, page_cells, stakeholder_round

IC = "internal_customer"
MOMENT = datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
PERIOD = period_containing(moment=MOMENT, time_zone="Europe/Helsinki")
FEWER = "fewer than 3 answers"
PROTECTS = "hidden to protect another unit’s anonymity"


def derivable(*, hidden: int, shown: set[int], atoms: dict[int, set[int]]) -> bool:
    """Whether the hidden cell's set of answers is a linear combination of the shown cells' sets.
    `atoms` maps each cell to the units whose own answers it covers (only units with answers)."""
    columns = sorted(set().union(*atoms.values()))
    if not columns or not atoms[hidden]:
        return False
    if not shown:
        return False

    def row(cell: int) -> list[int]:
        return [1 if unit in atoms[cell] else 0 for unit in columns]

    known = np.array([row(c) for c in sorted(shown)])
    return np.linalg.matrix_rank(np.vstack([known, row(hidden)])) == np.linalg.matrix_rank(known)


def check_no_hidden_cell_derivable(*, units: list[tuple[int, int | None, str]], own: dict[int, int], shown, threshold):
    counts = subtree_counts(units=[(u, p) for u, _parent, p in units], own=own)
    paths = {u: p for u, _parent, p in units}
    atoms = {u: {v for v, n in own.items() if n and paths[v].startswith(paths[u])} for u in paths}
    for unit in shown:
        assert counts[unit] >= threshold
    for unit, _parent, _path in units:
        if unit not in shown and counts.get(unit, 0) > 0:
            assert not derivable(hidden=unit, shown=set(shown), atoms=atoms), (unit, own, shown)
    # Every shown unit minus its shown children leaves nothing or a pool of at least the threshold.
    for unit in shown:
        children = [u for u, parent, _p in units if parent == unit and u in shown]
        pool = counts[unit] - sum(counts[c] for c in children)
        assert pool == 0 or pool >= threshold


@st.composite
def trees(draw):
    size = draw(st.integers(1, 9))
    parents: list[int | None] = [None]
    for i in range(1, size):
        parents.append(draw(st.one_of(st.none(), st.integers(0, i - 1))) if i < 2 else draw(st.integers(0, i - 1)))
    paths: dict[int, str] = {}
    units = []
    for i, parent in enumerate(parents):
        paths[i] = (paths[parent] if parent is not None else "/") + f"{i}/"
        units.append((i, parent, paths[i]))
    own = {i: draw(st.integers(0, 6)) for i in range(size)}
    return units, own


@given(tree=trees(), threshold=st.integers(0, 5))
def test_tree_suppression_leaves_no_hidden_cell_derivable(tree, threshold):
    units, own = tree
    effective = max(threshold, 3)
    shown = tree_cells_shown(units=units, own=own, threshold=threshold)
    check_no_hidden_cell_derivable(units=units, own=own, shown=shown, threshold=effective)
    # Nothing is hidden needlessly when every non-empty unit alone meets the threshold.
    if all(n == 0 or n >= effective for n in own.values()):
        counts = subtree_counts(units=[(u, p) for u, _parent, p in units], own=own)
        assert shown == {u for u, n in counts.items() if n > 0}


def test_a_parent_minus_its_shown_child_never_reveals_a_small_unit():
    # root > region > {branch (4), harbour (2)}: showing the region (6) and the branch (4) would reveal
    # the harbour's 2 answers, so the branch is hidden too.
    units = [(1, None, "/1/"), (2, 1, "/1/2/"), (3, 2, "/1/2/3/"), (4, 2, "/1/2/4/")]
    assert tree_cells_shown(units=units, own={3: 4, 4: 2}, threshold=3) == {1, 2}
    assert tree_cells_shown(units=units, own={3: 4, 4: 3}, threshold=3) == {1, 2, 3, 4}
    # The region's own answers (3) already make the remainder large enough: the branch may be shown.
    assert tree_cells_shown(units=units, own={2: 3, 3: 4, 4: 2}, threshold=3) == {1, 2, 3}
    assert tree_cells_shown(units=units, own={3: 2}, threshold=3) == set()


# -- the same rule in the page, the CSV and the API ----------------------------------------------------


@pytest.fixture
def rounds(world):
    units = [world.region.parent, world.region, world.branch, world.other_branch, world.team]
    return {unit.pk: stakeholder_round(world, unit=unit, audience=IC, now=MOMENT) for unit in units}


def _tree(world):
    return [(u.pk, u.parent_id, u.path) for u in world.organisation.units.order_by("path")]


def fetch_everywhere(client) -> tuple[dict, dict, dict]:
    """The internal-customer cells of the page, the CSV and the API, keyed (unit, metric)."""
    html = client.get(f"/o/acme/stakeholders/?period={PERIOD.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = {(unit, m): text for (unit, audience, m), text in page_cells(html).items() if audience == IC}
    export = client.get(f"/o/acme/stakeholders/side-by-side.csv?period={PERIOD.code}").content.decode()
    rows = {(int(r["unit_id"]), r["metric"]): r for r in csv.DictReader(io.StringIO(export)) if r["audience"] == IC}
    api = client.get(f"/api/v1/organisations/acme/stakeholders/side-by-side?period={PERIOD.code}").json()
    cells = {}
    for unit in api["units"]:
        audience = unit["audiences"][IC]
        cells[(unit["unit"], "responses")] = audience["responses"]
        cells[(unit["unit"], "eqi")] = audience["eqi"]
        cells.update({(unit["unit"], code): cell for code, cell in audience["elements"].items()})
    return page, rows, cells


def of_metric(cells: dict, metric: str) -> dict:
    return {unit: cell for (unit, m), cell in cells.items() if m == metric}


def shown_everywhere(client, world, metric: str) -> tuple[dict, dict, dict]:
    return tuple(of_metric(cells, metric) for cells in fetch_everywhere(client))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(0, 5), min_size=5, max_size=5), data=st.data())
def test_no_hidden_unit_cell_is_derivable_from_page_csv_or_api(client, world, rounds, sizes, data):
    client.force_login(world.admin)
    threshold = world.organisation.anonymity_threshold
    with transaction.atomic():
        values = {
            unit_id: [data.draw(st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0])) for _ in range(size)]
            for unit_id, size in zip(rounds, sizes, strict=True)
        }
        answers_add([(rounds[u], v) for u, v in values.items()], submitted_at=MOMENT)
        own = {u: len(v) for u, v in values.items()}
        tree = _tree(world)
        counts = subtree_counts(units=[(u, p) for u, _parent, p in tree], own=own)
        paths = {u: p for u, _parent, p in tree}
        everywhere = fetch_everywhere(client)
        for metric in ("eqi", "listening", "responses"):
            page, rows, api = (of_metric(cells, metric) for cells in everywhere)
            hidden_page = {u for u, text in page.items() if text in (FEWER, PROTECTS)}
            # The label tells the truth: "fewer than" only where the unit's own subtree is under the threshold.
            for unit, text in page.items():
                if text in (FEWER, PROTECTS):
                    assert (text == FEWER) == (counts[unit] < threshold), (unit, text, counts[unit])
            hidden_csv = {u for u, r in rows.items() if r["hidden"] == "yes"}
            hidden_api = {u for u, cell in api.items() if cell["hidden"]}
            assert hidden_page == hidden_csv == hidden_api
            shown = {u for u in paths if counts.get(u, 0) > 0 and u not in hidden_api}
            check_no_hidden_cell_derivable(units=tree, own=own, shown=shown, threshold=threshold)
            for unit in shown:
                assert api[unit]["n"] == counts[unit] and rows[unit]["n"] == str(counts[unit])
                if metric != "responses":
                    covered = [v for u, vs in values.items() if paths[u].startswith(paths[unit]) for v in vs]
                    assert api[unit]["value"] == pytest.approx(sum(covered) / len(covered))
            for unit in hidden_api:
                # A hidden cell says nothing, not even its n.
                reason = "below_threshold" if counts.get(unit, 0) < threshold else "protects_other_unit"
                assert rows[unit]["hidden_reason"] == reason
                assert api[unit] == {
                    "hidden": True,
                    "hidden_reason": reason,
                    "n": None,
                    "value": None,
                    "ci_low": None,
                    "ci_high": None,
                    "indicative": None,
                }
                assert rows[unit]["n"] == rows[unit]["value"] == ""
                assert "n =" not in page[unit]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_small_units_are_hidden_with_the_fewer_than_label(client, world, rounds):
    # Centre 4 (its team 0), Harbour 2: Harbour is hidden, so Centre is hidden too (else region − Centre = Harbour).
    answers_add(
        [(rounds[world.branch.pk], [100.0] * 4), (rounds[world.other_branch.pk], [0.0, 50.0])], submitted_at=MOMENT
    )
    client.force_login(world.admin)
    page, rows, api = shown_everywhere(client, world, "eqi")
    assert page[world.region.pk] == "75.0 (31.1–100.0) n = 6 *"
    # Harbour has too few answers; Centre has enough but is hidden only so that Harbour cannot be worked out.
    assert page[world.other_branch.pk] == FEWER
    assert page[world.branch.pk] == PROTECTS
    assert world.team.pk not in page  # no answers at all: not listed
    assert api[world.region.pk]["n"] == 6 and api[world.region.pk]["value"] == pytest.approx(75)
    assert rows[world.branch.pk]["hidden"] == "yes" and api[world.branch.pk]["hidden"]
    assert rows[world.branch.pk]["hidden_reason"] == api[world.branch.pk]["hidden_reason"] == "protects_other_unit"
    assert rows[world.other_branch.pk]["hidden_reason"] == "below_threshold"


@pytest.mark.django_db
def test_the_pdf_hides_what_the_page_hides(client, world, rounds):
    answers_add(
        [(rounds[world.branch.pk], [100.0] * 4), (rounds[world.other_branch.pk], [0.0, 50.0])], submitted_at=MOMENT
    )
    client.force_login(world.admin)
    reply = client.get(f"/o/acme/stakeholders/side-by-side.pdf?period={PERIOD.code}", HTTP_ACCEPT_LANGUAGE="en")
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(reply.content)).pages)
    assert "75.0 (31.1–100.0) n = 6" in text  # the region, as on the page
    assert text.count(FEWER) >= 7  # Harbour: answers, EQI and five elements
    assert text.count(PROTECTS) >= 7  # Centre, hidden to protect Harbour
    assert "n = 4" not in text and "n = 2" not in text
    assert client.get("/o/acme/stakeholders/side-by-side.pdf?period=2025-Q9").status_code == 400


@pytest.mark.django_db
def test_a_raised_threshold_hides_more(client, world, rounds):
    world.organisation.anonymity_threshold = 5
    world.organisation.save()
    answers_add([(rounds[world.branch.pk], [100.0] * 4)], submitted_at=MOMENT)
    report = side_by_side(scope=_admin_scope(world), period=PERIOD)
    cells = {row.unit.pk: row.audiences[IC].eqi for row in report.rows}
    assert all(cell.hidden for cell in cells.values() if cell.hidden or cell.n)
    assert cells[world.branch.pk].hidden and cells[world.region.pk].hidden


@pytest.mark.django_db
def test_a_unit_manager_sees_the_same_decisions_for_their_subtree(client, world, rounds):
    answers_add(
        [(rounds[world.branch.pk], [100.0] * 4), (rounds[world.other_branch.pk], [0.0, 50.0])], submitted_at=MOMENT
    )
    client.force_login(world.manager)
    html = client.get(f"/o/acme/stakeholders/?period={PERIOD.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cells = {unit for (unit, _a, _m) in page_cells(html)}
    assert cells == {world.branch.pk}  # the region and Harbour are outside the scope; the team has no answers
    # The branch alone meets the threshold, but the organisation-wide decision hides it for everyone.
    assert page_cells(html)[(world.branch.pk, IC, "eqi")] == PROTECTS


def _admin_scope(world):
    from kohtaamo.organisations.selectors import scope_for

    return scope_for(user=world.admin, organisation_slug="acme")


@pytest.mark.django_db
def test_customer_cells_are_not_a_rater_group_and_count_by_encounter_unit(client, world):
    from kohtaamo.feedback.models import Response

    for eqi in (80.0, 60.0):
        Response.objects.create(
            organisation=world.organisation,
            round=world.programme,
            questionnaire=world.programme.questionnaire,
            respondent_role="customer",
            unit=world.team,
            status=Response.Status.SUBMITTED,
            submitted_at=MOMENT,
            eqi=eqi,
        )
    client.force_login(world.admin)
    page, rows, api = shown_everywhere(client, world, "eqi")  # internal customers: nothing anywhere
    assert set(page.values()) == {"–"} and not any(cell["hidden"] or cell["n"] for cell in api.values())
    html = client.get(f"/o/acme/stakeholders/?period={PERIOD.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cells = page_cells(html)
    # Two answers: shown (customers are not anonymous raters), flagged as indicative, with a t-interval.
    assert cells[(world.team.pk, "customer", "eqi")] == "70.0 (0.0–100.0) n = 2 *"
    assert cells[(world.region.pk, "customer", "responses")] == "2 *"
    assert cells[(world.team.pk, "internal_customer", "eqi")] == "–"


ROUND_ROW = re.compile(
    r'<th scope="row">(?P<unit>[^<]*)</th><td>(?P<audience>[^<]*)</td>.*?data-answered>(?P<answered>.*?)</td>'
)


@pytest.mark.django_db
def test_rounds_page_shows_only_fewer_than_the_threshold_for_anonymous_rounds(client, world, rounds):
    partner_round = stakeholder_round(world, unit=world.team, audience="partner", now=MOMENT)
    answers_add(
        [
            (rounds[world.branch.pk], [100.0] * 4),
            (rounds[world.other_branch.pk], [0.0, 50.0]),
            (rounds[world.team.pk], [50.0] * 3),
            (partner_round, [75.0]),
        ],
        submitted_at=MOMENT,
    )
    client.force_login(world.admin)
    html = client.get("/o/acme/stakeholders/rounds/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    answered = {
        (m["unit"].split("›")[-1].strip(), m["audience"]): " ".join(re.sub(r"<[^>]+>", " ", m["answered"]).split())
        for m in ROUND_ROW.finditer(html)
    }
    assert answered[(world.branch.name, "Internal customers")] == "4"
    assert answered[(world.team.name, "Internal customers")] == "3"  # exactly the threshold: shown
    assert answered[(world.other_branch.name, "Internal customers")] == "fewer than 3"
    assert answered[(world.region.name, "Internal customers")] == "fewer than 3"  # none yet
    assert answered[(world.team.name, "Partners")] == "fewer than 3"
    assert "until a round has 3 answers" in html
