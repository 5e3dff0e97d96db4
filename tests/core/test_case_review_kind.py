"""The ASB Case Review panel as a panel kind (ADR 0088): core supplies it when the policy declares
none; a policy may declare its own, which takes no referral and arrives by `review_accepted`
only; no other kind may take that route."""

from __future__ import annotations

from importlib.resources import files

import pytest

from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import CASE_REVIEW, CASE_REVIEW_KIND
from casereview.core.policy import load_policy, policy_from_toml

ISLINGTON_TEXT = files("casereview.core.presets").joinpath("islington.toml").read_text("utf-8")

OWN = """
[[panel_kinds]]
code = "case_review"
name = "ASB Case Review panel (Islington)"
name_cy = "Panel yr Adolygiad Achos (Islington)"
referral_criteria = []
member_agency_kinds = ["council", "police"]
member_roles = ["community_safety_manager"]
meets_every = "2 weeks"
close_requires = ["reason"]
referred_from = ["review_accepted"]
"""


@pytest.mark.parametrize("preset", ["statutory", "islington", "west-northamptonshire"])
def test_every_shipped_preset_has_the_case_review_panel_from_core(preset):
    policy = load_policy(preset)
    assert policy.panel_kind(CASE_REVIEW) is CASE_REVIEW_KIND is policy.case_review_panel
    # Every panel that meets: the declared kinds in the policy's order, then core's case review panel.
    assert policy.standing_panel_kinds == (*policy.panel_kinds, CASE_REVIEW_KIND)
    assert CASE_REVIEW_KIND not in policy.panel_kinds  # the referral pages' list is the declared one
    assert CASE_REVIEW_KIND.referral_criteria == () and CASE_REVIEW_KIND.referred_from == ("review_accepted",)
    assert CASE_REVIEW_KIND.name_cy


def test_a_policy_may_declare_its_own_case_review_panel():
    policy = policy_from_toml(ISLINGTON_TEXT + OWN)
    own = policy.case_review_panel
    assert (own.name, own.meets_every.amount, own.meets_every.unit) == (
        "ASB Case Review panel (Islington)",
        2,
        "weeks",
    )
    assert [k.code for k in policy.standing_panel_kinds].count(CASE_REVIEW) == 1
    assert policy.standing_panel_kinds == policy.panel_kinds  # the declared one, not core's as well


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("referral_criteria = []", 'referral_criteria = ["vulnerability"]', "takes no referrals"),
        ('referred_from = ["review_accepted"]', "referred_from = []", "takes no referrals"),
    ],
)
def test_a_declared_case_review_panel_takes_no_referrals(old, new, message):
    with pytest.raises(PolicyError, match=message):
        policy_from_toml(ISLINGTON_TEXT + OWN.replace(old, new))


def test_only_the_case_review_panel_takes_accepted_reviews():
    text = ISLINGTON_TEXT.replace(
        'referred_from = ["hotspot"]', 'referred_from = ["hotspot", "review_accepted"]'
    )
    assert text != ISLINGTON_TEXT
    with pytest.raises(PolicyError, match="only the case review panel"):
        policy_from_toml(text)
