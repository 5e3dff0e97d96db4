"""Reads of people and places. Every case, report and action shown goes through the one access
selector of its app (`applications_visible_to`, `reports_visible_to`, `actions_visible_to`): a
profile page never shows a case the officer may not see.

Who may open a profile: the community safety team (the roles that see all of the partnership's
cases, or all of its report log) opens any profile of their partnership; an agency officer opens a
profile only when it appears in a case or report they may see — the victim or applicant of a review,
the subject of a case of another kind (a panel referral's person or household member, the person an
intervention is about), the caller of a report. So an agency that referred someone to a standing
panel opens their profile: it is party to the referral's case (docs/access.md). Anyone else learns
only what search and signpost tells them: that the person or place is known, and which agencies
work with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from casereview.accounts.models import Agency, AgencyKind, Role
from casereview.actions.selectors import actions_visible_to
from casereview.applications.selectors import (
    PARTNERSHIP_WIDE_ROLES,
    application_lead_agency_id,
    applications_visible_to,
    case_agencies_of_parties,
    case_subject_party_ids,
    cases_visible_to,
)
from casereview.core.names import fold, name_forms
from casereview.reports.callers import CallerPerson
from casereview.reports.selectors import LOG_WIDE_ROLES, reports_visible_to

from .models import (
    AccessRequestStatus,
    CaseAccessRequest,
    IdentifierKind,
    Merge,
    Person,
    PersonPlaceLink,
    Place,
    ReportLink,
    ReportRole,
    SignpostAgency,
)
from .services import identifier_lookup, postcode_key_of, uprn_normalise

PROFILE_WIDE_ROLES = tuple(set(PARTNERSHIP_WIDE_ROLES) | set(LOG_WIDE_ROLES))
# Who may create, merge and unmerge profiles and confirm a report's caller or location.
PROFILE_EDIT_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.ADMINISTRATOR,
    Role.DATA_PROTECTION_OFFICER,
)


def _signed_in(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.partnership_id is None:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and not is_verified())


def may_search(user) -> bool:
    """Any officer of the partnership: a role of the community safety team, or an agency officer."""
    return _signed_in(user) and bool(user.roles)


def may_edit_profiles(user) -> bool:
    return _signed_in(user) and user.has_role(*PROFILE_EDIT_ROLES)


def granted_application_ids(user) -> QuerySet:
    """The cases granted to the user's agency through search and signpost (only GRANTED requests;
    a pending or refused one grants nothing). Registered with applications.access_grants."""
    if getattr(user, "agency_id", None) is None:
        return CaseAccessRequest.objects.none().values("case_id")
    return CaseAccessRequest.objects.filter(
        agency_id=user.agency_id, status=AccessRequestStatus.GRANTED
    ).values("case_id")


# --- What a profile appears in, scoped --------------------------------------------------------------


def cases_of_person(user, person: Person):
    parties = person.case_party_links.values("party_id")
    return (
        applications_visible_to(user)
        .filter(Q(victim_id__in=parties) | Q(applicant_id__in=parties))
        .order_by("-received_on", "-id")
    )


def reports_of_person(user, person: Person):
    return (
        reports_visible_to(user)
        .filter(profile_links__person=person, profile_links__role=ReportRole.CALLER)
        .select_related("agency")
        .order_by("-reported_on", "-id")
    )


def reports_about_person(user, person: Person):
    """The reports (that the user may see) an officer linked as about this person (ADR 0078)."""
    return (
        reports_visible_to(user)
        .filter(profile_links__person=person, profile_links__role=ReportRole.SUBJECT)
        .select_related("agency")
        .order_by("-reported_on", "-id")
    )


def may_link_reports(user) -> bool:
    """Who may say what a report is about: who confirms a report's caller (the resolve page)."""
    from casereview.reports.selectors import log_wide_access

    return may_edit_profiles(user) and log_wide_access(user)


def reports_at_place(user, place: Place):
    return (
        reports_visible_to(user)
        .filter(profile_links__place=place, profile_links__role=ReportRole.LOCATION)
        .select_related("agency")
        .order_by("-reported_on", "-id")
    )


def actions_of_cases(user, applications):
    return (
        actions_visible_to(user)
        .filter(case__in=applications.values("pk"))
        .select_related("case", "owner_agency")
        .order_by("due_on", "id")
    )


