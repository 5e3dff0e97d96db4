"""A policy's own rules beyond its keys: its calendar and one-off holidays, due dates on a calendar
the caller gives, which postcodes it covers, which reports a repeat-caller rule matches.
(Written from the mutants that survived tests/core/test_policy.py: docs/testing.md.)"""

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from casereview.core import policy as policy_module
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


#: Loads each policy named on its command line and prints its name, source and digest (as ASCII).
_LOAD_AND_PRINT = """
import json, sys
from casereview.core.policy import load_policy
for name in sys.argv[1:]:
    policy = load_policy(name)
    print(json.dumps([policy.name, policy.source, policy.digest]))
"""


def test_a_policy_is_read_as_utf_8_whatever_the_machines_locale(tmp_path):
    """A server whose locale is plain ASCII (``LC_ALL=C`` with Python's UTF-8 mode and locale
    coercion off) reads a preset and a council's own file as the same policy, digest and all: the
    presets have non-ASCII text (the statutory one a "§"), and so may a council's name. Read in the
    locale's encoding they would be refused there, or misread under a Latin-1 locale."""
    path = tmp_path / "ynys-mon.toml"
    statutory = resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8")
    path.write_text(
        statutory.replace(
            'name = "ASB Case Review: the statutory minimum"', 'name = "Cyngor Sir Ynys Môn"', 1
        ),
        encoding="utf-8",
    )
    expected = [[p.name, p.source, p.digest] for p in (load_policy("statutory"), load_policy(str(path)))]
    assert expected[1][0] == "Cyngor Sir Ynys Môn"
    # The child imports the same `casereview` as this test (under mutmut, the mutated copy).
    source_root = str(Path(policy_module.__file__).parents[2])
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG"))}
    environ |= {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONPATH": source_root}
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_AND_PRINT, "statutory", str(path)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected


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
    assert raised.value.source is None  # no source is None, as for a policy's own errors, never ""
    text = resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8")
    assert policy_from_toml(text).source == ""


def test_the_same_text_from_the_same_source_is_one_policy_and_another_source_another():
    """The pages read a partnership's policy several times a request, each time from its text: the
    same text from the same source is parsed once and shared (``Policy`` is frozen). The source is
    part of what is kept: the same text from another file is another policy, naming that file."""
    text = resources.files("casereview.core.presets").joinpath("statutory.toml").read_text("utf-8")
    ours = policy_from_toml(text, source="ours.toml")
    assert policy_from_toml(text, source="ours.toml") is ours
    theirs = policy_from_toml(text, source="theirs.toml")
    assert theirs is not ours
    assert theirs == replace(ours, source="theirs.toml")
    assert (ours.source, theirs.source) == ("ours.toml", "theirs.toml")


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
