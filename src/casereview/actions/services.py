"""Writes to actions.

Creating actions (the panel's action plan, interim actions) lives in its own section, written
with the panel. Below it: monitoring (the owner reports done, delayed, no longer viable) and the
escalation ladder (seed 004 §13) that the sweep climbs. Each function is one transaction and
records what changed as a case event in that transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casereview.accounts.models import Role, User
from casereview.accounts.selectors import staff_in
from casereview.applications.rules import can_run_review
from casereview.applications.selectors import Application
from casereview.applications.services import application_agency_link, case_event_record
from casereview.privacy.services import agency_has_lost_access, lost_access_q
from casereview.web.concurrency import StaleRecord
from casereview.web.links import public_url

from . import ladder
from .models import Action, ActionKind, ActionStatus, ActionUpdate, ActionUpdateKind, EscalationSent

# --- Creating actions: the panel's action plan and interim actions --------------------------------------


def action_create(
    *,
    case: Application,
    kind: str,
    description: str,
    owner_agency,
    due_on: dt.date,
    actor,
    owner=None,
    share_with_victim: bool = True,
    created_on: dt.date | None = None,
) -> Action:
    """Create a panel action or an interim action, with its owner and due date.

    The owning agency becomes party to the case (so its officers can see the case and report the
    action done). An interim action answers an immediate risk of harm without waiting for the
    panel (seed 004 §11). The case event's summary names the owner and due date, never the
    description, which may hold details only staff may see.
    """
    if kind not in ActionKind.values:
        raise ValidationError({"kind": "Choose whether this is a panel action or an interim action."})
    errors = {}
    if not description.strip():
        errors["description"] = "Enter what will be done."
    if owner_agency is None:
        errors["owner_agency"] = "Choose the agency that owns the action."
    elif owner_agency.partnership_id != case.partnership_id:
        errors["owner_agency"] = "That agency belongs to another partnership."
    if owner is not None and owner_agency is not None and owner.agency_id != owner_agency.pk:
        errors["owner"] = f"{owner} does not work for {owner_agency}."
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due."
    elif created_on is not None and due_on < created_on:
        errors["due_on"] = "The due date cannot be before the action is agreed."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action.objects.create(
            case=case,
            kind=kind,
            description=description.strip(),
            owner_agency=owner_agency,
            owner=owner,
            due_on=due_on,
            share_with_victim=share_with_victim,
            created_by=actor,
        )
        application_agency_link(application=case, agency=owner_agency, reason="Owns an action on this case")
        label = "Interim action" if kind == ActionKind.INTERIM else "Action"
        case_event_record(
            application=case,
            kind="interim_action_created" if kind == ActionKind.INTERIM else "action_created",
            summary=f"{label} for {owner_agency}{f' ({owner})' if owner else ''}, due {due_on:%-d %B %Y}.",
            actor=actor,
            occurred_on=created_on,
            data={"action": action.pk, "kind": kind, "due_on": due_on.isoformat()},
        )
    return action


def action_edit(
    *, action: Action, description: str, share_with_victim: bool, actor, read_version: int | None = None
) -> Action:
    """Change what an action says, or whether the victim is told of it, until the outcome letter
    that carries it has been issued: the way out when the letter is refused because a shared
    action names an alleged perpetrator. Recorded as `action_edited` (what changed, never the text)."""
    if not can_run_review(actor, action.case):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can change an action.")
    if not description.strip():
        raise ValidationError({"description": "Enter what will be done."})
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",)).select_related("owner_agency").get(pk=action.pk)
        )
        if read_version is not None and action.version != read_version:
            raise StaleRecord(action, what="action")
        if action.panel_meetings.filter(outcome_issued_on__isnull=False).exists():
            raise ValidationError(
                "The outcome letter that describes this action has been issued, so the action can no longer "
                "be changed here: correct the outcome letter from the case's Letters section instead."
            )
        changed = []
        if description.strip() != action.description:
            changed.append("its wording")
        if share_with_victim != action.share_with_victim:
            changed.append(
                "shared with the victim" if share_with_victim else "no longer shared with the victim"
            )
        if not changed:
            return action
        action.description = description.strip()
        action.share_with_victim = share_with_victim
        action.version += 1
        action.save(update_fields=["description", "share_with_victim", "version"])
        case_event_record(
            application=action.case,
            kind="action_edited",
            summary=f"{_action_words(action)} changed: {' and '.join(changed)}.",
            actor=actor,
            data={"action": action.pk, "share_with_victim": share_with_victim, "changed": changed},
        )
    return action


def action_reassign(*, action: Action, owner: User, actor, read_version: int | None = None) -> Action:
    """Give an action to someone whose agency can still see the case — the SPOC's way to move on an
    action whose agency lost access when the victim withdrew consent (privacy.services). Recorded
    as `action_reassigned`; the new agency becomes party to the case; the ladder then counts for
    the new owner (steps already sent are not repeated). `read_version`: the action's version as
    the page was read (refused with `StaleRecord` when it changed since)."""
    case = action.case
    if not can_run_review(actor, case):
        raise PermissionDenied("Only the case's SPOC or a community safety manager can reassign an action.")
    if owner is None or owner.partnership_id != case.partnership_id or owner.agency_id is None:
        raise ValidationError({"owner": "Choose a member of staff of this partnership's agencies."})
    if agency_has_lost_access(application=case, agency=owner.agency):
        raise ValidationError(
            {
                "owner": f"{owner.agency} cannot see this case while the victim's consent to sharing is "
                "withdrawn: choose someone at the council."
            }
        )
    with transaction.atomic():
        action = _locked_open_action(action, read_version)
        before = action.owner_agency
        action.owner = owner
        action.owner_agency = owner.agency
        action.save(update_fields=["owner", "owner_agency", "version"])
        application_agency_link(application=case, agency=owner.agency, reason="Owns an action on this case")
        case_event_record(
            application=case,
            kind="action_reassigned",
            summary=f"Action reassigned from {before} to {owner.agency} ({owner}).",
            actor=actor,
            data={"action": action.pk, "from_agency": before.pk, "to_agency": owner.agency_id},
        )
    return action


# --- Monitoring: the owner reports progress ---------------------------------------------------------------


def _locked_open_action(action: Action, read_version: int | None = None) -> Action:
    """The action locked, still open, and (with `read_version`, the version the page was read at)
    not changed since: of two reports at once, the second sees the first's (web.concurrency)."""
    locked = (
        Action.objects.select_for_update(of=("self",))
        .select_related("case", "owner_agency")
        .get(pk=action.pk)
    )
    if read_version is not None and locked.version != read_version:
        raise StaleRecord(locked, what="action")
    if not locked.is_open:
        raise ValidationError(f"This action is already closed ({locked.get_status_display().lower()}).")
    locked.version += 1
    return locked


