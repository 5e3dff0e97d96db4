"""A standing panel's meeting (ADR 0064): the agenda, what agencies share before it, who came,
per case the discussion, the risk, the action plan and the next review; the minutes, each case's
section only to the agencies on that case; and a case closed only with a reason and the panel's
agreement recorded at a held meeting, or re-opened.

Every write is one transaction and records a case event on each case it touches
(`case_event_record` / `case_status_change`). Actions are the actions app's (`action_create`), so
they are monitored and escalated by the one ladder the review's actions climb (the sweep).
Nothing about a case is sent to an agency that is not on it (`_agency_may_receive`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.accounts.models import Role
from casereview.accounts.selectors import staff_in
from casereview.actions.services import action_create
from casereview.applications.selectors import case_parties, case_party_agencies, cases_visible_to
from casereview.applications.services import case_event_record, case_status_change
from casereview.audit.services import LawfulBasis, audit_disclosure
from casereview.core.panel_kinds import (
    CASE_REVIEW,
    CLOSE_REASONS,
    AgendaCandidate,
    PanelKind,
    build_agenda,
    close_check,
)
from casereview.core.reasons import render_all
from casereview.notifications.services import staff_notify
from casereview.privacy.services import sharing_check
from casereview.web.concurrency import StaleRecord, content_claim, content_version, history_claim

from .models import (
    AgencyAttendance,
    AgencyShare,
    MeetingItem,
    MeetingStatus,
    MinutesDocument,
    Referral,
    StandingMeeting,
)
from .sittings import refuse_sitting

AGENDA_WHY = {
    "case_review": "ASB Case Review",
    "new_referral": "New referral",
    "review_due": "Review due",
    "review_date_missing": "Open, no review date set",
}

CLOSE_REASON_WORDS = {
    "risk_reduced": "The risk is reduced",
    "moved_away": "The person moved away",
    "referred_elsewhere": "Referred to another service",
    "no_engagement": "No engagement despite the panel's efforts",
    "died": "The person died",
    "other": "Another reason (in the discussion)",
}


def may_chair(user, kind: PanelKind | None) -> bool:
    """Who runs a standing panel's meetings: the member roles the policy names (the community
    safety team who chair it, seed 003)."""
    if kind is None or not getattr(user, "is_authenticated", False) or user.partnership_id is None:
        return False
    return any(role in kind.member_roles for role in user.roles)


def _require_chair(actor, kind: PanelKind | None) -> None:
    if not may_chair(actor, kind):
        raise PermissionDenied("Only the panel's chair (the community safety team) can do this.")


def _kind_of(meeting_or_referral) -> PanelKind | None:
    return meeting_or_referral.partnership.policy.panel_kind(meeting_or_referral.panel_kind)


def _agency_may_receive(case, agency) -> bool:
    """Whether anything about `case` may go to `agency`: only an agency on the case, and not while
    the victim's consent to sharing is withdrawn (privacy.sharing_check, the check the review's
    minutes and chair's pack pass)."""
    if agency is None or agency.pk not in {a.pk for a in case_party_agencies(case)}:
        return False
    try:
        sharing_check(application=case, agency=agency)
    except ValidationError:
        return False
    return True


def _officers_of(case, agency) -> list:
    return list(
        staff_in(case.partnership_id, agency_id=agency.pk, roles=[Role.AGENCY_OFFICER]).order_by("id")
    )


# --- The agenda ---------------------------------------------------------------------------------


