"""The local policing body's review route (the Crime and Policing Act 2026): asked online or by the
office, refused before its commencement (naming the date) and out of time, decided with reasons;
sent back, the threshold decision re-opens for the partnership, the SPOC is told and the victim's
letter goes out; the reviewer sees the application, the incidents and the decision only."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from types import MappingProxyType

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casereview.accounts import demo as accounts_demo
from casereview.accounts.models import Partnership, User
from casereview.core.commencement import default_register
from casereview.law.services import commencement_record
from casereview.letters.models import Letter
from casereview.lpbreviews import selectors as lpb_selectors
from casereview.lpbreviews.services import lpb_review_decide, lpb_review_request
from casereview.returns import demo as returns_demo
from casereview.returns.models import ForceArea
from casereview.statistics.periods import Period
from casereview.statistics.selectors import figures_for
from tests.conftest import built_once_per_module
from tests.statistics import workflow as wf

D = dt.date
KEY = "cpa2026.lpb_review"


def _load_the_force_area():
    accounts_demo.load(io.StringIO())
    returns_demo.load(io.StringIO())


# The demo force area (the accounts demo, North Northamptonshire's users and its spread of cases for
# the figures) takes seconds to write: it is written once for the module's tests, each of which
# starts from exactly it and has its own writes rolled back (tests/conftest.py).
_force_area = built_once_per_module(_load_the_force_area)


@pytest.fixture
def northamptonshire(_force_area, not_transactional, db):
    wn = Partnership.objects.get(slug="west-northamptonshire")
    nn = Partnership.objects.get(slug="north-northamptonshire")
    return wn, nn, ForceArea.objects.get(slug="northamptonshire")


def in_force(on=None, nation="england"):
    on = on or D(2026, 6, 29)
    commencement_record(provision=KEY, nation=nation, in_force_on=on, source="SI 2026/600", actor=None)


@pytest.fixture
def no_appeal_first(monkeypatch):
    """The register's settings with the partnership's appeal not required first."""
    real = lpb_selectors.commencement_register

    def register():
        base = real()
        provision = base.provision(KEY)
        settings = MappingProxyType({**provision.settings, "appeal_first": False})
        provisions = {**base.provisions, KEY: replace(provision, settings=settings)}
        return type(base)(provisions, version=base.version)

    monkeypatch.setattr(lpb_selectors, "commencement_register", register)


def user(name):
    return User.objects.get(username=name)


def pcc_in(partnership):
    pcc = user("np-pcc")
    pcc.work_in(partnership.pk)
    return pcc


def declined_case(nn, *, letter_on=None):
    letter_on = letter_on or D(2026, 11, 3)
    csm = user("nnc-csm")
    return wf.decline(wf.received(nn, D(2026, 10, 20)), D(2026, 11, 2), csm, letter_on=letter_on)


@pytest.mark.django_db
def test_refused_before_commencement_naming_the_date_and_nothing_written(
    northamptonshire, no_appeal_first, unchanged_rows
):
    _wn, nn, _area = northamptonshire
    case = declined_case(nn)
    in_force(D(2026, 11, 21))
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        lpb_review_request(application=case, requested_on=D(2026, 11, 20), channel="online", why="Wrong.")
    assert "21 November 2026" in str(error.value)
    review = lpb_review_request(
        application=case, requested_on=D(2026, 11, 21), channel="online", why="Wrong."
    )
    assert review.time_limit == "28 days" and review.time_limit_ends_on == D(2026, 12, 1)
    assert review.nation == "england" and review.policing_body.startswith("Northamptonshire")


@pytest.mark.django_db
def test_wales_reads_its_own_date(northamptonshire, no_appeal_first):
    _wn, nn, area = northamptonshire
    area.nation = "wales"
    area.save()
    case = declined_case(nn)
    in_force(D(2026, 6, 29), nation="england")
    with pytest.raises(ValidationError) as error:
        lpb_review_request(application=case, requested_on=D(2026, 11, 20), channel="online", why="Wrong.")
    assert "not yet in force" in str(error.value)


@pytest.mark.django_db
def test_the_time_limits_last_day_is_accepted_and_the_day_after_refused(northamptonshire, no_appeal_first):
    _wn, nn, _area = northamptonshire
    in_force()
    late = declined_case(nn, letter_on=D(2026, 11, 3))
    with pytest.raises(ValidationError) as error:
        lpb_review_request(application=late, requested_on=D(2026, 12, 2), channel="online", why="Wrong.")
    assert "ended on 1 December 2026" in str(error.value)
    review = lpb_review_request(application=late, requested_on=D(2026, 12, 1), channel="online", why="Wrong.")
    assert review.pk
    with pytest.raises(ValidationError) as error:  # once per decision
        lpb_review_request(application=late, requested_on=D(2026, 12, 1), channel="online", why="Again.")
    assert "already been asked for" in str(error.value)


@pytest.mark.django_db
def test_with_the_presets_appeal_first_the_partnerships_appeal_comes_first(northamptonshire):
    from casereview.appeals.services import appeal_decide, appeal_lodge

    _wn, nn, _area = northamptonshire
    in_force()
    case = declined_case(nn)
    with pytest.raises(ValidationError) as error:
        lpb_review_request(application=case, requested_on=D(2026, 11, 10), channel="online", why="Wrong.")
    assert "First appeal to the council's partnership" in str(error.value)
    appeal = appeal_lodge(
        application=case,
        decision_appealed="threshold_not_met",
        lodged_on=D(2026, 11, 5),
        channel="phone",
        grounds=["insufficient_reasons"],
        explanation="Not explained.",
        actor=user("nnc-csm"),
    )
    appeal_decide(
        appeal=appeal,
        actor=user("nnc-senior"),
        decided_on=D(2026, 11, 9),
        outcome="not_upheld",
        reasons="The letter explained each incident.",
    )
    review = lpb_review_request(
        application=case, requested_on=D(2026, 11, 10), channel="online", why="Wrong."
    )
    assert review.appeal_first and review.time_limit_ends_on == D(2026, 12, 7)  # 28 days from 9 Nov


@pytest.mark.django_db
def test_sent_back_reopens_the_threshold_decision_tells_the_spoc_and_writes_to_the_victim(
    northamptonshire, no_appeal_first
):
    _wn, nn, _area = northamptonshire
    in_force()
    case = declined_case(nn)
    review = lpb_review_request(
        application=case,
        requested_on=D(2026, 11, 20),
        channel="phone",
        why="Two reports not counted.",
        actor=pcc_in(nn),
    )
    assert case.events.filter(kind="lpb_review_requested").exists()
    reasons = "The police reports of 1 and 8 October were within the window and were not counted."
    lpb_review_decide(
        review=review, actor=pcc_in(nn), outcome="sent_back", reasons=reasons, decided_on=D(2026, 11, 25)
    )
    case.refresh_from_db()
    assert case.status == "acknowledged"
    event = case.events.get(kind="lpb_review_sent_back")
    assert event.data["reason"] == reasons and event.data["from"] == "declined"
    told = case.events.get(kind="notification_sent", data__purpose="lpb_review_sent_back")
    assert user("nnc-csm").pk in told.data["recipients"]  # no SPOC yet: the managers
    review.refresh_from_db()
    letter = Letter.objects.get(pk=review.letter_id)
    assert letter.kind == "lpb_review_outcome"
    assert reasons in letter.body_html and "sent back to the partnership to decide again" in letter.body_html
    # The partnership can decide again.
    assert case.status in ("acknowledged",)
    figures = figures_for(partnership=nn, period=Period(D(2026, 4, 1), D(2027, 3, 31)), as_at=D(2026, 12, 6))
    assert (
        figures.lpb_reviews_requested,
        figures.lpb_reviews_sent_back,
        figures.lpb_reviews_decision_stands,
    ) == (
        1,
        1,
        0,
    )


@pytest.mark.django_db
def test_the_decision_stands_keeps_the_case_declined(northamptonshire, no_appeal_first):
    _wn, nn, _area = northamptonshire
    in_force()
    case = declined_case(nn)
    review = lpb_review_request(
        application=case, requested_on=D(2026, 11, 20), channel="online", why="Wrong."
    )
    lpb_review_decide(
        review=review,
        actor=pcc_in(nn),
        outcome="stands",
        reasons="Each incident was assessed correctly.",
        decided_on=D(2026, 11, 25),
    )
    case.refresh_from_db()
    assert case.status == "declined" and case.events.filter(kind="lpb_review_decided").exists()


@pytest.mark.django_db
def test_only_the_office_of_the_cases_partnership_decides_with_reasons(
    northamptonshire, no_appeal_first, unchanged_rows
):
    wn, nn, _area = northamptonshire
    in_force()
    case = declined_case(nn)
    review = lpb_review_request(
        application=case, requested_on=D(2026, 11, 20), channel="online", why="Wrong."
    )
    for actor in (user("nnc-csm"), user("nnc-senior"), pcc_in(wn)):
        with unchanged_rows(), pytest.raises(PermissionDenied):
            lpb_review_decide(
                review=review, actor=actor, outcome="sent_back", reasons="x", decided_on=D(2026, 11, 25)
            )
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        lpb_review_decide(
            review=review, actor=pcc_in(nn), outcome="", reasons=" ", decided_on=D(2026, 11, 25)
        )
    assert set(error.value.message_dict) == {"outcome", "reasons"}
    with unchanged_rows(), pytest.raises(PermissionDenied):  # staff of the partnership cannot record for it
        lpb_review_request(
            application=case, requested_on=D(2026, 11, 21), channel="phone", why="x", actor=user("nnc-csm")
        )


@pytest.mark.django_db
def test_the_reviewer_sees_the_application_incidents_and_decision_and_nothing_else(
    northamptonshire, no_appeal_first, client
):
    wn, nn, _area = northamptonshire
    in_force()
    case = declined_case(nn)
    review = lpb_review_request(
        application=case, requested_on=D(2026, 11, 20), channel="online", why="Wrong."
    )
    pcc = user("np-pcc")
    client.force_login(pcc)
    client.post(
        reverse("accounts:choose_partnership"), {"partnership": nn.pk, "next": "/policing-body-reviews/"}
    )
    page = client.get(reverse("lpbreviews:detail", args=[review.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert case.reference in html and "The decision" in html and "The incidents" in html
    assert "Jo Bloggs" not in html and case.victim.email not in html  # no names or contact details
    # The office reaches no case page, and another partnership's review is a 404.
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    client.post(
        reverse("accounts:choose_partnership"), {"partnership": wn.pk, "next": "/policing-body-reviews/"}
    )
    assert client.get(reverse("lpbreviews:detail", args=[review.pk])).status_code == 404
    # Anyone else: 404.
    client.force_login(user("nnc-csm"))
    assert client.get(reverse("lpbreviews:list")).status_code == 404
    assert client.get(reverse("lpbreviews:detail", args=[review.pk])).status_code == 404


@pytest.mark.django_db
def test_the_not_met_letter_carries_the_route_only_when_in_force(northamptonshire, no_appeal_first):
    from django.utils import translation

    _wn, nn, _area = northamptonshire
    case = declined_case(nn)
    assert lpb_selectors.lpb_review_route_words(case, D(2026, 11, 3)) == ""
    in_force(D(2026, 11, 3))
    assert lpb_selectors.lpb_review_route_words(case, D(2026, 11, 2)) == ""
    words = lpb_selectors.lpb_review_route_words(case, D(2026, 11, 3))
    assert "by 1 December 2026" in words and "/my-review/policing-body-review/" in words
    with translation.override("cy"):
        welsh = lpb_selectors.lpb_review_route_words(case, D(2026, 11, 3))
    assert welsh != words and "Rhagfyr 2026" in welsh


@pytest.mark.django_db
def test_the_preset_route_words_speak_of_the_appeal_first(northamptonshire):
    _wn, nn, _area = northamptonshire
    case = declined_case(nn)
    in_force(D(2026, 11, 3))
    assert "If you appeal and your appeal is not upheld" in lpb_selectors.lpb_review_route_words(
        case, D(2026, 11, 3)
    )


def test_the_default_register_keeps_the_route_closed():
    assert default_register().in_force_from(KEY, nation="england") is None


@pytest.mark.django_db
def test_the_issued_not_met_letter_carries_the_route_even_in_a_partnerships_older_wording(
    northamptonshire, no_appeal_first
):
    from casereview.letters.kinds import KINDS
    from casereview.letters.services import letter_issue, letter_template_save

    _wn, nn, _area = northamptonshire
    csm = user("nnc-csm")
    csm.work_in(nn.pk)
    one = [(D(2026, 10, 1), "council", D(2026, 10, 2))]
    before = wf.decline(wf.received(nn, D(2026, 10, 20), incidents=one), D(2026, 11, 2), csm)
    letter = letter_issue(case=before, kind="threshold_not_met", actor=csm)
    assert "policing-body-review" not in letter.body_html  # not in force: not mentioned
    in_force(D(2026, 1, 1))
    spec = KINDS["threshold_not_met"]
    older = spec.default_body.replace("{{ lpb_review_route }}", "").strip()
    letter_template_save(
        partnership=nn, kind="threshold_not_met", subject=spec.default_subject, body=older, actor=csm
    )
    case = wf.decline(wf.received(nn, D(2026, 10, 21), incidents=one), D(2026, 11, 2), csm)
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    assert "/my-review/policing-body-review/" in letter.body_html
    assert "You can also ask Northamptonshire" in letter.body_html


@pytest.mark.django_db
def test_the_victims_page_carries_the_route_and_the_form_sends_the_request(
    northamptonshire, no_appeal_first, client
):
    from tests.portal.conftest import sign_in_as

    _wn, nn, _area = northamptonshire
    in_force()
    case = declined_case(nn, letter_on=dt.date.today() - dt.timedelta(days=5))  # within the time limit
    sign_in_as(client, case)
    page = client.get("/my-review/").content.decode()
    assert "A review by the local policing body" in page and 'href="/my-review/policing-body-review/"' in page
    welsh = client.get("/my-review/policing-body-review/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Gofyn am adolygu’r penderfyniad" in welsh
    empty = client.post("/my-review/policing-body-review/", {"why": " "})
    assert empty.status_code == 200 and "Enter why you think the decision is wrong" in empty.content.decode()
    sent = client.post("/my-review/policing-body-review/", {"why": "My police reports were not counted."})
    assert sent.status_code == 302 and sent["Location"] == "/my-review/"
    review = case.lpb_reviews.get()
    assert review.channel == "online" and review.recorded_by is None
    assert case.events.filter(kind="portal_lpb_review").exists()
    assert "They will write to you with their decision." in client.get("/my-review/").content.decode()
