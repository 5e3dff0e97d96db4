"""Writes for the panel. Each function is one transaction and records its case event(s) in it.

Events (kind): panel_scheduled, further_review (a further review started on the same case),
panel_member_added, panel_member_removed, panel_cancelled, panel_held (starts the outcome_letter
and minutes_circulated clocks), recommendation_made, action_created (actions app),
victim_consulted, action_plan_finalised, minutes_circulated; the letters app records its own
events for the minutes and the outcome letter.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casereview.accounts.models import Agency, User
from casereview.actions.selectors import open_actions_of_case
from casereview.actions.services import Action, ActionKind, action_create
from casereview.applications.selectors import Application, Status
from casereview.applications.services import (
    application_agency_link,
    application_set_status,
    case_event_record,
)
from casereview.notifications.services import case_people_notify
from casereview.privacy.services import sharing_check
from casereview.referrals.sittings import sitting_item_add, sitting_item_heard, sitting_item_remove
from casereview.reviews.permissions import can_run_review
from casereview.reviews.services import LawfulBasis, disclosure_record
from casereview.web.concurrency import history_claim, row_lock, version_claim

from .models import (
    MeetingStatus,
    MemberRole,
    PanelMeeting,
    PanelMember,
    Recommendation,
    VictimConsultation,
    VictimView,
    VictimViewHow,
    VictimVoice,
)
from .quorum import Seat, quorum_check

AFTER_PANEL_STATUSES = (Status.PANEL_HELD, Status.MONITORING, Status.CLOSED)


def _today() -> dt.date:
    return timezone.localdate()


def _require_runner(actor, case: Application) -> None:
    if not can_run_review(actor, case):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can do this.")


def _claim_addition(meeting: PanelMeeting, records, *, read_version: int | None, what: str) -> None:
    """Lock the meeting and refuse an addition made on a page read before another (history_claim),
    keeping the caller's case object the one the meeting points at (the reload would drop it)."""
    case = meeting.case
    history_claim(meeting, records, read_version=read_version, what=what)
    meeting.case = case


def _require_held_and_open(meeting: PanelMeeting) -> None:
    if not meeting.is_held:
        raise ValidationError("Record the meeting first.")
    if meeting.plan_is_final:
        raise ValidationError("The action plan is final; it can no longer be changed here.")


def _letter_issue(**kwargs):
    """Issue through the letters app: it renders every letter and is the one place the
    perpetrator-redaction guarantee is enforced. Its refusals (a perpetrator's details found, the
    case not ready) come back as a ValidationError carrying its message, which says where."""
    from casereview.letters.services import letter_issue, refusal_as_validation_error

    with refusal_as_validation_error():
        return letter_issue(**kwargs)


def _letter_preview(**kwargs):
    from casereview.letters.services import letter_preview, refusal_as_validation_error

    with refusal_as_validation_error():
        return letter_preview(**kwargs)


# --- Scheduling ------------------------------------------------------------------------------------


