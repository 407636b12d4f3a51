"""Reads of the closed loop, always within the login's scope (employees see no cases)."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from kohtaamo.organisations.selectors import Scope, restrict

from .models import FollowupCase, FollowupRule

CASES_PER_PAGE = 25


def cases_visible(*, scope: Scope) -> QuerySet[FollowupCase]:
    return restrict(FollowupCase.objects.all(), scope=scope, unit_field="unit", person_field=None)


def rules_for(*, scope: Scope) -> QuerySet[FollowupRule]:
    """The organisation's follow-up rules, active and inactive."""
    return FollowupRule.objects.filter(organisation=scope.organisation).order_by("pk")


def rule_for(*, scope: Scope, rule_id: int) -> FollowupRule:
    rule = rules_for(scope=scope).filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule


def case_for(*, scope: Scope, case_id: int) -> FollowupCase:
    case = (
        cases_visible(scope=scope)
        .select_related("unit", "owner", "root_cause", "response", "resurvey_response", "customer")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def cases_page(*, scope: Scope, status: str, page) -> Page:
    qs = cases_visible(scope=scope).select_related("unit", "owner", "response", "root_cause")
    if status == "open":
        qs = qs.exclude(status=FollowupCase.Status.CLOSED)
    elif status == "closed":
        qs = qs.filter(status=FollowupCase.Status.CLOSED)
    return Paginator(qs.order_by("-opened_at", "-pk"), CASES_PER_PAGE).get_page(page)


@dataclass(frozen=True)
class CaseSummary:
    open: int
    overdue: int
    closed: int
    mean_days_to_close: float | None
    outcomes: dict[str, int]
    recovered: int  # closed cases whose customer answered again with NPS >= 7
    resurveyed: int


def cases_summary(*, scope: Scope, now) -> CaseSummary:
    qs = cases_visible(scope=scope)
    duration = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())
    closed = Q(status=FollowupCase.Status.CLOSED)
    row = qs.aggregate(
        open=Count("pk", filter=~closed),
        overdue=Count("pk", filter=~closed & Q(deadline__lt=now)),
        closed=Count("pk", filter=closed),
        mean_close=Avg(duration, filter=closed),
        resurveyed=Count("pk", filter=closed & Q(resurvey_response__isnull=False)),
        recovered=Count("pk", filter=closed & Q(resurvey_response__nps__gte=7)),
    )
    outcomes = dict(qs.filter(closed).values_list("outcome").annotate(n=Count("pk")).order_by())
    mean_close = row["mean_close"]
    if isinstance(mean_close, int | float):  # some databases answer microseconds
        mean_close = timedelta(microseconds=mean_close)
    return CaseSummary(
        open=row["open"],
        overdue=row["overdue"],
        closed=row["closed"],
        mean_days_to_close=mean_close / timedelta(days=1) if mean_close is not None else None,
        outcomes=outcomes,
        recovered=row["recovered"],
        resurveyed=row["resurveyed"],
    )
