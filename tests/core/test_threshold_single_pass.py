"""The threshold input is read in one pass (issue 14): the quick reader and the field-by-field
reader agree on every input — the same facts for valid input, the same named error otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casereview.core.errors import InputError
from casereview.core.policy import load_policy
from casereview.core.threshold import _parse_checked, _parse_plain, decide, parse_threshold_input

dates = st.sampled_from(
    ["2025-01-10", "2025-01-12", "2025-04-15", "2024-12-31", "2025-02-30", "10/01/2025", 7]
)
flags = st.sampled_from([True, False, None, "yes"])
report = st.fixed_dictionaries(
    {"agency": st.sampled_from(["police", "council", "other", "fire", 3]), "reported_on": dates},
    optional={"reporter": st.sampled_from(["victim", "neighbour", "", 1]), "reportr": st.just("x")},
)
incident = st.fixed_dictionaries(
    {
        "ref": st.sampled_from(["I1", "I2", "I3", "", 5]),
        "occurred_on": dates,
        "reports": st.lists(report, max_size=3),
    },
    optional={"hate": flags, "diary_sheet": flags, "action_group": flags},
)
application = st.fixed_dictionaries(
    {"application_date": dates, "incidents": st.lists(incident, max_size=4)},
    optional={
        "applicant": st.fixed_dictionaries(
            {}, optional={"anonymous": flags, "on_behalf_of_victim": flags, "victim_consent": flags}
        ),
        "concerns": st.lists(st.sampled_from(["cps_decision", "court_decision", "nonsense"]), max_size=2),
        "senior_manager_request": flags,
    },
)


def _read(reader, data):
    try:
        return reader(data)
    except InputError as error:
        return ("error", str(error))


@settings(max_examples=400, deadline=None)
@given(data=application)
def test_the_one_pass_reader_and_the_field_by_field_reader_agree(data):
    checked = _read(_parse_checked, data)
    assert _read(parse_threshold_input, data) == checked
    if not isinstance(checked, tuple):  # valid input: the quick reader read it, in one pass
        assert _parse_plain(data) == checked and _parse_plain(data).checked


def test_decide_still_checks_facts_built_by_hand():
    from datetime import date

    from casereview.core.threshold import Incident, Report, ThresholdInput

    facts = ThresholdInput(
        application_date=date(2025, 4, 15),
        incidents=(
            Incident(ref="I1", occurred_on=date(2025, 3, 2), reports=(Report("police", date(2025, 3, 1)),)),
        ),
    )
    with pytest.raises(InputError, match=r"incidents\[0\].reports\[0\].reported_on"):
        decide(load_policy("west-northamptonshire"), facts)


def _valid(**changes):
    data = {
        "application_date": "2025-04-15",
        "applicant": {"anonymous": False, "on_behalf_of_victim": True, "victim_consent": True},
        "concerns": ["cps_decision", "court_decision"],
        "senior_manager_request": True,
        "incidents": [
            {
                "ref": "I1",
                "occurred_on": "2025-03-02",
                "hate": True,
                "diary_sheet": True,
                "action_group": True,
                "reports": [
                    {"agency": "police", "reported_on": "2025-03-02"},
                    {"agency": "other", "reported_on": "2025-03-09", "reporter": "neighbour"},
                ],
            },
            {"ref": "I2", "occurred_on": "2025-03-02", "reports": []},
        ],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        _valid(),
        _valid(applicant={"on_behalf_of_victim": True, "victim_consent": False}),
        _valid(applicant={"victim_consent": None}),
        _valid(applicant={}, concerns=["service_provision_only"]),
        _valid(concerns=[]),
        {"application_date": "2025-04-15", "incidents": []},
    ],
    ids=["every-field", "consent-refused", "consent-null", "one-concern", "no-concerns", "bare"],
)
def test_valid_input_with_every_optional_field_is_read_by_the_one_pass_reader_itself(data):
    """Valid input is never left to the field-by-field reader (issue 14): a one-pass reader that
    gave up on it would decide the same, only slower, so the generated examples alone (which are
    rarely valid with every field given) cannot be relied on to see it."""
    facts = _parse_plain(data)  # raises _NotPlain where it would give up
    assert facts == _parse_checked(data) and facts.checked
    # and the public reader takes it from the one-pass reader: read once, not checked again
    read = parse_threshold_input(data)
    assert read == facts and read.checked
