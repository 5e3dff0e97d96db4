"""Policy files: the presets, and every kind of mistake a council could make in its own."""

from datetime import date

import pytest

from casereview.core.errors import PolicyError
from casereview.core.periods import Duration
from casereview.core.policy import PRESETS, load_policy, policy_from_toml
from casereview.core.vocabulary import DEADLINE_NAMES, EVENTS

from .conftest import DELETE, make_policy


class TestPresets:
    @pytest.mark.parametrize("preset", PRESETS)
    def test_every_preset_loads_and_is_named_by_its_id(self, preset):
        policy = load_policy(preset)
        assert policy.id == preset
        assert policy.calendar == "england-and-wales"
        assert all(deadline.from_event in EVENTS for deadline in policy.deadlines)

    def test_statutory_has_every_deadline(self):
        policy = load_policy("statutory")
        assert [d.name for d in policy.deadlines] == list(DEADLINE_NAMES)
        assert policy.threshold.min_qualifying_complaints == 3
        assert policy.threshold.window == Duration(6, "months")
        assert policy.threshold.report_within == Duration(1, "months")  # s.104(11)(a)

    def test_west_northamptonshire_encodes_seed_004(self):
        policy = load_policy("west-northamptonshire")
        threshold = policy.threshold
        assert policy.version == "2024-09-16"
        assert threshold.report_within == Duration(30, "days")
        assert threshold.dedupe_across_agencies
        assert (
            threshold.hate.enabled
            and threshold.hate.requires_action_group
            and threshold.hate.min_incidents == 1
        )
        assert threshold.senior_manager.enabled and not threshold.multiple_complainants.enabled
        assert policy.deadline("acknowledge").within == Duration(5, "working_days")
        assert policy.deadline("victim_contact").from_event == "spoc_appointed"
        assert policy.deadline("appeal_window").within == Duration(28, "days")
        assert policy.deadline("review_response") is None  # seed 004 sets none
        assert policy.panel.min_relevant_bodies == 3
        assert set(policy.panel.required_roles) >= {"independent_chair", "minute_taker", "spoc"}
        assert [step.more_than for step in policy.escalation] == [
            Duration(0, "days"),
            Duration(3, "weeks"),
            Duration(2, "months"),
            Duration(3, "months"),
        ]
        assert [ground.code for ground in policy.appeals.grounds] == [
            "insufficient_reasons",
            "process_not_considered",
            "facts_not_considered",
        ]
        assert policy.hotspots is None and policy.repeat_callers == ()

    def test_islington_encodes_seeds_001_and_003(self):
        policy = load_policy("islington")
        assert policy.threshold.latest_report_within == Duration(1, "months")
        assert policy.deadline("threshold_decision").within == Duration(15, "working_days")
        assert policy.deadline("agency_response").within == Duration(21, "days")
        assert policy.deadline("review_response").within == Duration(28, "days")
        assert policy.hotspots.window == Duration(14, "days") and policy.hotspots.more_than_reports == 6
        out_of_hours, police = policy.repeat_callers
        assert (out_of_hours.name, out_of_hours.channel, out_of_hours.min_calls) == (
            "out_of_hours_line",
            "out_of_hours_line",
            10,
        )
        assert (out_of_hours.min_recent_calls, out_of_hours.recent_window) == (2, Duration(1, "months"))
        assert (police.name, police.agency_kind, police.min_calls, police.window) == (
            "police",
            "police",
            20,
            Duration(1, "months"),
        )


class TestDeadlines:
    def test_due_dates_in_working_days(self):
        policy = load_policy("west-northamptonshire")
        assert policy.due_on("acknowledge", date(2025, 6, 2)) == date(2025, 6, 9)
        assert policy.due_on("acknowledge", date(2022, 9, 15)) == date(2022, 9, 23)  # State Funeral

    def test_due_dates_in_days(self):
        assert load_policy("west-northamptonshire").due_on("appeal_window", date(2025, 3, 1)) == date(
            2025, 3, 29
        )

    def test_an_unset_deadline_is_none_and_an_unknown_one_is_an_error(self):
        policy = load_policy("west-northamptonshire")
        assert policy.due_on("review_response", date(2025, 3, 1)) is None
        with pytest.raises(KeyError, match="acknowledge"):
            policy.deadline("acknowledgement")

    def test_one_off_bank_holidays_in_the_policy_move_deadlines(self, monkeypatch):
        monkeypatch.delenv("CASEREVIEW_EXTRA_BANK_HOLIDAYS", raising=False)
        policy = make_policy("west-northamptonshire", {"extra_bank_holidays": ["2027-06-04"]})
        assert policy.extra_bank_holidays == (date(2027, 6, 4),)
        # Thursday 3 June 2027 + 1 working day skips the one-off Friday.
        assert policy.working_calendar().add_working_days(date(2027, 6, 3), 1) == date(2027, 6, 7)


