"""Maturity reports over the API: the same figures and the same threshold rule as the pages."""

from django.utils.translation import get_language
from ninja import Router, Schema

from kohtaamo.api.auth import api_scope

from .selectors import SIDES, Cell, maturity_report, survey_for, surveys_visible

router = Router(tags=["maturity"])


class MaturitySurveyOut(Schema):
    id: int
    year: int
    name: str


class MaturityEstimateOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    indicative: bool


class MaturityCellOut(Schema):
    hidden: bool
    score: MaturityEstimateOut | None
    excellent: MaturityEstimateOut | None


class MaturityThemeOut(Schema):
    code: str
    name: str
    profile: float | None
    sides: dict[str, MaturityCellOut]
    gap_management_customer: float | None
    gap_management_staff: float | None
    gap_staff_customer: float | None


class MaturityUnitOut(Schema):
    unit: int | None
    name: str | None
    themes: dict[str, MaturityCellOut]


class MaturityRecommendationOut(Schema):
    code: str
    name: str
    profile: float | None
    text: str


class MaturityReportOut(Schema):
    survey: MaturitySurveyOut
    threshold: int
    themes: list[MaturityThemeOut]
    units: dict[str, list[MaturityUnitOut]]
    recommendations: list[MaturityRecommendationOut]


def _cell(cell: Cell) -> dict:
    if cell.hidden:
        # Nothing of a hidden cell leaves the server, not even its n.
        return {"hidden": True, "score": None, "excellent": None}
    return {"hidden": False, "score": cell.score.as_dict(), "excellent": cell.excellent.as_dict()}


def _survey(survey) -> dict:
    return {"id": survey.pk, "year": survey.year, "name": survey.round.name}


@router.get("/{org}/maturity/surveys", response=list[MaturitySurveyOut], summary="Maturity surveys, newest first")
def maturity_surveys(request, org: str):
    return [_survey(s) for s in surveys_visible(scope=api_scope(request, org))]


@router.get(
    "/{org}/maturity/surveys/{survey_id}/report",
    response=MaturityReportOut,
    summary="Maturity profile, perception gap, per-unit figures and recommendations",
)
def maturity_survey_report(request, org: str, survey_id: int):
    survey = survey_for(scope=api_scope(request, org), survey_id=survey_id)
    report = maturity_report(survey=survey, language=get_language())
    management, staff, customer = SIDES
    return {
        "survey": _survey(survey),
        "threshold": report.threshold,
        "themes": [
            {
                "code": t.code,
                "name": t.name,
                "profile": t.profile,
                "sides": {side: _cell(t.cells[side]) for side in SIDES},
                "gap_management_customer": t.gap(management, customer),
                "gap_management_staff": t.gap(management, staff),
                "gap_staff_customer": t.gap(staff, customer),
            }
            for t in report.themes
        ],
        "units": {
            side: [
                {
                    "unit": row.unit.pk if row.unit else None,
                    "name": row.unit.name if row.unit else None,
                    "themes": {code: _cell(cell) for code, cell in row.cells.items()},
                }
                for row in rows
            ]
            for side, rows in report.units.items()
        },
        "recommendations": [
            {"code": t.code, "name": t.name, "profile": t.profile, "text": t.recommendation} for t in report.weakest
        ],
    }