def meeting_schedule(*, partnership, kind: PanelKind, meeting_on: dt.date, actor) -> StandingMeeting:
    """Schedule a meeting and build its agenda (core.panel_kinds.build_agenda): new referrals made
    on or before the day, then open cases due for review, then open cases with no review date."""
    _require_chair(actor, kind)
    if kind.code == CASE_REVIEW:
        raise ValidationError(
            "A sitting of the ASB Case Review panel is made by scheduling a review's panel meeting "
            "(the review's panel page): each review is heard at the sitting on its date."
        )
    if meeting_on is None:
        raise ValidationError({"meeting_on": "Enter the date of the meeting."})
    referrals = {
        r.case.reference: r
        for r in Referral.objects.filter(partnership=partnership, panel_kind=kind.code, case__isnull=False)
        .select_related("case")
        .exclude(case__status="closed")
    }
    agenda = build_agenda(
        meeting_on,
        [
            AgendaCandidate(
                ref=ref, status=r.case.status, referred_on=r.referred_on, next_review_on=r.next_review_on
            )
            for ref, r in referrals.items()
        ],
    )
    with transaction.atomic():
        meeting = StandingMeeting.objects.create(
            partnership=partnership, panel_kind=kind.code, meeting_on=meeting_on, chair=actor
        )
        for position, item in enumerate(agenda, start=1):
            referral = referrals[item.ref]
            MeetingItem.objects.create(
                meeting=meeting, case=referral.case, referral=referral, position=position, why=item.why
            )
            case_event_record(
                application=referral.case,
                kind="panel_listed",
                summary=f"On the agenda of {kind.name} on {meeting_on:%-d %B %Y} "
                f"({AGENDA_WHY[item.why].lower()}).",
                actor=actor,
                data={"meeting": meeting.pk, "why": item.why},
            )
    return meeting


def agency_share_add(*, item: MeetingItem, text: str, actor, read_version: int | None = None) -> AgencyShare:
    """An agency on the case shares what it knows before the meeting (as the review's agency
    information requests are answered). `read_version`: how many shares the case's item had when
    the form was read; one added since refuses this (`StaleRecord`, showing it) and writes nothing."""
    if not text.strip():
        raise ValidationError({"text": "Enter what your agency knows about the case."})
    refuse_sitting(item.meeting)
    case = item.case
    if actor.agency is None or not _agency_may_receive(case, actor.agency):
        raise PermissionDenied("Only an agency on the case can share information about it.")
    if item.meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(
            "The meeting has been held: share anything new with the chair for the next one."
        )
    with transaction.atomic():
        history_claim(
            item, item.shares.all(), read_version=read_version, what="information shared for this case"
        )
        share = AgencyShare.objects.create(item=item, agency=actor.agency, text=text.strip(), shared_by=actor)
        case_event_record(
            application=case,
            kind="panel_information_shared",
            summary=f"{actor.agency} shared information for the meeting on "
            f"{item.meeting.meeting_on:%-d %B %Y}.",
            actor=actor,
            data={"meeting": item.meeting_id, "agency": actor.agency_id},
        )
    return share


# --- At the meeting -----------------------------------------------------------------------------


def attendance_record(
    *, meeting: StandingMeeting, present: dict, apologies: list, actor, version: int
) -> None:
    """Who came, by agency (`present`: agency → names), and which agencies sent apologies."""
    _require_chair(actor, _kind_of(meeting))
    refuse_sitting(meeting)
    if not present:
        raise ValidationError({"present": "Choose at least one agency that attended."})
    both = {a.pk for a in present} & {a.pk for a in apologies}
    if both:
        raise ValidationError({"apologies": "An agency either attended or sent apologies, not both."})
    with transaction.atomic():
        locked = StandingMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.version != version:
            raise StaleRecord(locked, what="meeting")
        AgencyAttendance.objects.filter(meeting=locked).delete()
        for agency, names in present.items():
            AgencyAttendance.objects.create(meeting=locked, agency=agency, present=True, names=names[:300])
        for agency in apologies:
            AgencyAttendance.objects.create(meeting=locked, agency=agency, present=False)
        locked.version += 1
        locked.save(update_fields=["version"])
        meeting.version = locked.version


def _item_values(item: MeetingItem) -> tuple:
    return (
        item.discussion,
        sorted(item.risk_answers or {}),
        item.next_review_on,
        item.close_agreed,
        item.close_reason,
    )


