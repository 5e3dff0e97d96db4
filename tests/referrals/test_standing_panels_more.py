"""The standing panels (issue 16), continued: the meetings list as CSV; the add forms (an action on
a case's plan, an agency's share) carrying the count they were read with; the minutes issued as a
document per agency holding only its own cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casereview.audit.models import AccessEvent
from casereview.referrals import meetings
from casereview.referrals.models import AgencyShare
from tests.referrals.conftest import MEETING_ON, agency, refer

pytestmark = pytest.mark.django_db


def schedule(demo, islington, cmarac):
    return meetings.meeting_schedule(
        partnership=islington, kind=cmarac, meeting_on=MEETING_ON, actor=demo.user("is-csm")
    )


def _version_of(html: str, action: str) -> str:
    """The hidden version of the form posting to `action` on a page with several forms."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form posting to {action}"
    return re.search(r'name="version" value="(\d+)"', form.group(1)).group(1)


# --- The meetings list as CSV -------------------------------------------------------------------


def test_the_meetings_list_as_csv_is_the_lists_scope_with_no_names_and_is_logged(
    demo, islington, cmarac, client
):
    first = refer(demo, islington, cmarac, name="Jo Bloggs")
    refer(demo, islington, cmarac, name="Sam Smith", by="is-police")
    meeting = schedule(demo, islington, cmarac)
    url = f"/referrals/{cmarac.code}/meetings/export.csv"
    client.force_login(demo.user("is-csm"))
    assert f'href="{url}"' in client.get(f"/referrals/{cmarac.code}/meetings/").content.decode()
    before = AccessEvent.objects.filter(action="export").count()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        "meeting,meeting_on,status,held_on,your_cases,minutes_circulated_on",
        f"{meeting.pk},{MEETING_ON.isoformat()},Scheduled,,2,",
    ]
    assert AccessEvent.objects.filter(action="export").count() == before + 1
    # The housing officer is on one of the two cases: the meeting, and one case of theirs.
    client.force_login(demo.user("is-housing"))
    lines = b"".join(client.get(url).streaming_content).decode().splitlines()
    assert lines[1] == f"{meeting.pk},{MEETING_ON.isoformat()},Scheduled,,1,"
    text = "\n".join(lines)
    assert "Jo Bloggs" not in text and "Sam Smith" not in text and first.case.reference not in text
    # An officer of an agency on no case of the meeting: the header only.
    client.force_login(demo.user("is-health"))
    lines = b"".join(client.get(url).streaming_content).decode().splitlines()
    assert lines == ["meeting,meeting_on,status,held_on,your_cases,minutes_circulated_on"]


# --- The add forms carry the count they were read with ------------------------------------------


def test_two_chairs_adding_an_action_from_pages_read_together_the_second_is_refused(
    demo, islington, cmarac, client, unchanged_rows
):
    from django.test import Client

    from tests.conftest import VerifiedClient
    from tests.stale import all_but_the_access_log, assert_refused_as_stale

    refer(demo, islington, cmarac)
    meeting = schedule(demo, islington, cmarac)
    [item] = meeting.items.all()
    page = f"/referrals/meetings/{meeting.pk}/items/{item.pk}/"
    add = f"/referrals/meetings/{meeting.pk}/items/{item.pk}/actions/add/"
    first, second = client, type("Client", (VerifiedClient, Client), {})()
    csm = demo.user("is-csm")
    first.force_login(csm)
    second.force_login(csm)
    read_first = _version_of(first.get(page).content.decode(), add)
    read_second = _version_of(second.get(page).content.decode(), add)
    assert read_first == read_second == "0"
    due = MEETING_ON + dt.timedelta(days=14)
    form = {
        "owner_agency": agency(islington, "housing").pk,
        "due_on_day": due.day,
        "due_on_month": due.month,
        "due_on_year": due.year,
    }
    assert (
        first.post(add, {**form, "description": "Visit the tenant.", "version": read_first}).status_code
        == 302
    )
    with unchanged_rows(*all_but_the_access_log()):
        refused = second.post(add, {**form, "description": "Phone the tenant.", "version": read_second})
    text = assert_refused_as_stale(refused, what="action plan", differs=("What will be done",))
    assert "Visit the tenant." in text  # the first's action, shown
    assert "Phone the tenant." in text  # what the second typed, kept
    assert _version_of(text, add) == "1"  # sending it again now is a deliberate choice
    assert [a.description for a in item.actions.all()] == ["Visit the tenant."]
    # Sent again after seeing the first: added.
    again = second.post(add, {**form, "description": "Phone the tenant.", "version": "1"})
    assert again.status_code == 302 and item.actions.count() == 2


