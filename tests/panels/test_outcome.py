"""The outcome letter, the minutes and the review's letters, through the letters app. The
redaction guarantee is the letters app's; these tests prove every victim-facing document of the
review goes through it, with hostile inputs, and that a refusal changes nothing."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from casereview.applications.models import CaseEvent, Status
from casereview.panels import services
from casereview.reviews import services as review_services
from tests.panels.helpers import full_panel, hold, schedule
from tests.reviews.helpers import add_perpetrator, in_review_application

pytestmark = pytest.mark.django_db

SAFE_SUMMARY = "The panel agreed a joint plan. Your SPOC will keep you updated."


def agreed_plan(
    demo,
    *,
    recommendation="Agree a tenancy management plan.",
    action="Joint visit to the block.",
    action_shared=True,
):
    application = in_review_application(demo)
    add_perpetrator(application)  # Darren Kettering, 14 Acacia Avenue, born 12 March 1990
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    spoc = demo.user("wn-spoc")
    services.recommendation_add(
        meeting=meeting, body=demo.agency("west-northamptonshire", "housing"), text=recommendation, actor=spoc
    )
    services.panel_action_add(
        meeting=meeting,
        description=action,
        owner_agency=demo.agency("west-northamptonshire", "police"),
        owner=demo.user("wn-police"),
        due_on=dt.date.today() + dt.timedelta(days=14),
        share_with_victim=action_shared,
        actor=spoc,
    )
    services.victim_consultation_record(
        meeting=meeting, consulted_on=dt.date.today(), method="phone", view="agrees", actor=spoc
    )
    services.action_plan_finalise(meeting=meeting, actor=spoc)
    meeting.refresh_from_db()
    return application, meeting


def assert_nothing_changed(application, meeting):
    application.refresh_from_db()
    meeting.refresh_from_db()
    assert application.status == Status.PANEL_HELD
    assert meeting.outcome_issued_on is None
    assert not application.letters.filter(kind="outcome").exists()
    assert not CaseEvent.objects.filter(application=application, kind="outcome_letter_issued").exists()


def test_the_outcome_letter_is_issued_and_the_plan_is_monitored(demo):
    application, meeting = agreed_plan(demo)
    services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY)
    application.refresh_from_db()
    meeting.refresh_from_db()
    assert application.status == Status.MONITORING
    letter = application.letters.get(kind="outcome")
    assert "Agree a tenancy management plan." in letter.body_html
    assert "Joint visit to the block." in letter.body_html
    assert CaseEvent.objects.filter(application=application, kind="outcome_letter_issued").exists()
    assert meeting.outcome_issued_on == letter.issued_on


def test_an_action_not_to_be_shared_stays_out_of_the_victims_letter(demo):
    application, meeting = agreed_plan(
        demo, action="Serve a Community Protection Warning on the flat below.", action_shared=False
    )
    services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY)
    assert "Community Protection Warning" not in application.letters.get(kind="outcome").body_html


@pytest.mark.parametrize(
    "summary",
    [
        "We spoke to Darren Kettering about his behaviour.",
        "we spoke to darren kettering about it",  # different case
        "DARREN\nKETTERING has been warned.",  # split across lines
        "The tenant at 14 Acacia Avenue has been warned.",  # the address
        "A man born 12/03/1990 was interviewed.",  # the date of birth
    ],
)
def test_a_perpetrators_details_in_the_summary_refuse_the_letter(demo, summary, unchanged_rows):
    application, meeting = agreed_plan(demo)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=summary)
    message = " ".join(refused.value.messages)
    assert "alleged perpetrator" in message
    assert "Darren" not in message.split("“")[0]  # the message names the detail, not the person, up front
    assert_nothing_changed(application, meeting)


def test_a_perpetrators_name_in_a_recommendation_refuses_the_letter(demo, unchanged_rows):
    application, meeting = agreed_plan(
        demo,
        recommendation="Start possession proceedings against Mr D. Kettering's "
        "tenancy; darren kettering to be warned.",
    )
    with unchanged_rows(), pytest.raises(ValidationError, match="alleged perpetrator") as refused:
        services.outcome_letter_issue(
            meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY
        )
    assert "recommendation" in " ".join(refused.value.messages).lower()
    assert_nothing_changed(application, meeting)


def test_a_perpetrators_name_in_a_shared_actions_description_refuses_the_letter(demo, unchanged_rows):
    application, meeting = agreed_plan(
        demo, action="Police to visit Darren KETTERING and give words of advice."
    )
    with unchanged_rows(), pytest.raises(ValidationError, match="alleged perpetrator") as refused:
        services.outcome_letter_issue(
            meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY
        )
    assert "action" in " ".join(refused.value.messages).lower()
    assert_nothing_changed(application, meeting)


def test_the_outcome_needs_a_final_plan_and_a_summary(demo, unchanged_rows):
    application, meeting = agreed_plan(demo)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary="  ")
    assert "outcome_summary" in refused.value.error_dict
    other = in_review_application(demo)
    unfinished = hold(demo, full_panel(demo, schedule(demo, other)))
    with unchanged_rows(), pytest.raises(ValidationError, match="Finalise the action plan"):
        services.outcome_letter_issue(
            meeting=unfinished, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY
        )


def test_no_open_actions_closes_the_case(demo):
    application = in_review_application(demo)
    meeting = hold(demo, full_panel(demo, schedule(demo, application)))
    spoc = demo.user("wn-spoc")
    services.recommendation_add(
        meeting=meeting,
        body=demo.agency("west-northamptonshire", "council"),
        text="Share learning.",
        actor=spoc,
    )
    services.action_plan_finalise(
        meeting=meeting, actor=spoc, without_consultation_reason="Victim moved away."
    )
    services.outcome_letter_issue(meeting=meeting, actor=spoc, outcome_summary=SAFE_SUMMARY)
    application.refresh_from_db()
    assert application.status == Status.CLOSED


def test_minutes_go_to_panel_members_may_name_the_perpetrator_and_are_a_recorded_disclosure(demo):
    application, meeting = agreed_plan(demo)
    meeting.minutes = "Darren Kettering's tenancy was discussed."
    meeting.save()
    services.minutes_circulate(meeting=meeting, actor=demo.user("wn-spoc"), circulated_on=dt.date.today())
    meeting.refresh_from_db()
    assert meeting.minutes_circulated_on == dt.date.today()
    letter = application.letters.get(kind="panel_minutes")
    assert letter.audience == "partners"
    (event,) = CaseEvent.objects.filter(application=application, kind="minutes_circulated")
    assert event.occurred_on == dt.date.today()
    disclosure = application.disclosures.get(what__startswith="Minutes")
    assert disclosure.lawful_basis == "asb_2014_sch4_para7" and "Pat Okafor" in disclosure.recipient


def test_the_next_steps_and_closure_letters_go_through_the_letters_app(demo, unchanged_rows):
    application = in_review_application(demo)
    spoc = demo.user("wn-spoc")
    review_services.review_letter_issue(application=application, kind="next_steps", actor=spoc)
    assert CaseEvent.objects.filter(application=application, kind="next_steps_letter_issued").exists()
    with unchanged_rows(), pytest.raises(ValidationError, match="could not be reached"):
        review_services.review_letter_issue(application=application, kind="unreachable_closure", actor=spoc)
    for method, day in [("phone", 25), ("email", 26), ("visit", 28)]:
        review_services.contact_attempt_record(
            application=application,
            method=method,
            attempted_on=dt.date(2025, 4, day),
            outcome="no_answer",
            actor=spoc,
        )
    review_services.victim_unreachable_record(
        application=application, actor=spoc, occurred_on=dt.date(2025, 5, 1)
    )
    review_services.review_letter_issue(application=application, kind="unreachable_closure", actor=spoc)
    letter = application.letters.get(kind="unreachable_closure")
    assert "1 May 2025" in letter.body_html
    assert CaseEvent.objects.filter(application=application, kind="closure_letter_issued").exists()


def test_a_further_review_takes_a_monitored_case_back_into_review(client, demo):
    application, meeting = agreed_plan(demo)
    services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY)
    application.refresh_from_db()
    assert application.status == Status.MONITORING

    second = schedule(demo, application, further_review_reason="Threats since the plan was agreed.")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    [event] = CaseEvent.objects.filter(application=application, kind="further_review")
    assert event.data == {"from": "monitoring", "to": "in_review", "round": 2}
    assert event.actor == demo.user("wn-spoc")
    # The earlier panel's actions stay open and monitored while the further review runs.
    assert application.actions.filter(kind="panel", status="open").exists()

    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/cases/{application.reference}/timeline/").content.decode()  # ADR 0093
    assert "Further review: the case goes back into review" in page

    # The further review then runs the ordinary course: held, and back to monitoring after its letter.
    hold(demo, full_panel(demo, second))
    application.refresh_from_db()
    assert application.status == Status.PANEL_HELD


def test_a_refused_further_review_leaves_a_monitored_case_as_it_was(demo, unchanged_rows):
    application, meeting = agreed_plan(demo)
    services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY)
    with unchanged_rows(), pytest.raises(ValidationError):
        schedule(demo, application, further_review_reason="   ")
    application.refresh_from_db()
    assert application.status == Status.MONITORING
    assert not CaseEvent.objects.filter(application=application, kind="further_review").exists()


def test_minutes_are_not_circulated_while_the_victim_has_withdrawn_consent(demo, unchanged_rows):
    from casereview.privacy import services as privacy

    application, meeting = agreed_plan(demo)
    spoc = demo.user("wn-spoc")
    privacy.consent_withdraw(application=application, withdrawn_on=dt.date.today(), how="Phone", actor=spoc)
    letters_before = application.letters.count()
    with unchanged_rows(), pytest.raises(privacy.SharingRefused, match="withdrew consent"):
        services.minutes_circulate(meeting=meeting, actor=spoc)
    meeting.refresh_from_db()
    assert meeting.minutes_circulated_on is None
    assert application.letters.count() == letters_before
    assert not application.disclosures.filter(what__startswith="Minutes").exists()
    assert not CaseEvent.objects.filter(application=application, kind="minutes_circulated").exists()


def test_an_issued_outcome_letter_is_corrected_from_the_letter_with_the_records_as_they_are_now(client, demo):
    """The letters app's correction page builds the outcome letter again from the panel's records
    (panels.services.outcome_letter_extra): the victim's new address, the same shared-only plan."""
    from django.urls import reverse

    from casereview.letters.models import Letter

    application, meeting = agreed_plan(
        demo, action="Serve a Community Protection Warning on the flat below.", action_shared=False
    )
    services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY)
    letter = application.letters.get(kind="outcome")
    victim = application.victim
    victim.address = "Flat 2, 9 New Street\nNorthampton"
    victim.save()
    client.force_login(demo.user("wn-spoc"))
    page = client.get(reverse("letters:correct", args=[letter.pk])).content.decode()
    assert "Issue corrected letter" in page and "9 New Street" in page
    done = client.post(reverse("letters:correct", args=[letter.pk]), {"reason": "The victim has moved"})
    corrected = Letter.objects.get(supersedes=letter)
    assert done.status_code == 302
    assert "9 New Street" in corrected.recipient_address
    assert "Agree a tenancy management plan." in corrected.body_html
    assert "Community Protection Warning" not in corrected.body_html
    assert corrected.correction_reason == "The victim has moved"


