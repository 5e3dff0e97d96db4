"""Every standing panel's reason in words, word for word (core/reasons.py, PANEL_REASON_CODES):
each code, each kind of vulnerability, each risk level, a person, a household and an address, one
report and several, in English and through gettext in Welsh (tests/core/panel_words.json); and
`period_words`, a policy's period as a letter quotes it. test_panel_kinds.py renders the reasons
a referral or a closing gives; the mutation run of 7 December 2026 found the sentences of the
other branches reached by no test of the core.

A deliberate change of the words changes this file: regenerate it and read the difference before
committing it —

    .venv/bin/python tests/core/test_panel_words.py > tests/core/panel_words.json
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casereview.core.reasons import ENGLISH, PANEL_REASON_CODES, Words, period_words, render

EXPECTED_FILE = Path(__file__).with_name("panel_words.json")
# Welsh as the pages render it, each translated string marked so that a sentence or a word that
# does not go through gettext shows (the dates are Welsh).
WELSH_MARKED = Words(
    gettext=lambda text: "«" + text + "»",
    ngettext=lambda one, many, n: "«" + (one if n == 1 else many) + "»",
    language="cy",
)
FACTORS = (
    "mental_health",
    "physical_health_or_disability",
    "learning_disability",
    "age",
    "substance_use",
    "social_isolation",
    "financial_exploitation",
    "other",
)
HOTSPOT = {"location": "Holloway Road", "first": "2026-01-05", "last": "2026-03-02", "more_than": 8}


def reasons() -> list[list]:
    """One reason of each code, with every value and branch a sentence chooses words for."""
    cases: list[tuple[str, dict]] = []
    cases += [("referral_vulnerability_met", {"panel": "cmarac", "factors": [f]}) for f in FACTORS]
    cases += [
        ("referral_vulnerability_met", {"panel": "cmarac", "factors": ["age", "social_isolation"]}),
        ("referral_vulnerability_met", {"panel": "cmarac", "factors": ["age"], "subject": "household"}),
        ("referral_vulnerability_met", {"panel": "cmarac", "factors": ["age"], "subject": "address"}),
    ]
    cases += [
        ("referral_vulnerability_not_met", {"panel": "cmarac", **subject})
        for subject in ({}, {"subject": "person"}, {"subject": "household"}, {"subject": "address"})
    ]
    cases += [
        ("referral_risk_met", {"level": "high", "min_level": "medium"}),
        ("referral_risk_met", {"level": "medium", "min_level": "medium"}),
        ("referral_risk_not_met", {"level": "low", "min_level": "medium"}),
        ("referral_risk_not_met", {"level": None, "min_level": "high"}),
        ("referral_asb_met", {"reports": 3, "min_reports": 1}),
        ("referral_asb_met", {"reports": 1, "min_reports": 1}),
        ("referral_asb_not_met", {"reports": 1, "min_reports": 2}),
        ("referral_asb_not_met", {"reports": 0, "min_reports": 1}),
        ("referral_hotspot_met", {**HOTSPOT, "reports": 9, "subject": "address"}),
        ("referral_hotspot_not_met", {"subject": "person"}),
        ("referral_hotspot_not_met", {"subject": "household"}),
        ("referral_hotspot_not_met", {"subject": "address"}),
        ("referral_hotspot_not_met", {**HOTSPOT, "reports": 1, "subject": "address"}),
        ("referral_criteria_met", {}),
        ("referral_criteria_not_met", {"unmet": ["risk"]}),
        ("referral_criteria_not_met", {"unmet": ["risk", "asb", "vulnerability"]}),
    ]
    cases += [
        (
            "risk_scored",
            {
                "tool": "Community MARAC risk matrix",
                "score": score,
                "level": level,
                "high_from": 8,
                "medium_from": 4,
            },
        )
        for score, level in ((9, "high"), (4, "medium"), (0, "low"))
    ]
    cases += [
        (
            "risk_factor",
            {"question": "no_support", "label": "No support?", "label_cy": "Dim cymorth?", "weight": 1},
        ),
        ("close_needs_reason", {}),
        ("close_needs_panel_agreement", {}),
        ("close_risk_still_high", {}),
        ("close_allowed", {}),
    ]
    return [[code, params] for code, params in cases]


def rendered(reason: list) -> dict:
    return {"reason": reason, "en": render(reason), "cy_marked": render(reason, WELSH_MARKED)}


EXPECTED = [] if __name__ == "__main__" else json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


def test_the_cases_are_every_code_and_the_recorded_ones():
    assert {code for code, _ in reasons()} == set(PANEL_REASON_CODES)
    assert [row["reason"] for row in EXPECTED] == json.loads(json.dumps(reasons()))


@pytest.mark.parametrize("row", EXPECTED, ids=lambda row: row["reason"][0])
def test_each_reason_is_word_for_word_as_recorded(row):
    assert rendered(row["reason"]) == row


@pytest.mark.parametrize(
    ("period", "english", "welsh_marked"),
    [
        ("1 day", "1 day", "«%(count)s day»"),
        ("30 days", "30 days", "«%(count)s days»"),
        ("10 working days", "10 working days", "«%(count)s working days»"),
        ("1 working day", "1 working day", "«%(count)s working day»"),
        ("1 week", "1 week", "«%(count)s week»"),
        ("2 weeks", "2 weeks", "«%(count)s weeks»"),
        # An escalation step may be "more than 0 days" (policy.py allows zero there).
        ("0 days", "0 days", "«%(count)s days»"),
        ("6 months", "6 months", "«%(count)s months»"),
    ],
)
def test_a_policys_period_in_words(period, english, welsh_marked):
    assert period_words(ENGLISH, period) == english
    assert period_words(WELSH_MARKED, period) == welsh_marked % {"count": period.split()[0]}


if __name__ == "__main__":
    print("[\n" + ",\n".join(json.dumps(rendered(r), ensure_ascii=False) for r in reasons()) + "\n]")
