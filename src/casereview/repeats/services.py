"""Writes for repeat applications and the persistent complainant flag. Each is one transaction
with its case event. `repeat_confirm` sets one field of the applications app's model,
`Application.previous_application`, which exists for this purpose, through that app's services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.applications.selectors import application_lock
from casereview.applications.services import application_previous_set, case_event_record
from casereview.web.concurrency import history_claim, row_lock, version_claim

from .models import (
    FlagReview,
    MaterialChangeAssessment,
    MaterialChangeDecision,
    PersistentComplainantFlag,
    RepeatDismissal,
)
from .selectors import people_of_case, repeat_candidates, user_handles_repeats, user_sets_flags


def _require(check, actor, application, message: str) -> None:
    if not check(actor) or actor.partnership_id != application.partnership_id:
        raise PermissionDenied(message)


def repeat_confirm(*, application, previous, actor):
    """Confirm that `previous` is an earlier application from the same victim about the same problem."""
    _require(user_handles_repeats, actor, application, "You cannot link repeat applications.")
    if previous.partnership_id != application.partnership_id or previous.pk == application.pk:
        raise ValidationError("That application cannot be linked to this one.")
    if previous.pk not in {c.application.pk for c in repeat_candidates(application)}:
        raise ValidationError("That application is not an earlier one from the same victim.")
    with transaction.atomic():
        application = application_lock(application.pk)
        if application.previous_application_id == previous.pk:
            raise ValidationError(
                f"This application is already linked as a repeat of {previous.reference}: "
                "someone else has just done this."
            )
        application_previous_set(application=application, previous=previous)
        case_event_record(
            application=application,
            kind="repeat_recognised",
            summary=f"Recognised as a repeat of application {previous.reference}.",
            actor=actor,
            data={"previous": previous.reference},
        )
    return application


def repeat_dismiss(*, application, candidate, actor, reason: str) -> RepeatDismissal:
    _require(user_handles_repeats, actor, application, "You cannot do that on this case.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why it is not the same problem."})
    with transaction.atomic():
        row_lock(application)  # two officers at once: the second finds the first's dismissal
        if RepeatDismissal.objects.filter(application=application, candidate=candidate).exists():
            raise ValidationError(
                f"Application {candidate.reference} has already been set aside as not a repeat: "
                "someone else has just done this."
            )
        dismissal = RepeatDismissal.objects.create(
            application=application, candidate=candidate, reason=reason.strip(), dismissed_by=actor
        )
        case_event_record(
            application=application,
            kind="repeat_dismissed",
            summary=f"Application {candidate.reference} is not a repeat of this one.",
            actor=actor,
            data={"candidate": candidate.reference},
        )
    return dismissal


def material_change_assess(
    *,
    application,
    actor,
    material_change: bool | None,
    what_changed: str,
    decision: str,
    reasons: str,
    assessed_on: dt.date,
    read_version: int | None = None,
) -> MaterialChangeAssessment:
    """Record whether a repeat application shows a material change of circumstances (seed 004 §14).
    `read_version` is how many assessments the page was read with (web.concurrency.history_claim)."""
    _require(user_handles_repeats, actor, application, "You cannot assess this application.")
    if application.previous_application_id is None:
        raise ValidationError("Link the earlier application first: this is not recorded as a repeat.")
    errors = {}
    if material_change is None:
        errors["material_change"] = "Select whether there is a material change of circumstances."
    elif material_change and not (what_changed or "").strip():
        errors["what_changed"] = "Enter what has changed."
    if decision not in MaterialChangeDecision.values:
        errors["decision"] = "Select the decision."
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons for the decision."
    if assessed_on is None or assessed_on > timezone.localdate():
        errors["assessed_on"] = "The date of the assessment must be today or in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        history_claim(
            application,
            application.material_change_assessments.all(),
            read_version=read_version,
            what="assessment of this repeat application",
        )
        assessment = MaterialChangeAssessment.objects.create(
            application=application,
            previous_application=application.previous_application,
            material_change=material_change,
            what_changed=(what_changed or "").strip() if material_change else "",
            decision=decision,
            reasons=reasons.strip(),
            assessed_on=assessed_on,
            assessed_by=actor,
        )
        change = "a material change of circumstances" if material_change else "no material change"
        case_event_record(
            application=application,
            kind="material_change_assessed",
            summary=f"Repeat application assessed: {change}; "
            f"{MaterialChangeDecision(decision).label.lower()}.",
            actor=actor,
            occurred_on=assessed_on,
            data={"assessment": assessment.pk, "material_change": material_change, "decision": decision},
        )
    return assessment


def _check_review_date(field: str, review_on: dt.date | None, today: dt.date) -> None:
    if review_on is None:
        raise ValidationError({field: "Enter the date by which the flag must be reviewed."})
    if review_on <= today:
        raise ValidationError({field: "The review date must be in the future."})
    if review_on > today + dt.timedelta(days=366):
        raise ValidationError({field: "The review date must be within a year."})


def flag_set(*, application, person, actor, reasons: str, review_on: dt.date) -> PersistentComplainantFlag:
    """Apply the unreasonably persistent complainants policy to a person of this case. Staff only."""
    _require(
        user_sets_flags,
        actor,
        application,
        "Only a community safety manager or senior manager can set this flag.",
    )
    if person not in people_of_case(application):
        raise ValidationError({"person": "Choose the victim or the applicant of this case."})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Enter the reasons for applying the policy."})
    today = timezone.localdate()
    _check_review_date("review_on", review_on, today)
    with transaction.atomic():
        row_lock(person)  # two managers at once: the second finds the first's flag
        if person.persistent_complainant_flags.filter(
            status=PersistentComplainantFlag.Status.ACTIVE
        ).exists():
            raise ValidationError({"person": "This person is already flagged: review that flag instead."})
        flag = PersistentComplainantFlag.objects.create(
            person=person,
            application=application,
            reasons=reasons.strip(),
            set_on=today,
            set_by=actor,
            review_on=review_on,
        )
        case_event_record(
            application=application,
            kind="persistent_complainant_flag_set",
            summary=f"Unreasonably persistent complainant policy applied; review by {review_on:%-d %B %Y}.",
            actor=actor,
            data={"flag": flag.pk},
        )
    return flag


def flag_review(
    *,
    flag: PersistentComplainantFlag,
    application,
    actor,
    outcome: str,
    reasons: str,
    next_review_on: dt.date | None = None,
    read_version: int | None = None,
) -> FlagReview:
    """Review the flag: keep it (with the next review date) or lift it, with reasons. The flag is
    locked and its version checked (web.concurrency): of two reviews at once, one is recorded."""
    _require(
        user_sets_flags,
        actor,
        application,
        "Only a community safety manager or senior manager can review this flag.",
    )
    errors = {}
    if outcome not in FlagReview.Outcome.values:
        errors["outcome"] = "Select whether to keep or lift the flag."
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons."
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if outcome == FlagReview.Outcome.KEPT:
        _check_review_date("next_review_on", next_review_on, today)
    with transaction.atomic():
        version_claim(flag, read_version=read_version, what="persistent complainant flag")
        if not flag.is_active:
            raise ValidationError("This flag has already been lifted: someone else has just done this.")
        review = FlagReview.objects.create(
            flag=flag,
            reviewed_on=today,
            reviewed_by=actor,
            outcome=outcome,
            reasons=reasons.strip(),
            next_review_on=next_review_on if outcome == FlagReview.Outcome.KEPT else None,
        )
        if outcome == FlagReview.Outcome.KEPT:
            flag.review_on = next_review_on
            flag.save(update_fields=["review_on", "version"])
            summary = (
                f"Persistent complainant flag reviewed and kept; next review by {next_review_on:%-d %B %Y}."
            )
        else:
            flag.status = PersistentComplainantFlag.Status.LIFTED
            flag.save(update_fields=["status", "version"])
            summary = "Persistent complainant flag reviewed and lifted."
        case_event_record(
            application=application,
            kind="persistent_complainant_flag_reviewed",
            summary=summary,
            actor=actor,
            data={"flag": flag.pk, "outcome": outcome},
        )
    return review
