"""Schemathesis throws generated and hostile input at every API operation: never a 500."""

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_the_api_never_fails_with_a_server_error(
    app, mou, make_activity, make_deliverable, make_person, make_user, bearer
):
    # Some records to find, so that generated ids sometimes hit and updates really run; an
    # administrator's token, so that every operation gets past the role check.
    make_activity(), make_deliverable(), make_person()
    headers = bearer(make_user("admin"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures, calls, statuses = [], [], set()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
        )
        def check(case):
            label = case.operation.label
            response = case.call(headers=headers)
            calls.append(label)
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append((label, case.path_parameters, case.query, case.body, response.text[:200]))

        check()
    assert failures == []
    # Every operation was exercised, and both accepted and refused input was generated.
    assert len(set(calls)) == len(list(schema.get_all_operations()))
    assert {200, 422} <= statuses
