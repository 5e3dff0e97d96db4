"""The threshold decision (contracts.md §2–3): every route, every eligibility outcome, every edge."""

import json
from datetime import date

import pytest

from casereview.core.errors import InputError
from casereview.core.policy import load_policy
from casereview.core.threshold import Incident, Report, ThresholdInput, decide, parse_threshold_input

from .conftest import make_policy

WNC = load_policy("west-northamptonshire")
ISLINGTON = load_policy("islington")
STATUTORY = load_policy("statutory")
APPLIED = "2025-04-15"  # the 6 months ending with it run from 16 October 2024


def report(on: str, agency: str = "police", reporter: str = "victim") -> dict:
    return {"agency": agency, "reported_on": on, "reporter": reporter}


def incident(ref: str, occurred_on: str, *reports: dict, **flags: bool) -> dict:
    return {"ref": ref, "occurred_on": occurred_on, "reports": list(reports), **flags}


def application(*incidents: dict, applied: str = APPLIED, **fields) -> dict:
    return {"application_date": applied, "incidents": list(incidents), **fields}


def three_separate_incidents() -> list[dict]:
    return [
        incident("I1", "2025-01-10", report("2025-01-12")),
        incident("I2", "2025-02-10", report("2025-02-11", "council")),
        incident("I3", "2025-03-10", report("2025-03-10", "housing")),
    ]


def run(policy, data):
    return decide(policy, parse_threshold_input(data))


def finding(decision, ref):
    return next(f for f in decision.incidents if f.ref == ref)


class TestQualifyingComplaints:
    def test_three_separate_incidents_meet_the_threshold(self):
        decision = run(WNC, application(*three_separate_incidents()))
        assert (decision.outcome, decision.route, decision.qualifying_complaints) == (
            "met",
            "qualifying_complaints",
            3,
        )
        assert all(f.qualifying for f in decision.incidents)
        assert decision.discretion_available is False and decision.discretion_factors == ()

    def test_two_do_not(self):
        decision = run(WNC, application(*three_separate_incidents()[:2]))
        assert (decision.outcome, decision.route, decision.qualifying_complaints) == ("not_met", None, 2)

    def test_the_same_incident_reported_to_three_agencies_counts_once(self):
        one = incident(
            "I1",
            "2025-01-10",
            report("2025-01-12", "police"),
            report("2025-01-13", "council"),
            report("2025-01-14", "housing"),
        )
        decision = run(WNC, application(one))
        assert decision.qualifying_complaints == 1
        assert decision.outcome == "not_met"
        reasons = " ".join(finding(decision, "I1").reasons)
        assert "reported to the police on 12 January 2025" in reasons
        assert "same incident, so it is counted once" in reasons

    def test_without_dedupe_each_report_counts(self):
        policy = make_policy("statutory", {"threshold.dedupe_across_agencies": False})
        one = incident(
            "I1",
            "2025-01-10",
            report("2025-01-12", "police"),
            report("2025-01-13", "council"),
            report("2025-01-14", "housing"),
        )
        decision = run(policy, application(one))
        assert (decision.outcome, decision.qualifying_complaints) == ("met", 3)
        assert "counts as 3 qualifying complaints" in " ".join(finding(decision, "I1").reasons)

    def test_a_report_to_other_is_kept_but_never_counts(self):
        incidents = [
            *three_separate_incidents()[:2],
            incident("I3", "2025-03-10", report("2025-03-11", "other")),
        ]
        decision = run(WNC, application(*incidents))
        assert (decision.outcome, decision.qualifying_complaints) == ("not_met", 2)
        assert not finding(decision, "I3").qualifying
        assert "not one of the relevant bodies" in finding(decision, "I3").reasons[0]

    def test_health_is_a_relevant_body(self):
        incidents = [
            *three_separate_incidents()[:2],
            incident("I3", "2025-03-10", report("2025-03-11", "health")),
        ]
        assert run(WNC, application(*incidents)).qualifying_complaints == 3

    def test_an_incident_with_no_reports(self):
        decision = run(WNC, application(incident("I1", "2025-01-10")))
        assert "No report" in finding(decision, "I1").reasons[0]