def test_an_issued_closure_letter_is_corrected_from_the_letter(client, demo):
    from django.urls import reverse

    from casereview.letters.models import Letter

    application = in_review_application(demo)
    spoc = demo.user("wn-spoc")
    for method, day in [("phone", 25), ("email", 26), ("visit", 28)]:
        review_services.contact_attempt_record(
            application=application,
            method=method,
            attempted_on=dt.date(2025, 4, day),
            outcome="no_answer",
            actor=spoc,
        )
    review_services.victim_unreachable_record(
        application=application, actor=spoc, occurred_on=dt.date(2025, 5, 1)
    )
    review_services.review_letter_issue(application=application, kind="unreachable_closure", actor=spoc)
    letter = application.letters.get(kind="unreachable_closure")
    client.force_login(spoc)
    client.post(reverse("letters:correct", args=[letter.pk]), {"reason": "Wrong salutation"})
    corrected = Letter.objects.get(supersedes=letter)
    assert "1 May 2025" in corrected.body_html


def test_the_outcome_and_closure_letters_are_not_issued_from_the_generic_page(client, demo):
    from django.urls import reverse

    application = in_review_application(demo)
    client.force_login(demo.user("wn-spoc"))
    for kind in ("outcome", "unreachable_closure", "appeal_decision"):
        response = client.get(reverse("letters:preview", args=[application.reference]), {"kind": kind})
        assert response.status_code == 404, kind


