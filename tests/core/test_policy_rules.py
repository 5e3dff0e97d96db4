"""A policy's own rules beyond its keys: its calendar and one-off holidays, due dates on a calendar
the caller gives, which postcodes it covers, which reports a repeat-caller rule matches.
(Written from the mutants that survived tests/core/test_policy.py: docs/testing.md.)"""

from datetime import date
from importlib import resources

import pytest

from casereview.core.calendar import get_calendar
from casereview.core.errors import PolicyError
from casereview.core.periods import Duration
from casereview.core.policy import RepeatCallerRule, load_policy, policy_from_toml

from .conftest import make_policy

WNC = load_policy("west-northamptonshire")


def test_an_unknown_deadline_names_the_known_ones():
    with pytest.raises(KeyError) as raised:
        WNC.deadline("acknowledgement")
    assert raised.value.args[0] == (
        "unknown deadline 'acknowledgement' (known: acknowledge, threshold_decision, spoc_appointment, "
        "victim_contact, unreachable_letter, agency_response, review_response, outcome_letter, "
        "minutes_circulated, appeal_window)"
    )


def test_the_policys_calendar_has_its_cancelled_holidays_and_the_installations_file(tmp_path):
    # 5 May 2025 is the Early May bank holiday; the policy cancels it (as 8 May 2020 was moved).
    policy = make_policy("statutory", {"cancelled_bank_holidays": ["2025-05-05"]})
    assert policy.working_calendar(environ={}).add_working_days(date(2025, 5, 2), 1) == date(2025, 5, 5)
    # The installation's file adds a one-off holiday on Tuesday 6 May (through `environ`, not os.environ).
    path = tmp_path / "extra.txt"
    path.write_text("2025-05-06\n", encoding="utf-8")
    calendar = policy.working_calendar(environ={"CASEREVIEW_EXTRA_BANK_HOLIDAYS": str(path)})
    assert calendar.add_working_days(date(2025, 5, 2), 2) == date(2025, 5, 7)


def test_a_due_date_in_working_days_uses_the_calendar_given(monkeypatch):
    monkeypatch.delenv("CASEREVIEW_EXTRA_BANK_HOLIDAYS", raising=False)
    # Acknowledge within 5 working days of Monday 2 June 2025: Monday 9 June on the policy's own
    # calendar; a day later on a calendar the caller gives with a one-off holiday on 4 June.
    assert WNC.due_on("acknowledge", date(2025, 6, 2)) == date(2025, 6, 9)
    with_a_holiday = get_calendar("england-and-wales", [date(2025, 6, 4)], environ={})
    assert WNC.due_on("acknowledge", date(2025, 6, 2), with_a_holiday) == date(2025, 6, 10)


@pytest.mark.parametrize(
    ("prefixes", "postcode", "covered"),
    [
        (["N1"], "N1", True),  # the outward code alone
        (["EC1V"], "EC1V", True),  # four characters, still only the outward code
        (["EC1V"], "ec1v 9aa", True),
        (["EC1"], "EC1V 9AA", True),  # a district covers its sub-districts
        (["EC1"], "EC12 9AA", False),
        (["EC"], "EC1V 9AA", True),  # an area covers its districts
        (["E"], "EC1V 9AA", False),  # but not another area that begins with its letter
        (["N1"], "N1C 4AB", True),
        (["N1"], "N19 3AB", False),
    ],
)
def test_which_postcodes_a_policy_covers(prefixes, postcode, covered):
    policy = make_policy("statutory", {"postcodes": {"prefixes": prefixes}})
    assert policy.covers_postcode(postcode) is covered


def test_a_repeat_caller_rule_matches_by_its_channel_or_else_its_agency_kind():
    by_channel = RepeatCallerRule(name="ooh", min_calls=2, window=Duration(1, "months"), channel="ooh_line")
    assert by_channel.matches("ooh_line", "police") and not by_channel.matches("web", "police")
    by_agency = RepeatCallerRule(name="p", min_calls=2, window=Duration(1, "months"), agency_kind="police")
    assert by_agency.matches(None, "police") and by_agency.matches("web", "police")
    assert not by_agency.matches("ooh_line", "council")


def test_a_panel_kind_the_policy_does_not_declare_is_none():
    islington = load_policy("islington")
    assert islington.panel_kind("cmarac").code == "cmarac"
    assert islington.panel_kind("marac") is None
    assert load_policy("statutory").panel_kind("cmarac") is None


def test_a_policy_says_where_it_was_loaded_from(tmp_path):
    assert load_policy("islington").source == "preset islington"
    path = tmp_path / "ours.toml"
    path.write_text(
        resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8"),
        encoding="utf-8",
    )
    assert load_policy(str(path)).source == str(path)
    assert load_policy(path).source == str(path)


def test_a_policy_file_that_cannot_be_read_is_an_error_about_the_file_not_a_key(tmp_path):
    with pytest.raises(PolicyError) as raised:
        load_policy("narnia")
    assert (raised.value.key, raised.value.problem) == (
        "",
        "no policy file 'narnia', and no preset of that name "
        "(presets: statutory, west-northamptonshire, islington)",
    )
    with pytest.raises(PolicyError) as raised:
        load_policy(tmp_path)
    assert (raised.value.key, raised.value.problem) == (
        "",
        f"cannot read policy file '{tmp_path}': [Errno 21] Is a directory: '{tmp_path}'",
    )
    assert str(raised.value) == raised.value.problem


def test_text_that_is_not_toml_is_an_error_about_the_text_naming_its_source():
    with pytest.raises(PolicyError) as raised:
        policy_from_toml("id = ", source="ours.toml")
    assert (raised.value.key, raised.value.problem, raised.value.source) == (
        "",
        "not valid TOML: Invalid value (at end of document)",
        "ours.toml",
    )
    assert str(raised.value) == "ours.toml: not valid TOML: Invalid value (at end of document)"
    with pytest.raises(PolicyError) as raised:
        policy_from_toml("id = ")
    assert str(raised.value) == "not valid TOML: Invalid value (at end of document)"
    text = resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8")
    assert policy_from_toml(text).source == ""


def test_the_interventions_ladders_and_local_duties_are_read_as_written():
    policy = make_policy(
        "statutory",
        {
            "interventions": {
                "premises_ladder": ["closure_order"],
                "local_duties": {
                    "cpn": ["occupants_informed", "appropriate_consulted"],
                    "cpw": ["yot_consulted"],
                },
            }
        },
    )
    assert policy.interventions_premises_ladder == ("closure_order",)
    assert (
        policy.interventions_ladder == load_policy("statutory").interventions_ladder
    )  # not given: the default
    # In the order of the kinds of step (a CPW comes before a CPN), whatever the file's order.
    assert policy.interventions_local_duties == (
        ("cpw", ("yot_consulted",)),
        ("cpn", ("occupants_informed", "appropriate_consulted")),
    )


def test_interventions_without_local_duties_have_none():
    policy = make_policy("statutory", {"interventions": {"ladder": ["warning_letter", "cpw", "cpn"]}})
    assert policy.interventions_ladder == ("warning_letter", "cpw", "cpn")
    assert policy.interventions_local_duties == ()