class TestReportWithin:
    """The behaviour -> report lag: "N days" beginning with the day it happened."""

    @pytest.mark.parametrize(
        ("policy", "occurred", "last_day", "day_after", "by_words"),
        [
            (WNC, "2025-01-01", "2025-01-30", "2025-01-31", "30 January 2025"),  # 30 days: D+29
            (
                make_policy("statutory", {"threshold.report_within": "7 days"}),  # Horsham
                "2025-03-01",
                "2025-03-07",
                "2025-03-08",
                "7 March 2025",
            ),
            (STATUTORY, "2025-01-15", "2025-02-14", "2025-02-15", "14 February 2025"),  # 1 month
            (STATUTORY, "2025-01-31", "2025-02-28", "2025-03-01", "28 February 2025"),  # 1 month, clamped
        ],
    )
    def test_the_last_day_counts_and_the_day_after_does_not(
        self, policy, occurred, last_day, day_after, by_words
    ):
        on_time = run(policy, application(incident("I1", occurred, report(last_day))))
        assert on_time.incidents[0].qualifying
        late = run(policy, application(incident("I1", occurred, report(day_after))))
        assert not late.incidents[0].qualifying
        assert f"it needed to be made by {by_words}" in late.incidents[0].reasons[0]

    def test_a_late_report_does_not_stop_an_earlier_one_counting(self):
        decision = run(
            WNC,
            application(
                incident("I1", "2025-01-01", report("2025-01-05", "police"), report("2025-03-01", "council"))
            ),
        )
        assert decision.incidents[0].qualifying
        assert any("too late" in reason for reason in decision.incidents[0].reasons)


class TestWindow:
    def test_the_first_day_of_the_six_months_counts_and_the_day_before_does_not(self):
        inside = run(WNC, application(incident("I1", "2024-10-10", report("2024-10-16"))))
        assert inside.incidents[0].qualifying
        assert inside.window == (date(2024, 10, 16), date(2025, 4, 15))
        outside = run(WNC, application(incident("I1", "2024-10-10", report("2024-10-15"))))
        assert not outside.incidents[0].qualifying
        assert "(16 October 2024 to 15 April 2025)" in outside.incidents[0].reasons[0]

    def test_a_report_after_the_application_does_not_count(self):
        decision = run(WNC, application(incident("I1", "2025-04-14", report("2025-04-16"))))
        assert not decision.incidents[0].qualifying
        assert "after the application" in decision.incidents[0].reasons[0]

    def test_a_report_on_the_application_day_counts(self):
        assert run(WNC, application(incident("I1", "2025-04-14", report(APPLIED)))).incidents[0].qualifying


class TestLatestReportWithin:
    """Westminster, Ashfield, Bromley: the latest report within 1 month of the application."""

    POLICY = make_policy("statutory", {"threshold.latest_report_within": "1 month"})

    def test_met_when_the_latest_is_on_the_first_day_of_the_month(self):
        incidents = three_separate_incidents()
        incidents[2] = incident(
            "I3", "2025-03-14", report("2025-03-16")
        )  # 1 month ending 15 April begins 16 March
        assert run(self.POLICY, application(*incidents)).outcome == "met"

    def test_not_met_when_the_latest_is_the_day_before(self):
        incidents = three_separate_incidents()
        incidents[2] = incident("I3", "2025-03-14", report("2025-03-15"))
        decision = run(self.POLICY, application(*incidents))
        assert (decision.outcome, decision.qualifying_complaints) == ("not_met", 3)
        assert (
            "most recent qualifying complaint was made on 15 March 2025, before 16 March 2025"
            in decision.explanation
        )

    def test_islington(self):
        decision = run(ISLINGTON, application(*three_separate_incidents()))  # latest 10 March 2025
        assert decision.outcome == "not_met"


