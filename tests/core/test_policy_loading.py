"""A policy file is read as written: every setting, whole, into the ``Policy`` the product uses.

tests/core/test_policy.py checks the presets a field or two at a time and test_policy_errors.py
each mistake word for word; this file holds one policy that sets every key the loading knows, each
to a value no preset and no default has, and compares what is read with the whole ``Policy``. It
was written from the mutants of the loading (``_parse_*``, ``_Table``) that survived the other
tests (docs/testing.md, "Mutation testing", session 11).
"""

import tomllib
from datetime import date

import pytest

from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import PanelKind, RiskQuestion, RiskTool
from casereview.core.periods import Duration
from casereview.core.policy import (
    AppealGround,
    Appeals,
    Deadline,
    Eligibility,
    EscalationStep,
    HateRoute,
    HotspotRule,
    MultipleComplainantsRoute,
    Panel,
    Policy,
    RepeatCallerRule,
    SeniorManagerRoute,
    Threshold,
    policy_digest,
    policy_from_mapping,
    policy_from_toml,
)

from .conftest import preset_data

EVERY_SETTING = """
id = "every-setting"
name = "A policy setting every key"
version = "v7"
calendar = "england-and-wales"
extra_bank_holidays = ["2027-06-04", "2027-03-01", "2027-06-04"]
cancelled_bank_holidays = ["2027-05-03"]

[eligibility]
allow_anonymous = true
third_party_requires_consent = false
excluded_concerns = ["court_decision"]

[threshold]
min_qualifying_complaints = 2
window = "5 months"
report_within = "3 weeks"
latest_report_within = "2 weeks"
dedupe_across_agencies = false
exclude_diary_sheets = true

[threshold.hate]
enabled = true
min_incidents = 2
window = "4 months"
requires_action_group = false

[threshold.multiple_complainants]
enabled = true
min_reports = 4
min_distinct_reporters = 2
window = "7 weeks"

[threshold.senior_manager]
enabled = false

[deadlines]
victim_contact = { within = "4 working days", from = "spoc_appointed" }
acknowledge = { within = "2 days", from = "received" }

[panel]
min_relevant_bodies = 2
required_roles = ["minute_taker", "police"]
inquorate_counts_as_review = true

[[escalation.steps]]
name = "first"
more_than = "0 working days"
recipient = "spoc"
recipient_when_line_manager_is_head_of_service = "community_safety_manager"

[[escalation.steps]]
name = "second"
more_than = "6 weeks"
recipient = "head_of_service"

[appeals]
heard_by = "the panel's chair"

[[appeals.grounds]]
code = "late"
label = "The decision was late"

[[appeals.grounds]]
code = "unheard"
label = "The victim was not heard"
applies_to = ["review_outcome"]

[hotspots]
window = "3 weeks"
more_than_reports = 0

[[repeat_callers.rules]]
name = "housing_calls"
agency_kind = "housing"
min_calls = 4
window = "2 months"

[[repeat_callers.rules]]
name = "line"
channel = "asb_line"
min_calls = 3
window = "5 weeks"
min_recent_calls = 3
recent_window = "9 days"

[postcodes]
prefixes = [" nn12 ", "EC1V"]

[signpost]
name_sensitive_agencies = true

[correspondence]
welsh = "bilingual"

[interventions]
ladder = ["cpw", "cpn"]
premises_ladder = ["closure_order"]

[interventions.local_duties]
cpn = ["convicted", "occupants_informed"]

[[panel_kinds]]
code = "cuckooing"
name = "Cuckooing Panel"
name_cy = "Panel Cwcwio"
referral_criteria = ["hotspot", "risk"]
member_agency_kinds = ["police", "other"]
member_roles = ["spoc"]
meets_every = "2 weeks"
close_requires = ["risk_not_high", "reason"]
min_risk = "high"
min_asb_reports = 3
keeps_address_tracker = true
referred_from = ["hotspot"]

[panel_kinds.risk_tool]
name = "Cuckooing risk"
medium_from = 2
high_from = 4

[[panel_kinds.risk_tool.questions]]
code = "exploited"
label = "Is the tenant exploited?"
label_cy = "A yw'r tenant yn cael ei gamfanteisio?"
weight = 3

[[panel_kinds.risk_tool.questions]]
code = "visitors"
label = "Many visitors?"
label_cy = "Llawer o ymwelwyr?"
weight = 1

[[panel_kinds]]
code = "cmarac"
name = "Community MARAC"
name_cy = "MARAC Cymunedol"
member_agency_kinds = ["council"]
meets_every = "1 month"
close_requires = ["panel_agreement"]
"""