@transaction.atomic
def panel_schedule(
    *,
    case: Application,
    meeting_on: dt.date,
    starts_at: dt.time,
    actor: User,
    location: str = "",
    online: bool = False,
    joining_details: str = "",
    further_review_reason: str = "",
) -> PanelMeeting:
    """Schedule the panel meeting. The case's SPOC is added as a member (to present the case).

    A case whose panel has already met can have a further review when circumstances change
    significantly (seed 004 §11): a new meeting, the next `round`, with the reason recorded. A
    closed or monitored case goes back into review (closed / monitoring → in_review), so the new
    panel's record moves it to panel_held and its outcome letter to monitoring or closed again; the
    actions from the earlier panel stay open and keep escalating meanwhile.
    """
    _require_runner(actor, case)
    row_lock(case)  # two officers scheduling at once: the second finds the first's meeting
    if case.panel_meetings.filter(status=MeetingStatus.SCHEDULED).exists():
        raise ValidationError("A panel meeting is already scheduled for this case: change that one instead.")
    errors = {}
    if not location.strip() and not online:
        errors["location"] = "Enter where the meeting is, or say it is online."
    if online and not joining_details.strip():
        errors["joining_details"] = "Enter how members join the meeting online."
    if meeting_on < _today():
        errors["meeting_on"] = "The meeting date must be today or in the future."
    held_before = case.panel_meetings.filter(status=MeetingStatus.HELD).exists()
    if held_before and not further_review_reason.strip():
        errors["further_review_reason"] = (
            "The panel has already met: say how the circumstances have changed significantly."
        )
    if errors:
        raise ValidationError(errors)
    if held_before:
        if case.status not in AFTER_PANEL_STATUSES:
            raise ValidationError(
                f"A further review follows a panel; this case is “{case.get_status_display()}”."
            )
    elif case.status != Status.IN_REVIEW:
        raise ValidationError(
            "The panel is scheduled once the SPOC is appointed and the review is in progress; "
            f"this case is “{case.get_status_display()}”."
        )
    number = (case.panel_meetings.aggregate(n=Max("round"))["n"] or 0) + (1 if held_before else 0)
    meeting = PanelMeeting.objects.create(
        case=case,
        round=max(number, 1),
        further_review_reason=further_review_reason.strip() if held_before else "",
        meeting_on=meeting_on,
        starts_at=starts_at,
        location=location.strip(),
        online=online,
        joining_details=joining_details.strip() if online else "",
        scheduled_by=actor,
        # The review is heard at the case review panel's sitting on that date (ADR 0088).
        item=sitting_item_add(case=case, meeting_on=meeting_on, actor=actor),
    )
    if held_before:
        if case.status in (Status.CLOSED, Status.MONITORING):
            summary = (
                "Further review: the case is re-opened because circumstances have changed."
                if case.status == Status.CLOSED
                else "Further review: the case goes back into review because circumstances have "
                "changed; the actions already agreed stay open and are still monitored."
            )
            application_set_status(
                application=case,
                to=Status.IN_REVIEW,
                actor=actor,
                summary=summary,
                event_kind="further_review",
                data={"round": meeting.round},
            )
        else:
            case_event_record(
                application=case,
                kind="further_review",
                summary="Further review asked of the panel because circumstances have changed.",
                actor=actor,
                data={"round": meeting.round},
            )
    if case.spoc_id:
        spoc = case.spoc
        PanelMember.objects.create(
            meeting=meeting,
            role=MemberRole.SPOC,
            user=spoc,
            name=str(spoc),
            job_title=spoc.job_title,
            agency=spoc.agency,
        )
    where = "online" if online else meeting.location
    case_event_record(
        application=case,
        kind="panel_scheduled",
        summary=f"Panel meeting scheduled for {meeting_on:%-d %B %Y} at {starts_at:%H:%M} ({where}).",
        actor=actor,
        data={"meeting": meeting.pk, "round": meeting.round},
    )
    # The victim is owed the date (seed 004: their voice is heard at the start of the panel or by a
    # written statement). The time and date only: the venue is for the members.
    case_people_notify(
        case=case,
        purpose="panel_date",
        subject=f"Your ASB Case Review {case.reference}: the panel meeting date",
        body=(
            f"The panel meeting for your ASB Case Review {case.reference} will be on "
            f"{meeting_on:%A %-d %B %Y} at {starts_at:%H:%M}.\n\n"
            "Your single point of contact will tell you how your voice will be heard: by coming to "
            "the start of the meeting, or by a written statement that the panel reads.\n"
        ),
        actor=actor,
    )
    return meeting


@transaction.atomic
def panel_member_add(
    *,
    meeting: PanelMeeting,
    role: str,
    actor: User,
    user: User | None = None,
    name: str = "",
    job_title: str = "",
    agency: Agency | None = None,
    read_version: int | None = None,
) -> PanelMember:
    """Invite a member. Their agency becomes party to the case so they can read it before the day.
    `read_version` is how many members the page was read with (web.concurrency.history_claim)."""
    case = meeting.case
    _require_runner(actor, case)
    _claim_addition(meeting, meeting.members.all(), read_version=read_version, what="panel member")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Members are added before the meeting is held.")
    errors = {}
    if role not in MemberRole.values:
        errors["role"] = "Choose the member's role on the panel."
    if user is not None:
        if user.partnership_id != case.partnership_id:
            errors["user"] = "Choose someone from this partnership."
        elif meeting.members.filter(user=user).exists():
            errors["user"] = f"{user} is already a member of this panel."
        name = name.strip() or str(user)
        job_title = job_title.strip() or user.job_title
        agency = agency or user.agency
    if not name.strip():
        errors["name"] = "Enter the member's name, or choose a member of staff."
    if agency is not None and agency.partnership_id != case.partnership_id:
        errors["agency"] = "Choose an agency from this partnership."
    if role == MemberRole.REPRESENTATIVE and agency is None:
        errors["agency"] = "Choose the agency this member represents."
    if role == MemberRole.INDEPENDENT_CHAIR and user is not None and user.pk == case.spoc_id:
        errors["role"] = "The case's SPOC cannot chair the panel: the chair must be independent."
    if errors:
        raise ValidationError(errors)
    member = PanelMember.objects.create(
        meeting=meeting, role=role, user=user, name=name.strip(), job_title=job_title.strip(), agency=agency
    )
    if agency is not None:
        application_agency_link(application=case, agency=agency, reason="Member of the review panel")
    case_event_record(
        application=case,
        kind="panel_member_added",
        summary=f"{member.name} ({member.get_role_display().lower()}"
        + (f", {agency}" if agency else "")
        + ") invited to the panel.",
        actor=actor,
        data={"meeting": meeting.pk, "member": member.pk, "role": role},
    )
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, actor: User) -> None:
    """A state change: the meeting is locked first and the member looked for again on it, so of two
    officers removing the same member at once one removes them and the other is told it is done."""
    meeting = member.meeting
    _require_runner(actor, meeting.case)
    row_lock(meeting)
    if not PanelMember.objects.filter(pk=member.pk).exists():
        raise ValidationError(
            f"{member.name} has already been removed from the panel: someone else has just done this."
        )
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Members cannot be removed once the meeting is held.")
    case_event_record(
        application=meeting.case,
        kind="panel_member_removed",
        summary=f"{member.name} removed from the panel.",
        actor=actor,
        data={"meeting": meeting.pk, "role": member.role},
    )
    member.delete()


