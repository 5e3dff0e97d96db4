"""Threshold rules the mutants showed untested (docs/testing.md, "Mutation testing")."""

from casereview.core.policy import load_policy
from casereview.core.threshold import decide, parse_threshold_input

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