def _action_words(action: Action) -> str:
    """How the timeline names an action: its owner and date, not its text (which may name people)."""
    return f"Action for {action.owner_agency} due {action.effective_due_on:%-d %B %Y}"


def action_complete(
    *,
    action: Action,
    actor: User,
    what_happened: str,
    completed_on: dt.date,
    today: dt.date | None = None,
    tell_victim: bool = False,
    read_version: int | None = None,
) -> Action:
    """Mark an action done, with what happened (required: an action is complete only when the
    SPOC knows the outcome, seed 004 §13). Irreversible: the view asks for confirmation first."""
    today = today or timezone.localdate()
    errors = {}
    if not what_happened.strip():
        errors["what_happened"] = "Enter what was done"
    if completed_on > today:
        errors["completed_on"] = "The date it was done must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = _locked_open_action(action, read_version)
        action.status = ActionStatus.DONE
        action.status_note = what_happened.strip()
        action.completed_on = completed_on
        action.save(update_fields=["status", "status_note", "completed_on", "version"])
        _update_record(
            action,
            kind=ActionUpdateKind.DONE,
            note=what_happened,
            happened_on=completed_on,
            actor=actor,
            event="action_completed",
            summary=f"{_action_words(action)} marked done.",
        )
        if tell_victim and action.share_with_victim:
            _tell_people_of_action(
                action,
                purpose="action_completed",
                subject=f"Your ASB Case Review {action.case.reference}: an action has been completed",
                body=(
                    "One of the actions agreed at your ASB Case Review has been completed:\n\n"
                    f"{action.description}\n\n"
                    "Your single point of contact will keep you updated on the rest of the action plan."
                ),
                actor=actor,
                today=today,
            )
    return action


def _update_record(
    action: Action,
    *,
    kind: str,
    note: str,
    happened_on: dt.date,
    actor: User,
    event: str,
    summary: str,
    data: dict | None = None,
    with_update: bool = False,
    **dates: dt.date,
) -> ActionUpdate:
    """One entry in the action's history (`ActionUpdate`: done, delayed, no longer viable, a note)
    and its case event, on the day it happened, in the caller's transaction. The event's data
    names the action (and, `with_update`, the history entry) before `data`'s own keys; `dates` are
    the entry's revised and previous due dates, for a delay."""
    update = ActionUpdate.objects.create(
        action=action,
        kind=kind,
        note=note.strip(),
        happened_on=happened_on,
        by=actor,
        at=timezone.now(),
        **dates,
    )
    case_event_record(
        application=action.case,
        kind=event,
        summary=summary,
        actor=actor,
        occurred_on=happened_on,
        data={"action": action.pk, **({"update": update.pk} if with_update else {}), **(data or {})},
    )
    return update


