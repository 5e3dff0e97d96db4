"""What the person sees in their own view of the review, and what they may do there.

Who sees what (ADR 0054):
- the victim: everything below;
- a third-party applicant whom the victim has consented to (`victim_consent` is True): the same,
  except giving the victim's view to the panel (the victim's own voice) — they may still withdraw
  and appeal, as the person who applied;
- a third-party applicant without that consent: where the application is and what happens next,
  the letters addressed to them, and adding a diary entry or a file. Not the panel, the agreed
  actions, the outcome, the appeal or withdrawing: those are the victim's.

Every text shown passes the letters' perpetrator check (core.disclosure, as letters do): a text that
names a recorded alleged perpetrator is not shown, and the page says the SPOC will tell them.
Only actions the agencies agreed to share with the victim (`share_with_victim`) are listed, and of
them only the description, the due date and the progress — never the owners' notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casereview.actions.selectors import actions_for_letter
from casereview.appeals.selectors import appeal_window_for, appealable_decisions, appeals_for_victim
from casereview.applications.selectors import case_clocks
from casereview.letters.checks import perpetrator_details_in
from casereview.letters.selectors import letters_addressed_to
from casereview.lpbreviews.selectors import portal_route
from casereview.panels.selectors import meetings_for_victim, victim_view_latest

from .models import DiaryEntry, PortalRole, Upload


@dataclass(frozen=True)
class Viewer:
    """The person signed in to their own view: the case and who they are on it."""

    case: object
    role: str

    @property
    def person(self):
        return self.case.applicant if self.role == PortalRole.APPLICANT else self.case.victim

    @property
    def is_victim(self) -> bool:
        return self.role == PortalRole.VICTIM

    @property
    def sees_all(self) -> bool:
        """The victim, or an applicant the victim consented to."""
        return self.is_victim or self.case.victim_consent is True

    @property
    def may_give_view(self) -> bool:
        return self.is_victim

    @property
    def may_withdraw(self) -> bool:
        return self.sees_all and self.case.status in WITHDRAWABLE


WITHDRAWABLE = {"received", "acknowledged", "awaiting_consent", "accepted", "in_review", "panel_held"}


def safe_text(case, text: str) -> str:
    """`text` if it carries no recorded alleged perpetrator's detail, else "" (the page then says
    the SPOC will explain)."""
    if not text or perpetrator_details_in(case=case, text=text, where="the page"):
        return ""
    return text


def stage_words(status: str) -> str:
    return {
        "received": _("We have received your application."),
        "acknowledged": _(
            "We have acknowledged your application and are looking at the reports of what happened."
        ),
        "awaiting_consent": _("We are waiting for the victim to agree to the review."),
        "declined": _("We decided that the review cannot go ahead."),
        "accepted": _("The review is going ahead."),
        "in_review": _("The review is in progress: the agencies are sharing what they know."),
        "panel_held": _("The review panel has met."),
        "monitoring": _(
            "The agencies are carrying out the agreed actions, and we are checking their progress."
        ),
        "closed": _("The review is finished."),
        "withdrawn": _("The application was withdrawn."),
    }.get(status, _("We are looking at your application."))


#: The clocks a victim is told of, as "what happens next" sentences (%(date)s in words).
def _clock_sentence(name: str) -> str:
    return {
        "acknowledge": _("We will acknowledge your application by %(date)s."),
        "threshold_decision": _("We will decide whether the review can go ahead by %(date)s."),
        "spoc_appointment": _("We will tell you who your single point of contact is by %(date)s."),
        "victim_contact": _("Your single point of contact will get in touch by %(date)s."),
        "outcome_letter": _("We will write to you with the panel's outcome by %(date)s."),
        "appeal_window": _("You can appeal until %(date)s."),
    }.get(name, "")


def date_words(day: dt.date, *, today: dt.date) -> str:
    """ "Friday 11 December" (in Welsh on a Welsh page: "dydd Gwener 11 Rhagfyr"), with the year when
    it is not this year's."""
    return date_format(day, "l j F" if day.year == today.year else "l j F Y")


@dataclass(frozen=True)
class NextStep:
    sentence: str  # with %(date)s
    due_on: dt.date
    today: dt.date

    @property
    def text(self) -> str:
        return self.sentence % {"date": date_words(self.due_on, today=self.today)}


def next_steps(case, *, today: dt.date) -> list[NextStep]:
    """From the case's stored clocks: the outstanding ones the victim is owed, earliest first."""
    steps = []
    for clock in case_clocks(case, today=today):
        sentence = _clock_sentence(clock.name)
        if not sentence or clock.done_on is not None or clock.party:
            continue
        if clock.name == "appeal_window" and clock.due_on < today:
            continue
        steps.append(NextStep(sentence, clock.due_on, today))
    return sorted(steps, key=lambda s: s.due_on)


