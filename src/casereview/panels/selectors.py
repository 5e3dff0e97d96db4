"""Reads for the panel. Every query about a case starts from `applications_visible_to(user)`."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404

from casereview.accounts.models import Role
from casereview.applications.selectors import applications_visible_to
from casereview.reviews.permissions import can_run_review
from casereview.reviews.selectors import spoc_prior_involvement

from .models import MeetingStatus, PanelMeeting
from .quorum import QuorumResult, Seat, quorum_check


def meetings_visible_to(user) -> QuerySet[PanelMeeting]:
    """Meetings on cases the user can see. An agency officer sees a meeting only if they are a
    member of it or their agency is party to the case (the case selector decides the latter)."""
    return PanelMeeting.objects.filter(case__in=applications_visible_to(user)).select_related("case")


def meeting_get_for_user(user, pk: int) -> PanelMeeting:
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def meeting_quorum(meeting: PanelMeeting) -> QuorumResult:
    """The policy's quorum rule applied to this meeting's members (attendance once held)."""
    seats = [
        Seat(
            role=m.role,
            agency_kind=m.agency.kind if m.agency_id else None,
            user_id=m.user_id,
            attended=m.attended,
        )
        for m in meeting.members.select_related("agency")
    ]
    return quorum_check(
        seats,
        panel=meeting.case.partnership.policy.panel,
        after_meeting=meeting.is_held,
        victim_voice=meeting.victim_voice if meeting.is_held else None,
    )


def chair_independence(meeting: PanelMeeting) -> list[str]:
    """Prior involvement of the chair(s) in the case, as for the SPOC."""
    findings = []
    for member in meeting.members.filter(role="independent_chair", user__isnull=False).select_related("user"):
        for line in spoc_prior_involvement(application=meeting.case, user=member.user):
            findings.append(f"{member.name}: {line}")
    return findings


def can_read_panel_papers(user, meeting: PanelMeeting) -> bool:
    """The chair's pack and minutes: panel members, the people running the review, panel chairs."""
    return (
        can_run_review(user, meeting.case)
        or meeting.members.filter(user=user).exists()
        or (user.partnership_id == meeting.case.partnership_id and user.has_role(Role.PANEL_CHAIR))
    )


def upcoming_meetings_for(user) -> QuerySet[PanelMeeting]:
    return (
        meetings_visible_to(user).filter(status=MeetingStatus.SCHEDULED).order_by("meeting_on", "starts_at")
    )


def case_meetings(application) -> list[PanelMeeting]:
    """All the case's meetings, newest first, each with the victim's says, read once for a case
    object (the victim's sent items in the portal ask for them more than once). Kept as the case's
    prefetched `panel_meetings` (Django's cache, dropped with the object)."""
    if "panel_meetings" not in getattr(application, "_prefetched_objects_cache", {}):
        prefetch_related_objects(
            [application],
            Prefetch(
                "panel_meetings",
                queryset=PanelMeeting.objects.prefetch_related("victim_views").order_by("-meeting_on", "-id"),
            ),
        )
    return list(application.panel_meetings.all())


def case_meeting_latest(application) -> PanelMeeting | None:
    """The case's latest meeting (`case_meetings(application)[0]`), for the panel's section of the
    case: one row, without the others or the victim's says."""
    return application.panel_meetings.order_by("-meeting_on", "-id").first()


def meetings_for_victim(application) -> list[PanelMeeting]:
    """The case's meetings the victim is told of (scheduled or held, never cancelled ones), newest
    first. What the victim may read of one: its date and time, never the venue, members or papers."""
    return [m for m in case_meetings(application) if m.status != MeetingStatus.CANCELLED]


def victim_view_latest(meeting: PanelMeeting):
    """The victim's latest say on how their voice is heard at `meeting`, or None (from the
    meeting's prefetched says when it has them: no query a meeting)."""
    return max(meeting.victim_views.all(), key=lambda view: (view.given_at, view.id), default=None)


def review_links(item_ids) -> dict[int, str]:
    """The panel page of each review heard at a case review sitting, by its item (ADR 0088):
    registered with `referrals.sittings` so the sitting's page links each review it may show."""
    from django.urls import reverse

    return {
        item_id: reverse("panels:meeting", args=[pk])
        for pk, item_id in PanelMeeting.objects.filter(item_id__in=list(item_ids)).values_list(
            "pk", "item_id"
        )
    }