def test_an_agencys_share_read_before_another_was_shared_is_refused_and_writes_nothing(
    demo, islington, cmarac, client, unchanged_rows
):
    from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version

    refer(demo, islington, cmarac)
    meeting = schedule(demo, islington, cmarac)
    [item] = meeting.items.all()
    url = f"/referrals/meetings/{meeting.pk}/items/{item.pk}/share/"
    client.force_login(demo.user("is-housing"))
    read = form_version(client.get(url))
    assert read == "0"
    meetings.agency_share_add(item=item, text="Rent arrears; door damaged.", actor=demo.user("is-housing"))
    with unchanged_rows(*all_but_the_access_log()):
        refused = client.post(url, {"text": "Tenant missed two appointments.", "version": read})
    text = assert_refused_as_stale(refused, what="information shared for this case")
    assert "Rent arrears; door damaged." in text
    assert list(AgencyShare.objects.filter(item=item).values_list("text", flat=True)) == [
        "Rent arrears; door damaged."
    ]
    assert client.post(url, {"text": "Tenant missed two appointments.", "version": "1"}).status_code == 302
    assert AgencyShare.objects.filter(item=item).count() == 2


# --- The minutes as issued documents (ADR 0086) -------------------------------------------------


def held(demo, islington, cmarac, discussions: dict):
    """A held meeting: council and housing present, health's apologies; each case heard with the
    discussion given for its subject's name, and one action owned by its referring agency."""
    csm = demo.user("is-csm")
    meeting = schedule(demo, islington, cmarac)
    meetings.attendance_record(
        meeting=meeting,
        present={agency(islington, "council"): "C. Morgan", agency(islington, "housing"): "H. Lewis"},
        apologies=[agency(islington, "health")],
        actor=csm,
        version=meeting.version,
    )
    for item in meeting.items.select_related("referral__person", "referral__agency"):
        meetings.item_record(
            item=item,
            discussion=discussions[item.referral.person.full_name],
            risk_answers={"harm_to_self": True},
            next_review_on=MEETING_ON + dt.timedelta(days=28),
            close_agreed=False,
            close_reason="",
            actor=csm,
        )
        meetings.item_action_add(
            item=item,
            description=f"Visit and report back on {item.referral.case.reference}.",
            owner_agency=item.referral.agency,
            due_on=MEETING_ON + dt.timedelta(days=14),
            actor=csm,
        )
    meeting.refresh_from_db()
    return meetings.meeting_hold(meeting=meeting, actor=csm, version=meeting.version)


DISCUSSIONS = {
    "Jo Bloggs": "Housing visited; the tenant accepts a support worker.",
    "Sam Smith": "Police patrols increased near the flat.",
}


