"""THE ACCESS MATRIX: every URL the product has, as every role and signed out, aimed at cases the
user may not see. Each must be a 404 (or, signed out, the sign-in page) — never a 200, a 403 or
any of the case's data (docs/access.md).

URLs come from Django's resolver (tests/security/url_inventory.py), so a page added tomorrow is
in the matrix the day it lands. Path parameters are filled by name (PARAMETERS below); a name the
map does not know fails the test with instructions.

Three ways to be out of scope, each tested:
  A. another partnership's case (every role of West Northamptonshire against Islington's records);
  B. another agency's case in the same partnership (each agency officer);
  C. a case the officer's agency is party to, whose victim has withdrawn consent to sharing.

The world (the demo and the marked cases, `_world`) is written once for the module
(built_once_per_module, tests/conftest.py), so every test of the database here asks for `world`;
the matrix itself runs in shards of the routes (SHARDS), which pytest-xdist spreads over its
workers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import deque
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from casereview.accounts.models import Partnership, Role, User
from casereview.applications.models import Application, Case
from tests.conftest import built_once_per_module
from tests.factories import DemoWorld, make_application
from tests.security import url_inventory
from tests.security.world import declined_with_appeal, furnish

MARKER_NAME = "Zebedee Outofscope"
MARKER_FIRST = "Zebedee"

# How each path parameter is filled. "case": a case reference. "record": the id of a record
# belonging to the out-of-scope case (the model is found from the name: `letter_id` → a Letter,
# or for `pk`/`id` from the URL's app). "public": not a record at all (e.g. the question number in
# the public application); the URL is not access-checked by the matrix. (app_label, model): the id
# of that model's records in the out-of-scope case.
PARAMETERS: dict[str, object] = {
    "reference": "case",
    "pk": "record",
    "id": "record",
    "number": "public",  # apply: the incident's place in the applicant's own session
    # letters: a letter kind names the signed-in user's own partnership's template, not anyone's
    # record (reviews:letter's `kind` is handled in VIEW_PARAMETERS, with the case it belongs to).
    "kind": "public",
    "evidence_id": ("privacy", "evidencefile"),
    "request_id": ("privacy", "datasubjectrequest"),
    "hold_id": ("privacy", "legalhold"),
    "withdrawal_id": ("privacy", "consentwithdrawal"),
    "event_id": ("audit", "accessevent"),
    "member_pk": ("panels", "panelmember"),
    "dispatch_id": ("letters", "letterdispatch"),
    "person_id": ("applications", "person"),
    "perpetrator_id": ("applications", "allegedperpetrator"),
    # accounts: an organisation's identity provider, on the public sign-in page's buttons (a
    # provider is configuration, not anyone's record; tests/accounts/test_provider_sign_in.py).
    "provider_id": "public",
    # People and places (casereview.people): profiles, merges and access requests.
    "profile_id": ("people", "person"),
    "place_id": ("people", "place"),
    "merge_id": ("people", "merge"),
    "access_request_id": ("people", "caseaccessrequest"),
    # Interventions (casereview.interventions): a step, a support referral, a possible breach.
    "step_id": ("interventions", "step"),
    "support_id": ("interventions", "supportreferral"),
    "flag_id": ("interventions", "breachflag"),
    # dashboards: which dashboard and which of its charts — names, not records; each counts only
    # the user's own scope (tests/dashboards/test_dashboards.py).
    "slug": "public",
    "chart": "public",
    # The cuckooing tracker's entries and the standing panels' referrals (issue 16).
    "entry_id": ("tracker", "trackedaddress"),
    "referral_id": ("referrals", "referral"),
    # A standing meeting's agenda item (pk is the meeting: PK_MODELS).
    "item_pk": ("referrals", "meetingitem"),
    # A panel kind's code from the partnership's own policy (cmarac): configuration, no one's record.
    "kind_code": "public",
    # The link of an application saved to come back to: a random secret sent to the applicant's
    # email, stored only as its hash; it names no record a member of staff could reach
    # (tests/apply/test_save_and_return.py).
    "token": "public",
    # What the victim sent from their own view, on the staff's pages (portal.staff_urls).
    "diary_entry_id": ("portal", "diaryentry"),
    "upload_id": ("portal", "upload"),
    # (app_label, model, field): a value of that field on the out-of-scope case's records.
    "incident_ref": ("applications", "incident", "ref"),
}


# What `pk`/`id` is the id of, by view name (or the view-name prefix before the first "_" for a
# family of views). Guessing from the app's models took whichever model of the app came first — a
# risk assessment's id used as an information request's, found "reachable" when the numbers
# happened to coincide with an in-scope request. A new view with a `pk` must be added here.
PK_MODELS: dict[str, tuple[str, str]] = {
    "applications:report": ("applications", "incidentreport"),
    "applications:perpetrator": ("applications", "allegedperpetrator"),
    "reviews:request": ("reviews", "informationrequest"),
    "reviews:reassign_action": ("actions", "action"),
    "reviews:reassign_request": ("reviews", "informationrequest"),
    "panels:": ("panels", "panelmeeting"),
    "actions:": ("actions", "action"),
    "appeals:detail": ("appeals", "appeal"),
    "lpbreviews:detail": ("lpbreviews", "lpbreview"),
    "repeats:confirm": ("applications", "application"),  # the earlier application
    "repeats:dismiss": ("applications", "application"),
    "repeats:flag-review": ("repeats", "persistentcomplainantflag"),
    "notifications:open": ("notifications", "notice"),
    "notifications:task": ("notifications", "message"),
    "notifications:resend": ("notifications", "message"),
    "reports:": ("reports", "report"),
    "interventions:": ("interventions", "intervention"),
    "api-pages:": ("api", "apiclient"),
    "referrals:": ("referrals", "standingmeeting"),
}


def _pk_model(route):
    for prefix, model in PK_MODELS.items():
        if route.view_name == prefix or route.view_name.startswith(
            prefix if prefix.endswith(":") else prefix + "_"
        ):
            return apps.get_model(*model)
    return None


def _review_letter_kinds():
    from casereview.reviews.services import REVIEW_LETTERS

    return list(REVIEW_LETTERS)[:2]


# A parameter that means different things in different URLs, by (view name, parameter): a callable
# giving the values to try (a fixed vocabulary, not a record — the case in the URL is what is
# access-checked).
def _case_section_keys():
    from casereview.applications.case_sections import sections

    return [section.key for section in sections()]


VIEW_PARAMETERS: dict[tuple[str, str], object] = {
    ("reviews:letter", "kind"): _review_letter_kinds,
    # Each section of a case on its own page (ADR 0093): every registered section, not the first few.
    ("applications:section", "section"): _case_section_keys,
}

# Routes visited with every word of their vocabulary (VIEW_PARAMETERS), each word with one of the
# out-of-scope cases in turn, instead of the first three combinations.
EVERY_WORD = {"applications:section"}


def _unknown_parameter_message(name: str, route) -> str:
    return (
        f"URL {route.view_name!r} ({route.pattern}) has a path parameter {name!r} that the access matrix "
        f"does not know. Add it to PARAMETERS in tests/security/test_access_matrix.py: 'case' if it is a "
        f"case reference, ('app_label', 'model') if it is the id of a record, or 'public' if it identifies "
        f"no record of anyone's (then say why in a comment)."
    )


def _path_to(model, target, max_depth: int = 4) -> str | None:
    """The ORM path from `model` to `target` over forward foreign keys ('' if model is target).
    A proxy is its concrete model: the review's `Application` is the kernel's `Case` (ADR 0048),
    which every foreign key points at."""
    target = target._meta.concrete_model
    if model._meta.concrete_model is target:
        return ""
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if path.count("__") >= max_depth:
            continue
        for field in current._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete:
                related = field.related_model
                step = f"{path}__{field.name}" if path else field.name
                if related._meta.concrete_model is target:
                    return step
                if related not in seen and related._meta.app_label not in {"accounts", "auth"}:
                    seen.add(related)
                    queue.append((related, step))
    return None


def _model_for(name: str, route):
    spec = PARAMETERS.get(name)
    if isinstance(spec, tuple):
        return [apps.get_model(*spec[:2])]
    if spec == "record":
        model = _pk_model(route)
        if model is None:
            pytest.fail(
                f"URL {route.view_name!r} ({route.pattern}) has a {name!r} the access matrix cannot place: "
                "add the model it is the id of to PK_MODELS in tests/security/test_access_matrix.py."
            )
        return [model]
    # `<model>_id` / `<model>_pk`: a model of that name in any of the product's apps.
    base = name.rsplit("_", 1)[0].replace("_", "")
    return [
        m
        for m in apps.get_models()
        if m._meta.app_config.name.startswith("casereview.") and m._meta.model_name == base
    ]


def scoped_records(model, application_ids):
    """`model`'s records that belong with these applications: through a path to the application,
    or — a record of no case, such as an ASB report in the log or an access-log entry — through the
    partnership of those applications. None if the model has neither."""
    from casereview.accounts.models import Partnership

    path = _path_to(model, Application)
    if path is not None:
        lookup = f"{path}__pk__in" if path else "pk__in"
        return model.objects.filter(**{lookup: application_ids})
    if model._meta.label_lower == "referrals.standingmeeting":
        # A meeting hears many cases (ADR 0064, 0088) and has no key to any one of them: the
        # out-of-scope cases' meetings are those that hear them and no other case.
        ids = set(application_ids)
        heard: dict[int, set] = {}
        for item in apps.get_model("referrals", "meetingitem").objects.select_related("referral"):
            case_id = item.case_id or (item.referral.case_id if item.referral_id else None)
            heard.setdefault(item.meeting_id, set()).add(case_id)
        return model.objects.filter(pk__in=[pk for pk, cases in heard.items() if cases and cases <= ids])
    partnerships = Application.objects.filter(pk__in=application_ids).values("partnership")
    if model is User:  # a user works in partnerships through memberships (ADR 0041)
        return User.objects.filter(memberships__partnership__in=partnerships).distinct()
    path = _path_to(model, Partnership)
    if path is not None:
        return model.objects.filter(**{f"{path}__in": partnerships})
    if any(field.name == "partnership_slug" for field in model._meta.get_fields()):
        # The access log names the partnership by slug (it outlives the records it mentions).
        slugs = Partnership.objects.filter(pk__in=partnerships).values("slug")
        return model.objects.filter(partnership_slug__in=slugs)
    return None


def _record_ids(
    route, name, models_, application_ids, limit: int = 2, field: str = "pk", officer=None
) -> list:
    """Up to `limit` real values for this parameter: records of the out-of-scope cases (or, for a
    record of no case, of their partnership — and, against an agency officer, not their agency's).
    Never an invented one: a URL aimed at a record that does not exist is a 404 whatever the access
    rules, and proves nothing. None found fails the test, naming the route."""
    values = []
    for model in models_:
        records = scoped_records(model, application_ids)
        if records is None:
            continue
        if officer is not None and _path_to(model, Application) is None and "agency" in _field_names(model):
            records = records.exclude(agency_id=officer.agency_id)
        values += list(records.order_by("pk").values_list(field, flat=True)[:limit])
        if len(values) >= limit:
            break
    if not values:
        pytest.fail(
            f"URL {route.view_name!r} ({route.pattern}): no real {'/'.join(m.__name__ for m in models_)} "
            f"out of scope to fill {name!r} with. Create one in _world() in "
            "tests/security/test_access_matrix.py (an invented id would pass on an automatic 404)."
        )
    return values[:limit]


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _fill(route, application_ids, references, officer=None):
    """Every combination worth visiting for this route (at most a few), or None if public."""
    values: dict[str, list] = {}
    for name in route.parameters:
        if (route.view_name, name) in VIEW_PARAMETERS:
            values[name] = VIEW_PARAMETERS[(route.view_name, name)]()
            continue
        spec = PARAMETERS.get(name)
        if spec is None and not name.endswith(("_id", "_pk")):
            pytest.fail(_unknown_parameter_message(name, route))
        if spec == "public":
            return None
        if spec == "case":
            values[name] = references[:2]
        else:
            models_ = _model_for(name, route)
            if not models_:
                pytest.fail(_unknown_parameter_message(name, route))
            field = spec[2] if isinstance(spec, tuple) and len(spec) == 3 else "pk"
            values[name] = _record_ids(route, name, models_, application_ids, field=field, officer=officer)
    if route.view_name in EVERY_WORD:
        (word,) = (name for name in values if (route.view_name, name) in VIEW_PARAMETERS)
        others = [name for name in values if name != word]
        return [
            {**{name: values[name][i % len(values[name])] for name in others}, word: value}
            for i, value in enumerate(values[word])
        ]
    combos = [{}]
    for name, options in values.items():
        combos = [{**c, name: v} for c in combos for v in options]
    return combos[:3]


COUNCIL_ONLY = [(dt.date(2025, 3, d), "council", dt.date(2025, 3, d + 1)) for d in (1, 8, 15)]


def _world(demo):
    """The demo, plus marked cases, each furnished with one of every record a URL can name:
    A. in Islington (out of every West Northamptonshire user's scope);
    B. in West Northamptonshire, party to the council only (out of every agency officer's scope),
       with a report to the council in the report log;
    C. in West Northamptonshire, party to the police, whose victim has withdrawn consent.
    Each has a declined twin with an appeal (an accepted case cannot be appealed)."""
    from casereview.privacy import services as privacy
    from casereview.reports.services import report_record

    call_command("demo", stdout=io.StringIO())
    islington = demo.partnership("islington")
    wn = demo.partnership("west-northamptonshire")
    csm_is, csm_wn = demo.user("is-csm"), demo.user("wn-csm")
    other = make_application(islington, victim_name=MARKER_NAME, actor=csm_is)
    privacy.sensitive_information_record(
        application=other, person=other.victim, actor=csm_is, ethnicity="Marker ethnicity", source="victim"
    )
    furnish(other)
    declined_with_appeal(islington, "Ivy Otherdeclined", COUNCIL_ONLY[:1])  # with a review asked of the LPB
    council_only = make_application(wn, victim_name="Wren Sameareacase", incidents=COUNCIL_ONLY)
    furnish(council_only)
    declined_with_appeal(wn, "Wren Sameareadeclined", COUNCIL_ONLY[:1])
    report_record(
        partnership=wn,
        agency=demo.agency("west-northamptonshire", "council"),
        reported_at=dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC),
        location="1 High Street",
        actor=csm_wn,
    )
    withdrawn = make_application(wn, victim_name="Wren Withdrawnconsent")
    furnish(withdrawn)
    withdrawn_declined = declined_with_appeal(
        wn, "Wren Withdrawndeclined", [(dt.date(2025, 3, 1), "police", dt.date(2025, 3, 2))]
    )
    for case in (withdrawn, withdrawn_declined):
        privacy.consent_withdraw(
            application=case, withdrawn_on=dt.date(2025, 5, 1), how="phone", actor=csm_wn
        )
    _people_world(demo, other, council_only, [withdrawn, withdrawn_declined])
    # An API client of each partnership's council: the administrator's pages (/api-clients/) of
    # Islington's are 404 to every West Northamptonshire role, and of West Northamptonshire's to
    # every agency officer of another agency. (Each client's service account is an agency officer.)
    from casereview.api.services import api_client_create

    for partnership in (islington, wn):
        council = partnership.agencies.filter(kind="council").order_by("id").first()
        api_client_create(partnership=partnership, agency_name=council.name, scopes="cases:read")
    _interventions_world(demo, [other, council_only, withdrawn, withdrawn_declined])
    withdrawn_panel_case = _withdrawn_panel_case(demo, wn)
    _sittings_of_their_own([other, council_only, withdrawn, withdrawn_declined])
    return other, council_only, [withdrawn, withdrawn_declined, withdrawn_panel_case]


def _sittings_of_their_own(cases):
    """Each marked case's review heard at a case review sitting of its own. A sitting it shared
    with the demo's reviews is rightly open to an officer of one of those (ADR 0064, 0088: the page
    shows each reader only the reviews they may see, held by tests/panels/test_sittings.py); what the
    matrix asks is whether a record of the marked case alone can be reached."""
    from casereview.referrals.models import MeetingItem, StandingMeeting

    for case in cases:
        for item in MeetingItem.objects.filter(case=case, meeting__panel_kind="case_review"):
            shared = item.meeting
            if MeetingItem.objects.filter(meeting=shared).exclude(case=case).exists():
                item.meeting = StandingMeeting.objects.create(
                    partnership=shared.partnership,
                    panel_kind=shared.panel_kind,
                    meeting_on=shared.meeting_on,
                    status=shared.status,
                    chair=shared.chair,
                    held_on=shared.held_on,
                )
                item.position = 1
                item.save(update_fields=["meeting", "position"])


def _withdrawn_panel_case(demo, wn):
    """C for the standing panels: a panel case the police referred, on the agenda of the
    partnership's meeting, whose subject has withdrawn consent to sharing."""
    from casereview.applications.services import application_agency_link, case_open
    from casereview.privacy import services as privacy
    from casereview.referrals.models import MeetingItem, Referral, StandingMeeting

    police, csm = demo.user("wn-police"), demo.user("wn-csm")
    case = case_open(
        partnership=wn,
        kind="panel:cmarac",
        received_on=dt.date(2025, 3, 1),
        actor=police,
        subject_name="Wren Panel",
    )
    application_agency_link(application=case, agency=police.agency, reason="Referred the case")
    referral = Referral.objects.create(
        partnership=wn,
        panel_kind="cmarac",
        person=people_person(wn, csm),
        agency=police.agency,
        referred_by=police,
        referred_on=dt.date(2025, 3, 1),
        summary="Matrix",
        consent="given",
        lawful_basis="ukgdpr_6_1_a",
        policy_digest="",
        case=case,
    )
    meeting = StandingMeeting.objects.exclude(panel_kind="case_review").get(partnership=wn)
    MeetingItem.objects.create(meeting=meeting, referral=referral, position=2, why="new_referral")
    privacy.consent_withdraw(application=case, withdrawn_on=dt.date(2025, 5, 1), how="phone", actor=csm)
    return case


def people_person(partnership, csm):
    from casereview.people import services as people

    return people.person_create(
        partnership=partnership, data=people.PersonData(full_name="Wren Panel"), actor=csm
    )


def _interventions_world(demo, cases):
    """For each out-of-scope case, an intervention tied to it, led by the council, with a step whose
    terms are in force, a support referral and a possible breach flagged from the report log."""
    from casereview.interventions import services as interventions
    from casereview.people import services as people
    from casereview.reports.services import report_record

    for number, case in enumerate(cases):
        csm = demo.user(f"{case.partnership.reference_prefix.lower()}-csm")
        council = case.partnership.agencies.filter(kind="council").order_by("id").first()
        person = people.person_create(
            partnership=case.partnership, data=people.PersonData(full_name="Subject Matrix"), actor=csm
        )
        intervention = interventions.intervention_open(
            partnership=case.partnership,
            lead_agency=council,
            officer=csm,
            opened_on=dt.date(2025, 1, 1),
            summary="Matrix",
            person=person,
            case=case,
            actor=csm,
        )
        interventions.step_record(
            intervention=intervention,
            data=interventions.StepData(
                kind="abc",
                issuing_agency=council,
                served_on=dt.date(2025, 1, 2),
                how_served="in_person",
                prohibitions="Matrix",
            ),
            actor=csm,
        )
        interventions.referral_offer(
            intervention=intervention, service="other", offered_on=dt.date(2025, 1, 2), actor=csm
        )
        report = report_record(
            partnership=case.partnership,
            agency=council,
            reported_at=dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC),
            location="2 High Street",
            caller=f"matrix-{number}",
            actor=csm,
        )
        people.report_link_confirm(report=report, person=person, actor=csm)


def _people_world(demo, other, council_only, withdrawn_cases):
    """People and places for the matrix: in each partnership a profile linked to the out-of-scope
    case's victim, a place it lives at, a merged duplicate (a merge record) and a request for
    access to the case (by the housing provider, pending)."""
    from casereview.people import services as people

    for case in (other, council_only):
        csm = demo.user(f"{case.partnership.reference_prefix.lower()}-csm")
        person = people.person_create(
            partnership=case.partnership, data=people.PersonData(full_name=case.victim.full_name), actor=csm
        )
        duplicate = people.person_create(
            partnership=case.partnership, data=people.PersonData(full_name=case.victim.full_name), actor=csm
        )
        people.case_party_link(person=person, party=case.victim, actor=csm)
        place = people.place_create(
            partnership=case.partnership, data=people.PlaceData(address="1 High Street", uprn="1"), actor=csm
        )
        people.person_place_link(person=person, place=place, kind="lives_at", actor=csm)
        people.record_merge(kind="person", kept=person, duplicate=duplicate, reason="Matrix", actor=csm)
        housing = demo.user(f"{case.partnership.reference_prefix.lower()}-housing")
        people.access_request_create(case=case, person=person, reason="Matrix", actor=housing)
        _tracker_world(case.partnership, place, person, csm, housing)
    for case in withdrawn_cases:
        housing = demo.user("wn-housing")
        people.access_request_create(case=case, person=None, reason="Matrix", actor=housing)


def _tracker_world(partnership, place, person, csm, housing):
    """A tracked address at the place, and referrals of the person to Community MARAC, each a panel
    case on the kernel (ADR 0064) with its referring agency party to it (made directly: the matrix
    needs them in each partnership, whether or not its policy has panels); and a standing meeting
    whose agenda holds only the council's case, so no agency officer has a case on it."""
    from casereview.applications.services import application_agency_link, case_open
    from casereview.referrals.models import MeetingItem, Referral, StandingMeeting
    from casereview.tracker import services as tracker

    tracker.entry_add(
        partnership=partnership,
        data=tracker.AddressData(address="1 High Street", uprn="1", concerns="Matrix"),
        actor=csm,
    )
    meeting = StandingMeeting.objects.create(
        partnership=partnership, panel_kind="cmarac", meeting_on=dt.date(2025, 3, 10), chair=csm
    )
    # Two referring agencies, so each agency officer has one that is not their own agency's.
    for agency, officer in ((housing.agency, housing), (csm.agency, csm)):
        case = case_open(
            partnership=partnership,
            kind="panel:cmarac",
            received_on=dt.date(2025, 3, 1),
            actor=officer,
            subject_name=person.full_name,
        )
        application_agency_link(application=case, agency=agency, reason="Referred the case")
        referral = Referral.objects.create(
            partnership=partnership,
            panel_kind="cmarac",
            person=person,
            agency=agency,
            referred_by=officer,
            referred_on=dt.date(2025, 3, 1),
            summary="Matrix",
            consent="given",
            lawful_basis="ukgdpr_6_1_a",
            policy_digest="",
            case=case,
        )
        if agency.kind == "council":
            MeetingItem.objects.create(meeting=meeting, referral=referral, position=1, why="new_referral")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _clients(users, partnership=None):
    """A signed-in client per user; one who works in several partnerships (the demo's
    Northamptonshire Police officer and commissioner's office) first chooses `partnership`."""
    from django.test import Client

    from tests.conftest import VerifiedClient

    clients = {}
    for user in users:
        client = type("Client", (VerifiedClient, Client), {})()
        client.force_login(user)
        if partnership is not None and user.memberships.count() > 1:
            _working_in(client, partnership)
        clients[user.username] = client
    return clients


def _check(route, combos, clients, anonymous, failures, *, post_as=()):
    for values in combos:
        url = route.build(values)
        signed_out = anonymous.get(url)
        if signed_out.status_code not in (302, 404) or (
            signed_out.status_code == 302 and not signed_out["Location"].startswith("/account/sign-in/")
        ):
            failures.append(f"signed out GET {url} → {signed_out.status_code}")
        for username, client in clients.items():
            response = client.get(url)
            body = _body(response) if response.status_code != 302 else ""
            if response.status_code not in (404, 405) or MARKER_FIRST in body:
                failures.append(f"{username} GET {url} → {response.status_code}")
            if username in post_as or response.status_code == 405:
                posted = client.post(url, {})
                if posted.status_code != 404:
                    failures.append(f"{username} POST {url} → {posted.status_code}")


# The matrix is split into shards of the route inventory, each a test of its own, so pytest-xdist
# spreads them over the workers (as one test it took six minutes of one worker while the other
# finished and waited). Each shard checks every section (A, B, C and the searches) for its routes;
# together they check every route, once (test_the_shards_partition_the_route_inventory). Every
# route in turn, not blocks of neighbours: a family of costly routes is spread over the shards.
SHARDS = 16


def _shard(routes, index: int):
    return routes[index::SHARDS]


def _build_the_world():
    """The `demo` fixture's records and `_world`'s marked cases, written once for the module (six
    of the matrix's tests start from them): their references are kept to re-read them per test."""
    from casereview.accounts import demo as accounts_demo

    accounts_demo.load(io.StringIO())  # as the `demo` fixture (tests/conftest.py)
    other, council_only, withdrawn_cases = _world(DemoWorld())
    _WORLD.clear()
    _WORLD.update(
        other=(type(other), other.pk),
        council_only=(type(council_only), council_only.pk),
        withdrawn=[(type(case), case.pk) for case in withdrawn_cases],
    )


_WORLD: dict[str, object] = {}
_the_world = built_once_per_module(_build_the_world)


@pytest.fixture
def world(_the_world, not_transactional, db):
    """The world of the matrix (the demo, plus `_world`), read afresh for each test; each test's
    own writes are rolled back after it (built_once_per_module)."""

    def read(model_and_pk):
        model, pk = model_and_pk
        return model._base_manager.get(pk=pk)

    return SimpleNamespace(
        demo=DemoWorld(),
        other=read(_WORLD["other"]),
        council_only=read(_WORLD["council_only"]),
        withdrawn=[read(case) for case in _WORLD["withdrawn"]],
    )


def test_the_shards_partition_the_route_inventory():
    """The shards of the matrix check every route of the inventory, each in exactly one shard, and
    each shard has routes with identifiers to check (its `checked >= 1` is not vacuous)."""
    routes = url_inventory.routes()
    shards = [_shard(routes, index) for index in range(SHARDS)]
    keys = [(route.view_name, route.pattern) for shard in shards for route in shard]
    assert sorted(keys) == sorted((route.view_name, route.pattern) for route in routes)
    assert len(keys) == len(set(keys)) == len(routes)
    assert all(any(route.parameters for route in shard) for shard in shards)


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.django_db
def test_no_url_reaches_a_case_out_of_scope(world, shard):
    demo, other, council_only, withdrawn_cases = world.demo, world.other, world.council_only, world.withdrawn
    from django.test import Client

    anonymous = Client()
    routes = _shard(url_inventory.routes(), shard)
    # API clients' service accounts have no password and never sign in to the pages; what they
    # reach is the API's own matrix (tests/api/test_access_matrix.py).
    wn_users = list(
        User.objects.filter(
            memberships__partnership__slug="west-northamptonshire", api_client__isnull=True
        ).order_by("username")
    )
    assert {r for u in wn_users for r in u.roles} == set(Role.values), "every role must be in the matrix"
    clients = _clients(wn_users, demo.partnership("west-northamptonshire"))
    failures: list[str] = []

    # A. Another partnership's records, as every role of this one.
    # Every kind of case (ADR 0048): the standing panels' cases too (ADR 0064).
    islington_ids = list(Case.objects.filter(partnership__slug="islington").values_list("pk", flat=True))
    references = [other.reference] + [
        r
        for r in Application.objects.filter(pk__in=islington_ids).values_list("reference", flat=True)
        if r != other.reference
    ]
    checked = 0
    for route in routes:
        if not route.parameters:
            continue
        combos = _fill(route, islington_ids, references)
        if combos is None:
            continue
        checked += 1
        _check(route, combos, clients, anonymous, failures, post_as=("wn-csm", "wn-admin", "wn-dpo"))

    # B. Another agency's case in the same partnership, as each agency officer.
    officers = [u for u in wn_users if u.has_role(Role.AGENCY_OFFICER)]
    for officer in officers:
        not_party = list(
            Case.objects.filter(partnership__slug="west-northamptonshire")
            .exclude(agencies__agency=officer.agency)
            .values_list("pk", flat=True)
        )
        refs = [council_only.reference] + [
            r
            for r in Application.objects.filter(pk__in=not_party).values_list("reference", flat=True)
            if r != council_only.reference
        ]
        for route in routes:
            if route.parameters:
                combos = _fill(route, not_party, refs, officer=officer)
                if combos is not None:
                    _check(
                        route,
                        combos,
                        {officer.username: clients[officer.username]},
                        anonymous,
                        failures,
                        post_as=(officer.username,),
                    )

    # C. Consent withdrawn: the police officer's agency is party, but the victim said stop sharing.
    police = demo.user("wn-police")
    withdrawn_ids = [case.pk for case in withdrawn_cases]
    assert all(case.agencies.filter(agency=police.agency).exists() for case in withdrawn_cases)
    for route in routes:
        if route.parameters:
            combos = _fill(route, withdrawn_ids, [case.reference for case in withdrawn_cases], officer=police)
            if combos is not None:
                _check(
                    route,
                    combos,
                    {"wn-police": clients["wn-police"]},
                    anonymous,
                    failures,
                    post_as=("wn-police",),
                )

    # Pages without identifiers (lists, searches, exports): searching for the out-of-scope victim
    # by name or reference shows nothing of theirs, to any role.
    for route in routes:
        if route.parameters or route.view_name in {"accounts:logout"}:
            continue
        url = route.build({})
        for query in (
            {"q": "Outofscope"},
            {"q": other.reference, "reference": other.reference, "search": "Outofscope"},
        ):
            for username, client in clients.items():
                response = client.get(url, query)
                # What the user typed is echoed back in the search box: that is not the case's data.
                body = re.sub(r'value="[^"]*"', 'value=""', _body(response))
                # The access log records this partnership's staff trying other references (the
                # attempts this very test makes): the reference may appear there, nothing else.
                reference_shown = other.reference in body and route.view_name not in {
                    "audit:search",
                    "audit:export",
                }
                if MARKER_FIRST in body or reference_shown:
                    failures.append(f"{username} GET {url}?{query} shows the out-of-scope case")

    assert failures == [], f"{len(failures)} URL(s) reach out of scope:\n" + "\n".join(failures[:60])
    assert checked >= 1


@pytest.mark.django_db
def test_in_scope_staff_do_reach_their_own_cases(world):
    """Sanity: the matrix would notice if everything were a 404."""
    demo = world.demo
    from casereview.privacy import services as privacy

    wn = demo.partnership("west-northamptonshire")
    case = make_application(wn, victim_name="In Scope")
    evidence = privacy.evidence_file_add(
        application=case,
        name="photo.png",
        content=b"\x89PNG\r\n\x1a\n" + b"0" * 64,
        actor=demo.user("wn-csm"),
    )
    clients = _clients([demo.user("wn-csm"), demo.user("wn-police"), demo.user("wn-dpo")])
    for username in ("wn-csm", "wn-police"):
        response = clients[username].get(f"/data-protection/evidence/{evidence.pk}/")
        assert response.status_code == 200, username
    assert clients["wn-dpo"].get(f"/data-protection/cases/{case.reference}/").status_code == 200


def test_no_case_record_is_in_the_django_admin():
    from django.contrib import admin

    personal = {m for m in apps.get_models() if m._meta.app_label in {"applications", "privacy", "audit"}}
    registered = set(admin.site._registry)
    assert personal & registered == set(), "case records must be reached through the product's pages"


@pytest.mark.django_db
def test_the_matrix_fails_naming_a_route_it_has_no_real_record_for(world):
    """A route aimed at a record that does not exist is a 404 whatever the access rules: the matrix
    refuses to invent one, and says which route needs a record in the world."""
    demo = world.demo
    wn = demo.partnership("west-northamptonshire")
    case = make_application(wn, victim_name="Wren Nothingyet")  # no letter, no appeal, no meeting
    routes = {r.view_name: r for r in url_inventory.routes()}
    for view_name in ("letters:detail", "appeals:detail", "panels:meeting"):
        with pytest.raises(pytest.fail.Exception, match=re.escape(repr(view_name))):
            _fill(routes[view_name], [case.pk], [case.reference])
    # The case itself is real: a route naming only the case is filled.
    assert _fill(routes["applications:detail"], [case.pk], [case.reference]) == [
        {"reference": case.reference}
    ]


def test_every_administrative_page_refuses_another_partnerships_records_and_no_grant_crosses(world):
    """Issue 13: 0 cross-partnership grants. Every administrative page (found from the resolver),
    as every role of West Northamptonshire, aimed at Islington's users and agencies, GET and POST
    with a role grant in the body: a 404 each time, and not one grant, user or agency changed."""
    from casereview.accounts.models import Agency, Membership, RoleGrant

    demo = world.demo  # the whole demo (`make run`'s), and the matrix's marked cases
    routes = [r for r in url_inventory.routes() if r.view_name.startswith("accounts:administration")]
    assert len(routes) >= 6, [r.view_name for r in routes]
    islington_user = demo.user("is-police")
    islington_agency = Agency.objects.filter(partnership__slug="islington").first()
    values = {"user_id": islington_user.pk, "agency_id": islington_agency.pk}
    wn_users = list(
        User.objects.filter(memberships__partnership__slug="west-northamptonshire").order_by("username")
    )
    clients = _clients(wn_users, demo.partnership("west-northamptonshire"))
    grant = {
        "first_name": "Taken",
        "last_name": "Over",
        "roles": [Role.ADMINISTRATOR, Role.COMMUNITY_SAFETY_MANAGER],
        "is_active": "on",
        "agency": islington_agency.pk,
        "name": "Renamed",
        "kind": "police",
    }

    def state():
        return (
            sorted(RoleGrant.objects.values_list("user_id", "partnership_id", "role")),
            sorted(User.objects.values_list("pk", "first_name", "is_active")),
            sorted(Membership.objects.values_list("user_id", "partnership_id", "agency_id")),
            sorted(Agency.objects.values_list("pk", "partnership_id", "name")),
        )

    before = state()
    failures = []
    for route in routes:
        if not route.parameters:
            continue
        url = route.build({name: values[name] for name in route.parameters})
        for username, client in clients.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url, grant if method == "post" else {})
                if response.status_code != 404:
                    failures.append(f"{username} {method.upper()} {url} → {response.status_code}")
    assert failures == []
    assert state() == before


