"""Every message to the victim goes through the disclosure check (issue 13): words saved "as
written" on a page (an action's description shared with the victim) are never sent by the system
when they carry an alleged perpetrator's detail: the message becomes a task for staff saying what
matched and where, and nothing is emailed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casereview.actions.services import action_complete
from casereview.applications.models import AllegedPerpetrator, CaseEvent
from casereview.notifications.models import Message, MessageStatus
from casereview.notifications.services import case_people_notify, messages_deliver
from tests.actions.helpers import action_for, case_with_spoc

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo):
    application = case_with_spoc(demo)
    AllegedPerpetrator.objects.create(
        application=application, name="Darren Ravensworth", address="12 Mill Lane\nKettering\nNN16 8AB"
    )
    type(application.victim).objects.filter(pk=application.victim_id).update(
        email="jo@example.com", preferred_contact="email"
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("description", "held"),
    [
        ("Police to give Mr Ravensworth words of advice.", True),
        ("Housing to visit the flat on Mill Lane.", True),
        ("Police to give words of advice.", False),
    ],
)
def test_a_message_to_the_victim_is_held_when_it_names_the_perpetrator(demo, case, description, held):
    """The second line of defence: a message built from words saved elsewhere (here, an action's
    description sent as written) is checked again when it is sent."""
    case_people_notify(
        case=case,
        purpose="action_completed",
        subject="An action in your case has been completed",
        body=f"This action has been completed: {description}",
    )
    message = Message.objects.get(case=case, purpose="action_completed")
    messages_deliver()
    message.refresh_from_db()
    if held:
        assert message.status == MessageStatus.STAFF_TASK
        assert message.staff_task_reason.startswith("Held by the disclosure check: The ")
        assert "alleged perpetrator 1 appears in the message" in message.staff_task_reason
        assert mail.outbox == []  # nothing sent as written
        event = CaseEvent.objects.get(application=case, kind="notification_sent")
        assert "prepared for staff" in event.summary and "Ravensworth" not in event.summary
    else:
        assert message.status == MessageStatus.SENT and len(mail.outbox) == 1


def test_completing_an_action_refuses_to_tell_the_victim_words_that_name_the_perpetrator(
    demo, case, unchanged_rows
):
    """The first line: the officer completing the action is told at once, before anything is
    written, with what to do instead (reword, or untick telling the victim)."""
    owner = demo.user("wn-police")
    action = action_for(
        case,
        owner,
        due_on=dt.date(2025, 6, 1),
        description="Police to give Mr Ravensworth words of advice.",
        share_with_victim=True,
    )
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        action_complete(
            action=action,
            actor=owner,
            what_happened="Done.",
            completed_on=dt.date(2025, 5, 1),
            tell_victim=True,
        )
    assert "untick" in str(refused.value) and f"/actions/{action.pk}/edit/" in str(refused.value)
