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


@pytest.mark.django_db
def test_a_shopper_sees_no_organisation_data(client, world):
    from django.contrib.auth.models import User

    from kohtaamo.organisations.models import Membership
    from kohtaamo.organisations.selectors import touchpoints_visible

    shopper = User.objects.create_user("shopper", "s@example.org", "pw")
    Membership.objects.create(user=shopper, organisation=world.organisation, role=Membership.Role.SHOPPER)
    scope = scope_for(user=shopper, organisation_slug="acme")
    assert not units_visible(scope=scope).exists()
    assert not people_visible(scope=scope).exists()
    assert not touchpoints_visible(scope=scope).exists()
    client.force_login(shopper)
    assert client.get("/o/acme/").status_code == 403
    assert client.get("/api/v1/organisations/acme/metrics").status_code in (403, 404)


@pytest.mark.django_db
def test_a_shopper_lands_on_their_portal(client, world):
    from django.contrib.auth.models import User

    from kohtaamo.organisations.models import Membership

    shopper = User.objects.create_user("shopper", "s@example.org", "pw")
    Membership.objects.create(user=shopper, organisation=world.organisation, role=Membership.Role.SHOPPER)
    client.force_login(shopper)
    assert client.get("/")["Location"] == "/o/acme/mystery/shop/"
