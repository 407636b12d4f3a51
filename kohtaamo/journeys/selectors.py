"""Reads of the journey map: live figures per touchpoint and stage, aggregated in the database.

Every response query starts from `restrict` (organisations.selectors) with the subject person as
the person field, so a login sees the map figures its role allows. Customers' submitted responses
only, as on the dashboard.

Colours of a touchpoint card (the chosen metric's point estimate):
CSAT % 4–5: red < 60, amber < 80, green ≥ 80; EQI 0–100: red < 60, amber < 75, green ≥ 75;
NPS: red < 0, amber < 30, green ≥ 30. No answers: grey.
"""

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kohtaamo.analytics import metrics
from kohtaamo.analytics.metrics import Estimate
from kohtaamo.analytics.periods import within_days
from kohtaamo.analytics.selectors import metric_basis
from kohtaamo.feedback.models import DimensionScore, Response
from kohtaamo.instruments.models import Dimension
from kohtaamo.instruments.selectors import current_framework
from kohtaamo.organisations.models import ServicePath, Stage, Touchpoint
from kohtaamo.organisations.selectors import Scope, customers_visible, restrict

from .drivers import DriverAnalysis, driver_analysis
from .models import Persona

METRICS = {"csat": _("CSAT (% 4–5)"), "eqi": _("Encounter Quality Index"), "nps": _("NPS")}
BANDS = {"csat": (60, 80), "eqi": (60, 75), "nps": (0, 30)}
LOWEST_SHOWN = 3
NPS_SCALE = (0, 10)
EMOTION = "emotion"
SCORE_RANGE = (0.0, 100.0)


@dataclass(frozen=True)
class JourneyFilter:
    start: date | None = None
    end: date | None = None  # inclusive
    persona: Persona | None = None
    segment: str = ""
    metric: str = "csat"

    @property
    def segments(self) -> list[str]:
        """The customer segments the map is narrowed to: the chosen one, else the persona's."""
        if self.segment:
            return [self.segment]
        if self.persona is not None and self.persona.segments:
            return list(self.persona.segments)
        return []


@dataclass
class TouchpointCard:
    touchpoint: Touchpoint
    archived: bool
    customer_value: str
    responses: int = 0
    figures: dict[str, Estimate] = field(default_factory=dict)
    tone: str = "none"  # red, amber, green, none
    lowest: bool = False
    moment_of_truth: bool = False

    @property
    def value(self) -> Estimate:
        return self.figures.get("primary", metrics.EMPTY)


@dataclass
class StageColumn:
    stage: Stage
    archived: bool
    cards: list[TouchpointCard]
    emotion: Estimate = metrics.EMPTY
    quality: dict[str, Estimate] = field(default_factory=dict)


@dataclass
class JourneyMap:
    service_path: ServicePath
    filters: JourneyFilter
    columns: list[StageColumn]
    lowest: list[TouchpointCard]
    drivers: DriverAnalysis | None
    moments_of_truth: list[TouchpointCard]
    quality_dimensions: list[Dimension] = field(default_factory=list)

    @property
    def cards(self) -> list[TouchpointCard]:
        return [card for column in self.columns for card in column.cards]


def service_paths_visible(*, scope: Scope) -> QuerySet[ServicePath]:
    """Service paths are organisation-wide set-up: every member but an outside shopper sees them."""
    if scope.is_shopper:
        return ServicePath.objects.none()
    return ServicePath.objects.filter(organisation=scope.organisation).order_by("name")


def service_path_for(*, scope: Scope, path_id: int) -> ServicePath:
    path = service_paths_visible(scope=scope).filter(pk=path_id).first()
    if path is None:
        raise Http404
    return path


def stages_with_touchpoints(*, service_path: ServicePath) -> list[Stage]:
    touchpoints = Touchpoint.objects.select_related("journey_detail", "owner_unit").order_by("order", "pk")
    return list(
        Stage.objects.filter(service_path=service_path)
        .select_related("journey_detail")
        .prefetch_related(Prefetch("touchpoints", queryset=touchpoints))
        .order_by("order", "pk")
    )


