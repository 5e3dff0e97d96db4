"""Hotspots and repeat callers (contracts.md §7, seed 003), on the Islington preset."""

from datetime import date, timedelta

from casereview.core.hotspots import (
    AsbReport,
    Hotspot,
    HotspotHistory,
    RepeatCaller,
    hotspot_history,
    hotspots,
    repeat_callers,
)
from casereview.core.policy import load_policy

from .conftest import make_policy

ISLINGTON = load_policy("islington")
AS_OF = date(2025, 3, 31)  # 14 days ending with it begin 18 March; 1 month, 1 March; 3 months, 1 January


def reports_at(location: str, count: int, on: date = AS_OF, **fields) -> list[AsbReport]:
    return [AsbReport(location=location, reported_on=on, **fields) for _ in range(count)]


class TestHotspots:
    def test_more_than_six_in_fourteen_days(self):
        found = hotspots(ISLINGTON, reports_at("Bemerton Estate", 7) + reports_at("Nag's Head", 6), AS_OF)
        assert found == [Hotspot("Bemerton Estate", 7)]
        assert found[0].to_dict() == {"location": "Bemerton Estate", "reports": 7}

    def test_the_window_is_the_fourteen_days_ending_with_the_date(self):
        first_day = reports_at("A", 6) + reports_at("A", 1, on=date(2025, 3, 18))
        assert hotspots(ISLINGTON, first_day, AS_OF) == [Hotspot("A", 7)]
        day_before = reports_at("A", 6) + reports_at("A", 1, on=date(2025, 3, 17))
        assert hotspots(ISLINGTON, day_before, AS_OF) == []

    def test_reports_after_the_date_do_not_count(self):
        assert (
            hotspots(ISLINGTON, reports_at("A", 6) + reports_at("A", 1, on=AS_OF + timedelta(days=1)), AS_OF)
            == []
        )

    def test_month_only_reports_never_count(self):
        assert hotspots(ISLINGTON, reports_at("A", 6) + reports_at("A", 5, month_only=True), AS_OF) == []

    def test_largest_first_then_by_location(self):
        reports = reports_at("C", 8) + reports_at("B", 9) + reports_at("A", 8)
        assert [(h.location, h.reports) for h in hotspots(ISLINGTON, reports, AS_OF)] == [
            ("B", 9),
            ("A", 8),
            ("C", 8),
        ]

    def test_a_policy_without_a_hotspot_rule(self):
        assert hotspots(load_policy("west-northamptonshire"), reports_at("A", 50), AS_OF) == []

    def test_another_rule(self):
        policy = make_policy("statutory", {"hotspots": {"window": "7 days", "more_than_reports": 2}})
        assert hotspots(policy, reports_at("A", 3, on=date(2025, 3, 25)), AS_OF) == [Hotspot("A", 3)]
        assert hotspots(policy, reports_at("A", 3, on=date(2025, 3, 24)), AS_OF) == []


def out_of_hours(caller: str, *days: date) -> list[AsbReport]:
    return [
        AsbReport("somewhere", day, caller=caller, channel="out_of_hours_line", agency_kind="council")
        for day in days
    ]


def to_police(caller: str, count: int, on: date = AS_OF) -> list[AsbReport]:
    return [
        AsbReport("somewhere", on, caller=caller, channel="police_101", agency_kind="police")
        for _ in range(count)
    ]


OLD = date(2025, 1, 15)  # inside 3 months, outside 1 month
RECENT = date(2025, 3, 10)


class TestRepeatCallers:
    def test_ten_out_of_hours_calls_in_three_months_with_two_in_the_last_month(self):
        found = repeat_callers(ISLINGTON, out_of_hours("c1", *[OLD] * 8, RECENT, RECENT), AS_OF)
        assert found == [RepeatCaller("c1", "out_of_hours_line", 10)]
        assert found[0].to_dict() == {"caller": "c1", "rule": "out_of_hours_line", "calls": 10}

    def test_not_with_only_one_in_the_last_month(self):
        assert repeat_callers(ISLINGTON, out_of_hours("c1", *[OLD] * 9, RECENT), AS_OF) == []

    def test_not_with_nine(self):
        assert repeat_callers(ISLINGTON, out_of_hours("c1", *[OLD] * 7, RECENT, RECENT), AS_OF) == []

    def test_the_three_month_window_edges(self):
        # 3 months ending with 31 March 2025 begin 1 January 2025.
        on_edge = out_of_hours("c1", *[date(2025, 1, 1)] * 8, RECENT, RECENT)
        assert repeat_callers(ISLINGTON, on_edge, AS_OF) == [RepeatCaller("c1", "out_of_hours_line", 10)]
        before = out_of_hours("c1", date(2024, 12, 31), *[OLD] * 7, RECENT, RECENT)
        assert repeat_callers(ISLINGTON, before, AS_OF) == []

    def test_twenty_calls_to_the_police_in_a_month(self):
        assert repeat_callers(ISLINGTON, to_police("c2", 20, RECENT), AS_OF) == [
            RepeatCaller("c2", "police", 20)
        ]
        assert repeat_callers(ISLINGTON, to_police("c2", 19, RECENT) + to_police("c2", 1, OLD), AS_OF) == []

    def test_a_caller_meeting_both_is_listed_once_under_out_of_hours_line(self):
        reports = out_of_hours("c3", *[OLD] * 8, RECENT, RECENT) + to_police("c3", 25)
        assert repeat_callers(ISLINGTON, reports, AS_OF) == [RepeatCaller("c3", "out_of_hours_line", 10)]

    def test_month_only_and_callerless_reports_never_count(self):
        month_only = [
            AsbReport("x", RECENT, month_only=True, caller="c4", agency_kind="police") for _ in range(25)
        ]
        callerless = [AsbReport("x", RECENT, caller=None, agency_kind="police") for _ in range(25)]
        assert repeat_callers(ISLINGTON, month_only + callerless, AS_OF) == []

    def test_most_calls_first_then_by_caller(self):
        reports = to_police("b", 21) + to_police("a", 21) + to_police("c", 30)
        assert [(r.caller, r.calls) for r in repeat_callers(ISLINGTON, reports, AS_OF)] == [
            ("c", 30),
            ("a", 21),
            ("b", 21),
        ]

    def test_a_policy_without_rules(self):
        assert repeat_callers(load_policy("west-northamptonshire"), to_police("c", 50), AS_OF) == []


