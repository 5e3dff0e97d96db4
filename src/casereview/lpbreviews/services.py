"""Writes for the local policing body's review route: ask (online or recorded by the office) and
decide. Each is one transaction with its case events; deciding also issues the outcome letter to
the victim through the letters app, and a decision sent back re-opens the threshold decision for
the partnership (`case_status_change`, declined → acknowledged) and tells the case's SPOC (or its
community safety managers before there is one) — all or nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from casereview.applications.selectors import case_by_pk, case_by_reference, case_lock
from casereview.applications.services import case_event_record, case_status_change
from casereview.core.lpb_review import render
from casereview.core.reasons import Words
from casereview.notifications.services import case_contacts, staff_notify
from casereview.web.concurrency import StaleRecord

from .models import LpbReview, RequestChannel, ReviewOutcome, ReviewStatus
from .selectors import route_state, user_reviews_for_lpb


def lpb_review_request(
    *,
    application,
    requested_on: dt.date,
    channel: str,
    why: str,
    actor=None,
) -> LpbReview:
    """Record a victim's request. `actor` is the local policing body's officer recording it for the
    victim (phone, email, letter, in person), or None when the victim asked online.

    Refused — nothing written — where the core says no on the day it was received: before the
    route's commencement (naming the date), a case without a standing not-met decision, the
    partnership's appeal first where the register says so, or after the time limit.
    """
    if actor is not None:
        if not user_reviews_for_lpb(actor) or actor.partnership_id != application.partnership_id:
            raise PermissionDenied(
                "Only the local policing body's office can record a request for its review."
            )
        if channel == RequestChannel.ONLINE:
            raise ValidationError({"channel": "Select how the request was made."})
    elif channel != RequestChannel.ONLINE:
        raise PermissionDenied("Only the local policing body's office can record a request made another way.")
    if channel not in RequestChannel.values:
        raise ValidationError({"channel": "Select how the request was made."})
    if requested_on is None:
        raise ValidationError({"requested_on": "Enter the date the request was received."})
    if requested_on > timezone.localdate():
        raise ValidationError(
            {"requested_on": "The date the request was received must be today or in the past."}
        )
    why = (why or "").strip()
    if not why:
        raise ValidationError({"why": "Enter why the decision should be looked at again."})
    with transaction.atomic():
        application = _lock(application)
        state = route_state(application, on=requested_on)
        if not state.allowed:
            words = Words(gettext=gettext, language="cy" if (get_language() or "").startswith("cy") else "en")
            raise ValidationError(
                " ".join(render(code, params, words) for code, params in state.check.refusals),
                code=state.check.refusals[0][0],
            )
        rules = state.check.rules
        review = LpbReview.objects.create(
            application=application,
            decision=state.decision,
            nation=state.body.nation,
            policing_body=state.body.name,
            register_version=state.register_version,
            appeal_first=rules.appeal_first,
            time_limit=str(rules.time_limit),
            time_limit_ends_on=state.check.ends_on,
            requested_on=requested_on,
            channel=channel,
            recorded_by=actor,
            why=why,
        )
        how = RequestChannel(channel).label.lower()
        case_event_record(
            application=application,
            kind="lpb_review_requested",
            summary=(
                f"The victim asked {state.body.name or 'the local policing body'} to review the "
                f"threshold decision ({how})."
            ),
            actor=actor,
            occurred_on=requested_on,
            data={"lpb_review": review.pk, "channel": channel, "decision": state.decision.pk},
        )
    return review


def _lock(application):
    return case_lock(application)


def lpb_review_decide(
    *,
    review: LpbReview,
    actor,
    outcome: str,
    reasons: str,
    decided_on: dt.date,
    read_version: int | None = None,
) -> LpbReview:
    """The local policing body's decision: the not-met decision stands, or goes back to the
    partnership to decide again — with reasons, always. Sent back: the case goes from "threshold not
    met" to "acknowledged" so the partnership decides again (its clocks and pages as for any
    application waiting for a decision), and its SPOC (or community safety managers) are told. The
    victim's letter is issued in the same transaction: a decision the victim is not told of is not
    recorded."""
    reasons = (reasons or "").strip()
    with transaction.atomic():
        review = LpbReview.objects.select_for_update().get(pk=review.pk)
        application = _lock(review.application)
        review.application = application
        if not user_reviews_for_lpb(actor) or actor.partnership_id != application.partnership_id:
            raise PermissionDenied("Only the local policing body's office can decide its review.")
        if read_version is not None and review.version != read_version:
            raise StaleRecord(review, what="review")
        if review.status != ReviewStatus.REQUESTED:
            raise ValidationError("This review has already been decided.")
        errors = {}
        if outcome not in ReviewOutcome.values:
            errors["outcome"] = "Select whether the decision stands or goes back to the partnership."
        if not reasons:
            errors["reasons"] = (
                "Enter the reasons for your decision: the victim and the partnership read them."
            )
        if decided_on is None:
            errors["decided_on"] = "Enter the date of the decision."
        elif decided_on > timezone.localdate():
            errors["decided_on"] = "The date of the decision must be today or in the past."
        elif decided_on < review.requested_on:
            errors["decided_on"] = (
                f"The date of the decision cannot be before {review.requested_on:%-d %B %Y}."
            )
        if errors:
            raise ValidationError(errors)
        review.version += 1
        review.status = ReviewStatus.DECIDED
        review.outcome = outcome
        review.reasons = reasons
        review.decided_on = decided_on
        review.decided_by = actor
        review.save()
        body = review.policing_body or "The local policing body"
        if outcome == ReviewOutcome.SENT_BACK:
            case_status_change(
                case=application,
                to="acknowledged",  # applications.models.Status.ACKNOWLEDGED: waiting for a decision
                actor=actor,
                reason=reasons,
                summary=f"{body} sent the threshold decision back to the partnership to decide again.",
                occurred_on=decided_on,
                event_kind="lpb_review_sent_back",
                data={"lpb_review": review.pk, "decision": review.decision_id},
            )
            staff_notify(
                recipients=case_contacts(application),
                purpose="lpb_review_sent_back",
                text=(
                    f"{application.reference}: the local policing body sent the threshold decision back "
                    "to decide again."
                ),
                url=reverse("applications:detail", args=[application.reference]),
                case=application,
                email_subject=f"{application.reference}: a threshold decision to make again",
                email_body=(
                    f"The local policing body reviewed the 'threshold not met' decision on case "
                    f"{application.reference} and sent it back to the partnership to decide again. "
                    "Its reasons are on the case's timeline. Sign in to see them."
                ),
                actor=actor,
                occurred_on=decided_on,
            )
        else:
            case_event_record(
                application=application,
                kind="lpb_review_decided",
                summary=f"{body} reviewed the threshold decision: it stands.",
                actor=actor,
                occurred_on=decided_on,
                data={"lpb_review": review.pk, "outcome": outcome, "reason": reasons},
            )
        letter = _issue_letter(review=review, actor=actor)
        review.letter_id = letter.pk
        review.save(update_fields=["letter_id"])
    return review


def _issue_letter(*, review: LpbReview, actor):
    from casereview.letters import services as letters

    try:
        return letters.letter_issue(
            case=review.application,
            kind="lpb_review_outcome",
            actor=actor,
            extra={
                "received_on": review.requested_on,
                "result": review.outcome,
                "reasons": review.reasons,
                "lpb_name": review.policing_body,
            },
        )
    except letters.LetterRedactionError as error:
        raise ValidationError(
            {"reasons": f"The letter cannot be sent: {error}. Reword the reasons."}
        ) from error
    except letters.LetterPermissionError as error:
        raise PermissionDenied(str(error)) from error
    except letters.LetterError as error:
        raise ValidationError(f"The letter to the victim cannot be sent: {error}") from error


def case_for_request(*, reference: str, actor):
    """The case a request recorded by the office is about: by its reference, in the partnership
    the officer works in. A reference not found there is refused exactly like one that does not
    exist (the office sees no case otherwise)."""
    case = case_by_reference(reference)
    if case is None or case.partnership_id != actor.partnership_id or case.kind != "case_review":
        raise ValidationError(
            {"reference": "There is no ASB Case Review with that reference in this partnership."}
        )
    return case_by_pk(case.pk)