def segments_available(*, scope: Scope) -> list[str]:
    return list(
        customers_visible(scope=scope)
        .exclude(segment="")
        .values_list("segment", flat=True)
        .distinct()
        .order_by("segment")
    )


def path_responses(*, scope: Scope, service_path: ServicePath, filters: JourneyFilter) -> QuerySet[Response]:
    qs = restrict(
        Response.objects.customer_feedback().filter(touchpoint__stage__service_path=service_path),
        scope=scope,
        unit_field="unit",
        person_field="subject_person",
    )
    qs = within_days(
        qs, field="submitted_at", start=filters.start, end=filters.end, time_zone=scope.organisation.time_zone
    )
    if filters.segments:
        qs = qs.filter(encounter__customer__segment__in=filters.segments)
    return qs


def _asked(ids: list[int]) -> Q:
    return Q(questionnaire_id__in=ids) if ids else Q(pk__isnull=True)


def _aggregates(scales: dict) -> dict:
    nps_asked = _asked(scales["nps"].get(NPS_SCALE, []))
    csat_asked = _asked([qid for ids in scales["csat"].values() for qid in ids]) & Q(csat__isnull=False)
    csat_top = Q(pk__isnull=True)
    for (_low, high), ids in scales["csat"].items():
        csat_top |= Q(questionnaire_id__in=ids, csat__gte=high - 1)
    return {
        "responses": Count("pk"),
        "promoters": Count("pk", filter=nps_asked & Q(nps__gte=9)),
        "passives": Count("pk", filter=nps_asked & Q(nps__gte=7, nps__lte=8)),
        "detractors": Count("pk", filter=nps_asked & Q(nps__lte=6)),
        "csat_n": Count("pk", filter=csat_asked),
        "csat_hits": Count("pk", filter=csat_top),
        "eqi_n": Count("eqi"),
        "eqi_sum": Sum("eqi"),
        "eqi_sq": Sum(F("eqi") * F("eqi")),
        "comments": Count("pk", filter=Q(has_comment=True)),
    }


def _figures(row: dict, metric: str) -> dict[str, Estimate]:
    figures = {
        "nps": metrics.nps(promoters=row["promoters"], passives=row["passives"], detractors=row["detractors"]),
        "csat": metrics.top_box_share(hits=row["csat_hits"], n=row["csat_n"]),
        "eqi": metrics.mean_t_interval(
            n=row["eqi_n"], total=row["eqi_sum"], total_sq=row["eqi_sq"], bounds=SCORE_RANGE
        ),
    }
    figures["primary"] = figures[metric]
    return figures


def tone_for(estimate: Estimate, metric: str) -> str:
    if estimate.value is None:
        return "none"
    red_below, green_from = BANDS[metric]
    if estimate.value < red_below:
        return "red"
    return "green" if estimate.value >= green_from else "amber"


def _dimension_means(qs: QuerySet[Response], condition: Q) -> dict:
    rows = (
        DimensionScore.objects.filter(condition, response__in=qs.values("pk"))
        .values(stage=F("response__touchpoint__stage"), code=F("dimension__code"))
        .annotate(n=Count("pk"), total=Sum("score"), total_sq=Sum(F("score") * F("score")))
        .order_by()
    )
    return {
        (r["stage"], r["code"]): metrics.mean_t_interval(
            n=r["n"], total=r["total"], total_sq=r["total_sq"], bounds=SCORE_RANGE
        )
        for r in rows
    }


