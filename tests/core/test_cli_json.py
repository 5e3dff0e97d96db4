"""`casereview threshold` writes its JSON without the standard library's slow indented encoder
(issue 14; `core.cli.dumps_indented`): the text must be `json.dumps(..., indent=2,
ensure_ascii=False)` character for character, for every decision and for awkward values."""

import json
from pathlib import Path

import pytest
from benchmarks.threshold import application

from casereview.core.cli import dumps_indented, threshold_answer
from casereview.core.policy import load_policy

CASES = json.loads((Path(__file__).parent / "threshold_decisions.json").read_text(encoding="utf-8"))


def standard(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": None, "d": True, "e": False, "f": 0, "g": -12, "h": ""},
        {"nested": [[], [{}], [1, "two", None, [True, {"x": ["y"]}]]], "tuple": ("a", "b")},
        ['quotes " and \\ back', "new\nline\ttab\x01", "Welsh: i’r cyngor, ŵ", "emoji 😀"],
        {"ключ": "значение", "": "empty key"},
        "a bare string",
        7,
        None,
        # Left to json.dumps: a float, a non-string key, a subclass of int.
        {"ratio": 1.5},
        {1: "one"},
        [True, 2, 3.0],
    ],
)
def test_awkward_values_are_written_as_json_dumps_writes_them(value):
    assert dumps_indented(value) == standard(value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_recorded_decision_is_written_as_json_dumps_writes_it(name):
    decision = CASES[name]["decision"]
    assert dumps_indented(decision) == standard(decision)


def test_the_benchmark_application_answer_is_json_dumps_of_the_decision():
    text = threshold_answer(load_policy("west-northamptonshire"), application())
    assert text == standard(json.loads(text))
    assert json.loads(text)["qualifying_complaints"] == 171
