import io

import pytest
from django.utils import timezone

from casereview.reports import demo as reports_demo
from casereview.reports.models import HotspotAction, Report, Team
from casereview.reports.selectors import hotspot_picture, repeat_callers_as_of

pytestmark = pytest.mark.django_db


def test_demo_makes_current_hotspots_and_repeat_callers_and_is_idempotent(demo):
    reports_demo.load(io.StringIO())
    counts = (Report.objects.count(), Team.objects.count(), HotspotAction.objects.count())
    reports_demo.load(io.StringIO())
    assert (Report.objects.count(), Team.objects.count(), HotspotAction.objects.count()) == counts
    islington = demo.partnership("islington")
    picture = hotspot_picture(islington, timezone.localdate())
    statuses = {row.location: row.status for row in picture.current + picture.closed}
    assert statuses["Bemerton Estate, Caledonian Road"] == "continuing"
    assert statuses["Highbury Corner"] == "new"
    assert statuses["Finsbury Park, Seven Sisters Road gate"] == "closed"
    rules = {item["caller"]: item["rule"] for item in repeat_callers_as_of(islington, timezone.localdate())}
    assert rules == {"07700900201": "out_of_hours_line", "07700900202": "police"}
