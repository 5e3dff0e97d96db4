"""Panel quorum (WNC §6 and §11; Islington seed 001)."""

from casereview.core.panels import quorum_shortfalls
from casereview.core.policy import load_policy

WNC = load_policy("west-northamptonshire").panel
ISLINGTON = load_policy("islington").panel


def test_a_full_west_northamptonshire_panel_is_quorate():
    roles = ["council", "police", "housing", "health", "spoc", "independent_chair", "minute_taker", "other"]
    assert quorum_shortfalls(WNC, roles) == ()


def test_west_northamptonshire_lists_who_is_missing():
    shortfalls = quorum_shortfalls(WNC, ["council", "police", "housing", "spoc"])
    assert shortfalls == (
        "The panel must include the local NHS (the integrated care board), an independent chair and a "
        "minute taker.",
    )


def test_islington_needs_three_relevant_bodies():
    assert quorum_shortfalls(ISLINGTON, ["council", "police", "housing"]) == ()
    (shortfall,) = quorum_shortfalls(ISLINGTON, ["council", "police", "other", "other"])
    assert "at least 3 relevant bodies; 2 attending (the council and the police)" in shortfall


def test_held_needs_an_independent_chair_and_the_victims_voice_whatever_the_policy():
    from casereview.core.panels import held_shortfalls

    bodies = ["council", "police", "housing"]
    assert held_shortfalls(ISLINGTON, [*bodies, "independent_chair"], victim_voice="spoc_presented") == ()
    assert held_shortfalls(ISLINGTON, bodies, victim_voice="attended") == (
        "The panel must include an independent chair.",
    )
    assert held_shortfalls(ISLINGTON, [*bodies, "independent_chair"], victim_voice="declined") == (
        "The victim's voice was not heard: they did not attend, no impact statement was read "
        "and the SPOC did not present their views.",
    )


def test_held_names_a_missing_chair_once_where_the_policy_requires_one():
    from casereview.core.panels import held_shortfalls

    shortfalls = held_shortfalls(
        WNC, ["council", "police", "housing", "health", "spoc", "minute_taker"], victim_voice="both"
    )
    assert len(shortfalls) == 1 and "an independent chair" in shortfalls[0]


def test_inquorate_meetings_are_not_reviews_unless_the_policy_says_so():
    assert WNC.inquorate_counts_as_review is False
    assert ISLINGTON.inquorate_counts_as_review is False