def circulated(demo):
    application, meeting = agreed_plan(demo)
    meeting.minutes = "The housing officer reported two visits."
    meeting.save()
    services.minutes_circulate(meeting=meeting, actor=demo.user("wn-spoc"), circulated_on=dt.date.today())
    meeting.refresh_from_db()
    return application, meeting


def test_circulated_minutes_are_corrected_as_a_new_version_to_the_same_members(demo):
    application, meeting = circulated(demo)
    first = meeting.minutes_letter
    assert first == application.letters.get(kind="panel_minutes")
    services.minutes_correct(
        meeting=meeting,
        actor=demo.user("wn-spoc"),
        minutes="The housing officer reported three visits.",
        decisions=meeting.decisions,
        reason="The number of visits was wrong",
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "The housing officer reported three visits."
    corrected = meeting.minutes_letter
    assert corrected.supersedes == first and corrected.correction_reason == "The number of visits was wrong"
    assert "three visits" in corrected.body_html and "three visits" not in first.body_html
    assert corrected.audience == "partners" and corrected.recipient_name == first.recipient_name
    assert application.disclosures.filter(what__startswith="Corrected minutes").count() == 1
    (event,) = CaseEvent.objects.filter(application=application, kind="minutes_corrected")
    assert "reason" not in event.summary.lower() and "visits" not in event.summary

    # A second correction supersedes the corrected version, never the first again.
    services.minutes_correct(
        meeting=meeting,
        actor=demo.user("wn-spoc"),
        minutes="The housing officer reported three visits and a call.",
        decisions=meeting.decisions,
        reason="A call was left out",
    )
    meeting.refresh_from_db()
    assert meeting.minutes_letter.supersedes == corrected


def test_a_correction_needs_a_reason_and_a_change_and_writes_nothing_otherwise(demo, unchanged_rows):
    application, meeting = circulated(demo)
    letters_before = application.letters.count()
    spoc = demo.user("wn-spoc")
    with unchanged_rows(), pytest.raises(ValidationError) as missing:
        services.minutes_correct(meeting=meeting, actor=spoc, minutes=" ", decisions="", reason="")
    assert set(missing.value.message_dict) == {"minutes", "decisions", "reason"}
    with unchanged_rows(), pytest.raises(ValidationError, match="the same as those circulated"):
        services.minutes_correct(
            meeting=meeting, actor=spoc, minutes=meeting.minutes, decisions=meeting.decisions, reason="Typo"
        )
    meeting.refresh_from_db()
    assert meeting.minutes == "The housing officer reported two visits."
    assert application.letters.count() == letters_before
    assert not CaseEvent.objects.filter(application=application, kind="minutes_corrected").exists()


def test_corrected_minutes_are_not_sent_while_the_victim_has_withdrawn_consent(demo, unchanged_rows):
    from casereview.privacy import services as privacy

    application, meeting = circulated(demo)
    spoc = demo.user("wn-spoc")
    privacy.consent_withdraw(application=application, withdrawn_on=dt.date.today(), how="Phone", actor=spoc)
    letters_before = application.letters.count()
    with unchanged_rows(), pytest.raises(privacy.SharingRefused, match="withdrew consent"):
        services.minutes_correct(
            meeting=meeting, actor=spoc, minutes="Corrected.", decisions=meeting.decisions, reason="Typo"
        )
    meeting.refresh_from_db()
    assert meeting.minutes == "The housing officer reported two visits."
    assert application.letters.count() == letters_before
    assert not application.disclosures.filter(what__startswith="Corrected minutes").exists()


def test_the_minutes_are_corrected_from_the_meeting_page(client, demo):
    application, meeting = circulated(demo)
    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/panels/{meeting.pk}/").content.decode()
    assert f"/panels/{meeting.pk}/minutes/correct/" in page
    url = f"/panels/{meeting.pk}/minutes/correct/"
    form = client.get(url).content.decode()
    assert "The housing officer reported two visits." in form
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    typed = {"minutes": "Fixed.", "decisions": meeting.decisions, "version": version}
    refused = client.post(url, {**typed, "reason": ""})
    assert refused.status_code == 400 and "Enter the reason for the correction" in refused.content.decode()
    done = client.post(url, {**typed, "reason": "Typo"})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Fixed." and meeting.minutes_letter.supersedes is not None
    # An agency officer on the case cannot correct the minutes.
    client.force_login(demo.user("wn-police"))
    assert client.post(url, {"minutes": "X", "decisions": "Y", "reason": "Z"}).status_code in (403, 404)
    meeting.refresh_from_db()
    assert meeting.minutes == "Fixed."


def test_minutes_not_yet_circulated_have_no_correction_page(client, demo):
    _, meeting = agreed_plan(demo)
    client.force_login(demo.user("wn-spoc"))
    assert client.get(f"/panels/{meeting.pk}/minutes/correct/").status_code == 404


def test_a_correction_read_before_a_colleagues_is_refused_showing_it(client, demo):
    application, meeting = circulated(demo)
    url = f"/panels/{meeting.pk}/minutes/correct/"
    client.force_login(demo.user("wn-spoc"))
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)
    services.minutes_correct(
        meeting=meeting,
        actor=demo.user("wn-csm"),
        minutes="The colleague's corrected minutes.",
        decisions=meeting.decisions,
        reason="Names wrong",
        read_version=int(version),
    )
    letters_before = application.letters.count()
    typed = {
        "minutes": "My corrected minutes.",
        "decisions": meeting.decisions,
        "reason": "Typo",
        "version": version,
    }
    refused = client.post(url, typed)
    html = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "Someone else changed this panel meeting" in html
        and "The colleague&#x27;s corrected minutes." in html
    )
    assert "My corrected minutes.</textarea>" in html
    meeting.refresh_from_db()
    assert meeting.minutes == "The colleague's corrected minutes."
    assert application.letters.count() == letters_before  # no second correction circulated


def test_the_outcome_letter_says_when_the_panel_was_inquorate(demo):
    from casereview.letters.context import INQUORATE_SENTENCE

    application = in_review_application(demo)
    meeting = full_panel(demo, schedule(demo, application))
    present = list(meeting.members.exclude(role="independent_chair").values_list("id", flat=True))
    hold(demo, meeting, attended_member_ids=present, inquorate_reason="The chair's train was cancelled.")
    spoc = demo.user("wn-spoc")
    services.action_plan_finalise(meeting=meeting, actor=spoc, without_consultation_reason="Unreachable.")
    services.outcome_letter_issue(meeting=meeting, actor=spoc, outcome_summary=SAFE_SUMMARY)
    body = application.letters.get(kind="outcome").body_html
    assert INQUORATE_SENTENCE.split(":")[0] in body
    assert "train" not in body  # the chair's reason is for the record, not the letter


def test_a_quorate_panels_letter_says_nothing_about_quorum(demo):
    application, meeting = agreed_plan(demo)
    services.outcome_letter_issue(meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY)
    assert "not quorate" not in application.letters.get(kind="outcome").body_html
