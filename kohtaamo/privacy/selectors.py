"""Reads of the privacy pages: the audit log, people and customers to export or erase, consent records.

Only organisation admins reach any of it (`require_privacy_admin`)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kohtaamo.organisations.models import Customer, Membership, Person
from kohtaamo.organisations.selectors import Scope, customers_visible, people_visible, restrict

from .models import AuditEntry, ConsentRecord

SEARCH_LIMIT = 50


def require_privacy_admin(scope: Scope) -> None:
    """Personal data of everyone in the organisation: the organisation admin's matter only."""
    if scope.role != Membership.Role.ADMIN:
        raise PermissionDenied


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, scope: Scope, filters: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    """The organisation's audit log, newest first, narrowed by the filters (days in the organisation's zone)."""
    require_privacy_admin(scope)
    qs = restrict(AuditEntry.objects.all(), scope=scope, unit_field="", person_field=None).select_related("actor")
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.since:
        qs = qs.filter(at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(at__lt=_day_start(filters.until) + timedelta(days=1))
    return qs.order_by("-at", "-pk")


def audit_object_types(*, scope: Scope) -> list[str]:
    require_privacy_admin(scope)
    qs = restrict(AuditEntry.objects.all(), scope=scope, unit_field="", person_field=None)
    return list(qs.order_by("object_type").values_list("object_type", flat=True).distinct())


def people_search(*, scope: Scope, query: str) -> QuerySet[Person]:
    require_privacy_admin(scope)
    query = query.strip()
    if not query:
        return Person.objects.none()
    condition = Q(name__icontains=query) | Q(external_id__iexact=query) | Q(email__iexact=query)
    return people_visible(scope=scope).filter(condition).order_by("name")[:SEARCH_LIMIT]


def customers_search(*, scope: Scope, query: str) -> QuerySet[Customer]:
    require_privacy_admin(scope)
    query = query.strip()
    if not query:
        return Customer.objects.none()
    condition = Q(external_id__iexact=query) | Q(email__iexact=query)
    return customers_visible(scope=scope).filter(condition).order_by("external_id")[:SEARCH_LIMIT]


def person_for_privacy(*, scope: Scope, person_id: int) -> Person:
    require_privacy_admin(scope)
    person = people_visible(scope=scope).select_related("user", "organisation").filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def customer_for_privacy(*, scope: Scope, customer_id: int) -> Customer:
    require_privacy_admin(scope)
    customer = customers_visible(scope=scope).select_related("organisation").filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def consent_records_of(*, scope: Scope, customer: Customer) -> QuerySet[ConsentRecord]:
    require_privacy_admin(scope)
    return ConsentRecord.objects.filter(organisation=scope.organisation, customer=customer).order_by("-at", "-pk")
