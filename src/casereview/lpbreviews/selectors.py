"""Reads for the local policing body's review route.

Access: the reviewer is a user with the role `local_policing_body` in the partnership they work in
(the commissioner's office has a membership in each partnership of its force area, ADR 0060). That
role opens no case through `applications.selectors.cases_visible_to`; here it opens the reviews
asked of it, and each shows only the application, its incidents and the decision asked about
(`review_view`) — no parties, perpetrators, actions, letters or timeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from casereview.accounts.models import Role
from casereview.appeals.selectors import appeal_window_for, threshold_appeal_state
from casereview.applications.selectors import application_current_decision
from casereview.core import lpb_review
from casereview.core.reasons import Words, _date
from casereview.law.selectors import commencement_register
from casereview.web.links import public_url

from .models import LpbReview, ReviewOutcome
from .registry import PolicingBody, policing_body_of

#: The case's status and the decision's value for "threshold not met" (applications.models' Status
#: and Decision, by value: no other app's models are imported here, ADR 0037).
DECLINED = "declined"


def user_reviews_for_lpb(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.partnership_id
        and user.has_role(Role.LOCAL_POLICING_BODY)
    )


def reviews_visible_to(user) -> QuerySet[LpbReview]:
    """The reviews asked of the local policing body in the partnership the user works in."""
    if not user_reviews_for_lpb(user):
        return LpbReview.objects.none()
    return LpbReview.objects.filter(application__partnership_id=user.partnership_id).select_related(
        "application", "decision"
    )


def review_get_for_user(user, pk: int) -> LpbReview:
    """One review the user may see, or 404 (exactly as for one that does not exist)."""
    review = reviews_visible_to(user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such review")
    return review


def policing_body_name(body: PolicingBody) -> str:
    # Translators: the local policing body when the deployment has not named it.
    return body.name or _("the local policing body")


@dataclass(frozen=True)
class RouteState:
    """Where a case stands on the route, on a day: the core's check and what it was judged on."""

    check: lpb_review.RequestCheck
    body: PolicingBody
    register_version: str
    decision: object | None
    in_force: bool

    @property
    def allowed(self) -> bool:
        return self.check.allowed

    def refusal_sentences(self, words: Words) -> list[str]:
        return [lpb_review.render(code, params, words) for code, params in self.check.refusals]


def route_state(application, *, on: dt.date) -> RouteState:
    """May the victim ask the local policing body, on `on`, to review this case's not-met decision?"""
    register = commencement_register()
    body = policing_body_of(application.partnership)
    decision = application_current_decision(application)
    declined_not_met = bool(
        application.status == DECLINED and decision is not None and decision.decision == DECLINED
    )
    letter_on = (
        appeal_window_for(application, "threshold_not_met").letter_issued_on if declined_not_met else None
    )
    appeal, appeal_letter_on = threshold_appeal_state(application)
    already = (
        decision is not None and LpbReview.objects.filter(application=application, decision=decision).exists()
    )
    check = lpb_review.may_request(
        register=register,
        nation=body.nation,
        on=on,
        declined_not_met=declined_not_met,
        decision_letter_on=letter_on,
        appeal=appeal,
        appeal_letter_on=appeal_letter_on,
        already_requested=already,
    )
    return RouteState(
        check=check,
        body=body,
        register_version=register.version,
        decision=decision,
        in_force=lpb_review.in_force(register, nation=body.nation, on=on),
    )


def portal_route(application, *, on: dt.date) -> dict | None:
    """For the victim's page: None where the route is not in force or the case was never declined
    as not met; otherwise whether they may ask now, the last day, and why not."""
    state = route_state(application, on=on)
    if not state.in_force:
        return None
    current = LpbReview.objects.filter(application=application).order_by("-requested_on", "-id").first()
    if state.decision is None or (state.decision.decision != DECLINED and current is None):
        return None
    return {
        "allowed": state.allowed,
        "ends_on": state.check.ends_on,
        "body": policing_body_name(state.body),
        "refusals": [code for code, _params in state.check.refusals],
        "review": current,
    }


