"""`casereview threshold` writes its JSON without the standard library's slow indented encoder
(issue 14; `core.cli.dumps_indented`): the text must be `json.dumps(..., indent=2,
ensure_ascii=False)` character for character, for every decision and for awkward values."""

import json
from pathlib import Path

import pytest
from benchmarks.threshold import application

from casereview.core.cli import _write, dumps_indented, threshold_answer
from casereview.core.policy import load_policy

CASES = json.loads((Path(__file__).parent / "threshold_decisions.json").read_text(encoding="utf-8"))


def standard(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


#: Values the quick writer writes itself: dicts with string keys, lists and tuples, strings,
#: booleans, None and plain ints.
PLAIN = [
    {},
    [],
    {"a": [], "b": {}, "c": None, "d": True, "e": False, "f": 0, "g": -12, "h": ""},
    {"nested": [[], [{}], [1, "two", None, [True, {"x": ["y"]}]]], "tuple": ("a", "b")},
    ['quotes " and \\ back', "new\nline\ttab\x01", "Welsh: i’r cyngor, ŵ", "emoji 😀"],
    {"ключ": "значение", "": "empty key"},
    "a bare string",
    7,
    None,
    [True, False, None, 3],
]
#: Left to json.dumps: a float, a non-string key, a subclass of int; still not ASCII-escaped.
UNUSUAL = [{"ratio": 1.5}, {1: "one"}, [True, 2, 3.0], {"cymhareb y cyngor’s ŵ": 1.5}]


@pytest.mark.parametrize("value", PLAIN + UNUSUAL)
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


@pytest.mark.parametrize("value", PLAIN + [CASES[name]["decision"] for name in sorted(CASES)])
def test_a_decision_and_every_plain_value_are_written_without_falling_back_to_json_dumps(value):
    """What a decision holds is written by the quick writer itself (issue 14): a value it wrongly
    left to json.dumps would give the same text, only slower, so the other tests cannot see it."""
    parts: list[str] = []
    _write(value, "\n", parts)  # raises _Unusual where it would fall back
    assert "".join(parts) == standard(value)
