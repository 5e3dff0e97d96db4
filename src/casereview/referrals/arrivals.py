"""Arriving at the referral form from the report log (issue 16): a repeat caller's triage (the
caller's person as the subject, the triage's findings as the reason) or a hotspot (the location as
the address, the window's report count as the reason). The form is filled, not sent: the referrer
still answers the criteria, which the core checks and explains as for any referral."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from casereview.people.selectors import caller_people
from casereview.people.services import uprn_normalise
from casereview.reports.selectors import location_hotspot_count, log_any_access, log_wide_access, triage_get


@dataclass
class Arrival:
    route: str  # core.panel_kinds.ARRIVAL_ROUTES
    title: str
    lines: list[str] = field(default_factory=list)
    initial: dict = field(default_factory=dict)


def arrival_for(request, kind) -> Arrival | None:
    """The arrival the page was opened with (`?triage=<id>` or `?location=<key>`), or None. A
    triage or location the user may not read is "page not found", as any other record."""
    if "triage" in request.GET:
        return _from_triage(request.user, kind, request.GET["triage"])
    if "location" in request.GET:
        return _from_hotspot(request.user, kind, request.GET["location"].strip()[:300])
    return None


def _from_triage(user, kind, pk) -> Arrival:
    triage = triage_get(user.partnership_id, pk) if log_wide_access(user) else None
    if triage is None or "repeat_caller_triage" not in kind.referred_from:
        raise Http404("No such triage")
    findings = (
        f"Repeat caller: {triage.calls} calls under the {triage.rule} rule as of {triage.as_of:%-d %B %Y}. "
        f"Triaged by the community safety team: vulnerable: {'yes' if triage.vulnerable else 'no'}; "
        f"risk: {triage.get_risk_display().lower()}; outcome: {triage.get_outcome_display()}."
    )
    if triage.notes:
        findings += f"\n{triage.notes}"
    initial = {
        "subject_kind": "person",
        "triage": triage.pk,
        "summary": findings,
        "asb_reports": triage.calls,
    }
    lines = [findings.split("\n")[0]]
    people = caller_people(user=user, partnership=user.partnership, keys=[triage.caller])
    if len(people) == 1:
        initial["person_profile"] = people[0].person_id
        lines.append(f"The caller is {people[0].label} (profile {people[0].person_id}).")
    elif people:
        lines.append(
            f"The caller's reports are linked to {len(people)} people: "
            "give the profile number of the one you refer."
        )
    else:
        lines.append("The caller has no person profile you may see: give their name.")
    return Arrival(
        route="repeat_caller_triage", title="From a repeat caller's triage", lines=lines, initial=initial
    )


def _from_hotspot(user, kind, location: str) -> Arrival:
    if not location or not log_any_access(user) or "hotspot" not in kind.referred_from:
        raise Http404("No such hotspot")
    counted = location_hotspot_count(user.partnership, location, timezone.localdate())
    initial = {"subject_kind": "address", "hotspot_location": location}
    if uprn_normalise(location):
        initial["uprn"] = location
    else:
        initial["address"] = location
    lines = []
    if counted is not None:
        reason = (
            f"{counted['reports']} reports at {location} from {counted['first']:%-d %B %Y} to "
            f"{counted['last']:%-d %B %Y} (a hotspot has more than {counted['more_than']})."
        )
        initial["summary"] = f"A persistent location: {reason}"
        initial["asb_reports"] = counted["reports"]
        lines.append(reason)
    return Arrival(route="hotspot", title="From the hotspots", lines=lines, initial=initial)
