import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from casereview.applications.models import CaseEvent, Status
from casereview.reviews import services
from casereview.reviews.models import Disclosure, InformationRequest
from tests.reviews.helpers import accepted_application, in_review_application, independent_spoc

pytestmark = pytest.mark.django_db


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def signed_in(client, demo, username):
    client.force_login(demo.user(username))
    return client


def request_to(demo, application, kind):
    (request,) = services.information_requests_send(
        application=application,
        agencies=[demo.agency(application.partnership.slug, kind)],
        requested_on=dt.date(2025, 5, 1),
        actor=demo.user(f"{application.partnership.reference_prefix.lower()}-spoc"),
    )
    return request


def test_a_case_out_of_scope_is_a_404_on_every_review_page(client, demo):
    application = in_review_application(demo)
    signed_in(client, demo, "is-csm")  # another partnership
    for path in [
        "",
        "spoc/",
        "contact/",
        "contact/attempt/",
        "risk/",
        "support/",
        "requests/new/",
        "interim/",
    ]:
        assert client.get(f"/reviews/cases/{application.reference}/{path}").status_code == 404, path
    signed_in(client, demo, "wn-health")  # an agency not party to the case
    assert client.get(f"/reviews/cases/{application.reference}/").status_code == 404


def test_an_agency_officer_sees_only_their_own_agencys_requests(client, demo):
    application = in_review_application(demo)
    police_request = request_to(demo, application, "police")
    health_request = request_to(demo, application, "health")
    other = in_review_application(demo)
    other_police = request_to(demo, other, "police")

    signed_in(client, demo, "wn-health")
    page = client.get("/reviews/requests/")
    assert page.status_code == 200
    assert f"/reviews/requests/{health_request.pk}/".encode() in page.content
    assert f"/reviews/requests/{police_request.pk}/".encode() not in page.content
    assert other.reference.encode() not in page.content
    assert client.get(f"/reviews/requests/{police_request.pk}/").status_code == 404
    assert client.get(f"/reviews/requests/{other_police.pk}/").status_code == 404
    assert client.get(f"/cases/{other.reference}/").status_code == 404
    assert client.get(f"/reviews/cases/{other.reference}/").status_code == 404
    # The review page of their own case shows only their agency's part.
    review = client.get(f"/reviews/cases/{application.reference}/")
    assert review.status_code == 200
    assert b"Northamptonshire Police" not in review.content
    assert b"Vulnerability risk assessment" not in review.content
    # and they cannot act as the SPOC.
    assert client.get(f"/reviews/cases/{application.reference}/risk/").status_code == 403


def test_an_agency_officer_responds_in_the_system_and_the_disclosure_is_recorded(client, demo):
    application = in_review_application(demo)
    info_request = request_to(demo, application, "police")
    signed_in(client, demo, "wn-police")
    empty = client.post(f"/reviews/requests/{info_request.pk}/", {"lawful_basis": "cda_1998_s115"})
    assert empty.status_code == 400
    assert b"Enter the reports your agency received" in empty.content
    assert b"govuk-error-summary" in empty.content
    response = client.post(
        f"/reviews/requests/{info_request.pk}/",
        {
            "reports_received": "Three calls in March.",
            "actions_taken": "Patrols increased.",
            "current_involvement": "Beat manager visiting weekly.",
            "lawful_basis": "cda_1998_s115",
            "version": "1",
        },
    )
    assert response.status_code == 302
    info_request.refresh_from_db()
    assert info_request.status == InformationRequest.Status.ANSWERED
    assert Disclosure.objects.get(information_request=info_request).lawful_basis == "cda_1998_s115"
    # An answered request cannot be answered again.
    assert client.post(f"/reviews/requests/{info_request.pk}/", {}).status_code == 403


