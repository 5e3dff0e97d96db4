"""Every sentence of the threshold decision, word for word, in the situations that use each.

The explanation and the reasons are quoted in the letter to the applicant (seed 004 §12: a
decision must say why), so their wording is part of the decision. tests/core/test_threshold.py
checks each rule with the phrases that matter; here `threshold_decisions.json` holds, for one
application per kind of sentence (every reason a report does not count, each route met or not,
every eligibility outcome), the whole decision as `casereview threshold` prints it, and the routes
met. A change to any of it must be made here too, on purpose (mutation testing, docs/testing.md).
"""

import copy
import json
from pathlib import Path

import pytest

from casereview.core.threshold import decide, parse_threshold_input

from .conftest import make_policy

CASES = json.loads((Path(__file__).parent / "threshold_decisions.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(CASES))
def test_the_decision_word_for_word(name):
    case = copy.deepcopy(CASES[name])
    decision = decide(make_policy(case["policy"], case["changes"]), parse_threshold_input(case["input"]))
    expected = case["decision"]
    assert list(decision.routes_met) == expected.pop("routes_met")
    assert decision.to_dict() == expected