def test_the_chair_issues_one_document_per_agency_holding_only_its_own_cases(
    demo, islington, cmarac, media, emails
):
    from casereview.letters.selectors import letters_visible_to

    jo = refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    sam = refer(demo, islington, cmarac, name="Sam Smith", by="is-police")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    documents = meetings.minutes_issue(meeting=meeting, actor=demo.user("is-csm"), read_issues=0)
    by_agency = {d.agency.kind: d for d in documents}
    # The agencies that attended (council, housing) or are on a case (housing, police); not health,
    # which sent apologies and is on no case.
    assert sorted(by_agency) == ["council", "housing", "police"]
    housing, police, council = (by_agency[k].letter.body_html for k in ("housing", "police", "council"))
    assert "Jo Bloggs" in housing and jo.case.reference in housing and DISCUSSIONS["Jo Bloggs"] in housing
    assert "Sam Smith" not in housing and sam.case.reference not in housing
    assert DISCUSSIONS["Sam Smith"] not in housing
    assert "Sam Smith" in police and sam.case.reference in police
    assert "Jo Bloggs" not in police and jo.case.reference not in police
    assert "Jo Bloggs" not in council and "Sam Smith" not in council
    assert "No case your agency is on was discussed" in council and "C. Morgan" in council
    for document in documents:
        letter = document.letter
        assert (letter.kind, letter.audience, letter.case_id) == ("standing_panel_minutes", "partners", None)
        assert letter.pdf.read().startswith(b"%PDF")
        [dispatch] = letter.dispatches.all()
        assert (dispatch.channel, dispatch.to) == ("email", document.agency.email)
        assert dispatch.message is not None and dispatch.message.to == document.agency.email  # the outbox
        assert dispatch.message.attachment_name == letter.download_filename
    # On each case's timeline, once per agency that got its section; in the access log as a disclosure.
    assert [e.summary for e in jo.case.events.filter(kind="panel_minutes_issued")] == [
        f"Minutes of Community MARAC on 12 May 2026 issued to {agency(islington, 'housing').name} "
        f"(letter {by_agency['housing'].letter.pk}): this case's section only."
    ]
    assert sam.case.events.filter(kind="panel_minutes_issued").count() == 1
    disclosed = AccessEvent.objects.filter(action="disclose", case_reference=jo.case.reference)
    assert [e.recipient for e in disclosed] == [agency(islington, "housing").name]
    assert AccessEvent.objects.filter(action="disclose", case_reference=sam.case.reference).count() == 1
    # The chair sees the letters; an agency officer reads them from their email, not the letters pages.
    assert set(letters_visible_to(demo.user("is-csm")).filter(kind="standing_panel_minutes")) == {
        d.letter for d in documents
    }
    assert not letters_visible_to(demo.user("is-police")).filter(kind="standing_panel_minutes").exists()


def test_minutes_that_would_name_someone_of_another_agencys_case_are_refused_and_nothing_issued(
    demo, islington, cmarac, media, emails, unchanged_rows
):
    from django.core.exceptions import ValidationError

    refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    refer(demo, islington, cmarac, name="Sam Smith", by="is-police")
    # Planted: the police's case's discussion names the housing case's tenant.
    meeting = held(
        demo,
        islington,
        cmarac,
        {**DISCUSSIONS, "Sam Smith": "Seen at Jo Bloggs's flat with two men; patrols increased."},
    )
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        meetings.minutes_issue(meeting=meeting, actor=demo.user("is-csm"), read_issues=0)
    message = " ".join(refused.value.messages)
    assert "cannot be issued" in message and "a case that agency is not on" in message
    assert "Change the discussion of that case" in message
    assert not list(media.rglob("*.pdf"))  # no file left behind either


def test_issuing_again_is_versioned_with_a_reason_and_a_stale_issue_is_refused(
    demo, islington, cmarac, media, emails, unchanged_rows
):
    from django.core.exceptions import ValidationError

    refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    csm = demo.user("is-csm")
    first = {d.agency_id: d.letter for d in meetings.minutes_issue(meeting=meeting, actor=csm, read_issues=0)}
    with unchanged_rows():
        with pytest.raises(ValidationError) as stale:
            meetings.minutes_issue(meeting=meeting, actor=csm, read_issues=0, reason="Typo")
        assert "issued by someone else after you opened this page" in " ".join(stale.value.messages)
        with pytest.raises(ValidationError) as no_reason:
            meetings.minutes_issue(meeting=meeting, actor=csm, read_issues=1)
        assert "say why they are issued again" in str(no_reason.value)
    second = meetings.minutes_issue(
        meeting=meeting, actor=csm, read_issues=1, reason="The review date was wrong."
    )
    assert {d.issue for d in second} == {2}
    for document in second:
        assert document.letter.supersedes == first[document.agency_id]
        assert document.letter.correction_reason == "The review date was wrong."
    assert meetings.minutes_issues(meeting) == 2


def test_the_issue_page_shows_who_gets_what_and_issues_from_the_form(
    demo, islington, cmarac, media, emails, client
):
    jo = refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    url = f"/referrals/meetings/{meeting.pk}/minutes/issue/"
    client.force_login(demo.user("is-csm"))
    page = client.get(url).content.decode()
    assert jo.case.reference in page and "panels@housing.example.org" in page
    assert 'name="version" value="0"' in page and 'name="reason"' not in page
    response = client.post(url, {"version": "0"})
    assert response.status_code == 302
    meeting_page = client.get(f"/referrals/meetings/{meeting.pk}/").content.decode()
    assert "Issue the minutes again" in meeting_page and "Letter " in meeting_page
    # Again from a page read before that issue: refused, shown, nothing written.
    refused = client.post(url, {"version": "0"})
    assert refused.status_code == 200 and "issued by someone else" in refused.content.decode()
    # An agency officer cannot issue them.
    client.force_login(demo.user("is-housing"))
    assert client.get(url).status_code == 404


