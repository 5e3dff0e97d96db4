"""No dead ends: words shared with the victim that name an alleged perpetrator are warned about the
moment they are saved (the letters' own check); recommendations and actions can be changed or
un-shared until the outcome letter, each change recorded; the outcome letter's refusal says what
matched and links to the page that changes it."""

import pytest
from django.core.exceptions import ValidationError

from casereview.applications.models import CaseEvent
from casereview.letters.checks import perpetrator_details_in
from casereview.panels import services
from casereview.panels.models import Recommendation
from tests.panels.helpers import full_panel, hold, schedule
from tests.panels.test_outcome import SAFE_SUMMARY, agreed_plan
from tests.reviews.helpers import add_perpetrator, in_review_application

pytestmark = pytest.mark.django_db

NAMED = "Housing to serve a notice on Darren Kettering."


def held_meeting(demo):
    application = in_review_application(demo)
    add_perpetrator(application)  # Darren Kettering
    return application, hold(demo, full_panel(demo, schedule(demo, application)))


def test_the_check_is_the_letters_own(demo):
    application, _ = held_meeting(demo)
    (finding,) = perpetrator_details_in(case=application, text=NAMED, where="the recommendation")
    assert finding.message().startswith("The name of alleged perpetrator 1 appears in the recommendation")
    assert perpetrator_details_in(case=application, text="A joint visit.", where="x") == []
    # The victim's own name is theirs to be told.
    assert perpetrator_details_in(case=application, text=f"Visit {application.victim}.", where="x") == []


def test_saving_a_shared_recommendation_that_names_a_perpetrator_warns_first(client, demo):
    application, meeting = held_meeting(demo)
    housing = demo.agency("west-northamptonshire", "housing")
    client.force_login(demo.user("wn-spoc"))
    url = f"/panels/{meeting.pk}/recommendations/add/"
    posted = {"body": housing.pk, "text": NAMED, "share_with_victim": "on", "version": 0}
    page = client.post(url, posted)
    assert page.status_code == 200
    assert b"app-perpetrator-warning" in page.content
    assert b"The name of alleged perpetrator 1" in page.content
    assert NAMED.encode() in page.content  # what was typed is kept
    assert not Recommendation.objects.filter(meeting=meeting).exists()

    # Not shared: no warning, saved.
    page = client.post(url, {"body": housing.pk, "text": NAMED, "version": 0})
    assert page.status_code == 302
    # Confirmed: saved as written (from the page read after that one was added: one there now).
    page = client.post(url, {**posted, "version": 1, "save_anyway_offered": "1", "save_anyway": "on"})
    assert page.status_code == 302
    assert Recommendation.objects.filter(meeting=meeting, share_with_victim=True).count() == 1


def test_a_recommendation_is_changed_or_unshared_until_the_outcome_letter(demo, unchanged_rows):
    application, meeting = agreed_plan(demo, recommendation=NAMED)
    spoc = demo.user("wn-spoc")
    recommendation = meeting.recommendations.get()
    services.recommendation_edit(
        recommendation=recommendation, text=recommendation.text, share_with_victim=False, actor=spoc
    )
    (event,) = CaseEvent.objects.filter(application=application, kind="recommendation_edited")
    assert "no longer shared with the victim" in event.summary
    assert "Kettering" not in event.summary
    services.outcome_letter_issue(meeting=meeting, actor=spoc, outcome_summary=SAFE_SUMMARY)
    meeting.refresh_from_db()
    before = list(Recommendation.objects.values_list("text", "share_with_victim"))
    with unchanged_rows(), pytest.raises(ValidationError, match="correct the outcome letter"):
        services.recommendation_edit(
            recommendation=recommendation, text="Other.", share_with_victim=True, actor=spoc
        )
    assert list(Recommendation.objects.values_list("text", "share_with_victim")) == before


