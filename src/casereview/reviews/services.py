"""Writes for the review. Each function is one transaction and records its case event(s) in it.

Events recorded (their `kind`), with `occurred_on` the day the thing happened so the policy's
clocks run from the right day: spoc_appointed (starts victim_contact), spoc_replaced,
victim_contact_attempted, victim_contacted, victim_unreachable (starts unreachable_letter),
risk_assessed, support_referral_recorded, information_requested (starts agency_response),
information_request_reminded, agency_response_received. Letters (next steps, unreachable
closure) are issued through `casereview.letters.services.letter_issue`, which records its own
events and refuses any victim-facing document holding a perpetrator's personal data.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.accounts.models import Agency, Role, User
from casereview.actions.services import Action, ActionKind, action_create
from casereview.applications.selectors import Application, Status
from casereview.applications.services import (
    application_agency_link,
    application_set_status,
    case_event_record,
)
from casereview.notifications.services import case_danger_alert
from casereview.privacy.services import agency_has_lost_access
from casereview.web.concurrency import history_claim, version_claim

from . import risk
from .models import (
    ContactAttempt,
    ContactMethod,
    ContactOutcome,
    Disclosure,
    InformationRequest,
    LawfulBasis,
    RiskAssessment,
    SpocAppointment,
    SupportReferral,
    VictimContact,
    VoicePreference,
)
from .permissions import can_appoint_spoc, can_run_review
from .selectors import contact_efforts, spoc_prior_involvement

logger = logging.getLogger(__name__)

REVIEW_STATUSES = (Status.ACCEPTED, Status.IN_REVIEW, Status.PANEL_HELD, Status.MONITORING)


def _today() -> dt.date:
    return timezone.localdate()


def _require_runner(actor, application: Application) -> None:
    if not can_run_review(actor, application):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can do this.")


def _require_not_future(field: str, day: dt.date, label: str) -> None:
    if day > _today():
        raise ValidationError({field: f"{label} must be today or in the past."})


def deadline_due_on(*, application: Application, name: str, event_date: dt.date) -> dt.date | None:
    """When the policy's deadline `name` falls due for an event on `event_date` (None if unset)."""
    policy = application.partnership.policy
    return policy.due_on(name, event_date)


# --- The SPOC ------------------------------------------------------------------------------------


@transaction.atomic
def spoc_appoint(
    *,
    application: Application,
    spoc: User,
    actor: User,
    appointed_on: dt.date | None = None,
    override_reason: str = "",
    read_version: int | None = None,
) -> SpocAppointment:
    """Appoint the single point of contact; the first appointment starts the review.

    The SPOC must have had no direct involvement in the case (seed 004 §11). The system's findings
    (selectors.spoc_prior_involvement) are shown to the manager; appointing someone with findings
    needs a recorded reason. The first appointment moves the case accepted → in_review and records
    `spoc_appointed`, which starts the victim_contact clock.
    """
    if not can_appoint_spoc(actor) or actor.partnership_id != application.partnership_id:
        raise PermissionDenied("Only a community safety manager can appoint the SPOC.")
    # The form was read with `read_version` appointments: another made since is shown, not overwritten.
    application = history_claim(
        application, application.spoc_appointments.all(), read_version=read_version, what="case's SPOC"
    )
    appointed_on = appointed_on or _today()
    _require_not_future("appointed_on", appointed_on, "The date of appointment")
    if application.status not in (Status.ACCEPTED, Status.IN_REVIEW):
        raise ValidationError(
            f"A SPOC is appointed once the case is accepted for review; this case is "
            f"“{application.get_status_display()}”."
        )
    if (
        spoc.partnership_id != application.partnership_id
        or not spoc.is_active
        or not spoc.has_role(Role.SPOC)
    ):
        raise ValidationError({"spoc": "Choose a SPOC from this partnership's staff."})
    if application.spoc_id == spoc.pk:
        raise ValidationError({"spoc": f"{spoc} is already the SPOC for this case."})
    involvement = spoc_prior_involvement(application=application, user=spoc)
    override_reason = override_reason.strip()
    if involvement and not override_reason:
        raise ValidationError(
            {
                "override_reason": f"{spoc} may have had prior involvement in this case. Give the reason "
                "they should still be the SPOC, or choose someone else."
            }
        )
    appointment = SpocAppointment.objects.create(
        application=application,
        spoc=spoc,
        appointed_by=actor,
        appointed_on=appointed_on,
        involvement=involvement,
        override_reason=override_reason if involvement else "",
    )
    previous = application.spoc
    application.spoc = spoc
    application.save(update_fields=["spoc"])
    data = {"spoc": spoc.pk, "prior_involvement_overridden": bool(involvement)}
    if application.status == Status.ACCEPTED:
        application_set_status(
            application=application,
            to=Status.IN_REVIEW,
            actor=actor,
            summary=f"{spoc} appointed as the single point of contact (SPOC); the review has started.",
            occurred_on=appointed_on,
            data=data,
            event_kind="spoc_appointed",
        )
    else:
        case_event_record(
            application=application,
            kind="spoc_replaced",
            summary=f"{spoc} appointed as SPOC in place of {previous}.",
            actor=actor,
            occurred_on=appointed_on,
            data=data,
        )
    return appointment


