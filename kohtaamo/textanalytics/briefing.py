"""The pre-encounter briefing: one page about a customer's history to read before meeting them.

Visibility rules are in selectors.py's module docstring: organisation-wide roles see every customer;
a unit manager or an employee only customers met inside their scope, and only those encounters.
Follow-up cases follow the follow-up app's own rule (cases_visible: none for employees).

Open issues are the customer's follow-up cases not yet closed, and their latest negative comments
except those whose follow-up case was closed as resolved (those are left out, and the page says so).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kohtaamo.feedback.models import Encounter
from kohtaamo.followup.models import FollowupCase
from kohtaamo.followup.selectors import cases_visible
from kohtaamo.organisations.models import Customer
from kohtaamo.organisations.selectors import Scope, restrict

from .models import CommentAnalysis, CommentTopic, Sentiment, TranscriptAnalysis
from .selectors import ELEMENTS, customer_element_scores, customer_responses

ENCOUNTERS_SHOWN = 10
OPEN_CASES_SHOWN = 10
EMPHASIS_BELOW = 75.0  # element scores under this (0–100) are worth emphasising


@dataclass(frozen=True)
class PastEncounter:
    encounter: Encounter
    eqi: float | None
    nps: int | None
    csat: int | None


@dataclass(frozen=True)
class Emphasis:
    element: str
    score: float | None
    n: int
    negative_comments: int


@dataclass
class Briefing:
    customer: Customer
    encounters: list[PastEncounter]
    encounter_count: int
    open_issues: list[dict]  # recent negative comments: {"text", "when", "themes"}
    promises: list[dict]  # next steps the employee committed to in transcripts: {"text", "when"}
    sentiment_points: list[tuple[datetime, float]]
    sentiment_trend: str  # improving / declining / steady / unknown
    themes: list[dict]  # {"code", "n", "sentiment"}
    emphasis: list[Emphasis] = field(default_factory=list)
    # Follow-up cases not yet closed: {"id", "reasons", "customer_requested", "status", "deadline", "overdue"}
    open_cases: list[dict] = field(default_factory=list)


def customer_encounters(*, scope: Scope, customer_id: int) -> tuple[Customer, QuerySet[Encounter]]:
    """The customer and the encounters with them the scope may see; 404 where the scope sees none."""
    customer = Customer.objects.filter(organisation=scope.organisation, pk=customer_id).first()
    if customer is None or scope.is_shopper:
        raise Http404
    encounters = restrict(Encounter.objects.filter(customer=customer), scope=scope)
    if not scope.organisation_wide and not encounters.exists():
        raise Http404
    return customer, encounters


def _trend(points: list[tuple[datetime, float]]) -> str:
    if len(points) < 3:
        return "unknown"
    recent = [score for _when, score in points[-3:]]
    earlier = [score for _when, score in points[:-3]] or [points[0][1]]
    change = sum(recent) / len(recent) - sum(earlier) / len(earlier)
    return "improving" if change > 0.15 else "declining" if change < -0.15 else "steady"


def briefing_for(*, scope: Scope, customer_id: int) -> Briefing:
    customer, encounters = customer_encounters(scope=scope, customer_id=customer_id)
    responses = customer_responses(scope=scope).filter(encounter__in=encounters)
    scores = {
        row["encounter_id"]: row
        for row in responses.values("encounter_id").annotate(eqi=Avg("eqi"), nps=Avg("nps"), csat=Avg("csat"))
    }
    shown = list(encounters.select_related("unit", "person").order_by("-occurred_at")[:ENCOUNTERS_SHOWN])
    past = [
        PastEncounter(
            e,
            round(scores[e.pk]["eqi"], 1) if e.pk in scores and scores[e.pk]["eqi"] is not None else None,
            round(scores[e.pk]["nps"]) if e.pk in scores and scores[e.pk]["nps"] is not None else None,
            round(scores[e.pk]["csat"]) if e.pk in scores and scores[e.pk]["csat"] is not None else None,
        )
        for e in shown
    ]
    analyses = CommentAnalysis.objects.filter(response__in=responses, status=CommentAnalysis.Status.OK)
    points = list(analyses.order_by("response__submitted_at").values_list("response__submitted_at", "sentiment_score"))
    negatives = list(
        analyses.filter(sentiment=Sentiment.NEGATIVE)
        # A comment whose follow-up case was closed as resolved is no longer an open issue.
        .exclude(
            response__followup_case__status=FollowupCase.Status.CLOSED,
            response__followup_case__outcome=FollowupCase.Outcome.RESOLVED,
        )
        .order_by("-response__submitted_at")
        .values("pk", "answer__text", "response__submitted_at")[:3]
    )
    negative_themes: dict[int, list[str]] = {}
    for analysis_id, code in CommentTopic.objects.filter(
        analysis_id__in=[n["pk"] for n in negatives], kind=CommentTopic.Kind.THEME
    ).values_list("analysis_id", "code"):
        negative_themes.setdefault(analysis_id, []).append(code)
    promises = [
        {"text": sentence, "when": when}
        for metrics, when in TranscriptAnalysis.objects.filter(encounter__in=encounters)
        .order_by("-encounter__occurred_at")
        .values_list("metrics", "encounter__occurred_at")[:3]
        for sentence in (metrics or {}).get("next_step_sentences", [])[:3]
    ]
    themes = [
        {"code": r["code"], "n": r["n"], "sentiment": round(r["sentiment"], 2)}
        for r in CommentTopic.objects.filter(analysis__in=analyses, kind=CommentTopic.Kind.THEME)
        .values("code")
        .annotate(n=Count("id"), sentiment=Avg("sentiment_score"))
        .order_by("-n", "code")[:5]
    ]
    element_scores = customer_element_scores(responses=responses)
    negative_elements = dict(
        CommentTopic.objects.filter(
            analysis__in=analyses.filter(sentiment=Sentiment.NEGATIVE), kind=CommentTopic.Kind.ELEMENT
        )
        .values("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    emphasis = [
        Emphasis(
            code,
            element_scores.get(code, {}).get("score"),
            element_scores.get(code, {}).get("n", 0),
            negative_elements.get(code, 0),
        )
        for code in ELEMENTS
        if negative_elements.get(code) or element_scores.get(code, {}).get("score", 100.0) < EMPHASIS_BELOW
    ]
    # The lowest customer score first; elements known only from negative comments after, most mentioned first.
    emphasis.sort(key=lambda e: (e.score is None, e.score or 0.0, -e.negative_comments))
    now = timezone.now()
    open_cases = [
        {
            "id": case.pk,
            "reasons": case.reasons,
            "customer_requested": case.customer_requested,
            "status": case.status,
            "status_label": case.get_status_display(),
            "opened_at": case.opened_at,
            "deadline": case.deadline,
            "overdue": case.deadline < now,
        }
        for case in cases_visible(scope=scope)
        .filter(Q(customer=customer) | Q(response__encounter__customer=customer))
        .exclude(status=FollowupCase.Status.CLOSED)
        .order_by("deadline", "pk")[:OPEN_CASES_SHOWN]
    ]
    return Briefing(
        customer=customer,
        encounters=past,
        encounter_count=encounters.count(),
        open_issues=[
            {
                "text": n["answer__text"][:400],
                "when": n["response__submitted_at"],
                "themes": negative_themes.get(n["pk"], []),
            }
            for n in negatives
        ],
        promises=promises,
        sentiment_points=points[-12:],
        sentiment_trend=_trend(points),
        themes=themes,
        emphasis=emphasis[:3],
        open_cases=open_cases,
    )