def test_an_action_is_changed_until_the_outcome_letter_and_each_change_recorded(demo, unchanged_rows):
    from casereview.actions.services import action_edit

    application, meeting = agreed_plan(demo, action="Police to visit Darren Kettering.")
    action = meeting.actions.get()
    spoc = demo.user("wn-spoc")
    action_edit(action=action, description="Police to visit the address.", share_with_victim=True, actor=spoc)
    action.refresh_from_db()
    assert action.description == "Police to visit the address."
    (event,) = CaseEvent.objects.filter(application=application, kind="action_edited")
    assert "its wording" in event.summary and "Kettering" not in event.summary
    with unchanged_rows(), pytest.raises(Exception, match="SPOC"):
        action_edit(action=action, description="x", share_with_victim=False, actor=demo.user("wn-police"))
    services.outcome_letter_issue(meeting=meeting, actor=spoc, outcome_summary=SAFE_SUMMARY)
    with unchanged_rows(), pytest.raises(ValidationError, match="correct the outcome letter"):
        action_edit(action=action, description="Other.", share_with_victim=True, actor=spoc)


def _version(meeting) -> int:
    """The version the outcome page carries in its hidden field (web.concurrency), read now."""
    meeting.refresh_from_db()
    return meeting.version


def test_the_outcome_refusal_names_what_matched_and_links_to_the_edit_pages(client, demo):
    application, meeting = agreed_plan(
        demo, recommendation=NAMED, action="Police to give Darren Kettering words of advice."
    )
    recommendation, action = meeting.recommendations.get(), meeting.actions.get()
    client.force_login(demo.user("wn-spoc"))
    page = client.post(
        f"/panels/{meeting.pk}/outcome/",
        {"outcome_summary": SAFE_SUMMARY, "action": "issue", "version": _version(meeting)},
    )
    text = page.content.decode()
    assert "This letter cannot be issued" in text
    assert f"/panels/{meeting.pk}/recommendations/{recommendation.pk}/edit/" in text
    assert f"/actions/{action.pk}/edit/" in text
    assert "The name of alleged perpetrator 1 appears in the recommendation to" in text

    # The links lead to pages that put it right; then the letter issues.
    client.post(
        f"/panels/{meeting.pk}/recommendations/{recommendation.pk}/edit/",
        {
            "text": "Housing to serve a notice on the tenant of the flat below.",
            "version": recommendation.version,
        },
    )
    client.post(
        f"/actions/{action.pk}/edit/",
        {
            "description": "Police to give words of advice.",
            "share_with_victim": "on",
            "version": action.version,
        },
    )
    page = client.post(
        f"/panels/{meeting.pk}/outcome/",
        {"outcome_summary": SAFE_SUMMARY, "action": "issue", "version": _version(meeting)},
    )
    assert page.status_code == 302
    assert application.letters.filter(kind="outcome").exists()
    assert CaseEvent.objects.filter(application=application, kind="recommendation_edited").exists()
    assert CaseEvent.objects.filter(application=application, kind="action_edited").exists()


def test_the_edit_pages_are_only_for_those_running_the_review(client, demo):
    _, meeting = agreed_plan(demo)
    action = meeting.actions.get()
    client.force_login(demo.user("wn-police"))
    assert client.get(f"/actions/{action.pk}/edit/").status_code == 403
    recommendation = meeting.recommendations.get()
    assert client.get(f"/panels/{meeting.pk}/recommendations/{recommendation.pk}/edit/").status_code in (
        403,
        404,
    )


def test_an_interim_action_shared_with_the_victim_naming_a_perpetrator_is_warned_first(client, demo):
    import datetime as dt

    from casereview.actions.models import Action

    application, _ = held_meeting(demo)
    due = dt.date.today() + dt.timedelta(days=7)
    posted = {
        "description": "Police to speak to Darren Kettering.",
        "owner_agency": demo.agency("west-northamptonshire", "police").pk,
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year,
        "share_with_victim": "on",
    }
    client.force_login(demo.user("wn-spoc"))
    url = f"/reviews/cases/{application.reference}/interim/"
    before = Action.objects.count()
    page = client.post(url, posted)
    assert b"app-perpetrator-warning" in page.content
    assert Action.objects.count() == before
    assert client.post(url, {**posted, "share_with_victim": ""}).status_code == 302
    assert Action.objects.count() == before + 1