@transaction.atomic
def panel_cancel(
    *, meeting: PanelMeeting, actor: User, reason: str, read_version: int | None = None
) -> PanelMeeting:
    _require_runner(actor, meeting.case)
    version_claim(meeting, read_version=read_version, what="panel meeting")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Only a scheduled meeting can be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the meeting is cancelled."})
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "version"])
    if meeting.item is not None:  # the review leaves the sitting (the item goes; `item` is emptied)
        sitting_item_remove(item=meeting.item)
        meeting.item = None
    case_event_record(
        application=meeting.case,
        kind="panel_cancelled",
        summary=f"Panel meeting of {meeting.meeting_on:%-d %B %Y} cancelled: {reason.strip()[:200]}",
        actor=actor,
        data={"meeting": meeting.pk},
    )
    return meeting


# --- The meeting record ----------------------------------------------------------------------------


@transaction.atomic
def panel_record(
    *,
    meeting: PanelMeeting,
    held_on: dt.date,
    attended_member_ids: list[int],
    victim_voice: str,
    minutes: str,
    decisions: str,
    actor: User,
    impact_statement: str = "",
    read_version: int | None = None,
    inquorate_reason: str = "",
) -> PanelMeeting:
    """Record that the panel met: who attended, how the victim was heard, minutes and decisions.

    Records `panel_held` on `held_on` (the outcome_letter and minutes_circulated clocks start) and
    moves the case in_review → panel_held. A meeting without its quorum — the policy's relevant
    bodies, an independent chair, the victim's voice (core.panels.held_shortfalls) — is refused
    unless the chair's reason for going ahead anyway is given; it is then recorded as inquorate,
    with the shortfalls and the reason in the event, and shows so wherever the meeting does.
    """
    case = meeting.case
    _require_runner(actor, case)
    version_claim(meeting, read_version=read_version, what="panel meeting")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("This meeting has already been recorded or was cancelled.")
    errors = {}
    if held_on > _today():
        errors["held_on"] = "The date the panel met must be today or in the past."
    if victim_voice not in VictimVoice.values:
        errors["victim_voice"] = "Choose how the victim's voice was heard."
    if victim_voice in (VictimVoice.IMPACT_STATEMENT, VictimVoice.BOTH) and not impact_statement.strip():
        errors["impact_statement"] = "Enter the victim impact statement that was read."
    if not minutes.strip():
        errors["minutes"] = "Enter the minutes of the meeting."
    if not decisions.strip():
        errors["decisions"] = "Enter what the panel decided."
    member_ids = set(meeting.members.values_list("id", flat=True))
    attended = set(attended_member_ids) & member_ids
    if not attended:
        errors["attended"] = "Select the members who attended."
    if errors:
        raise ValidationError(errors)
    shortfalls = _held_shortfalls(meeting, attended, victim_voice)
    reason = inquorate_reason.strip()
    if shortfalls and not reason:
        raise ValidationError(
            {
                "inquorate_reason": "The meeting was not quorate: "
                + " ".join(shortfalls)
                + " Record the chair's reason for going ahead anyway, or correct who attended and "
                "how the victim's voice was heard."
            }
        )
    for member in meeting.members.all():
        member.attended = member.pk in attended
        member.save(update_fields=["attended"])
    meeting.inquorate = bool(shortfalls)
    meeting.inquorate_reason = reason if shortfalls else ""
    meeting.status = MeetingStatus.HELD
    meeting.held_on = held_on
    meeting.victim_voice = victim_voice
    meeting.impact_statement = impact_statement.strip()
    meeting.minutes = minutes.strip()
    meeting.decisions = decisions.strip()
    meeting.recorded_by = actor
    meeting.save()
    if meeting.item is not None:
        _sitting_heard(meeting, held_on)
    data = {
        "meeting": meeting.pk,
        "round": meeting.round,
        "quorum_problems": list(shortfalls),
        "inquorate": meeting.inquorate,
    }
    summary = f"The review panel met on {held_on:%-d %B %Y}" + (
        f" without its quorum (inquorate); the chair's reason for going ahead: {reason}"
        if shortfalls
        else "."
    )
    if case.status == Status.IN_REVIEW:
        application_set_status(
            application=case,
            to=Status.PANEL_HELD,
            actor=actor,
            summary=summary,
            occurred_on=held_on,
            data=data,
            event_kind="panel_held",
        )
    else:  # a further review on a case still being monitored
        case_event_record(
            application=case,
            kind="panel_held",
            summary=summary,
            actor=actor,
            occurred_on=held_on,
            data=data,
        )
    return meeting


