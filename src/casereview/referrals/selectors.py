"""Who may refer, and who sees a referral: the officers of the agencies that sit on the panel (by
kind) refer; a referral is seen by the referring agency's officers and by the panel's member roles
(the community safety team who chair it). Anyone else: 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from casereview.audit.services import audit_read
from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import PanelKind

from .models import Referral


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
    if kind is None or not _signed_in(user) or not user.roles or user.agency is None:
        return False
    return user.agency.kind in kind.member_agency_kinds


def referrals_visible_to(user) -> QuerySet[Referral]:
    if not _signed_in(user) or not user.roles:
        return Referral.objects.none()
    try:
        kinds = user.partnership.policy.panel_kinds
    except PolicyError:
        kinds = ()
    chaired = [k.code for k in kinds if any(role in k.member_roles for role in user.roles)]
    mine = Q(agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
    return Referral.objects.filter(partnership_id=user.partnership_id).filter(
        mine | Q(panel_kind__in=chaired)
    )


def referral_get_for_user(user, pk: int) -> Referral:
    referral = (
        referrals_visible_to(user).select_related("person", "agency", "referred_by").filter(pk=pk).first()
    )
    if referral is None:
        raise Http404("No such referral")
    audit_read(user=user, obj=referral, purpose="Panel referral")
    return referral
