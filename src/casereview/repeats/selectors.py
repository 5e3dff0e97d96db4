"""Reads for repeat applications: suggested earlier applications and the flags staff must see.
Every case is reached through `applications.selectors`; these only look within its partnership."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Model

from casereview.accounts.models import Role
from casereview.applications.selectors import applications_earlier_than
from casereview.core.names import fold, name_forms

from .models import MaterialChangeAssessment, PersistentComplainantFlag, RepeatDismissal

REPEAT_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.SPOC, Role.SENIOR_MANAGER)
FLAG_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.SENIOR_MANAGER)
MAX_CHAIN = 50


def user_handles_repeats(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*REPEAT_ROLES))


def user_sets_flags(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*FLAG_ROLES))


def _name(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").casefold()).split())


def _name_forms(person) -> frozenset[str]:
    """The person's name accent- and case-insensitively, with common variants of the first name
    (core.names: "Llyr" is "Llŷr", "Bill" is "William"); an organisation's name folded."""
    forms = name_forms(person.full_name)
    if not forms and fold(person.organisation_name):
        forms = frozenset({fold(person.organisation_name)})
    return forms


def _postcode(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").upper())


def _phone(text: str) -> str:
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 6 else ""


def _first_line(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return _name(first)


@dataclass(frozen=True)
class Candidate:
    application: Model  # an earlier case (applications.Application)
    reasons: tuple[str, ...]
    same_location: bool


def _contact_matches(a, b) -> list[str]:
    reasons = []
    if _postcode(a.postcode) and _postcode(a.postcode) == _postcode(b.postcode):
        reasons.append("same postcode")
    if a.email.strip() and a.email.strip().casefold() == b.email.strip().casefold():
        reasons.append("same email address")
    if _phone(a.phone) and _phone(a.phone) == _phone(b.phone):
        reasons.append("same phone number")
    if _first_line(a.address) and _first_line(a.address) == _first_line(b.address):
        reasons.append("same address")
    return reasons


def _locations(application) -> set[str]:
    places = {_name(application.location)} | {_name(i.location) for i in application.incidents.all()}
    return {p for p in places if p}


def repeat_candidates(application) -> list[Candidate]:
    """Earlier applications of the partnership from the same victim: the same name and at least one
    of postcode, email, phone or address (or the very same person record). The location is shown
    as a further sign it is the same problem. Dismissed and already-linked ones are left out."""
    victim = application.victim
    earlier = (
        applications_earlier_than(application)
        .exclude(pk=application.previous_application_id or 0)
        .exclude(pk__in=RepeatDismissal.objects.filter(application=application).values("candidate_id"))
        .order_by("-received_on", "-id")
    )
    name = _name_forms(victim)
    # The 500 latest by name only (small tuples); then the whole records of the few that match, so
    # a victim among a force area's 100,000 cases does not load 500 cases and their incidents.
    matching = []
    for pk, victim_id, full_name, organisation_name in earlier.values_list(
        "pk", "victim_id", "victim__full_name", "victim__organisation_name"
    )[:500]:
        forms = name_forms(full_name) or (
            frozenset({fold(organisation_name)}) if fold(organisation_name) else frozenset()
        )
        if victim_id == victim.pk or (name and name & forms):
            matching.append(pk)
    if not matching:
        return []
    here = _locations(application)
    found = []
    for other in earlier.filter(pk__in=matching).select_related("victim").prefetch_related("incidents"):
        if other.victim_id == victim.pk:
            reasons = ["same person record"]
        else:
            if not name or not (name & _name_forms(other.victim)):
                continue
            reasons = _contact_matches(victim, other.victim)
            if not reasons:
                continue
            reasons = ["same name", *reasons]
        same_location = bool(here & _locations(other))
        if same_location:
            reasons.append("same location")
        found.append(Candidate(application=other, reasons=tuple(reasons), same_location=same_location))
    return found


def previous_chain(application) -> list:
    """The earlier applications this one repeats, nearest first."""
    chain, seen = [], {application.pk}
    current = application.previous_application
    while current is not None and current.pk not in seen and len(chain) < MAX_CHAIN:
        chain.append(current)
        seen.add(current.pk)
        current = current.previous_application
    return chain


def people_of_case(application) -> list:
    people = []
    for app in [application, *previous_chain(application)]:
        for person in (app.victim, app.applicant):
            if person is not None and person not in people:
                people.append(person)
    return people


def flags_for_case(application):
    """Persistent-complainant flags on the people of this case and of the applications it repeats."""
    return PersistentComplainantFlag.objects.filter(person__in=people_of_case(application)).select_related(
        "person", "set_by"
    )


def assessment_latest(application) -> MaterialChangeAssessment | None:
    return application.material_change_assessments.select_related("assessed_by").first()