def _sitting_heard(meeting: PanelMeeting, held_on: dt.date) -> None:
    """The review is heard at its sitting: the agencies whose members attended are present there,
    those whose members did not sent apologies (ADR 0088)."""
    present: dict = {}
    apologies = []
    for member in meeting.members.select_related("agency").filter(agency__isnull=False):
        if member.attended:
            names = present.get(member.agency, "")
            present[member.agency] = f"{names}, {member.name}" if names else member.name
        else:
            apologies.append(member.agency)
    sitting_item_heard(item=meeting.item, held_on=held_on, present=present, apologies=apologies)


def _held_shortfalls(meeting: PanelMeeting, attended: set[int], victim_voice: str) -> tuple[str, ...]:
    """The held check (quorum.quorum_check with the victim's voice) on the attendance being recorded."""
    seats = [
        Seat(
            role=m.role,
            agency_kind=m.agency.kind if m.agency_id else None,
            user_id=m.user_id,
            attended=m.pk in attended,
        )
        for m in meeting.members.select_related("agency")
    ]
    return quorum_check(
        seats,
        panel=meeting.case.partnership.policy.panel,
        after_meeting=True,
        victim_voice=victim_voice,
    ).problems


@transaction.atomic
def recommendation_add(
    *,
    meeting: PanelMeeting,
    body: Agency,
    text: str,
    actor: User,
    share_with_victim: bool = True,
    read_version: int | None = None,
) -> Recommendation:
    """A recommendation to a named public body, which must have regard to it. `read_version` is how
    many recommendations the page was read with (web.concurrency.history_claim)."""
    _require_runner(actor, meeting.case)
    _claim_addition(meeting, meeting.recommendations.all(), read_version=read_version, what="recommendation")
    _require_held_and_open(meeting)
    errors = {}
    if body is None or body.partnership_id != meeting.case.partnership_id:
        errors["body"] = "Choose the body the recommendation is made to."
    if not text.strip():
        errors["text"] = "Enter the recommendation."
    if errors:
        raise ValidationError(errors)
    recommendation = Recommendation.objects.create(
        meeting=meeting, body=body, text=text.strip(), share_with_victim=share_with_victim, created_by=actor
    )
    application_agency_link(application=meeting.case, agency=body, reason="Recommendation made to it")
    case_event_record(
        application=meeting.case,
        kind="recommendation_made",
        summary=f"The panel made a recommendation to {body}.",
        actor=actor,
        data={"meeting": meeting.pk, "recommendation": recommendation.pk},
    )
    return recommendation