def _tell_people_of_action(action: Action, *, purpose: str, subject: str, body: str, actor, today) -> None:
    """Tell the victim (and a third-party applicant the victim consented to) of progress on an action
    shared with them, through the one outbox, honouring their safe-contact answers, on the timeline.

    The same disclosure control as a victim's letter (letters.checks, core.disclosure) reads the
    message first: one naming a recorded alleged perpetrator (the action's wording, a delay's
    reason) is refused — nothing of the update is recorded — saying where, so the officer rewords
    it, edits the action, or records the update without telling the victim."""
    from casereview.letters.checks import perpetrator_details_in
    from casereview.notifications.services import case_people_notify

    findings = perpetrator_details_in(case=action.case, text=body, where="the message to the victim")
    if findings:
        raise ValidationError(
            {
                "tell_victim": " ".join(f.message() for f in findings)
                + f" Reword it, change the action's wording (/actions/{action.pk}/edit/), or untick "
                "telling the victim and tell them yourself."
            }
        )
    case_people_notify(
        case=action.case,
        purpose=purpose,
        subject=subject,
        body=body,
        actor=actor,
        occurred_on=today,
    )


def action_delay(
    *,
    action: Action,
    actor: User,
    reason: str,
    revised_due_on: dt.date | None,
    today: dt.date | None = None,
    read_version: int | None = None,
    tell_victim: bool = False,
) -> Action:
    """Record why an action is late and the new date agreed. The agreed date (`due_on`) is kept;
    escalation runs from the revised date from now on (docs/actions.md), but a step already sent
    is never sent again."""
    today = today or timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why the action is delayed"
    if revised_due_on is None:
        errors["revised_due_on"] = "Enter the new date the action will be done by"
    elif revised_due_on <= today:
        errors["revised_due_on"] = "The new date must be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = _locked_open_action(action, read_version)
        previous = action.effective_due_on
        action.status = ActionStatus.DELAYED
        action.status_note = reason.strip()
        action.revised_due_on = revised_due_on
        action.save(update_fields=["status", "status_note", "revised_due_on", "version"])
        _update_record(
            action,
            kind=ActionUpdateKind.DELAYED,
            note=reason,
            happened_on=today,
            actor=actor,
            event="action_delayed",
            summary=f"Action for {action.owner_agency} delayed: now due {revised_due_on:%-d %B %Y} "
            f"(was {previous:%-d %B %Y}).",
            data={"previous_due_on": previous.isoformat(), "revised_due_on": revised_due_on.isoformat()},
            revised_due_on=revised_due_on,
            previous_due_on=previous,
        )
        if tell_victim and action.share_with_victim:
            _tell_people_of_action(
                action,
                purpose="action_delayed",
                subject=f"Your ASB Case Review {action.case.reference}: an action is delayed",
                body=(
                    "One of the actions agreed at your ASB Case Review is delayed:\n\n"
                    f"{action.description}\n\n"
                    f"Why: {reason.strip()}\n\n"
                    f"It will now be done by {revised_due_on:%-d %B %Y}. Your single point of contact "
                    "will keep you updated."
                ),
                actor=actor,
                today=today,
            )
    return action


def action_note_record(
    *,
    action: Action,
    actor: User,
    note: str,
    today: dt.date | None = None,
    read_version: int | None = None,
    tell_victim: bool = False,
) -> ActionUpdate:
    """A free-text progress note on an open action (its status and dates unchanged), in the
    action's history for the SPOC and the agencies. With `tell_victim`, on an action the panel
    agreed may be shared, the note is also sent to the victim (and a consenting applicant) through
    the one outbox — after the disclosure check, which refuses a note naming an alleged
    perpetrator before anything is recorded."""
    today = today or timezone.localdate()
    if not note.strip():
        raise ValidationError({"note": "Enter what has happened"})
    if tell_victim and not action.share_with_victim:
        raise ValidationError(
            {"tell_victim": "This action is not shared with the victim: change that on the action first."}
        )
    with transaction.atomic():
        action = _locked_open_action(action, read_version)
        action.save(update_fields=["version"])
        update = _update_record(
            action,
            kind=ActionUpdateKind.NOTE,
            note=note,
            happened_on=today,
            actor=actor,
            event="action_note_added",
            summary=f"{_action_words(action)}: progress note added"
            + (" and shared with the victim." if tell_victim else "."),
            data={"shared": bool(tell_victim)},
            with_update=True,
        )
        if tell_victim:
            _tell_people_of_action(
                action,
                purpose="action_progress",
                subject=f"Your ASB Case Review {action.case.reference}: progress on an action",
                body=(
                    "There is news on one of the actions agreed at your ASB Case Review:\n\n"
                    f"{action.description}\n\n"
                    f"{note.strip()}\n\n"
                    "Your single point of contact will keep you updated."
                ),
                actor=actor,
                today=today,
            )
    return update


