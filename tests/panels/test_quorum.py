from casereview.core.policy import load_policy
from casereview.panels.quorum import Seat, quorum_check

WNC = load_policy("west-northamptonshire").panel
ISLINGTON = load_policy("islington").panel


def full_wnc_panel(**overrides):
    seats = [
        Seat("representative", "council", user_id=1),
        Seat("representative", "police", user_id=2),
        Seat("representative", "housing", user_id=3),
        Seat("representative", "health", user_id=4),
        Seat("spoc", "council", user_id=5),
        Seat("independent_chair", "other", user_id=6),
        Seat("minute_taker", "council", user_id=7),
    ]
    return seats


def test_a_full_wnc_panel_is_quorate():
    result = quorum_check(full_wnc_panel(), panel=WNC)
    assert result.ok and result.problems == ()


def test_wnc_names_each_missing_seat():
    seats = [s for s in full_wnc_panel() if s.agency_kind != "health" and s.role != "minute_taker"]
    result = quorum_check(seats, panel=WNC)
    assert not result.ok
    text = " ".join(result.problems)
    assert "the local NHS" in text and "a minute taker" in text
    assert "police" not in text  # the police are there


def test_islington_needs_three_relevant_bodies_and_no_particular_roles():
    two = [Seat("representative", "police"), Seat("representative", "housing"), Seat("spoc", "council")]
    result = quorum_check(two, panel=ISLINGTON)
    assert len(result.problems) == 1
    assert "at least 3 relevant bodies; 2 attending" in result.problems[0]
    three = [*two, Seat("representative", "council")]
    assert quorum_check(three, panel=ISLINGTON).ok


def test_other_agencies_are_welcome_but_do_not_count():
    seats = [
        Seat("representative", "police"),
        Seat("representative", "other"),
        Seat("adviser", "health"),
        Seat("representative", "council"),
    ]
    assert "2 attending" in quorum_check(seats, panel=ISLINGTON).problems[0]


def test_after_the_meeting_only_those_who_attended_count():
    seats = [
        Seat("representative", "council", attended=True),
        Seat("representative", "police", attended=False),
        Seat("representative", "housing", attended=True),
    ]
    before = quorum_check([Seat(s.role, s.agency_kind) for s in seats], panel=ISLINGTON)
    after = quorum_check(seats, panel=ISLINGTON, after_meeting=True)
    assert before.ok
    assert not after.ok and after.after_meeting


def test_the_spoc_cannot_be_the_independent_chair():
    seats = [*full_wnc_panel(), Seat("independent_chair", "council", user_id=5)]
    result = quorum_check(seats, panel=WNC)
    assert result.problems == ("The chair is also the SPOC: the chair must be independent of the case.",)


def test_a_policy_without_a_panel_section_still_needs_three_bodies():
    assert not quorum_check([Seat("representative", "police")], panel=None).ok
