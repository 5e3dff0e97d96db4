"""The review's section of the case (on the case's summary, ADR 0093) reads its facts in one
statement of values (`review_section_summary`); they must be what the review record's own rows
say (`review_summary`, which the review page reads), at every step of the review."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.reviews import services
from casereview.reviews.models import LawfulBasis
from casereview.reviews.selectors import review_section_summary, review_summary
from tests.reviews.helpers import in_review_application


def _from_the_rows(user, application) -> dict:
    """The section's facts as the review record's rows give them (the section before session 13)."""
    full = review_summary(user=user, application=application)
    contact = full["contacts"][0] if full["contacts"] else None
    return {
        "contacted_on": contact.contacted_on if contact else None,
        "efforts": None if contact else full["efforts"],
        "risk": {"level": full["risk"].get_level_display(), "on": full["risk"].assessed_on}
        if full["risk"]
        else None,
        "requests": len(full["requests"]),
        "answered": sum(1 for r in full["requests"] if not r.is_open),
    }


@pytest.mark.django_db
def test_the_review_section_reads_what_the_review_record_says_at_every_step(demo):
    application = in_review_application(demo)
    spoc, manager = demo.user("wn-spoc"), demo.user("wn-csm")
    police, housing = (demo.agency("west-northamptonshire", kind) for kind in ("police", "housing"))

    def check():
        for user in (spoc, manager):
            facts = review_section_summary(user=user, application=application)
            assert facts.pop("full") is True
            assert facts == _from_the_rows(user, application)

    check()  # nothing recorded yet
    for method, day, outcome in [
        ("phone", 25, "no_answer"),
        ("phone", 26, "no_answer"),
        ("email", 27, "no_reply"),
    ]:
        services.contact_attempt_record(
            application=application,
            method=method,
            attempted_on=dt.date(2025, 4, day),
            outcome=outcome,
            actor=spoc,
        )
    check()  # reasonable efforts made
    services.contact_attempt_record(
        application=application,
        method="visit",
        attempted_on=dt.date(2025, 4, 28),
        outcome="reached",
        actor=spoc,
    )
    check()  # reached, no contact form yet
    answers = dict.fromkeys(services.risk.QUESTION_CODES, False)
    services.risk_assessment_record(
        application=application, answers=answers, assessed_on=dt.date(2025, 4, 28), actor=spoc
    )
    services.risk_assessment_record(
        application=application,
        answers=answers | {"self_harm": True},
        assessed_on=dt.date(2025, 4, 29),
        actor=spoc,
    )
    check()  # the latest of two assessments
    requests = services.information_requests_send(
        application=application, agencies=[police, housing], requested_on=dt.date(2025, 5, 1), actor=spoc
    )
    check()  # two asked, none answered
    police_request = next(r for r in requests if r.agency_id == police.pk)
    services.information_request_respond(
        request=police_request,
        actor=demo.user("wn-police"),
        reports_received="Three calls.",
        actions_taken="Words of advice given.",
        current_involvement="Neighbourhood team aware.",
        lawful_basis=LawfulBasis.CDA_1998_S115,
        responded_on=dt.date(2025, 5, 20),
    )
    check()  # one of two answered
    for day in (2, 6):
        services.victim_contact_record(
            application=application,
            contacted_on=dt.date(2025, 5, day),
            method="phone",
            incidents_in_own_words="Music until 3am most nights.",
            desired_outcome="To be able to sleep.",
            voice_preference="impact_statement",
            actor=spoc,
        )
    check()  # the latest of two contacts
    assert review_section_summary(user=manager, application=application)["contacted_on"] == dt.date(
        2025, 5, 6
    )
    assert review_section_summary(user=manager, application=application)["answered"] == 1
    # An agency officer sees their own agency's requests, as a table, as before.
    officer = review_section_summary(user=demo.user("wn-police"), application=application)
    assert officer == {"full": False, "requests": [police_request]}