EXPECTED = Policy(
    id="every-setting",
    name="A policy setting every key",
    version="v7",
    calendar="england-and-wales",
    eligibility=Eligibility(
        allow_anonymous=True, third_party_requires_consent=False, excluded_concerns=("court_decision",)
    ),
    threshold=Threshold(
        min_qualifying_complaints=2,
        window=Duration(5, "months"),
        report_within=Duration(3, "weeks"),
        latest_report_within=Duration(2, "weeks"),
        dedupe_across_agencies=False,
        exclude_diary_sheets=True,
        hate=HateRoute(
            enabled=True, min_incidents=2, window=Duration(4, "months"), requires_action_group=False
        ),
        multiple_complainants=MultipleComplainantsRoute(
            enabled=True, min_reports=4, min_distinct_reporters=2, window=Duration(7, "weeks")
        ),
        senior_manager=SeniorManagerRoute(enabled=False),
    ),
    # Sorted, and each date once.
    extra_bank_holidays=(date(2027, 3, 1), date(2027, 6, 4)),
    cancelled_bank_holidays=(date(2027, 5, 3),),
    # In the file's order.
    deadlines=(
        Deadline(name="victim_contact", within=Duration(4, "working_days"), from_event="spoc_appointed"),
        Deadline(name="acknowledge", within=Duration(2, "days"), from_event="received"),
    ),
    panel=Panel(
        min_relevant_bodies=2, required_roles=("minute_taker", "police"), inquorate_counts_as_review=True
    ),
    escalation=(
        EscalationStep(
            name="first",
            more_than=Duration(0, "working_days"),
            recipient="spoc",
            recipient_when_line_manager_is_head_of_service="community_safety_manager",
        ),
        EscalationStep(
            name="second",
            more_than=Duration(6, "weeks"),
            recipient="head_of_service",
            recipient_when_line_manager_is_head_of_service=None,
        ),
    ),
    appeals=Appeals(
        heard_by="the panel's chair",
        grounds=(
            AppealGround(
                code="late", label="The decision was late", applies_to=("threshold_not_met", "review_outcome")
            ),
            AppealGround(code="unheard", label="The victim was not heard", applies_to=("review_outcome",)),
        ),
    ),
    hotspots=HotspotRule(window=Duration(3, "weeks"), more_than_reports=0),
    repeat_callers=(
        RepeatCallerRule(
            name="housing_calls",
            channel=None,
            agency_kind="housing",
            min_calls=4,
            window=Duration(2, "months"),
            min_recent_calls=None,
            recent_window=None,
        ),
        RepeatCallerRule(
            name="line",
            channel="asb_line",
            agency_kind=None,
            min_calls=3,
            window=Duration(5, "weeks"),
            min_recent_calls=3,
            recent_window=Duration(9, "days"),
        ),
    ),
    postcode_prefixes=("NN12", "EC1V"),
    signpost_names_sensitive_agencies=True,
    welsh_correspondence="bilingual",
    interventions_ladder=("cpw", "cpn"),
    interventions_premises_ladder=("closure_order",),
    interventions_local_duties=(("cpn", ("convicted", "occupants_informed")),),
    panel_kinds=(
        PanelKind(
            code="cuckooing",
            name="Cuckooing Panel",
            name_cy="Panel Cwcwio",
            referral_criteria=("hotspot", "risk"),
            member_agency_kinds=("police", "other"),
            member_roles=("spoc",),
            meets_every=Duration(2, "weeks"),
            close_requires=("risk_not_high", "reason"),
            risk_tool=RiskTool(
                name="Cuckooing risk",
                questions=(
                    RiskQuestion(
                        code="exploited",
                        label="Is the tenant exploited?",
                        label_cy="A yw'r tenant yn cael ei gamfanteisio?",
                        weight=3,
                    ),
                    RiskQuestion(
                        code="visitors", label="Many visitors?", label_cy="Llawer o ymwelwyr?", weight=1
                    ),
                ),
                high_from=4,
                medium_from=2,
            ),
            min_risk="high",
            min_asb_reports=3,
            keeps_address_tracker=True,
            referred_from=("hotspot",),
        ),
        PanelKind(
            code="cmarac",
            name="Community MARAC",
            name_cy="MARAC Cymunedol",
            referral_criteria=(),
            member_agency_kinds=("council",),
            member_roles=(),
            meets_every=Duration(1, "months"),
            close_requires=("panel_agreement",),
            risk_tool=None,
            min_risk="medium",
            min_asb_reports=1,
            keeps_address_tracker=False,
            referred_from=(),
        ),
    ),
)


