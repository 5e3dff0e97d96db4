"""Every page of the staff workspace, for each relevant role: in scope 200, out of scope 404, another
agency's officer 404, signed out to the sign-in page, a forbidden action 403."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from casereview.applications import services as s
from casereview.applications.case_sections import sections
from casereview.applications.models import Application, Incident, Status
from tests.factories import make_application


def pages(application):
    ref = application.reference
    report = application.incidents.get(ref="I1").reports.get()
    return [
        reverse("applications:detail", args=[ref]),
        reverse("applications:threshold", args=[ref]),
        # The case's own pages beside its summary and one page per registered section (ADR 0093).
        reverse("applications:incidents", args=[ref]),
        reverse("applications:decisions", args=[ref]),
        reverse("applications:timeline", args=[ref]),
        *(reverse("applications:section", args=[ref, section.key]) for section in sections()),
    ], [
        reverse("applications:withdraw", args=[ref]),
        reverse("applications:incident_add", args=[ref]),
        reverse("applications:incident_edit", args=[ref, "I1"]),
        reverse("applications:incident_remove", args=[ref, "I1"]),
        reverse("applications:report_add", args=[ref, "I1"]),
        reverse("applications:report_edit", args=[ref, report.pk]),
        reverse("applications:report_move", args=[ref, report.pk]),
        reverse("applications:report_remove", args=[ref, report.pk]),
        reverse("applications:perpetrator_add", args=[ref]),
    ]


@pytest.mark.django_db
def test_signed_out_goes_to_sign_in(client, case):
    read, write = pages(case)
    for url in ["/cases/", "/cases/new/", *read, *write]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["wn-csm", "wn-spoc", "wn-senior", "wn-admin"])
def test_caseworkers_open_every_page(client, demo, case, username):
    client.force_login(demo.user(username))
    read, write = pages(case)
    for url in [*read, *write]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_agency_officer_reads_their_agencys_case_but_changes_nothing(client, demo, case):
    client.force_login(demo.user("wn-police"))
    read, write = pages(case)
    for url in read:
        assert client.get(url).status_code == 200, url
    for url in write:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("applications:withdraw", args=[case.reference]), {"reason": "x"}).status_code
        == 403
    )
    page = client.get(reverse("applications:detail", args=[case.reference])).content.decode()
    assert "Withdraw" not in page and "Run the threshold and decide" not in page
    incidents = client.get(reverse("applications:incidents", args=[case.reference])).content.decode()
    assert (
        "Incident I1" in incidents and "Add an incident" not in incidents and "Add a report" not in incidents
    )
    assert client.get("/cases/new/").status_code == 403


@pytest.mark.django_db
def test_another_agency_and_another_partnership_get_404(client, demo, case):
    read, write = pages(case)
    for username in ("wn-health", "is-csm", "is-police"):
        client.force_login(demo.user(username))
        for url in [*read, *write]:
            assert client.get(url).status_code == 404, (username, url)
        response = client.post(reverse("applications:decide", args=[case.reference]), {"choice": "accept"})
        assert response.status_code == 404


@pytest.mark.django_db
def test_list_shows_due_dates_counts_and_only_visible_cases(client, demo, time_machine):
    time_machine.move_to(dt.datetime(2025, 4, 28, 12, 0))
    wn = demo.partnership()
    overdue = make_application(
        wn, received_on=dt.date(2025, 4, 15), victim_name="Olive Overdue"
    )  # due 22 April
    due_today = make_application(
        wn, received_on=dt.date(2025, 4, 17), victim_name="Tess Today"
    )  # due 24 April
    make_application(
        demo.partnership("islington"), received_on=dt.date(2025, 4, 15), victim_name="Ivy Islington"
    )
    client.force_login(demo.user("wn-csm"))
    page = client.get("/cases/").content.decode()
    assert overdue.reference in page and due_today.reference in page
    assert "Ivy Islington" not in page
    assert "Acknowledge the application" in page
    assert "24 Apr 2025" in page and "Overdue" in page
    assert "<strong>1</strong> case with a deadline due today" in page
    assert "<strong>1</strong> case with an overdue deadline" in page
    only_overdue = client.get("/cases/?clock=overdue").content.decode()
    assert overdue.reference in only_overdue and due_today.reference not in only_overdue
    only_today = client.get("/cases/?clock=due_today").content.decode()
    assert due_today.reference in only_today and overdue.reference not in only_today


@pytest.mark.django_db
def test_list_search_filter_sort_and_paginate(client, demo):
    wn = demo.partnership()
    first = make_application(wn, received_on=dt.date(2025, 4, 1), victim_name="Aaron Ashby", channel="phone")
    for day in range(2, 30):
        make_application(wn, received_on=dt.date(2025, 4, day), victim_name=f"Person {day}")
    client.force_login(demo.user("wn-csm"))
    page = client.get("/cases/").content.decode()
    assert "29 cases" in page and 'aria-label="Pagination"' in page
    assert first.reference not in page  # newest first: the oldest is on page 2
    assert first.reference in client.get("/cases/?page=2").content.decode()
    assert first.reference in client.get("/cases/?sort=received_oldest").content.decode()
    by_due = client.get("/cases/?sort=due").content.decode()  # the oldest is the first due
    assert first.reference in by_due and by_due.index(first.reference) < by_due.index("Person 2<")
    found = client.get("/cases/?q=ashby").content.decode()
    assert first.reference in found and "1 case matches" in found
    assert first.reference in client.get(f"/cases/?q={first.reference}").content.decode()
    assert first.reference in client.get("/cases/?q=NN1 1AA&channel=phone").content.decode()
    assert first.reference in client.get("/cases/?q=nn11aa&channel=phone").content.decode()
    assert "29 cases" not in client.get("/cases/?channel=phone").content.decode()
    assert "No cases match" in client.get("/cases/?q=nobody-at-all").content.decode()
    assert "1 case" in client.get(f"/cases/?status={Status.RECEIVED}&channel=phone").content.decode()


@pytest.mark.django_db
def test_empty_list(client, demo):
    client.force_login(demo.user("wn-csm"))
    page = client.get("/cases/").content.decode()
    assert "There are no cases yet" in page
    assert 'href="/cases/new/"' in page


def record_form(**overrides):
    data = {
        "channel": "phone",
        "received_on_day": "3",
        "received_on_month": "3",
        "received_on_year": "2025",
        "victim_kind": "individual",
        "victim_name": "Rosa Lane",
        "victim_postcode": "nn2 6aa",
        "applicant_is_third_party": "no",
        "summary": "Noise every night.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_record_an_application_by_phone(client, demo):
    client.force_login(demo.user("wn-spoc"))
    response = client.post("/cases/new/", record_form())
    application = Application.objects.get(victim__full_name="Rosa Lane")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:incident_add", args=[application.reference])
    assert (application.channel, application.received_on, application.status) == (
        "phone",
        dt.date(2025, 3, 3),
        "received",
    )
    assert application.victim.postcode == "NN2 6AA"
    assert application.events.get(kind="received").occurred_on == dt.date(2025, 3, 3)


@pytest.mark.django_db
def test_record_validation_names_the_field_and_keeps_what_was_typed(client, demo):
    client.force_login(demo.user("wn-csm"))
    response = client.post(
        "/cases/new/",
        record_form(
            received_on_day="31",
            received_on_month="2",
            victim_name="",
            applicant_is_third_party="yes",
            senior_manager_request="on",
            summary="Kept text",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert "The date received must be a real date" in page
    assert "Enter the victim&#x27;s full name" in page
    assert "Enter the applicant&#x27;s full name" in page
    assert "Select whether the victim has consented" in page
    assert "Enter the senior manager&#x27;s reasons" in page
    assert "Kept text" in page and 'value="31"' in page
    future = client.post("/cases/new/", record_form(received_on_year="2999")).content.decode()
    assert "The date received must be today or in the past" in future
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_record_a_third_party_application(client, demo):
    client.force_login(demo.user("wn-csm"))
    client.post(
        "/cases/new/",
        record_form(
            applicant_is_third_party="yes",
            applicant_name="Cllr Ann Bell",
            applicant_relationship="Ward councillor",
            victim_consent="unknown",
        ),
    )
    application = Application.objects.get()
    assert application.applicant.full_name == "Cllr Ann Bell"
    assert application.victim_consent is None


@pytest.mark.django_db
def test_case_page_shows_the_record_clocks_and_timeline(client, demo, case):
    s.perpetrator_save(application=case, actor=None, data=s.PerpetratorData(name="Kyle Smith"))
    client.force_login(demo.user("wn-police"))
    page = client.get(reverse("applications:detail", args=[case.reference])).content.decode()
    assert "Jo Bloggs" in page
    assert "Never shared with the victim" in page and "Kyle Smith" in page
    assert f"{case.incidents.count()} incidents recorded" in page
    incidents = client.get(reverse("applications:incidents", args=[case.reference])).content.decode()
    assert "Incident I1: 10 January 2025" in incidents and "Northamptonshire Police" in incidents
    assert "Send the threshold decision" in page and "2 May 2025" in page  # 10 working days, Easter skipped
    assert "Application acknowledged." in page and "Chris Morgan" in page


@pytest.mark.django_db
def test_acknowledge_from_the_page(client, demo):
    application = make_application(demo.partnership())
    client.force_login(demo.user("wn-csm"))
    url = reverse("applications:acknowledge", args=[application.reference])
    bad = client.post(
        url, {"acknowledged_on_day": "1", "acknowledged_on_month": "4", "acknowledged_on_year": "2025"}
    )
    assert "The date acknowledged cannot be before 15 April 2025" in bad.content.decode()
    response = client.post(
        url, {"acknowledged_on_day": "16", "acknowledged_on_month": "4", "acknowledged_on_year": "2025"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ACKNOWLEDGED
    assert client.get(url).status_code == 403  # already acknowledged


@pytest.mark.django_db
def test_add_an_incident_and_its_report_to_another_organisation(client, demo, case):
    client.force_login(demo.user("wn-csm"))
    ref = case.reference
    response = client.post(
        reverse("applications:incident_add", args=[ref]),
        {
            "occurred_on_day": "1",
            "occurred_on_month": "4",
            "occurred_on_year": "2025",
            "description": "Fire",
            "hate_motivations": ["race"],
            "action_group": "on",
        },
    )
    incident = Incident.objects.get(application=case, ref="I4")
    assert response["Location"] == reverse("applications:report_add", args=[ref, "I4"])
    assert incident.hate_motivations == ["race"] and incident.action_group
    form = {
        "agency": "other",
        "reported_on_day": "2",
        "reported_on_month": "4",
        "reported_on_year": "2025",
        "reporter": "other",
    }
    page = client.post(reverse("applications:report_add", args=[ref, "I4"]), form).content.decode()
    assert "Enter the name of the organisation" in page
    assert "Select what kind of organisation it is" in page
    assert "Enter who the other complainant was" in page
    form.update(
        other_name="Fire service", other_kind="other", reporter_name="Neighbour", agency_reference="F1"
    )
    assert client.post(reverse("applications:report_add", args=[ref, "I4"]), form).status_code == 302
    report = incident.reports.get()
    assert (report.agency_name, report.agency_kind, report.reporter) == ("Fire service", "other", "Neighbour")
    early = dict(form, reported_on_day="1", reported_on_month="3")
    page = client.post(reverse("applications:report_add", args=[ref, "I4"]), early).content.decode()
    assert "The report cannot be before the incident happened" in page


@pytest.mark.django_db
def test_mark_a_report_as_the_same_incident(client, demo, case):
    client.force_login(demo.user("wn-csm"))
    i3 = case.incidents.get(ref="I3")
    report = i3.reports.get()
    url = reverse("applications:report_move", args=[case.reference, report.pk])
    assert "Select the incident it is the same as" in client.post(url, {}).content.decode()
    response = client.post(url, {"to_incident": "I2"})
    assert response.status_code == 302
    assert not Incident.objects.filter(pk=i3.pk).exists()
    assert case.incidents.get(ref="I2").reports.count() == 2


@pytest.mark.django_db
def test_threshold_page_shows_the_engines_words(client, demo, case):
    client.force_login(demo.user("wn-police"))
    page = client.get(reverse("applications:threshold", args=[case.reference])).content.decode()
    assert "Threshold met" in page
    assert "3 qualifying complaints" in page
    assert "You can see the result but not decide" in page
    client.force_login(demo.user("wn-csm"))
    page = client.get(reverse("applications:threshold", args=[case.reference])).content.decode()
    from casereview.applications.threshold import threshold_evaluate

    result = threshold_evaluate(application=case)
    from django.utils.html import escape

    for finding in result["incidents"]:
        for reason in finding["reasons"]:
            assert escape(reason) in page
    assert 'name="choice"' in page


@pytest.mark.django_db
def test_decide_asks_for_confirmation_then_decides(client, demo, case):
    client.force_login(demo.user("wn-csm"))
    url = reverse("applications:decide", args=[case.reference])
    confirm = client.post(url, {"choice": "accept", "outcome": "met"})
    assert "Check your decision" in confirm.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED  # nothing decided yet
    response = client.post(url, {"choice": "accept", "outcome": "met", "confirm": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.decisions.get().decided_by == demo.user("wn-csm")


@pytest.mark.django_db
def test_discretion_needs_reasons_on_the_form(client, demo):
    application = make_application(
        demo.partnership(), incidents=[(dt.date(2025, 3, 1), "police", dt.date(2025, 3, 2))]
    )
    s.application_acknowledge(application=application, actor=None, acknowledged_on=dt.date(2025, 4, 16))
    client.force_login(demo.user("wn-csm"))
    url = reverse("applications:decide", args=[application.reference])
    page = client.post(
        url, {"choice": "accept_discretion", "outcome": "not_met", "confirm": "yes"}
    ).content.decode()
    assert "Enter your reasons for accepting although the threshold is not met" in page
    client.force_login(demo.user("wn-spoc"))
    threshold = client.get(reverse("applications:threshold", args=[application.reference])).content.decode()
    assert "accept_discretion" not in threshold  # not offered to a SPOC
    page = client.post(
        url, {"choice": "accept_discretion", "outcome": "not_met", "reasons": "x", "confirm": "yes"}
    )
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.ACKNOWLEDGED


@pytest.mark.django_db
def test_withdraw_from_the_page(client, demo, case):
    client.force_login(demo.user("wn-csm"))
    url = reverse("applications:withdraw", args=[case.reference])
    assert "cannot be undone" in client.get(url).content.decode()
    page = client.post(
        url, {"reason": "", "withdrawn_on_day": "20", "withdrawn_on_month": "4", "withdrawn_on_year": "2025"}
    )
    assert "Enter the reason the application is withdrawn" in page.content.decode()
    client.post(
        url,
        {
            "reason": "Victim asked",
            "withdrawn_on_day": "20",
            "withdrawn_on_month": "4",
            "withdrawn_on_year": "2025",
        },
    )
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_date_messages_say_which_part_is_missing(client, demo):
    client.force_login(demo.user("wn-csm"))
    page = client.post("/cases/new/", record_form(received_on_month="", received_on_year="")).content.decode()
    assert "The date received must include a month and year" in page
    assert _marked_boxes(page, "received_on") == ["month", "year"]  # only the boxes to fill in
    page = client.post(
        "/cases/new/", record_form(received_on_day="", received_on_month="", received_on_year="")
    ).content.decode()
    assert "Enter the date received" in page
    page = client.post("/cases/new/", record_form(received_on_year="25")).content.decode()
    assert "The year of the date received must include 4 numbers" in page
    assert _marked_boxes(page, "received_on") == ["year"]


def _marked_boxes(page: str, name: str) -> list[str]:
    """The date boxes drawn with the GOV.UK error style."""
    return [
        part
        for part in ("day", "month", "year")
        if "govuk-input--error" in re.search(rf'<input class="([^"]*)" id="id_{name}_{part}"', page).group(1)
    ]


def _break_the_policy(partnership):
    """The partnership's own policy with one invalid setting, written straight to the database
    (as a bad edit or a changed preset file would leave it: Partnership.clean would refuse it)."""
    from importlib import resources

    text = (resources.files("casereview.core.presets") / "west-northamptonshire.toml").read_text()
    assert "min_qualifying_complaints = 3" in text
    type(partnership).objects.filter(pk=partnership.pk).update(
        policy_text=text.replace("min_qualifying_complaints = 3", "min_qualifying_complaints = 7", 1)
    )


@pytest.mark.django_db
def test_an_invalid_policy_shows_a_page_naming_the_key_not_a_server_error(client, demo, case):
    _break_the_policy(case.partnership)
    client.force_login(demo.user("wn-csm"))
    for url in (
        reverse("applications:threshold", args=[case.reference]),
        # The report log's evidence reads the threshold's settings (its section's page, ADR 0093).
        reverse("applications:section", args=[case.reference, "reports"]),
    ):
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.content.decode()
        assert "There is a problem with the local policy" in page
        assert "threshold.min_qualifying_complaints" in page, url
        assert "from 1 to 3" in page
    # A decision cannot be made on a policy that cannot be read, and nothing is recorded.
    response = client.post(
        reverse("applications:decide", args=[case.reference]), {"choice": "accept", "confirm": "yes"}
    )
    assert response.status_code == 503
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED
    # The case's summary reads no threshold setting: staff still see the case.
    assert client.get(reverse("applications:detail", args=[case.reference])).status_code == 200


@pytest.mark.django_db
def test_the_public_are_not_shown_the_policy_detail(client, demo, case, rf):
    from django.contrib.auth.models import AnonymousUser

    from casereview.core.errors import PolicyError
    from casereview.web.middleware import PolicyErrorMiddleware

    request = rf.get("/apply/")
    request.user = AnonymousUser()
    error = PolicyError("threshold.window", "must be a period such as “6 months”", source="partnership wn")
    response = PolicyErrorMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 503
    assert b"threshold.window" not in response.content
    assert b"cannot work this out at the moment" in response.content


@pytest.mark.django_db
def test_an_applicant_who_wants_to_stay_anonymous_is_recorded_and_told_it_is_not_eligible(client, demo):
    from casereview.applications.threshold import threshold_evaluate

    client.force_login(demo.user("wn-csm"))
    form_page = client.get("/cases/new/").content.decode()
    assert "Does the applicant want to stay anonymous?" in form_page
    assert "An anonymous application is not eligible for an ASB Case Review" in form_page

    response = client.post("/cases/new/", record_form(anonymous="yes", victim_name="", summary="Anon."))
    assert response.status_code == 302
    application = Application.objects.get(summary="Anon.")
    assert application.anonymous is True and application.victim.full_name == ""
    result = threshold_evaluate(application=application)
    assert result["outcome"] == "ineligible"
    assert any("remain anonymous" in reason for reason in result["ineligible_reasons"])
    case_page = client.get(reverse("applications:detail", args=[application.reference])).content.decode()
    assert "Anonymous" in case_page

    # Not anonymous (the default): the name is still required.
    refused = client.post("/cases/new/", record_form(victim_name="", summary="Named.")).content.decode()
    assert "Enter the victim&#x27;s full name" in refused
    assert not Application.objects.filter(summary="Named.").exists()


@pytest.mark.django_db
def test_a_policy_that_accepts_anonymous_applications_says_so_on_the_form(client, demo):
    from importlib import resources

    text = (resources.files("casereview.core.presets") / "west-northamptonshire.toml").read_text()
    assert "allow_anonymous = false" in text
    partnership = demo.partnership()
    type(partnership).objects.filter(pk=partnership.pk).update(
        policy_text=text.replace("allow_anonymous = false", "allow_anonymous = true", 1)
    )
    client.force_login(demo.user("wn-csm"))
    form_page = client.get("/cases/new/").content.decode()
    assert "This partnership&#x27;s policy accepts anonymous applications" in form_page
    assert "is not eligible" not in form_page


def test_a_letter_to_someone_who_gave_no_name_is_to_sir_or_madam():
    from casereview.applications.models import Person
    from casereview.letters.context import recipient_for_person

    assert recipient_for_person(Person(full_name="", email="x@example.com")).name == "Sir or Madam"
    assert recipient_for_person(Person(full_name="Rosa Lane")).name == "Rosa Lane"


@pytest.mark.django_db
def test_a_name_searched_for_never_appears_in_an_address(client, demo):
    """The search form is posted; the name is kept in the session and the result pages (and their
    pagination links) carry only an opaque key."""
    wn = demo.partnership()
    for day in range(1, 28):
        make_application(
            wn, received_on=dt.date(2025, 4, day), victim_name=f"Aaron Ashby {day}", channel="phone"
        )
    make_application(wn, received_on=dt.date(2025, 4, 28), victim_name="Zed Other")
    client.force_login(demo.user("wn-csm"))
    form = client.get("/cases/").content.decode()
    assert 'method="post"' in form and 'name="private_search"' in form

    posted = client.post("/cases/", {"private_search": "1", "q": "Ashby", "channel": "phone", "sort": ""})
    assert posted.status_code == 303
    address = posted["Location"]
    assert address.startswith("/cases/?s=") and "Ashby" not in address and "phone" not in address
    results = client.get(address).content.decode()
    assert "27 cases match" in results and "Zed Other" not in results
    assert 'value="Ashby"' in results  # the form shows what was searched for
    links = re.findall(r'href="(/cases/\?[^"]*page=\d[^"]*)"', results) + re.findall(
        r'href="(\?[^"]*page=\d[^"]*)"', results
    )
    assert links and all("Ashby" not in link and "s=" in link for link in links)
    second = client.get(address + "&page=2").content.decode()
    assert "27 cases match" in second and "Zed Other" not in second

    # Another session cannot use the key; it sees the unfiltered list.
    other = type(client)()
    other.force_login(demo.user("wn-spoc"))
    assert "28 cases" in other.get(address).content.decode()


@pytest.mark.django_db
def test_a_monitored_case_offers_no_withdrawal_it_is_closed_instead(client, demo, case):
    """Withdrawal follows models.ALLOWED_TRANSITIONS: the page and the link are not offered for a
    status that cannot become withdrawn (it used to offer them, then refuse the form)."""
    Application.objects.filter(pk=case.pk).update(status=Status.MONITORING)
    client.force_login(demo.user("wn-csm"))
    url = reverse("applications:withdraw", args=[case.reference])
    assert url not in client.get(reverse("applications:detail", args=[case.reference])).content.decode()
    assert client.get(url).status_code == 403
    Application.objects.filter(pk=case.pk).update(status=Status.PANEL_HELD)
    assert url in client.get(reverse("applications:detail", args=[case.reference])).content.decode()


@pytest.mark.django_db
def test_the_staff_form_asks_the_ways_not_to_contact_and_what_sends_honours_them(client, demo):
    """A phone application recorded by staff asks the same safe-contact question as the online form,
    for the victim and a third-party applicant; the answers are saved and nothing sends that way."""

    from casereview.applications.models import SAFE_CONTACT_REFUSALS
    from casereview.notifications.models import MessageChannel
    from casereview.notifications.services import victim_notify

    client.force_login(demo.user("wn-csm"))
    page = client.get("/cases/new/").content.decode()
    for key, words in SAFE_CONTACT_REFUSALS.items():
        assert f'name="victim_refusals" type="checkbox" value="{key}"' in page
        assert f'name="applicant_refusals" type="checkbox" value="{key}"' in page
        assert str(words) in page
    response = client.post(
        "/cases/new/",
        {
            **record_form(
                victim_address="2 Elm Road\nNorthampton",
                victim_email="rosa@example.com",
                victim_phone="07700900111",
                victim_preferred_contact="email",
                applicant_is_third_party="yes",
                applicant_name="Cllr Ann Bell",
                applicant_relationship="Ward councillor",
                applicant_email="ann@example.gov.uk",
                applicant_address="Civic Office\nNorthampton",
                applicant_postcode="nn1 1de",
                victim_consent="yes",
            ),
            "victim_refusals": ["email", "voicemail"],
            "applicant_refusals": ["post"],
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.victim.refused_contact == {"email", "voicemail"}
    assert application.applicant.refused_contact == {"post"}
    assert application.applicant.postcode == "NN1 1DE" and "Civic Office" in application.applicant.address
    # Honoured: the victim prefers email but refused it, so the message is not emailed.
    message = victim_notify(case=application, purpose="panel_date", subject="s", body="b")
    assert message.channel != MessageChannel.EMAIL
    assert "do not email" in message.staff_task_reason
    # The applicant refused post: their message goes by email, never a letter.
    to_applicant = victim_notify(
        case=application, person=application.applicant, purpose="panel_date", subject="s", body="b"
    )
    assert to_applicant.channel == MessageChannel.EMAIL and to_applicant.to == "ann@example.gov.uk"


@pytest.mark.django_db
def test_an_applicants_address_needs_its_postcode(client, demo):
    client.force_login(demo.user("wn-csm"))
    page = client.post(
        "/cases/new/",
        record_form(
            applicant_is_third_party="yes",
            applicant_name="Cllr Ann Bell",
            applicant_relationship="Ward councillor",
            applicant_address="Civic Office",
            victim_consent="yes",
        ),
    ).content.decode()
    assert "Enter the applicant&#x27;s postcode" in page
    assert not Application.objects.exists()
