"""Text analytics over the API: comment analyses, the theme table, transcript metrics and the briefing.

Only customer comments are analysed and shown, inside the caller's role scope; the briefing follows
the page's access rule (kohtaamo.textanalytics.selectors)."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kohtaamo.api.auth import api_scope
from kohtaamo.api.rows import BoundedPageNumberPagination, PagedRows

from . import selectors, sources
from .briefing import briefing_for
from .evidence import MACHINE_DERIVED
from .models import CommentTopic

router = Router(tags=["text analytics"])


class CommentAnalysisOut(Schema):
    id: int
    response: int
    submitted_at: datetime | None
    unit: int
    channel: str
    status: str
    language: str
    language_detected: bool  # False: the language could not be told and the survey page's was used
    mixed_languages: list[str]  # a comment in several languages: all of them, its own first
    truncated: bool  # analysed on its first 4,000 characters only
    sentiment: str
    sentiment_score: float  # P(positive) − P(negative), −1…1
    sentiment_confidence: float | None  # the classifier's probability of `sentiment`
    emotions: list
    elements: list[str]
    themes: list[str]


class CommentFilter(Schema):
    sentiment: str | None = None
    theme: str | None = None
    language: str | None = None


class ThemeCellOut(Schema):
    n: int
    sentiment: float
    negative_share: float
    indicative: bool


class ThemeGroupOut(Schema):
    key: str | None
    label: str | None


class ThemeRowOut(Schema):
    code: str
    total: ThemeCellOut
    cells: dict[str, ThemeCellOut]
    flag: str


class ThemeTableOut(Schema):
    by: str
    comments: int
    groups: list[ThemeGroupOut]
    rows: list[ThemeRowOut]


class SourceCellOut(Schema):
    value: float | None  # 0–100
    n: int
    note: str  # why there is no value: no_transcripts, no_responses, no_released_360, below_threshold, …
    machine_derived: bool


class TranscriptOut(Schema):
    encounter: int
    channel: str
    occurred_at: datetime
    analysed: bool
    format: str | None
    turns: int
    metrics: dict
    ranges_calibrated: bool | None
    ranges_basis_n: int | None
    evidence: dict[str, float]
    machine_derived: bool  # the evidence is computed from the transcript, not answered by anyone
    customer_scores: dict[str, dict]
    person: int | None
    # The encounter's person per element and source (transcript, customers, assessment_360, mystery).
    person_sources: dict[str, dict[str, SourceCellOut]]
    pulse_days: int
    mystery_location: int | None


class PastEncounterOut(Schema):
    encounter: int
    occurred_at: datetime
    channel: str
    unit: int
    eqi: float | None
    nps: int | None
    csat: int | None


class EmphasisOut(Schema):
    element: str
    score: float | None
    n: int
    negative_comments: int


class OpenCaseOut(Schema):
    id: int
    reasons: list[str]
    customer_requested: bool
    status: str
    opened_at: datetime
    deadline: datetime
    overdue: bool


class BriefingOut(Schema):
    customer: int
    encounter_count: int
    encounters: list[PastEncounterOut]
    # Follow-up cases not yet closed (not shown to employees, as in the follow-up app).
    open_cases: list[OpenCaseOut]
    # The latest negative comments, without those whose follow-up case was closed as resolved.
    open_issues: list[dict]
    promises: list[dict]
    sentiment_trend: str
    themes: list[dict]
    emphasis: list[EmphasisOut]


def _analysis(a) -> dict:
    topics = list(a.topics.all())
    return {
        "id": a.pk,
        "response": a.response_id,
        "submitted_at": a.response.submitted_at,
        "unit": a.response.unit_id,
        "channel": a.response.channel,
        "status": a.status,
        "language": a.language,
        "language_detected": a.language_detected,
        "mixed_languages": a.mixed_languages_list,
        "truncated": a.truncated,
        "sentiment": a.sentiment,
        "sentiment_score": a.sentiment_score,
        "sentiment_confidence": a.sentiment_confidence,
        "emotions": a.emotions,
        "elements": [t.code for t in topics if t.kind == CommentTopic.Kind.ELEMENT],
        "themes": [t.code for t in topics if t.kind == CommentTopic.Kind.THEME],
    }


@router.get("/{org}/comments", response=list[CommentAnalysisOut], summary="Analyses of customer comments, newest first")
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=500)
def list_comment_analyses(request, org: str, filters: Query[CommentFilter]):
    qs = selectors.comment_analyses_visible(scope=api_scope(request, org))
    if filters.sentiment:
        qs = qs.filter(sentiment=filters.sentiment)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.theme:
        qs = qs.filter(topics__kind=CommentTopic.Kind.THEME, topics__code=filters.theme).distinct()
    return PagedRows(qs, _analysis)


def _cell(cell) -> dict:
    return {
        "n": cell.n,
        "sentiment": cell.sentiment,
        "negative_share": cell.negative_share,
        "indicative": cell.indicative,
    }


def _key(key) -> str | None:
    if key is None:
        return None
    return key.date().isoformat()[:7] if isinstance(key, datetime) else str(key)


@router.get(
    "/{org}/themes",
    response=ThemeTableOut,
    summary="Themes of customer comments, by unit, channel, touchpoint or month",
)
def theme_table(request, org: str, by: Literal["unit", "channel", "touchpoint", "period"] = "unit"):
    table = selectors.theme_table(scope=api_scope(request, org), by=by)
    return {
        "by": table.by,
        "comments": table.comments,
        "groups": [{"key": _key(key), "label": _key(label)} for key, label in table.groups],
        "rows": [
            {
                "code": row.code,
                "total": _cell(row.total),
                "cells": {_key(key): _cell(cell) for key, cell in row.cells.items()},
                "flag": row.flag,
            }
            for row in table.rows
        ],
    }


@router.get(
    "/{org}/encounters/{encounter_id}/transcript", response=TranscriptOut, summary="Transcript metrics of an encounter"
)
def encounter_transcript(request, org: str, encounter_id: int):
    view = sources.encounter_transcript(scope=api_scope(request, org), encounter_id=encounter_id)
    analysis, ranges = view.analysis, view.ranges
    return {
        "encounter": view.encounter.pk,
        "channel": view.encounter.channel,
        "occurred_at": view.encounter.occurred_at,
        "analysed": analysis is not None,
        "format": analysis.format if analysis else None,
        "turns": len(analysis.turns) if analysis else 0,
        "metrics": analysis.metrics if analysis else {},
        "ranges_calibrated": ranges.calibrated if ranges else None,
        "ranges_basis_n": ranges.basis_n if ranges else None,
        "evidence": view.evidence,
        "machine_derived": True,
        "customer_scores": view.customer_scores,
        "person": view.encounter.person_id,
        "person_sources": {
            code: {
                source: {
                    "value": cell.value,
                    "n": cell.n,
                    "note": cell.note,
                    "machine_derived": source in MACHINE_DERIVED,
                }
                for source, cell in cells.items()
            }
            for code, cells in view.person_sources.items()
        },
        "pulse_days": view.pulse_days,
        "mystery_location": view.mystery_location.pk if view.mystery_location else None,
    }


@router.get(
    "/{org}/customers/{customer_id}/briefing", response=BriefingOut, summary="Pre-encounter briefing on a customer"
)
def customer_briefing(request, org: str, customer_id: int):
    data = briefing_for(scope=api_scope(request, org), customer_id=customer_id)
    return {
        "customer": data.customer.pk,
        "encounter_count": data.encounter_count,
        "encounters": [
            {
                "encounter": p.encounter.pk,
                "occurred_at": p.encounter.occurred_at,
                "channel": p.encounter.channel,
                "unit": p.encounter.unit_id,
                "eqi": p.eqi,
                "nps": p.nps,
                "csat": p.csat,
            }
            for p in data.encounters
        ],
        "open_cases": data.open_cases,
        "open_issues": data.open_issues,
        "promises": data.promises,
        "sentiment_trend": data.sentiment_trend,
        "themes": data.themes,
        "emphasis": [
            {"element": e.element, "score": e.score, "n": e.n, "negative_comments": e.negative_comments}
            for e in data.emphasis
        ],
    }