class TestPostcodes:
    @pytest.mark.parametrize(
        ("postcode", "covered"),
        [("N1 7AA", True), ("n1c 4ab", True), ("N19 3AB", True), ("N22 5AA", False), ("NW1 2AB", False)],
    )
    def test_islington(self, postcode, covered):
        assert load_policy("islington").covers_postcode(postcode) is covered

    def test_districts_are_not_string_prefixes(self):
        policy = make_policy("statutory", {"postcodes": {"prefixes": ["N1"]}})
        assert not policy.covers_postcode("N19 3AB")
        assert policy.covers_postcode("N1 9GU")

    def test_an_area_covers_its_districts_only(self):
        policy = make_policy("statutory", {"postcodes": {"prefixes": ["nn"]}})
        assert policy.covers_postcode("NN12 6AB")
        assert not policy.covers_postcode("N1 9GU")

    def test_none_set_covers_nothing(self):
        assert not load_policy("statutory").covers_postcode("NN1 1ED")


# Each case: a change to the statutory preset, the key the error must name, and words it must use.
BAD_POLICIES = [
    ({"threshold.min_qualifying_complaints": 4}, "threshold.min_qualifying_complaints", "from 1 to 3"),
    ({"threshold.min_qualifying_complaints": 0}, "threshold.min_qualifying_complaints", "from 1 to 3"),
    ({"threshold.min_qualifying_complaints": "3"}, "threshold.min_qualifying_complaints", "whole number"),
    ({"threshold.min_qualifing_complaints": 3}, "threshold.min_qualifing_complaints", "did you mean"),
    ({"colour": "blue"}, "colour", "unknown key"),
    ({"threshold.window": "6 monhts"}, "threshold.window", "not a period"),
    ({"threshold.window": DELETE}, "threshold.window", "required"),
    ({"threshold.report_within": "5 working days"}, "threshold.report_within", "only"),
    ({"threshold.latest_report_within": "a month"}, "threshold.latest_report_within", "not a period"),
    ({"threshold.dedupe_across_agencies": "yes"}, "threshold.dedupe_across_agencies", "true or false"),
    ({"threshold.hate": {"enabled": True, "window": "3 months"}}, "threshold.hate.min_incidents", "required"),
    (
        {
            "threshold.multiple_complainants": {
                "enabled": True,
                "min_reports": 3,
                "min_distinct_reporters": 5,
                "window": "6 months",
            }
        },
        "threshold.multiple_complainants.min_distinct_reporters",
        "cannot be more than min_reports",
    ),
    ({"calendar": "scotland"}, "calendar", "unknown calendar"),
    ({"id": "West Northants"}, "id", "lower-case"),
    ({"version": ""}, "version", "non-empty"),
    ({"eligibility.allow_anonymous": "no"}, "eligibility.allow_anonymous", "true or false"),
    ({"eligibility.excluded_concerns": ["parking"]}, "eligibility.excluded_concerns[0]", "cps_decision"),
    ({"eligibility": DELETE}, "eligibility", "required"),
    ({"extra_bank_holidays": ["2027-02-30"]}, "extra_bank_holidays[0]", "not a date"),
    (
        {"deadlines.acknowledge": {"within": "5 working days", "from": "arrived"}},
        "deadlines.acknowledge.from",
        "received",
    ),
    (
        {"deadlines.acknowledge": {"within": "five days", "from": "received"}},
        "deadlines.acknowledge.within",
        "not a period",
    ),
    (
        {"deadlines.acknowledgement": {"within": "5 days", "from": "received"}},
        "deadlines.acknowledgement",
        "did you mean",
    ),
    ({"deadlines.acknowledge": {"within": "5 days"}}, "deadlines.acknowledge.from", "required"),
    ({"panel.min_relevant_bodies": 5}, "panel.min_relevant_bodies", "from 1 to 4"),
    ({"panel.required_roles": ["mayor"]}, "panel.required_roles[0]", "independent_chair"),
    ({"panel.inquorate_counts_as_review": "yes"}, "panel.inquorate_counts_as_review", "true or false"),
    (
        {"escalation.steps": [{"name": "chase", "more_than": "0 days", "recipient": "the boss"}]},
        "escalation.steps[0].recipient",
        "line_manager",
    ),
    (
        {
            "escalation.steps": [
                {"name": "chase", "more_than": "0 days", "recipient": "action_owner"},
                {"name": "chase", "more_than": "3 weeks", "recipient": "line_manager"},
            ]
        },
        "escalation.steps[1].name",
        "earlier step",
    ),
    (
        {"escalation.steps": [{"name": "chase", "more_than": "-1 days", "recipient": "spoc"}]},
        "escalation.steps[0].more_than",
        "not a period",
    ),
    ({"appeals.grounds": []}, "appeals.grounds", "at least one"),
    ({"appeals.heard_by": DELETE}, "appeals.heard_by", "required"),
    ({"hotspots": {"window": "14 days"}}, "hotspots.more_than_reports", "required"),
    ({"hotspots": {"window": "2 fortnights", "more_than_reports": 6}}, "hotspots.window", "not a period"),
    (
        {
            "repeat_callers": {
                "rules": [
                    {
                        "name": "both",
                        "channel": "x",
                        "agency_kind": "police",
                        "min_calls": 1,
                        "window": "1 month",
                    }
                ]
            }
        },
        "repeat_callers.rules[0].channel",
        "exactly one",
    ),
    (
        {
            "repeat_callers": {
                "rules": [
                    {"name": "r", "channel": "x", "min_calls": 5, "window": "1 month", "min_recent_calls": 2}
                ]
            }
        },
        "repeat_callers.rules[0].recent_window",
        "both",
    ),
    ({"postcodes": {"prefixes": ["NN1 1ED"]}}, "postcodes.prefixes[0]", "postcode area or district"),
]


