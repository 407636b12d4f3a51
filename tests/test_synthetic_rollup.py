"""The dashboard's rollup gives exactly the figures of the raw responses, stays current and keeps the scoping."""

import io
import itertools
import math
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kohtaamo.analytics import selectors
from kohtaamo.analytics.models import ResponseRollup
from kohtaamo.analytics.periods import within_days
from kohtaamo.analytics.synthetic import organisation_synthesise
from kohtaamo.feedback.models import RespondentRole, Response, Round
from kohtaamo.feedback.responding import response_record
from kohtaamo.feedback.scoring import response_score
from kohtaamo.organisations.models import Membership, Organisation, Person, Touchpoint, Unit
from kohtaamo.organisations.selectors import Scope, scope_from_organisation

END = date(2026, 1, 1)
SLUGS = itertools.count()
SMALL = {"units": 6, "people": 8, "customers": 200, "years": 1, "answers": 1_500}


def assert_same_estimate(a, b, where: str) -> None:
    assert a.n == b.n, where
    for name in ("value", "ci_low", "ci_high"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), (where, name)
        if x is not None:
            # Sums of floats are added in another order; they agree to the last few bits.
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (where, name, x, y)


def assert_same_figures(a: dict, b: dict, where: str) -> None:
    assert a.keys() == b.keys(), where
    for key in a:
        assert_same_estimate(a[key], b[key], f"{where} {key}")


def both_paths(read, settings_fixture):
    settings_fixture.KOHTAAMO_ANALYTICS_ROLLUP = True
    with_rollup = read()
    settings_fixture.KOHTAAMO_ANALYTICS_ROLLUP = False
    raw = read()
    settings_fixture.KOHTAAMO_ANALYTICS_ROLLUP = True
    return with_rollup, raw


def odd_responses(organisation: Organisation, rng_value: int) -> None:
    """Responses the generator never makes: no unit, no touchpoint, no channel; and a non-customer one."""
    programme = Round.objects.get(organisation=organisation, kind=Round.Kind.PULSE)
    questions = list(programme.questionnaire.questions.filter(item__isnull=False).order_by("order"))
    for i in range(3):
        answers = {
            q.pk: min(q.scale_max, q.scale_min + (rng_value + i + q.order) % (q.scale_max - q.scale_min + 1))
            for q in questions
        }
        response_record(
            round=programme,
            answers=answers,
            language="fi",
            submitted_at=datetime(2025, 12, 20, 12, tzinfo=UTC) - timedelta(days=100 * i),
            respondent_role=RespondentRole.SELF if i == 2 else RespondentRole.CUSTOMER,
            context={"unit_id": None, "touchpoint_id": None, "channel": ""},
        )


dates = st.one_of(st.none(), st.dates(min_value=date(2024, 12, 15), max_value=date(2026, 1, 15)))
# "Last N days" as the dashboard's presets make them: ending on any day, mid-month included.
last_days = st.builds(
    lambda end, days: (end - timedelta(days=days - 1), end),
    st.dates(min_value=date(2025, 1, 2), max_value=date(2026, 1, 10)),
    st.sampled_from([1, 7, 20, 30, 45, 90, 365]),
)
periods = st.one_of(st.tuples(dates, dates), last_days)


