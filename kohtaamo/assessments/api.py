"""360 API: released reports and team reports only, under the same anonymity rule as the pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from ninja import Router

from kohtaamo.api.auth import AUTH, api_scope

from . import selectors
from .presentation import report_public

router = Router(tags=["360"], auth=AUTH)


@router.get("/{org}/360/rounds")
def rounds(request, org: str):
    scope = api_scope(request, org)
    return [
        {
            "id": a.pk,
            "name": a.round.name,
            "active": a.round.active,
            "nomination_closes_on": a.nomination_closes_on.isoformat(),
            "answering_closes_on": a.answering_closes_on.isoformat(),
            "report_on": a.report_on.isoformat(),
        }
        for a in selectors.assessments_visible(scope=scope)
    ]


@router.get("/{org}/360/participants/{participant_id}/report")
def report(request, org: str, participant_id: int):
    scope = api_scope(request, org)
    participant = selectors.participant_for(scope=scope, participant_id=participant_id)
    return report_public(release=selectors.released_report_for(scope=scope, participant=participant))


@router.get("/{org}/360/rounds/{assessment_id}/team")
def team(request, org: str, assessment_id: int, unit: int | None = None):
    scope = api_scope(request, org)
    if scope.is_employee:
        raise PermissionDenied
    assessment = selectors.assessment_for(scope=scope, assessment_id=assessment_id)
    language = get_language()
    result = selectors.team_report(scope=scope, assessment=assessment, unit_id=unit)
    return {
        "threshold": selectors.threshold_for(assessment.organisation),
        "dimensions": [d.code for d in result.dimensions],
        "heat_map": [{"person": p.person.name, "scores": values} for p, values in result.rows],
        "not_shown": result.not_shown,
        "distribution": [
            {k: (v.code if k == "dimension" else v) for k, v in row.items()} for row in result.distribution
        ],
        "development_areas": [
            {"dimension": a["dimension"].code, "name": a["dimension"].name, "people": a["people"]}
            for a in result.development_areas
        ],
        "language": language,
    }
