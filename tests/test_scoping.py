import pytest
from django.http import Http404

from kohtaamo.organisations.selectors import people_visible, scope_for, units_visible


@pytest.mark.django_db
def test_manager_sees_own_subtree_only(world):
    scope = scope_for(user=world.manager, organisation_slug="acme")
    units = set(units_visible(scope=scope))
    assert units == {world.branch, world.team}
    assert set(people_visible(scope=scope)) == {world.person}


@pytest.mark.django_db
def test_employee_sees_only_self(world):
    scope = scope_for(user=world.employee, organisation_slug="acme")
    assert list(people_visible(scope=scope)) == [world.person]


@pytest.mark.django_db
def test_other_organisation_is_not_found(world, other_world):
    with pytest.raises(Http404):
        scope_for(user=other_world.admin, organisation_slug="acme")


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(world):
    world.branch.parent = world.other_branch
    world.branch.save()
    world.team.refresh_from_db()
    assert world.team.path == f"{world.other_branch.path}{world.branch.pk}/{world.team.pk}/"
    scope = scope_for(user=world.manager, organisation_slug="acme")
    assert set(units_visible(scope=scope)) == {world.branch, world.team}