def people_visible_to(user) -> QuerySet[Person]:
    """The profiles the user may open (see the module's docstring)."""
    if not _signed_in(user):
        return Person.objects.none()
    in_partnership = Person.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*PROFILE_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id:
        visible_cases = applications_visible_to(user)
        parties = set(visible_cases.values_list("victim_id", flat=True)) | {
            pk for pk in visible_cases.values_list("applicant_id", flat=True) if pk
        }
        callers = ReportLink.objects.filter(
            role=ReportRole.CALLER, report__in=reports_visible_to(user).values("pk")
        ).values("person_id")
        # The subjects of the cases of other kinds they may see (the same selector's cases).
        subjects = case_subject_party_ids(cases_visible_to(user))
        return in_partnership.filter(
            Q(case_party_links__party_id__in=parties)
            | Q(case_party_links__party_id__in=subjects)
            | Q(pk__in=callers)
        ).distinct()
    return Person.objects.none()


def places_visible_to(user) -> QuerySet[Place]:
    if not _signed_in(user):
        return Place.objects.none()
    in_partnership = Place.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*PROFILE_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id:
        at = ReportLink.objects.filter(
            role=ReportRole.LOCATION, report__in=reports_visible_to(user).values("pk")
        ).values("place_id")
        people = people_visible_to(user).values("pk")
        return in_partnership.filter(Q(pk__in=at) | Q(person_links__person_id__in=people)).distinct()
    return Place.objects.none()


def person_get_for_user(user, pk: int) -> Person:
    """One profile, or 404 when it does not exist or the user may not open it: the same answer."""
    from casereview.audit.services import audit_read

    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    audit_read(user=user, obj=person, purpose="Person profile")
    return person


def place_get_for_user(user, pk: int) -> Place:
    from casereview.audit.services import audit_read

    place = places_visible_to(user).filter(pk=pk).first()
    if place is None:
        raise Http404("No such place")
    audit_read(user=user, obj=place, purpose="Place profile")
    return place


def merge_get_for_user(user, pk: int) -> Merge:
    if not may_edit_profiles(user):
        raise Http404("No such merge")
    merge = Merge.objects.filter(pk=pk, partnership_id=user.partnership_id).first()
    if merge is None:
        raise Http404("No such merge")
    return merge


# --- Search and signpost ----------------------------------------------------------------------------


@dataclass
class SearchTerms:
    name: str = ""
    date_of_birth: dt.date | None = None
    uprn: str = ""
    postcode: str = ""
    partner_key: str = ""

    @property
    def empty(self) -> bool:
        return not (
            self.name.strip()
            or self.date_of_birth
            or self.uprn.strip()
            or self.postcode.strip()
            or self.partner_key.strip()
        )


SEARCH_LIMIT = 20


def people_search(partnership_id: int, terms: SearchTerms) -> list[Person]:
    """The partnership's (unmerged) people matching every term given: the name or an alias,
    accent- and case-insensitively with common variants of the first name (core.names); the date
    of birth; a partner key exactly as sent; a UPRN or postcode of a place they are linked to."""
    people = Person.objects.filter(partnership_id=partnership_id, merged_into__isnull=True)
    if terms.name.strip():
        by_name = Q(name_key__contains=fold(terms.name))
        for form in name_forms(terms.name):
            by_name |= Q(name_key__contains=form)
        people = people.filter(by_name)
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if terms.partner_key.strip():
        people = people.filter(
            identifiers__kind=IdentifierKind.PARTNER_KEY,
            identifiers__lookup=identifier_lookup(IdentifierKind.PARTNER_KEY, terms.partner_key),
        )
    places = places_search(partnership_id, SearchTerms(uprn=terms.uprn, postcode=terms.postcode))
    if terms.uprn.strip() or terms.postcode.strip():
        people = people.filter(place_links__place__in=[p.pk for p in places])
    if terms.empty:
        return []
    return list(people.distinct().order_by("full_name", "id")[:SEARCH_LIMIT])


def places_search(partnership_id: int, terms: SearchTerms) -> list[Place]:
    if not (terms.uprn.strip() or terms.postcode.strip()):
        return []
    places = Place.objects.filter(partnership_id=partnership_id, merged_into__isnull=True)
    if terms.uprn.strip():
        places = places.filter(uprn=uprn_normalise(terms.uprn) or "-")
    if terms.postcode.strip():
        key = postcode_key_of(terms.postcode)
        places = places.filter(postcode_key__startswith=key) if len(key) >= 2 else places.none()
    return list(places.order_by("address", "id")[:SEARCH_LIMIT])


