"""Every mistake in a threshold decision's input is one error naming the field, word for word.

tests/core/test_threshold.py (TestBadInput) checks the beginning of each kind of message; here
`threshold_input_errors.json` holds a wrong input for every field and every kind of wrong value
(JSON's own types each named: a number, null, true or false, an object, a list), and the whole
error it must give — through both readers: the one-pass reader's fallback finds and names each.
"""

import json
from pathlib import Path

import pytest

from casereview.core.errors import InputError
from casereview.core.threshold import parse_threshold_input

CASES = json.loads((Path(__file__).parent / "threshold_input_errors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{case['field'] or 'top'}" for i, case in enumerate(CASES)])
def test_a_wrong_input_is_one_error_naming_the_field_word_for_word(case):
    with pytest.raises(InputError) as raised:
        parse_threshold_input(case["input"])
    assert (raised.value.field, raised.value.problem) == (case["field"], case["problem"])
    expected = f"{case['field']}: {case['problem']}" if case["field"] else case["problem"]
    assert str(raised.value) == expected