def item_version(item: MeetingItem) -> int:
    """The version of a case's discussion at a meeting, for the form that records it."""
    return content_version(*_item_values(item))


def item_record(
    *,
    item: MeetingItem,
    discussion: str,
    risk_answers: dict,
    next_review_on: dt.date | None,
    close_agreed: bool,
    close_reason: str,
    actor,
    version: int | None = None,
) -> MeetingItem:
    """Record the panel's discussion of one case: the risk by the policy's tool, the next review
    date (none when the panel agrees to close), and the panel's agreement to close with its reason.
    A referral heard for the first time becomes an open case. Refused (`StaleRecord`) when someone
    recorded it since the form was read at `version` (`item_version`)."""
    meeting = item.meeting
    kind = _kind_of(meeting)
    _require_chair(actor, kind)
    refuse_sitting(meeting)
    errors = {}
    if not discussion.strip():
        errors["discussion"] = "Enter what the panel discussed and decided."
    if close_agreed and close_reason not in CLOSE_REASONS:
        errors["close_reason"] = "Choose why the panel agreed to close the case."
    if not close_agreed and next_review_on is None:
        errors["next_review_on"] = "Enter when the panel reviews the case next."
    elif next_review_on is not None and next_review_on <= meeting.meeting_on:
        errors["next_review_on"] = "The next review must be after this meeting."
    if errors:
        raise ValidationError(errors)
    assessment = kind.risk_tool.assess(risk_answers) if kind.risk_tool else None
    case = item.case
    with transaction.atomic():
        item = content_claim(item, read_version=version, values=_item_values, what="case's discussion")
        item.discussion = discussion.strip()
        item.risk_answers = {code: True for code, yes in risk_answers.items() if yes}
        item.risk_score = assessment.score if assessment else None
        item.risk_level = assessment.level if assessment else ""
        item.risk_tool = kind.risk_tool.name if kind.risk_tool else ""
        item.next_review_on = None if close_agreed else next_review_on
        item.close_agreed = close_agreed
        item.close_reason = close_reason if close_agreed else ""
        item.heard = True
        item.save()
        referral = Referral.objects.select_for_update().get(pk=item.referral_id)
        referral.current_risk_level = item.risk_level or referral.current_risk_level
        referral.next_review_on = item.next_review_on
        referral.save(update_fields=["current_risk_level", "next_review_on"])
        if case.status == "referred":
            case_status_change(
                case=case,
                to="open",
                actor=actor,
                occurred_on=meeting.meeting_on,
                summary=f"Heard by {kind.name}: the case is open.",
                event_kind="panel_case_opened",
            )
        risk = f" Risk {item.risk_level} ({item.risk_tool})." if item.risk_level else ""
        then = (
            f" The panel agreed to close it ({CLOSE_REASON_WORDS[item.close_reason].lower()})."
            if close_agreed
            else f" Next review {item.next_review_on:%-d %B %Y}."
        )
        case_event_record(
            application=case,
            kind="panel_heard",
            summary=f"Discussed at {kind.name} on {meeting.meeting_on:%-d %B %Y}.{risk}{then}",
            actor=actor,
            occurred_on=meeting.meeting_on,
            data={"meeting": meeting.pk, "risk_level": item.risk_level, "close_agreed": close_agreed},
        )
    return item


