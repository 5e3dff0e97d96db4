"""What a sign-in through an organisation's OpenID Connect provider gives (core/provider_sign_in.py,
ADR 0042): the decision alone, without a provider. tests/accounts/test_provider_sign_in.py drives
it through a real local provider; the mutation run of 7 December 2026 found the "group overage"
pointer of Entra ID (no `groups` claim, a `_claim_names` entry instead) unguarded."""

from __future__ import annotations

from casereview.core.provider_sign_in import (
    GROUPS_OVERAGE,
    NO_MAPPED_GROUP,
    NO_SUBJECT,
    Grant,
    RoleMapping,
    decide_sign_in,
    groups_left_out,
)

MAPPINGS = [RoleMapping(partnership_id=1, role="spoc", group_id="g1", agency_id=5)]


def test_groups_sent_by_reference_are_an_overage_only_when_the_reference_is_to_the_groups():
    pointer = {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph"}}}
    assert groups_left_out({"sub": "s", **pointer}, "groups")
    assert groups_left_out({"sub": "s", "_claim_names": {"roles": "src1"}, "hasgroups": True}, "groups")
    assert not groups_left_out({"sub": "s", "_claim_names": {"roles": "src1"}}, "groups")
    assert not groups_left_out({"sub": "s", "_claim_names": ["groups"]}, "groups")  # not a mapping
    assert not groups_left_out({"sub": "s", "groups": [], **pointer}, "groups")  # the groups are there
    assert groups_left_out({"sub": "s", "_claim_names": {"memberOf": "src1"}}, "memberOf")


def test_a_person_whose_groups_were_left_out_is_told_so_not_that_no_group_is_mapped():
    pointer = {"sub": "s", "_claim_names": {"groups": "src1"}}
    assert decide_sign_in(pointer, mappings=MAPPINGS).refused == GROUPS_OVERAGE
    other = {"sub": "s", "_claim_names": {"roles": "src1"}}
    assert decide_sign_in(other, mappings=MAPPINGS).refused == NO_MAPPED_GROUP
    assert decide_sign_in({"sub": "s", "groups": "g1"}, mappings=MAPPINGS).grants == {Grant(1, 5, "spoc")}


def test_the_providers_second_factor_is_reported_whatever_the_decision():
    mfa = {"amr": "mfa"}  # one method, given as a string
    mappings = [*MAPPINGS, RoleMapping(partnership_id=2, role="analyst", email="a@x.org")]
    granted = decide_sign_in(
        {"sub": "s", "groups": ["g1"], **mfa}, mappings=mappings, accepted_second_factor={"mfa"}
    )
    assert (granted.grants, granted.second_factor_by_provider, granted.refused) == (
        {Grant(1, 5, "spoc")},
        True,
        None,
    )
    refused = decide_sign_in(
        {"sub": "s", "groups": ["g9"], **mfa}, mappings=mappings, accepted_second_factor={"mfa"}
    )
    assert (refused.grants, refused.second_factor_by_provider, refused.refused) == (
        frozenset(),
        True,
        NO_MAPPED_GROUP,
    )
    nobody = decide_sign_in({"groups": ["g1"], **mfa}, mappings=mappings, accepted_second_factor={"mfa"})
    assert (nobody.grants, nobody.second_factor_by_provider, nobody.refused) == (
        frozenset(),
        True,
        NO_SUBJECT,
    )
    assert nobody.partnership_ids == frozenset() and granted.partnership_ids == {1}
    without = decide_sign_in(
        {"sub": "s", "groups": ["g1"], "amr": ["pwd"]}, mappings=mappings, accepted_second_factor={"mfa"}
    )
    assert without.second_factor_by_provider is False


def test_an_overage_is_read_from_the_groups_claim_the_organisation_names():
    claims = {"sub": "s", "_claim_names": {"memberOf": "src1"}}
    assert decide_sign_in(claims, mappings=MAPPINGS, groups_claim="memberOf").refused == GROUPS_OVERAGE
    assert decide_sign_in(claims, mappings=MAPPINGS).refused == NO_MAPPED_GROUP
