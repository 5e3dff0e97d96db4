"""The partner API's endpoints (`/api/v1/`, contracts §8, docs/api.md).

Every endpoint reads through the same selectors and writes through the same services as the pages,
as the client's service account (an agency officer of the client's agency): the one access selector
decides what it sees, and a case it is not party to is the same 404 as an unknown reference.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.views import TokenView
from rest_framework import exceptions
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casereview.accounts.models import Partnership
from casereview.actions.selectors import action_get_for_user, actions_visible_to
from casereview.actions.services import action_complete, action_delay
from casereview.applications.selectors import (
    application_get_for_user,
    application_timeline,
    case_clocks,
    case_party_agencies,
)
from casereview.audit.services import access_event_record
from casereview.privacy.services import evidence_file_add
from casereview.reports.imports import reports_import_records
from casereview.reports.selectors import report_correctable_by, reports_visible_to
from casereview.reports.services import report_correct
from casereview.reviews.selectors import information_request_get_for_user, information_requests_visible_to
from casereview.reviews.services import information_request_respond
from casereview.statistics.periods import financial_year, financial_year_of
from casereview.statistics.selectors import figures_for

from . import serializers as s
from .problems import (
    PROBLEM,
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    UnprocessableContent,
    problem,
)
from .services import IdempotencyConflict, body_digest, idempotent_answer, idempotent_keep

PAGE = 100

PROBLEMS = {
    code: OpenApiResponse(s.Problem, description=words)
    for code, words in {
        401: "No valid bearer token",
        403: "The token lacks the scope this call needs",
        404: "No such record, or not one the client's agency may see",
        409: "The Idempotency-Key was used before with a different body",
        412: "If-Match does not match the record's ETag: read it again",
        422: "Validation failed: `errors` names each field",
        428: "If-Match is missing",
        429: "Over the client's rate limit",
    }.items()
}


def _problems(*codes):
    return {code: PROBLEMS[code] for code in codes}


ACTING = OpenApiParameter(
    "X-Acting-User",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The person acting in the partner's system (recorded in the access log as declared).",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag the record was read with (required; 428 without it, 412 if stale).",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Repeating a request with the same key answers the same and stores nothing again.",
)
PAGE_PARAM = OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY, description="From 1.")


class ApiView(APIView):
    """Every endpoint of the API: a query parameter holding a NUL character is refused as a 422
    naming it (PostgreSQL's text cannot hold one, so it would otherwise fail as a server error in
    the query that reads it), after authentication, so a caller without credentials still gets 401."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        wrong = {
            name: ["Null characters are not allowed."]
            for name, values in request.query_params.lists()
            if "\x00" in name or any("\x00" in value for value in values)
        }
        if wrong:
            raise exceptions.ValidationError(wrong)


class ClientView(ApiView):
    """A call by an API client (bearer token with the view's `required_scope`)."""

    required_scope: str | None = None
    parser_classes = [JSONParser]

    @property
    def client(self):
        return self.request._api_client

    @property
    def actor(self):
        return self.request.user


def _etag(version: int) -> str:
    return f'"{version}"'


def _if_match(request) -> int:
    value = request.headers.get("If-Match")
    if not value:
        raise PreconditionRequired()
    value = value.strip().removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError:
        raise PreconditionFailed() from None


