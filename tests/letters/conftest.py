"""Fixtures for the letters tests: real cases built through the services, files under a temporary
MEDIA_ROOT, and a threshold decision made by the real engine (as the staff workspace records it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.applications.models import AllegedPerpetrator, ThresholdDecision
from tests.factories import make_application


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The demo fixture hashes two dozen passwords per test; the strong hasher is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def engine_input(application) -> dict:
    """contracts §3's input, from the recorded application and its incidents."""
    return {
        "application_date": application.received_on.isoformat(),
        "applicant": {
            "anonymous": application.anonymous,
            "on_behalf_of_victim": application.applicant_id is not None,
            "victim_consent": application.victim_consent,
        },
        "concerns": list(application.concerns),
        "senior_manager_request": application.senior_manager_request,
        "incidents": [
            {
                "ref": incident.ref,
                "occurred_on": incident.occurred_on.isoformat(),
                "hate": incident.hate,
                "diary_sheet": incident.diary_sheet,
                "action_group": incident.action_group,
                "reports": [
                    {
                        "agency": r.agency_kind,
                        "reported_on": r.reported_on.isoformat(),
                        "reporter": r.reporter,
                    }
                    for r in incident.reports.all()
                ],
            }
            for incident in application.incidents.all()
        ],
    }


def record_decision(application, actor, *, decision: str, reasons: str = "", discretionary: bool = False):
    """Run the real threshold engine and record the decision (what the staff workspace does)."""
    from casereview.core.threshold import decide, parse_threshold_input

    result = decide(
        application.partnership.policy, parse_threshold_input(engine_input(application))
    ).to_dict()
    return ThresholdDecision.objects.create(
        application=application,
        policy_id=result["policy"]["id"],
        policy_version=result["policy"]["version"],
        engine_outcome=result["outcome"],
        engine_route=result["route"] or "",
        qualifying_complaints=result["qualifying_complaints"],
        engine_result=result,
        decision=decision,
        discretionary=discretionary,
        reasons=reasons,
        explanation=result["explanation"],
        decided_by=actor,
        decided_at=timezone.now(),
        decided_on=application.received_on + dt.timedelta(days=10),
    )


@pytest.fixture
def wn(demo):
    return demo.partnership("west-northamptonshire")


@pytest.fixture
def csm(demo):
    return demo.user("wn-csm")


@pytest.fixture
def case(wn, csm):
    """A West Northamptonshire application with three incidents, one reported too late (not met)."""
    return make_application(
        wn,
        actor=csm,
        incidents=[
            (dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12)),
            (dt.date(2025, 2, 2), "council", dt.date(2025, 2, 3)),
            (dt.date(2025, 3, 1), "housing", dt.date(2025, 4, 10)),  # 40 days later: too late
        ],
    )


@pytest.fixture
def perpetrator(case):
    return AllegedPerpetrator.objects.create(
        application=case,
        name="Darren Kirkbride",
        address="Flat 3,\n27 Acacia Avenue\nNorthampton\nNN1 4XY",
        date_of_birth=dt.date(1985, 3, 12),
    )