class TestOtherComplainants:
    def test_reports_by_others_are_not_the_victims_qualifying_complaints(self):
        incidents = [
            incident(f"I{n}", f"2025-0{n}-10", report(f"2025-0{n}-11", reporter="neighbour-at-no-3"))
            for n in (1, 2, 3)
        ]
        decision = run(WNC, application(*incidents))
        assert (decision.outcome, decision.qualifying_complaints) == ("not_met", 0)
        assert "another complainant" in decision.incidents[0].reasons[0]

    def test_never_names_another_complainant(self):
        incidents = [incident("I1", "2025-01-10", report("2025-01-11", reporter="Mrs Jones at no 3"))]
        text = json.dumps(run(WNC, application(*incidents)).to_dict())
        assert "Jones" not in text

    def test_the_victims_own_report_of_an_incident_others_also_reported_counts(self):
        one = incident(
            "I1", "2025-01-10", report("2025-01-11", reporter="neighbour"), report("2025-01-12", "council")
        )
        assert run(WNC, application(one)).qualifying_complaints == 1


class TestMultipleComplainants:
    """Lancashire: 5 reports in 6 months by 5 individuals; Cleveland/Merseyside: more than one person."""

    LANCASHIRE = make_policy(
        "statutory",
        {
            "threshold.multiple_complainants": {
                "enabled": True,
                "min_reports": 5,
                "min_distinct_reporters": 5,
                "window": "6 months",
            }
        },
    )
    SEVERAL = make_policy(
        "statutory",
        {
            "threshold.multiple_complainants": {
                "enabled": True,
                "min_reports": 5,
                "min_distinct_reporters": 2,
                "window": "6 months",
            }
        },
    )

    def test_five_people_meet_the_five_complainant_route(self):
        reporters = ["victim", "household-2", "household-3", "household-4", "household-5"]
        one = incident("I1", "2025-03-01", *[report("2025-03-02", reporter=who) for who in reporters])
        decision = run(self.LANCASHIRE, application(one))
        assert (decision.outcome, decision.route, decision.qualifying_complaints) == (
            "met",
            "multiple_complainants",
            1,
        )
        assert "5 reports were made by 5 different people" in decision.explanation

    def test_four_people_do_not(self):
        reporters = ["victim", "household-2", "household-3", "household-4"]
        one = incident("I1", "2025-03-01", *[report("2025-03-02", reporter=who) for who in reporters])
        two = incident("I2", "2025-03-05", report("2025-03-06", reporter="household-2"))
        decision = run(self.LANCASHIRE, application(one, two))
        assert decision.outcome == "not_met"
        assert "we counted 5 reports by 4 different people" in decision.explanation

    def test_the_victims_reports_count_towards_it(self):
        incidents = [incident(f"I{n}", f"2025-0{n}-10", report(f"2025-0{n}-11")) for n in (1, 2)]
        incidents.append(
            incident(
                "I3",
                "2025-03-10",
                report("2025-03-11", reporter="n1"),
                report("2025-03-12", reporter="n2"),
                report("2025-03-13", reporter="n3"),
            )
        )
        decision = run(self.SEVERAL, application(*incidents))
        assert (decision.route, decision.qualifying_complaints) == ("multiple_complainants", 2)

    def test_one_persons_report_of_one_incident_to_two_agencies_counts_once(self):
        incidents = [
            incident(
                "I1",
                "2025-03-10",
                report("2025-03-11", "police", "n1"),
                report("2025-03-11", "council", "n1"),
            ),
            incident(
                "I2",
                "2025-03-12",
                report("2025-03-13", "police", "n2"),
                report("2025-03-13", "council", "n2"),
            ),
            incident("I3", "2025-03-14", report("2025-03-15", "police", "n1")),
            incident("I4", "2025-03-16", report("2025-03-17", "police", "n2")),
        ]
        decision = run(self.SEVERAL, application(*incidents))
        assert decision.outcome == "not_met"
        assert "we counted 4 reports by 2 different people" in decision.explanation

    def test_reports_to_other_and_late_reports_do_not_count(self):
        reporters = ["n1", "n2", "n3", "n4"]
        one = incident(
            "I1",
            "2025-03-01",
            *[report("2025-03-02", reporter=who) for who in reporters],
            report("2025-03-02", "other", "n5"),
        )
        two = incident("I2", "2025-01-01", report("2025-03-01", reporter="n6"))  # more than a month after
        assert run(self.SEVERAL, application(one, two)).outcome == "not_met"

    def test_the_reason_says_it_counts_towards_the_route(self):
        one = incident("I1", "2025-03-01", report("2025-03-02", reporter="n1"))
        assert (
            "does count towards the route for reports by several people"
            in run(self.SEVERAL, application(one)).incidents[0].reasons[0]
        )


