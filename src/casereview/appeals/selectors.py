"""Reads for appeals. Every appeal is reached through the case it belongs to, so access follows
`applications.selectors.applications_visible_to`: an appeal on a case out of scope is a 404."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from casereview.accounts.models import Role
from casereview.applications.selectors import (
    Application,
    CaseEvent,
    Status,
    applications_visible_to,
    case_by_reference,
)

from .models import Appeal, AppealLookupFailure, AppealStatus, DecisionAppealed
from .models import AppealOutcome as AppealOutcome  # re-exported for the figures (issue 15)

#: Who works with appeals: lodging them for the victim, and seeing them. Agency officers see the
#: case timeline ("appeal lodged") but not the appellant's explanation.
APPEAL_STAFF_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.SENIOR_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.CHIEF_EXECUTIVE,
    Role.ADMINISTRATOR,
)
#: Who may decide an appeal: someone senior who was not the original decision maker.
APPEAL_DECIDER_ROLES = (Role.SENIOR_MANAGER, Role.HEAD_OF_SERVICE)

#: The letter kinds that open an appeal window, and the decision each one tells the victim about.
LETTER_DECISIONS = {
    "threshold_not_met": DecisionAppealed.THRESHOLD_NOT_MET,
    "ineligible": DecisionAppealed.THRESHOLD_NOT_MET,
    "outcome": DecisionAppealed.REVIEW_OUTCOME,
}


def user_handles_appeals(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*APPEAL_STAFF_ROLES))


def user_decides_appeals(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*APPEAL_DECIDER_ROLES))


def appeals_visible_to(user) -> QuerySet[Appeal]:
    if not user_handles_appeals(user):
        return Appeal.objects.none()
    return Appeal.objects.filter(application__in=applications_visible_to(user)).select_related("application")


def appeal_get_for_user(user, pk: int) -> Appeal:
    appeal = appeals_visible_to(user).filter(pk=pk).first()
    if appeal is None:
        raise Http404("No such appeal")
    return appeal


def appeal_list_for_user(user, *, status: str = "", query: str = "") -> QuerySet[Appeal]:
    appeals = appeals_visible_to(user)
    if status in AppealStatus.values:
        appeals = appeals.filter(status=status)
    if query.strip():
        appeals = appeals.filter(application__reference__icontains=query.strip())
    return appeals.order_by("status", "lodged_on", "id")


# --- The appeal window ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealWindow:
    decision: str
    letter_event: CaseEvent | None
    letter_issued_on: dt.date | None
    window: str
    ends_on: dt.date | None

    def is_late(self, lodged_on: dt.date) -> bool:
        return self.ends_on is not None and lodged_on > self.ends_on

    @property
    def decision_label(self) -> str:
        return DecisionAppealed(self.decision).label


def _appeal_letters(application: Application) -> list[CaseEvent]:
    events = application.events.filter(kind="letter_issued").order_by("occurred_on", "at", "id")
    return [
        e
        for e in events
        if (e.data or {}).get("appeal_window_starts") or (e.data or {}).get("letter_kind") in LETTER_DECISIONS
    ]


def _panel_held(application: Application) -> bool:
    return application.events.filter(kind="panel_held").exists()


def appealable_decisions(application: Application) -> list[str]:
    """The decisions on this case that can be appealed now: the threshold decision while the case
    stands declined, and the review's outcome once a panel has met."""
    decisions = []
    panel_held = _panel_held(application)
    if application.status == Status.DECLINED or (application.status == Status.CLOSED and not panel_held):
        decisions.append(DecisionAppealed.THRESHOLD_NOT_MET)
    if panel_held:
        decisions.append(DecisionAppealed.REVIEW_OUTCOME)
    return decisions


def appeal_window_for(application: Application, decision: str) -> AppealWindow:
    """The window for appealing `decision`: the policy's appeal_window from the latest letter
    telling the victim of that decision. No letter yet: the window has not started."""
    policy = application.partnership.policy
    deadline = policy.deadline("appeal_window")
    letter = None
    for event in _appeal_letters(application):
        if LETTER_DECISIONS.get((event.data or {}).get("letter_kind"), decision) == decision:
            letter = event
    if letter is None or deadline is None:
        return AppealWindow(
            decision=decision,
            letter_event=letter,
            letter_issued_on=letter.occurred_on if letter else None,
            window=str(deadline.within) if deadline else "",
            ends_on=None,
        )
    return AppealWindow(
        decision=decision,
        letter_event=letter,
        letter_issued_on=letter.occurred_on,
        window=str(deadline.within),
        ends_on=policy.due_on("appeal_window", letter.occurred_on),
    )