# --- Contact with the victim -----------------------------------------------------------------------


@transaction.atomic
def contact_attempt_record(
    *,
    application: Application,
    method: str,
    attempted_on: dt.date,
    outcome: str,
    actor: User,
    notes: str = "",
) -> ContactAttempt:
    """One try to reach the victim. Recorded so "reasonable efforts" can be shown, not asserted."""
    _require_runner(actor, application)
    if application.status != Status.IN_REVIEW:
        raise ValidationError("Contact attempts are recorded while the review is in progress.")
    if method not in ContactMethod.values:
        raise ValidationError({"method": "Choose how you tried to contact the victim."})
    if outcome not in ContactOutcome.values:
        raise ValidationError({"outcome": "Choose what happened."})
    _require_not_future("attempted_on", attempted_on, "The date of the attempt")
    attempt = ContactAttempt.objects.create(
        application=application,
        method=method,
        attempted_on=attempted_on,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    case_event_record(
        application=application,
        kind="victim_contact_attempted",
        summary=f"Tried to contact the victim by {attempt.get_method_display().lower()}: "
        f"{attempt.get_outcome_display().lower()}.",
        actor=actor,
        occurred_on=attempted_on,
        data={"method": method, "outcome": outcome},
    )
    return attempt


@transaction.atomic
def victim_contact_record(
    *,
    application: Application,
    contacted_on: dt.date,
    method: str,
    incidents_in_own_words: str,
    desired_outcome: str,
    voice_preference: str,
    actor: User,
    agencies_involved: str = "",
    support_needs: str = "",
    read_version: int | None = None,
) -> VictimContact:
    """The contact form: the victim's account in their own words. Records `victim_contacted`,
    which stops the victim_contact clock. Refused (StaleRecord) when another account was recorded
    since the form was read with `read_version` of them."""
    _require_runner(actor, application)
    application = history_claim(
        application, application.victim_contacts.all(), read_version=read_version, what="victim's account"
    )
    if application.status != Status.IN_REVIEW:
        raise ValidationError("The contact form is completed while the review is in progress.")
    errors = {}
    if method not in ContactMethod.values:
        errors["method"] = "Choose how you spoke to the victim."
    if not incidents_in_own_words.strip():
        errors["incidents_in_own_words"] = "Enter what has been happening, in the victim's words."
    if not desired_outcome.strip():
        errors["desired_outcome"] = "Enter what the victim would like to happen."
    if voice_preference not in VoicePreference.values:
        errors["voice_preference"] = "Choose how the victim wants their voice heard at the panel."
    if errors:
        raise ValidationError(errors)
    _require_not_future("contacted_on", contacted_on, "The date of contact")
    contact = VictimContact.objects.create(
        application=application,
        contacted_on=contacted_on,
        method=method,
        incidents_in_own_words=incidents_in_own_words.strip(),
        agencies_involved=agencies_involved.strip(),
        desired_outcome=desired_outcome.strip(),
        voice_preference=voice_preference,
        support_needs=support_needs.strip(),
        completed_by=actor,
    )
    case_event_record(
        application=application,
        kind="victim_contacted",
        summary=f"The SPOC spoke to the victim ({contact.get_method_display().lower()}) and completed "
        "the contact form.",
        actor=actor,
        occurred_on=contacted_on,
        data={"method": method, "voice_preference": voice_preference},
    )
    return contact


@transaction.atomic
def victim_unreachable_record(
    *, application: Application, actor: User, occurred_on: dt.date | None = None, note: str = ""
) -> Application:
    """After reasonable efforts have failed: the review is withdrawn and closed (seed 004 §11).

    Records `victim_unreachable` (which starts the unreachable_letter clock) as the status change
    to withdrawn. The closure letter is issued separately (`unreachable_letter_issue`) so the SPOC
    can check it first; its clock shows on the case until it is.
    """
    _require_runner(actor, application)
    occurred_on = occurred_on or _today()
    _require_not_future("occurred_on", occurred_on, "The date")
    efforts = contact_efforts(application=application)
    if not efforts.enough_for_unreachable:
        raise ValidationError(efforts.explanation)
    return application_set_status(
        application=application,
        to=Status.WITHDRAWN,
        actor=actor,
        summary=f"The victim could not be reached after {efforts.attempts} attempts by "
        f"{efforts.methods} methods; the review is withdrawn and closed.",
        occurred_on=occurred_on,
        data={"attempts": efforts.attempts, "methods": efforts.methods, "note": note.strip()[:300]},
        event_kind="victim_unreachable",
    )


# --- Risk and support ------------------------------------------------------------------------------


@transaction.atomic
def risk_assessment_record(
    *,
    application: Application,
    answers: dict[str, bool],
    assessed_on: dt.date,
    actor: User,
    notes: str = "",
    read_version: int | None = None,
) -> RiskAssessment:
    """Score the screening questions (reviews.risk) and record the level. A high level is an
    immediate risk of harm: the page that calls this prompts for an interim action. Refused
    (StaleRecord) when another assessment was recorded since the form was read."""
    _require_runner(actor, application)
    application = history_claim(
        application, application.risk_assessments.all(), read_version=read_version, what="risk assessment"
    )
    if application.status not in (Status.IN_REVIEW, Status.PANEL_HELD, Status.MONITORING):
        raise ValidationError("The risk assessment is completed once the review has started.")
    _require_not_future("assessed_on", assessed_on, "The date of the assessment")
    try:
        result = risk.risk_score(answers)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    assessment = RiskAssessment.objects.create(
        application=application,
        assessed_on=assessed_on,
        answers={code: bool(answers[code]) for code in risk.QUESTION_CODES},
        score=result.score,
        level=result.level,
        reasons=list(result.reasons),
        notes=notes.strip(),
        assessed_by=actor,
    )
    case_event_record(
        application=application,
        kind="risk_assessed",
        summary=f"Vulnerability risk assessment completed: {assessment.get_level_display().lower()} risk.",
        actor=actor,
        occurred_on=assessed_on,
        data={"level": result.level, "score": result.score},
    )
    if result.level == risk.HIGH:
        case_danger_alert(case=application, why="high_risk", actor=actor, occurred_on=assessed_on)
    return assessment


@transaction.atomic
def support_referral_record(
    *,
    application: Application,
    service: str,
    offered_on: dt.date,
    outcome: str,
    consent: bool,
    actor: User,
    notes: str = "",
) -> SupportReferral:
    """Victim support offered, and whether the victim was referred (only ever with consent)."""
    _require_runner(actor, application)
    errors = {}
    if not service.strip():
        errors["service"] = "Enter the support service offered."
    if outcome not in SupportReferral.Outcome.values:
        errors["outcome"] = "Choose what happened."
    elif outcome == SupportReferral.Outcome.REFERRED and not consent:
        errors["consent"] = "A referral passes on the victim's details: record their consent first."
    if errors:
        raise ValidationError(errors)
    _require_not_future("offered_on", offered_on, "The date")
    referral = SupportReferral.objects.create(
        application=application,
        service=service.strip(),
        offered_on=offered_on,
        outcome=outcome,
        consent=consent,
        notes=notes.strip(),
        recorded_by=actor,
    )
    case_event_record(
        application=application,
        kind="support_referral_recorded",
        summary=f"Victim support offered ({referral.service}): {referral.get_outcome_display().lower()}.",
        actor=actor,
        occurred_on=offered_on,
        data={"outcome": outcome, "consent": consent},
    )
    return referral


# --- Information from agencies ---------------------------------------------------------------------


def _notify_agency(request: InformationRequest, subject: str, body: str, *, purpose: str) -> bool:
    """Email the agency's shared mailbox through the notifications outbox (queued in this
    transaction, delivered after the commit, retried by the sweep). Nothing personal: the
    reference, the due date, a link. An agency with no email address gets nothing sent: the
    message becomes a task for staff (on /notices/tasks/, the case's SPOC told) saying so, and
    this returns False — the caller must not record that the agency was told."""
    from casereview.notifications.services import message_queue, staff_task_notices

    if not request.agency.email:
        task = message_queue(
            channel="email",
            purpose=purpose,
            to="",
            subject=subject,
            body=body,
            case=request.application,
            staff_task_reason=f"{request.agency.name} has no email address recorded, so nothing was "
            "sent: phone them, and ask an administrator to record the agency's email address.",
        )
        staff_task_notices(task, who=request.agency.name)
        return False
    message_queue(
        channel="email",
        purpose=purpose,
        to=request.agency.email,
        subject=subject,
        body=body,
        case=request.application,
    )
    return True


@transaction.atomic
def information_request_reassign(
    *, request: InformationRequest, agency: Agency, actor: User, read_version: int | None = None
) -> InformationRequest:
    """Send an open request whose agency lost access (consent withdrawn) to an agency that can
    still see the case. Recorded as `information_request_reassigned`; the new agency is told.
    `read_version` is the request's version as the page was read (web.concurrency)."""
    application = request.application
    _require_runner(actor, application)
    request = version_claim(request, read_version=read_version, what="information request")
    if request.status != InformationRequest.Status.OPEN:
        raise ValidationError("This request has already been answered.")
    if agency is None or agency.partnership_id != application.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    if agency_has_lost_access(application=application, agency=agency):
        raise ValidationError(
            {"agency": f"{agency} cannot see this case while consent is withdrawn: choose the council."}
        )
    existing = InformationRequest.objects.filter(application=application, agency=agency).exclude(
        pk=request.pk
    )
    if existing.exists():
        raise ValidationError(
            {
                "agency": f"{agency} already has a request on this case: add what you need to that request "
                f"(/reviews/requests/{existing.first().pk}/), or choose another agency."
            }
        )
    before = request.agency
    request.agency = agency
    request.save(update_fields=["agency", "version"])
    application_agency_link(application=application, agency=agency, reason="Asked for information")
    _notify_agency(
        request,
        f"ASB Case Review {application.reference}: information requested",
        f"{agency.name} is asked to complete the Agency Response form for ASB Case Review "
        f"{application.reference} by {request.due_on:%-d %B %Y}. Sign in to the ASB Case Review "
        "service to respond.",
        purpose="information_requested",
    )
    case_event_record(
        application=application,
        kind="information_request_reassigned",
        summary=f"Information request moved from {before.name} to {agency.name}.",
        actor=actor,
        data={"request": request.pk, "from_agency": before.pk, "agency": agency.pk},
    )
    return request


@transaction.atomic
def information_requests_send(
    *,
    application: Application,
    agencies: list[Agency],
    actor: User,
    requested_on: dt.date | None = None,
    due_on: dt.date | None = None,
    message: str = "",
) -> list[InformationRequest]:
    """Send the Agency Response form to each agency. Records `information_requested` (the
    agency_response clock); each agency becomes party to the case so its officers can respond.

    The due date defaults to the policy's agency_response deadline (Islington: 21 days); WNC
    lets the SPOC set the timeframe, so a different date may be given.
    """
    _require_runner(actor, application)
    if application.status != Status.IN_REVIEW:
        raise ValidationError("Information is requested while the review is in progress.")
    requested_on = requested_on or _today()
    _require_not_future("requested_on", requested_on, "The date of the request")
    if not agencies:
        raise ValidationError({"agencies": "Choose at least one agency to ask."})
    if due_on is None:
        due_on = deadline_due_on(application=application, name="agency_response", event_date=requested_on)
        if due_on is None:
            raise ValidationError(
                {"due_on": "The local policy sets no agency response time: enter a due date."}
            )
    if due_on <= requested_on:
        raise ValidationError({"due_on": "The due date must be after the date of the request."})
    already = [
        a.name
        for a in agencies
        if InformationRequest.objects.filter(
            application=application, agency=a, status=InformationRequest.Status.OPEN
        ).exists()
    ]
    if already:
        raise ValidationError({"agencies": f"Already awaiting a response from {', '.join(already)}."})
    requests = []
    for agency in agencies:
        if agency.partnership_id != application.partnership_id:
            raise ValidationError({"agencies": "Choose agencies from this partnership."})
        request = InformationRequest.objects.create(
            application=application,
            agency=agency,
            requested_on=requested_on,
            due_on=due_on,
            message=message.strip(),
            requested_by=actor,
        )
        application_agency_link(application=application, agency=agency, reason="Asked for information")
        _notify_agency(
            request,
            f"ASB Case Review {application.reference}: information requested",
            f"{agency.name} is asked to complete the Agency Response form for ASB Case Review "
            f"{application.reference} by {due_on:%-d %B %Y}. Sign in to the ASB Case Review "
            "service to respond.",
            purpose="information_requested",
        )
        # One event per request, naming it, so each agency's clock is matched to its own answer
        # (agency_response_received carries the same data["request"]).
        case_event_record(
            application=application,
            kind="information_requested",
            summary=f"Agency Response form sent to {agency.name}; due {due_on:%-d %B %Y}.",
            actor=actor,
            occurred_on=requested_on,
            data={"request": request.pk, "agency": agency.pk, "due_on": due_on.isoformat()},
        )
        requests.append(request)
    return requests


@transaction.atomic
def information_request_respond(
    *,
    request: InformationRequest,
    actor: User,
    reports_received: str,
    actions_taken: str,
    current_involvement: str,
    lawful_basis: str,
    other_information: str = "",
    responded_on: dt.date | None = None,
    read_version: int | None = None,
) -> InformationRequest:
    """The agency's answer. An officer of the agency answers in the system; the SPOC or a
    manager may record an answer the agency sent another way. Either way the disclosure is
    recorded with its lawful basis and purpose (Disclosure) in the same transaction."""
    application = request.application
    own_agency = (
        actor.is_authenticated
        and actor.agency_id == request.agency_id
        and actor.has_role(Role.AGENCY_OFFICER)
    )
    if not own_agency and not can_run_review(actor, application):
        raise PermissionDenied("Only an officer of the agency asked can respond.")
    # Lock the request: of two officers answering at once, the second sees the first's answer.
    request = version_claim(request, read_version=read_version, what="information request")
    if not request.is_open:
        raise ValidationError("This request has already been answered.")
    errors = {}
    if not reports_received.strip():
        errors["reports_received"] = "Enter the reports your agency received (or “None”)."
    if not actions_taken.strip():
        errors["actions_taken"] = "Enter the actions your agency took (or “None”)."
    if not current_involvement.strip():
        errors["current_involvement"] = "Enter your agency's current involvement (or “None”)."
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Choose the lawful basis for sharing this information."
    if errors:
        raise ValidationError(errors)
    responded_on = responded_on or _today()
    _require_not_future("responded_on", responded_on, "The date of the response")
    if responded_on < request.requested_on:
        raise ValidationError({"responded_on": "The response cannot be before the request."})
    request.reports_received = reports_received.strip()
    request.actions_taken = actions_taken.strip()
    request.current_involvement = current_involvement.strip()
    request.other_information = other_information.strip()
    request.responded_on = responded_on
    request.responded_by = actor
    request.status = InformationRequest.Status.ANSWERED
    request.save()
    disclosure_record(
        application=application,
        disclosed_by=actor,
        from_agency=request.agency,
        recipient=f"The ASB Case Review SPOC and panel, {application.partnership}",
        what="Agency Response form: reports received, actions taken, current involvement"
        + (", other relevant information" if request.other_information else ""),
        purpose=f"ASB Case Review {application.reference} "
        "(Anti-social Behaviour, Crime and Policing Act 2014 s.104)",
        lawful_basis=lawful_basis,
        disclosed_on=responded_on,
        information_request=request,
    )
    late = responded_on > request.due_on
    case_event_record(
        application=application,
        kind="agency_response_received",
        summary=f"{request.agency} responded to the information request"
        + (f" ({(responded_on - request.due_on).days} days late)." if late else "."),
        actor=actor,
        occurred_on=responded_on,
        data={"agency": request.agency_id, "request": request.pk, "late": late},
    )
    return request


@transaction.atomic
def information_request_remind(
    *, request: InformationRequest, today: dt.date | None = None, actor: User | None = None
) -> InformationRequest:
    """Remind the agency's mailbox that its response is due soon or overdue.

    The sweep calls this through `reviews.reminders.information_request_reminder_send`, which
    locks the request, checks it is still due for a reminder and keys it in `ReminderSent` first,
    so a reminder goes once however often (and however many at once) the sweep runs."""
    today = today or _today()
    if not request.is_open:
        raise ValidationError("This request has been answered; there is nothing to remind.")
    request.last_reminded_on = today
    request.reminders_sent += 1
    request.save(update_fields=["last_reminded_on", "reminders_sent"])
    overdue = today > request.due_on
    sent = _notify_agency(
        request,
        f"ASB Case Review {request.application.reference}: "
        f"information {'overdue' if overdue else 'due soon'}",
        f"{request.agency.name}'s response to ASB Case Review {request.application.reference} "
        f"{'was due' if overdue else 'is due'} on {request.due_on:%-d %B %Y}. Sign in to the ASB Case "
        "Review service to respond.",
        purpose="information_request_reminder",
    )
    if not sent:
        # Never "reminded" when nothing went: the timeline says a person must do it.
        case_event_record(
            application=request.application,
            kind="information_request_reminder_task",
            summary=f"{request.agency} not reminded: no email address recorded. A task for staff to "
            "phone them instead.",
            actor=actor,
            occurred_on=today,
            data={"request": request.pk, "overdue": overdue, "reason": "no_address"},
        )
        return request
    case_event_record(
        application=request.application,
        kind="information_request_reminded",
        summary=f"{request.agency} reminded: response {'overdue since' if overdue else 'due'} "
        f"{request.due_on:%-d %B %Y}.",
        actor=actor,
        occurred_on=today,
        data={"request": request.pk, "overdue": overdue},
    )
    return request


def disclosure_record(
    *,
    application: Application,
    disclosed_by: User,
    recipient: str,
    what: str,
    purpose: str,
    lawful_basis: str,
    from_agency: Agency | None = None,
    disclosed_on: dt.date | None = None,
    information_request: InformationRequest | None = None,
) -> Disclosure:
    """Record a disclosure of personal data for the review. Call inside the sharing transaction."""
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": "Choose the lawful basis for the disclosure."})
    return Disclosure.objects.create(
        application=application,
        disclosed_by=disclosed_by,
        from_agency=from_agency,
        recipient=recipient[:300],
        what=what[:500],
        purpose=purpose[:300],
        lawful_basis=lawful_basis,
        disclosed_on=disclosed_on or _today(),
        information_request=information_request,
    )


# --- Interim actions -------------------------------------------------------------------------------


def interim_action_create(
    *,
    application: Application,
    description: str,
    owner_agency: Agency,
    due_on: dt.date,
    actor: User,
    owner: User | None = None,
    share_with_victim: bool = False,
) -> Action:
    """Act on an immediate risk of harm now, without waiting for the panel (seed 004 §11)."""
    _require_runner(actor, application)
    if application.status not in REVIEW_STATUSES:
        raise ValidationError("Interim actions are for cases under review.")
    return action_create(
        case=application,
        kind=ActionKind.INTERIM,
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        share_with_victim=share_with_victim,
        actor=actor,
        created_on=_today(),
    )


# --- Letters to the victim -------------------------------------------------------------------------

REVIEW_LETTERS = {
    "next_steps": "Next-steps letter",
    "unreachable_closure": "Closure letter (victim unreachable)",
}


def _review_letter_extra(application: Application, kind: str) -> dict:
    """The letters app's `extra` (docs/letters.md). The next-steps letter's SPOC details, support
    services and the victim's voice come from the letters app's own wording and the case."""
    if kind == "next_steps":
        if application.spoc_id is None:
            raise ValidationError("Appoint the SPOC before sending the next-steps letter.")
        meeting = application.panel_meetings.filter(status="scheduled").order_by("meeting_on").first()
        return {"panel_date": meeting.meeting_on} if meeting else {}
    if kind == "unreachable_closure":
        event = application.events.filter(kind="victim_unreachable").order_by("-occurred_on").first()
        if application.status != Status.WITHDRAWN or event is None:
            raise ValidationError(
                "The closure letter follows recording that the victim could not be reached."
            )
        # The attempts' own notes are staff notes: the letter gets only the method and what happened.
        return {
            "attempts": [
                {"on": a.attempted_on, "method": a.get_method_display(), "note": a.get_outcome_display()}
                for a in application.contact_attempts.all()
            ],
            "closed_on": event.occurred_on,
        }
    raise ValidationError("No such letter.")


def unreachable_closure_letter_extra(application: Application) -> dict:
    """The letters app's provider for correcting an issued closure letter (registered in
    ReviewsConfig.ready, issued_here=False): the contact attempts and closure date as recorded."""
    from casereview.letters.rendering import LetterNotReady

    try:
        return _review_letter_extra(application, "unreachable_closure")
    except ValidationError as error:
        raise LetterNotReady(error.messages[0]) from error


def _letters_call(name: str, **kwargs):
    from casereview.letters import services as letters

    with letters.refusal_as_validation_error():
        return getattr(letters, name)(**kwargs)


def review_letter_preview(*, application: Application, kind: str, actor: User):
    return _letters_call(
        "letter_preview",
        case=application,
        kind=kind,
        actor=actor,
        extra=_review_letter_extra(application, kind),
    )


@transaction.atomic
def review_letter_issue(
    *, application: Application, kind: str, actor: User, submission_token: str | None = None
):
    """Issue the next-steps or closure letter through the letters app, which records its events
    (next_steps_letter_issued, closure_letter_issued) and refuses a perpetrator's details. The
    page's one-time `submission_token` makes a double click one letter."""
    _require_runner(actor, application)
    return _letters_call(
        "letter_issue",
        case=application,
        kind=kind,
        actor=actor,
        extra=_review_letter_extra(application, kind),
        submission_token=submission_token,
    )
