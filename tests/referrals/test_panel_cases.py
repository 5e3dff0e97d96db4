"""A referral to a standing panel is a case on the kernel (ADR 0064): its own kind, its subject
party, its agencies, the one access selector, actions on the one ladder; heard at a standing
meeting with an agenda, attendance, per-case discussion, risk and action plan; minutes by case;
closed only with the panel's agreement; re-opened; the yearly figures derived."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.actions.services import actions_escalate
from casereview.applications.selectors import case_parties, case_party_agencies, cases_visible_to
from casereview.notifications.models import Notice
from casereview.referrals import figures, meetings, selectors
from casereview.referrals.models import AgencyAttendance
from tests.referrals.conftest import MEETING_ON, agency, refer

pytestmark = pytest.mark.django_db


def _held_meeting(demo, islington, cmarac, *, close=False, actions=()):
    """Schedule, record attendance, hear every case, add `actions`, hold."""
    csm = demo.user("is-csm")
    meeting = meetings.meeting_schedule(partnership=islington, kind=cmarac, meeting_on=MEETING_ON, actor=csm)
    meetings.attendance_record(
        meeting=meeting,
        present={
            agency(islington, "council"): "C. Morgan",
            agency(islington, "housing"): "H. Lewis",
        },
        apologies=[agency(islington, "health")],
        actor=csm,
        version=meeting.version,
    )
    for item in meeting.items.all():
        meetings.item_record(
            item=item,
            discussion="Housing visited; support plan agreed.",
            risk_answers={"harm_to_self": True}
            if close
            else {"harm_to_self": True, "harm_from_others": True},
            next_review_on=None if close else MEETING_ON + dt.timedelta(days=28),
            close_agreed=close,
            close_reason="risk_reduced" if close else "",
            actor=csm,
        )
        for description, kind, due in actions:
            meetings.item_action_add(
                item=item,
                description=description,
                owner_agency=agency(islington, kind),
                due_on=due,
                actor=csm,
            )
    meeting.refresh_from_db()
    return meetings.meeting_hold(meeting=meeting, actor=csm, version=meeting.version)


def test_a_referral_is_a_case_of_its_panels_kind_with_its_subject_and_the_referring_agency(
    demo, islington, cmarac
):
    referral = refer(demo, islington, cmarac)
    case = referral.case
    assert (case.kind, case.status, case.status_label) == (
        "panel:cmarac",
        "referred",
        "Referred: not yet heard",
    )
    [party] = case_parties(case)
    assert (party.role, party.person.full_name) == ("subject", "Jo Bloggs")
    assert party.person.profile_link.person == referral.person
    assert [a.kind for a in case_party_agencies(case)] == ["housing"]
    assert [e.kind for e in case.events.order_by("id")] == ["opened", "notification_sent"]
    # The acknowledgement goes to the referring agency, with the reference and nothing about the person.
    notice = Notice.objects.get(recipient=demo.user("is-housing"))
    assert case.reference in notice.text and "Jo Bloggs" not in notice.text


def test_the_one_access_selector_decides_who_sees_the_case(demo, islington, cmarac, client):
    referral = refer(demo, islington, cmarac)
    assert referral.case in cases_visible_to(demo.user("is-housing"))
    assert referral.case in cases_visible_to(demo.user("is-csm"))
    assert referral.case not in cases_visible_to(demo.user("is-police"))
    assert referral not in selectors.referrals_visible_to(demo.user("is-police"))
    client.force_login(demo.user("is-police"))
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    client.force_login(demo.user("is-housing"))
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert referral.case.reference in page and "Referred: not yet heard" in page


def test_the_agenda_sharing_attendance_discussion_and_actions(demo, islington, cmarac):
    referral = refer(demo, islington, cmarac)
    csm = demo.user("is-csm")
    with pytest.raises(PermissionDenied):
        meetings.meeting_schedule(
            partnership=islington, kind=cmarac, meeting_on=MEETING_ON, actor=demo.user("is-housing")
        )
    meeting = meetings.meeting_schedule(partnership=islington, kind=cmarac, meeting_on=MEETING_ON, actor=csm)
    [item] = meeting.items.all()
    assert (item.referral, item.why) == (referral, "new_referral")
    meetings.agency_share_add(item=item, text="Two visits; door damaged.", actor=demo.user("is-housing"))
    with pytest.raises(PermissionDenied):
        meetings.agency_share_add(item=item, text="We know them.", actor=demo.user("is-police"))
    meetings.item_record(
        item=item,
        discussion="Agreed a support plan.",
        risk_answers={"harm_to_self": True, "harm_from_others": True, "escalating": True},
        next_review_on=MEETING_ON + dt.timedelta(days=28),
        close_agreed=False,
        close_reason="",
        actor=csm,
    )
    item.refresh_from_db()
    assert (item.risk_level, item.risk_score, item.risk_tool) == ("high", 8, "Community MARAC risk matrix")
    referral.case.refresh_from_db()
    assert referral.case.status == "open"
    for description, kind in (
        ("Tenancy visit", "housing"),
        ("Mental health assessment", "health"),
        ("Safety plan", "council"),
    ):
        meetings.item_action_add(
            item=item,
            description=description,
            owner_agency=agency(islington, kind),
            due_on=MEETING_ON + dt.timedelta(days=14),
            actor=csm,
        )
    assert referral.case.actions.count() == 3
    assert {a.kind for a in case_party_agencies(referral.case)} == {"housing", "health", "council"}
    # The action request goes to the owning agency's officers.
    assert Notice.objects.filter(
        recipient=demo.user("is-health"), text__contains="asks your agency to act"
    ).exists()
    assert referral.case not in cases_visible_to(demo.user("is-police"))


def test_an_overdue_action_on_a_panel_case_climbs_the_one_ladder(demo, islington, cmarac):
    referral = refer(demo, islington, cmarac)
    _held_meeting(
        demo, islington, cmarac, actions=[("Tenancy visit", "housing", MEETING_ON + dt.timedelta(days=7))]
    )
    counts = actions_escalate(today=MEETING_ON + dt.timedelta(days=30))
    assert counts["sent"] == 1
    event = referral.case.events.get(kind="action_escalated")
    assert "overdue: escalated, Step" in event.summary


def test_minutes_go_by_case_only_to_the_agencies_on_each(demo, islington, cmarac):
    first = refer(demo, islington, cmarac, name="Jo Bloggs")
    second = refer(demo, islington, cmarac, name="Sam Smith", by="is-police")
    meeting = _held_meeting(demo, islington, cmarac)
    result = meetings.minutes_circulate(meeting=meeting, actor=demo.user("is-csm"))
    assert result["agencies"] == 2
    police_notice = Notice.objects.get(recipient=demo.user("is-police"), text__startswith="Minutes")
    assert second.case.reference in police_notice.text and first.case.reference not in police_notice.text
    sections = meetings.minutes_sections_for(demo.user("is-police"), meeting)
    assert [i.referral for i in sections] == [second]
    assert first.case.events.filter(kind="panel_minutes_circulated").exists()


def test_a_case_closes_only_with_the_panels_agreement_and_re_opens(demo, islington, cmarac, unchanged_rows):
    referral = refer(demo, islington, cmarac)
    _held_meeting(demo, islington, cmarac)
    referral.case.refresh_from_db()
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        meetings.panel_case_close(referral=referral, actor=demo.user("is-csm"), version=referral.case.version)
    assert "agree" in str(refused.value)
    second = meetings.meeting_schedule(
        partnership=islington,
        kind=cmarac,
        meeting_on=MEETING_ON + dt.timedelta(days=28),
        actor=demo.user("is-csm"),
    )
    [item] = second.items.all()
    assert item.why == "review_due"
    meetings.item_record(
        item=item,
        discussion="Risk reduced.",
        risk_answers={},
        next_review_on=None,
        close_agreed=True,
        close_reason="risk_reduced",
        actor=demo.user("is-csm"),
    )
    meetings.attendance_record(
        meeting=second,
        present={agency(islington, "council"): ""},
        apologies=[],
        actor=demo.user("is-csm"),
        version=second.version,
    )
    meetings.meeting_hold(meeting=second, actor=demo.user("is-csm"), version=second.version)
    referral.case.refresh_from_db()
    meetings.panel_case_close(
        referral=referral, actor=demo.user("is-csm"), version=referral.case.version, today=second.meeting_on
    )
    referral.refresh_from_db()
    assert (referral.case.status, referral.closed_reason) == ("closed", "risk_reduced")
    meetings.panel_case_reopen(
        referral=referral,
        reason="New reports of harassment.",
        next_review_on=dt.date(2026, 8, 1),
        actor=demo.user("is-csm"),
        version=referral.case.version,
    )
    referral.refresh_from_db()
    assert referral.case.status == "open" and referral.closed_on is None
    kinds = list(referral.case.events.values_list("kind", flat=True))
    assert "panel_case_closed" in kinds and "panel_case_reopened" in kinds


def test_attendance_is_by_agency_and_refuses_an_agency_both_present_and_apologising(demo, islington, cmarac):
    refer(demo, islington, cmarac)
    csm = demo.user("is-csm")
    meeting = meetings.meeting_schedule(partnership=islington, kind=cmarac, meeting_on=MEETING_ON, actor=csm)
    housing = agency(islington, "housing")
    with pytest.raises(ValidationError):
        meetings.attendance_record(
            meeting=meeting, present={housing: ""}, apologies=[housing], actor=csm, version=1
        )
    assert not AgencyAttendance.objects.exists()


def test_the_yearly_figures_are_derived_and_move(demo, islington, cmarac, client):
    referral = refer(demo, islington, cmarac)
    year = figures.year_of(MEETING_ON)
    before = {r.code: r for r in figures.panel_figures(islington, year=year)}["cmarac"]
    assert (before.heard, before.actions, before.closed_risk_reduced, before.open) == (0, 0, 0, 1)
    _held_meeting(
        demo, islington, cmarac, close=True, actions=[("Visit", "housing", MEETING_ON + dt.timedelta(days=7))]
    )
    referral.case.refresh_from_db()
    meetings.panel_case_close(
        referral=referral, actor=demo.user("is-csm"), version=referral.case.version, today=MEETING_ON
    )
    after = {r.code: r for r in figures.panel_figures(islington, year=year)}["cmarac"]
    assert (after.heard, after.actions, after.closed_risk_reduced, after.closed, after.open) == (
        1,
        1,
        1,
        1,
        0,
    )
    client.force_login(demo.user("is-csm"))
    csv_text = client.get(f"/referrals/figures.csv?year={year}").content.decode()
    assert f"{year},cmarac,1,1,1,1,0" in csv_text and "tracker_addresses_on" in csv_text
    client.force_login(demo.user("is-police"))
    assert client.get("/referrals/figures/").status_code == 404


def test_two_people_recording_one_case_at_once_the_second_is_refused_and_shown_the_first(
    demo, islington, cmarac, client, unchanged_rows
):
    """Issue 13's rule on the standing panels' discussion form: it carries the version it was read
    at; the second save is refused naming what changed, and writes nothing."""
    from django.test import Client

    from tests.conftest import VerifiedClient
    from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version

    refer(demo, islington, cmarac)
    csm = demo.user("is-csm")
    meeting = meetings.meeting_schedule(partnership=islington, kind=cmarac, meeting_on=MEETING_ON, actor=csm)
    [item] = meeting.items.all()
    url = f"/referrals/meetings/{meeting.pk}/items/{item.pk}/"
    first, second = client, type("Client", (VerifiedClient, Client), {})()
    first.force_login(csm)
    second.force_login(csm)
    read_first, read_second = form_version(first.get(url)), form_version(second.get(url))
    assert read_first == read_second
    review = MEETING_ON + dt.timedelta(days=28)
    form = {
        "discussion": "Housing visited; support plan agreed.",
        "next_review_on_day": review.day,
        "next_review_on_month": review.month,
        "next_review_on_year": review.year,
    }
    saved = first.post(url, {**form, "version": read_first})
    assert saved.status_code == 302
    with unchanged_rows(*all_but_the_access_log()):
        refused = second.post(url, {**form, "discussion": "Police to visit.", "version": read_second})
    text = assert_refused_as_stale(refused, what="case's discussion", differs=("What the panel discussed",))
    assert "Housing visited; support plan agreed." in text
    item.refresh_from_db()
    assert item.discussion == "Housing visited; support plan agreed."


def test_the_cases_list_as_csv_holds_only_what_the_user_may_see_and_is_logged(
    demo, islington, cmarac, client
):
    from casereview.audit.models import AccessEvent

    referral = refer(demo, islington, cmarac)
    url = f"/referrals/{cmarac.code}/cases/export.csv"
    client.force_login(demo.user("is-housing"))
    assert f'href="{url}"' in client.get(f"/referrals/{cmarac.code}/cases/").content.decode()
    before = AccessEvent.objects.filter(action="export").count()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "case,referred_on,referred_by,status,risk,next_review_on"
    assert len(lines) == 2 and lines[1].startswith(f"{referral.case.reference},")
    assert "Jo Bloggs" not in "\n".join(lines)  # references and dates, never the person's name
    assert AccessEvent.objects.filter(action="export").count() == before + 1
    # The police are not on the case: the same export for them holds no row of it.
    client.force_login(demo.user("is-police"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().splitlines() == [lines[0]]
