"""The page benchmark's generator (benchmarks/pages.py, issue 14) against today's schema: it writes
with bulk SQL into the apps' tables, so a schema change that breaks it fails here, not months
later in `make bench`. PostgreSQL only (the generator is PostgreSQL SQL), 20 cases in the test's
own transaction."""

import datetime as dt

import pytest
from benchmarks import pages
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator is PostgreSQL SQL"),
]


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _count(sql: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.fixture
def generated(demo):
    from casereview.accounts.models import Agency

    partnership = demo.partnership()
    police = Agency.objects.filter(partnership=partnership, kind="police").order_by("id").first()
    pages.generate(partnership, police, cases=20, reports=300, today=_today())
    return partnership


def test_the_generator_writes_the_issues_shape(generated):
    today = _today()
    assert _count("SELECT count(*) FROM applications_case WHERE kind = 'case_review'") == 20
    # Case i is open when i % 20 < 3 (1, 2 and 20), overdue when i % 20 == 0 (20).
    assert _count("SELECT count(*) FROM applications_case WHERE status = 'in_review'") == 3
    assert _count("SELECT count(*) FROM applications_case WHERE status = 'closed'") == 17
    assert _count("SELECT count(*) FROM applications_case WHERE next_due_on < %s", [today]) == 1
    assert _count("SELECT min(received_on) FROM applications_case") < today - dt.timedelta(days=9 * 365)
    assert _count("SELECT count(*) FROM applications_caseevent") == 20 * 30
    assert _count("SELECT count(DISTINCT application_id) FROM applications_caseevent") == 20
    assert _count("SELECT count(*) FROM applications_incident") == 20 * 10
    assert _count("SELECT count(*) FROM applications_incidentreport") == 20 * 10
    assert _count("SELECT count(*) FROM applications_caseparty WHERE role = 'victim'") == 20
    assert _count("SELECT count(*) FROM actions_action WHERE status = 'done'") == 17
    assert _count("SELECT count(*) FROM actions_action WHERE status = 'open' AND due_on < %s", [today]) == 2
    assert _count("SELECT count(*) FROM reports_report") == 300
    assert _count("SELECT sum(reports) FROM reports_reportdailycount") == 300


def test_the_stored_clocks_are_what_the_events_give(generated, settings):
    """The core's clocks from the generated events equal the stored ones (rebuild-clocks --check)."""
    from casereview.applications.services import case_clocks_differences

    assert _count("SELECT count(*) FROM applications_caseclock") > 20 * 4
    assert case_clocks_differences(partnership=generated) == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE applications_caseclock SET due_on = due_on + 1 WHERE name = 'acknowledge'")
    assert len(case_clocks_differences(partnership=generated)) == 20


def test_every_page_the_benchmark_loads_answers_200(generated, client, settings):
    from casereview.accounts.models import Role

    settings.ROOT_URLCONF = "benchmarks.page_urls"
    manager = pages.staff_user(generated, "bench-manager", Role.COMMUNITY_SAFETY_MANAGER)
    client.force_login(manager)
    answers = {
        path: client.get(path).status_code for paths in pages.bench_pages(20).values() for path in paths
    }
    assert answers == dict.fromkeys(answers, 200)
    overdue = client.get("/cases/?clock=overdue&sort=due")
    assert "BX-0000020" in overdue.content.decode()
    assert "BX-0000001" not in overdue.content.decode()


def _report_log_schema() -> set:
    """The report log's indexes and constraints, as PostgreSQL defines them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reports_report'")
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'reports_report'::regclass"
        )
        return indexes | set(cursor.fetchall())


@pytest.mark.django_db
def test_the_report_logs_indexes_and_keys_set_aside_for_the_load_are_made_again(demo):
    from casereview.accounts.models import Agency

    before = _report_log_schema()
    assert len(before) > 10
    partnership = demo.partnership()
    police = Agency.objects.filter(partnership=partnership, kind="police").order_by("id").first()
    pages.generate(partnership, police, cases=20, reports=300, today=_today())
    assert _report_log_schema() == before
