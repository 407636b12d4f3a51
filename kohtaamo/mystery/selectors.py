"""Reads for mystery shopping, always through the tenant and role scope.

The organisation sees a report only once QA has approved it; a shopper sees only their own assignments.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Sum
from django.http import Http404

from kohtaamo.analytics.metrics import Estimate, mean_t_interval
from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.organisations.models import Unit
from kohtaamo.organisations.selectors import Scope, restrict

from .models import (
    ActionPlan,
    Assignment,
    CalibrationRound,
    Evidence,
    Report,
    ReportAnswer,
    ReportPartScore,
    Scenario,
    Shopper,
    Wave,
)

SCORE_RANGE = (0.0, 100.0)


def _organisation_level(qs: QuerySet, scope: Scope) -> QuerySet:
    """Set-up data (scenarios, waves, calibration) that every manager of the organisation may read."""
    if scope.is_shopper or scope.is_employee:
        return qs.none()
    return qs.filter(organisation=scope.organisation)


def scenarios_visible(*, scope: Scope) -> QuerySet[Scenario]:
    return _organisation_level(Scenario.objects.all(), scope)


def waves_visible(*, scope: Scope) -> QuerySet[Wave]:
    return _organisation_level(Wave.objects.select_related("scenario"), scope)


def calibrations_visible(*, scope: Scope) -> QuerySet[CalibrationRound]:
    return _organisation_level(CalibrationRound.objects.select_related("scenario"), scope)


def shoppers_visible(*, scope: Scope) -> QuerySet[Shopper]:
    if not scope.can_manage:
        return Shopper.objects.none()
    return Shopper.objects.filter(organisation=scope.organisation)


def assignments_visible(*, scope: Scope) -> QuerySet[Assignment]:
    """Assignments of the units in scope (for planning and QA); employees and shoppers get none here."""
    return restrict(Assignment.objects.select_related("unit", "wave", "shopper"), scope=scope, person_field=None)


def reports_published(*, scope: Scope) -> QuerySet[Report]:
    """Approved reports only: nothing before QA approval reaches the organisation's pages."""
    return Report.objects.filter(
        status=Report.Status.APPROVED, assignment__in=assignments_visible(scope=scope)
    ).select_related("assignment__unit", "assignment__wave", "scenario")


def reports_in_qa(*, scope: Scope) -> QuerySet[Report]:
    if not scope.can_manage:
        return Report.objects.none()
    return Report.objects.filter(
        status=Report.Status.SUBMITTED, assignment__in=assignments_visible(scope=scope)
    ).select_related("assignment__unit", "assignment__wave", "assignment__shopper")