class TestHateIncidents:
    def test_west_northamptonshire_one_hate_incident_that_has_been_to_the_action_group(self):
        decision = run(
            WNC, application(incident("H1", "2025-03-01", report("2025-03-02"), hate=True, action_group=True))
        )
        assert (decision.outcome, decision.route) == ("met", "hate_incident")
        assert "because of the hate incident on 1 March 2025 (H1)" in decision.explanation

    def test_not_without_the_action_group(self):
        decision = run(WNC, application(incident("H1", "2025-03-01", report("2025-03-02"), hate=True)))
        assert decision.outcome == "not_met"
        assert "has not been to the Hate and ASB Action Group" in decision.incidents[0].reasons[-1]

    SHROPSHIRE = make_policy(
        "statutory",
        {
            "threshold.hate": {
                "enabled": True,
                "min_incidents": 1,
                "window": "3 months",
                "requires_action_group": False,
            }
        },
    )

    def test_shropshire_hate_incident_within_three_months(self):
        # 3 months ending with 15 April 2025 begin 16 January 2025.
        assert (
            run(
                self.SHROPSHIRE, application(incident("H1", "2025-01-16", report("2025-01-16"), hate=True))
            ).route
            == "hate_incident"
        )
        outside = run(
            self.SHROPSHIRE, application(incident("H1", "2025-01-14", report("2025-01-15"), hate=True))
        )
        assert outside.outcome == "not_met"
        assert "(16 January 2025 to 15 April 2025)" in outside.incidents[0].reasons[-1]

    def test_a_hate_incident_reported_only_by_someone_else_does_not_count(self):
        decision = run(
            self.SHROPSHIRE,
            application(incident("H1", "2025-03-01", report("2025-03-02", reporter="n1"), hate=True)),
        )
        assert decision.outcome == "not_met"

    def test_when_disabled_a_hate_incident_is_an_ordinary_incident(self):
        decision = run(
            STATUTORY,
            application(incident("H1", "2025-03-01", report("2025-03-02"), hate=True, action_group=True)),
        )
        assert (decision.outcome, decision.qualifying_complaints) == ("not_met", 1)


class TestSeniorManager:
    def test_a_senior_managers_request_meets_the_threshold(self):
        decision = run(WNC, application(senior_manager_request=True))
        assert (decision.outcome, decision.route) == ("met", "senior_manager")
        assert "senior manager" in decision.explanation

    def test_not_where_the_policy_has_no_such_route(self):
        policy = make_policy("statutory", {"threshold.senior_manager.enabled": False})
        assert run(policy, application(senior_manager_request=True)).outcome == "not_met"


class TestRouteOrder:
    def test_the_first_route_met_is_the_route(self):
        incidents = [
            *three_separate_incidents(),
            incident("H1", "2025-03-01", report("2025-03-02"), hate=True, action_group=True),
        ]
        decision = run(WNC, application(*incidents, senior_manager_request=True))
        assert decision.route == "qualifying_complaints"
        assert decision.routes_met == ("qualifying_complaints", "hate_incident", "senior_manager")

    def test_hate_before_senior_manager(self):
        hate = incident("H1", "2025-03-01", report("2025-03-02"), hate=True, action_group=True)
        assert run(WNC, application(hate, senior_manager_request=True)).route == "hate_incident"


class TestDiarySheets:
    """Ashfield: diary sheets are not qualifying complaints."""

    ASHFIELD = make_policy("statutory", {"threshold.exclude_diary_sheets": True})

    def test_excluded_where_the_policy_says(self):
        incidents = three_separate_incidents()
        incidents[2]["diary_sheet"] = True
        decision = run(self.ASHFIELD, application(*incidents))
        assert (decision.outcome, decision.qualifying_complaints) == ("not_met", 2)
        assert "diary sheet" in finding(decision, "I3").reasons[0]
        assert "Incidents recorded on diary sheets do not count." in decision.explanation

    def test_counted_elsewhere(self):
        incidents = three_separate_incidents()
        incidents[2]["diary_sheet"] = True
        assert run(STATUTORY, application(*incidents)).outcome == "met"