def action_mark_not_viable(
    *,
    action: Action,
    actor: User,
    reason: str,
    today: dt.date | None = None,
    read_version: int | None = None,
    tell_victim: bool = False,
) -> Action:
    """Close an action that can no longer be done or is no longer needed, with why, so the
    partners can agree what to do instead (seed 004 §13). Irreversible: confirmed first.
    `tell_victim`: an action shared with the victim is a promise made to them, so they (and a
    consenting applicant) are told it will not go ahead and why, as a delay or a completion is —
    through the one outbox, the disclosure check first (`_tell_people_of_action`)."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the action is no longer viable"})
    with transaction.atomic():
        action = _locked_open_action(action, read_version)
        action.status = ActionStatus.NOT_VIABLE
        action.status_note = reason.strip()
        action.save(update_fields=["status", "status_note", "version"])
        _update_record(
            action,
            kind=ActionUpdateKind.NOT_VIABLE,
            note=reason,
            happened_on=today,
            actor=actor,
            event="action_not_viable",
            summary=f"{_action_words(action)} marked no longer viable.",
        )
        if tell_victim and action.share_with_victim:
            _tell_people_of_action(
                action,
                purpose="action_not_viable",
                subject=f"Your ASB Case Review {action.case.reference}: an action will not go ahead",
                body=(
                    "One of the actions agreed at your ASB Case Review will not go ahead:\n\n"
                    f"{action.description}\n\n"
                    f"Why: {reason.strip()}\n\n"
                    "The partners will agree what to do instead, and your single point of contact will "
                    "tell you."
                ),
                actor=actor,
                today=today,
            )
    return action


# --- The escalation ladder ----------------------------------------------------------------------


def _partnership_users_with_role(action: Action, role: str) -> list[User]:
    return list(staff_in(action.case.partnership_id, roles=[role]).order_by("id"))


def escalation_recipients(action: Action, recipient: str) -> tuple[list[User], str]:
    """The people a step goes to, resolved from the records, and a note when the records lack
    them (no owner named, no line manager recorded, nobody holding the role)."""
    from casereview.notifications.services import case_contacts

    people: list[User] = []
    if recipient == "action_owner":
        if action.owner_id:
            people = [action.owner]
        else:
            people = list(
                staff_in(
                    action.case.partnership_id,
                    agency_id=action.owner_agency_id,
                    roles=[Role.AGENCY_OFFICER],
                ).order_by("id")
            )
    elif recipient == "spoc":
        people = case_contacts(action.case)
    elif recipient == "line_manager":
        if action.owner_id and action.owner.line_manager_id:
            people = [action.owner.line_manager]
    elif recipient in {"head_of_service", "chief_executive", "community_safety_manager"}:
        people = _partnership_users_with_role(action, recipient)
    people = [p for p in people if p.is_active]
    note = ""
    if not people:
        note = f"No {ladder.recipient_label(recipient).removeprefix('the ')} is recorded: escalate by hand."
    return people, note


@dataclass(frozen=True)
class PlannedEscalation:
    action: Action
    rung: ladder.Rung


def escalations_due(*, today: dt.date) -> list[PlannedEscalation]:
    """The rung to send today on every open action of every case (`ladder.rung_to_send`: the
    highest rung reached, if neither it nor a later one has been sent)."""
    from casereview.actions.selectors import OPEN_STATUSES, action_rungs

    planned = []
    actions = (
        Action.objects.filter(status__in=OPEN_STATUSES)
        .exclude(
            lost_access_q("owner_", case_field="case")
        )  # with the SPOC to reassign: not chased (privacy.services)
        .select_related("case__partnership", "case__spoc", "owner__line_manager", "owner_agency")
        .prefetch_related("escalations")
        .order_by("id")
    )
    for action in actions:
        if action.effective_due_on >= today:
            continue
        sent = {row.step for row in action.escalations.all()}
        rung = ladder.rung_to_send(action_rungs(action), sent=sent, today=today)
        if rung is not None:
            planned.append(PlannedEscalation(action=action, rung=rung))
    return planned


def action_escalate(*, action: Action, rung: ladder.Rung, today: dt.date) -> EscalationSent | None:
    """Send one rung of the ladder for one action, exactly once.

    The EscalationSent row is inserted first; its unique constraint on (action, step) means that of
    two sweeps racing for the same step one inserts and sends and the other gets IntegrityError and
    sends nothing. The action row is locked too, so an owner marking it done at the same moment
    either wins (nothing is sent) or waits for the escalation to finish. Returns None when there
    was nothing to send.
    """
    from casereview.notifications.services import case_contacts, staff_notify

    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("case__partnership", "case__spoc", "owner__line_manager", "owner_agency")
            .get(pk=action.pk)
        )
        if not action.is_open or rung.reached_on > today:
            return None
        if agency_has_lost_access(application=action.case, agency=action.owner_agency):
            return None  # consent withdrawn since the sweep planned it: the SPOC reassigns it
        if action.escalations.filter(position__gt=rung.position).exists():
            return None  # a later rung has been sent: this one is passed over (ladder.rung_to_send)
        try:
            with transaction.atomic():
                sent = EscalationSent.objects.create(
                    action=action,
                    step=rung.name,
                    position=rung.position,
                    recipient_role=rung.recipient,
                    due_on=action.effective_due_on,
                    reached_on=today,
                    sent_at=timezone.now(),
                )
        except IntegrityError:
            return None
        people, note = escalation_recipients(action, rung.recipient)
        sent.recipients.set(people)
        case = action.case
        days = (today - action.effective_due_on).days
        who = rung.who
        title = rung.title  # "Step 4: the Chief Executive" — the same words on every page and message
        case_event_record(
            application=case,
            kind="action_escalated",
            summary=f"{_action_words(action)} is {days} day{'s' if days != 1 else ''} overdue: "
            f"escalated, {title}." + (f" {note}" if note else ""),
            occurred_on=today,
            data={
                "action": action.pk,
                "step": rung.name,
                "position": rung.position,
                "recipient": rung.recipient,
                "recipients": [p.pk for p in people],
                "due_on": action.effective_due_on.isoformat(),
                "days_overdue": days,
            },
        )
        url = f"/actions/{action.pk}/"
        link = public_url(url)
        plural = "s" if days != 1 else ""
        what = "ASB Case Review" if case.kind == "case_review" else "case"
        overdue = (
            f"An action on {what} {case.reference}, owned by {action.owner_agency}, "
            f"was due on {action.effective_due_on:%-d %B %Y} and is {days} day{plural} overdue."
        )
        policy = "under the local ASB Case Review policy"
        why = {
            "action_owner": "You own this action. The SPOC will be in touch: please complete it, "
            "or tell the SPOC why it is delayed.",
            "spoc": "As the case's single point of contact, please chase the action's owner.",
            "line_manager": f"It has been escalated to you as the owner's line manager {policy}.",
            "head_of_service": f"It has been escalated to you as Head of Service {policy}.",
            "chief_executive": f"It has been escalated to you as Chief Executive {policy}.",
        }.get(rung.recipient, f"It has been escalated to you as {who}.")
        staff_notify(
            recipients=people,
            purpose="action_escalated" if rung.position > 1 else "action_overdue",
            text=f"Action on {case.reference} is {days} day{plural} overdue: escalated, {title}.",
            url=url,
            case=case,
            email_subject=f"Overdue action on {what} {case.reference}: {title}",
            email_body=f"{overdue}\n\nEscalation: {title}.\n\n{why}\n\nSee the action: {link}\n",
            occurred_on=today,
        )
        # The SPOC runs the ladder (seed 004 §13), so they hear of every step, and are the ones
        # to act when the records lack a recipient.
        contacts = [user for user in case_contacts(case) if user not in people]
        if contacts:
            staff_notify(
                recipients=contacts,
                purpose="action_escalated" if rung.position > 1 else "action_overdue",
                text=f"Action on {case.reference} is {days} day{plural} overdue: escalated, {title}."
                + (f" {note}" if note else ""),
                url=url,
                case=case,
                occurred_on=today,
            )
    return sent


def actions_escalate(*, today: dt.date) -> dict[str, int]:
    """Send every escalation step due by `today` (the sweep). Safe to run any number of times."""
    counts = {"sent": 0, "skipped": 0}
    for planned in escalations_due(today=today):
        if action_escalate(action=planned.action, rung=planned.rung, today=today) is None:
            counts["skipped"] += 1
        else:
            counts["sent"] += 1
    return counts