@pytest.mark.django_db
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    unit_pick=st.integers(0, 20),
    manager_pick=st.one_of(st.none(), st.integers(0, 20)),
    channel_pick=st.sampled_from(["", "face_to_face", "phone", "chat"]),
    touchpoint_pick=st.one_of(st.none(), st.integers(0, 10)),
    period=periods,
    granularity=st.sampled_from(["month", "quarter", "week"]),
    by=st.sampled_from(["unit", "channel", "touchpoint", "person"]),
)
def test_rollup_figures_equal_the_raw_figures(
    settings, seed, unit_pick, manager_pick, channel_pick, touchpoint_pick, period, granularity, by
):
    start, end = period
    report = organisation_synthesise(seed=seed, scale=SMALL, progress=False, end=END, slug=f"p{next(SLUGS)}")
    organisation = Organisation.objects.get(pk=report.organisation_id)
    odd_responses(organisation, seed)
    units = list(Unit.objects.filter(organisation=organisation).order_by("pk"))
    touchpoints = list(Touchpoint.objects.filter(organisation=organisation).order_by("pk"))
    if manager_pick is None:
        scope = scope_from_organisation(organisation=organisation)
    else:
        managed = units[manager_pick % len(units)]
        scope = Scope(organisation, Membership.Role.UNIT_MANAGER, 0, unit_path=managed.path)
    unit = units[unit_pick % len(units)] if unit_pick % 3 else None
    if unit is not None and scope.unit_path and not unit.path.startswith(scope.unit_path):
        unit = None
    if start and end and end < start:
        start, end = end, start
    filters = selectors.DashboardFilter(
        unit=unit,
        channel=channel_pick,
        touchpoint=None if touchpoint_pick is None else touchpoints[touchpoint_pick % len(touchpoints)],
        start=start,
        end=end,
        granularity=granularity,
    )
    where = f"{filters} {scope.unit_path}"
    if granularity != "week" and manager_pick is None:
        # Whole local days: month and day cells cover any period, no response row is read.
        assert selectors.response_sources(scope=scope, filters=filters).raw is None
    rollup, raw = both_paths(lambda: selectors.overview(scope=scope, filters=filters), settings)
    assert_same_figures(rollup, raw, f"overview {where}")
    rollup, raw = both_paths(lambda: selectors.trend(scope=scope, filters=filters), settings)
    assert [p.period for p in rollup] == [p.period for p in raw], where
    for a, b in zip(rollup, raw, strict=True):
        assert a.responses == b.responses, where
        assert_same_figures(a.figures, b.figures, f"trend {a.period} {where}")
    rollup, raw = both_paths(lambda: selectors.breakdown(scope=scope, filters=filters, by=by), settings)
    assert [(r.key, r.label, r.responses) for r in rollup.rows] == [(r.key, r.label, r.responses) for r in raw.rows]
    for a, b in zip(rollup.rows, raw.rows, strict=True):
        assert_same_figures(a.figures, b.figures, f"breakdown {by} {a.label} {where}")


def customer_count(organisation) -> int:
    return Response.objects.filter(
        organisation=organisation, status=Response.Status.SUBMITTED, respondent_role=RespondentRole.CUSTOMER
    ).count()


@pytest.mark.django_db
def test_rollup_is_current_after_a_submit_and_rescoring_counts_once(settings):
    report = organisation_synthesise(seed=21, scale="tiny", progress=False, end=END)
    organisation = Organisation.objects.get(pk=report.organisation_id)
    scope = scope_from_organisation(organisation=organisation)
    whole_year = selectors.DashboardFilter(start=date(2025, 1, 1), end=date(2025, 12, 31))
    before = selectors.overview(scope=scope, filters=whole_year)
    assert_cells_count_every_response_once(organisation)
    programme = Round.objects.get(organisation=organisation)
    questions = {q.item.code: q for q in programme.questionnaire.questions.filter(item__isnull=False)}
    person = Person.objects.get(pk=report.planted.improving_person_id)
    response = response_record(
        round=programme,
        answers={q.pk: (10 if code == "nps_1" else q.scale_max) for code, q in questions.items()},
        language="en",
        submitted_at=date_in_2025(),
        context={"unit_id": person.unit_id, "subject_person_id": person.pk, "channel": "phone"},
    )
    after = selectors.overview(scope=scope, filters=whole_year)
    assert after["nps"].n == before["nps"].n + 1
    assert after["eqi"].n == before["eqi"].n + 1
    settings.KOHTAAMO_ANALYTICS_ROLLUP = False
    raw = selectors.overview(scope=scope, filters=whole_year)
    settings.KOHTAAMO_ANALYTICS_ROLLUP = True
    assert_same_figures(after, raw, "after submit")
    # The new response scores 100 on every element: the EQI total grows by exactly 100.
    assert math.isclose(after["eqi"].value * after["eqi"].n, before["eqi"].value * before["eqi"].n + 100.0)
    # Scoring again (e.g. a re-run) recomputes the cell; the response is still counted once.
    response_score(response=response)
    assert_same_figures(selectors.overview(scope=scope, filters=whole_year), after, "rescored")
    assert_cells_count_every_response_once(organisation)
    # Its day cell is current too: a period inside May, read from day cells only, grows by the response.
    mid_may = selectors.DashboardFilter(start=date(2025, 5, 10), end=date(2025, 5, 20))
    rollup, raw = both_paths(lambda: selectors.overview(scope=scope, filters=mid_may), settings)
    assert_same_figures(rollup, raw, "mid-May after submit")
    in_may = Response.objects.filter(
        organisation=organisation, respondent_role=RespondentRole.CUSTOMER, status=Response.Status.SUBMITTED
    ).filter(eqi__isnull=False)
    in_may = within_days(
        in_may, field="submitted_at", start=mid_may.start, end=mid_may.end, time_zone=organisation.time_zone
    )
    assert rollup["eqi"].n == in_may.count() > 0