def grounds_for(application: Application, decision: str) -> list[tuple[str, str]]:
    """The grounds the local policy allows for appealing `decision`, as (code, label)."""
    appeals = application.partnership.policy.appeals
    if appeals is None:
        return []
    return [(g.code, g.label) for g in appeals.grounds if decision in g.applies_to]


def heard_by(application: Application) -> str:
    appeals = application.partnership.policy.appeals
    return appeals.heard_by if appeals else application.partnership.name


def original_decision_makers(application: Application, decision: str) -> set[int]:
    """The users who made the decision under appeal: who decided the threshold, or who recorded the
    panel and sent the outcome. They may not hear the appeal."""
    if decision == DecisionAppealed.THRESHOLD_NOT_MET:
        return set(application.decisions.values_list("decided_by_id", flat=True))
    ids = set(application.events.filter(kind="panel_held").values_list("actor_id", flat=True))
    ids |= set(
        application.events.filter(kind="letter_issued", data__letter_kind="outcome").values_list(
            "actor_id", flat=True
        )
    )
    return {i for i in ids if i is not None}


# --- Online: finding the case from what the appellant knows ----------------------------------------


def _normal_postcode(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").upper())


def _normal_email(text: str) -> str:
    return (text or "").strip().casefold()


def application_for_appellant(*, reference: str, detail: str) -> Application | None:
    """The case with this reference, if `detail` is the postcode or email address of the victim or
    of the applicant on it; otherwise None — the same None whether or not the reference exists."""
    application = case_by_reference(reference)
    given = detail or ""
    known = []
    if application is not None:
        for person in (application.victim, application.applicant):
            if person is None:
                continue
            known += [("postcode", _normal_postcode(person.postcode)), ("email", _normal_email(person.email))]
    matched = False
    for kind, value in known or [("postcode", "\x00unknown")]:
        candidate = _normal_postcode(given) if kind == "postcode" else _normal_email(given)
        if value and hmac.compare_digest(candidate.encode(), value.encode()):
            matched = True
    return application if matched else None


def reference_key(reference: str) -> str:
    """A key for throttling attempts on one reference, without keeping the reference itself."""
    return hashlib.sha256((reference or "").strip().upper().encode()).hexdigest()[:32]


#: The online guess limit: this many failed look-ups on one reference within the window stop
#: every further try on it (right or wrong) until the oldest falls out of the window.
LOOKUP_MAX_FAILURES = 5
LOOKUP_WINDOW = dt.timedelta(hours=1)


def appeal_lookup_failures_recent(*, reference: str, now: dt.datetime) -> int:
    """Failed online look-ups on this reference in the last LOOKUP_WINDOW (every worker's)."""
    return AppealLookupFailure.objects.filter(
        reference_key=reference_key(reference), failed_at__gt=now - LOOKUP_WINDOW
    ).count()


def appeal_lookup_blocked(*, reference: str, now: dt.datetime) -> bool:
    return appeal_lookup_failures_recent(reference=reference, now=now) >= LOOKUP_MAX_FAILURES


def appeals_for_victim(application) -> list[Appeal]:
    """The case's appeals, newest first, for the person's own view (its status and outcome only)."""
    return list(Appeal.objects.filter(application=application).order_by("-lodged_on", "-id"))


def threshold_appeal_state(application: Application) -> tuple[str, dt.date | None]:
    """The partnership's own appeal against the threshold decision, for the local policing body's
    route (core.lpb_review): ("none" | "open" | "decided", the day its decision letter went out)."""
    appeal = (
        application.appeals.filter(decision_appealed=DecisionAppealed.THRESHOLD_NOT_MET)
        .order_by("-lodged_on", "-id")
        .first()
    )
    if appeal is None:
        return "none", None
    if appeal.status == AppealStatus.LODGED:
        return "open", None
    return "decided", appeal.decided_on


def appeals_lodged_by(*, application_ids, as_at: dt.date) -> QuerySet[Appeal]:
    """The appeals on these cases lodged on or before `as_at`, not scoped to a user: for the
    published figures (casereview.statistics), which count them."""
    return Appeal.objects.filter(application_id__in=application_ids, lodged_on__lte=as_at)
