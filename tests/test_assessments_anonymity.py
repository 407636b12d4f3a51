"""Property tests: no report, export or API answer of a 360 round ever shows a rater group under the
threshold, and no two released figures isolate fewer than `threshold` raters (differencing)."""

import csv
import io
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kohtaamo.assessments.models import Participant, Release, ReleaseFigure
from kohtaamo.assessments.presentation import report_csv, report_public
from kohtaamo.assessments.releasing import ALL_OTHERS, EXEMPT, candidate_members, members_safe, report_release
from kohtaamo.assessments.selectors import team_report
from kohtaamo.feedback.models import Response
from kohtaamo.feedback.responding import response_record
from kohtaamo.instruments.models import Question
from kohtaamo.organisations.models import Person
from kohtaamo.organisations.selectors import scope_from_organisation

from .assessments_helpers import make_round

ROLES = ("self", "supervisor", "colleague", "direct_report", "customer")
EXEMPT_ROLES = ("self", "supervisor")

# A history: batches of newly arrived answers, each a list of roles; a release is tried after each batch.
arrivals = st.lists(
    st.lists(st.sampled_from(ROLES), min_size=0, max_size=6),
    min_size=1,
    max_size=6,
)


def _check_release_sets(releases: list[dict[str, frozenset[int]]], exempt_ids: set[int], threshold: int) -> None:
    def anonymous(ids):
        return frozenset(ids) - exempt_ids

    for release in releases:
        for key, ids in release.items():
            if key in EXEMPT:
                continue
            size = len(anonymous(ids))
            # A group is shown with >= threshold anonymous answers; the pool may be the supervisor alone.
            assert size >= threshold or (key == ALL_OTHERS and size == 0), (key, size)
    for older, newer in itertools.combinations(releases, 2):
        for (ka, a), (kb, b) in itertools.product(older.items(), newer.items()):
            if ka in EXEMPT or kb in EXEMPT:
                continue
            a, b = anonymous(a), anonymous(b)
            if a < b:
                assert len(b - a) >= threshold, (ka, kb, a, b)
            if b < a:
                assert len(a - b) >= threshold, (ka, kb, a, b)


@settings(max_examples=200, deadline=None)
@given(history=arrivals, threshold=st.integers(min_value=3, max_value=5))
def test_released_groups_never_fall_under_the_threshold_nor_isolate_late_answers(history, threshold):
    by_role: dict[str, set[int]] = {}
    previous: list[dict[str, list[int]]] = []
    released: list[dict[str, frozenset[int]]] = []
    next_id = itertools.count(1)
    for batch in history:
        for role in batch:
            if role in EXEMPT_ROLES and by_role.get(role):
                continue  # one self and one supervisor per person
            by_role.setdefault(role, set()).add(next(next_id))
        candidate, _hidden = candidate_members(by_role=by_role, threshold=threshold)
        members, _frozen = members_safe(candidate=candidate, previous=previous, threshold=threshold)
        if previous and members == {k: frozenset(v) for k, v in previous[0].items()}:
            continue  # nothing new could be released
        previous.insert(0, {k: sorted(v) for k, v in members.items()})
        released.append(members)
    exempt_ids = set().union(*(by_role.get(r, set()) for r in EXEMPT_ROLES))
    _check_release_sets(released, exempt_ids, threshold)


# -- the same, end to end through the database: report, CSV export, API answer and team report ----


@pytest.fixture
def round_for_two(world):
    second = Person.objects.create(
        organisation=world.organisation, unit=world.team, name="Second", email="s@example.org"
    )
    assessment = make_round(world, subjects=[world.person, second])
    questions = list(Question.objects.filter(questionnaire=assessment.questionnaire_other).order_by("order"))
    return assessment, questions


def _respond(assessment, questions, person, role, value, comment):
    answers = {q.pk: (value if q.kind == Question.Kind.ITEM else comment) for q in questions}
    response_record(
        round=assessment.round,
        answers=answers,
        language="en",
        respondent_role=role,
        context={"subject_person_id": person.pk},
    )


def _assert_output_respects_threshold(release: Release, threshold: int) -> None:
    snapshot = release.snapshot

    def anonymous_n(key, n):
        return n - (1 if key == ALL_OTHERS and "supervisor" in release.members else 0)

    for group in snapshot["groups"]:
        if group["key"] not in EXEMPT:
            assert anonymous_n(group["key"], group["n"]) >= threshold or group["key"] == ALL_OTHERS
    for row in snapshot["dimensions"] + snapshot["items"]:
        for key, cell in row["cells"].items():
            if key not in EXEMPT and key != ALL_OTHERS:
                assert cell["n"] >= threshold
    public = report_public(release=release)
    assert "members" not in public
    for row in public["dimensions"] + public["items"]:
        for key, cell in row["cells"].items():
            if key not in EXEMPT and key != ALL_OTHERS:
                assert cell["n"] >= threshold
    for line in csv.DictReader(io.StringIO(report_csv(release=release, language="en"))):
        if line["group"] not in EXEMPT and line["group"] != ALL_OTHERS:
            assert int(line["n"]) >= threshold
    anonymous_pool = set(release.members.get(ALL_OTHERS, [])) - set(release.members.get("supervisor", []))
    if snapshot["comments"]:
        assert len(anonymous_pool) >= threshold


counts = st.fixed_dictionaries(
    {
        "self": st.integers(0, 1),
        "supervisor": st.integers(0, 1),
        "colleague": st.integers(0, 5),
        "direct_report": st.integers(0, 3),
        "customer": st.integers(0, 4),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=counts,
    later=counts,
    threshold=st.integers(3, 4),
    values=st.lists(st.integers(1, 5), min_size=20, max_size=20),
    unit_filter=st.booleans(),
)
def test_reports_exports_api_and_team_never_show_a_small_group(
    world, round_for_two, first, later, threshold, values, unit_filter
):
    assessment, questions = round_for_two
    value = itertools.cycle(values)
    with transaction.atomic():
        organisation = assessment.organisation
        organisation.anonymity_threshold = threshold
        organisation.save(update_fields=["anonymity_threshold"])
        releases = []
        for participant in Participant.objects.filter(assessment=assessment).select_related("person"):
            for batch_number, batch in enumerate((first, later)):
                already = Response.objects.filter(subject_person=participant.person)
                for role, n in batch.items():
                    have = already.filter(respondent_role=role).count()
                    extra = n if role not in EXEMPT_ROLES else max(0, n - have)
                    for i in range(extra):
                        _respond(
                            assessment, questions, participant.person, role, next(value), f"{role} {batch_number} {i}"
                        )
                try:
                    release = report_release(participant=participant)
                except ValidationError:
                    continue
                _assert_output_respects_threshold(release, threshold)
                releases.append(release)
            history = [{k: frozenset(v) for k, v in r.members.items()} for r in participant.releases.order_by("number")]
            exempt_ids = set(
                Response.objects.filter(
                    subject_person=participant.person, respondent_role__in=EXEMPT_ROLES
                ).values_list("pk", flat=True)
            )
            _check_release_sets(history, exempt_ids, threshold)
        scope = scope_from_organisation(organisation=organisation)
        team = team_report(scope=scope, assessment=assessment, unit_id=world.team.pk if unit_filter else None)
        for participant, scores in team.rows:
            figures = ReleaseFigure.objects.filter(
                release__participant=participant, release__current=True, group=ALL_OTHERS
            )
            assert figures.count() == len(scores)
            assert all(f.n >= threshold for f in figures)
        transaction.set_rollback(True)
