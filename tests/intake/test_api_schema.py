"""Property-based run of the API against its own OpenAPI schema (schemathesis, through WSGI)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.slow


@pytest.fixture
def keep_test_connection():
    """Requests must not close the test's database connection (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_connection")
def test_api_conforms_to_its_schema_and_never_fails(intake_env):
    from lianqing.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case):
            # No 5xx; status codes, content types and bodies as the schema declares them. A
            # schema-valid submission is still refused without a solved proof of work, so the
            # "valid data is accepted" check does not apply.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
