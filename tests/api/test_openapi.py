"""The committed OpenAPI file is the document the code generates (CI fails on drift), and the API
keeps to it: Schemathesis, from the file, against the app in-process with, for each operation,
a token holding exactly its scope; response schemas closed, no server errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from casereview.api.schema import openapi_document, openapi_text

FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"


def test_the_committed_file_is_what_the_code_generates():
    assert FILE.read_text() == openapi_text(), (
        "docs/api/openapi.json is out of date: run `make api-schema` and commit it"
    )


def test_the_document_is_openapi_3_1_closed_and_served_without_credentials(db):
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    for name, schema in document["components"]["schemas"].items():
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, name
    answer = Client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert json.loads(answer.content) == json.loads(FILE.read_text())


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(demo, housing_client):
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from casereview.wsgi import application
    from tests.api.conftest import token_for

    # The app serves the committed file's document (the test above), read in-process over WSGI.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures = []
    calls = []
    tokens: dict[str, str] = {}
    for path, methods in schema.raw_schema["paths"].items():
        if "oauth" in path:
            continue
        for method in methods:
            operation = schema[path][method.upper()]
            # A token holding exactly the operation's one scope (none for the public statistics).
            needed = [s for r in methods[method].get("security", []) for v in r.values() for s in v]
            scope = needed[0] if needed else ""
            if scope and scope not in tokens:
                tokens[scope] = token_for(housing_client, scope=scope)
            token = tokens.get(scope, "")

            @hsettings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(case=operation.as_strategy())
            def run(case):
                response = case.call(headers={"Authorization": f"Bearer {token}"})  # noqa: B023 - run now
                calls.append((case.method, response.status_code))
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

            try:
                run()
            except Exception as error:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{method.upper()} {path}: {str(error)[:400]}")
    assert not failures, "\n".join(failures)
    assert len({method for method, _ in calls}) == 2 and len(calls) > 50
    assert any(code == 200 for _, code in calls)
