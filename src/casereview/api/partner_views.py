"""People and places (search and signpost), panel referrals and interventions over the API (issue 18).

As the rest of the API: every read and write is the owning app's selector or service, called as the
client's service account (an agency officer of the client's agency), so a record the agency may not
see is the same 404 as an unknown one, and the access log names the client and the declared person.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from casereview.audit.services import access_event_record
from casereview.core.enforcement_reasons import render as render_step_reason
from casereview.core.reasons import render as render_reason
from casereview.core.reasons import render_all
from casereview.interventions.selectors import (
    intervention_get_for_user,
    interventions_visible_to,
    may_record,
)
from casereview.interventions.services import (
    StepData,
    StepRefused,
    intervention_close,
    intervention_open,
    step_record,
)
from casereview.people.selectors import SearchTerms, people_visible_to, signpost_search
from casereview.people.services import uprn_normalise
from casereview.referrals.selectors import (
    may_refer,
    panel_kind_for,
    referral_get_for_user,
    referrals_visible_to,
)
from casereview.referrals.services import CriteriaNotMet, ReferralData, referral_make

from . import serializers as s
from .problems import PreconditionFailed, RuleRefused, UnprocessableContent
from .views import (
    ACTING,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    PAGE_PARAM,
    ClientView,
    _etag,
    _idempotency_key,
    _idempotent_create,
    _idempotent_response,
    _if_match,
    _page,
    _paged,
    _problems,
)

# --- People and places: search and signpost -------------------------------------------------------


def _signposts(view, terms: SearchTerms, kind: str, fields: list[str]) -> Response:
    results = [r for r in signpost_search(view.actor, terms) if r.kind == kind]
    access_event_record(
        action="search",
        summary=f"Search and signpost through the partner API: {len(results)} result(s)",
        purpose="Search and signpost",
        details={"fields": fields, "results": [f"{r.kind}:{r.record.pk}" for r in results]},
    )
    return Response(
        {
            "results": [
                {
                    "kind": r.kind,
                    "known_to": [
                        {"agency": k.name, "contact": k.contact, "withheld": k.withheld} for k in r.known_to
                    ],
                }
                for r in results
            ]
        }
    )


SIGNPOST_NOTE = (
    "Search and signpost, as on the pages: only which agencies work with them and whom to contact. A "
    "sensitive agency (health, by default) is never named: it is listed once as 'Another agency' "
    "with the community safety team's contact, `withheld` true. No name, no case, nothing else."
)


class People(ClientView):
    required_scope = "people:search"

    @extend_schema(
        operation_id="people_search",
        summary="Find a person by your own partner key (or a UPRN they are linked to)",
        description=SIGNPOST_NOTE,
        parameters=[
            OpenApiParameter("partner_key", OpenApiTypes.STR, description="Exactly as you sent it."),
            OpenApiParameter("uprn", OpenApiTypes.STR, description="Up to 12 digits."),
            ACTING,
        ],
        responses={200: s.SignpostPage, **_problems(401, 403, 422, 429)},
    )
    def get(self, request):
        key = request.query_params.get("partner_key", "").strip()[:200]
        uprn = request.query_params.get("uprn", "").strip()
        if not key and not uprn:
            raise exceptions.ValidationError({"partner_key": ["Give a partner key or a UPRN."]})
        if uprn and not uprn_normalise(uprn):
            raise exceptions.ValidationError({"uprn": ["A UPRN is a number of up to 12 digits."]})
        fields = [name for name, value in (("partner_key", key), ("uprn", uprn)) if value]
        return _signposts(self, SearchTerms(partner_key=key, uprn=uprn), "person", fields)


class Places(ClientView):
    required_scope = "people:search"

    @extend_schema(
        operation_id="places_search",
        summary="Find a place by its UPRN",
        description=SIGNPOST_NOTE,
        parameters=[
            OpenApiParameter("uprn", OpenApiTypes.STR, required=True, description="Up to 12 digits."),
            ACTING,
        ],
        responses={200: s.SignpostPage, **_problems(401, 403, 422, 429)},
    )
    def get(self, request):
        uprn = request.query_params.get("uprn", "").strip()
        if not uprn_normalise(uprn):
            raise exceptions.ValidationError({"uprn": ["A UPRN is a number of up to 12 digits."]})
        return _signposts(self, SearchTerms(uprn=uprn), "place", ["uprn"])


# --- Panel referrals -------------------------------------------------------------------------------


def _referral_out(referral) -> dict:
    """A referral as the client may read it: the subject's kind, a household's size and the place
    (ADR 0076); one name only, `person_name` (the person referred, or a household's first member,
    as before households existed). The other members' names are not sent: the agency gave them, and
    a member's profile is the people app's to show (search and signpost), not a referral's."""
    place = referral.place
    return {
        "id": referral.pk,
        "panel_kind": referral.panel_kind,
        "agency": referral.agency.name,
        "referred_on": referral.referred_on,
        "subject_kind": referral.subject_kind,
        "person_name": referral.person.full_name if referral.person else "",
        "household_size": referral.household.count() if referral.subject_kind == "household" else 0,
        "address": place.address if place else "",
        "uprn": place.uprn if place else "",
        "summary": referral.summary,
        "vulnerabilities": list(referral.vulnerabilities),
        "risk_score": referral.risk_score,
        "risk_level": referral.risk_level,
        "asb_reports": referral.asb_reports,
        "consent": referral.consent,
        "lawful_basis": referral.lawful_basis,
        "reasons": [render_reason(reason) for reason in referral.reason_codes],
    }


