"""Schemathesis against the OpenAPI spec: generated requests to every operation, 0 server errors."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kohtaamo.api.models import ApiToken
from kohtaamo.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def in_process_connection():
    """Calls go straight into the WSGI app, so keep Django from closing the test's own connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world, in_process_connection):
    return ApiToken.issue(user=world.admin, organisation=world.organisation, name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_fails_with_a_server_error(case, world, admin_token):
    if "org" in (case.path_parameters or {}):
        case.path_parameters["org"] = world.organisation.slug  # reach past the tenant check into the handlers
    response = case.call(headers={"Authorization": f"Bearer {admin_token}", "Accept-Language": "en"})
    case.validate_response(response, checks=[not_a_server_error])