@pytest.mark.parametrize(("changes", "key", "words"), BAD_POLICIES, ids=[case[1] for case in BAD_POLICIES])
def test_a_bad_policy_is_an_error_naming_the_key(changes, key, words):
    with pytest.raises(PolicyError) as raised:
        make_policy("statutory", changes)
    assert raised.value.key == key
    assert key in str(raised.value)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


class TestLoadingFiles:
    def test_a_file_by_path(self, tmp_path):
        path = tmp_path / "horsham.toml"
        text = load_policy_text("statutory").replace('report_within = "1 month"', 'report_within = "7 days"')
        path.write_text(text.replace('id = "statutory"', 'id = "horsham"'), encoding="utf-8")
        policy = load_policy(path)
        assert (policy.id, policy.threshold.report_within) == ("horsham", Duration(7, "days"))
        assert load_policy(str(path)).id == "horsham"

    def test_errors_name_the_file(self, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text(
            load_policy_text("statutory").replace(
                "min_qualifying_complaints = 3", "min_qualifying_complaints = 4"
            )
        )
        with pytest.raises(PolicyError) as raised:
            load_policy(path)
        assert str(raised.value).startswith(f"{path}: threshold.min_qualifying_complaints: ")

    def test_not_toml(self, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text("id = \n")
        with pytest.raises(PolicyError, match="not valid TOML"):
            load_policy(path)

    def test_neither_a_preset_nor_a_file(self):
        with pytest.raises(PolicyError, match="no preset of that name"):
            load_policy("westminster")

    def test_from_text(self):
        assert policy_from_toml(load_policy_text("islington")).id == "islington"


def load_policy_text(preset: str) -> str:
    from importlib import resources

    return resources.files("casereview.core.presets").joinpath(f"{preset}.toml").read_text("utf-8")
