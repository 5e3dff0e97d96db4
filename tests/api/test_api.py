"""The partner API end to end (issue 18's "done when"): a client for the housing provider, a batch
pushed twice with one idempotency key, the requests addressed to housing answered with a file,
actions updated with If-Match, a case housing is not party to refused exactly as an unknown one."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from casereview.api.services import api_client_create
from casereview.audit.models import AccessEvent
from casereview.reports.models import Report
from casereview.reviews import services as review_services
from tests.actions.helpers import action_for
from tests.api.conftest import Api, basic, token_for
from tests.factories import make_application
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _reports(n: int, start: int = 0) -> list[dict]:
    return [
        {
            "agency_reference": f"H-{i}",
            "reported_at": "2025-06-01T10:00:00+01:00",
            "location": "Flat 3, Castle House",
            "caller": "C-1" if i % 2 else "",
            "channel": "asb_line",
            "hate": False,
        }
        for i in range(start, start + n)
    ]


# --- Clients and tokens -------------------------------------------------------------------------------


def test_the_command_creates_a_client_printing_its_secret_once(demo):
    out = io.StringIO()
    agency = demo.agency("west-northamptonshire", "housing").name
    call_command(
        "api-client", "create", "--partnership", "west-northamptonshire", "--agency", agency,
        "--scopes", "reports:write cases:read", stdout=out,
    )  # fmt: skip
    made = json.loads(out.getvalue())
    assert set(made) == {"client_id", "client_secret"}
    answer = Client().post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(made["client_id"], made["client_secret"]),
    )
    body = answer.json()
    assert answer.status_code == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    assert set(body["scope"].split()) == {"reports:write", "cases:read"}
    # The secret is stored hashed: it appears nowhere in the database.
    from oauth2_provider.models import Application

    assert not Application.objects.filter(client_secret=made["client_secret"]).exists()


def test_the_command_refuses_an_unknown_scope_naming_it(demo, unchanged_rows):
    from django.core.management.base import CommandError

    agency = demo.agency("west-northamptonshire", "housing").name
    with unchanged_rows(), pytest.raises(CommandError, match="everything"):
        call_command(
            "api-client", "create", "--partnership", "west-northamptonshire", "--agency", agency,
            "--scopes", "reports:write everything",
        )  # fmt: skip


def test_token_errors_are_oauth_errors_not_problems(housing_client):
    http = Client()
    wrong = http.post(
        "/api/v1/oauth/token", {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(housing_client.client_id, "wrong"),
    )  # fmt: skip
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert "WWW-Authenticate" in wrong.headers
    grant = http.post(
        "/api/v1/oauth/token", {"grant_type": "password"},
        HTTP_AUTHORIZATION=basic(housing_client.client_id, housing_client.client_secret),
    )  # fmt: skip
    assert grant.status_code == 400 and grant.json()["error"] in {
        "invalid_request",
        "unsupported_grant_type",
        "unauthorized_client",
    }
    scope = http.post(
        "/api/v1/oauth/token", {"grant_type": "client_credentials", "scope": "everything"},
        HTTP_AUTHORIZATION=basic(housing_client.client_id, housing_client.client_secret),
    )  # fmt: skip
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"


def test_no_token_is_401_problem_and_statistics_and_the_document_need_none(demo):
    http = Client()
    answer = http.get("/api/v1/cases/WN-1")
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json()["status"] == 401
    assert http.get("/api/v1/openapi.json").status_code == 200
    stats = http.get("/api/v1/statistics?partnership=west-northamptonshire&year=2024")
    assert stats.status_code == 200
    assert set(stats.json()) == {
        "partnership", "from", "to", "applications", "threshold_not_met", "reviews_carried_out",
        "reviews_with_recommendations",
    }  # fmt: skip
    assert http.get("/api/v1/reference/").status_code == 200


def test_rotating_stops_the_old_secret_and_its_tokens_revoking_stops_everything(housing_client):
    from casereview.api.services import api_client_revoke, api_client_rotate

    old = Api(token_for(housing_client))
    assert old.get("/api/v1/actions").status_code == 200
    new = api_client_rotate(client=housing_client.client)
    assert old.get("/api/v1/actions").status_code == 401
    assert Client().post(
        "/api/v1/oauth/token", {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(housing_client.client_id, housing_client.client_secret),
    ).status_code == 401  # fmt: skip
    fresh = Api(token_for(new))
    assert fresh.get("/api/v1/actions").status_code == 200
    api_client_revoke(client=housing_client.client)
    assert fresh.get("/api/v1/actions").status_code == 401
    assert Client().post(
        "/api/v1/oauth/token", {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(new.client_id, new.client_secret),
    ).status_code == 401  # fmt: skip


def test_a_scope_not_held_is_403_naming_it(housing_client):
    narrow = Api(token_for(housing_client, scope="cases:read"))
    answer = narrow.post("/api/v1/reports", {"reports": _reports(1)})
    assert answer.status_code == 403
    assert "reports:write" in answer.json()["detail"]


def test_the_rate_limit_is_per_client_counted_in_the_database_and_429_says_when_to_retry(
    housing_client, demo
):
    from django.core.cache import cache

    from casereview.api.models import RateWindow
    from casereview.api.services import rate_take

    client = housing_client.client
    client.rate_limit = "3/min"
    client.save()
    api = Api(token_for(housing_client))
    codes = [api.get("/api/v1/actions").status_code for _ in range(3)]
    # The count is a row in the database every process shares, not a process's cache.
    cache.clear()
    refused = api.get("/api/v1/actions")
    assert codes + [refused.status_code] == [200, 200, 200, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["status"] == 429 and refused.json()["title"] == "Too many requests"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert RateWindow.objects.get(client=client).hits == 4
    # Another client is counted on its own.
    other = Api(
        token_for(
            api_client_create(
                partnership=demo.partnership("west-northamptonshire"),
                agency_name=demo.agency("west-northamptonshire", "police").name,
                scopes="actions:read",
            )
        )
    )
    assert other.get("/api/v1/actions").status_code == 200
    # The next window starts afresh, and the spent one is deleted.
    bucket = RateWindow.objects.get(client=client).bucket
    assert rate_take(client=client, now=(bucket + 1) * 60 + 1) == (True, None)
    assert list(RateWindow.objects.filter(client=client).values_list("bucket", "hits")) == [(bucket + 1, 1)]


# --- Reports ------------------------------------------------------------------------------------------


def test_a_batch_pushed_twice_with_one_key_is_stored_once(housing, demo):
    batch = {"reports": _reports(3) + [{"agency_reference": "H-bad", "reported_at": "soon", "location": "X"}]}
    first = housing.post("/api/v1/reports", batch, HTTP_IDEMPOTENCY_KEY="batch-1")
    assert first.status_code == 200
    assert first.json() == {
        "read": 4, "imported": 3, "duplicates": 0, "skipped": 1,
        "skipped_reasons": {"reported_at: not an ISO 8601 date-time": 1},
    }  # fmt: skip
    again = housing.post("/api/v1/reports", batch, HTTP_IDEMPOTENCY_KEY="batch-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Report.objects.filter(agency_reference__startswith="H-").count() == 3
    housing_agency = demo.agency("west-northamptonshire", "housing")
    assert set(Report.objects.values_list("agency_id", flat=True)) == {housing_agency.pk}
    # The same reports under a new key: duplicates, nothing stored again.
    other = housing.post("/api/v1/reports", batch, HTTP_IDEMPOTENCY_KEY="batch-2")
    assert other.json()["duplicates"] == 3 and other.json()["imported"] == 0
    # The same key with another body: a conflict, nothing written.
    changed = housing.post(
        "/api/v1/reports", {"reports": _reports(2, start=10)}, HTTP_IDEMPOTENCY_KEY="batch-1"
    )
    assert changed.status_code == 409
    assert changed.headers["Content-Type"] == "application/problem+json"
    assert Report.objects.filter(agency_reference__startswith="H-").count() == 3


def test_a_malformed_batch_is_a_problem_naming_each_field(housing, unchanged_rows):
    with unchanged_rows():
        answer = housing.post(
            "/api/v1/reports", {"reports": [{"agency_reference": "A", "latitude": "north"}]}
        )
    assert answer.status_code == 422
    body = answer.json()
    assert answer.headers["Content-Type"] == "application/problem+json"
    pointers = {e["pointer"] for e in body["errors"]}
    assert {"/reports/0/latitude", "/reports/0/reported_at", "/reports/0/location"} <= pointers
    assert all(e["detail"] for e in body["errors"])


def test_a_nul_character_is_a_problem_naming_the_field_not_a_server_error(housing, unchanged_rows):
    """PostgreSQL's text cannot hold a NUL: refused before any query, in a parameter or in a report."""
    stats = Client().get("/api/v1/statistics", {"partnership": "west-\x00northamptonshire"})
    assert stats.status_code == 422
    assert stats.json()["errors"] == [
        {"detail": "Null characters are not allowed.", "pointer": "/partnership"}
    ]
    assert housing.get("/api/v1/people?partner_key=K%00").status_code == 422
    report = {**_reports(1)[0], "location": "Block\x00 A"}
    with unchanged_rows():
        answer = housing.post("/api/v1/reports", {"reports": [report]})
    assert answer.status_code == 422
    assert {"detail": "Null characters are not allowed.", "pointer": "/reports/0/location"} in answer.json()[
        "errors"
    ]


