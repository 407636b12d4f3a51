"""Reads for maturity surveys: progress, the maturity profile, the perception gap, per-unit figures
and the yearly trend. Every figure is aggregated in the database; the anonymity threshold applies to
management and staff answers wherever they are shown."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FloatField, IntegerField, Max, Min, Q, QuerySet, Sum, When
from django.http import Http404

from kohtaamo.analytics.anonymity import cell_allowed, threshold_for
from kohtaamo.analytics.metrics import EMPTY, Estimate, mean_t_interval, top_box_share
from kohtaamo.feedback.models import DimensionScore, Invitation, RespondentRole, Response
from kohtaamo.instruments.models import Dimension, Question
from kohtaamo.organisations.models import Unit
from kohtaamo.organisations.selectors import Scope

from .models import MaturitySurvey
from .recommendations import recommendation_for, recommendation_url
from .suppression import cells_shown

SIDES = (RespondentRole.MANAGEMENT, RespondentRole.STAFF, RespondentRole.CUSTOMER)
ANONYMOUS_SIDES = frozenset({RespondentRole.MANAGEMENT, RespondentRole.STAFF})
WEAKEST_COUNT = 3
SCORE_BOUNDS = (0.0, 100.0)


def surveys_visible(*, scope: Scope) -> QuerySet[MaturitySurvey]:
    """Maturity surveys are organisation-level: only organisation-wide roles see them."""
    if not scope.organisation_wide:
        return MaturitySurvey.objects.none()
    return MaturitySurvey.objects.filter(organisation=scope.organisation).select_related(
        "round", "organisation_questionnaire", "customer_questionnaire"
    )


def survey_for(*, scope: Scope, survey_id: int) -> MaturitySurvey:
    survey = surveys_visible(scope=scope).filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


# -- progress: counts only, never who answered ---------------------------------------------------


@dataclass(frozen=True)
class Progress:
    invited: dict[str, int]
    answered: dict[str, int]


def survey_progress(*, survey: MaturitySurvey) -> Progress:
    invited = dict(
        Invitation.objects.filter(round=survey.round).order_by().values_list("respondent_role").annotate(n=Count("pk"))
    )
    answered = dict(
        Response.objects.filter(round=survey.round, status=Response.Status.SUBMITTED)
        .order_by()
        .values_list("respondent_role")
        .annotate(n=Count("pk"))
    )
    return Progress(
        invited={side: invited.get(side, 0) for side in SIDES},
        answered={side: answered.get(side, 0) for side in SIDES},
    )


# -- figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One side's figures on one theme: mean score 0–100 and % "excellent", or hidden by the threshold."""

    score: Estimate = EMPTY
    excellent: Estimate = EMPTY
    hidden: bool = False

    @property
    def n(self) -> int:
        return self.score.n


HIDDEN = Cell(hidden=True)


def _themes(*, survey: MaturitySurvey) -> list[Dimension]:
    return list(
        Dimension.objects.filter(
            framework_id=survey.organisation_questionnaire.framework_id, group="maturity"
        ).order_by("order")
    )


def _excellent_condition(*, survey: MaturitySurvey) -> Q:
    """A respondent rates a theme "excellent" when their theme mean rounds to the scale's top point
    (mean ≥ max − 0.5; on 0–100: score ≥ 100·(max − 0.5 − min)/(max − min))."""
    scales = (
        Question.objects.filter(
            questionnaire=survey.organisation_questionnaire, item__dimensions__group=Dimension.Group.MATURITY
        )
        .order_by()
        .values("item__dimensions")
        .annotate(low=Min("scale_min"), high=Max("scale_max"))
    )
    condition = Q(pk__in=[])
    for row in scales:
        cutoff = 100 * (row["high"] - 0.5 - row["low"]) / (row["high"] - row["low"])
        condition |= Q(dimension_id=row["item__dimensions"], score__gte=cutoff - 1e-9)
    return condition