@transaction.atomic
def recommendation_edit(
    *,
    recommendation: Recommendation,
    text: str,
    share_with_victim: bool,
    actor: User,
    read_version: int | None = None,
) -> Recommendation:
    """Change a recommendation's words, or whether the victim is told of it, until the meeting's
    outcome letter is issued (also after the plan is final: it is how a letter refused for naming
    an alleged perpetrator is put right). Recorded as `recommendation_edited`, without the text."""
    _require_runner(actor, recommendation.meeting.case)
    meeting = row_lock(recommendation.meeting)  # queues behind the outcome letter's issue
    version_claim(recommendation, read_version=read_version, what="recommendation")
    if meeting.outcome_issued_on:
        raise ValidationError(
            "The outcome letter for this meeting has been issued, so its recommendations can no longer be "
            "changed here: correct the outcome letter from the case's Letters section instead."
        )
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation."})
    changed = []
    if text.strip() != recommendation.text:
        changed.append("its wording")
    if share_with_victim != recommendation.share_with_victim:
        changed.append("shared with the victim" if share_with_victim else "no longer shared with the victim")
    if not changed:
        return recommendation
    recommendation.text = text.strip()
    recommendation.share_with_victim = share_with_victim
    recommendation.save(update_fields=["text", "share_with_victim", "version"])
    case_event_record(
        application=meeting.case,
        kind="recommendation_edited",
        summary=f"The recommendation to {recommendation.body} was changed: {' and '.join(changed)}.",
        actor=actor,
        data={
            "meeting": meeting.pk,
            "recommendation": recommendation.pk,
            "share_with_victim": share_with_victim,
            "changed": changed,
        },
    )
    return recommendation


@transaction.atomic
def panel_action_add(
    *,
    meeting: PanelMeeting,
    description: str,
    owner_agency: Agency,
    due_on: dt.date,
    actor: User,
    owner: User | None = None,
    share_with_victim: bool = True,
    read_version: int | None = None,
) -> Action:
    """An action in the panel's action plan: an owner (agency and person), a due date, and whether
    the victim may be told of it (an action identifying a perpetrator must not be shared).
    `read_version` is how many actions the plan was read with (web.concurrency.history_claim)."""
    _require_runner(actor, meeting.case)
    _claim_addition(meeting, meeting.actions.all(), read_version=read_version, what="action in the plan")
    _require_held_and_open(meeting)
    if owner is None:
        raise ValidationError({"owner": "Choose the person who owns the action."})
    action = action_create(
        case=meeting.case,
        kind=ActionKind.PANEL,
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        share_with_victim=share_with_victim,
        actor=actor,
        created_on=meeting.held_on,
    )
    meeting.actions.add(action)
    return action


@transaction.atomic
def victim_consultation_record(
    *,
    meeting: PanelMeeting,
    consulted_on: dt.date,
    method: str,
    view: str,
    actor: User,
    victim_comments: str = "",
    read_version: int | None = None,
) -> VictimConsultation:
    """The victim's view of the action plan, before it is final. `read_version` is how many
    consultations the page was read with (web.concurrency.history_claim)."""
    _require_runner(actor, meeting.case)
    _claim_addition(
        meeting, meeting.consultations.all(), read_version=read_version, what="consultation of the victim"
    )
    _require_held_and_open(meeting)
    errors = {}
    if consulted_on > _today():
        errors["consulted_on"] = "The date must be today or in the past."
    elif meeting.held_on and consulted_on < meeting.held_on:
        errors["consulted_on"] = "The victim is consulted on the plan after the panel has met."
    if method not in dict(VictimConsultation._meta.get_field("method").choices):
        errors["method"] = "Choose how the victim was consulted."
    if view not in VictimConsultation.View.values:
        errors["view"] = "Choose the victim's view of the plan."
    elif view != VictimConsultation.View.AGREES and not victim_comments.strip():
        errors["victim_comments"] = "Record the victim's concerns in their words."
    if errors:
        raise ValidationError(errors)
    consultation = VictimConsultation.objects.create(
        meeting=meeting,
        consulted_on=consulted_on,
        method=method,
        view=view,
        victim_comments=victim_comments.strip(),
        recorded_by=actor,
    )
    case_event_record(
        application=meeting.case,
        kind="victim_consulted",
        summary=f"The victim was consulted on the action plan: {consultation.get_view_display().lower()}.",
        actor=actor,
        occurred_on=consulted_on,
        data={"meeting": meeting.pk, "view": view},
    )
    return consultation


