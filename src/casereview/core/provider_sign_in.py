"""What a sign-in through an organisation's OpenID Connect provider gives (issue 18, ADR 0042).

Pure: the verified ID token's claims and the organisation's mappings in, a decision out — the
roles granted (per partnership, with the agency worked for there), whether the provider already
asked for a second factor, or a refusal as a reason code. No Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Reason codes for a refusal.
NO_MAPPED_GROUP = "no_mapped_group"  # none of the person's groups (nor their address) is mapped
GROUPS_OVERAGE = "groups_overage"  # the provider left the groups out (Entra ID: too many groups)
NO_SUBJECT = "no_subject"  # the token names nobody


@dataclass(frozen=True)
class RoleMapping:
    """Members of `group_id` (or the holder of `email`) hold `role` in `partnership_id`, working
    for `agency_id` there."""

    partnership_id: int
    role: str
    group_id: str = ""
    email: str = ""
    agency_id: int | None = None


@dataclass(frozen=True)
class Grant:
    partnership_id: int
    agency_id: int | None
    role: str


@dataclass(frozen=True)
class SignInDecision:
    grants: frozenset[Grant]
    second_factor_by_provider: bool
    refused: str | None = None

    @property
    def partnership_ids(self) -> frozenset[int]:
        return frozenset(g.partnership_id for g in self.grants)


def groups_left_out(claims: Mapping, groups_claim: str) -> bool:
    """Entra ID's "group overage": past its limit (200 groups in a JWT, 150 in SAML, 6 in the
    implicit flow) it sends no `groups` claim but a pointer to Microsoft Graph instead
    (`_claim_names: {"groups": "src1"}` with `_claim_sources`, or `hasgroups: true`)."""
    if groups_claim in claims:
        return False
    names = claims.get("_claim_names")
    return bool((isinstance(names, Mapping) and groups_claim in names) or claims.get("hasgroups"))


def second_factor_done(claims: Mapping, accepted: Iterable[str]) -> bool:
    """True only when the token's `amr` (a list of methods) or `acr` (one value) holds one of the
    values the organisation accepts as "a second factor was used" (e.g. `mfa`)."""
    accepted = frozenset(accepted)
    if not accepted:
        return False
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    used = {str(value) for value in amr}
    if claims.get("acr"):
        used.add(str(claims["acr"]))
    return bool(used & accepted)


def decide_sign_in(
    claims: Mapping,
    *,
    mappings: Iterable[RoleMapping],
    groups_claim: str = "groups",
    accepted_second_factor: Iterable[str] = (),
) -> SignInDecision:
    """The roles this person holds, from their groups (by ID) and, where the provider sends no
    groups, their address (only when the provider does not say it is unverified)."""
    mfa = second_factor_done(claims, accepted_second_factor)
    if not claims.get("sub"):
        return SignInDecision(frozenset(), mfa, NO_SUBJECT)
    groups = claims.get(groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    groups = {str(g) for g in groups}
    email = str(claims.get("email") or "").strip().lower()
    email_trusted = bool(email) and claims.get("email_verified") is not False
    grants = frozenset(
        Grant(m.partnership_id, m.agency_id, m.role)
        for m in mappings
        if (m.group_id and m.group_id in groups) or (m.email and email_trusted and m.email.lower() == email)
    )
    if not grants:
        reason = GROUPS_OVERAGE if groups_left_out(claims, groups_claim) else NO_MAPPED_GROUP
        return SignInDecision(frozenset(), mfa, reason)
    return SignInDecision(grants, mfa)
