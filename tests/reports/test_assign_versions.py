"""Every edit carries the version it was read at (issue 13): a report's team, status and outcome.
Two officers open the report; the first closes it; the second's change is refused, naming what
changed, with a link to open the report again; nothing changes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casereview.reports import services
from casereview.reports.models import Report
from casereview.web.concurrency import StaleRecord
from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version

from .helpers import make_report

pytestmark = pytest.mark.django_db


def test_a_report_changed_since_it_was_read_is_not_overwritten(client, demo, unchanged_rows):
    report = make_report(demo.partnership("islington"), day=timezone.localdate(), location="Holloway Road")
    client.force_login(demo.user("is-csm"))
    url = f"/reports/{report.pk}/"
    read = form_version(client.get(url))
    other = type(client)()
    other.force_login(demo.user("is-csm"))
    assert form_version(other.get(url)) == read
    closed = other.post(url, {"version": read, "status": "closed", "outcome": "Warning letter sent"})
    assert closed.status_code == 302
    with unchanged_rows(*all_but_the_access_log()):
        response = client.post(url, {"version": read, "status": "in_progress", "outcome": ""})
    text = assert_refused_as_stale(response, what="report", differs=("Status", "Outcome"))
    assert "Warning letter sent" in text
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("closed", "Warning letter sent")

    read = services.report_assignment_version(report)
    services.report_assign(report=report, team=None, status="in_progress", read_version=read)
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.report_assign(
            report=Report.objects.get(pk=report.pk), team=None, status="new", read_version=read
        )
