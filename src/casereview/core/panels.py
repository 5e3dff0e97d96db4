"""Is a review panel quorate? The policy's ``[panel]`` rule applied to who attends.

Two checks. ``quorum_shortfalls`` is the local policy's membership rule, used before the meeting
(who is invited) and after it (who came). ``held_shortfalls`` is what a meeting must have had to be
recorded as an ASB Case Review held: the policy's rule *and*, whatever the policy says, an
independent chair and the victim's voice — the statutory guidance's review is independent of the
agencies being reviewed and hears the victim. A meeting short of any of these can still be
recorded, but only with the chair's reason, and it is then "inquorate" everywhere it is shown.

WNC §6: "must include a representative(s) from at least 3 of the agencies" (the relevant bodies);
§11: "As a minimum, the panel must include" the council, the police, a social housing provider, the
CCG and the SPOC, with "an independent chair and minute taker". Islington (seed 001): "a
representative from at least 3 of the key partners".
"""

from __future__ import annotations

from collections.abc import Iterable

from casereview.core.dates import join_words
from casereview.core.policy import Panel
from casereview.core.vocabulary import RELEVANT_BODIES

ROLE_WORDS = {
    "council": "the council",
    "police": "the police",
    "housing": "a social housing provider",
    "health": "the local NHS (the integrated care board)",
    "spoc": "the single point of contact (SPOC)",
    "independent_chair": "an independent chair",
    "minute_taker": "a minute taker",
}


def quorum_shortfalls(panel: Panel, present_roles: Iterable[str]) -> tuple[str, ...]:
    """What the panel lacks, one plain-English sentence each; empty when it is quorate.

    ``present_roles`` holds the role of each attendee (vocabulary.PANEL_ROLES; anything else, such
    as a fire service or mental-health representative, is welcome but counts towards nothing).
    """
    present = set(present_roles)
    shortfalls = []
    bodies = [body for body in RELEVANT_BODIES if body in present]
    if len(bodies) < panel.min_relevant_bodies:
        attending = join_words(ROLE_WORDS[b] for b in bodies) if bodies else "none"
        shortfalls.append(
            f"The panel needs representatives of at least {panel.min_relevant_bodies} relevant bodies; "
            f"{len(bodies)} attending ({attending})."
        )
    missing = [role for role in panel.required_roles if role not in present]
    if missing:
        shortfalls.append(f"The panel must include {join_words(ROLE_WORDS[r] for r in missing)}.")
    return tuple(shortfalls)


# How the victim's voice may be heard (panels.models.VictimVoice) that count as hearing it. A victim
# who chose not to take part was offered the chance, but the panel still did not hear them.
VICTIM_HEARD = frozenset({"attended", "impact_statement", "both", "spoc_presented"})


def held_shortfalls(panel: Panel, present_roles: Iterable[str], *, victim_voice: str) -> tuple[str, ...]:
    """What a meeting that has been held lacked, one sentence each; empty when it was quorate.

    The policy's own rule (``quorum_shortfalls``), then the two things every review needs whatever
    the policy: an independent chair present, and the victim's voice heard (``victim_voice`` is how
    it was, a VictimVoice value).
    """
    present = set(present_roles)
    shortfalls = list(quorum_shortfalls(panel, present))
    if "independent_chair" not in present and "independent_chair" not in panel.required_roles:
        shortfalls.append("The panel must include an independent chair.")
    if victim_voice not in VICTIM_HEARD:
        shortfalls.append(
            "The victim's voice was not heard: they did not attend, no impact statement was read "
            "and the SPOC did not present their views."
        )
    return tuple(shortfalls)
