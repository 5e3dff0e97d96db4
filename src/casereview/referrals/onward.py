"""The standing panels' routes from the report log (issue 16), registered with `reports.onward`:
a repeat caller's triage that found vulnerability and risk offers a referral to each panel that
takes repeat callers (`referred_from = ["repeat_caller_triage"]`), and a current hotspot offers an
Enhanced Partnership Response (`referred_from = ["hotspot"]`). Once a referral is made from one,
the page links to it instead — if the user may see the case (`cases_visible_to`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from casereview.reports.onward import Onward

from .models import Referral, ReferralSource
from .selectors import may_refer, panel_kinds_taking, referrals_visible_to


def _made(user, referrals) -> list[Onward]:
    return [
        Onward(
            text=f"Referred to {referral.kind_name}: case {referral.case.reference}",
            url=reverse("referrals:referral", args=[referral.pk]),
        )
        for referral in referrals
    ]


def _with_kind_names(user, referrals: list[Referral]) -> list[Referral]:
    names = {kind.code: kind.name for kind in user.partnership.policy.panel_kinds}
    for referral in referrals:
        referral.kind_name = names.get(referral.panel_kind, referral.panel_kind)
    return referrals


def triage_routes(*, user, triages) -> dict[int, list[Onward]]:
    """For each triage: the referrals made from it that the user may see; else, when the triage
    found the caller vulnerable and at risk (not low), the route to each panel that takes them."""
    kinds = [kind for kind in panel_kinds_taking(user, "repeat_caller_triage") if may_refer(user, kind)]
    made = _with_kind_names(
        user,
        list(
            referrals_visible_to(user)
            .filter(source=ReferralSource.REPEAT_CALLER_TRIAGE, triage__in=[t.pk for t in triages])
            .select_related("case")
            .order_by("id")
        ),
    )
    routes: dict[int, list[Onward]] = {}
    for triage in triages:
        theirs = [referral for referral in made if referral.triage_id == triage.pk]
        if theirs:
            routes[triage.pk] = _made(user, theirs)
        elif triage.vulnerable and triage.risk != "low":
            routes[triage.pk] = [
                Onward(
                    text=f"Refer to the {kind.name} panel",
                    url=f"{reverse('referrals:new', args=[kind.code])}?{urlencode({'triage': triage.pk})}",
                    hidden=f"(triage of {triage.as_of:%-d %B %Y})",
                )
                for kind in kinds
            ]
    return routes


def hotspot_routes(*, user, locations) -> dict[str, list[Onward]]:
    """For each hotspot location: the open referrals made from it that the user may see; else the
    route to each panel that takes hotspots (an Enhanced Partnership Response)."""
    kinds = [kind for kind in panel_kinds_taking(user, "hotspot") if may_refer(user, kind)]
    made = _with_kind_names(
        user,
        list(
            referrals_visible_to(user)
            .filter(source=ReferralSource.HOTSPOT, hotspot_location__in=list(locations))
            .exclude(case__status="closed")
            .select_related("case")
            .order_by("id")
        ),
    )
    routes: dict[str, list[Onward]] = {}
    for location in locations:
        theirs = [referral for referral in made if referral.hotspot_location == location]
        if theirs:
            routes[location] = _made(user, theirs)
        else:
            routes[location] = [
                Onward(
                    text=f"Refer as an {kind.name}"
                    if kind.name[:1].lower() in "aeiou"
                    else f"Refer as a {kind.name}",
                    url=f"{reverse('referrals:new', args=[kind.code])}?{urlencode({'location': location})}",
                    hidden=f"at {location}",
                )
                for kind in kinds
            ]
    return routes
