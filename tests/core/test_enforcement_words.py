"""Every enforcement reason in words, word for word (core/enforcement_reasons.py, ADR 0057):
each code, each kind of step, agency and local duty, both closure-notice authorities, the rule's
source with and without its date in force, in English and through gettext in Welsh
(tests/core/enforcement_words.json). test_enforcement.py renders a few refusals; the mutation run
of 7 December 2026 found most sentences reached by no test of the core.

A deliberate change of the words changes this file: regenerate it and read the difference before
committing it —

    .venv/bin/python tests/core/test_enforcement_words.py > tests/core/enforcement_words.json
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casereview.core.enforcement import AGENCY_KINDS, STEP_KINDS
from casereview.core.enforcement_reasons import ENFORCEMENT_CODES, render
from casereview.core.reasons import Words

EXPECTED_FILE = Path(__file__).with_name("enforcement_words.json")
# Welsh as the pages render it, each translated string marked so that a sentence or a word that
# does not go through gettext shows (the dates are Welsh).
WELSH_MARKED = Words(
    gettext=lambda text: "«" + text + "»",
    ngettext=lambda one, many, n: "«" + (one if n == 1 else many) + "»",
    language="cy",
)
RULE = {
    "_rule": "cpn.age",
    "_source": "Anti-social Behaviour, Crime and Policing Act 2014, s.43(1)",
    "_in_force_from": "2014-10-20",
    "_next_step": "",
}
NO_DATE = {"_rule": "local.duty", "_source": "The partnership's local policy", "_next_step": ""}
DUTIES = (
    "occupants_informed",
    "appropriate_consulted",
    "yot_consulted",
    "youth_services_engaged",
    "vulnerability_risk_assessment",
    "convicted",
    "a_duty_the_policy_names",  # not one of ours: written as the policy names it
)


def reasons() -> list[list]:
    """One reason of each code, with every value a sentence chooses words for."""
    cases: list[tuple[str, dict]] = []
    cases += [("power_not_in_force", {**RULE, "kind": kind, "on": "2026-03-02"}) for kind in STEP_KINDS]
    cases += [
        (
            "agency_may_not",
            {
                **RULE,
                "kind": "cpn",
                "agency_kind": agency,
                "allowed": [a for a in AGENCY_KINDS if a != agency],
            },
        )
        for agency in AGENCY_KINDS
    ]
    cases += [
        ("premises_only", {**RULE, "kind": "closure_notice"}),
        ("person_only", {**RULE, "kind": "cbo"}),
        ("not_an_area_power", {**RULE, "kind": "fpn"}),
        ("cpw_needs_time", {**RULE, "on": "2026-03-02"}),
        ("cpn_needs_warning", dict(RULE)),
        ("cpw_without_time", {**RULE, "warned_on": "2026-01-05"}),
        (
            "cpn_too_soon",
            {**RULE, "warned_on": "2026-01-05", "comply_by": "2026-02-01", "earliest": "2026-02-02"},
        ),
        ("age_unknown", dict(RULE)),
        ("too_young", {**RULE, "kind": "cpn", "minimum": 16, "age": 15}),
        ("cpn_youth_services", {**RULE, "age": 14}),
        ("fpn_needs_breached_cpn", dict(RULE)),
        ("injunction_replaced", dict(RULE)),
        ("youth_injunction_adult", {**RULE, "age": 19}),
        ("yot_not_consulted", {**RULE, "kind": "civil_injunction", "age": 17}),
        ("respect_order_adults_only", {**RULE, "age": 17}),
        ("respect_order_needs_assessment", dict(RULE)),
        ("cbo_needs_conviction", dict(RULE)),
        ("closure_occupants_not_informed", dict(RULE)),
        ("closure_not_consulted", dict(RULE)),
        ("closure_needs_inspector", dict(RULE)),
        ("closure_duration_missing", dict(RULE)),
        ("closure_over_48", {**RULE, "hours": 49}),
        ("closure_over_24_needs_senior", {**RULE, "hours": 36, "senior": "police_superintendent"}),
        ("closure_over_24_needs_senior", {**RULE, "hours": 30, "senior": "council_chief_executive"}),
        ("closure_order_needs_notice", dict(RULE)),
        ("dispersal_duration_missing", dict(RULE)),
        ("dispersal_too_long", {**RULE, "hours": 50, "limit": 48}),
    ]
    cases += [("local_duty_missing", {**NO_DATE, "duty": duty, "kind": "closure_notice"}) for duty in DUTIES]
    cases += [
        ("hearing_due_soon", {"deadline_text": "Wednesday 4 March 2026 at 14:00", "hours": 48}),
        ("hearing_overdue", {"deadline_text": "Wednesday 4 March 2026 at 14:00"}),
        ("appeal_out_of_time", {"appealed_on": "2026-04-02", "last_day": "2026-03-31"}),
    ]
    return [[code, params] for code, params in cases]


def rendered(reason: list) -> dict:
    return {"reason": reason, "en": render(reason), "cy_marked": render(reason, WELSH_MARKED)}


EXPECTED = [] if __name__ == "__main__" else json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


def test_the_cases_are_every_code_and_the_recorded_ones():
    assert {code for code, _ in reasons()} == set(ENFORCEMENT_CODES)
    assert [row["reason"] for row in EXPECTED] == json.loads(json.dumps(reasons()))


@pytest.mark.parametrize("row", EXPECTED, ids=lambda row: row["reason"][0])
def test_each_reason_is_word_for_word_as_recorded(row):
    assert rendered(row["reason"]) == row


def test_an_unknown_code_is_an_error_naming_it():
    with pytest.raises(ValueError) as raised:
        render(("cpn_too_late", {}))
    assert str(raised.value) == "unknown enforcement reason code 'cpn_too_late'"


if __name__ == "__main__":
    print("[\n" + ",\n".join(json.dumps(rendered(r), ensure_ascii=False) for r in reasons()) + "\n]")