@dataclass
class KnownTo:
    """One agency working with a person or place, as search and signpost shows it."""

    name: str
    contact: str
    withheld: bool = False  # shown as "another agency — contact the community safety team"


@dataclass
class SignpostResult:
    kind: str  # "person" or "place"
    record: object
    known_to: list[KnownTo] = field(default_factory=list)
    openable: bool = False  # the user may open the profile itself
    requestable: list = field(default_factory=list)  # cases the user's agency could ask to see


def _agency_known_to(agencies: list[Agency], partnership) -> list[KnownTo]:
    names_sensitive = False
    try:
        names_sensitive = partnership.policy.signpost_names_sensitive_agencies
    except Exception:  # noqa: BLE001 - a broken policy file must never reveal a sensitive agency
        names_sensitive = False
    settings = {row.agency_id: row for row in SignpostAgency.objects.filter(agency__in=agencies)}
    shown, withheld = [], False
    for agency in sorted(agencies, key=lambda a: a.name):
        row = settings.get(agency.pk)
        sensitive = row.sensitive if row is not None else agency.kind == AgencyKind.HEALTH
        if sensitive and not names_sensitive:
            withheld = True
            continue
        contact = (row.contact if row is not None and row.contact else "") or agency.email
        shown.append(KnownTo(name=agency.name, contact=contact))
    if withheld:
        contact = " ".join(filter(None, [partnership.contact_email, partnership.contact_phone]))
        shown.append(KnownTo(name="Another agency", contact=contact, withheld=True))
    return shown


def signpost_person(user, person: Person) -> SignpostResult:
    """Which agencies work with this person: those party to a case they are in (not one whose
    victim withdrew consent to sharing), and those the reports they made went to."""
    party_ids = list(person.case_party_links.values_list("party_id", flat=True))
    cases = (
        case_agencies_of_parties(partnership_id=person.partnership_id, party_ids=party_ids)
        if party_ids
        else {}
    )
    agency_ids = set().union(*cases.values()) if cases else set()
    agency_ids |= set(
        ReportLink.objects.filter(person=person, role=ReportRole.CALLER).values_list(
            "report__agency_id", flat=True
        )
    )
    agencies = list(Agency.objects.filter(pk__in=agency_ids, partnership_id=person.partnership_id))
    visible = set(applications_visible_to(user).filter(pk__in=cases.keys()).values_list("pk", flat=True))
    return SignpostResult(
        kind="person",
        record=person,
        known_to=_agency_known_to(agencies, person.partnership),
        openable=people_visible_to(user).filter(pk=person.pk).exists(),
        requestable=sorted(set(cases) - visible) if user.agency_id else [],
    )


def signpost_place(user, place: Place) -> SignpostResult:
    agency_ids = set(
        ReportLink.objects.filter(place=place, role=ReportRole.LOCATION).values_list(
            "report__agency_id", flat=True
        )
    )
    party_ids = list(
        place.person_links.filter(person__case_party_links__isnull=False).values_list(
            "person__case_party_links__party_id", flat=True
        )
    )
    cases = (
        case_agencies_of_parties(partnership_id=place.partnership_id, party_ids=party_ids)
        if party_ids
        else {}
    )
    for ids in cases.values():
        agency_ids |= ids
    agencies = list(Agency.objects.filter(pk__in=agency_ids, partnership_id=place.partnership_id))
    return SignpostResult(
        kind="place",
        record=place,
        known_to=_agency_known_to(agencies, place.partnership),
        openable=places_visible_to(user).filter(pk=place.pk).exists(),
    )


def signpost_search(user, terms: SearchTerms) -> list[SignpostResult]:
    """Search and signpost: for any officer of the partnership, the people and places matching the
    terms, each with the agencies working with them — never a case, nothing of one."""
    if not may_search(user) or terms.empty:
        return []
    results = [signpost_person(user, p) for p in people_search(user.partnership_id, terms)]
    if not terms.name.strip() and not terms.date_of_birth and not terms.partner_key.strip():
        results += [signpost_place(user, p) for p in places_search(user.partnership_id, terms)]
    return results