def _idempotency_key(request) -> str:
    """The request's Idempotency-Key ("" without one); a key over 200 characters is a 422."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise exceptions.ValidationError({"Idempotency-Key": ["At most 200 characters."]})
    return key


IDEMPOTENCY_CONFLICT = "This Idempotency-Key was used with a different request body: use a new key."


def _idempotent_create(
    view, *, key: str, create, status: int = 201, conflict: str = IDEMPOTENCY_CONFLICT
) -> tuple[int, object, bool]:
    """One create under an Idempotency-Key (docs/api.md "Idempotency"), in one transaction: the
    answer kept for the key is given again (`replayed` true) and nothing is created; else
    `create()` runs and its body is kept with the write, so both stand or fall together. The key
    used before with another body is a 409 (`conflict`). Without a key, `create()` just runs.
    Returns (status, body, replayed)."""
    request = view.request
    digest = body_digest(request.data) if key else ""
    try:
        with transaction.atomic():
            if key:
                kept = idempotent_answer(
                    client=view.client, key=key, method="POST", path=request.path, digest=digest
                )
                if kept is not None:
                    return kept[0], kept[1], True
            body = create()
            if key:
                idempotent_keep(
                    client=view.client,
                    key=key,
                    method="POST",
                    path=request.path,
                    digest=digest,
                    status=status,
                    body=body,
                )
    except IdempotencyConflict:
        raise Conflict(conflict) from None
    return status, body, False


def _idempotent_response(status: int, body, replayed: bool) -> Response:
    return Response(body, status=status, headers={"Idempotent-Replayed": "true"} if replayed else None)


def _page(request) -> int:
    try:
        page = int(request.query_params.get("page", "1"))
    except ValueError:
        raise exceptions.ValidationError({"page": ["Must be a whole number from 1."]}) from None
    if page < 1 or page > 1_000_000:
        raise exceptions.ValidationError({"page": ["Must be a whole number from 1."]})
    return page


def _paged(queryset, page: int):
    rows = list(queryset[(page - 1) * PAGE : page * PAGE + 1])
    return rows[:PAGE], (page + 1 if len(rows) > PAGE else None)


# --- The token endpoint and the document --------------------------------------------------------------


class Token(TokenView):
    """RFC 6749 §4.4 client credentials; errors as §5.2 (django-oauth-toolkit's own answers)."""


def reference_page(request):
    """A reference page drawn from the OpenAPI document itself, with no script (nothing from a CDN)."""
    from .schema import openapi_document

    document = openapi_document()
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("summary") or operation.get("description", "").split("\n")[0],
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "security": [
                        scope
                        for requirement in operation.get("security", [])
                        for v in requirement.values()
                        for scope in v
                    ],
                    "request": _ref_names(operation.get("requestBody", {})),
                    "responses": {
                        code: _ref_names(answer) for code, answer in operation.get("responses", {}).items()
                    },
                    "id": operation.get("operationId", ""),
                }
            )
    schemas = [
        {"name": name, "properties": schema.get("properties", {}), "required": schema.get("required", [])}
        for name, schema in document.get("components", {}).get("schemas", {}).items()
    ]
    return render(
        request, "api/reference.html", {"document": document, "operations": operations, "schemas": schemas}
    )


def _ref_names(part: dict) -> list[str]:
    names = []
    for media, body in part.get("content", {}).items():
        ref = body.get("schema", {}).get("$ref", "")
        names.append(f"{media}: {ref.rsplit('/', 1)[-1] or 'object'}")
    return names


# --- Reports ----------------------------------------------------------------------------------------


class Reports(ClientView):
    required_scope = "reports:write"

    @extend_schema(
        summary="Push a batch of ASB reports",
        description="Each report has the partner CSV's fields (contracts §6); `agency` and `agency_kind` "
        "default to the client's agency. Validated and stored exactly as a partner CSV import: a "
        "report already stored (same agency and agency_reference) counts as a duplicate; one that "
        "cannot be taken is skipped with a reason naming the field.",
        request=s.ReportBatchIn,
        parameters=[IDEMPOTENCY_KEY, ACTING],
        responses={200: s.ImportResultOut, **_problems(401, 403, 409, 422, 429)},
    )
    def post(self, request):
        key = _idempotency_key(request)
        records = s.report_batch_validate(request.data)
        return _idempotent_response(
            *_idempotent_create(
                self,
                key=key,
                create=lambda: reports_import_records(
                    partnership=self.client.partnership,
                    records=records,
                    default_agency=self.client.agency,
                    actor=self.actor,
                ).as_dict(),
                status=200,
                conflict="This Idempotency-Key was used with a different request body: "
                "use a new key for a new batch.",
            )
        )


def _report_out(report) -> dict:
    return {
        "agency_reference": report.agency_reference,
        "agency": report.agency.name,
        "agency_kind": report.agency_kind,
        "channel": report.channel,
        "reported_at": report.reported_at,
        "occurred_on": report.occurred_on,
        "category": report.category,
        "location": report.location,
        "latitude": report.latitude,
        "longitude": report.longitude,
        "caller": report.caller,
        "hate": report.hate,
        "status": report.status,
    }


def _own_report(view, agency_reference: str):
    report = (
        reports_visible_to(view.actor)
        .filter(agency_id=view.client.agency_id, agency_reference=agency_reference)
        .select_related("agency")
        .first()
    )
    if report is None:
        raise Http404
    return report


