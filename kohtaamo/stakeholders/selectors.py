"""Reads: partners, internal services, stakeholder rounds, and the side-by-side view of how each unit
meets its customers, its partners and its internal customers."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from kohtaamo.analytics.anonymity import MINIMUM_THRESHOLD, threshold_for
from kohtaamo.analytics.metrics import EMPTY, Estimate, mean_t_interval
from kohtaamo.feedback.models import DimensionScore, Response, Round
from kohtaamo.feedback.scoring import ELEMENTS
from kohtaamo.instruments.models import Dimension
from kohtaamo.instruments.selectors import current_framework
from kohtaamo.organisations.models import Unit
from kohtaamo.organisations.selectors import Scope, restrict, scope_from_organisation, units_visible

from .models import Audience, InternalService, PartnerContact, PartnerOrganisation, StakeholderRound
from .periods import Period
from .suppression import tree_cells_shown

AUDIENCES = (Audience.CUSTOMER, Audience.PARTNER, Audience.INTERNAL_CUSTOMER)
# Answers of these audiences are reported only under the threshold rule (their invitation says so).
ANONYMOUS_AUDIENCES = frozenset({Audience.PARTNER, Audience.INTERNAL_CUSTOMER})
RESPONSES = "responses"
EQI = "eqi"
METRICS = (RESPONSES, EQI, *ELEMENTS)
SCORE_BOUNDS = (0.0, 100.0)


def require_viewer(scope: Scope) -> None:
    """Unit figures are for managers: organisation-wide roles and unit managers (their subtree)."""
    if scope.is_employee or scope.is_shopper:
        raise PermissionDenied


def _organisation_scope(scope: Scope) -> Scope:
    # Suppression decides on the whole organisation, whoever looks (see suppression.py).
    return scope_from_organisation(organisation=scope.organisation)


# -- set-up data -------------------------------------------------------------------------------


def partners_visible(*, scope: Scope) -> QuerySet[PartnerOrganisation]:
    return restrict(PartnerOrganisation.objects.select_related("unit__parent"), scope=scope, person_field=None)


def partner_for(*, scope: Scope, partner_id: int) -> PartnerOrganisation:
    partner = partners_visible(scope=scope).filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner


def partner_contacts(*, partner: PartnerOrganisation) -> QuerySet[PartnerContact]:
    return partner.contacts.order_by("name")


def internal_services_visible(*, scope: Scope) -> QuerySet[InternalService]:
    return restrict(
        InternalService.objects.select_related("provider__parent", "customer_unit__parent"),
        scope=scope,
        unit_field="provider",
        person_field=None,
    ).order_by("provider__path", "customer_unit__path")


def stakeholder_rounds_visible(*, scope: Scope) -> QuerySet[StakeholderRound]:
    """Rounds with their invited and answered counts; never who answered."""
    return (
        restrict(StakeholderRound.objects.select_related("unit__parent", "round"), scope=scope, person_field=None)
        .annotate(
            invited=Count("round__invitations", distinct=True),
            answered=Count(
                "round__responses",
                filter=Q(round__responses__status=Response.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-launched_at")
    )


@dataclass(frozen=True)
class RoundRow:
    """A round in the rounds list. `answered` is None where an anonymous audience's answers are
    under the threshold: then the page says only "fewer than N"."""

    round: StakeholderRound
    invited: int
    answered: int | None


def stakeholder_rounds_listed(*, scope: Scope) -> tuple[list[RoundRow], int]:
    """The rounds list and the threshold. Partners and internal customers were promised anonymity, so
    the exact count of a round (the whole round, all units together) under the threshold is not shown:
    watching it go from 1 to 2 would tell when a particular person answered."""
    threshold = max(threshold_for(scope.organisation), MINIMUM_THRESHOLD)
    rows = [
        RoundRow(
            round=r,
            invited=r.invited,
            answered=None if r.audience in ANONYMOUS_AUDIENCES and r.answered < threshold else r.answered,
        )
        for r in stakeholder_rounds_visible(scope=scope)
    ]
    return rows, threshold


# -- the side-by-side view ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure: hidden under the threshold rule, else an estimate with its n (responses: n only).
    `protects_other`: hidden although it has enough answers, so that another unit's small group
    cannot be worked out by subtraction (the page says so instead of "fewer than N")."""

    n: int = 0
    estimate: Estimate = EMPTY
    hidden: bool = False
    protects_other: bool = False

    @property
    def hidden_reason(self) -> str:
        if not self.hidden:
            return ""
        return "protects_other_unit" if self.protects_other else "below_threshold"

    def as_dict(self) -> dict:
        if self.hidden:
            return {
                "hidden": True,
                "hidden_reason": self.hidden_reason,
                "n": None,
                "value": None,
                "ci_low": None,
                "ci_high": None,
                "indicative": None,
            }
        return {"hidden": False, "hidden_reason": "", **self.estimate.as_dict(), "n": self.n}