@transaction.atomic
def action_plan_finalise(
    *,
    meeting: PanelMeeting,
    actor: User,
    finalised_on: dt.date | None = None,
    without_consultation_reason: str = "",
    read_version: int | None = None,
) -> PanelMeeting:
    """Make the recommendations and action plan final. The victim must have been consulted on it
    (seed 001), or the reason they could not be is recorded."""
    _require_runner(actor, meeting.case)
    version_claim(meeting, read_version=read_version, what="panel meeting")
    _require_held_and_open(meeting)
    consulted = meeting.consultations.exists()
    reason = without_consultation_reason.strip()
    if not consulted and not reason:
        raise ValidationError(
            {
                "without_consultation_reason": "The victim has not been consulted on the plan. Consult "
                "them first, or give the reason the plan must be final without it."
            }
        )
    meeting.plan_finalised_on = finalised_on or _today()
    meeting.plan_finalised_by = actor
    meeting.finalised_without_consultation_reason = "" if consulted else reason
    meeting.save(
        update_fields=[
            "plan_finalised_on",
            "plan_finalised_by",
            "finalised_without_consultation_reason",
            "version",
        ]
    )
    case_event_record(
        application=meeting.case,
        kind="action_plan_finalised",
        summary="Recommendations and action plan final: "
        f"{meeting.recommendations.count()} recommendation(s), "
        f"{meeting.actions.count()} action(s)"
        + ("." if consulted else ", without consulting the victim (reason recorded)."),
        actor=actor,
        occurred_on=meeting.plan_finalised_on,
        data={"meeting": meeting.pk, "consulted": consulted},
    )
    return meeting


# --- After the meeting -----------------------------------------------------------------------------


def _plan_extra(meeting: PanelMeeting, *, victim_facing: bool) -> dict:
    """The letters app's `extra` for the outcome letter and the minutes (docs/letters.md). The
    action plan itself the letters app reads from actions.Action — for the victim, only actions
    with share_with_victim — so a caller cannot slip an unshareable action into a victim's letter."""
    recommendations = meeting.recommendations.select_related("body")
    if victim_facing:
        recommendations = recommendations.filter(share_with_victim=True)
    return {
        "panel_date": meeting.held_on or meeting.meeting_on,
        "panel_inquorate": meeting.inquorate,
        "recommendations": [{"text": r.text, "to": r.body.name} for r in recommendations],
    }


def outcome_letter_extra(case) -> dict:
    """The letters app's provider for correcting an issued outcome letter (registered in
    PanelsConfig.ready, issued_here=False): built again from the latest meeting whose outcome
    letter went out, from the records as they are now."""
    from casereview.letters.rendering import LetterNotReady

    meeting = (
        case.panel_meetings.filter(outcome_issued_on__isnull=False)
        .order_by("-outcome_issued_on", "-id")
        .first()
    )
    if meeting is None:
        raise LetterNotReady(
            "No panel meeting of this case has issued its outcome letter, so there is nothing to build "
            "the letter from: the outcome letter is issued from the panel page."
        )
    return {**_plan_extra(meeting, victim_facing=True), "outcome_summary": meeting.outcome_summary}


@transaction.atomic
def minutes_circulate(
    *,
    meeting: PanelMeeting,
    actor: User,
    circulated_on: dt.date | None = None,
    read_version: int | None = None,
) -> PanelMeeting:
    """Send the minutes and the action plan to every panel member (seed 004 §11: within
    minutes_circulated of the panel). The minutes may name a perpetrator: they go to panel
    members only, as a partners' document, and the disclosure is recorded."""
    case = meeting.case
    _require_runner(actor, case)
    version_claim(meeting, read_version=read_version, what="panel meeting")
    if not meeting.is_held:
        raise ValidationError("Record the meeting before circulating its minutes.")
    if not meeting.plan_is_final:
        raise ValidationError("Finalise the action plan first: the minutes go out with it.")
    if meeting.minutes_circulated_on:
        raise ValidationError("The minutes have already been circulated.")
    circulated_on = circulated_on or _today()
    members = _minutes_recipients(meeting)
    meeting.minutes_letter = _letter_issue(
        case=case,
        kind="panel_minutes",
        actor=actor,
        extra=_minutes_extra(meeting, members),
        recipient=_members_recipient(),
    )
    meeting.minutes_circulated_on = circulated_on
    meeting.save(update_fields=["minutes_circulated_on", "minutes_letter", "version"])
    _minutes_disclosed(
        meeting, members, actor, circulated_on, what="Minutes of the review panel and the action plan"
    )
    case_event_record(
        application=case,
        kind="minutes_circulated",
        summary=f"Minutes and action plan circulated to {len(members)} panel member(s).",
        actor=actor,
        occurred_on=circulated_on,
        data={"meeting": meeting.pk},
    )
    return meeting