class TestEligibility:
    def test_anonymous_is_ineligible(self):
        decision = run(WNC, application(*three_separate_incidents(), applicant={"anonymous": True}))
        assert (decision.outcome, decision.route) == ("ineligible", None)
        assert "anonymous" in decision.ineligible_reasons[0]
        assert decision.discretion_available is False

    def test_anonymous_allowed_where_the_policy_says(self):
        policy = make_policy("statutory", {"eligibility.allow_anonymous": True})
        assert (
            run(policy, application(*three_separate_incidents(), applicant={"anonymous": True})).outcome
            == "met"
        )

    def test_third_party_with_consent_unknown_awaits_consent(self):
        applicant = {"on_behalf_of_victim": True, "victim_consent": None}
        decision = run(WNC, application(*three_separate_incidents(), applicant=applicant))
        assert (decision.outcome, decision.route, decision.ineligible_reasons) == (
            "awaiting_consent",
            None,
            (),
        )
        assert "consent" in decision.explanation
        assert decision.qualifying_complaints == 3  # assessed, so an officer can see where it stands

    def test_third_party_with_consent_refused_is_ineligible(self):
        applicant = {"on_behalf_of_victim": True, "victim_consent": False}
        decision = run(WNC, application(*three_separate_incidents(), applicant=applicant))
        assert decision.outcome == "ineligible"
        assert "not given their consent" in decision.ineligible_reasons[0]

    def test_third_party_with_consent_is_decided(self):
        applicant = {"on_behalf_of_victim": True, "victim_consent": True}
        assert run(WNC, application(*three_separate_incidents(), applicant=applicant)).outcome == "met"

    def test_consent_not_needed_where_the_policy_says(self):
        policy = make_policy("statutory", {"eligibility.third_party_requires_consent": False})
        applicant = {"on_behalf_of_victim": True, "victim_consent": None}
        assert run(policy, application(*three_separate_incidents(), applicant=applicant)).outcome == "met"

    def test_each_excluded_concern_has_a_reason(self):
        decision = run(
            WNC,
            application(
                *three_separate_incidents(),
                concerns=["cps_decision", "court_decision", "service_provision_only"],
            ),
        )
        assert decision.outcome == "ineligible"
        assert len(decision.ineligible_reasons) == 3
        assert "Crown Prosecution Service" in decision.ineligible_reasons[0]
        assert "court" in decision.ineligible_reasons[1]
        assert "complaints procedure" in decision.ineligible_reasons[2]

    def test_a_concern_the_policy_does_not_exclude_is_no_bar(self):
        policy = make_policy("statutory", {"eligibility.excluded_concerns": ["cps_decision"]})
        assert (
            run(policy, application(*three_separate_incidents(), concerns=["court_decision"])).outcome
            == "met"
        )

    def test_ineligible_wins_over_awaiting_consent(self):
        applicant = {"anonymous": True, "on_behalf_of_victim": True, "victim_consent": None}
        assert run(WNC, application(applicant=applicant)).outcome == "ineligible"


class TestDecisionJson:
    def test_the_contract_shape(self):
        result = run(WNC, application(*three_separate_incidents()[:2])).to_dict()
        assert list(result) == [
            "policy",
            "outcome",
            "route",
            "qualifying_complaints",
            "incidents",
            "ineligible_reasons",
            "discretion",
            "explanation",
        ]
        assert result["policy"] == {"id": "west-northamptonshire", "version": "2024-09-16"}
        assert result["discretion"] == {
            "available": True,
            "factors": ["persistence", "harm_or_potential_harm", "adequacy_of_response"],
        }
        assert list(result["incidents"][0]) == ["ref", "qualifying", "reasons"]
        json.dumps(result)  # serialisable as it stands

    def test_the_explanation_can_be_quoted_in_a_letter(self):
        incidents = [
            *three_separate_incidents()[:2],
            incident("I3", "2025-03-01", report("2025-04-01", "council")),
        ]
        explanation = run(WNC, application(*incidents)).explanation
        assert explanation.startswith("The application made on 15 April 2025 does not meet the threshold")
        assert "at least 3 qualifying complaints" in explanation
        assert "within 30 days of it happening" in explanation
        assert "(16 October 2024 to 15 April 2025)" in explanation
        assert (
            "We counted 2 qualifying complaints, from the incident on 10 January 2025 (I1) and the "
            "incident on 10 February 2025 (I2)." in explanation
        )
        assert "The incident on 1 March 2025 (I3) did not count." in explanation
        assert "it needed to be made by 30 March 2025" in explanation
        assert "may still decide to carry out a review" in explanation
        assert "2025-" not in explanation  # dates are written for people

    def test_the_ineligible_explanation_gives_the_reasons(self):
        decision = run(WNC, application(concerns=["court_decision"]))
        assert decision.ineligible_reasons[0] in decision.explanation


