"""The synthetic organisation: deterministic, scored exactly as submits are, with its planted effects visible."""

from datetime import date

import pytest
from django.db.models import Avg, Count, F

from kohtaamo.analytics import selectors
from kohtaamo.analytics.synthetic import organisation_synthesise
from kohtaamo.feedback.models import Answer, DimensionScore, Encounter, Response
from kohtaamo.feedback.scoring import response_score
from kohtaamo.organisations.models import Customer, Organisation, Person, Unit
from kohtaamo.organisations.selectors import scope_from_organisation

END = date(2026, 1, 1)


def synthesise(seed: int, slug: str | None = None):
    return organisation_synthesise(seed=seed, scale="tiny", progress=False, end=END, slug=slug)


def fingerprint(organisation_id: int) -> dict:
    """Figures that differ if any generated value differs."""
    responses = Response.objects.filter(organisation_id=organisation_id)
    return {
        "responses": responses.count(),
        "answers": Answer.objects.filter(organisation_id=organisation_id).count(),
        "values": sorted(
            Answer.objects.filter(organisation_id=organisation_id, value__isnull=False)
            .values("question__order", "value")
            .annotate(n=Count("pk"))
            .values_list("question__order", "value", "n")
        ),
        "nps": responses.aggregate(Avg("nps"))["nps__avg"],
        "eqi": responses.aggregate(Avg("eqi"))["eqi__avg"],
        "scores": DimensionScore.objects.filter(organisation_id=organisation_id).aggregate(Avg("score"))["score__avg"],
        "people": sorted(Person.objects.filter(organisation_id=organisation_id).values_list("name", flat=True)),
    }


@pytest.mark.django_db
def test_tiny_scale_writes_what_it_reports():
    report = synthesise(3)
    organisation = Organisation.objects.get(slug="synthetic-3")
    assert report.organisation_id == organisation.pk
    assert report.start == date(2025, 1, 1) and report.end == END
    assert report.counts["units"] == Unit.objects.filter(organisation=organisation).count() == 8
    assert report.counts["people"] == Person.objects.filter(organisation=organisation).count() == 16
    assert report.counts["customers"] == Customer.objects.filter(organisation=organisation).count() == 400
    assert report.counts["encounters"] == Encounter.objects.filter(organisation=organisation).count()
    assert report.counts["responses"] == Response.objects.filter(organisation=organisation).count()
    assert report.counts["answers"] == Answer.objects.filter(organisation=organisation).count()
    assert report.counts["dimension_scores"] == DimensionScore.objects.filter(organisation=organisation).count()
    assert 4_000 <= report.counts["answers"] <= 6_000
    assert report.rows_per_second > 0
    # Every response answers about its encounter: the same person, unit, channel and touchpoint.
    mismatched = Response.objects.filter(organisation=organisation).exclude(
        subject_person=F("encounter__person"), unit=F("encounter__unit")
    )
    assert not mismatched.exists()
    local = [r.submitted_at for r in Response.objects.filter(organisation=organisation).order_by("submitted_at")[:1]]
    assert local and local[0].year == 2025


@pytest.mark.django_db
def test_same_seed_gives_the_same_figures_and_another_seed_does_not():
    first = synthesise(11, slug="first")
    second = synthesise(11, slug="second")
    other = synthesise(12, slug="other")
    assert first.counts == second.counts
    assert fingerprint(first.organisation_id) == fingerprint(second.organisation_id)
    assert fingerprint(first.organisation_id) != fingerprint(other.organisation_id)


@pytest.mark.django_db
def test_scores_equal_what_the_scoring_service_computes():
    report = synthesise(5)
    sample = list(Response.objects.filter(organisation_id=report.organisation_id).order_by("?")[:40])
    assert len(sample) == 40
    for response in sample:
        stored = {
            "fields": (response.nps, response.csat, response.ces, response.eqi, response.has_comment),
            "scores": sorted(response.dimension_scores.values_list("dimension_id", "mean", "score", "items_answered")),
        }
        response_score(response=response)
        response.refresh_from_db()
        again = {
            "fields": (response.nps, response.csat, response.ces, response.eqi, response.has_comment),
            "scores": sorted(response.dimension_scores.values_list("dimension_id", "mean", "score", "items_answered")),
        }
        assert stored == again  # exact, floats included
    assert any(r.eqi is not None for r in sample)
    assert (
        any(r.has_comment for r in sample)
        or Answer.objects.filter(organisation_id=report.organisation_id).exclude(text="").exists()
    )


@pytest.mark.django_db
def test_planted_effects_show_on_the_dashboard():
    report = synthesise(7)
    organisation = Organisation.objects.get(pk=report.organisation_id)
    scope = scope_from_organisation(organisation=organisation)
    everyone = selectors.DashboardFilter(start=report.start, end=date(2025, 12, 31))
    # The listening team: its listening score is clearly above the rest of the organisation.
    listening_unit = Unit.objects.get(pk=report.planted.listening_unit_id)
    team = selectors.overview(scope=scope, filters=selectors.DashboardFilter(unit=listening_unit))
    whole = selectors.overview(scope=scope, filters=everyone)
    assert team["listening"].value - whole["listening"].value > 10
    assert team["listening"].ci_low > whole["listening"].ci_high
    # …but not on expertise, which nobody planted.
    assert abs(team["expertise"].value - whole["expertise"].value) < team["listening"].value - whole["listening"].value
    # The summer dip: July's EQI is the lowest month of the year.
    points = {p.period.month: p for p in selectors.trend(scope=scope, filters=everyone)}
    assert len(points) == 12
    july = points[7].figures["eqi"].value
    assert july == min(p.figures["eqi"].value for p in points.values())
    others = [p.figures["eqi"].value for month, p in points.items() if month != 7]
    assert july < sum(others) / len(others) - 8
    # The improving person: the last quarter is far better than the first.
    person = Person.objects.get(pk=report.planted.improving_person_id)
    early = selectors.overview(
        scope=scope, filters=selectors.DashboardFilter(person=person, start=date(2025, 1, 1), end=date(2025, 3, 31))
    )
    late = selectors.overview(
        scope=scope, filters=selectors.DashboardFilter(person=person, start=date(2025, 10, 1), end=date(2025, 12, 31))
    )
    assert late["eqi"].value - early["eqi"].value > 20