@transaction.atomic
def minutes_correct(
    *,
    meeting: PanelMeeting,
    actor: User,
    minutes: str,
    decisions: str,
    reason: str,
    read_version: int | None = None,
) -> PanelMeeting:
    """Correct minutes already circulated: the meeting's record is changed and the corrected
    minutes go to every member as a new version of the letter (the first is kept, marked corrected,
    with the reason). Withdrawn consent stops it as it stops the first circulation."""
    from casereview.letters.services import letter_correct, refusal_as_validation_error

    case = meeting.case
    _require_runner(actor, case)
    version_claim(meeting, read_version=read_version, what="panel meeting")
    if not meeting.minutes_circulated_on:
        raise ValidationError(
            "The minutes have not been circulated yet: change them in the meeting's record."
        )
    if meeting.minutes_letter is None:
        raise ValidationError(
            "The letter that circulated these minutes is no longer held (its retention has ended), so "
            "there is nothing to correct."
        )
    errors = {}
    if not minutes.strip():
        errors["minutes"] = "Enter the minutes of the meeting"
    if not decisions.strip():
        errors["decisions"] = "Enter what the panel decided"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the correction"
    if not errors and (minutes.strip(), decisions.strip()) == (
        meeting.minutes.strip(),
        meeting.decisions.strip(),
    ):
        errors["minutes"] = "Change the minutes or the decisions: they are the same as those circulated"
    if errors:
        raise ValidationError(errors)
    members = _minutes_recipients(meeting)
    meeting.minutes, meeting.decisions = minutes.strip(), decisions.strip()
    with refusal_as_validation_error():
        meeting.minutes_letter = letter_correct(
            letter=meeting.minutes_letter,
            actor=actor,
            reason=reason,
            extra=_minutes_extra(meeting, members),
            recipient=_members_recipient(),
        )
    meeting.save(update_fields=["minutes", "decisions", "minutes_letter", "version"])
    today = _today()
    _minutes_disclosed(
        meeting, members, actor, today, what="Corrected minutes of the review panel and the action plan"
    )
    case_event_record(
        application=case,
        kind="minutes_corrected",
        summary=f"Corrected minutes and action plan circulated to {len(members)} panel member(s).",
        actor=actor,
        occurred_on=today,
        data={"meeting": meeting.pk, "letter": meeting.minutes_letter.pk},
    )
    return meeting


def _members_recipient():
    from casereview.letters.services import Recipient

    return Recipient(name="Members of the ASB Case Review panel")


def _minutes_recipients(meeting: PanelMeeting) -> list:
    """The panel's members, once withdrawn consent has been checked for every partner among them:
    the minutes go to no one until every recipient may receive them. Raises SharingRefused."""
    members = list(meeting.members.select_related("agency"))
    for member in members:
        if member.agency is not None:
            sharing_check(application=meeting.case, agency=member.agency)
    return members


def _member_label(member) -> str:
    return member.name + (f" ({member.agency})" if member.agency else "")


def _minutes_extra(meeting: PanelMeeting, members: list) -> dict:
    attended = ", ".join(_member_label(m) for m in members if m.attended)
    return {
        **_plan_extra(meeting, victim_facing=False),
        "outcome_summary": f"Present: {attended}.\n\nDecisions: {meeting.decisions}\n\n"
        f"Minutes: {meeting.minutes}",
    }


def _minutes_disclosed(meeting: PanelMeeting, members: list, actor: User, on: dt.date, *, what: str) -> None:
    disclosure_record(
        application=meeting.case,
        disclosed_by=actor,
        from_agency=actor.agency,
        recipient="Panel members: " + ", ".join(_member_label(m) for m in members),
        what=what,
        purpose=f"ASB Case Review {meeting.case.reference}: the panel's record and the actions agreed",
        lawful_basis=LawfulBasis.ASB_ACT_SCH4_PARA7,
        disclosed_on=on,
    )


