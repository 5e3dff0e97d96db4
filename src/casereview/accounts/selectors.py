"""Reads of staff by partnership (ADR 0041). Other apps find a partnership's people here, never by
filtering `User` themselves: a user may work in several partnerships, with an agency and roles in
each, so "the SPOCs of this partnership" means those granted SPOC *in it*.

Each user returned works in that partnership (its membership is the only one prefetched), so
`user.agency` and `user.roles` on them are those of that partnership.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from .models import Membership, Partnership, RoleGrant, User


def memberships_in(partnership_id, *, through: str = "") -> Prefetch:
    """`prefetch_related(memberships_in(p))`: users fetched with it work in partnership `p`
    (`through="actor__"` for the users a relation names)."""
    return Prefetch(
        f"{through}memberships",
        queryset=Membership.objects.filter(partnership_id=partnership_id).select_related(
            "agency", "partnership"
        ),
    )


def staff_in(
    partnership_id,
    *,
    roles: Iterable[str] = (),
    with_agency: bool = False,
    agency_id: int | None = None,
    agency_kind: str | None = None,
    active_only: bool = True,
) -> QuerySet[User]:
    """The people who work in this partnership, optionally only those holding one of `roles` there
    or working for an agency (a given one, or of a kind) there."""
    member = Membership.objects.filter(user=OuterRef("pk"), partnership_id=partnership_id)
    if with_agency:
        member = member.filter(agency__isnull=False)
    if agency_id is not None:
        member = member.filter(agency_id=agency_id)
    if agency_kind is not None:
        member = member.filter(agency__kind=agency_kind)
    users = User.objects.filter(Exists(member))
    if active_only:
        users = users.filter(is_active=True)
    roles = tuple(roles)
    if roles:
        granted = RoleGrant.objects.filter(user=OuterRef("pk"), partnership_id=partnership_id, role__in=roles)
        users = users.filter(Exists(granted))
    return users.prefetch_related(memberships_in(partnership_id))


def partnerships_of(user) -> list[Partnership]:
    """The partnerships this user works in, by name (the chooser's choices)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return []
    return list(Partnership.objects.filter(memberships__user=user).order_by("name"))
