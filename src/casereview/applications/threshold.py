"""The bridge from the case's records to the core's threshold decision (contracts §3).

``threshold_input_build`` turns an application and its incidents into the contract's input JSON,
exactly what ``casereview threshold`` reads, so a decision can be re-run outside the web app;
``threshold_evaluate`` runs the core on it and returns the contract's output dict. Reads only.
"""

from __future__ import annotations

from .models import Application


def threshold_input_build(*, application: Application) -> dict:
    incidents = application.incidents.prefetch_related("reports").order_by("occurred_on", "id")
    return {
        "application_date": application.received_on.isoformat(),
        "applicant": {
            "anonymous": bool(application.anonymous),
            "on_behalf_of_victim": application.is_third_party,
            "victim_consent": application.victim_consent if application.is_third_party else None,
        },
        "concerns": list(application.concerns or []),
        "senior_manager_request": bool(application.senior_manager_request),
        "incidents": [
            {
                "ref": incident.ref,
                "occurred_on": incident.occurred_on.isoformat(),
                "hate": incident.hate,
                "diary_sheet": incident.diary_sheet,
                "action_group": incident.action_group,
                "reports": [
                    {
                        "agency": report.agency_kind,
                        "reported_on": report.reported_on.isoformat(),
                        "reporter": report.reporter or "victim",
                    }
                    for report in incident.reports.all()
                ],
            }
            for incident in incidents
        ],
    }


def threshold_compute(*, application: Application):
    """The core's ``Decision`` for the case as recorded now, under the partnership's policy today:
    ``to_dict()`` is contracts §3's output, ``codes_dict()`` the reasons as codes (what a recorded
    decision stores beside it)."""
    from casereview.core.threshold import decide, parse_threshold_input

    facts = parse_threshold_input(threshold_input_build(application=application))
    return decide(application.partnership.policy, facts)


def threshold_evaluate(*, application: Application) -> dict:
    """The engine's result for the case as recorded now (contracts §3 output)."""
    return threshold_compute(application=application).to_dict()
