import datetime as dt

import pytest

from casereview.applications.models import Status
from casereview.panels.models import MeetingStatus
from casereview.reviews.models import Disclosure
from tests.panels.helpers import FUTURE, full_panel, hold, schedule
from tests.reviews.helpers import add_perpetrator, in_review_application

pytestmark = pytest.mark.django_db


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_meetings_out_of_scope_are_404(client, demo):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    client.force_login(demo.user("is-csm"))
    for path in ["", "members/add/", "record/", "chairs-pack.pdf", "outcome/", "finalise/"]:
        assert client.get(f"/panels/{meeting.pk}/{path}").status_code == 404, path
    assert client.get(f"/panels/cases/{application.reference}/").status_code == 404
    assert b"There are no upcoming panel meetings" in client.get("/panels/").content


def test_the_meeting_page_warns_what_the_quorum_lacks(client, demo):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/panels/{meeting.pk}/")
    assert b"not yet quorate" in page.content
    assert b"an independent chair" in page.content
    full_panel(demo, meeting)
    page = client.get(f"/panels/{meeting.pk}/")
    assert b"not yet quorate" not in page.content and b"Quorate" in page.content


def test_scheduling_through_the_form(client, demo):
    application = in_review_application(demo)
    client.force_login(demo.user("wn-spoc"))
    bad = client.post(f"/panels/cases/{application.reference}/schedule/", {"starts_at": "25:99"})
    assert bad.status_code == 400
    assert b"Enter the date of the meeting" in bad.content
    assert b"Enter the start time like 10:00" in bad.content
    ok = client.post(
        f"/panels/cases/{application.reference}/schedule/",
        {**date_fields("meeting_on", FUTURE), "starts_at": "10:30", "location": "Guildhall, Room 3"},
    )
    assert ok.status_code == 302
    meeting = application.panel_meetings.get()
    assert meeting.starts_at == dt.time(10, 30) and meeting.status == MeetingStatus.SCHEDULED


def test_the_chairs_pack_is_a_pdf_for_members_and_its_download_is_recorded(client, demo):
    application = in_review_application(demo)
    add_perpetrator(application)
    meeting = full_panel(demo, schedule(demo, application))
    client.force_login(demo.user("wn-chair"))
    response = client.get(f"/panels/{meeting.pk}/chairs-pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert application.reference in response["Content-Disposition"]
    assert "Bloggs" not in response["Content-Disposition"]
    disclosure = Disclosure.objects.get(application=application)
    assert disclosure.lawful_basis == "asb_2014_sch4_para7" and "Chair's pack" in disclosure.what


def test_an_agency_officer_who_is_not_a_member_cannot_get_the_pack(client, demo):
    application = in_review_application(demo)
    meeting = schedule(demo, application)  # the police are party to the case (a report) but not members
    client.force_login(demo.user("wn-police"))
    assert client.get(f"/panels/{meeting.pk}/").status_code == 200
    assert client.get(f"/panels/{meeting.pk}/chairs-pack.pdf").status_code == 403
    assert client.get(f"/panels/{meeting.pk}/record/").status_code == 403


def test_finalising_without_consultation_needs_a_reason_on_screen(client, demo):
    application = in_review_application(demo)
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/panels/{meeting.pk}/finalise/")
    assert b"The victim has not been consulted on this plan" in page.content
    refused = client.post(f"/panels/{meeting.pk}/finalise/", {"version": meeting.version})
    assert refused.status_code == 400
    assert b"Consult them first, or give the reason" in refused.content
    meeting.refresh_from_db()
    assert meeting.plan_finalised_on is None
    application.refresh_from_db()
    assert application.status == Status.PANEL_HELD


def test_the_case_page_shows_the_review_and_the_panels_quorum_warning(client, demo):
    application = in_review_application(demo)
    schedule(demo, application)
    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/cases/{application.reference}/")
    assert page.status_code == 200
    assert f"/reviews/cases/{application.reference}/".encode() in page.content
    assert b"not yet quorate" in page.content
    # An agency officer of an agency on the case sees the panel but not the review record.
    client.force_login(demo.user("wn-police"))
    page = client.get(f"/cases/{application.reference}/")
    assert page.status_code == 200
    assert b"Vulnerability" not in page.content


def test_the_chairs_pack_is_not_released_to_a_partner_while_consent_is_withdrawn(client, demo):
    from casereview.privacy import services as privacy

    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    privacy.consent_withdraw(
        application=application, withdrawn_on=dt.date.today(), how="Letter", actor=demo.user("wn-csm")
    )
    client.force_login(demo.user("wn-chair"))  # the independent chair is not the council
    response = client.get(f"/panels/{meeting.pk}/chairs-pack.pdf")
    assert response.status_code == 403
    assert b"withdrew consent to sharing" in response.content
    assert not Disclosure.objects.filter(application=application).exists()
    client.force_login(demo.user("wn-csm"))  # the council running the review still can
    assert client.get(f"/panels/{meeting.pk}/chairs-pack.pdf").status_code == 200
    assert Disclosure.objects.filter(application=application).count() == 1


def test_an_inquorate_meeting_shows_so_on_the_meeting_the_case_and_the_lists(client, demo):
    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    present = list(meeting.members.exclude(role="independent_chair").values_list("id", flat=True))
    hold(demo, meeting, attended_member_ids=present, inquorate_reason="The chair was snowed in.")
    client.force_login(demo.user("wn-spoc"))
    for path in (
        f"/panels/{meeting.pk}/",
        f"/panels/cases/{application.reference}/",
        f"/cases/{application.reference}/",
        "/panels/?show=all",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert b"Inquorate" in page.content, path
    assert b"The chair was snowed in." in client.get(f"/panels/{meeting.pk}/").content


def _standing_panel_links(page) -> list[str]:
    """The links of the panel meetings list's "Sittings and standing panels" box, in order."""
    import re

    html = page.content.decode()
    box = re.search(r'<nav aria-labelledby="standing-panels-title">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', box.group(1)) if box else []


def test_the_panel_meetings_list_leads_to_the_sittings_and_the_standing_panels(client, demo):
    """No dead end: from /panels/ a chair reaches the case review panel's sittings and each standing
    panel's cases and meetings; every link opens for them (200). An officer is shown only the panels
    they sit on, each link opens, and a panel they do not sit on is neither named nor open to them;
    someone who sits on none sees no box."""
    client.force_login(demo.user("is-csm"))
    links = _standing_panel_links(client.get("/panels/"))
    assert "/referrals/case_review/meetings/" in links
    for code in ("cmarac", "cuckooing", "repeat-callers", "street-users", "enhanced-partnership-response"):
        assert f"/referrals/{code}/cases/" in links and f"/referrals/{code}/meetings/" in links, code
    for link in links:
        assert client.get(link).status_code == 200, link

    client.force_login(demo.user("is-health"))  # a health officer: not on Repeat Callers nor the EPR
    links = _standing_panel_links(client.get("/panels/"))
    assert {"/referrals/case_review/meetings/", "/referrals/cmarac/meetings/"} <= set(links)
    assert not [link for link in links if "repeat-callers" in link or "enhanced-partnership" in link]
    for link in links:
        assert client.get(link).status_code == 200, link
    assert client.get("/referrals/repeat-callers/meetings/").status_code == 404

    client.force_login(demo.user("is-lpb"))  # the policing body's office sits on no panel
    page = client.get("/panels/")
    assert page.status_code == 200 and _standing_panel_links(page) == []
    assert b"Sittings and standing panels" not in page.content