def test_minutes_are_not_issued_until_every_agency_has_a_contact_address(
    demo, islington, cmarac, media, unchanged_rows
):
    from django.core.exceptions import ValidationError

    refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    meeting = held(demo, islington, cmarac, DISCUSSIONS)
    islington.agencies.filter(kind="housing").update(email="")
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        meetings.minutes_issue(meeting=meeting, actor=demo.user("is-csm"), read_issues=0)
    assert "Record the contact email address of" in str(refused.value)


def test_after_the_demo_loads_a_held_meetings_minutes_are_issued_to_each_agencys_mailbox(
    demo, islington, cmarac, media
):
    """`casereview demo` gives every demo agency a mailbox on example.org (the referrals demo), so
    the chair can issue minutes there; with the accounts demo alone, the issue is refused naming
    the agencies with no address."""
    import io

    from django.core.exceptions import ValidationError

    from casereview.referrals import demo as referrals_demo

    refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing")
    meeting = held(demo, islington, cmarac, {"Jo Bloggs": "Housing visited."})
    with pytest.raises(ValidationError) as refused:
        meetings.minutes_issue(meeting=meeting, actor=demo.user("is-csm"), read_issues=0)
    assert "Record the contact email address of Islington Council" in str(refused.value)

    referrals_demo.load(io.StringIO())
    referrals_demo.load(io.StringIO())  # again: nothing changes
    assert not islington.agencies.filter(email="").exists()
    assert agency(islington, "housing").email == "islington-homes@islington.example.org"
    documents = meetings.minutes_issue(meeting=meeting, actor=demo.user("is-csm"), read_issues=0)
    assert {(d.agency.name, d.letter.recipient_email) for d in documents} == {
        ("Islington Council", "islington-council@islington.example.org"),
        ("Islington Homes", "islington-homes@islington.example.org"),
    }


def test_a_refused_action_keeps_the_discussion_form_as_the_panel_saved_it(demo, islington, cmarac, client):
    """The item's page after an action the chair sent incomplete: the discussion form beside it
    shows the saved risk answers and next review (not an empty form that, sent as it stands,
    would wipe them)."""
    refer(demo, islington, cmarac)
    meeting = schedule(demo, islington, cmarac)
    csm = demo.user("is-csm")
    meetings.attendance_record(
        meeting=meeting,
        present={agency(islington, "council"): "C. Morgan"},
        apologies=[],
        actor=csm,
        version=meeting.version,
    )
    [item] = meeting.items.all()
    review_on = MEETING_ON + dt.timedelta(days=28)
    meetings.item_record(
        item=item,
        discussion="Weekly visits agreed.",
        risk_answers={"harm_to_self": True},
        next_review_on=review_on,
        close_agreed=False,
        close_reason="",
        actor=csm,
    )
    page = f"/referrals/meetings/{meeting.pk}/items/{item.pk}/"
    add = f"{page}actions/add/"
    client.force_login(csm)
    shown = client.get(page).content.decode()
    refused = client.post(add, {"description": "", "version": _version_of(shown, add)})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Enter" in text  # the action's own error is shown
    checked = re.findall(r'<input[^>]*name="risk_answers"[^>]*value="([^"]+)"[^>]*checked', text)
    assert checked == ["harm_to_self"]
    assert re.search(rf'name="next_review_on_day"[^>]*value="{review_on.day}"', text)
    assert re.search(rf'name="next_review_on_year"[^>]*value="{review_on.year}"', text)
    # The same form, field for field, as the page read afresh shows it.
    as_read = client.get(page).content.decode()
    discussion_form = re.compile(r'<form method="post" novalidate>(.*?)</form>', re.S)  # posts to the page
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", discussion_form.search(text).group(1)) == strip.sub(
        "", discussion_form.search(as_read).group(1)
    )