HIDDEN = Cell(hidden=True)
HIDDEN_FOR_OTHERS = Cell(hidden=True, protects_other=True)


@dataclass(frozen=True)
class AudienceCells:
    responses: Cell
    eqi: Cell
    elements: dict[str, Cell]

    @property
    def anything(self) -> bool:
        return self.responses.hidden or self.responses.n > 0


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    depth: int
    audiences: dict[str, AudienceCells]

    @property
    def indent(self) -> str:
        return "\u2003" * self.depth


@dataclass(frozen=True)
class SideBySide:
    period: Period
    threshold: int
    elements: list[Dimension]
    rows: list[UnitRow] = field(default_factory=list)


@dataclass
class _Stat:
    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0


def _period_responses(*, scope: Scope, period: Period) -> QuerySet[Response]:
    return restrict(
        Response.objects.filter(
            status=Response.Status.SUBMITTED,
            submitted_at__gte=period.start,
            submitted_at__lt=period.end,
            respondent_role__in=AUDIENCES,
            # Pulse answers only: a maturity survey's customer answers measure other things.
            round__kind=Round.Kind.PULSE,
        ),
        scope=_organisation_scope(scope),
        person_field=None,
    )


# A customer's response carries its unit; a stakeholder response reaches its unit through its round.
RESPONSE_UNIT = Coalesce("unit_id", "round__stakeholder_round__unit_id")


def _unit_stats(*, scope: Scope, period: Period) -> dict[tuple[str, str, int], _Stat]:
    """(audience, metric, unit's own) -> n, sum and sum of squares, aggregated in the database."""
    stats: dict[tuple[str, str, int], _Stat] = {}
    responses = _period_responses(scope=scope, period=period)
    eqi = F("eqi")
    rows = (
        responses.annotate(unit_key=RESPONSE_UNIT)
        .exclude(unit_key=None)
        .values("respondent_role", "unit_key")
        .annotate(
            n=Count("pk"),
            eqi_n=Count("eqi"),
            eqi_sum=Sum("eqi", output_field=FloatField()),
            eqi_sq=Sum(eqi * eqi, output_field=FloatField()),
        )
        .order_by()
    )
    for row in rows:
        role, unit_id = row["respondent_role"], row["unit_key"]
        stats[(role, RESPONSES, unit_id)] = _Stat(n=row["n"])
        if row["eqi_n"]:
            stats[(role, EQI, unit_id)] = _Stat(row["eqi_n"], row["eqi_sum"], row["eqi_sq"])
    score = F("score")
    scores = (
        DimensionScore.objects.filter(response__in=responses.values("pk"), dimension__code__in=ELEMENTS)
        .annotate(unit_key=Coalesce("response__unit_id", "response__round__stakeholder_round__unit_id"))
        .exclude(unit_key=None)
        .values("response__respondent_role", "unit_key", "dimension__code")
        .annotate(
            n=Count("pk"),
            total=Sum("score", output_field=FloatField()),
            total_sq=Sum(score * score, output_field=FloatField()),
        )
        .order_by()
    )
    for row in scores:
        key = (row["response__respondent_role"], row["dimension__code"], row["unit_key"])
        stats[key] = _Stat(row["n"], row["total"], row["total_sq"])
    return stats


