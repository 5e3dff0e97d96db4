"""Writes for appeals: lodge (staff or online) and decide. Each is one transaction that records
its case event; an upheld appeal on a threshold decision re-opens the case as accepted
(`application_set_status`, declined → accepted), and the decision letter is issued through the
letters app inside the same transaction — a decision the appellant is not told of is not recorded.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.applications.selectors import Application, Status, application_lock
from casereview.applications.services import application_set_status, case_event_record
from casereview.web.concurrency import StaleRecord

from .models import (
    Appeal,
    AppealChannel,
    AppealLookupFailure,
    AppealOutcome,
    AppealStatus,
    DecisionAppealed,
)
from .selectors import (
    LOOKUP_WINDOW,
    appeal_window_for,
    appealable_decisions,
    grounds_for,
    heard_by,
    original_decision_makers,
    reference_key,
    user_decides_appeals,
    user_handles_appeals,
)

DECISION_WORDS = {
    DecisionAppealed.THRESHOLD_NOT_MET: "the threshold decision",
    DecisionAppealed.REVIEW_OUTCOME: "the review's outcome",
}


def _check_date(field: str, day: dt.date | None, *, not_before: dt.date | None, label: str) -> None:
    if day is None:
        raise ValidationError({field: f"Enter {label}."})
    if day > timezone.localdate():
        raise ValidationError({field: f"{label.capitalize()} must be today or in the past."})
    if not_before is not None and day < not_before:
        raise ValidationError({field: f"{label.capitalize()} cannot be before {not_before:%-d %B %Y}."})


def appeal_lodge(
    *,
    application: Application,
    decision_appealed: str,
    lodged_on: dt.date,
    channel: str,
    grounds: list[str],
    explanation: str,
    late_explanation: str = "",
    actor=None,
) -> Appeal:
    """Record an appeal. `actor` is the officer recording it, or None when made online.

    A late appeal is recorded and flagged, never refused here: whether to consider it is the
    decision maker's call, with reasons (`appeal_decide`).
    """
    if actor is not None:
        if not user_handles_appeals(actor) or actor.partnership_id != application.partnership_id:
            raise PermissionDenied("You cannot record appeals on this case.")
    elif channel != AppealChannel.ONLINE:
        raise PermissionDenied(
            "Only an officer can record an appeal made by phone, email, letter or in person."
        )
    if channel not in AppealChannel.values:
        raise ValidationError({"channel": "Select how the appeal was made."})
    explanation = (explanation or "").strip()
    errors = {}
    with transaction.atomic():
        application = application_lock(application.pk)
        available = appealable_decisions(application)
        if decision_appealed not in available:
            raise ValidationError(
                {"decision_appealed": "There is no decision of that kind on this case that can be appealed."}
            )
        if application.appeals.filter(
            decision_appealed=decision_appealed, status=AppealStatus.LODGED
        ).exists():
            raise ValidationError(
                {"decision_appealed": "An appeal about this decision is already waiting for a decision."}
            )
        window = appeal_window_for(application, decision_appealed)
        _check_date(
            "lodged_on",
            lodged_on,
            not_before=window.letter_issued_on or application.received_on,
            label="the date the appeal was received",
        )
        allowed = dict(grounds_for(application, decision_appealed))
        chosen = [code for code in allowed if code in set(grounds or [])]
        if allowed and not chosen:
            errors["grounds"] = "Select at least one ground of appeal."
        if set(grounds or []) - set(allowed):
            errors["grounds"] = "Select only the grounds listed."
        if not explanation:
            errors["explanation"] = "Enter why the decision should be looked at again."
        if errors:
            raise ValidationError(errors)
        person = application.applicant or application.victim
        late = window.is_late(lodged_on)
        appeal = Appeal.objects.create(
            application=application,
            decision_appealed=decision_appealed,
            letter_event=window.letter_event,
            letter_issued_on=window.letter_issued_on,
            window=window.window,
            window_ends_on=window.ends_on,
            heard_by=heard_by(application),
            lodged_on=lodged_on,
            channel=channel,
            lodged_by=actor,
            appellant_name=str(person)[:200],
            grounds=chosen,
            grounds_labels=[allowed[c] for c in chosen],
            explanation=explanation,
            late=late,
            late_explanation=(late_explanation or "").strip() if late else "",
        )
        how = AppealChannel(channel).label.lower()
        summary = f"Appeal against {DECISION_WORDS[decision_appealed]} received ({how})"
        if late:
            summary += f", after the appeal window ended on {window.ends_on:%-d %B %Y}"
        case_event_record(
            application=application,
            kind="appeal_lodged",
            summary=summary + ".",
            actor=actor,
            occurred_on=lodged_on,
            data={
                "appeal": appeal.pk,
                "decision_appealed": decision_appealed,
                "late": late,
                "channel": channel,
            },
        )
    return appeal


def appeal_letter_extra(appeal: Appeal) -> dict:
    """What the appeal decision letter says, from the decided appeal as recorded: the result and
    reasons, or — a late appeal not considered — why it was not, and the next steps."""
    if appeal.status == AppealStatus.NOT_CONSIDERED:
        result = AppealOutcome.NOT_UPHELD
        reasons = (
            f"Appeals must be made within {appeal.window} of the date of the letter. Your appeal was "
            f"received on {appeal.lodged_on:%-d %B %Y}, after the time allowed ended on "
            f"{appeal.window_ends_on:%-d %B %Y}, and we have not been able to consider it. "
            f"{appeal.late_reasons}"
        )
    else:
        result, reasons = appeal.outcome, appeal.reasons
    return {
        "received_on": appeal.lodged_on,
        "result": result,
        "reasons": reasons,
        "next_steps": appeal.next_steps,
    }


def appeal_decision_letter_extra(application) -> dict:
    """The letters app's provider for correcting an issued appeal decision letter (registered in
    AppealsConfig.ready, issued_here=False): the latest decided appeal whose letter went out."""
    from casereview.letters.rendering import LetterNotReady

    appeal = (
        application.appeals.filter(decision_letter_id__isnull=False).order_by("-decided_on", "-id").first()
    )
    if appeal is None:
        raise LetterNotReady(
            "No appeal on this case has been decided with a letter, so there is nothing to build the "
            "letter from: the appeal decision letter is issued when the appeal is decided."
        )
    return appeal_letter_extra(appeal)


def _issue_letter(*, appeal: Appeal, actor):
    """The appeal decision letter (letters app, kind appeal_decision). Refusals become form errors."""
    from casereview.letters import services as letters

    try:
        return letters.letter_issue(
            case=appeal.application,
            kind="appeal_decision",
            actor=actor,
            extra=appeal_letter_extra(appeal),
        )
    except letters.LetterRedactionError as error:
        raise ValidationError(
            {"reasons": f"The letter cannot be sent: {error}. Reword the reasons or next steps."}
        ) from error
    except letters.LetterPermissionError as error:
        raise PermissionDenied(str(error)) from error
    except letters.LetterError as error:
        raise ValidationError(f"The decision letter cannot be sent: {error}") from error


def _next_steps_default(appeal: Appeal, outcome: str) -> str:
    if outcome == AppealOutcome.UPHELD and appeal.decision_appealed == DecisionAppealed.THRESHOLD_NOT_MET:
        return (
            "Your application has been accepted for an ASB Case Review. We will appoint a single point "
            "of contact, who will be in touch to explain what happens next."
        )
    if outcome == AppealOutcome.UPHELD:
        return "We will ask the review panel to look at your case again, and write to you with the outcome."
    return "The original decision stands."


def appeal_decide(
    *,
    appeal: Appeal,
    actor,
    decided_on: dt.date,
    outcome: str = "",
    reasons: str = "",
    next_steps: str = "",
    late_considered: bool | None = None,
    late_reasons: str = "",
    read_version: int | None = None,
) -> Appeal:
    """Decide an appeal, send the decision letter, and (upheld on a threshold decision) re-open the
    case as accepted — all or nothing.

    The decision maker must be senior (APPEAL_DECIDER_ROLES) and must not have made the decision
    under appeal. A late appeal first needs the decision whether to consider it, with reasons; if
    it is not considered, the letter says so and why.
    """
    if not user_decides_appeals(actor) or actor.partnership_id != appeal.application.partnership_id:
        raise PermissionDenied("Only a senior manager can decide an appeal.")
    reasons = (reasons or "").strip()
    next_steps = (next_steps or "").strip()
    late_reasons = (late_reasons or "").strip()
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("application").get(pk=appeal.pk)
        application = application_lock(appeal.application_id)
        appeal.application = application
        if read_version is not None and appeal.version != read_version:
            raise StaleRecord(appeal, what="appeal")
        appeal.version += 1
        if appeal.status != AppealStatus.LODGED:
            raise ValidationError("This appeal has already been decided.")
        if actor.pk in original_decision_makers(application, appeal.decision_appealed):
            raise ValidationError(
                "You made or recorded the decision under appeal, so you cannot decide the appeal: "
                "ask another senior manager."
            )
        _check_date("decided_on", decided_on, not_before=appeal.lodged_on, label="the date of the decision")
        errors = {}
        if appeal.late:
            if late_considered is None:
                errors["late_considered"] = "Select whether to consider the appeal although it was made late."
            elif not late_reasons:
                errors["late_reasons"] = (
                    "Enter the reasons for considering, or not considering, the late appeal."
                )
        considered = not appeal.late or late_considered is True
        if considered:
            if outcome not in AppealOutcome.values:
                errors["outcome"] = "Select whether the appeal is upheld."
            if not reasons:
                errors["reasons"] = "Enter the reasons for the decision."
        if errors:
            raise ValidationError(errors)

        appeal.late_considered = late_considered if appeal.late else None
        appeal.late_reasons = late_reasons if appeal.late else ""
        appeal.decided_on = decided_on
        appeal.decided_by = actor
        if considered:
            appeal.status = AppealStatus.DECIDED
            appeal.outcome = outcome
            appeal.reasons = reasons
            appeal.next_steps = next_steps or _next_steps_default(appeal, outcome)
        else:
            appeal.status = AppealStatus.NOT_CONSIDERED
            appeal.outcome = ""
            appeal.reasons = ""
            appeal.next_steps = next_steps or _next_steps_default(appeal, AppealOutcome.NOT_UPHELD)
        appeal.save()

        if (
            appeal.outcome == AppealOutcome.UPHELD
            and appeal.decision_appealed == DecisionAppealed.THRESHOLD_NOT_MET
        ):
            if application.status != Status.DECLINED:
                raise ValidationError(
                    f"The case is “{application.get_status_display()}”: an upheld appeal re-opens a "
                    "declined case only. Ask the case's manager to look at its status first."
                )
            application_set_status(
                application=application,
                to=Status.ACCEPTED,
                actor=actor,
                summary="Accepted for review: the appeal against the threshold decision was upheld.",
                occurred_on=decided_on,
                event_kind="accepted",
                data={"appeal": appeal.pk},
            )
        if appeal.status == AppealStatus.NOT_CONSIDERED:
            summary = "Late appeal not considered."
        else:
            against = DECISION_WORDS[appeal.decision_appealed]
            summary = f"Appeal against {against} {appeal.get_outcome_display().lower()}."
        case_event_record(
            application=application,
            kind="appeal_decided",
            summary=summary,
            actor=actor,
            occurred_on=decided_on,
            data={
                "appeal": appeal.pk,
                "outcome": appeal.outcome or "not_considered",
                "late_considered": appeal.late_considered,
            },
        )
        letter = _issue_letter(appeal=appeal, actor=actor)
        appeal.decision_letter_id = letter.pk
        appeal.save(update_fields=["decision_letter_id"])
    return appeal


def appeal_lookup_failure_record(*, reference: str, now: dt.datetime | None = None) -> AppealLookupFailure:
    """Count one failed online look-up towards the guess limit (selectors.appeal_lookup_blocked).

    Kept in the database so every web worker sees the same count. Stores a hash of the reference
    only; every row older than the window is deleted here (it no longer counts for anything), so
    the table holds at most the last hour's failures. No case event: a failed guess is not a
    change to any case, and may not be about a real one.
    """
    now = now or timezone.now()
    AppealLookupFailure.objects.filter(failed_at__lte=now - LOOKUP_WINDOW).delete()
    return AppealLookupFailure.objects.create(reference_key=reference_key(reference), failed_at=now)