def lpb_review_route_words(application, issue_date: dt.date) -> str:
    """The not-met letter's paragraph on the route, in the active language; "" before it is in force
    (on the letter's date) in the nation of the partnership's force area."""
    register = commencement_register()
    body = policing_body_of(application.partnership)
    if not lpb_review.in_force(register, nation=body.nation, on=issue_date):
        return ""
    rules = lpb_review.rules_from(register)
    from django.utils.translation import get_language

    words = Words(gettext=_, language="cy" if (get_language() or "").startswith("cy") else "en")
    url = public_url("/my-review/policing-body-review/")
    name = policing_body_name(body)
    if rules.appeal_first:
        return _(
            "If you appeal and your appeal is not upheld, you can then ask %(body)s to review this "
            "decision, within %(limit)s of the letter telling you of the appeal's decision: online at "
            "%(url)s (sign in with your reference), or by contacting them."
        ) % {"body": name, "limit": _period_words(words, rules.time_limit), "url": url}
    return _(
        "You can also ask %(body)s to review this decision, by %(date)s: online at %(url)s (sign in "
        "with your reference), or by contacting them."
    ) % {"body": name, "date": _date(words, rules.time_limit.after(issue_date)), "url": url}


def _period_words(words: Words, period) -> str:
    from casereview.core.reasons import period_words

    return period_words(words, str(period))


def review_view(review: LpbReview) -> dict:
    """What the reviewer sees: the application, its incidents with their reports, and the decision.
    Nothing else of the case (no names, contact details, parties, perpetrators or timeline)."""
    case = review.application
    incidents = [
        {
            "ref": incident.ref,
            "occurred_on": incident.occurred_on,
            "description": incident.description,
            "location": incident.location,
            "hate": incident.hate,
            "diary_sheet": incident.diary_sheet,
            "reports": [
                {
                    "agency_kind": r.get_agency_kind_display(),
                    "agency": r.agency_name or "",
                    "on": r.reported_on,
                }
                for r in incident.reports.all().order_by("reported_on", "id")
            ],
        }
        for incident in case.incidents.all().order_by("occurred_on", "ref")
    ]
    decision = review.decision
    engine_incidents = {row.get("ref"): row for row in (decision.engine_result or {}).get("incidents", [])}
    for row in incidents:
        found = engine_incidents.get(row["ref"]) or {}
        row["qualifying"] = found.get("qualifying")
        row["reasons"] = found.get("reasons", [])
    return {
        "application": {
            "reference": case.reference,
            "received_on": case.received_on,
            "channel": case.get_channel_display() if case.channel else "",
            "third_party": case.is_third_party,
            "summary": case.summary,
            "desired_outcome": case.desired_outcome,
            "location": case.location,
        },
        "incidents": incidents,
        "decision": {
            "decided_on": decision.decided_on,
            "label": decision.get_decision_display(),
            "policy": f"{decision.policy_id} ({decision.policy_version})",
            "qualifying_complaints": decision.qualifying_complaints,
            "explanation": decision.explanation,
            "reasons": decision.reasons,
            "engine_outcome": decision.engine_outcome,
        },
    }


def lpb_review_counts(*, application_ids, as_at: dt.date) -> dict[str, int]:
    """For the published statistics (and so the data return): of these applications (a period's
    cohort), the reviews asked of the local policing body by `as_at`, and those it decided by then
    that the decision stands or sent back."""
    rows = LpbReview.objects.filter(
        application_id__in=list(application_ids), requested_on__lte=as_at
    ).aggregate(
        requested=Count("id"),
        stands=Count("id", filter=Q(outcome=ReviewOutcome.STANDS, decided_on__lte=as_at)),
        sent_back=Count("id", filter=Q(outcome=ReviewOutcome.SENT_BACK, decided_on__lte=as_at)),
    )
    return {key: int(value or 0) for key, value in rows.items()}