def item_action_add(
    *,
    item: MeetingItem,
    description: str,
    owner_agency,
    due_on: dt.date | None,
    actor,
    read_version: int | None = None,
):
    """An action of the case's plan, with its owning agency and due date: the actions app's own
    (monitored and escalated by the one ladder). The owning agency joins the case, and is sent the
    action request — the case's reference and the action only, nothing about anyone else.
    `read_version`: how many actions the plan had at this meeting when the form was read; one added
    since refuses this (`StaleRecord`, showing the newest) and writes nothing."""
    meeting = item.meeting
    kind = _kind_of(meeting)
    _require_chair(actor, kind)
    refuse_sitting(meeting)
    case = item.case
    with transaction.atomic():
        history_claim(item, item.actions.all(), read_version=read_version, what="action plan")
        action = action_create(
            case=case,
            kind="panel",
            description=description,
            owner_agency=owner_agency,
            due_on=due_on,
            actor=actor,
            share_with_victim=False,
            created_on=meeting.meeting_on,
        )
        item.actions.add(action)
        if _agency_may_receive(case, owner_agency):
            staff_notify(
                recipients=_officers_of(case, owner_agency),
                purpose="panel_action_request",
                text=f"{kind.name} asks your agency to act on case {case.reference} "
                f"by {action.due_on:%-d %B %Y}.",
                url=f"/actions/{action.pk}/",
                case=case,
                email_subject=f"Action request from {kind.name}: case {case.reference}",
                email_body=f"{kind.name} agreed on {meeting.meeting_on:%-d %B %Y} that {owner_agency} "
                f"will act on case {case.reference}, due {action.due_on:%-d %B %Y}. "
                "See the action (sign in): "
                f"/actions/{action.pk}/\n",
                actor=actor,
                occurred_on=meeting.meeting_on,
            )
    return action


def meeting_hold(*, meeting: StandingMeeting, actor, version: int) -> StandingMeeting:
    """Record that the meeting was held: its attendance recorded, every case on the agenda heard."""
    _require_chair(actor, _kind_of(meeting))
    refuse_sitting(meeting)
    with transaction.atomic():
        locked = StandingMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.version != version:
            raise StaleRecord(locked, what="meeting")
        if locked.status == MeetingStatus.HELD:
            raise ValidationError("The meeting is already recorded as held.")
        if not locked.attendance.filter(present=True).exists():
            raise ValidationError("Record which agencies attended before recording the meeting as held.")
        unheard = [i.case.reference for i in locked.items.filter(heard=False).select_related("case")]
        if unheard:
            raise ValidationError(
                f"Record the discussion of {', '.join(unheard)} before recording the meeting as held."
            )
        locked.status = MeetingStatus.HELD
        locked.held_on = locked.meeting_on
        locked.version += 1
        locked.save(update_fields=["status", "held_on", "version"])
    return locked


def minutes_sections_for(user, meeting: StandingMeeting) -> list[MeetingItem]:
    """The sections of the minutes this user may read: the cases they may see, nothing else."""
    visible = cases_visible_to(user).values("pk")
    return list(
        meeting.items.filter(case__in=visible)
        .select_related("case", "referral__person")
        .prefetch_related("actions__owner_agency", "shares__agency")
    )


