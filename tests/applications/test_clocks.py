"""The clocks, on fixed dates across the Christmas 2025 bank holidays (25 and 26 December)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from casereview.applications import clocks as c
from casereview.applications.models import Status
from casereview.core.policy import load_policy

WN = load_policy("west-northamptonshire")
ISLINGTON = load_policy("islington")
CALENDAR = WN.working_calendar()
RECEIVED = dt.date(2025, 12, 18)  # Thursday; 5 working days skip the weekend and 25-26 December


def event(event_kind, day, n=0, **data):
    return SimpleNamespace(
        kind=event_kind,
        occurred_on=day,
        data=data,
        at=dt.datetime(2025, 1, 1) + dt.timedelta(minutes=n),
        pk=n + 1,
    )


def clocks(events, today, status=Status.RECEIVED, policy=WN):
    return {
        clock.name: clock
        for clock in c.clocks_compute(
            policy=policy, calendar=CALENDAR, status=status, events=events, today=today
        )
    }


def test_acknowledge_is_due_five_working_days_after_receipt_skipping_christmas():
    found = clocks([event("received", RECEIVED)], today=RECEIVED)
    assert list(found) == ["acknowledge"]  # nothing else has started
    clock = found["acknowledge"]
    assert clock.starts_on == RECEIVED
    assert clock.due_on == dt.date(2025, 12, 29)  # 19, 22, 23, 24, (25, 26, 27, 28 off) 29
    assert clock.state == c.PENDING
    assert clock.within == "5 working days"


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2025, 12, 24), c.PENDING),
        (dt.date(2025, 12, 29), c.DUE_TODAY),
        (dt.date(2025, 12, 30), c.OVERDUE),
    ],
)
def test_pending_due_today_overdue(today, state):
    assert clocks([event("received", RECEIVED)], today=today)["acknowledge"].state == state


def test_done_on_time_and_done_late_record_when():
    on_time = clocks(
        [event("received", RECEIVED), event("acknowledged", dt.date(2025, 12, 29), 1)], dt.date(2026, 2, 1)
    )
    assert on_time["acknowledge"].state == c.DONE
    assert on_time["acknowledge"].done_on == dt.date(2025, 12, 29)
    assert on_time["acknowledge"].on_time is True
    late = clocks(
        [event("received", RECEIVED), event("acknowledged", dt.date(2025, 12, 30), 1)], dt.date(2026, 2, 1)
    )
    assert late["acknowledge"].state == c.DONE_LATE
    assert late["acknowledge"].on_time is False


def test_acknowledgement_starts_the_decision_and_spoc_clocks():
    events = [event("received", RECEIVED), event("acknowledged", dt.date(2025, 12, 19), 1)]
    found = clocks(events, today=dt.date(2025, 12, 22), status=Status.ACKNOWLEDGED)
    # 10 working days from Friday 19 December: 22, 23, 24, 29, 30, 31 Dec, 2, 5, 6, 7 Jan (1 Jan off)
    assert found["threshold_decision"].due_on == dt.date(2026, 1, 7)
    assert found["spoc_appointment"].due_on == dt.date(2026, 1, 7)
    assert "victim_contact" not in found


def test_islington_runs_the_decision_clock_from_receipt():
    found = clocks([event("received", RECEIVED)], today=RECEIVED, policy=ISLINGTON)
    assert found["threshold_decision"].due_on == CALENDAR.add_working_days(RECEIVED, 15)


def test_the_decision_clock_is_completed_by_a_decision_letter_not_the_acknowledgement_letter():
    events = [
        event("received", RECEIVED),
        event("acknowledged", dt.date(2025, 12, 19), 1),
        event("letter_issued", dt.date(2025, 12, 19), 2, letter_kind="acknowledgement"),
    ]
    found = clocks(events, today=dt.date(2026, 1, 8), status=Status.DECLINED)
    assert found["threshold_decision"].state == c.OVERDUE
    assert "appeal_window" not in found  # an acknowledgement letter opens no appeal
    events.append(
        event(
            "letter_issued",
            dt.date(2026, 1, 5),
            3,
            letter_kind="threshold_not_met",
            appeal_window_starts=True,
        )
    )
    events.append(event("decision_letter_issued", dt.date(2026, 1, 5), 4, letter_kind="threshold_not_met"))
    found = clocks(events, today=dt.date(2026, 1, 8), status=Status.DECLINED)
    # Issued is not sent: the clock is met only when the letter is dispatched.
    assert found["threshold_decision"].state == c.OVERDUE
    events.append(event("decision_letter_dispatched", dt.date(2026, 1, 6), 5, channel="post"))
    found = clocks(events, today=dt.date(2026, 1, 8), status=Status.DECLINED)
    assert found["threshold_decision"].state == c.DONE
    assert found["threshold_decision"].done_on == dt.date(2026, 1, 6)
    window = found["appeal_window"]
    assert window.due_on == dt.date(2026, 2, 2)  # 28 days from 5 January
    assert window.state == c.WINDOW_OPEN
    assert not window.is_outstanding
    assert (
        clocks(events, today=dt.date(2026, 2, 3), status=Status.DECLINED)["appeal_window"].state
        == c.WINDOW_CLOSED
    )


def test_clocks_no_longer_owed_are_hidden_but_done_ones_stay():
    events = [event("received", RECEIVED), event("acknowledged", dt.date(2025, 12, 19), 1)]
    declined = clocks(events, today=dt.date(2026, 1, 8), status=Status.DECLINED)
    assert "spoc_appointment" not in declined  # no SPOC is appointed for a declined case
    assert declined["acknowledge"].state == c.DONE
    withdrawn = clocks([event("received", RECEIVED)], today=dt.date(2026, 1, 8), status=Status.WITHDRAWN)
    assert withdrawn == {}


def test_a_restarted_clock_replaces_the_old_one():
    events = [
        event("accepted", dt.date(2025, 3, 3), 0),
        event("outcome_letter_issued", dt.date(2025, 3, 20), 1),
        event("accepted", dt.date(2025, 6, 2), 2),  # accepted again after an appeal
    ]
    found = clocks(events, today=dt.date(2025, 6, 3), status=Status.ACCEPTED, policy=ISLINGTON)
    assert found["review_response"].starts_on == dt.date(2025, 6, 2)
    assert found["review_response"].done_on is None  # the earlier letter does not complete the new clock
    assert found["review_response"].due_on == dt.date(2025, 6, 30)


def test_each_information_request_has_its_own_clock():
    events = [
        event("information_requested", dt.date(2025, 3, 3), 0, request=1),
        event("information_requested", dt.date(2025, 3, 3), 1, request=2),
        event("agency_response_received", dt.date(2025, 3, 10), 2, request=2),
    ]
    found = c.clocks_compute(
        policy=WN, calendar=CALENDAR, status=Status.IN_REVIEW, events=events, today=dt.date(2025, 3, 20)
    )
    states = {clock.request: clock.state for clock in found if clock.name == "agency_response"}
    assert states == {"1": c.OVERDUE, "2": c.DONE}


def test_next_due_is_the_earliest_outstanding():
    events = [event("received", RECEIVED), event("acknowledged", dt.date(2025, 12, 19), 1)]
    found = c.clocks_compute(
        policy=WN, calendar=CALENDAR, status=Status.ACKNOWLEDGED, events=events, today=dt.date(2025, 12, 22)
    )
    nxt = c.next_due(found)
    assert nxt.name == "spoc_appointment" or nxt.name == "threshold_decision"
    assert nxt.due_on == dt.date(2026, 1, 7)
    assert c.next_due([]) is None


def test_every_deadline_name_of_the_core_is_mapped():
    from casereview.core.vocabulary import DEADLINE_NAMES

    assert set(c.COMPLETED_BY) == set(DEADLINE_NAMES)
    assert set(c.RELEVANT_UNLESS) == set(DEADLINE_NAMES)
    assert set(c.LABELS) == set(DEADLINE_NAMES)


def test_one_request_to_several_agencies_runs_a_clock_per_agency_with_the_spocs_due_date():
    events = [
        event("information_requested", dt.date(2025, 3, 3), 0, agencies=[7, 9], due_on="2025-03-24"),
        event("agency_response_received", dt.date(2025, 3, 26), 1, agency=9, request=41),
    ]
    found = c.clocks_compute(
        policy=WN,
        calendar=CALENDAR,
        status=Status.IN_REVIEW,
        events=events,
        today=dt.date(2025, 3, 27),
        agency_names={"7": "Police", "9": "Housing"},
    )
    by_agency = {clock.label: clock for clock in found if clock.name == "agency_response"}
    assert set(by_agency) == {"Agency response: Police", "Agency response: Housing"}
    assert by_agency["Agency response: Police"].state == c.OVERDUE
    assert by_agency["Agency response: Police"].due_on == dt.date(2025, 3, 24)  # set by the SPOC
    assert by_agency["Agency response: Housing"].state == c.DONE_LATE


def test_a_failed_or_returned_dispatch_reopens_the_clock_until_the_letter_is_sent_again():
    acknowledged = dt.date(2025, 12, 19)
    events = [
        event("received", RECEIVED),
        event("acknowledged", acknowledged, 1),
        event("decision_letter_dispatched", dt.date(2026, 1, 5), 2, channel="post"),
    ]
    assert clocks(events, today=dt.date(2026, 1, 8), status=Status.DECLINED)["threshold_decision"].is_done
    events.append(
        event("decision_letter_dispatch_failed", dt.date(2026, 1, 8), 3, reason="Returned: addressee unknown")
    )
    reopened = clocks(events, today=dt.date(2026, 1, 8), status=Status.DECLINED)["threshold_decision"]
    assert reopened.state == c.OVERDUE  # due 7 January: the letter never reached them
    assert reopened.done_on is None
    assert reopened.reopened_reason == "Returned: addressee unknown"
    events.append(event("decision_letter_dispatched", dt.date(2026, 1, 9), 4, channel="by_hand"))
    again = clocks(events, today=dt.date(2026, 1, 12), status=Status.DECLINED)["threshold_decision"]
    assert again.state == c.DONE_LATE
    assert again.done_on == dt.date(2026, 1, 9)
    assert again.reopened_reason == ""