def test_a_policy_setting_every_key_is_read_whole_as_written():
    policy = policy_from_toml(EVERY_SETTING, source="every.toml")
    assert policy == EXPECTED
    # Neither takes part in ==: where it came from, and the digest of exactly what it says.
    assert policy.source == "every.toml"
    assert policy.digest == policy_digest(tomllib.loads(EVERY_SETTING))


def test_a_policy_without_the_optional_tables_takes_their_defaults():
    """Only the required keys: no deadlines, panel, escalation, appeals, hotspots, repeat callers,
    postcodes, signposting, correspondence, interventions or panel kinds."""
    required_only = """
id = "bare"
name = "Bare"
version = "1"
calendar = "england-and-wales"

[eligibility]
allow_anonymous = false
third_party_requires_consent = true
excluded_concerns = []

[threshold]
min_qualifying_complaints = 1
window = "1 month"
report_within = "1 month"
latest_report_within = ""
dedupe_across_agencies = true
exclude_diary_sheets = false
"""
    policy = policy_from_toml(required_only)
    assert policy == Policy(
        id="bare",
        name="Bare",
        version="1",
        calendar="england-and-wales",
        eligibility=Eligibility(
            allow_anonymous=False, third_party_requires_consent=True, excluded_concerns=()
        ),
        threshold=Threshold(
            min_qualifying_complaints=1,
            window=Duration(1, "months"),
            report_within=Duration(1, "months"),
            latest_report_within=None,
            dedupe_across_agencies=True,
            exclude_diary_sheets=False,
            hate=HateRoute(enabled=False),
            multiple_complainants=MultipleComplainantsRoute(enabled=False),
            senior_manager=SeniorManagerRoute(enabled=False),
        ),
    )
    assert policy.signpost_names_sensitive_agencies is False
    assert policy.welsh_correspondence == "welsh"
    assert (policy.panel, policy.appeals, policy.hotspots) == (None, None, None)
    assert policy.source == ""


def test_a_panel_that_does_not_say_whether_an_inquorate_meeting_counts_does_not_count_it():
    """``inquorate_counts_as_review`` is optional (docs/policies.md): left out, a meeting held without
    its quorum is not a review carried out in the statistics; every preset says so explicitly, so
    only a council's own file leaves it out (session 12's mutants: the default dropped, or true)."""
    policy = policy_from_toml(EVERY_SETTING.replace("inquorate_counts_as_review = true\n", ""))
    assert policy.panel == Panel(
        min_relevant_bodies=2, required_roles=("minute_taker", "police"), inquorate_counts_as_review=False
    )


@pytest.mark.parametrize(
    ("signpost", "names"),
    [("", False), ("[signpost]\n", False), ("[signpost]\nname_sensitive_agencies = false\n", False)],
)
def test_sensitive_agencies_are_named_only_when_the_policy_says_so(signpost, names):
    policy = policy_from_toml(EVERY_SETTING.replace("[signpost]\nname_sensitive_agencies = true\n", signpost))
    assert policy.signpost_names_sensitive_agencies is names


def test_signposting_that_is_not_true_or_false_is_an_error_naming_the_key():
    with pytest.raises(PolicyError) as raised:
        policy_from_toml(
            EVERY_SETTING.replace("name_sensitive_agencies = true", 'name_sensitive_agencies = "yes"')
        )
    assert (raised.value.key, raised.value.problem) == (
        "signpost.name_sensitive_agencies",
        "must be true or false, got 'yes'",
    )


def test_a_policy_built_from_parsed_data_without_a_source_names_none():
    assert policy_from_mapping(preset_data("statutory")).source == ""
    with pytest.raises(PolicyError) as raised:
        policy_from_mapping({**preset_data("statutory"), "name": ""})
    assert str(raised.value) == "name: must be a non-empty string, got ''"


def test_parsed_data_that_is_not_a_table_is_an_error_about_the_whole_policy():
    with pytest.raises(PolicyError) as raised:
        policy_from_mapping(["id", "name"])
    assert (raised.value.key, raised.value.problem) == ("", "must be a table, got ['id', 'name']")
    assert str(raised.value) == "must be a table, got ['id', 'name']"
