"""Danger and risk on top: an immediate-danger answer or a high risk assessment is a banner at the
top of the case page, a tag in the case lists, and an alert to the SPOC and the managers at once
(an in-app notice and an email each, queued in the same transaction)."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.applications.models import CaseEvent
from casereview.applications.selectors import application_dangers
from casereview.notifications.models import Message, Notice
from casereview.reviews import services as review_services
from casereview.reviews.risk import QUESTION_CODES
from tests.reviews.helpers import in_review_application

pytestmark = pytest.mark.django_db

CALM = dict.fromkeys(QUESTION_CODES, False)
HIGH = CALM | {"self_harm": True}


def assess(demo, application, answers, on):
    return review_services.risk_assessment_record(
        application=application, answers=answers, assessed_on=on, actor=demo.user("wn-spoc")
    )


def test_a_high_risk_assessment_alerts_the_spoc_and_the_managers_at_once(demo):
    application = in_review_application(demo)
    notices_before, messages_before = Notice.objects.count(), Message.objects.count()
    assess(demo, application, CALM, dt.date.today() - dt.timedelta(days=2))
    assert (Notice.objects.count(), Message.objects.count()) == (notices_before, messages_before)
    assert application_dangers(application) == ()

    assess(demo, application, HIGH, dt.date.today() - dt.timedelta(days=1))
    alerted = Notice.objects.filter(case=application, text__contains="vulnerability risk assessment is high")
    recipients = {n.recipient.username for n in alerted}
    assert "wn-spoc" in recipients and "wn-csm" in recipients
    emails = Message.objects.filter(case=application, purpose="danger_alert", channel="email")
    assert {m.recipient_user.username for m in emails} == {
        n.recipient.username for n in alerted if n.recipient.email
    }
    assert all(application.victim.full_name not in m.body for m in emails)
    (event,) = CaseEvent.objects.filter(
        application=application, kind="notification_sent", data__purpose="danger_alert"
    )
    assert "safety alert" in event.summary
    (danger,) = application_dangers(application)
    assert danger.tag == "High risk"

    assess(demo, application, CALM, dt.date.today())  # reassessed: no longer high
    assert application_dangers(application) == ()


def test_the_banner_is_on_top_of_the_case_and_the_tag_in_both_lists(client, demo):
    application = in_review_application(demo)
    other = in_review_application(demo)
    assess(demo, application, HIGH, dt.date.today())
    client.force_login(demo.user("wn-spoc"))
    page = client.get(f"/cases/{application.reference}/").content.decode()
    assert "app-danger-banner" in page
    assert page.index("app-danger-banner") < page.index("<h1")
    assert "app-danger-banner" not in client.get(f"/cases/{other.reference}/").content.decode()
    for path in ("/cases/", "/reviews/"):
        listing = client.get(path).content.decode()
        row = listing[listing.index(application.reference) :]
        row = row[: row.index("</tr>")]
        assert "High risk" in row, path
        other_row = listing[listing.index(other.reference) :]
        assert "High risk" not in other_row[: other_row.index("</tr>")], path
