"""A policy's panel kinds and their risk tools (``[[panel_kinds]]``): each read as written, each
mistake one error naming its key with the whole problem, as a council reads it.

tests/core/test_panel_kinds.py checks Islington's panels and a word or two of a few errors; these
were written from the mutants of ``_parse_panel_kinds`` and ``_parse_risk_tool`` that survived it
(docs/testing.md, "Mutation testing").
"""

import pytest

from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import PanelKind, RiskQuestion, RiskTool
from casereview.core.periods import Duration

from .conftest import make_policy


def kind(**changes) -> dict:
    """A panel kind with its required keys only, as a policy file would hold it."""
    data = {
        "code": "cmarac",
        "name": "Community MARAC",
        "name_cy": "MARAC Cymunedol",
        "member_agency_kinds": ["council", "police"],
        "meets_every": "1 month",
        "close_requires": ["reason"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def tool(*weights: int, **changes) -> dict:
    """A risk tool with one question per weight (``q1``, ``q2``, …)."""
    data = {
        "name": "Risk matrix",
        "medium_from": 1,
        "high_from": sum(weights),
        "questions": [
            {"code": f"q{n}", "label": f"Question {n}?", "label_cy": f"Cwestiwn {n}?", "weight": weight}
            for n, weight in enumerate(weights, start=1)
        ],
    }
    data.update(changes)
    return data


def panel_kinds(*kinds: dict):
    return make_policy("statutory", {"panel_kinds": list(kinds)}).panel_kinds


def test_a_panel_kind_with_only_its_required_keys_takes_the_defaults():
    assert panel_kinds(kind()) == (
        PanelKind(
            code="cmarac",
            name="Community MARAC",
            name_cy="MARAC Cymunedol",
            referral_criteria=(),
            member_agency_kinds=("council", "police"),
            member_roles=(),
            meets_every=Duration(1, "months"),
            close_requires=("reason",),
            risk_tool=None,
            min_risk="medium",
            min_asb_reports=1,
            keeps_address_tracker=False,
            referred_from=(),
        ),
    )
    assert make_policy("statutory").panel_kinds == ()


def test_a_panel_kind_and_its_risk_tool_are_read_as_written():
    written = kind(
        code="street-users-2",
        referral_criteria=["risk", "asb", "hotspot"],
        member_roles=["panel_chair", "spoc"],
        meets_every="2 weeks",
        close_requires=["reason", "panel_agreement", "risk_not_high"],
        min_risk="high",
        min_asb_reports=3,
        keeps_address_tracker=True,
        referred_from=["hotspot", "repeat_caller_triage"],
        risk_tool=tool(3, 2, medium_from=2, high_from=4),
    )
    (read,) = panel_kinds(written, kind(code="other"))[:1]
    assert read == PanelKind(
        code="street-users-2",
        name="Community MARAC",
        name_cy="MARAC Cymunedol",
        referral_criteria=("risk", "asb", "hotspot"),
        member_agency_kinds=("council", "police"),
        member_roles=("panel_chair", "spoc"),
        meets_every=Duration(2, "weeks"),
        close_requires=("reason", "panel_agreement", "risk_not_high"),
        risk_tool=RiskTool(
            name="Risk matrix",
            questions=(
                RiskQuestion(code="q1", label="Question 1?", label_cy="Cwestiwn 1?", weight=3),
                RiskQuestion(code="q2", label="Question 2?", label_cy="Cwestiwn 2?", weight=2),
            ),
            high_from=4,
            medium_from=2,
        ),
        min_risk="high",
        min_asb_reports=3,
        keeps_address_tracker=True,
        referred_from=("hotspot", "repeat_caller_triage"),
    )
    assert read.risk_tool.assess({"q1": True, "q2": True}).level == "high"


def test_weights_that_add_up_to_two_are_enough_to_tell_the_levels_apart():
    (read,) = panel_kinds(kind(risk_tool=tool(1, 1, medium_from=1, high_from=2)))
    assert [
        read.risk_tool.assess(answers).level for answers in ({}, {"q1": True}, {"q1": True, "q2": True})
    ] == [
        "low",
        "medium",
        "high",
    ]


#: (the panel kinds, the key named, the whole problem).
EXACT_ERRORS = [
    (
        [kind(code="CMARAC")],
        "panel_kinds[0].code",
        "'CMARAC' is not valid: use lower-case letters, digits and hyphens, e.g. 'cmarac' (or 'case_review')",
    ),
    (
        [kind(), kind(code="cmarac", name="Another")],
        "panel_kinds[1].code",
        "'cmarac' is used by an earlier panel kind; codes must differ",
    ),
    (
        [kind(member_agency_kinds=[])],
        "panel_kinds[0].member_agency_kinds",
        "must name at least one kind of agency",
    ),
    (
        [kind(member_agency_kinds=["council", "fire"])],
        "panel_kinds[0].member_agency_kinds[1]",
        "unknown value 'fire' (expected one of: council, police, housing, health, other)",
    ),
    (
        [kind(referral_criteria=["vulnerability", "risk"])],
        "panel_kinds[0].risk_tool",
        "required when 'risk' is a referral criterion: the panel must say how risk is scored",
    ),
    (
        [kind(keeps_address_tracker=True), kind(code="cuckooing", keeps_address_tracker=True)],
        "panel_kinds[1].keeps_address_tracker",
        "only one panel kind may keep the address tracker",
    ),
    (
        [kind(keeps_address_tracker="yes")],
        "panel_kinds[0].keeps_address_tracker",
        "must be true or false, got 'yes'",
    ),
    (
        [kind(min_risk="severe")],
        "panel_kinds[0].min_risk",
        "unknown value 'severe' (expected one of: low, medium, high)",
    ),
    ([kind(min_asb_reports=0)], "panel_kinds[0].min_asb_reports", "must be a whole number 1 or more, got 0"),
    (
        [kind(meets_every="10 working days")],
        "panel_kinds[0].meets_every",
        '\'10 working days\': only "N days", "N weeks", "N months" may be used here',
    ),
    ([kind(name_cy=None)], "panel_kinds[0].name_cy", "required but missing"),
    ([kind(close_requires=None)], "panel_kinds[0].close_requires", "required but missing"),
    (
        [kind(member_roles=["mayor"])],
        "panel_kinds[0].member_roles[0]",
        "unknown value 'mayor' (expected one of: community_safety_manager, panel_chair, agency_officer, "
        "spoc)",
    ),
    (
        [kind(referred_from=["walk_in"])],
        "panel_kinds[0].referred_from[0]",
        "unknown value 'walk_in' (expected one of: repeat_caller_triage, hotspot, review_accepted)",
    ),
    (
        [kind(referral_criteria=["danger"])],
        "panel_kinds[0].referral_criteria[0]",
        "unknown value 'danger' (expected one of: vulnerability, risk, asb, hotspot)",
    ),
    (
        [kind(colour="blue")],
        "panel_kinds[0].colour",
        "unknown key (expected one of: "
        "code, name, name_cy, referral_criteria, member_agency_kinds, member_roles, meets_every, "
        "close_requires, min_risk, min_asb_reports, keeps_address_tracker, referred_from, risk_tool)",
    ),
    # The case review panel declared by the policy (ADR 0088): the key of the rule it breaks.
    (
        [kind(code="case_review", referral_criteria=["vulnerability"], referred_from=["review_accepted"])],
        "panel_kinds[0].referral_criteria",
        "the case review panel takes no referrals: its reviews arrive when the threshold is met or the "
        'review is accepted (referral_criteria = [], referred_from = ["review_accepted"])',
    ),
    (
        [kind(code="case_review")],
        "panel_kinds[0].referred_from",
        "the case review panel takes no referrals: its reviews arrive when the threshold is met or the "
        'review is accepted (referral_criteria = [], referred_from = ["review_accepted"])',
    ),
    (
        [kind(referred_from=["hotspot", "review_accepted"])],
        "panel_kinds[0].referred_from",
        "only the case review panel ('case_review') takes accepted reviews",
    ),
    # The risk tool.
    (
        [kind(risk_tool=tool(2, questions=[]))],
        "panel_kinds[0].risk_tool.questions",
        "must list at least one question",
    ),
    (
        [kind(risk_tool=tool(1, high_from=1))],
        "panel_kinds[0].risk_tool.questions",
        "the weights must add up to 2 or more, to tell low, medium and high apart",
    ),
    (
        [
            kind(
                risk_tool=tool(
                    2,
                    questions=[
                        {"code": "Harm", "label": "Harm?", "label_cy": "Niwed?", "weight": 2},
                    ],
                )
            )
        ],
        "panel_kinds[0].risk_tool.questions[0].code",
        "'Harm' is not valid: use lower-case letters, digits and underscores",
    ),
    (
        [
            kind(
                risk_tool=tool(
                    2,
                    questions=[
                        {"code": "harm", "label": "Harm?", "label_cy": "Niwed?", "weight": 1},
                        {"code": "harm", "label": "Harm again?", "label_cy": "Niwed eto?", "weight": 1},
                    ],
                )
            )
        ],
        "panel_kinds[0].risk_tool.questions[1].code",
        "'harm' is used by an earlier question; codes must differ",
    ),
    (
        [kind(risk_tool=tool(2, 0))],
        "panel_kinds[0].risk_tool.questions[1].weight",
        "must be a whole number 1 or more, got 0",
    ),
    (
        [kind(risk_tool=tool(3, 2, medium_from=5))],
        "panel_kinds[0].risk_tool.medium_from",
        "must be a whole number from 1 to 4 (the questions' weights add up to 5), got 5",
    ),
    (
        [kind(risk_tool=tool(3, 2, medium_from=0))],
        "panel_kinds[0].risk_tool.medium_from",
        "must be a whole number from 1 to 4 (the questions' weights add up to 5), got 0",
    ),
    (
        [kind(risk_tool=tool(3, 2, medium_from=2, high_from=2))],
        "panel_kinds[0].risk_tool.high_from",
        "must be a whole number from 3 to 5 (more than medium_from; the weights add up to 5), got 2",
    ),
    (
        [kind(risk_tool=tool(3, 2, medium_from=2, high_from=6))],
        "panel_kinds[0].risk_tool.high_from",
        "must be a whole number from 3 to 5 (more than medium_from; the weights add up to 5), got 6",
    ),
    (
        [kind(risk_tool=tool(2, name=""))],
        "panel_kinds[0].risk_tool.name",
        "must be a non-empty string, got ''",
    ),
    (
        [
            kind(
                risk_tool=tool(2, questions=[{"code": "harm", "label": "Harm?", "label_cy": "", "weight": 2}])
            )
        ],
        "panel_kinds[0].risk_tool.questions[0].label_cy",
        "must be a non-empty string, got ''",
    ),
    ([kind(risk_tool="a matrix")], "panel_kinds[0].risk_tool", "must be a table, got 'a matrix'"),
]


@pytest.mark.parametrize(
    ("kinds", "key", "problem"), EXACT_ERRORS, ids=[e[1] + " " + e[2][:30] for e in EXACT_ERRORS]
)
def test_each_mistake_in_a_panel_kind_is_one_error_naming_the_key_with_the_whole_problem(kinds, key, problem):
    with pytest.raises(PolicyError) as raised:
        panel_kinds(*kinds)
    assert (raised.value.key, raised.value.problem) == (key, problem)
    assert str(raised.value) == f"test statutory: {key}: {problem}"


def test_the_panel_kinds_must_be_an_array_of_tables():
    with pytest.raises(PolicyError) as raised:
        make_policy("statutory", {"panel_kinds": "cmarac"})
    assert (raised.value.key, raised.value.problem) == ("panel_kinds", "must be a list, got 'cmarac'")
