"""The threshold rule for the staff pulse: small units hidden, and no hidden unit derivable from the
shown figures (a parent's total minus its shown children), in the page, the CSV and the API alike."""

import csv
import io
import itertools

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kohtaamo.organisations.selectors import scope_for
from kohtaamo.staffexperience.selectors import staff_results
from kohtaamo.staffexperience.suppression import rolled_up, units_shown

from .staffexperience_helpers import add_sheets, child_units, make_period


def _derivable_small_group(*, shown_paths: list[str], direct: dict[str, int], threshold: int) -> bool:
    """Brute force: does any combination (coefficients −1, 0, 1) of shown subtree counts single out a
    set of units with between 1 and threshold − 1 answers?"""
    atoms = [path for path, n in direct.items() if n > 0]
    vectors = [[1 if atom.startswith(path) else 0 for atom in atoms] for path in shown_paths]
    for coefficients in itertools.product((-1, 0, 1), repeat=len(vectors)):
        combined = [sum(c * v[i] for c, v in zip(coefficients, vectors, strict=True)) for i in range(len(atoms))]
        if all(x in (0, 1) for x in combined):
            weight = sum(direct[a] for a, x in zip(atoms, combined, strict=True) if x)
            if 0 < weight < threshold:
                return True
    return False


@st.composite
def trees(draw):
    size = draw(st.integers(1, 7))
    paths = {0: "/0/"}
    for node in range(1, size):
        parent = draw(st.integers(0, node - 1))
        paths[node] = f"{paths[parent]}{node}/"
    direct = {node: draw(st.integers(0, 6)) for node in paths}
    return paths, direct


@settings(max_examples=300, deadline=None)
@given(tree=trees(), threshold=st.integers(0, 5))
def test_no_hidden_unit_is_derivable_from_the_shown_units(tree, threshold):
    paths, direct = tree
    shown = units_shown(paths=paths, direct=direct, threshold=threshold)
    effective = max(threshold, 3)
    totals = rolled_up(paths=paths, direct=direct)
    assert all(totals[u] >= effective for u in shown)
    assert not _derivable_small_group(
        shown_paths=[paths[u] for u in shown], direct={paths[u]: n for u, n in direct.items()}, threshold=effective
    )
    # Nothing is hidden needlessly where every unit's own answers meet the threshold on their own.
    if all(n >= effective for n in direct.values()):
        assert shown == set(paths)


def test_a_hidden_unit_below_a_shown_parent_takes_a_sibling_with_it():
    # Region (0) > branch (1) with teams (2: 5 answers, 3: 5 answers) and a small branch (4: 2 answers).
    paths = {0: "/0/", 1: "/0/1/", 2: "/0/1/2/", 3: "/0/1/3/", 4: "/0/4/"}
    direct = {0: 0, 1: 0, 2: 5, 3: 5, 4: 2}
    shown = units_shown(paths=paths, direct=direct, threshold=3)
    # Showing both teams and the region would reveal the small branch as region − teams.
    assert shown == {0, 3}


# -- through the page, the CSV and the API -----------------------------------------------------------


def _csv_cells(client, org: str) -> dict[int, int | None]:
    body = client.get(reverse("staffexperience:export_csv", kwargs={"org": org})).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    return {int(r["unit_id"]): (int(r["n"]) if r["shown"] == "yes" else None) for r in rows}


def _api_cells(client, org: str) -> dict[int, int | None]:
    data = client.get(f"/api/v1/organisations/{org}/staff-pulse/results").json()
    (period,) = data["periods"]
    return {u["unit"]: (None if u["hidden"] else u["index"]["n"]) for u in period["units"]}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(0, 5), min_size=5, max_size=5))
def test_csv_and_api_never_let_a_hidden_unit_be_worked_out(client, world, sizes):
    units = [world.region.parent, world.region, world.branch, world.team, world.other_branch]
    client.force_login(world.admin)
    with transaction.atomic():
        period = make_period(world.organisation, 2026, 1)
        for unit, size in zip(units, sizes, strict=True):
            add_sheets(period, unit, [(3 + i % 3,) for i in range(size)])
        from_csv = _csv_cells(client, "acme")
        from_api = _api_cells(client, "acme")
        assert from_csv == from_api
        direct = {unit.path: size for unit, size in zip(units, sizes, strict=True)}
        shown_paths = [u.path for u in units if from_csv[u.pk] is not None]
        for unit in units:
            if from_csv[unit.pk] is not None:
                assert from_csv[unit.pk] == sum(n for path, n in direct.items() if path.startswith(unit.path)) >= 3
        assert not _derivable_small_group(shown_paths=shown_paths, direct=direct, threshold=3)
        transaction.set_rollback(True)


@pytest.fixture
def period(world):
    """Root 0, region 0, Centre branch 4, its team 4, Harbour 2: Harbour is small, so showing the region
    and the Centre branch would let Harbour be worked out (region − Centre); the Centre branch gives way,
    and region − team leaves 6 answers (Centre's own and Harbour's) that no shown figure separates."""
    period = make_period(world.organisation, 2026, 2)
    add_sheets(period, world.branch, [(5,), (5,), (4,), (4,)], comment="Kiitos tiimille")
    add_sheets(period, world.team, [(2,), (3,), (3,), (4,)], comment="Enemmän aikaa asiakkaille")
    add_sheets(period, world.other_branch, [(1,), (2,)], comment="Pieni yksikkö")
    return period


