"""Tenant and role scoping: the one place that decides what a login may see.

Views and API endpoints resolve a `Scope` with `scope_for` and pass it to selectors; they never
filter tenant data by hand.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Customer, Membership, Organisation, Person, Touchpoint, Unit

Role = Membership.Role
# Roles that see the whole organisation's figures.
ORGANISATION_WIDE_ROLES = frozenset({Role.ADMIN, Role.CX_LEAD, Role.CONSULTANT})
# Roles that may change set-up data and import encounters.
MANAGING_ROLES = frozenset({Role.ADMIN, Role.CX_LEAD, Role.CONSULTANT})


@dataclass(frozen=True)
class Scope:
    """What one login may see in one organisation."""

    organisation: Organisation
    role: str
    user_id: int
    unit_path: str | None = None  # set for unit managers: their subtree
    person_id: int | None = None  # set for employees: only their own figures

    @property
    def organisation_wide(self) -> bool:
        return self.role in ORGANISATION_WIDE_ROLES

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGING_ROLES

    @property
    def is_employee(self) -> bool:
        return self.role == Role.EMPLOYEE

    @property
    def is_shopper(self) -> bool:
        """An external mystery shopper: sees their own assignments and nothing of the organisation's data."""
        return self.role == Role.SHOPPER


def organisations_for(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def scope_for(*, user, organisation_slug: str) -> Scope:
    """The acting user's scope in an organisation; 404 where they have no membership (no existence leak)."""
    if not user.is_authenticated:
        raise PermissionDenied
    membership = (
        Membership.objects.select_related("organisation", "unit")
        .filter(user=user, organisation__slug=organisation_slug)
        .first()
    )
    if membership is None:
        if user.is_superuser:
            organisation = Organisation.objects.filter(slug=organisation_slug).first()
            if organisation:
                return Scope(organisation=organisation, role=Role.ADMIN, user_id=user.pk)
        raise Http404
    if membership.role == Role.UNIT_MANAGER:
        if membership.unit is None:
            raise PermissionDenied
        return Scope(membership.organisation, membership.role, user.pk, unit_path=membership.unit.path)
    if membership.role == Role.EMPLOYEE:
        if membership.person_id is None:
            raise PermissionDenied
        return Scope(membership.organisation, membership.role, user.pk, person_id=membership.person_id)
    if membership.role == Role.SHOPPER:
        return Scope(membership.organisation, membership.role, user.pk)
    return Scope(membership.organisation, membership.role, user.pk)


def scope_from_organisation(*, organisation: Organisation, role: str = Role.ADMIN, user_id: int = 0) -> Scope:
    """An organisation-wide scope for system work (CLI, background tasks)."""
    return Scope(organisation=organisation, role=role, user_id=user_id)


def require_manager(scope: Scope) -> None:
    if not scope.can_manage:
        raise PermissionDenied


def restrict(qs: QuerySet, *, scope: Scope, unit_field: str = "unit", person_field: str | None = "person") -> QuerySet:
    """Apply organisation and role scope to any queryset with organisation, unit and person fields."""
    if scope.is_shopper:
        return qs.none()
    qs = qs.filter(organisation=scope.organisation)
    if scope.unit_path is not None:
        qs = qs.filter(**{f"{unit_field}__path__startswith": scope.unit_path})
    if scope.person_id is not None:
        if person_field is None:
            return qs.none()
        qs = qs.filter(**{person_field: scope.person_id})
    return qs


def units_visible(*, scope: Scope) -> QuerySet[Unit]:
    if scope.is_shopper:
        return Unit.objects.none()
    qs = Unit.objects.filter(organisation=scope.organisation)
    if scope.unit_path is not None:
        qs = qs.filter(path__startswith=scope.unit_path)
    if scope.person_id is not None:
        qs = qs.filter(people__id=scope.person_id)
    return qs


def people_visible(*, scope: Scope) -> QuerySet[Person]:
    if scope.is_shopper:
        return Person.objects.none()
    qs = Person.objects.filter(organisation=scope.organisation).select_related("unit")
    if scope.unit_path is not None:
        qs = qs.filter(unit__path__startswith=scope.unit_path)
    if scope.person_id is not None:
        qs = qs.filter(pk=scope.person_id)
    return qs


def touchpoints_visible(*, scope: Scope) -> QuerySet[Touchpoint]:
    if scope.is_shopper:
        return Touchpoint.objects.none()
    qs = Touchpoint.objects.filter(organisation=scope.organisation).select_related("stage__service_path")
    if scope.unit_path is not None:
        qs = qs.filter(Q(owner_unit__path__startswith=scope.unit_path) | Q(owner_unit__isnull=True))
    return qs


def customers_visible(*, scope: Scope) -> QuerySet[Customer]:
    if not scope.organisation_wide:
        return Customer.objects.none()
    return Customer.objects.filter(organisation=scope.organisation)


def unit_for(*, scope: Scope, unit_id: int) -> Unit:
    unit = units_visible(scope=scope).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def person_for(*, scope: Scope, person_id: int) -> Person:
    person = people_visible(scope=scope).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person