class TestRepeatCallersEdges:
    """Written from the mutants of `repeat_callers` that survived (docs/testing.md)."""

    def test_only_calls_the_rule_matches_count_in_its_recent_window(self):
        # Nine old out-of-hours calls and one recent; the recent call to the police 101 line is
        # not an out-of-hours call, so the caller has one recent call of the rule's, not two.
        reports = out_of_hours("c1", *[OLD] * 9, RECENT) + to_police("c1", 1, RECENT)
        assert repeat_callers(ISLINGTON, reports, AS_OF) == []

    def test_a_caller_who_falls_short_does_not_stop_the_callers_after_them(self):
        too_few = out_of_hours("c0", *[OLD] * 7, RECENT, RECENT)  # nine calls
        too_few_recently = out_of_hours("c1", *[OLD] * 9, RECENT)  # ten, one in the last month
        enough = out_of_hours("c2", *[OLD] * 8, RECENT, RECENT)
        assert repeat_callers(ISLINGTON, too_few + too_few_recently + enough, AS_OF) == [
            RepeatCaller("c2", "out_of_hours_line", 10)
        ]

    def test_a_caller_listed_under_an_earlier_rule_does_not_stop_the_later_rules_callers(self):
        both = out_of_hours("c3", *[OLD] * 8, RECENT, RECENT) + to_police("c3", 20, RECENT)
        police_only = to_police("c4", 20, RECENT)
        assert repeat_callers(ISLINGTON, both + police_only, AS_OF) == [
            RepeatCaller("c4", "police", 20),
            RepeatCaller("c3", "out_of_hours_line", 10),
        ]

    def test_an_agency_rule_counts_its_recent_calls_by_agency(self):
        rule = {
            "name": "police",
            "agency_kind": "police",
            "min_calls": 3,
            "window": "3 months",
            "min_recent_calls": 2,
            "recent_window": "1 month",
        }
        policy = make_policy("statutory", {"repeat_callers": {"rules": [rule]}})
        reports = to_police("c5", 1, OLD) + to_police("c5", 2, RECENT)
        assert repeat_callers(policy, reports, AS_OF) == [RepeatCaller("c5", "police", 3)]
        assert repeat_callers(policy, to_police("c6", 2, OLD) + to_police("c6", 1, RECENT), AS_OF) == []


class TestHotspotHistory:
    """The reference for the reports' SQL recompute (reports.selectors.hotspot_history), held here on
    its own: the rule applied on each day a location had reports."""

    RULE = {"hotspots": {"window": "7 days", "more_than_reports": 2}}

    def test_each_location_by_its_hot_days_first_and_last_and_its_peak(self):
        policy = make_policy("statutory", self.RULE)
        a = (
            reports_at("A", 3, on=date(2025, 3, 3))  # 3 in the window: hot
            + reports_at("A", 2, on=date(2025, 3, 5))  # 5: hot, the peak
            + reports_at("A", 3, on=date(2025, 3, 14))  # 14 March: 3 (the 8th to the 14th): hot
            + reports_at("A", 1, on=date(2025, 3, 20))  # 20 March: 4: hot
            + reports_at("A", 1, on=date(2025, 3, 28))  # 28 March: 1: not
            + reports_at("A", 5, on=date(2025, 3, 1), month_only=True)  # never a day of its own
        )
        c = reports_at("C", 3, on=date(2025, 3, 10))
        b = reports_at("B", 3, on=date(2025, 3, 10))
        d = reports_at("D", 2, on=date(2025, 3, 10))  # never more than 2
        found = hotspot_history(policy, c + d + a + b)
        assert found == [
            HotspotHistory("A", days=4, first=date(2025, 3, 3), last=date(2025, 3, 20), peak=5),
            HotspotHistory("B", days=1, first=date(2025, 3, 10), last=date(2025, 3, 10), peak=3),
            HotspotHistory("C", days=1, first=date(2025, 3, 10), last=date(2025, 3, 10), peak=3),
        ]
        assert found[0].to_dict() == {
            "location": "A",
            "days": 4,
            "first": date(2025, 3, 3),
            "last": date(2025, 3, 20),
            "peak": 5,
        }

    def test_a_location_hot_on_fewer_days_comes_after_one_hot_on_more_whatever_its_name(self):
        policy = make_policy("statutory", self.RULE)
        reports = reports_at("A", 3, on=date(2025, 3, 3)) + reports_at("Z", 3, on=date(2025, 3, 3))
        reports += reports_at("Z", 1, on=date(2025, 3, 4))
        assert [(h.location, h.days) for h in hotspot_history(policy, reports)] == [("Z", 2), ("A", 1)]

    def test_none_without_a_hotspot_rule(self):
        assert hotspot_history(load_policy("west-northamptonshire"), reports_at("A", 50)) == []