def report_for_review(*, scope: Scope, report_id: int) -> Report:
    if not scope.can_manage:
        raise Http404
    report = (
        Report.objects.filter(pk=report_id, assignment__in=assignments_visible(scope=scope))
        .select_related("assignment__unit", "assignment__wave", "assignment__shopper", "scenario")
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_published(*, scope: Scope, report_id: int) -> Report:
    report = reports_published(scope=scope).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


# The shopper's own portal.


def shopper_for(*, scope: Scope) -> Shopper:
    shopper = Shopper.objects.filter(organisation=scope.organisation, user_id=scope.user_id).first()
    if shopper is None:
        raise Http404
    return shopper


def shopper_assignments(*, scope: Scope) -> QuerySet[Assignment]:
    """The acting shopper's own assignments; nothing else of the organisation."""
    shopper = Shopper.objects.filter(organisation=scope.organisation, user_id=scope.user_id).first()
    if shopper is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(shopper=shopper).select_related("unit", "wave__scenario")


def shopper_assignment(*, scope: Scope, assignment_id: int) -> Assignment:
    assignment = shopper_assignments(scope=scope).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment


def evidence_for(*, scope: Scope, evidence_id: int) -> Evidence:
    """Evidence the acting login may open: the shopper's own, QA's, or that of a published report."""
    evidence = Evidence.objects.select_related("report__assignment").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    report = evidence.report
    if scope.is_shopper:
        allowed = shopper_assignments(scope=scope).filter(pk=report.assignment_id).exists()
    elif scope.can_manage:
        allowed = assignments_visible(scope=scope).filter(pk=report.assignment_id).exists()
    else:
        allowed = reports_published(scope=scope).filter(pk=report.pk).exists()
    if not allowed:
        raise Http404
    return evidence


# Location reports: every figure is a database aggregate over approved reports.


def _estimate(row: dict) -> Estimate:
    return mean_t_interval(n=row["n"], total=row["total"], total_sq=row["total_sq"], bounds=SCORE_RANGE)


def _score_stats(field: str = "score") -> dict:
    return {"n": Count(field), "total": Sum(field), "total_sq": Sum(F(field) * F(field))}


def _published_in(scope: Scope, *, wave: Wave | None, unit: Unit | None) -> QuerySet[Report]:
    qs = reports_published(scope=scope)
    if wave is not None:
        qs = qs.filter(assignment__wave=wave)
    if unit is not None:
        qs = qs.filter(assignment__unit__path__startswith=unit.path)
    return qs


@dataclass(frozen=True)
class Row:
    label: str
    estimate: Estimate
    key: int | None = None
    extra: dict | None = None


def overall(*, scope: Scope, wave: Wave | None, unit: Unit | None) -> Estimate:
    row = _published_in(scope, wave=wave, unit=unit).aggregate(**_score_stats())
    return _estimate(row)


def location_scores(*, scope: Scope, wave: Wave | None, unit: Unit | None) -> list[Row]:
    """Per visited location: mean score with n and CI, best first."""
    rows = (
        _published_in(scope, wave=wave, unit=unit)
        .values("assignment__unit", "assignment__unit__name")
        .annotate(**_score_stats(), mean=Avg("score"), critical=Count("pk", filter=Q(critical_failed=True)))
        .order_by("-mean", "assignment__unit__name")
    )
    return [
        Row(
            label=r["assignment__unit__name"],
            key=r["assignment__unit"],
            estimate=_estimate(r),
            extra={"critical": r["critical"]},
        )
        for r in rows
    ]


def wave_trend(*, scope: Scope, unit: Unit | None) -> list[Row]:
    rows = (
        _published_in(scope, wave=None, unit=unit)
        .values("assignment__wave", "assignment__wave__name", "assignment__wave__starts_on")
        .annotate(**_score_stats())
        .order_by("assignment__wave__starts_on", "assignment__wave")
    )
    return [Row(label=r["assignment__wave__name"], key=r["assignment__wave"], estimate=_estimate(r)) for r in rows]


def section_scores(*, scope: Scope, wave: Wave | None, unit: Unit | None) -> list[Row]:
    rows = (
        ReportPartScore.objects.filter(report__in=_published_in(scope, wave=wave, unit=unit), section__isnull=False)
        .values("section__title")
        .annotate(**_score_stats(), first=Min("section__order"))
        .order_by("first", "section__title")
    )
    return [Row(label=r["section__title"], estimate=_estimate(r)) for r in rows]


def item_scores(*, scope: Scope, wave: Wave | None, unit: Unit | None) -> list[Row]:
    """Per item: % of points earned over the visits where it applied, with n; N/A answers are counted apart."""
    rows = (
        ReportAnswer.objects.filter(report__in=_published_in(scope, wave=wave, unit=unit))
        .exclude(item__kind="text")
        .values("item__text", "item__section__title", "item__critical", "item__integrity")
        .annotate(
            n=Count("points"),
            total=Sum(F("points") * 100.0),
            total_sq=Sum(F("points") * F("points") * 10000.0),
            not_applicable=Count("pk", filter=Q(not_applicable=True)),
            order=Max("item__section__order"),
            item_order=Max("item__order"),
        )
        .order_by("order", "item_order", "item__text")
    )
    return [
        Row(
            label=r["item__text"],
            estimate=_estimate(r),
            extra={
                "section": r["item__section__title"],
                "not_applicable": r["not_applicable"],
                "critical": r["item__critical"],
                "integrity": r["item__integrity"],
            },
        )
        for r in rows
    ]


def dimension_comparison(*, scope: Scope, wave: Wave, unit: Unit | None) -> list[dict]:
    """Mystery score per framework dimension beside customers' pulse score on the same dimension.

    Pulse: mean 0–100 dimension score of submitted customer responses in the unit's subtree during
    the wave's dates, with its t-interval."""
    mystery = {
        r["dimension"]: _estimate(r)
        for r in ReportPartScore.objects.filter(
            report__in=_published_in(scope, wave=wave, unit=unit), dimension__isnull=False
        )
        .values("dimension")
        .annotate(**_score_stats())
    }
    if not mystery:
        return []
    responses = restrict(
        Response.objects.customer_feedback().filter(
            submitted_at__date__gte=wave.starts_on,
            submitted_at__date__lte=wave.ends_on,
        ),
        scope=scope,
        person_field="subject_person",
    )
    if unit is not None:
        responses = responses.filter(unit__path__startswith=unit.path)
    pulse = {
        r["dimension"]: _estimate(r)
        for r in DimensionScore.objects.filter(response__in=responses, dimension__in=list(mystery))
        .values("dimension")
        .annotate(**_score_stats())
    }
    dimensions = Dimension.objects.filter(pk__in=list(mystery)).order_by("group", "order")
    return [{"dimension": d, "mystery": mystery[d.pk], "pulse": pulse.get(d.pk)} for d in dimensions]


def evidence_rows(*, scope: Scope, wave: Wave | None, unit: Unit | None) -> QuerySet[Report]:
    """The approved visits behind the figures, with their evidence count, newest first."""
    return (
        _published_in(scope, wave=wave, unit=unit)
        .annotate(evidence_count=Count("evidence"))
        .order_by("-visit_started_at", "-pk")
    )


def action_plans_visible(*, scope: Scope) -> QuerySet[ActionPlan]:
    return restrict(
        ActionPlan.objects.select_related("unit", "owner", "wave", "follow_up_wave"), scope=scope, person_field=None
    )


def fee_rows(*, scope: Scope, wave: Wave | None) -> QuerySet[Assignment]:
    """Approved assignments for payment: one row per assignment with the shopper and the fee."""
    if not scope.can_manage:
        return Assignment.objects.none()
    qs = assignments_visible(scope=scope).filter(status=Assignment.Status.APPROVED)
    if wave is not None:
        qs = qs.filter(wave=wave)
    return qs.select_related("report", "shopper__user").order_by("shopper__name", "window_start", "pk")