def test_the_csm_sees_the_prior_involvement_warning_and_must_give_a_reason(client, demo):
    application = accepted_application(demo)
    independent_spoc(demo)
    spoc = demo.user("wn-spoc")
    signed_in(client, demo, "wn-csm")
    page = client.get(f"/reviews/cases/{application.reference}/spoc/")
    assert page.status_code == 200
    assert b"may have had prior involvement" in page.content
    assert b'name="version" value="0"' in page.content  # read with no appointment yet
    refused = client.post(f"/reviews/cases/{application.reference}/spoc/", {"spoc": spoc.pk, "version": "0"})
    assert refused.status_code == 400
    assert b"Give the reason" in refused.content
    application.refresh_from_db()
    assert application.spoc is None
    done = client.post(
        f"/reviews/cases/{application.reference}/spoc/",
        {"spoc": spoc.pk, "override_reason": "Different team.", "version": "0"},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.spoc == spoc and application.status == Status.IN_REVIEW


def test_only_a_csm_appoints(client, demo):
    application = accepted_application(demo)
    signed_in(client, demo, "wn-spoc")
    assert client.get(f"/reviews/cases/{application.reference}/spoc/").status_code == 403


def test_a_high_risk_assessment_goes_straight_to_an_interim_action(client, demo):
    application = in_review_application(demo)
    signed_in(client, demo, "wn-spoc")
    answers = {f"q_{code}": "no" for code in services.risk.QUESTION_CODES} | {"q_physical_safety": "yes"}
    response = client.post(
        f"/reviews/cases/{application.reference}/risk/",
        {**answers, **date_fields("assessed_on", dt.date(2025, 5, 1)), "version": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/cases/{application.reference}/interim/"
    follow = client.get(response["Location"])
    assert b"found a high risk" in follow.content
    assert CaseEvent.objects.filter(application=application, kind="risk_assessed").exists()


def test_an_unanswered_risk_question_is_named(client, demo):
    application = in_review_application(demo)
    signed_in(client, demo, "wn-spoc")
    answers = {f"q_{code}": "no" for code in services.risk.QUESTION_CODES}
    del answers["q_children"]
    response = client.post(
        f"/reviews/cases/{application.reference}/risk/",
        {**answers, **date_fields("assessed_on", dt.date(2025, 5, 1))},
    )
    assert response.status_code == 400
    assert b"Answer yes or no: Are there children in the household" in response.content
    assert b'value="no" checked' in response.content or b"checked" in response.content  # kept what was typed


def test_contact_attempt_form_keeps_input_and_names_the_bad_date(client, demo):
    application = in_review_application(demo)
    signed_in(client, demo, "wn-spoc")
    response = client.post(
        f"/reviews/cases/{application.reference}/contact/attempt/",
        {
            "method": "phone",
            "outcome": "no_answer",
            "notes": "Rang twice",
            "attempted_on_0": "31",
            "attempted_on_1": "2",
            "attempted_on_2": "2025",
        },
    )
    assert response.status_code == 400
    assert b"The date of the attempt must be a real date" in response.content
    assert b"Rang twice" in response.content


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("31", "2", "2025", "The date of the attempt must be a real date", ["day"]),
        ("1", "", "2025", "The date of the attempt must include a month", ["month"]),
        ("1", "2", "25", "The year of the date of the attempt must include 4 numbers", ["year"]),
        ("a", "2", "2025", "The date of the attempt must be a real date", ["day"]),
        ("", "", "", "Enter the date of the attempt", ["day", "month", "year"]),
    ],
)
def test_contact_attempt_form_says_what_is_wrong_with_the_date_and_marks_those_boxes(
    client, demo, day, month, year, message, marked
):
    application = in_review_application(demo)
    signed_in(client, demo, "wn-spoc")
    response = client.post(
        f"/reviews/cases/{application.reference}/contact/attempt/",
        {
            "method": "phone",
            "outcome": "no_answer",
            "attempted_on_0": day,
            "attempted_on_1": month,
            "attempted_on_2": year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    for number, part in enumerate(("day", "month", "year")):
        box = re.search(rf'<input type="text" name="attempted_on_{number}"[^>]* class="([^"]*)"', page)
        assert ("govuk-input--error" in box.group(1)) == (part in marked), part


def test_information_request_form_defaults_the_due_date_from_the_policy(client, demo):
    application = in_review_application(demo, "islington")
    signed_in(client, demo, "is-spoc")
    page = client.get(f"/reviews/cases/{application.reference}/requests/new/")
    assert page.status_code == 200
    due = services.deadline_due_on(
        application=application, name="agency_response", event_date=dt.date.today()
    )
    assert f'value="{due.year}"'.encode() in page.content
    assert due == dt.date.today() + dt.timedelta(days=21)


def test_review_list_search_and_empty_state(client, demo):
    application = in_review_application(demo)
    signed_in(client, demo, "wn-spoc")
    page = client.get("/reviews/", {"q": application.reference})
    assert application.reference.encode() in page.content
    assert b"No reviews match your search" in client.get("/reviews/", {"q": "ZZ-0000"}).content


def test_a_risk_form_read_before_a_colleagues_assessment_is_refused_showing_it(client, demo):
    application = in_review_application(demo)
    signed_in(client, demo, "wn-spoc")
    page = client.get(f"/reviews/cases/{application.reference}/risk/")
    assert b'name="version" value="0"' in page.content
    no = dict.fromkeys(services.risk.QUESTION_CODES, False)
    services.risk_assessment_record(
        application=application,
        answers=no | {"children": True},
        assessed_on=dt.date(2025, 5, 1),
        notes="Colleague: two children at home",
        actor=demo.user("wn-csm"),
        read_version=0,
    )
    answers = {f"q_{code}": "no" for code in services.risk.QUESTION_CODES}
    form = {**answers, **date_fields("assessed_on", dt.date(2025, 5, 2)), "notes": "Mine", "version": "0"}
    response = client.post(f"/reviews/cases/{application.reference}/risk/", form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this risk assessment" in html
    assert "Saved since you opened this page" in html and "Colleague: two children at home" in html
    assert "Mine</textarea>" in html and 'name="version" value="1"' in html
    assert application.risk_assessments.count() == 1
    assert (
        client.post(f"/reviews/cases/{application.reference}/risk/", {**form, "version": "1"}).status_code
        == 302
    )
    assert application.risk_assessments.count() == 2


def test_two_answers_to_one_information_request_keep_the_first(client, demo, unchanged_rows):
    application = in_review_application(demo)
    info_request = request_to(demo, application, "police")
    answer = {
        "reports_received": "Three calls in March.",
        "actions_taken": "Patrols increased.",
        "current_involvement": "Beat manager visiting weekly.",
        "lawful_basis": "cda_1998_s115",
        "version": "1",
    }
    signed_in(client, demo, "wn-csm")  # records the answer the agency sent by email…
    assert client.post(f"/reviews/requests/{info_request.pk}/", answer).status_code == 302
    # …while the agency officer's own form, read at version 1, is sent a moment later.
    with (
        unchanged_rows(),
        pytest.raises(ValidationError, match="Someone else changed this information request"),
    ):
        services.information_request_respond(
            request=InformationRequest.objects.get(pk=info_request.pk),
            actor=demo.user("wn-police"),
            reports_received="Other",
            actions_taken="Other",
            current_involvement="Other",
            lawful_basis="cda_1998_s115",
            read_version=1,
        )
    info_request.refresh_from_db()
    assert (info_request.reports_received, info_request.version) == ("Three calls in March.", 2)
    assert Disclosure.objects.filter(information_request=info_request).count() == 1
