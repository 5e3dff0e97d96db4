"""The victim's page, /my-review/: where the review is, the letters, the panel and their view,
the agreed actions, the outcome and the appeal, withdrawing — and nothing about an alleged
perpetrator or that an agency has not agreed to share (docs/portal.md)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from casereview.appeals.models import Appeal
from casereview.appeals.selectors import grounds_for
from casereview.applications.models import CaseEvent, Status
from casereview.audit.models import AccessEvent
from casereview.notifications.models import Notice
from casereview.panels import services as panel_services
from casereview.panels.models import VictimView
from tests.panels.helpers import schedule
from tests.panels.test_outcome import SAFE_SUMMARY, agreed_plan
from tests.portal.conftest import sign_in_as
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db


def test_a_new_application_says_what_happens_next_with_the_date_in_words(client, case):
    sign_in_as(client, case)
    page = client.get("/my-review/").content.decode()
    assert "We have received your application." in page
    acknowledge_by = case.partnership.policy.due_on("acknowledge", case.received_on)
    day = date_format(
        acknowledge_by, "l j F" if acknowledge_by.year == timezone.localdate().year else "l j F Y"
    )
    assert f"We will acknowledge your application by {day}." in page
    assert "We have not sent you any letters yet." in page


def test_every_page_view_is_in_the_access_log_as_the_person(client, case):
    sign_in_as(client, case)
    for path in ("/my-review/", "/my-review/diary/", "/my-review/upload/"):
        client.get(path)
    rows = AccessEvent.objects.filter(case_reference=case.reference, actor_username="victim (own view)")
    assert rows.count() == 3 and {r.action for r in rows} == {"view"}


def test_the_panel_date_and_a_written_view_recorded_as_the_victims_voice(client, demo):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    sign_in_as(client, application)
    page = client.get("/my-review/").content.decode()
    assert date_format(meeting.meeting_on, "l j F Y") in page and "10:00" in page
    assert "One Angel Square" not in page  # the venue is for the members
    response = client.post(
        f"/my-review/panel/{meeting.pk}/your-view/",
        {"how": "statement", "statement": "I have not slept properly for a year."},
    )
    assert response["Location"] == "/my-review/"
    view = VictimView.objects.get(meeting=meeting)
    assert view.how == "statement" and view.given_by == "victim"
    event = CaseEvent.objects.get(application=application, kind="victim_view_given")
    assert "written statement" in event.summary and "slept" not in event.summary
    assert Notice.objects.filter(recipient=application.spoc, case=application).exists()
    assert "You sent a written statement." in client.get("/my-review/").content.decode()


def test_a_statement_is_needed_when_the_victim_chose_to_write_one(client, demo, unchanged_rows):
    application = in_review_application(demo)
    meeting = schedule(demo, application)
    sign_in_as(client, application)
    with unchanged_rows(VictimView, CaseEvent):
        response = client.post(
            f"/my-review/panel/{meeting.pk}/your-view/", {"how": "statement", "statement": " "}
        )
    assert response.status_code == 200
    assert "Enter your statement for the panel" in response.content.decode()
    assert 'href="#id_statement"' in response.content.decode()


def test_the_outcome_the_shared_actions_the_letter_and_the_appeal(client, demo):
    application, meeting = agreed_plan(demo)
    spoc = demo.user("wn-spoc")
    panel_services.outcome_letter_issue(meeting=meeting, actor=spoc, outcome_summary=SAFE_SUMMARY)
    application.refresh_from_db()
    assert application.status == Status.MONITORING
    sign_in_as(client, application)
    page = client.get("/my-review/").content.decode()
    assert SAFE_SUMMARY in page
    assert "Joint visit to the block." in page and "In progress" in page
    assert "Kettering" not in page and "Acacia" not in page
    letter = application.letters.get(kind="outcome")
    assert f"/my-review/letters/{letter.pk}/" in page
    pdf = client.get(f"/my-review/letters/{letter.pk}/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # A letter to the partners is not theirs: the same 404 as no letter at all.
    partners = application.letters.exclude(audience="victim").first()
    if partners is not None:
        assert client.get(f"/my-review/letters/{partners.pk}/").status_code == 404
    assert client.get("/my-review/letters/999999/").status_code == 404
    # The appeal, from there.
    assert "Appeal the decision" in page
    form = client.get("/my-review/appeal/").content.decode()
    grounds = [code for code, _ in grounds_for(application, "review_outcome")]
    response = client.post(
        "/my-review/appeal/",
        {"grounds": grounds[:1], "explanation": "The plan does not stop the noise at night."},
    )
    assert "Appeal the decision" in form
    assert response["Location"] == "/my-review/", response.content.decode()[:3000]
    appeal = Appeal.objects.get(application=application)
    assert appeal.channel == "online" and appeal.lodged_by is None
    assert CaseEvent.objects.filter(application=application, kind="portal_appeal").exists()
    assert "We will write to you with the decision." in client.get("/my-review/").content.decode()


def test_an_action_naming_the_perpetrator_is_not_shown(client, demo):
    application, meeting = agreed_plan(
        demo, action="Police to visit Darren KETTERING and give words of advice."
    )
    sign_in_as(client, application)
    page = client.get("/my-review/").content.decode()
    assert "KETTERING" not in page.upper()
    assert "Your single point of contact will tell you about this action." in page


def test_an_action_not_shared_is_not_listed(client, demo):
    application, meeting = agreed_plan(
        demo, action="Serve a Community Protection Warning on the flat below.", action_shared=False
    )
    sign_in_as(client, application)
    page = client.get("/my-review/").content.decode()
    assert "Community Protection Warning" not in page
    assert "There are no agreed actions to show yet." in page


def test_withdrawing_asks_first_then_withdraws(client, demo):
    application = in_review_application(demo)
    sign_in_as(client, application)
    confirm = client.get("/my-review/withdraw/").content.decode()
    assert "Are you sure you want to withdraw your application?" in confirm
    assert "No, go back to my review" in confirm
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW  # nothing happens on the question page
    response = client.post("/my-review/withdraw/", {"reason": "Things have calmed down."})
    assert response["Location"] == "/my-review/withdrawn/"
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert CaseEvent.objects.filter(application=application, kind="portal_withdrawal").exists()
    assert "Application withdrawn" in client.get("/my-review/withdrawn/").content.decode()
    assert "Withdraw your application" not in client.get("/my-review/").content.decode()


def test_a_third_party_applicant_without_consent_sees_less(client, demo):
    from casereview.applications.models import Person

    application = in_review_application(demo)
    applicant = Person.objects.create(
        partnership=application.partnership, full_name="Sam Helper", email="sam@example.com"
    )
    application.applicant = applicant
    application.victim_consent = None
    application.save(update_fields=["applicant", "victim_consent"])
    meeting = schedule(demo, application)
    sign_in_as(client, application, role="applicant")
    page = client.get("/my-review/").content.decode()
    assert "Until they agree to the review" in page
    assert "The panel meeting" not in page and "The agreed actions" not in page
    assert "Withdraw your application" not in page
    assert client.get(f"/my-review/panel/{meeting.pk}/your-view/").status_code == 404
    assert client.get("/my-review/appeal/").status_code == 404
    assert client.get("/my-review/withdraw/")["Location"] == "/my-review/"
    # With the victim's consent: the panel date, not the victim's own voice.
    application.victim_consent = True
    application.save(update_fields=["victim_consent"])
    page = client.get("/my-review/").content.decode()
    assert date_format(meeting.meeting_on, "l j F Y") in page
    assert "Tell the panel your view" not in page
    assert AccessEvent.objects.filter(actor_username="applicant (own view)").exists()


def test_another_cases_meeting_is_not_found_from_ones_own_view(client, demo, unchanged_rows):
    """The portal's only record in an address is a meeting: one of another case is a 404, the same
    as no meeting at all, and nothing is written (the access matrix leaves /my-review/ to here)."""
    mine = in_review_application(demo)
    theirs = in_review_application(demo)
    own = schedule(demo, mine)
    other = schedule(demo, theirs)
    sign_in_as(client, mine)
    assert client.get(f"/my-review/panel/{own.pk}/your-view/").status_code == 200
    with unchanged_rows(VictimView, CaseEvent):
        assert client.get(f"/my-review/panel/{other.pk}/your-view/").status_code == 404
        response = client.post(f"/my-review/panel/{other.pk}/your-view/", {"how": "attend"})
        assert response.status_code == 404