def _subtree_stats(*, units: list[tuple[int, int | None, str]], own: dict[int, _Stat]) -> dict[int, _Stat]:
    totals: dict[int, _Stat] = {}
    paths = {unit_id: path for unit_id, _parent, path in units}
    for unit_id, stat in own.items():
        if unit_id not in paths:
            continue
        for ancestor in paths[unit_id].strip("/").split("/"):
            total = totals.setdefault(int(ancestor), _Stat())
            total.n += stat.n
            total.total += stat.total or 0.0
            total.total_sq += stat.total_sq or 0.0
    return totals


def _cell(metric: str, stat: _Stat | None) -> Cell:
    if stat is None or stat.n == 0:
        return Cell()
    if metric == RESPONSES:
        return Cell(n=stat.n, estimate=Estimate(value=float(stat.n), n=stat.n))
    estimate = mean_t_interval(n=stat.n, total=stat.total, total_sq=stat.total_sq, bounds=SCORE_BOUNDS)
    return Cell(n=stat.n, estimate=estimate)


def _hidden(stat: _Stat, threshold: int) -> Cell:
    # Only the page's label depends on this; the API and the CSV say "hidden" and nothing else.
    return HIDDEN_FOR_OTHERS if stat.n >= max(threshold, MINIMUM_THRESHOLD) else HIDDEN


def side_by_side(*, scope: Scope, period: Period) -> SideBySide:
    """Per visible unit (its subtree) with any answer in the period, and per audience: responses, EQI
    and the five elements with 95 % CIs.

    Partner and internal-customer figures obey the threshold rule across the unit tree of the whole
    organisation (suppression.py), the same for the page, the CSV export and the API."""
    require_viewer(scope)
    threshold = threshold_for(scope.organisation)
    tree = list(units_visible(scope=_organisation_scope(scope)).order_by("path").values_list("pk", "parent_id", "path"))
    stats = _unit_stats(scope=scope, period=period)
    cells: dict[tuple[str, str], dict[int, Cell]] = {}
    for audience in AUDIENCES:
        for metric in METRICS:
            own = {u: s for (a, m, u), s in stats.items() if a == audience and m == metric}
            totals = _subtree_stats(units=tree, own=own)
            shown = None
            if audience in ANONYMOUS_AUDIENCES:
                shown = tree_cells_shown(units=tree, own={u: s.n for u, s in own.items()}, threshold=threshold)
            cells[(audience, metric)] = {
                unit_id: (
                    _hidden(stat, threshold) if shown is not None and unit_id not in shown else _cell(metric, stat)
                )
                for unit_id, stat in totals.items()
            }
    visible = list(units_visible(scope=scope).order_by("path"))
    top_depth = min((u.depth for u in visible), default=0)
    framework = current_framework()
    elements = list(
        Dimension.objects.filter(framework=framework, code__in=ELEMENTS).order_by("order") if framework else []
    )
    rows = [
        UnitRow(
            unit=unit,
            depth=unit.depth - top_depth,
            audiences={
                audience: AudienceCells(
                    responses=cells[(audience, RESPONSES)].get(unit.pk, Cell()),
                    eqi=cells[(audience, EQI)].get(unit.pk, Cell()),
                    elements={code: cells[(audience, code)].get(unit.pk, Cell()) for code in ELEMENTS},
                )
                for audience in AUDIENCES
            },
        )
        for unit in visible
    ]
    # A unit without a single answer in the period says nothing; listing it would only bury the others.
    rows = [row for row in rows if any(cells.anything for cells in row.audiences.values())]
    return SideBySide(period=period, threshold=threshold, elements=elements, rows=rows)