class Referrals(ClientView):
    @property
    def required_scope(self):
        return "referrals:write" if self.request.method == "POST" else "referrals:read"

    @extend_schema(
        operation_id="referrals_list",
        summary="Panel referrals the client's agency made (or, as a panel's member, may see)",
        parameters=[PAGE_PARAM, ACTING],
        responses={200: s.ReferralPage, **_problems(401, 403, 422, 429)},
    )
    def get(self, request):
        page = _page(request)
        rows = (
            referrals_visible_to(self.actor)
            .select_related("person", "place", "agency")
            .order_by("-referred_on", "-id")
        )
        found, next_page = _paged(rows, page)
        access_event_record(
            action="search",
            object_type="referrals.referral",
            summary=f"Listed {len(found)} referral(s) through the partner API",
            details={"ids": [r.pk for r in found]},
        )
        return Response({"results": [_referral_out(r) for r in found], "next_page": next_page})

    @extend_schema(
        operation_id="referrals_create",
        summary="Refer a person, a household or an address to a standing panel (e.g. Community MARAC)",
        description="The referrals app's service decides, as the referral form does: the panel's "
        "criteria are checked by the rules and a referral short of one stores nothing (422 with "
        "`reasons`; a wrong field is a 422 with `errors` naming it). `subject_kind` says who or what "
        "is referred: `person` (default) is a profile your agency may see (`person_profile`) or a new "
        "one (`person_name`); `household` is two or more people (`household_profiles`, "
        "`household_names`) at one place; `address` is a place. The place is a profile your agency "
        "may see (`place_profile`) or found or recorded from `address`, `postcode` and `uprn`. With an "
        "Idempotency-Key, a retry answers the same and stores nothing again.",
        request=s.ReferralIn,
        parameters=[IDEMPOTENCY_KEY, ACTING],
        responses={201: s.ReferralOut, **_problems(401, 403, 409, 422, 429)},
    )
    def post(self, request):
        key = _idempotency_key(request)
        serializer = s.ReferralIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        kind = panel_kind_for(self.actor, values.pop("panel_kind"))
        if not may_refer(self.actor, kind):
            raise exceptions.ValidationError(
                {"panel_kind": ["No panel of the partnership's policy that your agency may refer to."]}
            )
        answers = dict.fromkeys(values.pop("risk_answers", []), True)

        def create():
            referral = referral_make(
                partnership=self.client.partnership,
                kind=kind,
                data=ReferralData(**values, risk_answers=answers),
                actor=self.actor,
            )
            return s.ReferralOut(_referral_out(referral)).data

        try:
            answer = _idempotent_create(self, key=key, create=create)
        except CriteriaNotMet as refusal:
            raise RuleRefused(
                "The referral does not meet the panel's criteria: nothing is stored; see `reasons`.",
                render_all(refusal.result.reasons),
            ) from None
        return _idempotent_response(*answer)


