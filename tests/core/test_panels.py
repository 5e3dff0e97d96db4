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