def customer_drivers(
    *, qs: QuerySet[Response], touchpoint_ids: list[int], nps_questionnaires: list[int]
) -> DriverAnalysis:
    """Per-customer aggregates (one row per customer and touchpoint) into Johnson's relative weights."""
    with_customer = qs.filter(encounter__customer__isnull=False)
    outcome = dict(
        with_customer.filter(_asked(nps_questionnaires), nps__isnull=False)
        .values_list("encounter__customer")
        .annotate(mean=Avg("nps"))
        .order_by()
    )
    customers = sorted(outcome)
    index = {c: i for i, c in enumerate(customers)}
    column = {t: j for j, t in enumerate(touchpoint_ids)}
    x = np.full((len(customers), len(touchpoint_ids)), np.nan)
    rows = (
        with_customer.filter(csat__isnull=False, touchpoint_id__in=touchpoint_ids)
        .values_list("encounter__customer", "touchpoint")
        .annotate(mean=Avg("csat"))
        .order_by()
    )
    for customer, touchpoint, mean in rows:
        if customer in index:
            x[index[customer], column[touchpoint]] = mean
    keep = ~np.isnan(x).all(axis=1)
    y = np.array([outcome[c] for c in customers], dtype=float)
    return driver_analysis(keys=touchpoint_ids, x=x[keep], y=y[keep])


def journey_map(
    *, scope: Scope, service_path: ServicePath, filters: JourneyFilter, with_drivers: bool = True
) -> JourneyMap:
    metric = filters.metric if filters.metric in METRICS else "csat"
    basis = metric_basis(organisation=scope.organisation)
    qs = path_responses(scope=scope, service_path=service_path, filters=filters)
    per_touchpoint = {
        row["touchpoint"]: row for row in qs.values("touchpoint").annotate(**_aggregates(basis.scales)).order_by()
    }
    means = _dimension_means(qs, Q(dimension__code=EMOTION) | Q(dimension__group=Dimension.Group.QUALITY))
    framework = current_framework()
    quality_dimensions = list(
        Dimension.objects.filter(group=Dimension.Group.QUALITY, framework=framework).order_by("order")
    )
    columns = []
    for stage in stages_with_touchpoints(service_path=service_path):
        cards = []
        for tp in stage.touchpoints.all():
            detail = getattr(tp, "journey_detail", None)
            card = TouchpointCard(
                touchpoint=tp,
                archived=bool(detail and detail.archived),
                customer_value=detail.customer_value if detail else "",
            )
            row = per_touchpoint.get(tp.pk)
            if row:
                card.responses = row["responses"]
                card.figures = _figures(row, metric)
                card.tone = tone_for(card.value, metric)
            cards.append(card)
        stage_detail = getattr(stage, "journey_detail", None)
        columns.append(
            StageColumn(
                stage=stage,
                archived=bool(stage_detail and stage_detail.archived),
                cards=cards,
                emotion=means.get((stage.pk, EMOTION), metrics.EMPTY),
                quality={d.code: means.get((stage.pk, d.code), metrics.EMPTY) for d in quality_dimensions},
            )
        )
    all_cards = [c for col in columns for c in col.cards]
    # Only figures that are not merely indicative (n ≥ 10) are named as the lowest.
    ranked = sorted(
        (c for c in all_cards if c.value.value is not None and not c.value.indicative), key=lambda c: c.value.value
    )
    # At most three, and at most a third of the scored touchpoints: "lowest" must single some out.
    lowest = ranked[: min(LOWEST_SHOWN, math.ceil(len(ranked) / 3))]
    for card in lowest:
        card.lowest = True
    drivers, moments = None, []
    if with_drivers:
        drivers = customer_drivers(
            qs=qs,
            touchpoint_ids=[c.touchpoint.pk for c in all_cards if c.responses],
            nps_questionnaires=basis.scales["nps"].get(NPS_SCALE, []),
        )
        by_id = {c.touchpoint.pk: c for c in all_cards}
        if drivers.enough:
            for driver in drivers.moments_of_truth:
                by_id[driver.key].moment_of_truth = True
                moments.append(by_id[driver.key])
    return JourneyMap(
        service_path=service_path,
        filters=filters,
        columns=columns,
        lowest=lowest,
        drivers=drivers,
        moments_of_truth=moments,
        quality_dimensions=quality_dimensions,
    )