class ReferralDetail(ClientView):
    required_scope = "referrals:read"

    @extend_schema(
        summary="One referral the client's agency made or may see",
        parameters=[ACTING],
        responses={200: s.ReferralOut, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, pk: int):
        referral = referral_get_for_user(self.actor, pk)
        return Response(s.ReferralOut(_referral_out(referral)).data)


# --- Interventions --------------------------------------------------------------------------------


def _intervention_out(item) -> dict:
    return {
        "id": item.pk,
        "reference": item.reference,
        "subject": item.subject_kind,
        "lead_agency": item.lead_agency.name,
        "status": item.status,
        "opened_on": item.opened_on,
        "summary": item.summary,
        "version": item.version,
    }


def _step_out(step) -> dict:
    return {
        "id": step.pk,
        "kind": step.kind,
        "issuing_agency": step.issuing_agency.name,
        "served_on": step.served_on,
        "served_at": step.served_at,
        "how_served": step.how_served,
        "comply_by": step.comply_by,
        "expires_on": step.expires_on,
        "outcome": step.outcome,
    }


class Interventions(ClientView):
    @property
    def required_scope(self):
        return "interventions:write" if self.request.method == "POST" else "interventions:read"

    @extend_schema(
        operation_id="interventions_list",
        summary="Interventions the client's agency leads or issued a step in",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "closed"]),
            PAGE_PARAM,
            ACTING,
        ],
        responses={200: s.InterventionPage, **_problems(401, 403, 422, 429)},
    )
    def get(self, request):
        page = _page(request)
        rows = interventions_visible_to(self.actor).select_related("lead_agency")
        status = request.query_params.get("status", "")
        if status:
            if status not in ("open", "closed"):
                raise exceptions.ValidationError({"status": ["Use open or closed."]})
            rows = rows.filter(status=status)
        found, next_page = _paged(rows.order_by("-opened_on", "-id"), page)
        access_event_record(
            action="search",
            object_type="interventions.intervention",
            summary=f"Listed {len(found)} intervention(s) through the partner API",
            details={"ids": [i.pk for i in found]},
        )
        return Response({"results": [_intervention_out(i) for i in found], "next_page": next_page})

    @extend_schema(
        operation_id="interventions_open",
        summary="Open an intervention about a person, led by the client's agency",
        description="The interventions app's service decides, as the page that opens one does: the "
        "person is a profile your agency may see (`person_profile`), the summary says what behaviour "
        "it is about, `nation` says whose law judges its steps. A refusal stores nothing (422: "
        "`errors` naming the field, or `reasons` in words). With an Idempotency-Key, a retry answers "
        "the same and opens nothing again. The answer's ETag is the new intervention's version.",
        request=s.InterventionOpenIn,
        parameters=[IDEMPOTENCY_KEY, ACTING],
        responses={201: s.InterventionOut, **_problems(401, 403, 409, 422, 429)},
    )
    def post(self, request):
        key = _idempotency_key(request)
        if not may_record(self.actor):
            raise exceptions.PermissionDenied("Only officers of the partnership open interventions.")
        serializer = s.InterventionOpenIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data

        def create():
            # The page's own list of people: the profiles the officer may open, none merged away.
            person = (
                people_visible_to(self.actor)
                .filter(pk=values["person_profile"], merged_into__isnull=True)
                .first()
            )
            if person is None:
                raise exceptions.ValidationError(
                    {"person_profile": ["There is no person profile with that number you may see."]}
                )
            item = intervention_open(
                partnership=self.client.partnership,
                lead_agency=self.client.agency,
                officer=self.actor,
                opened_on=values["opened_on"],
                summary=values["summary"],
                person=person,
                nation=values["nation"],
                actor=self.actor,
            )
            return s.InterventionOut(_intervention_out(item)).data

        try:
            status, body, replayed = _idempotent_create(self, key=key, create=create)
        except DjangoValidationError as error:
            _refusal(error, {"subject": "person_profile"})
        response = _idempotent_response(status, body, replayed)
        if not replayed:
            # The new intervention's version (a replay answers as first kept, without it).
            response["ETag"] = _etag(body["version"])
        return response


