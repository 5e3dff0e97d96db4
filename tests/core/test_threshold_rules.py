"""Threshold rules the mutants showed untested (docs/testing.md, "Mutation testing")."""

from datetime import date
from types import MappingProxyType

import pytest

from casereview.core.errors import InputError
from casereview.core.policy import load_policy
from casereview.core.threshold import (
    Applicant,
    Incident,
    Report,
    ThresholdInput,
    decide,
    parse_threshold_input,
)

from .conftest import make_policy

WNC = load_policy("west-northamptonshire")  # hate route: one incident, to the Hate and ASB Action Group


def decision(policy, *incidents, applied="2025-04-15"):
    return decide(policy, parse_threshold_input({"application_date": applied, "incidents": list(incidents)}))


def test_an_ordinary_incident_at_the_action_group_is_not_a_hate_incident():
    ordinary = {
        "ref": "I1",
        "occurred_on": "2025-03-01",
        "action_group": True,
        "reports": [{"agency": "police", "reported_on": "2025-03-02"}],
    }
    result = decision(WNC, ordinary)
    assert (result.outcome, result.routes_met) == ("not_met", ())
    assert decision(WNC, {**ordinary, "hate": True}).routes_met == ("hate_incident",)


def test_a_report_that_does_not_count_for_several_complainants_leaves_the_incidents_later_ones_counting():
    policy = make_policy(
        "statutory",
        {
            "threshold.multiple_complainants": {
                "enabled": True,
                "min_reports": 2,
                "min_distinct_reporters": 2,
                "window": "6 months",
            }
        },
    )
    incident = {
        "ref": "I1",
        "occurred_on": "2025-03-01",
        "reports": [
            {"agency": "other", "reported_on": "2025-03-02", "reporter": "neighbour at 3"},
            {"agency": "police", "reported_on": "2025-03-03", "reporter": "neighbour at 5"},
            {"agency": "council", "reported_on": "2025-03-04", "reporter": "neighbour at 7"},
        ],
    }
    result = decision(policy, incident)
    assert (result.outcome, result.routes_met) == ("met", ("multiple_complainants",))


def test_facts_built_by_hand_with_an_unknown_agency_are_refused_naming_the_report():
    facts = ThresholdInput(
        application_date=date(2025, 4, 15),
        incidents=(
            Incident(ref="I1", occurred_on=date(2025, 3, 1), reports=(Report("police", date(2025, 3, 2)),)),
            Incident(ref="I2", occurred_on=date(2025, 3, 1), reports=(Report("fire", date(2025, 3, 2)),)),
        ),
    )
    with pytest.raises(InputError) as raised:
        decide(WNC, facts)
    assert (raised.value.field, raised.value.problem) == (
        "incidents[1].reports[0].agency",
        "unknown agency kind 'fire'",
    )
    assert str(raised.value) == "incidents[1].reports[0].agency: unknown agency kind 'fire'"


def test_an_application_given_as_any_mapping_is_read_as_the_same_application():
    # A caller may hand over a read-only mapping rather than the dict json.loads gives: every field
    # given is read as it is from the dict, none left at its default.
    data = {
        "application_date": "2025-04-15",
        "applicant": {"anonymous": True, "on_behalf_of_victim": True, "victim_consent": False},
        "concerns": ["cps_decision", "court_decision"],
        "senior_manager_request": True,
        "incidents": [
            {
                "ref": "I1",
                "occurred_on": "2025-03-01",
                "hate": True,
                "diary_sheet": True,
                "action_group": True,
                "reports": [{"agency": "police", "reported_on": "2025-03-02", "reporter": "neighbour"}],
            }
        ],
    }
    read = parse_threshold_input(MappingProxyType(data))
    assert read == parse_threshold_input(data)
    assert read == ThresholdInput(
        application_date=date(2025, 4, 15),
        applicant=Applicant(anonymous=True, on_behalf_of_victim=True, victim_consent=False),
        concerns=("cps_decision", "court_decision"),
        senior_manager_request=True,
        incidents=(
            Incident(
                ref="I1",
                occurred_on=date(2025, 3, 1),
                reports=(Report("police", date(2025, 3, 2), "neighbour"),),
                hate=True,
                diary_sheet=True,
                action_group=True,
            ),
        ),
    )


@pytest.mark.parametrize("others", [[], [{"agency": "housing", "reported_on": "2025-03-04"}]])
def test_an_incident_counts_from_its_earliest_qualifying_report_whatever_order_they_are_listed_in(others):
    """The reason names the first report made, not the first one listed (session 12's mutants:
    the earliest chosen only when there were more than two, or never)."""
    incident = {
        "ref": "I1",
        "occurred_on": "2025-03-01",
        "reports": [
            {"agency": "council", "reported_on": "2025-03-06"},
            *others,
            {"agency": "police", "reported_on": "2025-03-02"},
        ],
    }
    reasons = decision(WNC, incident).incidents[0].reasons
    assert reasons[0].startswith(
        "This counts as a qualifying complaint: it was reported to the police on 2 March 2025,"
    )
    assert reasons[1].startswith("It was also reported to the council on 6 March 2025")
