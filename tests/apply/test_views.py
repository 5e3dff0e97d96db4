"""The public journey through Django's test client: every step, its messages and its links."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from casereview.accounts.models import Partnership
from casereview.applications.models import Application, Person

from .conftest import VICTIM_ANSWERS, agency, follow_post, incident_answers, start, walk

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def back_link(response) -> str:
    match = re.search(r'<a href="([^"]*)" class="govuk-back-link">', text(response))
    assert match, "no back link"
    return match.group(1)


def error_summary(response) -> list[tuple[str, str]]:
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in body, "the page title does not start with Error:"
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', body.split("govuk-error-summary__list")[1])


def field_error(response, field_id: str) -> str:
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>',
        text(response),
    )
    assert match, f"no error message at {field_id}"
    return match.group(1)


def to_check_answers(client, *, pages=VICTIM_ANSWERS, incidents=1):
    start(client)
    walk(client, pages)
    police = agency("west-northamptonshire", "police")
    for number in range(1, incidents + 1):
        occurred = dt.date(2026, 1, number)
        walk(
            client,
            incident_answers(
                number, occurred=occurred, reports={f"agency-{police.pk}": occurred + dt.timedelta(days=1)}
            ),
        )
        follow_post(client, "/apply/incidents/", {"add_another": "yes" if number < incidents else "no"})
    walk(
        client,
        [
            ("/apply/what-has-happened/", {"summary": "It never stops."}),
            ("/apply/outcome/", {"desired_outcome": "Quiet nights."}),
        ],
    )
    response = client.get("/apply/check-your-answers/")
    assert response.status_code == 200
    return response


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', text(response)).group(1)


# -- Start, session ------------------------------------------------------------------------------


def test_the_start_page_explains_and_starts_with_a_form(client, areas, settings):
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600  # the site's sessions outlast the journey's hour
    response = client.get("/apply/")
    assert response.status_code == 200
    assert "Ask for an ASB Case Review" in text(response)
    assert "call 999" in text(response)
    assert "We keep your answers for 60 minutes after your last change" in text(response)
    assert 'method="post"' in text(response) and "Start now" in text(response)
    assert start(client) == "/apply/danger/"
    # Started: the start page offers to continue, not to wipe the answers.
    assert "Continue your application" in text(client.get("/apply/"))


def test_a_question_without_a_journey_says_the_answers_were_deleted(client, areas):
    response = client.get("/apply/who/")
    assert response["Location"] == "/apply/session-ended/"
    assert "Your answers have been deleted" in text(client.get("/apply/session-ended/"))


def test_answers_left_too_long_are_forgotten(client, areas, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC), tick=False)
    start(client)
    follow_post(client, "/apply/danger/", {"in_danger": "no"})
    time_machine.move_to(dt.datetime(2026, 3, 18, 11, 1, tzinfo=dt.UTC), tick=False)
    assert client.get("/apply/area/")["Location"] == "/apply/session-ended/"


def test_start_again_asks_first_then_deletes_the_answers(client, areas):
    start(client)
    follow_post(client, "/apply/danger/", {"in_danger": "no"})
    response = client.post("/apply/start-again/", {})
    assert error_summary(response) == [
        ("#confirm", "Select yes if you want to delete your answers and start again")
    ]
    assert follow_post(client, "/apply/start-again/", {"confirm": "no"}) == "/apply/area/"
    assert follow_post(client, "/apply/start-again/", {"confirm": "yes"}) == "/apply/"
    assert client.get("/apply/area/")["Location"] == "/apply/session-ended/"


def test_pages_cannot_be_skipped(client, areas):
    start(client)
    assert client.get("/apply/contact/")["Location"] == "/apply/danger/"
    assert client.get("/apply/check-your-answers/")["Location"] == "/apply/danger/"
    assert client.get("/apply/incidents/1/what/")["Location"] == "/apply/danger/"


# -- Screening --------------------------------------------------------------------------------------


def test_danger_question_needs_an_answer_and_yes_shows_how_to_get_help(client, areas):
    start(client)
    response = client.post("/apply/danger/", {})
    assert error_summary(response) == [
        ("#in_danger", "Select yes if you or anyone else is in immediate danger now")
    ]
    assert field_error(response, "in_danger") == "Select yes if you or anyone else is in immediate danger now"
    assert back_link(client.get("/apply/danger/")) == "/apply/"

    assert follow_post(client, "/apply/danger/", {"in_danger": "yes"}) == "/apply/call-999/"
    exit_page = client.get("/apply/call-999/")
    assert "Call 999 now" in text(exit_page)
    # Not a dead end: they can continue when safe.
    assert 'href="/apply/area/"' in text(exit_page)
    assert client.get("/apply/area/").status_code == 200


def test_the_area_comes_from_the_postcode(client, areas):
    start(client)
    follow_post(client, "/apply/danger/", {"in_danger": "no"})
    response = client.post("/apply/area/", {"postcode": ""})
    assert error_summary(response) == [("#postcode", "Enter the postcode where the behaviour is happening")]
    response = client.post("/apply/area/", {"postcode": "not a postcode"})
    assert field_error(response, "postcode") == "Enter a full UK postcode, like NN1 1ED"
    assert 'value="not a postcode"' in text(response)  # what they typed is kept

    assert follow_post(client, "/apply/area/", {"postcode": "n1 2ud"}) == "/apply/what-to-look-at/"
    assert client.session["apply"]["partnership"] == "islington"
    assert back_link(client.get("/apply/what-to-look-at/")) == "/apply/area/"


def test_a_postcode_outside_the_areas_asks_which_area_and_somewhere_else_explains(client, areas):
    start(client)
    follow_post(client, "/apply/danger/", {"in_danger": "no"})
    assert follow_post(client, "/apply/area/", {"postcode": "SW1A 1AA"}) == "/apply/area/choose/"
    page = client.get("/apply/area/choose/")
    assert "We could not tell from the postcode SW1A 1AA which area it is in." in text(page)
    response = client.post("/apply/area/choose/", {})
    assert error_summary(response) == [("#partnership", "Select the area where the behaviour is happening")]
    assert (
        follow_post(client, "/apply/area/choose/", {"partnership": "elsewhere"}) == "/apply/area/not-covered/"
    )
    assert "find your local council" in text(client.get("/apply/area/not-covered/"))
    assert follow_post(client, "/apply/area/choose/", {"partnership": "west-northamptonshire"}) == (
        "/apply/what-to-look-at/"
    )


def test_with_one_partnership_the_area_is_not_asked(client, areas):
    for other in Partnership.objects.exclude(slug="west-northamptonshire"):  # Islington, Cardiff
        other.agencies.all().delete()
        other.delete()
    start(client)
    assert follow_post(client, "/apply/danger/", {"in_danger": "no"}) == "/apply/what-to-look-at/"
    assert back_link(client.get("/apply/what-to-look-at/")) == "/apply/danger/"
    assert client.get("/apply/area/")["Location"] == "/apply/what-to-look-at/"


def test_screening_says_kindly_where_to_go_instead_and_lets_them_continue(client, areas):
    start(client)
    walk(client, VICTIM_ANSWERS[:2])
    response = client.post("/apply/what-to-look-at/", {})
    assert error_summary(response) == [
        ("#concerns", "Select what you want us to look at, or select ‘None of these’")
    ]
    response = client.post("/apply/what-to-look-at/", {"concerns": ["none", "court_decision"]})
    assert (
        field_error(response, "concerns")
        == "Select ‘None of these’ on its own, or the things that apply to you"
    )

    assert follow_post(
        client, "/apply/what-to-look-at/", {"concerns": ["cps_decision", "service_provision_only"]}
    ) == ("/apply/other-routes/")
    page = text(client.get("/apply/other-routes/"))
    assert "Victims’ Right to Review" in page
    assert "complaints procedure" in page and "West Northamptonshire Council" in page
    assert "A court's decision" not in page  # only what they said
    assert 'href="/apply/who/"' in page  # they may still continue
    assert client.get("/apply/who/").status_code == 200


# -- Who is applying -------------------------------------------------------------------------------


def test_a_third_party_is_asked_about_themselves_and_consent(client, areas):
    start(client)
    walk(client, VICTIM_ANSWERS[:3])
    assert follow_post(client, "/apply/who/", {"applicant_type": "third_party"}) == "/apply/applying-for/"
    response = client.post("/apply/applying-for/", {})
    assert error_summary(response) == [("#victim_kind", "Select who you are applying for")]
    assert (
        follow_post(client, "/apply/applying-for/", {"victim_kind": "individual"}) == "/apply/relationship/"
    )

    response = client.post("/apply/relationship/", {"relationship": "other", "relationship_other": ""})
    assert error_summary(response) == [
        ("#relationship_other", "Enter your relationship to the person you are applying for")
    ]
    follow_post(
        client,
        "/apply/relationship/",
        {"relationship": "other", "relationship_other": "Neighbour"},
        expect="/apply/your-details/",
    )

    response = client.post("/apply/your-details/", {"full_name": "", "email": "", "phone": ""})
    assert ("#full_name", "Enter your full name") in error_summary(response)
    response = client.post("/apply/your-details/", {"full_name": "Ann Lee", "email": "", "phone": ""})
    assert error_summary(response) == [
        ("#email", "Enter your email address or telephone number, so we can contact you")
    ]
    response = client.post("/apply/your-details/", {"full_name": "Ann Lee", "email": "ann@", "phone": "12"})
    assert error_summary(response) == [
        ("#email", "Enter an email address in the correct format, like name@example.com"),
        ("#phone", "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
    ]
    follow_post(
        client,
        "/apply/your-details/",
        {"full_name": "Ann Lee", "email": "ann@example.org", "phone": ""},
        expect="/apply/consent/",
    )

    consent = client.get("/apply/consent/")
    assert "A review needs the agreement" in text(consent)
    assert "the review cannot start until they agree" in text(consent)
    response = client.post("/apply/consent/", {})
    assert error_summary(response) == [
        ("#victim_consent", "Select whether the person you are applying for has agreed")
    ]
    follow_post(client, "/apply/consent/", {"victim_consent": "not_asked"}, expect="/apply/name/")

    # The questions now speak of "them".
    response = client.post("/apply/name/", {"full_name": ""})
    assert error_summary(response) == [("#full_name", "Enter their full name")]
    follow_post(client, "/apply/name/", {"full_name": "Jo Bloggs"}, expect="/apply/address/")
    assert "What is their address?" in text(client.get("/apply/address/"))
    assert back_link(client.get("/apply/name/")) == "/apply/consent/"


def test_a_victim_is_asked_about_themselves(client, areas):
    start(client)
    walk(client, VICTIM_ANSWERS[:3])
    response = client.post("/apply/who/", {})
    assert error_summary(response) == [("#applicant_type", "Select who the behaviour is affecting")]
    follow_post(client, "/apply/who/", {"applicant_type": "self_individual"}, expect="/apply/name/")
    assert back_link(client.get("/apply/name/")) == "/apply/who/"
    response = client.post("/apply/name/", {"full_name": ""})
    assert error_summary(response) == [("#full_name", "Enter your full name")]
    follow_post(client, "/apply/name/", {"full_name": "Jo Bloggs"}, expect="/apply/address/")

    response = client.post("/apply/address/", {"address_line_1": "", "town": "", "postcode": "XX"})
    assert error_summary(response) == [
        ("#address_line_1", "Enter address line 1, typically the building and street"),
        ("#town", "Enter town or city"),
        ("#postcode", "Enter a full UK postcode, like NN1 1ED"),
    ]
    walk(client, [VICTIM_ANSWERS[5]])

    response = client.post("/apply/contact/", {"preferred": "email", "email": ""})
    assert error_summary(response) == [("#email", "Enter an email address")]
    response = client.post("/apply/contact/", {})
    assert error_summary(response) == [("#preferred", "Select how we should contact you")]
    follow_post(client, "/apply/contact/", {"preferred": "letter"}, expect="/apply/contact-safely/")
    follow_post(
        client, "/apply/contact-safely/", {"safe_times": "", "safety_notes": ""}, expect="/apply/needs/"
    )
    response = client.post("/apply/needs/", {"formats": ["none", "braille"]})
    assert error_summary(response) == [
        ("#formats", "Select ‘No, none of these’ on its own, or the formats needed")
    ]
    follow_post(client, "/apply/needs/", {"formats": ["none"]}, expect="/apply/incidents/")


def test_a_business_is_asked_for_its_name_and_a_contact(client, areas):
    start(client)
    walk(client, VICTIM_ANSWERS[:3])
    follow_post(client, "/apply/who/", {"applicant_type": "self_business"})
    response = client.post("/apply/name/", {"organisation_name": "", "full_name": ""})
    assert error_summary(response) == [
        ("#organisation_name", "Enter the name of the business"),
        ("#full_name", "Enter your full name"),
    ]
    follow_post(client, "/apply/name/", {"organisation_name": "Corner Shop", "full_name": "Sam Shah"})
    assert "What is the address of the business?" in text(client.get("/apply/address/"))


# -- Incidents ----------------------------------------------------------------------------------------


def to_incidents(client):
    start(client)
    walk(client, VICTIM_ANSWERS)
    assert client.get("/apply/incidents/")["Location"] == "/apply/incidents/1/when/"


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "anchor"),
    [
        ("", "", "", "Enter the date the incident happened", "#occurred_day"),
        ("12", "", "2026", "The date the incident happened must include a month", "#occurred_month"),
        ("30", "2", "2026", "The date the incident happened must be a real date", "#occurred_day"),
        ("1", "1", "2099", "The date the incident happened must be today or in the past", "#occurred_day"),
    ],
)
def test_the_incident_date_is_checked_with_messages_naming_it(
    client, areas, day, month, year, message, anchor
):
    to_incidents(client)
    response = client.post(
        "/apply/incidents/1/when/", {"occurred_day": day, "occurred_month": month, "occurred_year": year}
    )
    assert error_summary(response) == [(anchor, message)]
    assert field_error(response, "occurred") == message
    assert f'name="occurred_year" type="text" inputmode="numeric" value="{year}"' in text(response)
    assert client.session["apply"]["incidents"] == []  # nothing kept from a wrong page


def test_an_incident_is_asked_one_thing_per_page(client, areas):
    to_incidents(client)
    police, council = agency("west-northamptonshire", "police"), agency("west-northamptonshire", "council")
    assert back_link(client.get("/apply/incidents/1/when/")) == "/apply/needs/"
    follow_post(
        client,
        "/apply/incidents/1/when/",
        {"occurred_day": "5", "occurred_month": "1", "occurred_year": "2026"},
        expect="/apply/incidents/1/what/",
    )
    response = client.post("/apply/incidents/1/what/", {"description": "", "location": ""})
    assert error_summary(response) == [
        ("#description", "Enter what happened"),
        ("#location", "Enter where it happened"),
    ]
    follow_post(
        client,
        "/apply/incidents/1/what/",
        {"description": "Shouting", "location": "Street"},
        expect="/apply/incidents/1/hostility/",
    )

    page = text(client.get("/apply/incidents/1/hostility/"))
    for label in (
        "Race or ethnicity",
        "Religion or belief",
        "Disability",
        "Sexual orientation",
        "Transgender identity",
        "Not sure",
    ):
        assert label in page
    response = client.post("/apply/incidents/1/hostility/", {})
    assert error_summary(response)[0][1].startswith(
        "Select if you think the incident was motivated by hostility"
    )
    response = client.post("/apply/incidents/1/hostility/", {"hostility": ["no", "race"]})
    assert (
        field_error(response, "hostility")
        == "Select ‘No’ or ‘Not sure’ on their own, or the kinds of hostility"
    )
    follow_post(
        client,
        "/apply/incidents/1/hostility/",
        {"hostility": ["race"]},
        expect="/apply/incidents/1/reported/",
    )

    page = text(client.get("/apply/incidents/1/reported/"))
    assert "Northamptonshire Police" in page and "Islington" not in page  # this area's agencies only
    response = client.post("/apply/incidents/1/reported/", {"reported_to": ["other"], "other_name": ""})
    assert error_summary(response) == [("#other_name", "Enter the name of the other organisation")]
    response = client.post("/apply/incidents/1/reported/", {"reported_to": ["none", f"agency-{police.pk}"]})
    assert (
        field_error(response, "reported_to")
        == "Select ‘I did not report it’ on its own, or who you reported it to"
    )
    follow_post(
        client,
        "/apply/incidents/1/reported/",
        {"reported_to": [f"agency-{police.pk}", f"agency-{council.pk}"], "other_name": ""},
        expect="/apply/incidents/1/reports/",
    )

    response = client.post(
        "/apply/incidents/1/reports/",
        {
            f"agency-{police.pk}-reported_day": "4",
            f"agency-{police.pk}-reported_month": "1",
            f"agency-{police.pk}-reported_year": "2026",
            f"agency-{council.pk}-reported_day": "",
            f"agency-{council.pk}-reported_month": "",
            f"agency-{council.pk}-reported_year": "",
        },
    )
    assert error_summary(response) == [
        (
            f"#agency-{police.pk}-reported_day",
            "The date you reported it to Northamptonshire Police must be the same as or after "
            "the date the incident happened (5 January 2026)",
        ),
        (
            f"#agency-{council.pk}-reported_day",
            "Enter the date you reported it to West Northamptonshire Council",
        ),
    ]
    follow_post(
        client,
        "/apply/incidents/1/reports/",
        {
            f"agency-{police.pk}-reported_day": "6",
            f"agency-{police.pk}-reported_month": "1",
            f"agency-{police.pk}-reported_year": "2026",
            f"agency-{police.pk}-reference": "NP/1",
            f"agency-{council.pk}-reported_day": "7",
            f"agency-{council.pk}-reported_month": "1",
            f"agency-{council.pk}-reported_year": "2026",
        },
        expect="/apply/incidents/",
    )
    summary = text(client.get("/apply/incidents/"))
    assert "You have told us about 1 incident" in summary
    assert "Northamptonshire Police, on 6 January 2026, reference NP/1" in summary
    assert "West Northamptonshire Council, on 7 January 2026" in summary


def test_an_incident_not_reported_to_anyone_skips_the_report_dates(client, areas):
    to_incidents(client)
    walk(client, incident_answers(1, occurred=dt.date(2026, 2, 1), reports={}))
    assert client.session["apply"]["incidents"][0]["reported_to"] == ["none"]
    assert "I did not report it" in text(client.get("/apply/incidents/"))
    assert client.get("/apply/incidents/1/reports/")["Location"] == "/apply/incidents/"


def test_incidents_can_be_added_changed_and_removed_with_confirmation(client, areas):
    to_incidents(client)
    walk(client, incident_answers(1, occurred=dt.date(2026, 1, 1), reports={}))
    response = client.post("/apply/incidents/", {})
    assert error_summary(response) == [("#add_another", "Select yes if you want to add another incident")]
    follow_post(client, "/apply/incidents/", {"add_another": "yes"}, expect="/apply/incidents/2/when/")
    assert back_link(client.get("/apply/incidents/2/when/")) == "/apply/incidents/"
    # Incident 2 started but not finished: "No" is refused until it is finished or removed.
    follow_post(
        client,
        "/apply/incidents/2/when/",
        {"occurred_day": "2", "occurred_month": "2", "occurred_year": "2026"},
    )
    response = client.post("/apply/incidents/", {"add_another": "no"})
    assert error_summary(response) == [("#add_another", "Finish incident 2 or remove it before you continue")]
    assert "Not finished" in text(response)

    # Change a detail of incident 1 from the list: back to the list afterwards.
    follow_post(
        client,
        "/apply/incidents/1/what/?return=incidents",
        {"description": "Changed", "location": "Park"},
        expect="/apply/incidents/",
    )
    assert client.session["apply"]["incidents"][0]["description"] == "Changed"

    remove = client.get("/apply/incidents/2/remove/")
    assert "Are you sure you want to remove incident 2?" in text(remove)
    follow_post(client, "/apply/incidents/2/remove/", {"confirm": "no"}, expect="/apply/incidents/")
    assert len(client.session["apply"]["incidents"]) == 2
    follow_post(client, "/apply/incidents/2/remove/", {"confirm": "yes"}, expect="/apply/incidents/")
    assert len(client.session["apply"]["incidents"]) == 1
    follow_post(client, "/apply/incidents/", {"add_another": "no"}, expect="/apply/what-has-happened/")
    assert back_link(client.get("/apply/what-has-happened/")) == "/apply/incidents/"
    assert client.get("/apply/incidents/5/when/").status_code == 404


def test_what_has_happened_and_the_outcome_are_required(client, areas):
    to_incidents(client)
    walk(client, incident_answers(1, occurred=dt.date(2026, 1, 1), reports={}))
    follow_post(client, "/apply/incidents/", {"add_another": "no"})
    response = client.post("/apply/what-has-happened/", {"summary": "  "})
    assert error_summary(response) == [("#summary", "Enter what has happened so far")]
    follow_post(client, "/apply/what-has-happened/", {"summary": "Months of it"}, expect="/apply/outcome/")
    response = client.post("/apply/outcome/", {"desired_outcome": "x" * 5001})
    assert error_summary(response) == [
        ("#desired_outcome", "What you would like to happen must be 5,000 characters or fewer")
    ]
    follow_post(client, "/apply/outcome/", {"desired_outcome": "Peace"}, expect="/apply/check-your-answers/")


# -- Check your answers and sending ------------------------------------------------------------------


def test_check_your_answers_shows_every_answer_with_change_links(client, areas):
    page = text(to_check_answers(client, incidents=2))
    for answer in (
        "NN1 1ED",
        "West Northamptonshire Council",
        "Jo Bloggs",
        "1 High Street",
        "NN1 1AA",
        "jo@example.com",
        "Weekdays after 6pm",
        "Do not phone before 6pm.",
        "Large print",
        "Incident 1",
        "Incident 2",
        "1 January 2026",
        "Loud music and shouting, incident 2",
        "Northamptonshire Police, on 2 January 2026",
        "It never stops.",
        "Quiet nights.",
    ):
        assert answer in page, answer
    for link in (
        "/apply/name/?return=check",
        "/apply/address/?return=check",
        "/apply/contact/?return=check",
        "/apply/incidents/2/when/?return=check",
        "/apply/incidents/1/reported/?return=check",
        "/apply/outcome/?return=check",
    ):
        assert f'href="{link}"' in page, link
    assert 'Change<span class="govuk-visually-hidden"> the name</span>' in page


def test_a_change_from_check_your_answers_returns_there(client, areas):
    to_check_answers(client)
    page = client.get("/apply/name/?return=check")
    assert back_link(page) == "/apply/check-your-answers/"
    assert 'value="Jo Bloggs"' in text(page)  # the answer is there to change
    follow_post(
        client,
        "/apply/name/?return=check",
        {"full_name": "Joanne Bloggs"},
        expect="/apply/check-your-answers/",
    )
    assert "Joanne Bloggs" in text(client.get("/apply/check-your-answers/"))
    follow_post(
        client,
        "/apply/incidents/1/what/?return=check",
        {"description": "New words", "location": "Yard"},
        expect="/apply/check-your-answers/",
    )


def test_becoming_a_third_party_from_check_your_answers_asks_the_new_questions_first(client, areas):
    to_check_answers(client)
    follow_post(
        client,
        "/apply/who/?return=check",
        {"applicant_type": "third_party"},
        expect="/apply/applying-for/?return=check",
    )
    follow_post(
        client,
        "/apply/applying-for/?return=check",
        {"victim_kind": "individual"},
        expect="/apply/relationship/?return=check",
    )
    follow_post(
        client,
        "/apply/relationship/?return=check",
        {"relationship": "carer"},
        expect="/apply/your-details/?return=check",
    )
    follow_post(
        client,
        "/apply/your-details/?return=check",
        {"full_name": "Carer Cara", "phone": "01632 960001"},
        expect="/apply/consent/?return=check",
    )
    follow_post(
        client, "/apply/consent/?return=check", {"victim_consent": "yes"}, expect="/apply/check-your-answers/"
    )
    page = text(client.get("/apply/check-your-answers/"))
    assert "Carer Cara" in page and "Yes, they have agreed" in page


def test_changing_the_reports_of_an_incident_asks_for_the_new_dates_before_returning(client, areas):
    to_check_answers(client)
    police, housing = agency("west-northamptonshire", "police"), agency("west-northamptonshire", "housing")
    follow_post(
        client,
        "/apply/incidents/1/reported/?return=check",
        {"reported_to": [f"agency-{police.pk}", f"agency-{housing.pk}"]},
        expect="/apply/incidents/1/reports/?return=check",
    )


def submit(client, page, **extra):
    return client.post(
        "/apply/check-your-answers/", {"token": token_of(page), "leave_blank_extra": "", **extra}
    )


def test_sending_creates_the_application_and_shows_the_reference_and_the_acknowledgement_date(
    client, areas, no_min_time, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC), tick=True)
    page = to_check_answers(client, incidents=3)
    response = submit(client, page)
    assert response["Location"] == "/apply/confirmation/"
    application = Application.objects.get()
    assert application.channel == "online"
    assert application.incidents.count() == 3
    assert application.victim.full_name == "Jo Bloggs"
    confirmation = text(client.get("/apply/confirmation/"))
    assert application.reference == "WN-2026-0001"
    assert "<strong>WN-2026-0001</strong>" in confirmation
    # 5 working days from Wednesday 18 March 2026.
    assert "will acknowledge your application by <strong>Wednesday 25 March 2026</strong>" in confirmation
    assert "within 5 working days" in confirmation
    # The answers are gone from the session; the confirmation stays for a refresh.
    assert "apply" not in client.session
    assert client.get("/apply/confirmation/").status_code == 200


def test_a_double_submit_creates_one_application(client, areas, no_min_time):
    page = to_check_answers(client)
    assert submit(client, page)["Location"] == "/apply/confirmation/"
    # Back and send again, or a second click: the same token, the answers already cleared.
    assert submit(client, page)["Location"] == "/apply/confirmation/"
    assert client.get("/apply/check-your-answers/")["Location"] == "/apply/confirmation/"
    assert Application.objects.count() == 1


def test_a_third_party_application_without_consent_yet_is_accepted_and_explained(client, areas, no_min_time):
    pages = [
        *VICTIM_ANSWERS[:3],
        ("/apply/who/", {"applicant_type": "third_party"}),
        ("/apply/applying-for/", {"victim_kind": "individual"}),
        ("/apply/relationship/", {"relationship": "relative"}),
        ("/apply/your-details/", {"full_name": "Pat Bloggs", "email": "pat@example.com"}),
        ("/apply/consent/", {"victim_consent": "not_asked"}),
        *VICTIM_ANSWERS[4:],
    ]
    page = to_check_answers(client, pages=pages)
    submit(client, page)
    application = Application.objects.get()
    assert application.applicant.full_name == "Pat Bloggs"
    assert application.applicant_relationship == "Relative"
    assert application.victim_consent is None
    assert "We will contact the person you applied for to ask whether they agree" in text(
        client.get("/apply/confirmation/")
    )


def test_the_honeypot_quietly_saves_nothing_and_logs_no_personal_data(client, areas, no_min_time, caplog):
    page = to_check_answers(client)
    with caplog.at_level(logging.WARNING, logger="casereview.apply"):
        response = submit(client, page, leave_blank_extra="http://spam.example")
    assert response["Location"] == "/apply/confirmation/"
    assert Application.objects.count() == 0 and Person.objects.count() == 0
    confirmation = text(client.get("/apply/confirmation/"))
    assert "Thank you" in confirmation and "reference number" not in confirmation
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "honeypot" in messages
    for personal in ("Jo Bloggs", "jo@example.com", "NN1", "High Street", "spam.example"):
        assert personal not in messages


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, areas):
    page = text(to_check_answers(client))
    field = re.search(r'<div class="govuk-visually-hidden" aria-hidden="true">(.*?)</div>', page, re.S).group(
        1
    )
    assert "Leave this field blank" in field
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


def test_a_submission_faster_than_a_person_could_type_is_not_saved(client, areas, settings, caplog):
    settings.CASEREVIEW_APPLY_MIN_SECONDS = 3600
    page = to_check_answers(client)
    with caplog.at_level(logging.WARNING, logger="casereview.apply"):
        assert submit(client, page)["Location"] == "/apply/confirmation/"
    assert Application.objects.count() == 0
    assert "too fast" in caplog.text


def test_no_answer_ever_appears_in_an_address(client, areas, no_min_time):
    """Personal data stays in the session: every redirect and link carries no answer."""
    start(client)
    locations = []
    police = agency("west-northamptonshire", "police")
    pages = [
        *VICTIM_ANSWERS,
        *incident_answers(
            1, occurred=dt.date(2026, 1, 2), reports={f"agency-{police.pk}": dt.date(2026, 1, 3)}
        ),
    ]
    for url, data in pages:
        locations.append(follow_post(client, url, data))
    page = to_check_answers(client)
    hrefs = re.findall(r'href="([^"]+)"', text(page))
    for address in locations + hrefs:
        for personal in ("Jo", "Bloggs", "jo%40", "jo@", "NN1", "High", "REF-"):
            assert personal not in address, address


def test_changing_the_area_asks_again_who_each_incident_was_reported_to(client, areas):
    to_check_answers(client, incidents=2)
    # A postcode in neither area: the area is asked again, and the other area's agencies differ.
    follow_post(
        client,
        "/apply/area/?return=check",
        {"postcode": "SW1A 1AA"},
        expect="/apply/area/choose/?return=check",
    )
    assert client.get("/apply/check-your-answers/")["Location"] == "/apply/area/choose/"
    follow_post(
        client,
        "/apply/area/choose/?return=check",
        {"partnership": "islington"},
        expect="/apply/incidents/?return=check",
    )
    incidents = client.session["apply"]["incidents"]
    assert [i.get("reported_to") for i in incidents] == [None, None]
    page = text(client.get("/apply/incidents/?return=check"))
    assert page.count("Not finished") == 2
    assert 'href="/apply/incidents/1/reported/?return=incidents"' in page
    met_police = agency("islington", "police")
    for number in (1, 2):
        follow_post(
            client,
            f"/apply/incidents/{number}/reported/?return=incidents",
            {"reported_to": [f"agency-{met_police.pk}"]},
            expect=f"/apply/incidents/{number}/reports/?return=incidents",
        )
        follow_post(
            client,
            f"/apply/incidents/{number}/reports/?return=incidents",
            {
                f"agency-{met_police.pk}-reported_day": "20",
                f"agency-{met_police.pk}-reported_month": "1",
                f"agency-{met_police.pk}-reported_year": "2026",
            },
            expect="/apply/incidents/",
        )
    follow_post(
        client, "/apply/incidents/?return=check", {"add_another": "no"}, expect="/apply/check-your-answers/"
    )
    assert "Metropolitan Police, on 20 January 2026" in text(client.get("/apply/check-your-answers/"))


def test_choosing_the_same_area_again_keeps_the_incidents(client, areas):
    to_check_answers(client)
    follow_post(
        client, "/apply/area/?return=check", {"postcode": "NN2 6AA"}, expect="/apply/check-your-answers/"
    )
    assert client.session["apply"]["incidents"][0]["reported_to"]


def test_the_session_holding_the_answers_ends_with_the_journeys_limit(client, areas, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600
    start(client)
    assert client.session.get_expiry_age() == 3600
    # A site whose sessions are shorter (staff idle timeout) shortens the journey too, and says so.
    settings.SESSION_COOKIE_AGE = 30 * 60
    assert "We keep your answers for 30 minutes" in text(client.get("/apply/"))