@dataclass
class PanelView:
    meeting: object
    latest_view: object | None
    is_scheduled: bool
    outcome: str = ""
    outcome_withheld: bool = False


@dataclass
class ActionView:
    description: str
    withheld: bool
    due_on: dt.date
    status: str
    completed_on: dt.date | None


@dataclass
class PageData:
    viewer: Viewer
    stage: str
    steps: list[NextStep]
    letters: list = field(default_factory=list)
    panels: list[PanelView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)
    appeals: list = field(default_factory=list)
    can_appeal: bool = False
    appeal_until: dt.date | None = None
    #: The local policing body's review route (lpbreviews.selectors.portal_route); None: not offered.
    lpb: dict | None = None
    diary: list = field(default_factory=list)
    uploads: list = field(default_factory=list)


def panels_for(viewer: Viewer) -> list[PanelView]:
    views = []
    for meeting in meetings_for_victim(viewer.case):
        outcome = safe_text(viewer.case, meeting.outcome_summary) if meeting.outcome_issued_on else ""
        views.append(
            PanelView(
                meeting=meeting,
                latest_view=victim_view_latest(meeting),
                is_scheduled=meeting.status == "scheduled",
                outcome=outcome,
                outcome_withheld=bool(meeting.outcome_issued_on and meeting.outcome_summary and not outcome),
            )
        )
    return views


def actions_for(viewer: Viewer) -> list[ActionView]:
    rows = []
    for action in actions_for_letter(viewer.case, shared_only=True):
        text = safe_text(viewer.case, action.description)
        rows.append(
            ActionView(
                description=text,
                withheld=not text,
                due_on=action.effective_due_on,
                status=action.status,
                completed_on=action.completed_on,
            )
        )
    return rows


def appeal_decision(case) -> str | None:
    """The decision the person can appeal now: the one of the latest letter that opened a window."""
    decisions = appealable_decisions(case)
    if not decisions:
        return None
    dated = [(appeal_window_for(case, d).letter_issued_on, d) for d in decisions]
    dated = [x for x in dated if x[0] is not None]
    return max(dated)[1] if dated else decisions[0]


def page_data(viewer: Viewer, *, today: dt.date) -> PageData:
    case = viewer.case
    data = PageData(
        viewer=viewer,
        stage=stage_words(case.status),
        steps=next_steps(case, today=today),
        letters=list(letters_addressed_to(case, viewer.person)),
        diary=list(DiaryEntry.objects.filter(case=case, role=viewer.role)[:20]),
        uploads=list(Upload.objects.filter(case=case, role=viewer.role).order_by("-uploaded_at")[:20]),
    )
    if not viewer.sees_all:
        # Without the victim's consent the applicant is not told of the victim's appeal window either.
        data.steps = [s for s in data.steps if s.sentence != _clock_sentence("appeal_window")]
        return data
    data.panels = panels_for(viewer)
    data.actions = actions_for(viewer)
    data.appeals = appeals_for_victim(case)
    decision = appeal_decision(case)
    if decision and not any(a.decision_appealed == decision and a.status == "lodged" for a in data.appeals):
        data.can_appeal = True
        data.appeal_until = appeal_window_for(case, decision).ends_on
    data.lpb = portal_route(case, on=today)
    return data


# --- What the staff see on the case (ADR 0072) ----------------------------------------------------


@dataclass
class SentItems:
    """What the victim's side sent from their own view, for the case page's section: every diary
    entry (newest incident first), every upload with its scan status, and the latest view for each
    panel meeting (the one that counts, docs/portal.md)."""

    diary: list
    uploads: list
    views: list  # (meeting, its latest VictimView)

    @property
    def to_review(self) -> int:
        return sum(1 for entry in self.diary if entry.reviewed_at is None)

    def __bool__(self) -> bool:
        return bool(self.diary or self.uploads or self.views)


def sent_items_for_case(case) -> SentItems:
    views = []
    for meeting in meetings_for_victim(case):
        latest = victim_view_latest(meeting)
        if latest is not None:
            views.append((meeting, latest))
    return SentItems(
        diary=list(DiaryEntry.objects.filter(case=case).select_related("reviewed_by")),
        uploads=list(Upload.objects.filter(case=case).order_by("-uploaded_at", "-id")),
        views=views,
    )


def diary_entry_of_case(case, entry_id: int) -> DiaryEntry | None:
    return DiaryEntry.objects.filter(case=case, pk=entry_id).select_related("reviewed_by").first()


def upload_of_case(case, upload_id: int) -> Upload | None:
    return Upload.objects.filter(case=case, pk=upload_id).first()
