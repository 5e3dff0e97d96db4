"""The access selector's own rules, through every kind of path that reads cases.

`applications.selectors.applications_visible_to(user)` is the one place access is decided. Two of
its rules are tested here through the lists, searches, case pages, letters, files and exports that
start from it, each against a control that shows the same path does reach the case when the rule
does not apply (so a test that passes on a 404 for some other reason cannot hide a broken rule):

1. The second factor. The sign-in middleware (`SecondFactorRequiredMiddleware`) sends a member of
   staff who has typed a password but no security code to the two-factor page; the selector is the
   defence behind it, for when the middleware is misconfigured or bypassed: an unverified
   `request.user` sees no case. Here the middleware is taken out of the stack and the pages are
   asked for by a session that stopped after the password.
2. Consent withdrawn. An agency officer loses every case whose victim has withdrawn consent to
   sharing with partner agencies, while their agency stays party to it; given again, it is back.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from casereview.applications.selectors import applications_visible_to
from casereview.privacy import services as privacy
from tests.conftest import VerifiedClient
from tests.factories import make_application
from tests.security.world import furnish

pytestmark = pytest.mark.django_db

VICTIM = "Quillon Guardcase"
SECOND_FACTOR_MIDDLEWARE = "casereview.accounts.middleware.SecondFactorRequiredMiddleware"


@pytest.fixture
def case(demo):
    """A West Northamptonshire case the police are party to (an incident reported to them), with a
    letter, a panel meeting, an action, an information request and an evidence file."""
    application = make_application(demo.partnership("west-northamptonshire"), victim_name=VICTIM)
    furnish(application)
    return application


@pytest.fixture
def plain_case(demo):
    """The same case without its records: enough for the selector itself, and quick (make mutate)."""
    return make_application(demo.partnership("west-northamptonshire"), victim_name=VICTIM)


@pytest.fixture
def without_second_factor_middleware(settings):
    assert SECOND_FACTOR_MIDDLEWARE in settings.MIDDLEWARE
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SECOND_FACTOR_MIDDLEWARE]


def _password_only(user) -> Client:
    """A session that signed in with the password and stopped before the security code."""
    client = Client()
    client.force_login(user)
    return client


def _verified(user) -> Client:
    client = type("Client", (VerifiedClient, Client), {})()
    client.force_login(user)
    return client


def _lists(case) -> list[tuple[str, str]]:
    """(what, URL) of pages that list or search cases: the case shows as its reference."""
    return [
        ("the case list", "/cases/"),
        ("a case search by name", "/cases/?q=Guardcase"),
        ("a case search by reference", f"/cases/?q={case.reference}"),
        ("the letters list", "/letters/"),
        ("the reviews list", "/reviews/"),
        ("the information requests", "/reviews/requests/"),
        ("the panels list", "/panels/"),
        ("the actions list", "/actions/"),
    ]


def _records(case) -> list[tuple[str, str]]:
    """(what, URL) of pages, files and exports of the case or one of its records: 200 or 404."""
    letter = case.letters.order_by("pk").first()
    meeting = case.panel_meetings.order_by("pk").first()
    action = case.actions.order_by("pk").first()
    request = case.information_requests.order_by("pk").first()
    evidence = case.evidence_files.order_by("pk").first()
    reference = case.reference
    return [
        ("the case page", f"/cases/{reference}/"),
        ("the case's letters", f"/letters/case/{reference}/"),
        ("a letter", f"/letters/{letter.pk}/"),
        ("a letter's PDF", f"/letters/{letter.pk}/download/"),
        ("the review", f"/reviews/cases/{reference}/"),
        ("an information request", f"/reviews/requests/{request.pk}/"),
        ("the panel page of the case", f"/panels/cases/{reference}/"),
        ("a panel meeting", f"/panels/{meeting.pk}/"),
        ("the chair's pack (PDF)", f"/panels/{meeting.pk}/chairs-pack.pdf"),
        ("an action", f"/actions/{action.pk}/"),
        ("an evidence file download", f"/data-protection/evidence/{evidence.pk}/"),
        ("the data protection page of the case", f"/data-protection/cases/{reference}/"),
    ]


def _shows(response, case) -> bool:
    body = response.content.decode(errors="replace")
    # What the user typed is echoed in the search box, and a hint gives an example reference (which
    # may be this one): neither is the case's data.
    body = re.sub(r'value="[^"]*"', 'value=""', body)
    body = re.sub(r'<div [^>]*class="govuk-hint"[^>]*>.*?</div>', "", body, flags=re.DOTALL)
    return response.status_code == 200 and (case.reference in body or VICTIM in body)


# --- 1. The second factor ---------------------------------------------------------------------------


def test_the_selector_gives_an_unverified_user_no_case(plain_case, demo):
    case = plain_case
    user = demo.user("wn-csm")
    assert applications_visible_to(user).filter(pk=case.pk).exists()  # no request: nothing to verify
    user.is_verified = lambda: True  # as django_otp's OTPMiddleware sets it on request.user
    assert applications_visible_to(user).filter(pk=case.pk).exists()
    user.is_verified = lambda: False
    assert not applications_visible_to(user).exists()


# What each user reaches when verified (at least): the control that makes a 404 mean something.
# The council's staff reach every path; an agency officer sees partners' letters only, not the
# council's action, and not the chair's pack unless a member.
EVERY = object()
CONTROL_LISTS = {
    "wn-csm": EVERY,
    "wn-spoc": EVERY,
    "wn-police": {"the case list", "a case search by name", "a case search by reference", "the reviews list"},
}
CONTROL_RECORDS = {
    "wn-csm": EVERY,
    "wn-spoc": EVERY,
    "wn-police": {"the case page", "the case's letters", "a panel meeting", "an evidence file download"},
}


def _control(expected, paths) -> set[str]:
    return {what for what, _ in paths} if expected is EVERY else expected


def _paths(kind: str, case):
    return _lists(case) if kind == "lists" else _records(case)


def _reaches(client, kind: str, what_url, case) -> bool:
    response = client.get(what_url[1])
    return _shows(response, case) if kind == "lists" else response.status_code == 200


CONTROLS = {"lists": CONTROL_LISTS, "records": CONTROL_RECORDS}


@pytest.mark.parametrize("kind", ["lists", "records"])
@pytest.mark.parametrize("username", sorted(CONTROL_RECORDS))
def test_without_the_middleware_a_password_only_session_reaches_no_case(
    case, demo, without_second_factor_middleware, username, kind
):
    user = demo.user(username)
    paths = _paths(kind, case)
    verified = _verified(user)
    seen = {path[0] for path in paths if _reaches(verified, kind, path, case)}
    assert _control(CONTROLS[kind][username], paths) <= seen, seen

    client = _password_only(user)
    reached = [f"{what} ({url})" for what, url in paths if _reaches(client, kind, (what, url), case)]
    assert reached == [], f"reachable before the second factor: {reached}"


# --- 2. Consent withdrawn ------------------------------------------------------------------------------


def test_the_selector_drops_a_case_whose_victim_withdrew_consent_for_agency_officers_only(plain_case, demo):
    case = plain_case
    police, csm = demo.user("wn-police"), demo.user("wn-csm")
    assert case.agencies.filter(agency=police.agency).exists()
    assert applications_visible_to(police).filter(pk=case.pk).exists()
    withdrawal = privacy.consent_withdraw(
        application=case, withdrawn_on=dt.date(2025, 5, 1), how="phone", actor=csm
    )
    assert not applications_visible_to(police).filter(pk=case.pk).exists()
    # The council, which runs the review, keeps the case.
    assert applications_visible_to(csm).filter(pk=case.pk).exists()
    privacy.consent_reinstate(withdrawal=withdrawal, actor=csm, reason="The victim agreed again.")
    assert applications_visible_to(police).filter(pk=case.pk).exists()


@pytest.mark.parametrize("kind", ["lists", "records"])
def test_an_agency_officer_loses_the_case_when_consent_is_withdrawn_and_regains_it(case, demo, kind):
    police, csm = demo.user("wn-police"), demo.user("wn-csm")
    officer, council = _verified(police), _verified(csm)
    paths = _paths(kind, case)
    seen = {path[0] for path in paths if _reaches(officer, kind, path, case)}
    assert CONTROLS[kind]["wn-police"] <= seen, seen

    withdrawal = privacy.consent_withdraw(
        application=case, withdrawn_on=dt.date(2025, 5, 1), how="phone", actor=csm
    )
    reached = [f"{what} ({url})" for what, url in paths if _reaches(officer, kind, (what, url), case)]
    assert reached == [], f"reachable after the victim withdrew consent: {reached}"
    # The council keeps every path it had.
    assert _control(CONTROLS[kind]["wn-csm"], paths) <= {
        p[0] for p in paths if _reaches(council, kind, p, case)
    }

    privacy.consent_reinstate(withdrawal=withdrawal, actor=csm, reason="The victim agreed again.")
    assert {path[0] for path in paths if _reaches(officer, kind, path, case)} == seen


def test_the_selector_drops_only_the_case_whose_victim_withdrew_consent(plain_case, demo):
    case = plain_case
    """Another case of the same agency, whose victim has not withdrawn consent, stays visible."""
    police = demo.user("wn-police")
    other = make_application(demo.partnership("west-northamptonshire"), victim_name="Quentin Stillshared")
    privacy.consent_withdraw(
        application=case, withdrawn_on=dt.date(2025, 5, 1), how="phone", actor=demo.user("wn-csm")
    )
    visible = set(applications_visible_to(police))
    assert other in visible and case not in visible


# --- The selector's other rules, quickly (the tests `make mutate` runs against it) --------------------


def test_the_selector_gives_an_inactive_user_no_case(plain_case, demo):
    user = demo.user("wn-csm")
    assert applications_visible_to(user).filter(pk=plain_case.pk).exists()
    user.is_active = False
    assert not applications_visible_to(user).exists()


@pytest.mark.parametrize("username", ["wn-analyst", "wn-police"])
def test_the_selector_gives_no_case_without_a_case_role_or_an_agency(plain_case, demo, username):
    from casereview.accounts.models import Membership

    user = demo.user(username)
    if username == "wn-police":
        assert applications_visible_to(user).filter(pk=plain_case.pk).exists()
        # An agency officer whose agency is not recorded (in the partnership they work in).
        Membership.objects.filter(user=user).update(agency=None)
        user = demo.user(username)
    assert not applications_visible_to(user).exists()


def test_an_agency_officer_sees_each_case_once_however_it_is_linked(demo):
    wn = demo.partnership("west-northamptonshire")
    twice = [(dt.date(2025, 3, d), "police", dt.date(2025, 3, d + 1)) for d in (1, 8, 15)]
    case = make_application(wn, victim_name=VICTIM, incidents=twice)
    visible = list(applications_visible_to(demo.user("wn-police")))
    assert visible.count(case) == 1


def test_the_selector_gives_a_signed_out_user_no_case(plain_case):
    from django.contrib.auth.models import AnonymousUser

    assert not applications_visible_to(AnonymousUser()).exists()
    assert not applications_visible_to(None).exists()


def test_one_case_by_reference_is_given_and_its_reading_logged_or_a_404_with_the_attempt_logged(
    plain_case, demo
):
    from django.http import Http404

    from casereview.applications.selectors import application_get_for_user
    from casereview.audit.models import AccessEvent

    reference = plain_case.reference
    assert application_get_for_user(demo.user("wn-csm"), reference) == plain_case
    read = AccessEvent.objects.get(action="view", case_reference=reference)
    assert read.purpose == "Case record" and read.actor_username == "wn-csm"
    assert application_get_for_user(demo.user("wn-csm"), reference, purpose="Letters") == plain_case
    assert AccessEvent.objects.filter(action="view", purpose="Letters").count() == 1

    with pytest.raises(Http404):
        application_get_for_user(demo.user("is-csm"), reference)
    denied = AccessEvent.objects.get(action="denied")
    # Who tried, and which case: the data protection officer searches the log by case (mutmut:
    # the case reference dropped from the denied attempt survived).
    assert (denied.actor_username, denied.case_reference, denied.summary) == (
        "is-csm",
        reference,
        "Case outside the user's scope: 404 given",
    )
    with pytest.raises(Http404):
        application_get_for_user(demo.user("wn-csm"), "WN-2099-9999")  # no such case: nothing to log
    assert AccessEvent.objects.filter(action="denied").count() == 1