def _score_stats(*, scores: QuerySet[DimensionScore], keys: tuple[str, ...], excellent: Q | None = None) -> list[dict]:
    """Sufficient statistics of theme scores grouped by `keys`, in one query."""
    aggregates = {
        "n": Count("pk"),
        "total": Sum("score"),
        "total_sq": Sum(F("score") * F("score"), output_field=FloatField()),
    }
    if excellent is not None:
        aggregates["hits"] = Sum(Case(When(excellent, then=1), default=0, output_field=IntegerField()))
    return list(scores.order_by().values(*keys).annotate(**aggregates))


def _cell(row: dict | None) -> Cell:
    if row is None:
        return Cell()
    score = mean_t_interval(n=row["n"], total=row["total"], total_sq=row["total_sq"], bounds=SCORE_BOUNDS)
    excellent = top_box_share(hits=row["hits"], n=row["n"]) if "hits" in row else EMPTY
    return Cell(score=score, excellent=excellent)


def _survey_scores(*, survey: MaturitySurvey) -> QuerySet[DimensionScore]:
    return DimensionScore.objects.filter(
        response__round=survey.round,
        response__status=Response.Status.SUBMITTED,
        dimension__group=Dimension.Group.MATURITY,
    )


@dataclass(frozen=True)
class ThemeRow:
    dimension: Dimension
    cells: dict[str, Cell]
    recommendation: str = ""
    action_url: str | None = None  # the page in Kohtaamo where the recommendation can be acted on

    @property
    def code(self) -> str:
        return self.dimension.code

    @property
    def name(self) -> str:
        return self.dimension.name

    def value(self, side: str) -> float | None:
        cell = self.cells[side]
        return None if cell.hidden else cell.score.value

    @property
    def profile(self) -> float | None:
        """The theme's maturity: the mean of the shown sides' mean scores, each side weighing the same."""
        values = [v for v in (self.value(side) for side in SIDES) if v is not None]
        return sum(values) / len(values) if values else None

    def gap(self, side: str, other: str) -> float | None:
        """`side` minus `other` on 0–100 (management − customers > 0: management sees it rosier)."""
        a, b = self.value(side), self.value(other)
        return None if a is None or b is None else a - b

    def excellent_gap(self, side: str, other: str) -> float | None:
        a, b = self.cells[side], self.cells[other]
        if a.hidden or b.hidden or a.excellent.value is None or b.excellent.value is None:
            return None
        return a.excellent.value - b.excellent.value


@dataclass(frozen=True)
class UnitRow:
    unit: Unit | None
    cells: dict[str, Cell]  # theme code -> cell


@dataclass(frozen=True)
class MaturityReport:
    survey: MaturitySurvey
    threshold: int
    themes: list[ThemeRow]
    weakest: list[ThemeRow]
    units: dict[str, list[UnitRow]] = field(default_factory=dict)  # side -> rows


def _allowed(side: str, n: int, threshold: int) -> bool:
    return side not in ANONYMOUS_SIDES or cell_allowed(n, threshold=threshold)


def perception_gap(*, survey: MaturitySurvey) -> tuple[list[ThemeRow], int]:
    """Per theme and side (management, staff, customers): mean 0–100 and % excellent with n and CIs.
    Management and staff cells under the threshold are hidden."""
    threshold = threshold_for(survey.organisation)
    rows = _score_stats(
        scores=_survey_scores(survey=survey),
        keys=("dimension_id", "response__respondent_role"),
        excellent=_excellent_condition(survey=survey),
    )
    stats = {(r["dimension_id"], r["response__respondent_role"]): r for r in rows}
    themes = []
    for dimension in _themes(survey=survey):
        cells = {}
        for side in SIDES:
            row = stats.get((dimension.pk, side))
            cells[side] = _cell(row) if row is None or _allowed(side, row["n"], threshold) else HIDDEN
        themes.append(ThemeRow(dimension=dimension, cells=cells))
    return themes, threshold


