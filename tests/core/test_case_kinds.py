"""The kinds of case and their status tables (core.case_kinds, ADR 0048)."""

from __future__ import annotations

import pytest

from casereview.core.case_kinds import REVIEW_KIND, CaseKindTable, panel_case_kind, table_problems


def _tiny(**overrides) -> CaseKindTable:
    values = {
        "kind": "tiny",
        "label": "Tiny",
        "statuses": {"open": "Open", "closed": "Closed"},
        "open_statuses": frozenset({"open"}),
        "transitions": {"open": frozenset({"closed"})},
        "initial_status": "open",
    }
    values.update(overrides)
    return CaseKindTable(**values)


def test_the_review_table_is_sound_and_starts_received():
    assert table_problems(REVIEW_KIND) == []
    assert REVIEW_KIND.initial_status == "received"
    assert REVIEW_KIND.is_open("panel_held") and not REVIEW_KIND.is_open("closed")
    # Withdrawn is final; closed may come back into review (a further review).
    assert REVIEW_KIND.allowed_after("withdrawn") == frozenset()
    assert REVIEW_KIND.allowed_after("closed") == frozenset({"in_review"})


def test_the_review_table_keeps_the_statuses_the_model_offers():
    # The model's Status choices and the table's words are the same list (the table is the source).
    from casereview.applications.models import ALLOWED_TRANSITIONS, OPEN_STATUSES, Status

    assert dict(Status.choices) == dict(REVIEW_KIND.statuses)
    assert REVIEW_KIND.open_statuses == OPEN_STATUSES
    assert dict(REVIEW_KIND.transitions) == ALLOWED_TRANSITIONS


def test_every_open_status_can_still_move_and_every_status_is_reachable():
    reachable = {REVIEW_KIND.initial_status}
    frontier = [REVIEW_KIND.initial_status]
    while frontier:
        for following in REVIEW_KIND.allowed_after(frontier.pop()):
            if following not in reachable:
                reachable.add(following)
                frontier.append(following)
    assert reachable == set(REVIEW_KIND.statuses)
    assert all(REVIEW_KIND.allowed_after(status) for status in REVIEW_KIND.open_statuses)


def test_a_refusal_is_a_reason_code_naming_the_allowed_moves():
    assert REVIEW_KIND.transition_refusal("received", "acknowledged") is None
    code, params = REVIEW_KIND.transition_refusal("received", "closed")
    assert code == "transition_not_allowed"
    assert params == {
        "from": "received",
        "to": "closed",
        "allowed": ["acknowledged", "awaiting_consent", "withdrawn"],
    }
    assert REVIEW_KIND.transition_refusal("closed", "closed") == ("already_in_status", {"status": "closed"})
    assert REVIEW_KIND.transition_refusal("received", "mended")[0] == "unknown_status"
    assert REVIEW_KIND.transition_refusal("withdrawn", "received")[1]["allowed"] == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"initial_status": "new"}, "initial status 'new'"),
        ({"open_statuses": frozenset({"open", "pending"})}, "open status 'pending'"),
        ({"transitions": {"open": frozenset({"archived"})}}, "to unknown status 'archived'"),
        ({"transitions": {"draft": frozenset({"open"})}}, "from unknown status 'draft'"),
    ],
)
def test_an_unsound_table_is_refused_when_it_is_written(overrides, problem):
    with pytest.raises(ValueError, match=problem):
        _tiny(**overrides)


def test_a_table_with_a_final_status_and_no_entry_for_it():
    tiny = _tiny()
    assert tiny.allowed_after("closed") == frozenset()
    assert tiny.label_of("closed") == "Closed" and tiny.label_of("odd") == "odd"


def test_each_refusal_reads_as_a_sentence_naming_what_to_do():
    words = REVIEW_KIND.refusal_words
    assert words(REVIEW_KIND.transition_refusal("received", "closed")) == (
        "A case that is “Received” cannot become “Closed”. "
        "From there it may become “Acknowledged”, “Awaiting the victim's consent”, “Withdrawn”."
    )
    assert words(REVIEW_KIND.transition_refusal("withdrawn", "received")).endswith(
        "It is final: nothing may follow it."
    )
    assert "someone else has just done this" in words(REVIEW_KIND.transition_refusal("closed", "closed"))
    assert words(REVIEW_KIND.transition_refusal("closed", "mended")) == (
        "“mended” is not a status of this kind of case (ASB Case Review)."
    )


def test_the_refusals_are_given_whole_as_codes_and_as_sentences():
    """Each refusal's whole reason code (what a caller may store or render) and the whole sentence
    for a case already in the status asked for."""
    assert REVIEW_KIND.transition_refusal("closed", "mended") == (
        "unknown_status",
        {"kind": REVIEW_KIND.kind, "status": "mended", "known": list(REVIEW_KIND.statuses)},
    )
    assert REVIEW_KIND.refusal_words(REVIEW_KIND.transition_refusal("closed", "closed")) == (
        "The case is already “Closed”: someone else has just done this. "
        "Go back to the case to see its timeline."
    )


def test_a_table_without_a_kind_name_is_refused_naming_every_problem():
    with pytest.raises(ValueError, match=r"^Case kind '': no kind name$"):
        _tiny(kind="")
    with pytest.raises(ValueError) as refused:
        _tiny(kind="", initial_status="gone")
    assert str(refused.value) == (
        "Case kind '': no kind name; initial status 'gone' is not one of its statuses"
    )


def test_a_standing_panels_case_kind_is_its_table_whole_named_by_the_panels_code():
    table = panel_case_kind("panel:cmarac")
    assert table == CaseKindTable(
        kind="panel:cmarac",
        label="Standing panel case (cmarac)",
        statuses={
            "referred": "Referred: not yet heard",
            "open": "Open: the action plan is reviewed at each meeting",
            "closed": "Closed",
        },
        open_statuses=frozenset({"referred", "open"}),
        transitions={
            "referred": frozenset({"open", "closed"}),
            "open": frozenset({"closed"}),
            "closed": frozenset({"open"}),
        },
        initial_status="referred",
        description="A referral to one of the partnership's standing multi-agency panels.",
    )
    assert list(table.statuses) == ["referred", "open", "closed"]  # the order a person reads them


@pytest.mark.parametrize("kind", ["panel:", "review", "cmarac", "Panel:cmarac", "panels:cmarac", ""])
def test_a_kind_that_is_not_panel_and_a_code_is_not_a_standing_panels_case_kind(kind):
    with pytest.raises(ValueError) as raised:
        panel_case_kind(kind)
    assert str(raised.value) == f"{kind!r} is not a panel case kind (panel:<code>)"
