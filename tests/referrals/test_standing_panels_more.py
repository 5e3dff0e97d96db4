"""The standing panels (issue 16), continued: the meetings list as CSV; the add forms (an action on
a case's plan, an agency's share) carrying the count they were read with; the minutes issued as a
document per agency holding only its own cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casereview.audit.models import AccessEvent
from casereview.referrals import meetings, services
from casereview.referrals.models import AgencyShare

pytestmark = pytest.mark.django_db

MEETING_ON = dt.date(2026, 5, 12)


@pytest.fixture
def islington(demo):
    return demo.partnership("islington")


@pytest.fixture
def cmarac(islington):
    return islington.policy.panel_kind("cmarac")


def refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing", on=dt.date(2026, 5, 1)):
    return services.referral_make(
        partnership=islington,
        kind=cmarac,
        data=services.ReferralData(
            summary="Tenant targeted by neighbours; self-neglect.",
            consent="given",
            person_name=name,
            vulnerabilities=["mental_health"],
            risk_answers={"harm_to_self": True, "harm_from_others": True, "escalating": True},
            asb_reports=4,
        ),
        actor=demo.user(by),
        today=on,
    )


def agency(islington, kind):
    return islington.agencies.get(kind=kind)


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