class ReportDetail(ClientView):
    required_scope = "reports:read"

    @extend_schema(
        summary="Read one of the agency's reports by its own reference",
        description="Its ETag counts its corrections: send it as If-Match to correct it.",
        parameters=[ACTING],
        responses={200: s.ReportOut, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, agency_reference: str):
        report = _own_report(self, agency_reference)
        access_event_record(action="view", obj=report, summary="Report read through the partner API")
        response = Response(s.ReportOut(_report_out(report)).data)
        response["ETag"] = _etag(report.corrections.count())
        return response


class ReportCorrect(ClientView):
    required_scope = "reports:write"

    @extend_schema(
        summary="Correct one of the agency's reports (where, when, what), with the reason",
        description="Through the same service as the report log's correction page: the daily counts "
        "move with it and the correction is recorded (who, when, why, old and new values).",
        request=s.CorrectIn,
        parameters=[IF_MATCH, ACTING],
        responses={200: s.ReportOut, **_problems(401, 403, 404, 412, 422, 428, 429)},
    )
    def post(self, request, agency_reference: str):
        report = _own_report(self, agency_reference)
        if not report_correctable_by(self.actor, report):
            raise Http404
        version = _if_match(request)
        serializer = s.CorrectIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = report_correct(
                report=report, actor=self.actor, read_version=version, **serializer.validated_data
            )
        except DjangoValidationError as error:
            if getattr(error, "code", "") == "stale":
                raise PreconditionFailed() from None
            raise
        response = Response(s.ReportOut(_report_out(report)).data)
        response["ETag"] = _etag(report.corrections.count())
        return response


# --- Cases ------------------------------------------------------------------------------------------


class CaseDetail(ClientView):
    required_scope = "cases:read"

    @extend_schema(
        summary="A case the client's agency is party to",
        description="Status, clocks, the agencies party to it and its timeline. A case the agency is "
        "not party to answers exactly as an unknown reference does (404).",
        parameters=[ACTING],
        responses={200: s.CaseOut, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, reference: str):
        case = application_get_for_user(self.actor, reference, purpose="Partner API: case record")
        today = timezone.localdate()
        body = {
            "reference": case.reference,
            "status": case.status,
            "received_on": case.received_on,
            "next_due_on": getattr(case, "next_due_on", None),
            "parties": [{"name": a.name, "kind": a.kind} for a in case_party_agencies(case)],
            "clocks": [
                {
                    "name": c.name,
                    "label": c.label,
                    "starts_on": c.starts_on,
                    "due_on": c.due_on,
                    "done_on": c.done_on,
                    "state": c.state,
                }
                for c in case_clocks(case, today=today)
            ],
            "timeline": [
                {"kind": e.kind, "summary": e.summary, "occurred_on": e.occurred_on, "at": e.at}
                for e in application_timeline(case)[:200]
            ],
        }
        return Response(s.CaseOut(body).data)


# --- Information requests -------------------------------------------------------------------------


def _request_out(item) -> dict:
    return {
        "id": item.pk,
        "case_reference": item.application.reference,
        "agency": item.agency.name,
        "requested_on": item.requested_on,
        "due_on": item.due_on,
        "message": item.message,
        "status": item.status,
        "responded_on": item.responded_on,
        "version": item.version,
    }


class InformationRequests(ClientView):
    required_scope = "requests:read"

    @extend_schema(
        summary="Information requests addressed to the client's agency",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "answered"]),
            PAGE_PARAM,
            ACTING,
        ],
        responses={200: s.InformationRequestPage, **_problems(401, 403, 422, 429)},
    )
    def get(self, request):
        page = _page(request)
        rows = information_requests_visible_to(self.actor).filter(agency_id=self.client.agency_id)
        status = request.query_params.get("status", "")
        if status:
            if status not in ("open", "answered"):
                raise exceptions.ValidationError({"status": ["Use open or answered."]})
            rows = rows.filter(status=status)
        found, next_page = _paged(rows.order_by("due_on", "id"), page)
        access_event_record(
            action="search",
            object_type="reviews.informationrequest",
            summary=f"Listed {len(found)} information request(s) through the partner API",
        )
        return Response({"results": [_request_out(r) for r in found], "next_page": next_page})