def minutes_circulate(*, meeting: StandingMeeting, actor) -> dict[str, int]:
    """Send the minutes: each agency on at least one case of the meeting is told which cases'
    sections it may read (only its own cases; the page shows it only those). An agency on no case
    of the meeting is sent nothing about any case."""
    kind = _kind_of(meeting)
    _require_chair(actor, kind)
    refuse_sitting(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Record the meeting as held before circulating its minutes.")
    today = timezone.localdate()
    sent = 0
    with transaction.atomic():
        by_agency: dict[int, tuple] = {}
        for item in meeting.items.select_related("case"):
            case = item.case
            for agency in case_party_agencies(case):
                if _agency_may_receive(case, agency):
                    by_agency.setdefault(agency.pk, (agency, []))[1].append(case)
        for agency, cases in by_agency.values():
            refs = ", ".join(c.reference for c in cases)
            people = [u for c in cases[:1] for u in _officers_of(c, agency)]
            notices = staff_notify(
                recipients=people,
                purpose="panel_minutes",
                text=f"Minutes of {kind.name} on {meeting.meeting_on:%-d %B %Y}: your cases {refs}.",
                url=f"/referrals/meetings/{meeting.pk}/minutes/",
            )
            sent += len(notices)
        for item in meeting.items.select_related("case"):
            case_event_record(
                application=item.case,
                kind="panel_minutes_circulated",
                summary=f"Minutes of {kind.name} on {meeting.meeting_on:%-d %B %Y} circulated to the "
                "agencies on the case.",
                actor=actor,
                occurred_on=today,
                data={"meeting": meeting.pk},
            )
        StandingMeeting.objects.filter(pk=meeting.pk).update(minutes_circulated_on=today)
        meeting.minutes_circulated_on = today
    return {"agencies": len(by_agency), "notices": sent}


# --- Closing and re-opening ---------------------------------------------------------------------


def _agreement(referral: Referral) -> MeetingItem | None:
    """The panel's agreement to close, recorded at the latest held meeting that heard the case."""
    item = (
        referral.meeting_items.filter(meeting__status=MeetingStatus.HELD, heard=True)
        .select_related("meeting")
        .order_by("-meeting__meeting_on", "-id")
        .first()
    )
    return item if item is not None and item.close_agreed else None


def panel_case_close(*, referral: Referral, actor, version: int, today: dt.date | None = None) -> Referral:
    """Close a case: only with the reason and the panel's agreement recorded at a held meeting
    (the kind's close rule, core.panel_kinds.close_check)."""
    kind = _kind_of(referral)
    _require_chair(actor, kind)
    today = today or timezone.localdate()
    agreement = _agreement(referral)
    decision = close_check(
        kind,
        reason=agreement.close_reason if agreement else None,
        panel_agreed=agreement is not None,
        risk_level=agreement.risk_level if agreement else referral.current_risk_level or None,
    )
    if not decision.allowed:
        raise ValidationError(" ".join(render_all(decision.reasons)))
    with transaction.atomic():
        case_status_change(
            case=referral.case,
            to="closed",
            actor=actor,
            version=version,
            reason=agreement.close_reason,
            occurred_on=today,
            event_kind="panel_case_closed",
            summary=f"Closed with the panel's agreement of {agreement.meeting.meeting_on:%-d %B %Y}: "
            f"{CLOSE_REASON_WORDS[agreement.close_reason].lower()}.",
            data={"meeting": agreement.meeting_id, "close_reason": agreement.close_reason},
        )
        Referral.objects.filter(pk=referral.pk).update(
            closed_reason=agreement.close_reason, closed_on=today, next_review_on=None
        )
        referral.closed_reason, referral.closed_on = agreement.close_reason, today
    return referral


def panel_case_reopen(
    *, referral: Referral, reason: str, next_review_on: dt.date | None, actor, version: int
) -> Referral:
    """Re-open a closed case, with why and when the panel hears it again."""
    _require_chair(actor, _kind_of(referral))
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the case is re-opened."
    if next_review_on is None:
        errors["next_review_on"] = "Enter when the panel hears the case again."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case_status_change(
            case=referral.case,
            to="open",
            actor=actor,
            version=version,
            reason=reason.strip(),
            event_kind="panel_case_reopened",
            summary=f"Re-opened; the panel hears it again by {next_review_on:%-d %B %Y}.",
        )
        Referral.objects.filter(pk=referral.pk).update(
            closed_reason="", closed_on=None, next_review_on=next_review_on
        )
        referral.closed_reason, referral.closed_on, referral.next_review_on = "", None, next_review_on
    return referral


# --- The minutes as issued documents (ADR 0086) --------------------------------------------------


def minutes_issues(meeting: StandingMeeting) -> int:
    """How many times the meeting's minutes have been issued (0: never). The issue form carries it."""
    latest = meeting.minutes_documents.order_by("-issue").values_list("issue", flat=True).first()
    return latest or 0


def _minutes_recipients(meeting: StandingMeeting) -> list[tuple]:
    """(agency, [items]) for every agency that attended or is on a case of the meeting, each with
    only the heard items of the cases it may receive (`_agency_may_receive`), by the agency's name."""
    items = list(
        meeting.items.filter(heard=True)
        .select_related("case", "referral__person")
        .prefetch_related("actions__owner_agency")
        .order_by("position")
    )
    agencies = {
        row.agency.pk: row.agency for row in meeting.attendance.filter(present=True).select_related("agency")
    }
    party = {}
    for item in items:
        party[item.pk] = case_party_agencies(item.case)
        for agency in party[item.pk]:
            agencies.setdefault(agency.pk, agency)
    return [
        (agency, [i for i in items if _agency_may_receive(i.case, agency)])
        for agency in sorted(agencies.values(), key=lambda a: a.name)
    ]


def _section(item: MeetingItem, kind: PanelKind) -> dict:
    referral = item.referral
    risk = (
        f"Risk {item.risk_level}"
        + (f" ({item.risk_tool}, score {item.risk_score})" if item.risk_tool else "")
        + "."
        if item.risk_level
        else ""
    )
    then = (
        f"The panel agreed to close the case: {CLOSE_REASON_WORDS[item.close_reason].lower()}."
        if item.close_agreed
        else f"Next review: {item.next_review_on:%-d %B %Y}."
        if item.next_review_on
        else ""
    )
    return {
        "reference": referral.case.reference,
        "subject": str(referral.person),
        "risk": risk,
        "discussion": item.discussion,
        "then": then,
        "actions": [
            {"description": a.description, "owner": a.owner_agency.name, "due_on": a.due_on}
            for a in item.actions.all()
        ],
    }


def _people_of(item: MeetingItem) -> list:
    """Everyone named on a case: its parties (people and alleged perpetrators) and the profile of
    the person referred, as the letters' disclosure check reads them."""
    from casereview.letters.redaction import Withheld

    referral = item.referral
    people = [
        Withheld(
            label="a person on a case this agency is not on",
            name=referral.person.full_name,
            aliases=tuple(referral.person.alias_list),
        )
    ]
    for party in case_parties(referral.case):
        if party.person_id:
            p = party.person
            people.append(
                Withheld(
                    label="a person on a case this agency is not on",
                    name=p.full_name or p.organisation_name,
                    address=p.address,
                    postcode=p.postcode,
                    date_of_birth=p.date_of_birth,
                    phones=(p.phone,) if p.phone else (),
                )
            )
        elif party.perpetrator_id:
            people.append(
                Withheld(label="a person on a case this agency is not on", name=party.perpetrator.name)
            )
    return people


def _not_theirs(all_items: list[MeetingItem], theirs: list[MeetingItem]) -> list:
    """The people of the meeting's other cases — never in this agency's minutes — less anyone also
    on one of its own cases (named there as of right)."""
    own_ids = {i.pk for i in theirs}
    own_names = {w.name.casefold() for i in theirs for w in _people_of(i) if w.name}
    return [
        w
        for i in all_items
        if i.pk not in own_ids
        for w in _people_of(i)
        if w.name and w.name.casefold() not in own_names
    ]


def minutes_issue(*, meeting: StandingMeeting, actor, read_issues: int | None, reason: str = "") -> list:
    """Issue the minutes of a held meeting: one document per agency that attended or is on a case,
    each holding only the sections of the cases that agency is on — a `standing_panel_minutes`
    letter (PDF, as issued) emailed through the outbox to the agency's contact address; a
    `panel_minutes_issued` event on each case it holds and a disclosure in the access log.

    Checked by the letters' disclosure control against the people of the meeting's other cases: a
    document that would name one (a discussion mentioning someone of another case) is refused,
    naming where, and nothing is issued. Issuing again is versioned: it needs a reason, and each
    agency's new document supersedes its last. `read_issues`: how many issues the page was read
    with (`minutes_issues`); another issue since refuses this one. All or nothing."""
    from casereview.letters.services import LetterError, LetterRedactionError, Recipient, letter_issue

    kind = _kind_of(meeting)
    _require_chair(actor, kind)
    refuse_sitting(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Record the meeting as held before issuing its minutes.")
    recipients = _minutes_recipients(meeting)
    missing = [agency.name for agency, _ in recipients if not agency.email]
    if missing:
        raise ValidationError(
            f"Record the contact email address of {', '.join(missing)} (Administration, agencies) before "
            "issuing the minutes: each agency's minutes are emailed to it."
        )
    all_items = [i for _, items in recipients for i in items]
    all_items = list({i.pk: i for i in all_items}.values())
    present = [
        f"{row.agency.name}" + (f" ({row.names})" if row.names else "")
        for row in meeting.attendance.filter(present=True).select_related("agency")
    ]
    apologies = [row.agency.name for row in meeting.attendance.filter(present=False).select_related("agency")]
    today = timezone.localdate()
    stored: list[str] = []
    documents = []
    try:
        with transaction.atomic():
            locked = StandingMeeting.objects.select_for_update().get(pk=meeting.pk)
            issued = minutes_issues(locked)
            if read_issues is not None and issued != read_issues:
                raise ValidationError(
                    "The minutes were issued by someone else after you opened this page: open the "
                    "meeting again to see what was sent."
                )
            if issued and not reason.strip():
                raise ValidationError(
                    {"reason": "The minutes have been issued already: say why they are issued again."}
                )
            issue = issued + 1
            previous = {
                d.agency_id: d.letter
                for d in locked.minutes_documents.filter(issue=issued).select_related("letter")
            }
            for agency, items in recipients:
                extra = {
                    "panel_name": kind.name,
                    "panel_date": meeting.held_on or meeting.meeting_on,
                    "present": present,
                    "apologies": apologies,
                    "cases": [_section(i, kind) for i in items],
                }
                try:
                    letter = letter_issue(
                        case=None,
                        partnership=meeting.partnership,
                        kind="standing_panel_minutes",
                        actor=actor,
                        extra=extra,
                        recipient=Recipient(name=agency.name, email=agency.email),
                        channel="email",
                        protected=_not_theirs(all_items, items),
                        supersedes=previous.get(agency.pk),
                        correction_reason=reason.strip() if issued else "",
                    )
                except LetterRedactionError as refusal:
                    raise ValidationError(
                        f"The minutes for {agency.name} cannot be issued: they would name someone of a "
                        "case that agency is not on. "
                        + " ".join(f.message() for f in refusal.findings)
                        + " Change the discussion of that case and issue the minutes again."
                    ) from refusal
                except LetterError as refusal:
                    raise ValidationError(refusal.message) from refusal
                stored.append(letter.pdf.name)
                documents.append(
                    MinutesDocument.objects.create(
                        meeting=locked,
                        agency=agency,
                        letter=letter,
                        issue=issue,
                        case_ids=[i.case_id for i in items],
                        reason=reason.strip() if issued else "",
                        issued_by=actor,
                        issued_on=today,
                    )
                )
                again = " again" if issued else ""
                for item in items:
                    case = item.case
                    case_event_record(
                        application=case,
                        kind="panel_minutes_issued",
                        summary=f"Minutes of {kind.name} on {meeting.meeting_on:%-d %B %Y} issued{again} "
                        f"to {agency.name} (letter {letter.pk}): this case's section only.",
                        actor=actor,
                        occurred_on=today,
                        data={
                            "meeting": meeting.pk,
                            "letter": letter.pk,
                            "agency": agency.pk,
                            "issue": issue,
                        },
                    )
                    audit_disclosure(
                        user=actor,
                        obj=case,
                        recipient=agency.name,
                        purpose=f"{kind.name}: the minutes of the meeting on {meeting.meeting_on:%-d %B %Y}",
                        lawful_basis=item.referral.lawful_basis
                        if item.referral.lawful_basis in LawfulBasis.values
                        else LawfulBasis.CDA_S115,
                        summary=f"Minutes of {kind.name} (this case's section) issued to {agency.name} "
                        f"as letter {letter.pk}",
                    )
    except BaseException:
        from casereview.letters.services import letter_files_remove

        letter_files_remove(stored)
        raise
    return documents