@transaction.atomic
def outcome_letter_issue(
    *, meeting: PanelMeeting, actor: User, outcome_summary: str, read_version: int | None = None
) -> PanelMeeting:
    """Tell the victim what was agreed: the recommendations and the actions that may be shared.

    Goes through `letter_issue`, which refuses the letter — and so this whole step, nothing
    changed — if a recorded perpetrator's name, address or date of birth appears anywhere in it
    (a recommendation, an action's description, free text). Then the case moves to monitoring
    while panel actions are open, or is closed when there are none.
    """
    case = meeting.case
    _require_runner(actor, case)
    version_claim(meeting, read_version=read_version, what="panel meeting")
    if not meeting.plan_is_final:
        raise ValidationError(
            "Finalise the action plan (after consulting the victim) before the outcome letter."
        )
    if meeting.outcome_issued_on:
        raise ValidationError("The outcome letter for this meeting has already been issued.")
    if not outcome_summary.strip():
        raise ValidationError({"outcome_summary": "Enter what to tell the victim about the outcome."})
    meeting.outcome_summary = outcome_summary.strip()
    letter = _letter_issue(
        case=case,
        kind="outcome",
        actor=actor,
        extra={**_plan_extra(meeting, victim_facing=True), "outcome_summary": meeting.outcome_summary},
    )
    meeting.outcome_issued_on = letter.issued_on
    meeting.save(update_fields=["outcome_summary", "outcome_issued_on", "version"])
    open_actions = open_actions_of_case(case).filter(kind=ActionKind.PANEL)
    if open_actions.exists():
        if case.status == Status.PANEL_HELD:
            application_set_status(
                application=case,
                to=Status.MONITORING,
                actor=actor,
                summary="The action plan is being monitored.",
            )
    elif case.status in (Status.PANEL_HELD, Status.MONITORING):
        application_set_status(
            application=case,
            to=Status.CLOSED,
            actor=actor,
            summary="The review is complete and the case is closed: the panel agreed no further actions.",
        )
    return meeting


def outcome_letter_preview(*, meeting: PanelMeeting, actor: User, outcome_summary: str = ""):
    """The outcome letter as it would be issued (the letters app renders it; `.findings` lists
    any perpetrator detail it would refuse)."""
    return _letter_preview(
        case=meeting.case,
        kind="outcome",
        actor=actor,
        extra={
            **_plan_extra(meeting, victim_facing=True),
            "outcome_summary": outcome_summary or meeting.outcome_summary,
        },
    )


def chairs_pack_release(*, meeting: PanelMeeting, actor: User) -> bytes:
    """The chair's pack as a PDF for a panel member, recorded as a disclosure and a case event in
    one transaction. Refused (SharingRefused) to a partner agency's officer while the victim's
    consent to sharing is withdrawn."""
    from .pack import chairs_pack_pdf

    case = meeting.case
    sharing_check(application=case, agency=actor.agency)
    pdf = chairs_pack_pdf(meeting)
    with transaction.atomic():
        disclosure_record(
            application=case,
            disclosed_by=actor,
            recipient=f"{actor} (panel papers)",
            what="Chair's pack: summary, incidents, alleged perpetrators, agency responses, risk assessment",
            purpose=f"Preparing for the ASB Case Review panel on {case.reference}",
            lawful_basis=LawfulBasis.ASB_ACT_SCH4_PARA7,
            from_agency=None,
        )
        case_event_record(
            application=case,
            kind="chairs_pack_downloaded",
            summary=f"{actor} downloaded the chair's pack.",
            actor=actor,
            data={"meeting": meeting.pk},
        )
    return pdf


def victim_view_give(
    *,
    meeting: PanelMeeting,
    how: str,
    given_by: str = "victim",
    statement: str = "",
    representative: str = "",
) -> VictimView:
    """The victim (or the applicant for them) says how their voice is heard at a scheduled meeting:
    coming to the start, a written statement the panel reads, or someone speaking for them. Given
    from the victim's own view, so there is no officer: the event says who gave it. The SPOC sees
    it on the timeline and in the panel's record (panel_record still records what happened)."""
    errors = {}
    if how not in VictimViewHow.values:
        errors["how"] = "Select how you want your view heard."
    statement = (statement or "").strip()
    representative = (representative or "").strip()
    if how == VictimViewHow.STATEMENT and not statement:
        errors["statement"] = "Enter your statement for the panel."
    if how == VictimViewHow.REPRESENTATIVE and not representative:
        errors["representative"] = "Enter who will speak for you."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise ValidationError("The panel has already met or the meeting was cancelled.")
        view = VictimView.objects.create(
            meeting=meeting,
            how=how,
            statement=statement if how == VictimViewHow.STATEMENT else "",
            representative=representative[:200] if how == VictimViewHow.REPRESENTATIVE else "",
            given_by=given_by,
            given_at=timezone.now(),
        )
        who = "The applicant" if given_by == "applicant" else "The victim"
        case_event_record(
            application=meeting.case,
            kind="victim_view_given",
            summary=f"{who} said how their voice is heard at the panel: {view.get_how_display().lower()}.",
            data={"meeting": meeting.pk, "view": view.pk, "how": how, "by": given_by, "portal": True},
        )
    return view
