"""The retention schedule applied to the ASB report log (docs/data-protection.md): reports,
explanations of the review and repeat-caller triages go six years after their own date; a report
that is a kept case's evidence stays; the daily counts stay in step; the access log is scrubbed."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from casereview.audit.models import AccessEvent
from casereview.privacy.models import Disposal
from casereview.reports import services
from casereview.reports.models import RepeatCallerTriage, Report, ReportCorrection, ReviewExplanation
from casereview.reports.selectors import daily_counts_differences, hotspots_as_of

from .helpers import make_report
from .test_evidence import make_case

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)  # six years back: 1 June 2019


def old_and_new(demo):
    islington = demo.partnership("islington")
    csm = demo.user("is-csm")
    old = [make_report(islington, day=dt.date(2019, 5, 20 + i), caller="07700900999") for i in range(7)]
    old_month_only = make_report(islington, day=dt.date(2019, 4, 1), month_only=True)
    boundary = make_report(islington, day=dt.date(2019, 6, 1))  # exactly six years: due
    kept = make_report(islington, day=dt.date(2019, 6, 2))  # a day short of six years
    recent = [make_report(islington, day=TODAY - dt.timedelta(days=i)) for i in range(7)]
    evidence = make_report(islington, day=dt.date(2019, 3, 1), caller="07700900123")
    services.evidence_confirm(application=make_case(islington), reports=[evidence], actor=csm)
    services.report_correct(report=old[0], actor=csm, reason="Mistyped", location="Bemerton Estate North")
    explanation = services.review_explanation_record(
        partnership=islington,
        caller="07700900999",
        explained_on=dt.date(2019, 5, 27),
        method="phone",
        actor=csm,
    )
    triage = services.repeat_caller_triage_record(
        partnership=islington,
        caller="07700900999",
        rule="police",
        calls=20,
        as_of=dt.date(2019, 5, 28),
        vulnerable=False,
        risk="low",
        outcome="no_action",
        actor=csm,
    )
    return {
        "old": old + [old_month_only, boundary],
        "kept": [kept, evidence, *recent],
        "explanation": explanation,
        "triage": triage,
        "islington": islington,
    }


def test_the_dry_run_counts_what_would_go_and_changes_nothing(demo):
    world = old_and_new(demo)
    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", f"{TODAY}", stdout=out)
    text = out.getvalue()
    assert (
        "DELETE          9 islington: ASB reports dated on or before 1 June 2019: kept 6 years from the date "
        "reported; 1 kept while the cases they are evidence of are kept" in text
    )
    assert "DELETE          1 islington: explanations of the review dated on or before 1 June 2019" in text
    assert "DELETE          1 islington: repeat-caller triages dated on or before 1 June 2019" in text
    assert Report.objects.count() == len(world["old"]) + len(world["kept"])


def test_confirm_deletes_what_is_due_keeps_the_rest_and_the_counts_in_step(demo):
    world = old_and_new(demo)
    islington = world["islington"]
    hotspots_before = hotspots_as_of(islington, TODAY)
    assert hotspots_before  # seven reports in the last week: a hotspot that must not change
    corrected = world["old"][0].pk
    assert AccessEvent.objects.filter(object_type="reports.report", object_id=str(corrected)).exists()
    out = io.StringIO()
    call_command("retention", "--confirm", "--as-of", f"{TODAY}", stdout=out)
    assert "0 case(s), 0 data subject request record(s) and 11 report-log record(s) deleted" in out.getvalue()

    assert set(Report.objects.values_list("pk", flat=True)) == {r.pk for r in world["kept"]}
    assert not ReportCorrection.objects.exists()
    assert not ReviewExplanation.objects.exists() and not RepeatCallerTriage.objects.exists()
    assert daily_counts_differences(partnership=islington) == 0
    assert hotspots_as_of(islington, TODAY) == hotspots_before
    rows = AccessEvent.objects.filter(object_type="reports.report", object_id=str(corrected))
    assert rows.exists() and all(row.scrubbed_at and row.summary == "" for row in rows)
    kinds = dict(Disposal.objects.values_list("record_kind", "rule"))
    assert kinds["asb_report"].startswith("9 ASB reports dated on or before 1 June 2019")
    assert set(kinds) == {"asb_report", "review_explanation", "repeat_caller_triage"}

    again = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", f"{TODAY}", stdout=again)
    assert "ASB reports" in again.getvalue() and "DELETE          0 islington" in again.getvalue()


def test_disposal_goes_in_batches_each_a_transaction(demo, settings, monkeypatch):
    from casereview.privacy import retention

    islington = demo.partnership("islington")
    for i in range(5):
        make_report(islington, day=dt.date(2018, 1, 1) + dt.timedelta(days=i))
    monkeypatch.setattr(retention, "LOG_BATCH", 2)
    results = retention.log_dispose(today=TODAY, partnership=islington)
    assert [(row.kind, count) for row, count in results] == [("asb_report", 5)]
    assert not Report.objects.exists() and daily_counts_differences(partnership=islington) == 0


def test_the_data_protection_officer_sees_the_report_log_in_the_dry_run_page(client, demo):
    from tests.conftest import verify_session

    west = demo.partnership("west-northamptonshire")
    for i in range(3):
        make_report(west, day=dt.date(2010, 1, 1) + dt.timedelta(days=i))
    dpo = demo.user("wn-dpo")
    client.force_login(dpo)
    verify_session(client, dpo)
    page = client.get("/data-protection/retention/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "An ASB report" in body and "years from the date reported" in body
    (row,) = [r for r in page.context["log_plan"] if r.kind == "asb_report"]
    assert row.due == 3 and row.partnership == west
    assert Report.objects.count() == 3
