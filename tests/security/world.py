"""Records for the security tests to aim at: a case furnished with one of every record a URL can
name, made through the services as staff would (tests/security/test_access_matrix.py and
test_selector_guards.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import User
from casereview.actions.models import ActionKind
from casereview.actions.services import action_create
from casereview.appeals.selectors import grounds_for
from casereview.appeals.services import appeal_lodge
from casereview.applications.services import (
    DecisionChoice,
    PerpetratorData,
    application_acknowledge,
    application_decide,
    perpetrator_save,
)
from casereview.letters.services import letter_issue
from casereview.notifications import services as notifications
from casereview.panels import services as panels
from casereview.panels.models import Recommendation
from casereview.portal import services as portal
from casereview.privacy import services as privacy
from casereview.repeats.services import flag_set
from casereview.reviews import services as reviews
from tests.factories import make_application


def _staff(partnership, suffix: str) -> User:
    return User.objects.get(username=f"{partnership.reference_prefix.lower()}-{suffix}")


def furnish(application) -> None:
    """One of every record a URL can name, on this case, made through the services by the council's
    own staff (so no other agency becomes party to the case): the alleged perpetrator, a letter, a
    SPOC and an information request to the council, a panel meeting with a member, an action, a
    notice and a message, an evidence file, a legal hold, a consent withdrawn and given again, a
    persistent-complainant flag. The access matrix aims every URL at a real record (`_record_ids`)."""

    partnership = application.partnership
    csm, spoc = _staff(partnership, "csm"), _staff(partnership, "spoc")
    council = partnership.agencies.filter(kind="council").order_by("id").first()
    today = timezone.localdate()
    perpetrator_save(application=application, actor=csm, data=PerpetratorData(name="Zebedee Neighbour"))
    application_acknowledge(application=application, actor=csm, acknowledged_on=application.received_on)
    application_decide(
        application=application, actor=csm, choice=DecisionChoice.ACCEPT, decided_on=application.received_on
    )
    application.refresh_from_db()
    letter_issue(case=application, kind="accepted", actor=csm)
    reviews.spoc_appoint(
        application=application,
        spoc=spoc,
        actor=csm,
        appointed_on=application.received_on,
        override_reason="The matrix's world: the council's own SPOC.",
    )
    application.refresh_from_db()
    reviews.information_requests_send(application=application, agencies=[council], actor=spoc)
    meeting = panels.panel_schedule(
        case=application, meeting_on=today, starts_at=dt.time(10, 0), location="Room 1", actor=spoc
    )
    panels.panel_member_add(meeting=meeting, role="representative", user=csm, actor=spoc)
    # A recommendation is made at a held meeting; holding one needs a full panel, which would make
    # other agencies party to the case. The record alone is what the edit page's URL names.
    Recommendation.objects.create(
        meeting=meeting, body=council, text="Review the lighting.", share_with_victim=True, created_by=csm
    )
    action_create(
        case=application,
        kind=ActionKind.INTERIM,
        description="Fit a door viewer.",
        owner_agency=council,
        owner=csm,
        due_on=today + dt.timedelta(days=7),
        actor=spoc,
    )
    notifications.notice_create(recipient=csm, text="A notice about this case", case=application)
    notifications.message_queue(
        channel="letter",
        purpose="matrix",
        to="1 High Street",
        body="A letter to post",
        case=application,
        recipient_person=application.victim,
        staff_task_reason="Print and post",
    )
    privacy.evidence_file_add(
        application=application, name="photo.png", content=b"\x89PNG\r\n\x1a\n" + b"0" * 64, actor=csm
    )
    privacy.legal_hold_place(application=application, reason="Ombudsman complaint", actor=csm)
    withdrawal = privacy.consent_withdraw(
        application=application, withdrawn_on=application.received_on, how="phone", actor=csm
    )
    privacy.consent_reinstate(withdrawal=withdrawal, actor=csm, reason="The victim agreed to sharing again.")
    # What the victim sent from their own view (the staff's pages name a diary entry and an upload).
    portal.diary_entry_add(
        case=application, role="victim", occurred_on=today, what_happened="Shouting on the landing."
    )
    portal.upload_add(case=application, role="victim", name="note.pdf", content=b"%PDF-1.4 a note")
    flag_set(
        application=application,
        person=application.victim,
        actor=csm,
        reasons="Daily calls",
        review_on=today + dt.timedelta(days=90),
    )


def declined_with_appeal(partnership, victim_name: str, incidents):
    """A case declined at the threshold, with the decision letter and an appeal lodged."""

    csm = _staff(partnership, "csm")
    application = make_application(partnership, victim_name=victim_name, incidents=incidents)
    application_acknowledge(application=application, actor=csm, acknowledged_on=application.received_on)
    application_decide(
        application=application, actor=csm, choice=DecisionChoice.DECLINE, decided_on=application.received_on
    )
    application.refresh_from_db()
    letter_issue(case=application, kind="threshold_not_met", actor=csm)
    appeal_lodge(
        application=application,
        decision_appealed="threshold_not_met",
        lodged_on=timezone.localdate(),
        channel="phone",
        grounds=[code for code, _ in grounds_for(application, "threshold_not_met")][:1],
        explanation="The victim says two incidents were missed.",
        actor=csm,
    )
    # A request to the local policing body about the decision (a row as lpbreviews stores it: the
    # route's commencement and the appeal first are the service's tests, tests/lpbreviews).
    from casereview.applications.selectors import application_current_decision
    from casereview.lpbreviews.models import LpbReview

    LpbReview.objects.create(
        application=application,
        decision=application_current_decision(application),
        nation="england",
        register_version="matrix",
        appeal_first=True,
        time_limit="28 days",
        requested_on=timezone.localdate(),
        channel="online",
        why="The victim says two incidents were missed.",
    )
    return application