def test_results_hide_small_units_and_their_complement(world, period):
    results = staff_results(scope=scope_for(user=world.admin, organisation_slug="acme"))
    cells = {row.unit.pk: row.cells[period.pk] for row in results.rows}
    assert cells[world.other_branch.pk].hidden
    assert not cells[world.region.pk].hidden and cells[world.region.pk].n == 10
    assert cells[world.branch.pk].hidden
    assert not cells[world.team.pk].hidden and cells[world.team.pk].n == 4
    # The team's answers 2, 3, 3, 4 on 1–5 are 25, 50, 50, 75 on 0–100.
    team = cells[world.team.pk]
    assert team.index.value == pytest.approx(50)
    assert team.items["meaning"].agree.value == pytest.approx(25)
    assert team.items["meaning"].mean.value == pytest.approx(3)
    region = cells[world.region.pk]
    assert region.index.value == pytest.approx((100 * 2 + 75 * 2 + 25 + 50 * 2 + 75 + 0 + 25) / 10)


def test_page_shows_the_same_cells_and_comments_only_with_shown_groups(client, world, period):
    client.force_login(world.cx_lead)
    page = client.get(reverse("staffexperience:index", kwargs={"org": "acme"}), headers={"accept-language": "en"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "n = 10" in text and "n = 4" in text
    assert "n = 8" not in text and "n = 2" not in text
    # Centre's and Harbour's comments are shown with their nearest shown unit (the region), never their own.
    comments = text.split('id="comments-heading"')[1]
    assert (
        comments.index("Acme South</h3>") < comments.index("Kiitos tiimille") < comments.index("Acme Centre team</h3>")
    )
    assert comments.index("Acme South</h3>") < comments.index("Pieni yksikkö") < comments.index("Acme Centre team</h3>")
    assert comments.index("Acme Centre team</h3>") < comments.index("Enemmän aikaa asiakkaille")
    assert "Acme Centre</h3>" not in comments and "Acme Harbour</h3>" not in comments


def _pdf_text(client, org: str, **query) -> str:
    reply = client.get(
        reverse("staffexperience:results_pdf", kwargs={"org": org}), query, headers={"accept-language": "en"}
    )
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(reply.content)).pages)


def test_pdf_shows_the_page_cells_and_comments_under_the_same_plan(client, world, period):
    client.force_login(world.cx_lead)
    text = _pdf_text(client, "acme", period=period.pk)
    assert period.label in text
    assert "n = 10" in text and "n = 4" in text
    assert "n = 8" not in text and "n = 2" not in text
    assert "hidden" in text
    # Comments only under shown units: the region's before the team's, the team's own after its heading.
    comments = text.split("Comments", 1)[1]
    assert comments.index("Kiitos tiimille") < comments.index("Enemmän aikaa asiakkaille")
    client.force_login(world.manager)  # a unit manager's PDF keeps to their subtree, with the same plan
    text = _pdf_text(client, "acme")
    assert "n = 4" in text and "n = 10" not in text and "Acme South" not in text


def test_unit_manager_sees_only_their_subtree_with_the_same_plan(client, world, period):
    client.force_login(world.manager)
    cells = _csv_cells(client, "acme")
    assert set(cells) == {world.branch.pk, world.team.pk}
    assert cells == {world.branch.pk: None, world.team.pk: 4}


def test_raised_threshold_hides_more(world, period):
    world.organisation.anonymity_threshold = 9
    world.organisation.save()
    results = staff_results(scope=scope_for(user=world.admin, organisation_slug="acme"))
    shown = {row.unit.pk for row in results.rows if not row.cells[period.pk].hidden}
    assert shown == {world.region.pk, world.region.parent.pk}


@pytest.mark.parametrize("who", ["employee"])
def test_employees_see_no_staff_results(client, world, period, who):
    client.force_login(getattr(world, who))
    for name in ("index", "export_csv", "results_pdf", "chain"):
        assert client.get(reverse(f"staffexperience:{name}", kwargs={"org": "acme"})).status_code == 403
    assert client.get("/api/v1/organisations/acme/staff-pulse/results").status_code == 403


def test_other_organisation_reads_nothing(client, world, other_world, period):
    client.force_login(other_world.admin)
    for name in ("index", "export_csv", "results_pdf", "chain", "schedule"):
        assert client.get(reverse(f"staffexperience:{name}", kwargs={"org": "acme"})).status_code == 404
    for route in ("results", "periods", "chain"):
        assert client.get(f"/api/v1/organisations/acme/staff-pulse/{route}").status_code == 404
    # Their own pages show none of acme's units.
    body = client.get(reverse("staffexperience:export_csv", kwargs={"org": "rival"})).content.decode()
    assert "Acme" not in body


def test_query_counts_are_pinned(client, world, period, django_assert_max_num_queries):
    for month in (3, 4, 5):
        later = make_period(world.organisation, 2026, month)
        add_sheets(later, world.branch, [(4,)] * 5)
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("staffexperience:index", kwargs={"org": "acme"})).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("staffexperience:export_csv", kwargs={"org": "acme"})).status_code == 200
    with django_assert_max_num_queries(16):  # one of them: whether any outcomes are imported
        assert client.get(reverse("staffexperience:chain", kwargs={"org": "acme"})).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/organisations/acme/staff-pulse/results").status_code == 200


def test_rows_follow_the_tree_whatever_the_unit_ids(world, period):
    extra = child_units(world, 9)  # ids in two digits: "/1/2/12/" sorts before "/1/2/3/" as text
    results = staff_results(scope=scope_for(user=world.admin, organisation_slug="acme"))
    order = [row.unit for row in results.rows]
    assert order[:5] == [world.region.parent, world.region, world.branch, world.team, world.other_branch]
    assert order[5:] == extra