def test_a_pushed_report_reads_back_and_the_read_is_logged_with_client_and_person(housing, housing_client):
    housing.post("/api/v1/reports", {"reports": _reports(1)})
    answer = housing.get("/api/v1/reports/H-0")
    assert answer.status_code == 200
    assert answer.json()["location"] == "Flat 3, Castle House"
    event = AccessEvent.objects.filter(object_type="reports.report", action="view").first()
    assert event.details["api_client"] == housing_client.client_id
    assert event.details["acting_person"] == "officer 1234"
    write = AccessEvent.objects.filter(object_type="reports.report", action="create").first()
    assert write.details["api_client"] == housing_client.client_id
    assert housing.get("/api/v1/reports/NOPE").status_code == 404


def test_a_report_is_corrected_with_if_match(housing):
    housing.post("/api/v1/reports", {"reports": _reports(1)})
    etag = housing.get("/api/v1/reports/H-0").headers["ETag"]
    change = {"location": "Flat 4, Castle House", "reason": "Wrong flat typed"}
    assert housing.post("/api/v1/reports/H-0/correct", change).status_code == 428
    done = housing.post("/api/v1/reports/H-0/correct", change, HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["location"] == "Flat 4, Castle House"
    assert done.headers["ETag"] != etag
    stale = housing.post(
        "/api/v1/reports/H-0/correct", {"category": "noise", "reason": "x"}, HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412


# --- Cases, requests, actions -----------------------------------------------------------------------


def test_a_case_housing_is_not_party_to_is_exactly_an_unknown_reference(housing, demo):
    wn = demo.partnership("west-northamptonshire")
    party = make_application(wn)  # its incidents include a housing report
    other = make_application(
        wn, incidents=[(dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12))], victim_name="Al Other"
    )
    seen = housing.get(f"/api/v1/cases/{party.reference}")
    assert seen.status_code == 200, seen.content
    assert {"reference", "status", "parties", "clocks", "timeline"} <= set(seen.json())
    refused = housing.get(f"/api/v1/cases/{other.reference}")
    unknown = housing.get("/api/v1/cases/WN-NO-SUCH")
    assert refused.status_code == unknown.status_code == 404
    assert refused.content == unknown.content
    assert refused.headers["Content-Type"] == unknown.headers["Content-Type"]
    assert AccessEvent.objects.filter(action="denied", case_reference=other.reference).exists()


def test_housing_lists_its_requests_and_answers_one_with_a_file(housing, demo):
    application = in_review_application(demo)
    housing_agency = demo.agency("west-northamptonshire", "housing")
    police = demo.agency("west-northamptonshire", "police")
    review_services.information_requests_send(
        application=application, agencies=[housing_agency, police], actor=demo.user("wn-spoc")
    )
    listed = housing.get("/api/v1/information-requests?status=open")
    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row["agency"] == housing_agency.name
    path = f"/api/v1/information-requests/{row['id']}/answer"
    form = {
        "reports_received": "Two noise complaints",
        "actions_taken": "Warning letter",
        "current_involvement": "Tenancy officer visiting",
        "lawful_basis": "asb_2014_sch4_para7",
    }
    missing = housing.post(path, {**form, "files": [io.BytesIO(PNG)]}, multipart=True)
    assert missing.status_code == 428
    stale = housing.post(path, form, multipart=True, HTTP_IF_MATCH=f'"{row["version"] + 5}"')
    assert stale.status_code == 412
    upload = io.BytesIO(PNG)
    upload.name = "photo.png"
    answered = housing.post(
        path, {**form, "files": [upload]}, multipart=True, HTTP_IF_MATCH=f'"{row["version"]}"'
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    assert application.evidence_files.count() == 1
    again = housing.post(path, form, multipart=True, HTTP_IF_MATCH=answered.headers["ETag"])
    assert again.status_code == 422


def test_actions_complete_and_delay_need_the_current_etag(housing, demo):
    application = in_review_application(demo)
    action = action_for(application, demo.user("wn-housing"), due_on=dt.date.today() + dt.timedelta(days=5))
    theirs = action_for(application, demo.user("wn-police"), due_on=dt.date.today() + dt.timedelta(days=5))
    assert housing.get(f"/api/v1/actions/{theirs.pk}").status_code == 404
    read = housing.get(f"/api/v1/actions/{action.pk}")
    etag = read.headers["ETag"]
    delay = {
        "reason": "Waiting for the tenancy panel",
        "revised_due_on": str(dt.date.today() + dt.timedelta(days=20)),
    }
    assert housing.post(f"/api/v1/actions/{action.pk}/delay", delay).status_code == 428
    done = housing.post(f"/api/v1/actions/{action.pk}/delay", delay, HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "delayed"
    stale = housing.post(
        f"/api/v1/actions/{action.pk}/complete",
        {"what_happened": "Visited", "completed_on": str(dt.date.today())},
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    complete = housing.post(
        f"/api/v1/actions/{action.pk}/complete",
        {"what_happened": "Visited", "completed_on": str(dt.date.today())},
        HTTP_IF_MATCH=done.headers["ETag"],
    )
    assert complete.status_code == 200 and complete.json()["status"] == "done"


@pytest.mark.parametrize(
    "body",
    [
        {"reports": [{"agency_reference": "A", "latitude": "north"}]},
        {"reports": [{"agency_reference": 7, "reported_at": " 2025-01-01T10:00:00Z ", "location": "X"}]},
        {"reports": [{"agency_reference": True, "reported_at": None, "location": ["x"], "hate": "maybe"}]},
        {"reports": [{"agency_reference": "A", "reported_at": "t", "location": "L", "hate": "yes"}]},
        {"reports": [{"agency_reference": "A", "reported_at": "t", "location": "L", "latitude": None}]},
        {"reports": [{"agency_reference": "A" * 101, "reported_at": "t", "location": "L", "hate": [1]}]},
        {"reports": ["a report", {}]},
        {"reports": []},
        {"reports": {}},
        {"other": 1},
        [],
    ],
)
def test_the_batch_check_answers_as_the_declared_serializer_does(body):
    """The one-pass check of a batch (serializers.report_batch_validate) accepts and refuses exactly
    what ReportBatchIn, the shape the OpenAPI document declares, does, with the same pointers."""
    from rest_framework.exceptions import ValidationError

    from casereview.api import serializers as s
    from casereview.api.problems import validation_errors

    declared = s.ReportBatchIn(data=body)
    try:
        fast = s.report_batch_validate(body)
    except ValidationError as error:
        assert not declared.is_valid()
        assert validation_errors(error.detail) == validation_errors(declared.errors)
    else:
        assert declared.is_valid(), declared.errors
        assert fast == [
            {k: v for k, v in r.items() if v is not None} for r in declared.validated_data["reports"]
        ]


def test_a_batch_is_one_access_log_row_and_one_kept_answer_not_one_per_report(housing):
    from casereview.api.models import IdempotentRequest

    before = AccessEvent.objects.count()
    answer = housing.post("/api/v1/reports", {"reports": _reports(50)}, HTTP_IDEMPOTENCY_KEY="one-row")
    assert answer.json()["imported"] == 50
    new = list(AccessEvent.objects.order_by("id")[before:])
    assert len(new) == 1, [(e.action, e.object_type, e.summary) for e in new]
    event = new[0]
    assert event.summary == "Imported 50 report(s) through the partner API"
    assert event.details["acting_person"] == "officer 1234" and event.details["imported"] == 50
    assert IdempotentRequest.objects.count() == 1