class InformationRequestAnswer(ClientView):
    required_scope = "requests:answer"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Answer an information request (the Agency Response form), with files",
        description="multipart/form-data (with `files`) or JSON. Needs If-Match with the request's "
        '`version` as its ETag (`"3"`). The answer, each file and the disclosure record are written '
        "in one transaction.",
        request={"multipart/form-data": s.AnswerIn, "application/json": s.AnswerIn},
        parameters=[IF_MATCH, ACTING],
        responses={200: s.InformationRequestOut, **_problems(401, 403, 404, 412, 422, 428, 429)},
    )
    def post(self, request, pk: int):
        item = information_request_get_for_user(self.actor, pk)
        if item.agency_id != self.client.agency_id:
            raise Http404
        version = _if_match(request)
        data = request.data
        if hasattr(data, "getlist"):
            data = {**{k: data.get(k) for k in data if k != "files"}, "files": request.FILES.getlist("files")}
        serializer = s.AnswerIn(data=data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        try:
            with transaction.atomic():
                item = information_request_respond(
                    request=item,
                    actor=self.actor,
                    reports_received=values["reports_received"],
                    actions_taken=values["actions_taken"],
                    current_involvement=values["current_involvement"],
                    other_information=values.get("other_information", ""),
                    lawful_basis=values["lawful_basis"],
                    read_version=version,
                )
                for index, upload in enumerate(values.get("files", [])):
                    try:
                        evidence_file_add(
                            application=item.application,
                            name=upload.name,
                            content=upload.read(),
                            actor=self.actor,
                            description=f"With {item.agency}'s answer to the information request",
                        )
                    except DjangoValidationError as error:
                        raise exceptions.ValidationError(
                            {"files": {index: error.message_dict.get("file", error.messages)}}
                        ) from None
        except DjangoValidationError as error:
            if getattr(error, "code", "") == "stale":
                raise PreconditionFailed() from None
            if not hasattr(error, "error_dict"):
                raise UnprocessableContent(" ".join(error.messages)) from None
            raise
        response = Response(s.InformationRequestOut(_request_out(item)).data)
        response["ETag"] = _etag(item.version)
        return response


# --- Actions ----------------------------------------------------------------------------------------


def _action_out(action) -> dict:
    return {
        "id": action.pk,
        "case_reference": action.case.reference,
        "description": action.description,
        "due_on": action.due_on,
        "revised_due_on": action.revised_due_on,
        "status": action.status,
        "completed_on": action.completed_on,
        "version": action.version,
    }


def _own_action(view, pk: int):
    action = action_get_for_user(view.actor, pk)
    if action.owner_agency_id != view.client.agency_id:
        raise Http404
    return action


class Actions(ClientView):
    required_scope = "actions:read"

    @extend_schema(
        operation_id="actions_list",
        summary="Actions the client's agency owns",
        parameters=[PAGE_PARAM, ACTING],
        responses={200: s.ActionPage, **_problems(401, 403, 422, 429)},
    )
    def get(self, request):
        page = _page(request)
        rows = (
            actions_visible_to(self.actor)
            .filter(owner_agency_id=self.client.agency_id)
            .select_related("case")
            .order_by("due_on", "id")
        )
        found, next_page = _paged(rows, page)
        access_event_record(
            action="search",
            object_type="actions.action",
            summary=f"Listed {len(found)} action(s) through the partner API",
        )
        return Response({"results": [_action_out(a) for a in found], "next_page": next_page})


class ActionDetail(ClientView):
    required_scope = "actions:read"

    @extend_schema(
        summary="One action the agency owns (its ETag is its version)",
        parameters=[ACTING],
        responses={200: s.ActionOut, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, pk: int):
        action = _own_action(self, pk)
        access_event_record(action="view", obj=action, summary="Action read through the partner API")
        response = Response(s.ActionOut(_action_out(action)).data)
        response["ETag"] = _etag(action.version)
        return response


class _ActionWrite(ClientView):
    required_scope = "actions:write"
    serializer_class = None

    def _apply(self, action, values, version):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int):
        action = _own_action(self, pk)
        version = _if_match(request)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            action = self._apply(action, serializer.validated_data, version)
        except DjangoValidationError as error:
            if getattr(error, "code", "") == "stale":
                raise PreconditionFailed() from None
            if not hasattr(error, "error_dict"):
                raise UnprocessableContent(" ".join(error.messages)) from None
            raise
        action.refresh_from_db()
        response = Response(s.ActionOut(_action_out(action)).data)
        response["ETag"] = _etag(action.version)
        return response


class ActionComplete(_ActionWrite):
    serializer_class = s.CompleteIn

    @extend_schema(
        summary="Complete an action, with what happened",
        request=s.CompleteIn,
        parameters=[IF_MATCH, ACTING],
        responses={200: s.ActionOut, **_problems(401, 403, 404, 412, 422, 428, 429)},
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def _apply(self, action, values, version):
        return action_complete(
            action=action,
            actor=self.actor,
            what_happened=values["what_happened"],
            completed_on=values["completed_on"],
            read_version=version,
        )


class ActionDelay(_ActionWrite):
    serializer_class = s.DelayIn

    @extend_schema(
        summary="Delay an action, with the reason and the new date agreed",
        request=s.DelayIn,
        parameters=[IF_MATCH, ACTING],
        responses={200: s.ActionOut, **_problems(401, 403, 404, 412, 422, 428, 429)},
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def _apply(self, action, values, version):
        return action_delay(
            action=action,
            actor=self.actor,
            reason=values["reason"],
            revised_due_on=values["revised_due_on"],
            read_version=version,
        )


# --- Published statistics (public) -----------------------------------------------------------------


class Statistics(ApiView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="The published figures (public, no credentials)",
        description="The four figures every area publishes (contracts §5), for a financial year.",
        auth=[],
        parameters=[
            OpenApiParameter("partnership", OpenApiTypes.STR, required=True),
            OpenApiParameter("year", OpenApiTypes.INT, description="Financial year from 1 April."),
        ],
        responses={200: s.StatisticsOut, 404: PROBLEMS[404], 422: PROBLEMS[422]},
    )
    def get(self, request):
        slug = request.query_params.get("partnership", "")
        partnership = Partnership.objects.filter(slug=slug).first() if slug else None
        if not slug:
            raise exceptions.ValidationError({"partnership": ["Give the partnership's ID."]})
        if partnership is None:
            raise Http404
        year_text = request.query_params.get("year", "")
        today = timezone.localdate()
        try:
            year = int(year_text) if year_text else None
            if year is not None and not 2000 <= year <= today.year:
                raise ValueError
        except ValueError:
            raise exceptions.ValidationError({"year": [f"A year from 2000 to {today.year}."]}) from None
        period = financial_year(year if year else financial_year_of(today))
        figures = figures_for(partnership=partnership, period=period).as_contract()
        return Response(figures)


__all__ = ["PROBLEM", "dt", "problem"]


# --- Webhooks ---------------------------------------------------------------------------------------


def _subscription_out(sub) -> dict:
    return {"id": sub.pk, "url": sub.url, "events": list(sub.events), "active": sub.active}


class Webhooks(ClientView):
    required_scope = "webhooks:manage"

    @extend_schema(
        summary="The client's webhook subscriptions",
        responses={200: s.SubscriptionOut(many=True), **_problems(401, 403, 429)},
    )
    def get(self, request):
        from .models import WebhookSubscription

        rows = WebhookSubscription.objects.filter(client=self.client, active=True)
        return Response([_subscription_out(sub) for sub in rows])

    @extend_schema(
        summary="Subscribe to events (the signing secret is shown once)",
        request=s.SubscriptionIn,
        responses={201: s.SubscriptionCreatedOut, **_problems(401, 403, 422, 429)},
    )
    def post(self, request):
        from .services import webhook_subscribe

        serializer = s.SubscriptionIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        sub, secret = webhook_subscribe(
            client=self.client,
            url=serializer.validated_data["url"],
            events=list(dict.fromkeys(serializer.validated_data["events"])),
        )
        return Response({**_subscription_out(sub), "secret": secret}, status=201)


class WebhookDeliveries(ClientView):
    required_scope = "webhooks:manage"

    @extend_schema(
        summary="A subscription's delivery history, newest first",
        parameters=[PAGE_PARAM],
        responses={200: s.DeliveryOut(many=True), **_problems(401, 403, 404, 422, 429)},
    )
    def get(self, request, pk: int):
        from .models import WebhookSubscription

        sub = WebhookSubscription.objects.filter(client=self.client, pk=pk).first()
        if sub is None:
            raise Http404
        found, _ = _paged(sub.deliveries.order_by("-created_at", "-id"), _page(request))
        return Response(
            [
                {
                    "id": d.pk,
                    "event": d.event,
                    "event_id": d.event_id,
                    "status": d.status,
                    "attempts": d.attempts,
                    "last_status_code": d.last_status_code,
                    "last_error": d.last_error,
                    "created_at": d.created_at,
                    "delivered_at": d.delivered_at,
                }
                for d in found
            ]
        )