def _working_in(client, partnership) -> None:
    """Choose the partnership through the chooser page itself, as a person would."""
    response = client.post(
        reverse("accounts:choose_partnership"), {"partnership": partnership.pk, "next": "/cases/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/", response.status_code


@pytest.mark.django_db
def test_a_user_of_two_partnerships_reaches_only_the_one_chosen(world):
    """ADR 0041: a housing association in both partnerships; its officer holds every role in West
    Northamptonshire and none in Islington. Working in either, every URL aimed at the Islington
    case is a 404 and no list, search or export shows it; the chooser offers only their own
    partnerships. Once granted a role in Islington and working there, they reach it (control)."""
    from casereview.accounts.models import Membership, RoleGrant

    demo, other = world.demo, world.other
    wn, islington = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    wn_homes = demo.agency("west-northamptonshire", "housing")
    is_homes = demo.agency("islington", "housing")
    is_homes.organisation = wn_homes.organisation  # one housing association working in both
    is_homes.save()
    officer = User.objects.create_user(username="mb-officer", partnership=wn, agency=wn_homes)
    Membership.objects.create(user=officer, partnership=islington, agency=is_homes)
    for role in Role.values:
        RoleGrant.objects.create(user=officer, partnership=wn, role=role)
    assert other.agencies.filter(agency=is_homes).exists()  # their organisation is party to it there

    clients = {}
    for partnership in (wn, islington):
        client = _clients([officer])["mb-officer"]
        assert client.get("/cases/")["Location"].startswith(reverse("accounts:choose_partnership"))
        _working_in(client, partnership)
        clients[f"mb-officer in {partnership.slug}"] = client
    from django.test import Client

    anonymous = Client()
    routes = url_inventory.routes()
    # Every kind of case (a standing panel's meeting item included), as the main matrix does.
    islington_ids = list(Case.objects.filter(partnership=islington).values_list("pk", flat=True))
    references = [other.reference]
    failures: list[str] = []
    for route in routes:
        if route.parameters:
            combos = _fill(route, islington_ids, references)
            if combos is not None:
                _check(route, combos, clients, anonymous, failures, post_as=tuple(clients))
        elif route.view_name != "accounts:logout":
            for label, client in clients.items():
                response = client.get(route.build({}), {"q": other.reference, "search": "Outofscope"})
                body = re.sub(r'value="[^"]*"', 'value=""', _body(response))
                if MARKER_FIRST in body or (
                    other.reference in body and route.view_name not in {"audit:search", "audit:export"}
                ):
                    failures.append(f"{label} GET {route.pattern} shows the other partnership's case")
    # The chooser refuses a partnership they do not work in, and the choice stands.
    outsider = Partnership.objects.create(slug="elsewhere", name="Elsewhere", policy_ref="statutory")
    client = clients["mb-officer in west-northamptonshire"]
    refused = client.post(reverse("accounts:choose_partnership"), {"partnership": outsider.pk})
    assert refused.status_code == 200 and "Choose the partnership you are working in" in _body(refused)
    assert client.get(f"/cases/{other.reference}/").status_code == 404
    assert failures == [], f"{len(failures)} URL(s) reach out of scope:\n" + "\n".join(failures[:60])

    # Control: granted a role in Islington and working there, they do reach the case.
    RoleGrant.objects.create(user=officer, partnership=islington, role=Role.AGENCY_OFFICER)
    assert clients["mb-officer in islington"].get(f"/cases/{other.reference}/").status_code == 200
    assert clients["mb-officer in west-northamptonshire"].get(f"/cases/{other.reference}/").status_code == 404
