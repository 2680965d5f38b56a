"""schemathesis over every operation of /api/v1/openapi.json, anonymous and as a verified
resident (QUALITY.md "Bad input tried"): no 5xx, and successful responses match the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from neighbourly.accounts.services import api_token_create
from tests.communities.factories import AddressFactory, MembershipFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """schemathesis calls the WSGI app directly, whose request signals would close the test's
    connection mid-transaction on PostgreSQL (Django's test client disconnects them too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def resident_headers(db):
    membership = MembershipFactory(verified=True, community__slug="fuzzville")
    AddressFactory(community=membership.community)
    _, raw = api_token_create(user=membership.user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_resident(case, resident_headers):
    case.call_and_validate(headers=resident_headers, checks=CHECKS)