# --- Access requests ---------------------------------------------------------------------------------


def access_requests_of_agency(user) -> QuerySet[CaseAccessRequest]:
    """The requests the user's agency made, newest first."""
    if not _signed_in(user) or user.agency_id is None:
        return CaseAccessRequest.objects.none()
    return CaseAccessRequest.objects.filter(
        agency_id=user.agency_id, case__partnership_id=user.partnership_id
    )


def may_decide(user, request: CaseAccessRequest) -> bool:
    """The case's lead agency decides (an officer of it who can see the case), or the community
    safety manager for the partnership."""
    if not applications_visible_to(user).filter(pk=request.case_id).exists():
        return False
    if user.has_role(Role.COMMUNITY_SAFETY_MANAGER):
        return True
    return user.agency_id is not None and user.agency_id == application_lead_agency_id(request.case)


def access_requests_to_decide(user) -> list[CaseAccessRequest]:
    pending = (
        CaseAccessRequest.objects.filter(
            status=AccessRequestStatus.PENDING, case__in=applications_visible_to(user).values("pk")
        )
        .select_related("case", "agency", "requested_by", "case__spoc")
        .order_by("requested_at", "id")
    )
    return [request for request in pending if may_decide(user, request)]


def access_request_get_for_decider(user, pk: int) -> CaseAccessRequest:
    request = (
        CaseAccessRequest.objects.filter(pk=pk, case__in=applications_visible_to(user).values("pk"))
        .select_related("case", "agency", "requested_by")
        .first()
    )
    if request is None or not may_decide(user, request):
        raise Http404("No such request")
    return request


def caller_people(*, user, partnership, keys: list[str]):
    """The people (that the user may open) whose reports were made under any of these caller
    keys, each with every key their reports were made under, as the agencies sent them
    (`reports.callers`, for the repeat-callers page)."""
    visible = people_visible_to(user).filter(partnership=partnership)
    person_ids = set(
        ReportLink.objects.filter(
            role=ReportRole.CALLER,
            report__partnership=partnership,
            report__caller__in=keys,
            person__in=visible.values("pk"),
        ).values_list("person_id", flat=True)
    )
    if not person_ids:
        return []
    found: dict[int, CallerPerson] = {}
    rows = (
        ReportLink.objects.filter(
            role=ReportRole.CALLER, person_id__in=person_ids, report__partnership=partnership
        )
        .exclude(report__caller="")
        .values_list("person_id", "person__full_name", "report__caller")
        .distinct()
        .order_by("person__full_name", "person_id", "report__caller")
    )
    for person_id, name, key in rows:
        entry = found.get(person_id)
        if entry is None:
            entry = found[person_id] = CallerPerson(
                person_id=person_id, label=name, url=reverse("people:person", args=[person_id])
            )
        if key not in entry.keys:
            entry.keys.append(key)
    return list(found.values())


def report_callers(
    *,
    report_ids=(),
    place_id: int | None = None,
    subject_person_id: int | None = None,
    exclude_person_id: int | None = None,
) -> list[tuple[Person, list[str]]]:
    """The people who made these reports, the reports at this place, or the reports about this
    person (ADR 0078) — each report's caller resolved to a profile — with the addresses they are
    linked to: what a document served on the person or premises reported must never name
    (interventions, ADR 0067). No access rule here: the caller decides what the list is for and
    shows none of it."""
    reports = Q(report_id__in=list(report_ids))
    if place_id is not None:
        reports |= Q(
            report_id__in=ReportLink.objects.filter(role="location", place_id=place_id).values("report_id")
        )
    if subject_person_id is not None:
        reports |= Q(
            report_id__in=ReportLink.objects.filter(
                role=ReportRole.SUBJECT, person_id=subject_person_id
            ).values("report_id")
        )
    links = (
        ReportLink.objects.filter(reports, role="caller", person__isnull=False)
        .exclude(person_id=exclude_person_id)
        .select_related("person")
    )
    people = {link.person_id: link.person for link in links}
    addresses: dict[int, list[str]] = {pk: [] for pk in people}
    for link in PersonPlaceLink.objects.filter(person_id__in=list(people)).select_related("place"):
        addresses[link.person_id].append(f"{link.place.address}\n{link.place.postcode}".strip())
    return [(person, addresses[pk]) for pk, person in people.items()]
