"""Every organisation-scoped page and API route, walked as each role of a second organisation."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kohtaamo.api.models import ApiToken

ROLES = ("admin", "cx_lead", "manager", "employee", "consultant")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _fill(route: str, org: str, object_id: int) -> str:
    route = route.lstrip("^").rstrip("$")
    route = route.replace("<slug:org>", org).replace("<org>", org)
    route = re.sub(r"<int:[^>]+>", str(object_id), route)
    route = re.sub(r"<(?:str:|slug:|path:)?[^>]+>", str(object_id), route)
    return "/" + route.replace("\\", "")


def organisation_routes() -> list[str]:
    return sorted({r for r in _walk(get_resolver().url_patterns) if "<slug:org>" in r or "<org>" in r})


def test_routes_are_found():
    routes = organisation_routes()
    assert any(r.startswith("o/") for r in routes)
    assert any(r.startswith("api/") for r in routes)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_second_organisation_reads_nothing(client, world, other_world, role):
    """Logged in to Rival, no route under Acme answers with data (404 or 403, never 200)."""
    user = getattr(other_world, role)
    client.force_login(user)
    token_user = ApiToken.issue(user=user, organisation=other_world.organisation, name="t")[1]
    leaks = []
    # An API POST without a body is refused by validation (422) before any data is touched.
    allowed = {"get": (403, 404, 405), "post": (403, 404, 405, 422)}
    for route in organisation_routes():
        url = _fill(route, world.organisation.slug, world.person.pk)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code not in allowed[method]:
                leaks.append((method, url, response.status_code))
            if url.startswith("/api/"):
                response = getattr(client, method)(url, headers={"authorization": f"Bearer {token_user}"})
                if response.status_code not in allowed[method]:
                    leaks.append((method, url, "token", response.status_code))
    assert leaks == []


@pytest.mark.django_db
def test_anonymous_gets_login_or_401(client, world):
    for route in organisation_routes():
        url = _fill(route, world.organisation.slug, world.person.pk)
        response = client.get(url)
        assert response.status_code in (302, 401, 405), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
