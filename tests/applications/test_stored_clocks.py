"""The stored clocks (CaseClock) are the core's clocks from the events: for every demo case, for
generated histories, after a repair; and the list reads them by index (ADR 0019)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview.applications import clocks
from casereview.applications.models import ALLOWED_TRANSITIONS, Application, CaseClock
from casereview.applications.selectors import case_clocks
from casereview.applications.services import (
    application_set_status,
    case_clocks_differences,
    case_event_record,
)
from tests.factories import make_application


def computed(application: Application, today: dt.date) -> list[clocks.Clock]:
    """The core's answer: the clocks computed from the case's events as they are now."""
    application.refresh_from_db()
    return clocks.application_clocks(application, today=today)


def assert_stored_equal_computed(application: Application, today: dt.date) -> None:
    expected = computed(application, today)
    assert case_clocks(application, today=today) == expected
    assert application.next_due_on == clocks.next_due_on(expected)


@pytest.mark.django_db
def test_every_demo_case_stores_the_clocks_the_core_computes():
    call_command("demo", stdout=io.StringIO())
    today = timezone.localdate()
    cases = list(Application.objects.all())
    assert len(cases) > 10
    assert CaseClock.objects.filter(done_on__isnull=False).exists()  # met clocks are stored too
    assert CaseClock.objects.filter(done_on__isnull=True, window=False).exists()
    for application in cases:
        for day in (today, today + dt.timedelta(days=40), dt.date(2020, 1, 1)):
            assert_stored_equal_computed(application, day)
    assert case_clocks_differences() == []


# A generated history: events of the kinds that start and meet clocks (read from the policy and from
# clocks.COMPLETED_BY, so a change of which events complete a clock changes the history too), other
# events, and moves of status through the allowed transitions.
def _clock_kinds(policy) -> list[str]:
    kinds = {deadline.from_event for deadline in policy.deadlines}
    kinds |= {done.kind for completers in clocks.COMPLETED_BY.values() for done in completers}
    return sorted(kinds | {"note_added"})


step = st.one_of(
    st.tuples(
        st.just("event"),
        st.integers(0, 100),  # which kind (modulo the kinds)
        st.integers(0, 60),  # days after receipt
        st.sampled_from([{}, {"appeal_window_starts": True}, {"request": "1"}, {"request": "2"}]),
    ),
    st.tuples(st.just("status"), st.integers(0, 100), st.integers(0, 60), st.just({})),
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=12), slug=st.sampled_from(["west-northamptonshire", "islington"]))
def test_stored_clocks_follow_any_history(demo, steps, slug):
    partnership = demo.partnership(slug)
    received = dt.date(2025, 4, 15)
    application = make_application(partnership, received_on=received)
    kinds = _clock_kinds(partnership.policy)
    for what, which, days, data in steps:
        day = received + dt.timedelta(days=days)
        if what == "event":
            kind = kinds[which % len(kinds)]
            data = dict(data)
            if kind == "information_requested" and "request" not in data:
                data["due_on"] = (day + dt.timedelta(days=which % 30 + 1)).isoformat()
            case_event_record(application=application, kind=kind, summary=kind, data=data, occurred_on=day)
        else:
            application.refresh_from_db()
            allowed = sorted(ALLOWED_TRANSITIONS[application.status])
            if not allowed:
                continue
            application_set_status(
                application=application,
                to=allowed[which % len(allowed)],
                actor=None,
                summary="moved",
                occurred_on=day,
            )
        for today in (day, day + dt.timedelta(days=15)):
            assert_stored_equal_computed(application, today)


@pytest.mark.django_db
def test_rebuild_clocks_finds_and_repairs_clocks_changed_around_the_services(demo):
    wn = demo.partnership("west-northamptonshire")
    application = make_application(wn, received_on=dt.date(2025, 4, 15))
    other = make_application(wn, received_on=dt.date(2025, 4, 16))
    call_command("rebuild-clocks", "--check", stdout=io.StringIO())  # in step

    CaseClock.objects.filter(application=application).delete()  # as a manual SQL fix might
    CaseClock.objects.filter(application=other).update(due_on=dt.date(2030, 1, 1))
    with pytest.raises(CommandError) as refused:
        call_command("rebuild-clocks", "--check", stdout=io.StringIO())
    assert "2 case(s)" in str(refused.value) and application.reference in str(refused.value)
    assert not CaseClock.objects.filter(application=application).exists()  # --check changes nothing

    out = io.StringIO()
    call_command("rebuild-clocks", stdout=out)
    assert "2 case(s) had been out of step" in out.getvalue()
    call_command("rebuild-clocks", "--check", "--partnership", "west-northamptonshire", stdout=io.StringIO())
    assert_stored_equal_computed(application, dt.date(2025, 4, 28))
    assert_stored_equal_computed(other, dt.date(2025, 4, 28))


@pytest.mark.django_db
def test_rebuild_clocks_names_an_unknown_partnership(demo):
    with pytest.raises(CommandError, match="no partnership with the ID 'nowhere'"):
        call_command("rebuild-clocks", "--partnership", "nowhere", stdout=io.StringIO())


@pytest.mark.django_db
def test_an_event_that_meets_a_clock_updates_the_stored_row_in_its_transaction(demo):
    wn = demo.partnership("west-northamptonshire")
    application = make_application(wn, received_on=dt.date(2025, 4, 15))
    row = CaseClock.objects.get(application=application, name="acknowledge")
    assert row.done_on is None and row.due_on == dt.date(2025, 4, 24)  # Easter: 18 and 21 April
    application.refresh_from_db()
    assert application.next_due_on == dt.date(2025, 4, 24)
    application_set_status(
        application=application,
        to="acknowledged",
        actor=None,
        summary="ack",
        occurred_on=dt.date(2025, 4, 17),
    )
    assert CaseClock.objects.get(application=application, name="acknowledge").done_on == dt.date(2025, 4, 17)
    application.refresh_from_db()
    # acknowledged starts the threshold decision and SPOC clocks: 10 working days from 17 April
    # (Easter Monday 21 April and the early May bank holiday 5 May skipped)
    assert application.next_due_on == dt.date(2025, 5, 6)


@pytest.mark.django_db
def test_an_event_that_changes_no_clock_leaves_the_stored_rows_as_they_were(demo):
    """Most events (a note, a letter) start, meet or stop no clock: the rows are not rewritten."""
    application = make_application(
        demo.partnership("west-northamptonshire"), received_on=dt.date(2025, 4, 15)
    )
    before = list(CaseClock.objects.filter(application=application).order_by("position").values())
    assert before
    case_event_record(application=application, kind="note", summary="A note")
    assert list(CaseClock.objects.filter(application=application).order_by("position").values()) == before


@pytest.mark.django_db
def test_the_access_log_records_the_event_not_the_rewrite_of_the_clocks_it_causes(demo):
    """The clocks are derived from the case's events, which are logged: their rewrite is not logged
    again (it once filled half the access log with "Deleted case clock")."""
    from casereview.audit.models import AccessEvent

    application = make_application(
        demo.partnership("west-northamptonshire"), received_on=dt.date(2025, 4, 15)
    )
    ids_before = set(CaseClock.objects.filter(application=application).values_list("pk", flat=True))
    logged_before = AccessEvent.objects.count()
    application_set_status(
        application=application,
        to="acknowledged",
        actor=None,
        summary="ack",
        occurred_on=dt.date(2025, 4, 17),
    )
    assert set(CaseClock.objects.filter(application=application).values_list("pk", flat=True)) != ids_before
    logged = AccessEvent.objects.filter(pk__gt=0).order_by("pk")[logged_before:]
    assert [e.summary for e in logged if "clock" in e.summary.lower()] == []
    assert any(e.summary.startswith("Created case event") for e in logged), [e.summary for e in logged]
