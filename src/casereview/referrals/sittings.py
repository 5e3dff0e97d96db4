"""The ASB Case Review panel's sittings (ADR 0088): the review panel meets on the standing-panel
machinery. A *sitting* is a `StandingMeeting` of the kind `case_review` (the policy's, or core's
default: `core.panel_kinds.CASE_REVIEW_KIND`); each review heard at it is a `MeetingItem` of the
review's case, with no referral. One sitting hears every review the partnership's panel meets
about on that date.

The review's statutory record — members, quorum, independent chair, the victim's voice, minutes,
recommendations, outcome letter — stays the review's (`panels.PanelMeeting`, one-to-one with its
item; `panels.services` writes it and calls these functions in the same transaction). So the
standing-panel writes of `referrals.meetings` (attendance, discussion, actions, minutes, holding)
refuse a sitting: here the sitting only follows what the reviews' records say.

The referrals app sits below the panels app (tests/test_architecture.py LAYERS): it never imports
it. The panels app registers how to link an item to its review's page (`register_review_links`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db.models import Max

from casereview.core.panel_kinds import CASE_REVIEW
from casereview.web.concurrency import row_lock

from .models import AgencyAttendance, MeetingItem, MeetingStatus, StandingMeeting

#: Why a review is on a sitting's agenda (MeetingItem.why).
REVIEW_WHY = "case_review"

ReviewLinks = Callable[[Iterable[int]], dict[int, str]]
_REVIEW_LINKS: dict[str, ReviewLinks] = {}


def is_sitting(meeting: StandingMeeting) -> bool:
    """Whether the meeting is a sitting of the case review panel."""
    return meeting.panel_kind == CASE_REVIEW


def refuse_sitting(meeting: StandingMeeting) -> None:
    """The standing-panel writes that a sitting does not take: its reviews are recorded on their
    own panel pages."""
    if is_sitting(meeting):
        raise ValidationError(
            "This is a sitting of the ASB Case Review panel: each review heard at it is recorded on "
            "its own panel page (who attended, the victim's voice, the minutes and the decisions)."
        )


def register_review_links(name: str, links: ReviewLinks) -> None:
    """``links(item_ids)`` → {item id: the URL of the review's panel page}. Registered by the
    panels app at ready(); registering the same name again replaces it."""
    _REVIEW_LINKS[name] = links


def review_links(item_ids: Iterable[int]) -> dict[int, str]:
    ids = list(item_ids)
    found: dict[int, str] = {}
    for links in _REVIEW_LINKS.values():
        found.update(links(ids))
    return found


def sitting_item_add(*, case, meeting_on: dt.date, actor) -> MeetingItem:
    """Put the review on the agenda of the partnership's case review sitting on `meeting_on`,
    making the sitting if there is none. Run inside the caller's transaction (panel_schedule). The
    partnership's row is locked first, so two reviews scheduled at once on a new date share one
    sitting. A sitting held already on that date takes the new review and is scheduled again."""
    row_lock(case.partnership)
    sitting = (
        StandingMeeting.objects.select_for_update()
        .filter(partnership_id=case.partnership_id, panel_kind=CASE_REVIEW, meeting_on=meeting_on)
        .order_by("id")
        .first()
    )
    if sitting is None:
        sitting = StandingMeeting.objects.create(
            partnership_id=case.partnership_id, panel_kind=CASE_REVIEW, meeting_on=meeting_on, chair=actor
        )
    elif sitting.status == MeetingStatus.HELD:
        sitting.status, sitting.held_on = MeetingStatus.SCHEDULED, None
        sitting.version += 1
        sitting.save(update_fields=["status", "held_on", "version"])
    position = (sitting.items.aggregate(n=Max("position"))["n"] or 0) + 1
    return MeetingItem.objects.create(meeting=sitting, case=case, position=position, why=REVIEW_WHY)


def sitting_item_remove(*, item: MeetingItem) -> None:
    """A review's meeting is cancelled: its item leaves the sitting. A sitting left with no review
    is removed while it is still only scheduled; one whose other reviews are all heard is held."""
    sitting = StandingMeeting.objects.select_for_update().get(pk=item.meeting_id)
    item.delete()
    if not sitting.items.exists():
        if sitting.status == MeetingStatus.SCHEDULED:
            sitting.delete()
        return
    _settle(sitting)


def sitting_item_heard(*, item: MeetingItem, held_on: dt.date, present: dict, apologies: Iterable) -> None:
    """A review's meeting is recorded: its item is heard, the agencies whose members attended are
    present at the sitting (`present`: agency → names), those whose members did not are listed
    with apologies unless present for another review, and the sitting is held once every review
    on it is heard."""
    sitting = StandingMeeting.objects.select_for_update().get(pk=item.meeting_id)
    MeetingItem.objects.filter(pk=item.pk).update(heard=True)
    item.heard = True
    for agency, names in present.items():
        row = AgencyAttendance.objects.filter(meeting=sitting, agency=agency).first()
        if row is None:
            AgencyAttendance.objects.create(meeting=sitting, agency=agency, present=True, names=names[:300])
        else:
            known = [n for n in row.names.split(", ") if n] if row.present else []
            merged = known + [n for n in names.split(", ") if n and n not in known]
            row.present, row.names = True, ", ".join(merged)[:300]
            row.save(update_fields=["present", "names"])
    for agency in apologies:
        if agency in present:
            continue
        AgencyAttendance.objects.get_or_create(meeting=sitting, agency=agency, defaults={"present": False})
    _settle(sitting, held_on=held_on)


def _settle(sitting: StandingMeeting, *, held_on: dt.date | None = None) -> None:
    """Held once every review on it is heard (on the latest day one was recorded as held)."""
    if sitting.items.filter(heard=False).exists() or sitting.status == MeetingStatus.HELD:
        if held_on and sitting.status == MeetingStatus.HELD and (sitting.held_on or held_on) < held_on:
            sitting.held_on = held_on
            sitting.save(update_fields=["held_on"])
        return
    sitting.status = MeetingStatus.HELD
    sitting.held_on = held_on or sitting.held_on or sitting.meeting_on
    sitting.version += 1
    sitting.save(update_fields=["status", "held_on", "version"])


def sitting_of(item_id: int | None) -> StandingMeeting | None:
    """The sitting an item is on (for the review's page to name and link it)."""
    if item_id is None:
        return None
    return StandingMeeting.objects.filter(items__pk=item_id).first()