class TestBadInput:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                application(
                    incident("I1", "2025-01-10", report("2025-01-12")),
                    incident("I2", "2025-01-10", report("2025-13-01")),
                ),
                "incidents[1].reports[0].reported_on: not a date (YYYY-MM-DD): '2025-13-01'",
            ),
            ({"incidents": []}, "application_date: missing"),
            ({"application_date": APPLIED}, "incidents: missing"),
            (application(applied="15/04/2025"), "application_date: not a date (YYYY-MM-DD): '15/04/2025'"),
            (application(applied="20250415"), "application_date: not a date (YYYY-MM-DD): '20250415'"),
            (application({"ref": "I1", "reports": []}), "incidents[0].occurred_on: missing"),
            (
                application(incident("I1", "2025-01-10", {"reported_on": "2025-01-11"})),
                "incidents[0].reports[0].agency: missing",
            ),
            (
                application(incident("I1", "2025-01-10", report("2025-01-11", "fire_service"))),
                "incidents[0].reports[0].agency: unknown agency kind 'fire_service' "
                "(expected one of: council, police, housing, health, other)",
            ),
            (
                application(incident("I1", "2025-01-10", report("2025-01-09"))),
                "incidents[0].reports[0].reported_on: 2025-01-09 is before the incident happened "
                "(occurred_on 2025-01-10)",
            ),
            (
                application(incident("I1", "2025-01-10", diary_shet=True)),
                "incidents[0].diary_shet: unknown field (did you mean 'diary_sheet'?)",
            ),
            (
                application(incident("I1", "2025-01-10", hate="yes")),
                "incidents[0].hate: expected true or false, got 'yes'",
            ),
            (
                application(incident("I1", "2025-01-10"), incident("I1", "2025-01-11")),
                "incidents[1].ref: 'I1' is already used by incidents[0]",
            ),
            (
                application(applicant={"victim_consent": "yes"}),
                "applicant.victim_consent: expected true, false or null, got 'yes'",
            ),
            (application(concerns=["parking"]), "concerns[0]: unknown concern 'parking'"),
            (
                application(incident("I1", "2025-01-10", report("2025-01-11", reporter=""))),
                "incidents[0].reports[0].reporter: expected a non-empty string",
            ),
            ([], "expected an object, got a list"),
            (application("I1"), "incidents[0]: expected an object, got a string"),
        ],
    )
    def test_names_the_field(self, data, message):
        with pytest.raises(InputError) as raised:
            parse_threshold_input(data)
        assert str(raised.value).startswith(message)

    def test_defaults_for_flags_left_out(self):
        facts = parse_threshold_input(
            {"application_date": APPLIED, "incidents": [incident("I1", "2025-01-10")]}
        )
        assert facts.applicant.victim_consent is None and not facts.applicant.anonymous
        assert facts.incidents[0].hate is False and facts.concerns == ()

    def test_decide_checks_dataclasses_built_directly(self):
        facts = ThresholdInput(
            application_date=date(2025, 4, 15),
            incidents=(Incident("I1", date(2025, 1, 10), (Report("police", date(2025, 1, 9)),)),),
        )
        with pytest.raises(InputError, match=r"incidents\[0\]\.reports\[0\]\.reported_on"):
            decide(WNC, facts)
