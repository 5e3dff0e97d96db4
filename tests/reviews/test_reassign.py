"""Consent withdrawn: the open actions and information requests of agencies that can no longer
see the case move to the SPOC to reassign (a page with a form for each), each move recorded, and
the sweep stops chasing those agencies."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casereview.actions.services import action_reassign, escalations_due
from casereview.applications.models import CaseEvent
from casereview.notifications.models import Notice
from casereview.privacy import services as privacy
from casereview.reviews import services
from casereview.reviews.selectors import duties_to_reassign, information_requests_due_for_reminder
from tests.actions.helpers import action_for
from tests.reviews.helpers import in_review_application
from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date.today() - dt.timedelta(days=40)


def case_with_duties(demo):
    application = in_review_application(demo)
    police = demo.agency("west-northamptonshire", "police")
    action = action_for(application, demo.user("wn-police"), due_on=LONG_AGO)
    council_action = action_for(application, demo.user("wn-csm"), due_on=LONG_AGO)
    (request,) = services.information_requests_send(
        application=application,
        agencies=[police],
        requested_on=LONG_AGO,
        due_on=LONG_AGO + dt.timedelta(days=10),
        actor=demo.user("wn-spoc"),
    )
    return application, action, council_action, request


def test_withdrawal_moves_the_duties_to_the_spoc_and_the_sweep_stops_chasing(demo):
    application, action, council_action, request = case_with_duties(demo)
    today = dt.date.today()
    assert {p.action.pk for p in escalations_due(today=today)} >= {action.pk, council_action.pk}
    assert request in information_requests_due_for_reminder(today=today)

    privacy.consent_withdraw(
        application=application, withdrawn_on=today, how="Phone", actor=demo.user("wn-spoc")
    )

    (event,) = CaseEvent.objects.filter(application=application, kind="duties_to_reassign")
    assert event.data == {"actions": [action.pk], "information_requests": [request.pk]}
    assert Notice.objects.filter(
        recipient=demo.user("wn-spoc"), url=f"/reviews/cases/{application.reference}/reassign/"
    ).exists()
    duties = duties_to_reassign(application)
    assert list(duties["actions"]) == [action] and list(duties["requests"]) == [request]
    due = {p.action.pk for p in escalations_due(today=today)}
    assert action.pk not in due and council_action.pk in due  # the council can still see the case
    assert request not in information_requests_due_for_reminder(today=today)

    # Consent given again: the duties are the agency's again, and chased again.
    (withdrawal,) = application.consent_withdrawals.all()
    privacy.consent_reinstate(withdrawal=withdrawal, actor=demo.user("wn-csm"), reason="The victim agreed.")
    assert not duties_to_reassign(application)["actions"].exists()
    assert action.pk in {p.action.pk for p in escalations_due(today=today)}


def test_the_spoc_reassigns_each_duty_to_someone_who_can_see_the_case(client, demo, unchanged_rows):
    application, action, _, request = case_with_duties(demo)
    privacy.consent_withdraw(
        application=application, withdrawn_on=dt.date.today(), how="Phone", actor=demo.user("wn-spoc")
    )
    client.force_login(demo.user("wn-spoc"))
    review = client.get(f"/reviews/cases/{application.reference}/").content.decode()
    assert f"/reviews/cases/{application.reference}/reassign/" in review
    page = client.get(f"/reviews/cases/{application.reference}/reassign/").content.decode()
    action_url = f"/reviews/cases/{application.reference}/reassign/actions/{action.pk}/"
    request_url = f"/reviews/cases/{application.reference}/reassign/requests/{request.pk}/"
    assert action_url in page and request_url in page

    # A partner that lost access cannot be chosen: refused, nothing changes.
    with unchanged_rows(), pytest.raises(ValidationError, match="cannot see this case"):
        action_reassign(action=action, owner=demo.user("wn-housing"), actor=demo.user("wn-spoc"))
    action.refresh_from_db()
    assert action.owner == demo.user("wn-police")
    response = client.post(action_url, {"owner": demo.user("wn-housing").pk})
    assert response.status_code == 400

    council = demo.agency("west-northamptonshire", "council")
    version = form_version(client.get(action_url))
    assert client.post(action_url, {"owner": demo.user("wn-csm").pk, "version": version}).status_code == 302
    version = form_version(client.get(request_url))
    assert client.post(request_url, {"agency": council.pk, "version": version}).status_code == 302
    action.refresh_from_db()
    request.refresh_from_db()
    assert (action.owner, action.owner_agency, request.agency) == (demo.user("wn-csm"), council, council)
    assert CaseEvent.objects.filter(application=application, kind="action_reassigned").count() == 1
    assert (
        CaseEvent.objects.filter(application=application, kind="information_request_reassigned").count() == 1
    )
    assert not duties_to_reassign(application)["actions"].exists()
    assert not duties_to_reassign(application)["requests"].exists()
    assert action.pk in {p.action.pk for p in escalations_due(today=dt.date.today())}
    assert (
        "No actions to reassign"
        in client.get(f"/reviews/cases/{application.reference}/reassign/").content.decode()
    )


def test_only_the_spoc_or_a_manager_reassigns(client, demo):
    application, action, _, _ = case_with_duties(demo)
    privacy.consent_withdraw(
        application=application, withdrawn_on=dt.date.today(), how="Phone", actor=demo.user("wn-spoc")
    )
    client.force_login(demo.user("wn-health"))
    assert client.get(f"/reviews/cases/{application.reference}/reassign/").status_code in (403, 404)


def test_a_reassignment_read_before_the_action_changed_is_refused_naming_the_change(
    client, demo, unchanged_rows
):
    from casereview.actions.services import action_delay
    from casereview.web.concurrency import StaleRecord

    application, action, _, request = case_with_duties(demo)
    privacy.consent_withdraw(
        application=application, withdrawn_on=dt.date.today(), how="Phone", actor=demo.user("wn-spoc")
    )
    client.force_login(demo.user("wn-spoc"))
    action_url = f"/reviews/cases/{application.reference}/reassign/actions/{action.pk}/"
    read = form_version(client.get(action_url))
    # Meanwhile a manager records that the action is delayed: its version moves on.
    action_delay(
        action=action,
        actor=demo.user("wn-csm"),
        reason="Waiting for the contractor",
        revised_due_on=dt.date.today() + dt.timedelta(days=20),
    )
    with unchanged_rows(*all_but_the_access_log()):
        response = client.post(action_url, {"owner": demo.user("wn-csm").pk, "version": read})
    assert_refused_as_stale(response, what="action", differs=("Who should own the action now?",))
    action.refresh_from_db()
    assert action.owner == demo.user("wn-police")
    # Saving again from the refused page is a deliberate choice: it works.
    assert (
        client.post(
            action_url, {"owner": demo.user("wn-csm").pk, "version": form_version(response)}
        ).status_code
        == 302
    )

    # The information request, through the service: two reads at the same version, the second refused.
    council = demo.agency("west-northamptonshire", "council")
    read = request.version
    services.information_request_reassign(
        request=request, agency=council, actor=demo.user("wn-spoc"), read_version=read
    )
    with unchanged_rows(), pytest.raises(StaleRecord, match="information request"):
        services.information_request_reassign(
            request=request, agency=council, actor=demo.user("wn-csm"), read_version=read
        )


def test_a_duty_reassigned_since_the_page_was_opened_says_so_and_leads_back(client, demo):
    application, action, _, request = case_with_duties(demo)
    privacy.consent_withdraw(
        application=application, withdrawn_on=dt.date.today(), how="Phone", actor=demo.user("wn-spoc")
    )
    client.force_login(demo.user("wn-spoc"))
    action_url = f"/reviews/cases/{application.reference}/reassign/actions/{action.pk}/"
    read = form_version(client.get(action_url))
    action_reassign(action=action, owner=demo.user("wn-csm"), actor=demo.user("wn-csm"))
    response = client.post(action_url, {"owner": demo.user("wn-spoc").pk, "version": read}, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/reviews/cases/{application.reference}/reassign/"
    assert "no longer needs reassigning" in text
    action.refresh_from_db()
    assert action.owner == demo.user("wn-csm")
