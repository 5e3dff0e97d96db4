"""A second report within six months prompts the officer to explain the ASB Case Review."""

import datetime as dt

import pytest
from django.utils import timezone

from casereview.reports.models import ReviewExplanation
from casereview.reports.selectors import review_explanation_due
from casereview.reports.services import review_explanation_record

from .helpers import make_report

pytestmark = pytest.mark.django_db


def test_first_report_does_not_prompt_second_within_six_months_does(demo):
    islington = demo.partnership("islington")
    first = make_report(islington, day=dt.date(2025, 1, 16), caller="07700900123")
    assert not review_explanation_due(first)
    second = make_report(islington, day=dt.date(2025, 7, 15), caller="07700900123")
    assert review_explanation_due(second)  # 6 months ending with 15 July begins 16 January


def test_reports_more_than_six_months_apart_do_not_prompt(demo):
    islington = demo.partnership("islington")
    make_report(islington, day=dt.date(2025, 1, 15), caller="07700900123")
    later = make_report(islington, day=dt.date(2025, 7, 15), caller="07700900123")
    assert not review_explanation_due(later)


def test_no_prompt_without_a_caller_or_once_explained(demo):
    islington = demo.partnership("islington")
    make_report(islington, day=dt.date(2025, 3, 1))
    anonymous = make_report(islington, day=dt.date(2025, 3, 2))
    assert not review_explanation_due(anonymous)
    make_report(islington, day=dt.date(2025, 3, 1), caller="a@example.com")
    second = make_report(islington, day=dt.date(2025, 3, 8), caller="a@example.com")
    review_explanation_record(
        partnership=islington,
        caller="A@Example.com",
        explained_on=dt.date(2025, 3, 8),
        method="phone",
        actor=demo.user("is-csm"),
        report=second,
    )
    third = make_report(islington, day=dt.date(2025, 3, 20), caller="a@example.com")
    assert not review_explanation_due(third)
    assert ReviewExplanation.objects.get().caller == "a@example.com"


def test_recording_a_second_report_goes_to_the_prompt(client, demo):
    islington = demo.partnership("islington")
    today = timezone.localdate()
    make_report(islington, day=today - dt.timedelta(days=40), caller="07700900123")
    client.force_login(demo.user("is-csm"))
    council = demo.agency("islington", "council")
    response = client.post(
        "/reports/new/",
        {
            "agency": council.pk,
            "reported_on": f"{today:%Y-%m-%d}",
            "reported_time": "08:15",
            "channel": "asb_line",
            "category": "Noise",
            "location": "Bemerton Estate",
            "caller": "07700 900 123",
            "hate": "no",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/explain/")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Explain the ASB Case Review to this caller" in body
    assert "3 times or more in 6 months" in body  # Islington's threshold, from its policy
    assert "07700900123" not in body


def test_the_ready_email_and_letter_give_the_full_apply_address(client, demo, settings):
    settings.CASEREVIEW_BASE_URL = "https://casereview.example.gov.uk/"
    islington = demo.partnership("islington")
    today = timezone.localdate()
    make_report(islington, day=today - dt.timedelta(days=40), caller="07700900123")
    second = make_report(islington, day=today, caller="07700900123")
    client.force_login(demo.user("is-csm"))
    body = client.get(f"/reports/{second.pk}/explain/").content.decode()
    assert "https://casereview.example.gov.uk/apply/" in body
    assert "at /apply/" not in body


def test_the_report_page_shows_when_the_review_was_explained_to_the_caller(client, demo):
    islington = demo.partnership("islington")
    make_report(islington, day=dt.date(2025, 3, 1), caller="a@example.com")
    second = make_report(islington, day=dt.date(2025, 3, 8), caller="a@example.com")
    client.force_login(demo.user("is-csm"))
    before = client.get(f"/reports/{second.pk}/").content.decode()
    assert "ASB Case Review explained" not in before and "Explain the ASB Case Review and record it" in before
    review_explanation_record(
        partnership=islington,
        caller="a@example.com",
        explained_on=dt.date(2025, 3, 9),
        method="email",
        actor=demo.user("is-csm"),
        report=second,
    )
    third = make_report(islington, day=dt.date(2025, 3, 20), caller="a@example.com")
    after = client.get(f"/reports/{third.pk}/").content.decode()
    assert "ASB Case Review explained" in after and "9 March 2025, by email" in after
    assert "Explain the ASB Case Review and record it" not in after
