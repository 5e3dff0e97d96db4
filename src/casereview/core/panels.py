"""Is a review panel quorate? The policy's ``[panel]`` rule applied to who attends.

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
