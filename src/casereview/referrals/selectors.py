"""Who may refer, and who sees a referral: the officers of the agencies that sit on the panel (by
kind) refer; a referral is a case on the kernel (ADR 0064), so who sees it is decided by the one
access selector, `cases_visible_to`: the partnership-wide roles (the community safety team who
chair the panels) and the officers of the agencies party to the case (the referrer, the owners of
its actions). Anyone else: 404."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from casereview.accounts.models import Agency, Role
from casereview.applications.selectors import PARTNERSHIP_WIDE_ROLES, cases_visible_to
from casereview.audit.services import audit_read
from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import CASE_REVIEW, PanelKind

from .models import MeetingItem, Referral, StandingMeeting


def _signed_in(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and not is_verified())


def panel_kind_for(user, code: str) -> PanelKind | None:
    if not _signed_in(user):
        return None
    try:
        return user.partnership.policy.panel_kind(code)
    except PolicyError:
        return None


def may_refer(user, kind: PanelKind | None) -> bool:
    """Whether the user may refer to the panel: an officer of an agency of its member kinds. No one
    refers to the case review panel (ADR 0088): a review arrives when the review is accepted."""
    if kind is None or not _signed_in(user) or not user.roles or user.agency is None:
        return False
    if kind.code == CASE_REVIEW:
        return False
    return user.agency.kind in kind.member_agency_kinds


def panel_kinds_taking(user, route: str) -> list[PanelKind]:
    """The user's partnership's panel kinds that take referrals by this route
    (core.panel_kinds.ARRIVAL_ROUTES: a repeat caller's triage, a hotspot)."""
    if not _signed_in(user):
        return []
    try:
        kinds = user.partnership.policy.panel_kinds
    except PolicyError:
        return []
    return [kind for kind in kinds if route in kind.referred_from]


def referrals_visible_to(user) -> QuerySet[Referral]:
    return Referral.objects.filter(case__in=cases_visible_to(user))


def referral_get_for_user(user, pk: int) -> Referral:
    referral = (
        referrals_visible_to(user)
        .select_related("person", "place", "triage", "agency", "referred_by")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    audit_read(user=user, obj=referral, purpose="Panel referral")
    return referral


# --- The standing meetings (ADR 0064) ---------------------------------------------------------------


def _panel_codes_of(user) -> list[str]:
    """The panels this user sits on: as one of the policy's member roles, or as an officer of an
    agency of one of its member kinds."""
    if not _signed_in(user) or not user.roles:
        return []
    try:
        kinds = user.partnership.policy.standing_panel_kinds
    except PolicyError:
        return []
    agency_kind = user.agency.kind if user.agency_id else None
    return [k.code for k in kinds if k.is_member(agency_kind=agency_kind, roles=user.roles)]


def meetings_visible_to(user) -> QuerySet[StandingMeeting]:
    """The meetings of the panels this user sits on: every one for the partnership-wide roles (the
    chairs), and for an agency officer those with a case on the agenda they may see. What each
    shows of a case is decided per case by `cases_visible_to` (meetings.minutes_sections_for)."""
    codes = _panel_codes_of(user)
    if not codes:
        return StandingMeeting.objects.none()
    meetings = StandingMeeting.objects.filter(partnership_id=user.partnership_id, panel_kind__in=codes)
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return meetings
    # An agency officer: the meetings with a case of theirs on the agenda.
    theirs = MeetingItem.objects.filter(meeting=OuterRef("pk"), case__in=cases_visible_to(user))
    return meetings.filter(Exists(theirs))


def meetings_with_visible_counts(user, meetings: QuerySet[StandingMeeting]) -> QuerySet[StandingMeeting]:
    """`meetings` with `cases_seen`: how many cases on each agenda this user may see (the one
    access selector), counted in the database."""
    seen = (
        MeetingItem.objects.filter(meeting=OuterRef("pk"), case__in=cases_visible_to(user))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return meetings.annotate(cases_seen=Coalesce(Subquery(seen), 0))


def sits_on(user, kind: PanelKind | None) -> bool:
    """Whether the user sits on the panel (its member roles, or an officer of a member kind): who
    may open its lists (its cases, its meetings or sittings) — its chairs (the member roles) and
    the officers who may refer to it (of a member kind), and for the case review panel, to which
    no one refers, those who sit on it (ADR 0088)."""
    return kind is not None and kind.code in _panel_codes_of(user)


def panel_kinds_sat_on(user) -> list[PanelKind]:
    """The panels this user sits on (`sits_on`), in the policy's order, the case review panel
    last unless the policy declares it: the panels whose lists the user may open, and so the ones
    the pages that point to those lists name (the panel meetings list, `/panels/`)."""
    codes = _panel_codes_of(user)
    if not codes:
        return []
    return [kind for kind in user.partnership.policy.standing_panel_kinds if kind.code in codes]


def meeting_get_for_user(user, pk: int) -> StandingMeeting:
    meeting = meetings_visible_to(user).select_related("partnership", "chair").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def agencies_of_kinds(partnership, kinds) -> list[Agency]:
    """The partnership's agencies of the panel's member kinds, by name."""
    return list(Agency.objects.filter(partnership=partnership, kind__in=list(kinds)).order_by("name"))


def may_see_figures(user) -> bool:
    """Counts only, no person: the partnership-wide roles and analysts."""
    return _signed_in(user) and user.has_role(*PARTNERSHIP_WIDE_ROLES, Role.ANALYST)
