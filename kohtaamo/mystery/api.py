"""Mystery-shopping figures over the API: approved visits only, with the same scope as the pages."""

from django.http import Http404
from ninja import Query, Router, Schema

from kohtaamo.api.auth import api_scope
from kohtaamo.organisations.selectors import unit_for

from . import selectors

router = Router(tags=["mystery shopping"])


class ScoreQuery(Schema):
    wave: int | None = None
    unit: int | None = None


class EstimateOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    indicative: bool


class LocationOut(Schema):
    unit_id: int
    unit: str
    score: EstimateOut


class ScoresOut(Schema):
    wave_id: int | None
    wave: str | None
    overall: EstimateOut
    locations: list[LocationOut]


@router.get("/{org}/mystery/scores", response=ScoresOut, summary="Mystery-shop scores of approved visits")
def mystery_scores(request, org: str, filters: Query[ScoreQuery]):
    scope = api_scope(request, org)
    waves = selectors.waves_visible(scope=scope)
    wave = waves.filter(pk=filters.wave).first() if filters.wave else waves.first()
    if filters.wave and wave is None:
        raise Http404
    unit = unit_for(scope=scope, unit_id=filters.unit) if filters.unit else None
    return {
        "wave_id": wave.pk if wave else None,
        "wave": wave.name if wave else None,
        "overall": selectors.overall(scope=scope, wave=wave, unit=unit).as_dict(),
        "locations": [
            {"unit_id": row.key, "unit": row.label, "score": row.estimate.as_dict()}
            for row in selectors.location_scores(scope=scope, wave=wave, unit=unit)
        ],
    }