def assert_cells_count_every_response_once(organisation) -> None:
    """Month cells and day cells each count every submitted customer response exactly once."""
    cells = ResponseRollup.objects.filter(organisation=organisation)
    total = customer_count(organisation)
    assert cells.filter(day__isnull=True).aggregate(n=Sum("responses"))["n"] == total
    assert cells.filter(day__isnull=False).aggregate(n=Sum("responses"))["n"] == total


def date_in_2025():
    return datetime(2025, 5, 14, 9, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_rebuild_command_restores_the_rollup_and_organisations_stay_apart(settings):
    first = organisation_synthesise(seed=31, scale="tiny", progress=False, end=END, slug="first")
    second = organisation_synthesise(seed=32, scale="tiny", progress=False, end=END, slug="second")
    organisation = Organisation.objects.get(pk=first.organisation_id)
    scope = scope_from_organisation(organisation=organisation)
    everything = selectors.DashboardFilter()
    figures = selectors.overview(scope=scope, filters=everything)
    assert figures["eqi"].n == Response.objects.filter(organisation=organisation, eqi__isnull=False).count()
    assert figures["nps"].n == Response.objects.filter(organisation=organisation, nps__isnull=False).count()
    ResponseRollup.objects.filter(organisation=organisation).delete()
    assert selectors.overview(scope=scope, filters=everything)["nps"].n == 0  # the rollup is what is read
    call_command("rollup_rebuild", organisation="first", stdout=io.StringIO())
    assert_same_figures(selectors.overview(scope=scope, filters=everything), figures, "rebuilt")
    assert_cells_count_every_response_once(organisation)
    edges = selectors.DashboardFilter(start=date(2025, 3, 17), end=date(2025, 9, 4))
    rollup, raw = both_paths(lambda: selectors.overview(scope=scope, filters=edges), settings)
    assert_same_figures(rollup, raw, "rebuilt, partial months")
    other = Organisation.objects.get(pk=second.organisation_id)
    assert selectors.overview(scope=scope_from_organisation(organisation=other), filters=everything)["nps"].n == (
        Response.objects.filter(organisation=other, nps__isnull=False).count()
    )


@pytest.mark.django_db
def test_a_submit_on_the_respondent_page_reaches_the_rollup(settings):
    from kohtaamo.feedback.models import OpenLink
    from kohtaamo.feedback.responding import response_open_for_link, response_submit

    report = organisation_synthesise(seed=51, scale="tiny", progress=False, end=END)
    organisation = Organisation.objects.get(pk=report.organisation_id)
    scope = scope_from_organisation(organisation=organisation)
    before = selectors.overview(scope=scope, filters=selectors.DashboardFilter())
    programme = Round.objects.get(organisation=organisation)
    link = OpenLink.objects.create(
        organisation=organisation, round=programme, touchpoint=Touchpoint.objects.filter(organisation=organisation)[0]
    )
    draft = response_open_for_link(open_link=link, response_id=None, language="en", default_language="en")
    questions = programme.questionnaire.questions.filter(item__isnull=False)
    response_submit(
        response=draft,
        key=str(draft.idempotency_key),
        raw_answers={q.pk: str(0 if q.item.code == "nps_1" else q.scale_min) for q in questions},
    )
    after = selectors.overview(scope=scope, filters=selectors.DashboardFilter())
    assert (after["nps"].n, after["eqi"].n) == (before["nps"].n + 1, before["eqi"].n + 1)
    assert after["nps"].value < before["nps"].value  # a detractor joined
    settings.KOHTAAMO_ANALYTICS_ROLLUP = False
    assert_same_figures(after, selectors.overview(scope=scope, filters=selectors.DashboardFilter()), "page submit")