def weakest_themes(
    *, themes: list[ThemeRow], language: str | None = None, organisation_slug: str | None = None
) -> list[ThemeRow]:
    """The lowest-scoring themes (by maturity profile), with their recommendation texts and, where
    Kohtaamo has one, the page to act on."""
    scored = sorted((t for t in themes if t.profile is not None), key=lambda t: (t.profile, t.dimension.order))
    return [
        ThemeRow(
            dimension=t.dimension,
            cells=t.cells,
            recommendation=recommendation_for(t.code, language),
            action_url=recommendation_url(t.code, organisation_slug=organisation_slug) if organisation_slug else None,
        )
        for t in scored[:WEAKEST_COUNT]
    ]


UNIT_KEY = "response__invitation__maturity_target__unit"


def unit_breakdown(*, survey: MaturitySurvey, side: str, themes: list[Dimension], threshold: int) -> list[UnitRow]:
    """One side's theme scores per invitee unit. For management and staff, every theme's cells obey
    the threshold across the partition of units (see suppression.py)."""
    rows = _score_stats(
        scores=_survey_scores(survey=survey).filter(response__respondent_role=side),
        keys=(UNIT_KEY, "dimension_id"),
        excellent=_excellent_condition(survey=survey),
    )
    by_theme: dict[int, dict] = defaultdict(dict)
    for row in rows:
        by_theme[row["dimension_id"]][row[UNIT_KEY]] = row
    unit_ids = {row[UNIT_KEY] for row in rows}
    if not any(unit_id is not None for unit_id in unit_ids):
        return []
    shown = {
        theme_id: (
            cells_shown({u: r["n"] for u, r in per_unit.items()}, threshold=threshold)
            if side in ANONYMOUS_SIDES
            else set(per_unit)
        )
        for theme_id, per_unit in by_theme.items()
    }
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[u for u in unit_ids if u is not None])}
    ordered = sorted(unit_ids, key=lambda u: (u is None, units[u].path if u is not None else ""))
    return [
        UnitRow(
            unit=units.get(unit_id),
            cells={
                dimension.code: (
                    _cell(by_theme[dimension.pk][unit_id]) if unit_id in shown.get(dimension.pk, ()) else HIDDEN
                )
                if unit_id in by_theme.get(dimension.pk, {})
                else Cell()
                for dimension in themes
            },
        )
        for unit_id in ordered
    ]


def maturity_report(*, survey: MaturitySurvey, language: str | None = None) -> MaturityReport:
    themes, threshold = perception_gap(survey=survey)
    dimensions = [t.dimension for t in themes]
    units = {
        side: unit_breakdown(survey=survey, side=side, themes=dimensions, threshold=threshold)
        for side in (RespondentRole.STAFF, RespondentRole.CUSTOMER)
    }
    return MaturityReport(
        survey=survey,
        threshold=threshold,
        themes=themes,
        weakest=weakest_themes(themes=themes, language=language, organisation_slug=survey.organisation.slug),
        units={side: rows for side, rows in units.items() if rows},
    )


# -- the yearly trend ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    dimension: Dimension
    by_year: dict[int, dict[str, Cell]]  # year -> side -> cell


def theme_trend(*, scope: Scope) -> tuple[list[int], list[TrendRow]]:
    """Theme scores per survey year and side, under the same threshold rule."""
    surveys = surveys_visible(scope=scope)
    threshold = threshold_for(scope.organisation)
    year_key = "response__round__maturity_survey__year"
    rows = _score_stats(
        scores=DimensionScore.objects.filter(
            response__round__maturity_survey__in=surveys,
            response__status=Response.Status.SUBMITTED,
            dimension__group=Dimension.Group.MATURITY,
        ),
        keys=(year_key, "dimension_id", "response__respondent_role"),
    )
    stats = {(r[year_key], r["dimension_id"], r["response__respondent_role"]): r for r in rows}
    years = sorted({r[year_key] for r in rows})
    dimension_ids = {r["dimension_id"] for r in rows}
    trend = []
    for dimension in Dimension.objects.filter(pk__in=dimension_ids).order_by("order"):
        by_year = {}
        for year in years:
            by_year[year] = {}
            for side in SIDES:
                row = stats.get((year, dimension.pk, side))
                by_year[year][side] = _cell(row) if row is None or _allowed(side, row["n"], threshold) else HIDDEN
        trend.append(TrendRow(dimension=dimension, by_year=by_year))
    return years, trend
