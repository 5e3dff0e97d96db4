"""A council reads a policy error on its own: each names the key and says exactly what is wrong.

The errors of tests/core/test_policy.py (BAD_POLICIES) are checked there for the key and a word or
two; here each error's whole text is checked, with every other kind of mistake a file can make, so
a change to an error's wording or to the rule it words is a deliberate one (mutation testing,
docs/testing.md).
"""

import pytest

from casereview.core.errors import PolicyError

from .conftest import DELETE, make_policy

#: (a change to the statutory preset, the key named, the whole problem), as `casereview threshold` prints it.
EXACT_ERRORS = [
    (
        {"threshold.min_qualifying_complaints": 4},
        "threshold.min_qualifying_complaints",
        "must be a whole number from 1 to 3 (s.104 of the 2014 Act: a local threshold of no more "
        "than three), got 4",
    ),
    (
        {"threshold.min_qualifying_complaints": 0},
        "threshold.min_qualifying_complaints",
        "must be a whole number from 1 to 3 (s.104 of the 2014 Act: a local threshold of no more "
        "than three), got 0",
    ),
    (
        {"threshold.min_qualifying_complaints": "3"},
        "threshold.min_qualifying_complaints",
        "must be a whole number from 1 to 3 (s.104 of the 2014 Act: a local threshold of no more "
        "than three), got '3'",
    ),
    (
        {"threshold.min_qualifing_complaints": 3},
        "threshold.min_qualifing_complaints",
        "unknown key (did you mean 'min_qualifying_complaints'?)",
    ),
    (
        {"colour": "blue"},
        "colour",
        "unknown key (expected one of: id, name, version, calendar, extra_bank_holidays, "
        "cancelled_bank_holidays, eligibility, threshold, deadlines, panel, escalation, appeals, hotspots, "
        "repeat_callers, postcodes, signpost, correspondence, interventions, panel_kinds)",
    ),
    (
        {"threshold.window": "6 monhts"},
        "threshold.window",
        'not a period: \'6 monhts\' (expected "N days", "N working days", "N weeks" or "N months")',
    ),
    ({"threshold.window": DELETE}, "threshold.window", "required but missing"),
    (
        {"threshold.report_within": "5 working days"},
        "threshold.report_within",
        '\'5 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {"threshold.latest_report_within": "a month"},
        "threshold.latest_report_within",
        'not a period: \'a month\' (expected "N days", "N working days", "N weeks" or "N months")',
    ),
    (
        {"threshold.dedupe_across_agencies": "yes"},
        "threshold.dedupe_across_agencies",
        "must be true or false, got 'yes'",
    ),
    (
        {"threshold.hate": {"enabled": True, "window": "3 months"}},
        "threshold.hate.min_incidents",
        "required but missing",
    ),
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
        "cannot be more than min_reports (3): each reporter makes at least one report",
    ),
    ({"calendar": "scotland"}, "calendar", "unknown calendar 'scotland' (known: england-and-wales)"),
    (
        {"id": "West Northants"},
        "id",
        "'West Northants' is not valid: use lower-case letters, digits and hyphens, e.g. "
        "'west-northamptonshire'",
    ),
    ({"version": ""}, "version", "must be a non-empty string, got ''"),
    ({"eligibility.allow_anonymous": "no"}, "eligibility.allow_anonymous", "must be true or false, got 'no'"),
    (
        {"eligibility.excluded_concerns": ["parking"]},
        "eligibility.excluded_concerns[0]",
        "unknown value 'parking' (expected one of: cps_decision, court_decision, service_provision_only)",
    ),
    ({"eligibility": DELETE}, "eligibility", "required but missing"),
    (
        {"extra_bank_holidays": ["2027-02-30"]},
        "extra_bank_holidays[0]",
        "not a date (YYYY-MM-DD): '2027-02-30'",
    ),
    (
        {"deadlines.acknowledge": {"within": "5 working days", "from": "arrived"}},
        "deadlines.acknowledge.from",
        "unknown event 'arrived' (expected one of: received, acknowledged, spoc_appointed, "
        "victim_unreachable, information_requested, accepted, panel_held, letter_issued)",
    ),
    (
        {"deadlines.acknowledge": {"within": "five days", "from": "received"}},
        "deadlines.acknowledge.within",
        'not a period: \'five days\' (expected "N days", "N working days", "N weeks" or "N months")',
    ),
    (
        {"deadlines.acknowledgement": {"within": "5 days", "from": "received"}},
        "deadlines.acknowledgement",
        "unknown key (did you mean 'acknowledge'?)",
    ),
    ({"deadlines.acknowledge": {"within": "5 days"}}, "deadlines.acknowledge.from", "required but missing"),
    (
        {"panel.min_relevant_bodies": 5},
        "panel.min_relevant_bodies",
        "must be a whole number from 1 to 4 (there are 4 kinds), got 5",
    ),
    (
        {"panel.required_roles": ["mayor"]},
        "panel.required_roles[0]",
        "unknown value 'mayor' (expected one of: council, police, housing, health, spoc, independent_chair, "
        "minute_taker)",
    ),
    (
        {"panel.inquorate_counts_as_review": "yes"},
        "panel.inquorate_counts_as_review",
        "must be true or false, got 'yes'",
    ),
    (
        {"escalation.steps": [{"name": "chase", "more_than": "0 days", "recipient": "the boss"}]},
        "escalation.steps[0].recipient",
        "unknown value 'the boss' (expected one of: action_owner, spoc, line_manager, head_of_service, "
        "chief_executive, community_safety_manager)",
    ),
    (
        {
            "escalation.steps": [
                {"name": "chase", "more_than": "0 days", "recipient": "action_owner"},
                {"name": "chase", "more_than": "3 weeks", "recipient": "line_manager"},
            ]
        },
        "escalation.steps[1].name",
        "'chase' is used by an earlier step; names must differ",
    ),
    (
        {"escalation.steps": [{"name": "chase", "more_than": "-1 days", "recipient": "spoc"}]},
        "escalation.steps[0].more_than",
        'not a period: \'-1 days\' (expected "N days", "N working days", "N weeks" or "N months")',
    ),
    ({"appeals.grounds": []}, "appeals.grounds", "must list at least one ground of appeal"),
    ({"appeals.heard_by": DELETE}, "appeals.heard_by", "required but missing"),
    ({"hotspots": {"window": "14 days"}}, "hotspots.more_than_reports", "required but missing"),
    (
        {"hotspots": {"window": "2 fortnights", "more_than_reports": 6}},
        "hotspots.window",
        'not a period: \'2 fortnights\' (expected "N days", "N working days", "N weeks" or "N months")',
    ),
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
        "give exactly one of 'channel' and 'agency_kind'",
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
        "give both 'min_recent_calls' and 'recent_window', or neither",
    ),
    (
        {"postcodes": {"prefixes": ["NN1 1ED"]}},
        "postcodes.prefixes[0]",
        "'NN1 1ED' is not a postcode area or district (e.g. 'NN', 'NN1', 'EC1V')",
    ),
    ({"eligibility": "everyone"}, "eligibility", "must be a table, got 'everyone'"),
    ({"name": {"first": "x"}}, "name", "must be a non-empty string, got a table"),
    ({"name": "   "}, "name", "must be a non-empty string, got '   '"),
    (
        {"threshold.min_qualifying_complaints": True},
        "threshold.min_qualifying_complaints",
        "must be a whole number from 1 to 3 (s.104 of the 2014 Act: a local threshold of no more "
        "than three), got True",
    ),
    (
        {"hotspots": {"window": "14 days", "more_than_reports": -1}},
        "hotspots.more_than_reports",
        "must be a whole number 0 or more, got -1",
    ),
    (
        {"threshold.window": "0 months"},
        "threshold.window",
        "not a period: '0 months' (the number must be 1 or more)",
    ),
    (
        {"eligibility.excluded_concerns": ["cps_decision", "court_decision", "cps_decision"]},
        "eligibility.excluded_concerns",
        "lists the same value twice",
    ),
    (
        {"eligibility.excluded_concerns": "cps_decision"},
        "eligibility.excluded_concerns",
        "must be a list, got 'cps_decision'",
    ),
    (
        {"cancelled_bank_holidays": ["2027-01-01", "01/01/2027"]},
        "cancelled_bank_holidays[1]",
        "not a date (YYYY-MM-DD): '01/01/2027'",
    ),
    ({"escalation.steps": ["chase"]}, "escalation.steps[0]", "must be a table, got 'chase'"),
    (
        {"escalation.steps": [{"name": "Chase", "more_than": "0 days", "recipient": "spoc"}]},
        "escalation.steps[0].name",
        "'Chase' is not valid: use lower-case letters, digits and underscores",
    ),
    (
        {
            "escalation.steps": [
                {
                    "name": "chase",
                    "more_than": "0 days",
                    "recipient": "spoc",
                    "recipient_when_line_manager_is_head_of_service": "mayor",
                }
            ]
        },
        "escalation.steps[0].recipient_when_line_manager_is_head_of_service",
        "unknown value 'mayor' (expected one of: action_owner, spoc, line_manager, head_of_service, "
        "chief_executive, community_safety_manager)",
    ),
    (
        {"appeals.grounds": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}]},
        "appeals.grounds[1].code",
        "'a' is used by an earlier ground; codes must differ",
    ),
    (
        {"appeals.grounds": [{"code": "a", "label": "A", "applies_to": []}]},
        "appeals.grounds[0].applies_to",
        "must name at least one decision",
    ),
    (
        {"appeals.grounds": [{"code": "a", "label": "A", "applies_to": ["granted"]}]},
        "appeals.grounds[0].applies_to[0]",
        "unknown value 'granted' (expected one of: threshold_not_met, review_outcome)",
    ),
    (
        {"appeals.grounds": [{"code": "a", "label": ""}]},
        "appeals.grounds[0].label",
        "must be a non-empty string, got ''",
    ),
    (
        {
            "repeat_callers": {
                "rules": [
                    {"name": "r", "channel": "x", "min_calls": 5, "window": "1 month"},
                    {"name": "r", "channel": "x", "min_calls": 5, "window": "1 month"},
                ]
            }
        },
        "repeat_callers.rules[1].name",
        "'r' is used by an earlier rule; names must differ",
    ),
    (
        {"repeat_callers": {"rules": [{"name": "r", "channel": "", "min_calls": 5, "window": "1 month"}]}},
        "repeat_callers.rules[0].channel",
        "must be a non-empty string, got ''",
    ),
    (
        {
            "repeat_callers": {
                "rules": [{"name": "r", "agency_kind": "fire", "min_calls": 5, "window": "1 month"}]
            }
        },
        "repeat_callers.rules[0].agency_kind",
        "unknown value 'fire' (expected one of: council, police, housing, health, other)",
    ),
    (
        {
            "repeat_callers": {
                "rules": [
                    {
                        "name": "r",
                        "channel": "x",
                        "min_calls": 5,
                        "window": "1 month",
                        "min_recent_calls": 6,
                        "recent_window": "1 month",
                    }
                ]
            }
        },
        "repeat_callers.rules[0].min_recent_calls",
        "must be a whole number from 1 to 5, got 6",
    ),
    (
        {
            "repeat_callers": {
                "rules": [
                    {
                        "name": "r",
                        "channel": "x",
                        "min_calls": 5,
                        "window": "1 month",
                        "min_recent_calls": 0,
                        "recent_window": "1 month",
                    }
                ]
            }
        },
        "repeat_callers.rules[0].min_recent_calls",
        "must be a whole number from 1 to 5, got 0",
    ),
    (
        {
            "repeat_callers": {
                "rules": [
                    {
                        "name": "r",
                        "channel": "x",
                        "min_calls": 5,
                        "window": "1 month",
                        "min_recent_calls": 2,
                        "recent_window": "5 working days",
                    }
                ]
            }
        },
        "repeat_callers.rules[0].recent_window",
        '\'5 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {
            "repeat_callers": {
                "rules": [{"name": "r", "channel": "x", "min_calls": 5, "window": "20 working days"}]
            }
        },
        "repeat_callers.rules[0].window",
        '\'20 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {"repeat_callers": {"rules": [{"name": "r", "channel": "x", "min_calls": 0, "window": "1 month"}]}},
        "repeat_callers.rules[0].min_calls",
        "must be a whole number 1 or more, got 0",
    ),
    (
        {"postcodes": {"prefixes": [5]}},
        "postcodes.prefixes[0]",
        "5 is not a postcode area or district (e.g. 'NN', 'NN1', 'EC1V')",
    ),
    ({"postcodes": {"prefixes": "NN"}}, "postcodes.prefixes", "must be a list, got 'NN'"),
    ({"postcodes": {"prefix": ["NN"]}}, "postcodes.prefix", "unknown key (did you mean 'prefixes'?)"),
    (
        {"panel.min_relevant_bodies": 0},
        "panel.min_relevant_bodies",
        "must be a whole number from 1 to 4 (there are 4 kinds), got 0",
    ),
    ({"panel.required_roles": ["spoc", "spoc"]}, "panel.required_roles", "lists the same value twice"),
    (
        {
            "threshold.hate": {
                "enabled": True,
                "min_incidents": 4,
                "window": "3 months",
                "requires_action_group": False,
            }
        },
        "threshold.hate.min_incidents",
        "must be a whole number from 1 to 3, got 4",
    ),
    (
        {"threshold.hate": {"enabled": True, "min_incidents": 1, "window": "3 months"}},
        "threshold.hate.requires_action_group",
        "required but missing",
    ),
    ({"threshold.hate": {"enabled": "yes"}}, "threshold.hate.enabled", "must be true or false, got 'yes'"),
    (
        {
            "threshold.multiple_complainants": {
                "enabled": True,
                "min_reports": 0,
                "min_distinct_reporters": 0,
                "window": "6 months",
            }
        },
        "threshold.multiple_complainants.min_reports",
        "must be a whole number 1 or more, got 0",
    ),
    (
        {"threshold.senior_manager": {"enabled": "yes"}},
        "threshold.senior_manager.enabled",
        "must be true or false, got 'yes'",
    ),
    (
        {"threshold.senior_manager": {"enable": True}},
        "threshold.senior_manager.enable",
        "unknown key (did you mean 'enabled'?)",
    ),
    ({"deadlines.acknowledge": "5 days"}, "deadlines.acknowledge", "must be a table, got '5 days'"),
    (
        {"deadlines.acknowledge": {"within": "0 days", "from": "received"}},
        "deadlines.acknowledge.within",
        "not a period: '0 days' (the number must be 1 or more)",
    ),
    (
        {"hotspots": {"window": "2 working days", "more_than_reports": 6}},
        "hotspots.window",
        '\'2 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    ({"calendar": 5}, "calendar", "must be a non-empty string, got 5"),
    # Session 11's mutants: every period counted in calendar time refuses working days, and only
    # latest_report_within may be left empty.
    (
        {"threshold.window": "20 working days"},
        "threshold.window",
        '\'20 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {"threshold.latest_report_within": "5 working days"},
        "threshold.latest_report_within",
        '\'5 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {"threshold.window": ""},
        "threshold.window",
        'not a period: \'\' (expected "N days", "N working days", "N weeks" or "N months")',
    ),
    (
        {
            "threshold.hate": {
                "enabled": True,
                "min_incidents": 1,
                "window": "10 working days",
                "requires_action_group": True,
            }
        },
        "threshold.hate.window",
        '\'10 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {
            "threshold.multiple_complainants": {
                "enabled": True,
                "min_reports": 3,
                "min_distinct_reporters": 2,
                "window": "10 working days",
            }
        },
        "threshold.multiple_complainants.window",
        '\'10 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    (
        {
            "repeat_callers": {
                "rules": [{"name": "Night Line", "channel": "x", "min_calls": 5, "window": "1 month"}]
            }
        },
        "repeat_callers.rules[0].name",
        "'Night Line' is not valid: use lower-case letters, digits and underscores",
    ),
    (
        {"appeals.grounds": [{"code": "Late", "label": "A"}]},
        "appeals.grounds[0].code",
        "'Late' is not valid: use lower-case letters, digits and underscores",
    ),
]


@pytest.mark.parametrize(("changes", "key", "problem"), EXACT_ERRORS, ids=[c[1] for c in EXACT_ERRORS])
def test_each_mistake_is_one_error_naming_the_key_with_the_problem_in_full(changes, key, problem):
    with pytest.raises(PolicyError) as raised:
        make_policy("statutory", changes)
    assert (raised.value.key, raised.value.problem) == (key, problem)
    assert str(raised.value) == f"test statutory: {key}: {problem}"


def test_an_errors_argument_is_its_whole_message_as_a_report_of_it_shows():
    """`repr`, logging and error reports show an exception by its arguments: the whole message."""
    from casereview.core.errors import InputError

    error = PolicyError("threshold.min_qualifying_complaints", "a whole number, 1 or more", source="wn.toml")
    assert error.args == ("wn.toml: threshold.min_qualifying_complaints: a whole number, 1 or more",)
    assert repr(error) == (
        "PolicyError('wn.toml: threshold.min_qualifying_complaints: a whole number, 1 or more')"
    )
    assert PolicyError("", "not valid TOML").args == ("not valid TOML",)
    assert InputError("incidents[0].ref", "required").args == ("incidents[0].ref: required",)