def _refusal(error: DjangoValidationError, fields: dict[str, str] | None = None):
    """A service's refusal as problem details: a stale version 412; field errors 422 with `errors`
    (a service's name for a field mapped to the request's, `fields`); a refusal of the whole write
    (the rules, the case's status table) 422 with `reasons`, as the page shows them."""
    if getattr(error, "code", "") == "stale":
        raise PreconditionFailed() from None
    if hasattr(error, "error_dict"):
        raise exceptions.ValidationError(
            {(fields or {}).get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None
    raise RuleRefused("Refused: nothing is stored; see `reasons`.", list(error.messages)) from None


class InterventionDetail(ClientView):
    required_scope = "interventions:read"

    @extend_schema(
        summary="One intervention, with its steps (its ETag is its version)",
        parameters=[ACTING],
        responses={200: s.InterventionDetailOut, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, pk: int):
        item = intervention_get_for_user(self.actor, pk, purpose="Partner API: intervention")
        steps = item.steps.select_related("issuing_agency").order_by("served_on", "id")
        response = Response(
            s.InterventionDetailOut({**_intervention_out(item), "steps": [_step_out(x) for x in steps]}).data
        )
        response["ETag"] = _etag(item.version)
        return response


class InterventionSteps(ClientView):
    required_scope = "interventions:write"

    @extend_schema(
        operation_id="interventions_step_record",
        summary="Record a step the client's agency issued",
        description="The interventions app's service decides, as the step page does: the law in force "
        "on the step's date is checked and a step it does not allow stores nothing (422 with "
        "`reasons`). Needs If-Match with the intervention's ETag; the answer's ETag is its new one.",
        request=s.StepIn,
        parameters=[IF_MATCH, ACTING],
        responses={201: s.StepOut, **_problems(401, 403, 404, 412, 422, 428, 429)},
    )
    def post(self, request, pk: int):
        item = intervention_get_for_user(self.actor, pk, purpose="Partner API: recording a step")
        if not may_record(self.actor):
            raise Http404
        version = _if_match(request)
        serializer = s.StepIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        for name in ("authorisations", "duties"):
            values[name] = list(values.get(name) or [])
        data = StepData(issuing_agency=self.client.agency, **values)
        try:
            step = step_record(intervention=item, data=data, actor=self.actor, read_version=version)
        except StepRefused as refused:
            raise RuleRefused(
                "The law does not allow this step on its date: nothing is stored; see `reasons`.",
                [render_step_reason(f.reason()) for f in refused.judgement.refusals],
            ) from None
        except DjangoValidationError as error:
            if getattr(error, "code", "") == "stale":
                raise PreconditionFailed() from None
            if not hasattr(error, "error_dict"):
                raise UnprocessableContent(" ".join(error.messages)) from None
            raise
        item.refresh_from_db()
        response = Response(s.StepOut(_step_out(step)).data, status=201)
        response["ETag"] = _etag(item.version)
        return response


class InterventionClose(ClientView):
    required_scope = "interventions:write"

    @extend_schema(
        operation_id="interventions_close",
        summary="Close an intervention the client's agency leads",
        description="Through the interventions app's service, as the case's status table allows (one "
        "already closed is refused: 422 with `reasons`). Needs If-Match with the intervention's ETag "
        "(428 without it, 412 if it changed since); the answer's ETag is its new one. Only the lead "
        "agency closes (403 for another agency that may read it).",
        request=None,
        parameters=[IF_MATCH, ACTING],
        responses={200: s.InterventionOut, **_problems(401, 403, 404, 412, 422, 428, 429)},
    )
    def post(self, request, pk: int):
        item = intervention_get_for_user(self.actor, pk, purpose="Partner API: closing an intervention")
        if not may_record(self.actor):
            raise Http404
        if item.lead_agency_id != self.client.agency_id:
            raise exceptions.PermissionDenied(
                f"Only the lead agency ({item.lead_agency.name}) closes this intervention."
            )
        version = _if_match(request)
        try:
            item = intervention_close(intervention=item, actor=self.actor, read_version=version)
        except DjangoValidationError as error:
            _refusal(error)
        response = Response(s.InterventionOut(_intervention_out(item)).data)
        response["ETag"] = _etag(item.version)
        return response
