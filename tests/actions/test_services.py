"""The monitoring services on their own: validation, closed actions, telling the victim."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casereview.actions.models import ActionStatus
from casereview.actions.services import action_complete, action_delay, action_mark_not_viable
from casereview.applications.models import CaseEvent
from casereview.notifications.models import Message
from tests.actions.helpers import action_for, case_with_spoc

TODAY = dt.date(2026, 4, 1)


@pytest.fixture
def action(demo):
    return action_for(case_with_spoc(demo), demo.user("wn-police"), due_on=dt.date(2026, 3, 2))


@pytest.mark.django_db
def test_errors_name_the_field(demo, action, unchanged_rows):
    with unchanged_rows(), pytest.raises(ValidationError) as raised:
        action_complete(
            action=action, actor=demo.user("wn-police"), what_happened=" ", completed_on=TODAY, today=TODAY
        )
    assert raised.value.message_dict == {"what_happened": ["Enter what was done"]}
    with unchanged_rows(), pytest.raises(ValidationError) as raised:
        action_delay(action=action, actor=demo.user("wn-police"), reason="", revised_due_on=None, today=TODAY)
    assert set(raised.value.message_dict) == {"reason", "revised_due_on"}
    with unchanged_rows(), pytest.raises(ValidationError) as raised:
        action_mark_not_viable(action=action, actor=demo.user("wn-police"), reason="", today=TODAY)
    assert raised.value.message_dict == {"reason": ["Enter why the action is no longer viable"]}
    assert not CaseEvent.objects.filter(kind__startswith="action_").exists()


@pytest.mark.django_db
def test_a_closed_action_cannot_be_changed(demo, action, unchanged_rows):
    action_mark_not_viable(action=action, actor=demo.user("wn-police"), reason="Moved away", today=TODAY)
    with unchanged_rows(), pytest.raises(ValidationError, match="already closed"):
        action_complete(
            action=action, actor=demo.user("wn-police"), what_happened="x", completed_on=TODAY, today=TODAY
        )
    with unchanged_rows(), pytest.raises(ValidationError, match="already closed"):
        action_delay(
            action=action,
            actor=demo.user("wn-police"),
            reason="x",
            revised_due_on=dt.date(2026, 5, 1),
            today=TODAY,
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_VIABLE and action.updates.count() == 1


@pytest.mark.django_db
def test_the_victim_is_told_only_when_asked_and_only_for_a_shareable_action(demo, action):
    victim = action.case.victim
    victim.preferred_contact = "email"
    victim.save()
    action_complete(
        action=action,
        actor=demo.user("wn-police"),
        what_happened="Done",
        completed_on=TODAY,
        today=TODAY,
        tell_victim=True,
    )
    [message] = Message.objects.filter(recipient_person=victim)
    assert message.channel == "email" and message.purpose == "action_completed"
    assert "Visit the neighbour" in message.body  # the action's text, which the panel agreed to share

    private = action_for(
        action.case, demo.user("wn-police"), due_on=dt.date(2026, 3, 2), share_with_victim=False
    )
    action_complete(
        action=private,
        actor=demo.user("wn-police"),
        what_happened="Done",
        completed_on=TODAY,
        today=TODAY,
        tell_victim=True,
    )
    assert Message.objects.filter(recipient_person=victim).count() == 1
