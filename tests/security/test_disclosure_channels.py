"""Every channel that carries free text to the victim goes through the disclosure check (issue 13):
an alleged perpetrator's surname alone, with a title, their street without its number or their
postcode without its space, planted in words staff write (an action's description, a delay's
reason, a progress note, the reason an action will not go ahead, the panel's outcome), never
reaches the victim's own page (/my-review/) or a message to the victim (the one outbox).

Letters have their own suite (tests/letters). The partner API and its webhooks are not channels to
the victim: they answer only the systems of agencies party to the case (tests/api), which are
entitled to the perpetrator's details.

The perpetrator is tests/reviews/helpers.py `add_perpetrator`'s: Darren Kettering, 14 Acacia
Avenue, Northampton NN1 4XX."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casereview.actions import services as actions
from casereview.actions.models import Action
from casereview.notifications.models import Message
from casereview.panels import services as panel_services
from tests.panels.test_outcome import SAFE_SUMMARY, agreed_plan
from tests.portal.conftest import sign_in_as
from tests.reviews.helpers import add_perpetrator

pytestmark = pytest.mark.django_db

#: The forms the letters' check once let through (issue 13), each as staff might type it.
FORMS = {
    "surname alone, lower case": "kettering",
    "title and surname": "Mr Kettering",
    "street without its number": "Acacia Avenue",
    "postcode without its space": "nn14xx",
}
#: What would show that a form got through, folded to lower case.
TELLS = ("kettering", "acacia", "nn1 4xx", "nn14xx")


def _page(client, application) -> str:
    sign_in_as(client, application)
    response = client.get("/my-review/")
    assert response.status_code == 200
    return response.content.decode()


def _assert_no_tell(text: str) -> None:
    folded = text.lower()
    for tell in TELLS:
        assert tell not in folded, tell


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_an_actions_description_naming_the_perpetrator_never_reaches_the_victims_page(client, demo, form):
    application, _meeting = agreed_plan(demo, action=f"Police to speak to {form} about the noise.")
    page = _page(client, application)
    _assert_no_tell(page)
    assert "Your single point of contact will tell you about this action." in page
    # The control: the same plan with words naming no one is shown as written.
    other, _ = agreed_plan(demo, action="Police to speak to the neighbour about the noise.")
    assert "Police to speak to the neighbour about the noise." in _page(client, other)


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_a_panel_outcome_naming_the_perpetrator_never_reaches_the_victims_page(client, demo, form):
    """The outcome's words pass the letter's check when the outcome letter is issued; were they
    changed afterwards (planted here), the page checks them again."""
    application, meeting = agreed_plan(demo)
    panel_services.outcome_letter_issue(
        meeting=meeting, actor=demo.user("wn-spoc"), outcome_summary=SAFE_SUMMARY
    )
    assert SAFE_SUMMARY in _page(client, application)  # the control
    type(meeting).objects.filter(pk=meeting.pk).update(outcome_summary=f"The panel asked {form} to stop.")
    _assert_no_tell(_page(client, application))


@pytest.fixture
def shared_action(demo):
    from tests.actions.helpers import action_for, case_with_spoc

    application = case_with_spoc(demo)
    add_perpetrator(application)
    type(application.victim).objects.filter(pk=application.victim_id).update(
        email="victim@example.com", preferred_contact="email"
    )
    application.refresh_from_db()
    return action_for(
        application,
        demo.user("wn-police"),
        due_on=dt.date.today() + dt.timedelta(days=7),
        description="Police to give words of advice.",
        share_with_victim=True,
    )


def _delay(action, owner, words):
    return actions.action_delay(
        action=action,
        actor=owner,
        reason=words,
        revised_due_on=dt.date.today() + dt.timedelta(days=30),
        tell_victim=True,
    )


def _note(action, owner, words):
    return actions.action_note_record(action=action, actor=owner, note=words, tell_victim=True)


def _not_viable(action, owner, words):
    return actions.action_mark_not_viable(action=action, actor=owner, reason=words, tell_victim=True)


def _complete(action, owner, words):
    return actions.action_complete(
        action=action, actor=owner, what_happened="Done.", completed_on=dt.date.today(), tell_victim=True
    )


def _described(action, words):
    """Completing tells the victim the action's own words: those are where the detail is."""
    Action.objects.filter(pk=action.pk).update(description=words)
    action.refresh_from_db()


_complete.prepare = _described
UPDATES = {"a delay's reason": _delay, "a progress note": _note, "why it will not go ahead": _not_viable}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
@pytest.mark.parametrize(
    "update", [*UPDATES.values(), _complete], ids=[*UPDATES, "the completed action's words"]
)
def test_words_naming_the_perpetrator_are_never_sent_to_the_victim(
    demo, shared_action, update, form, unchanged_rows
):
    """Every update of an action told to the victim: refused before anything is written or
    queued, saying what matched; the same update in words naming no one is sent."""
    owner = demo.user("wn-police")
    words = f"We spoke to {form} on Monday."
    getattr(update, "prepare", lambda action, words: None)(shared_action, words)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        update(shared_action, owner, words)
    assert "alleged perpetrator" in str(refused.value) and "untick" in str(refused.value)
    assert mail.outbox == [] and not Message.objects.filter(case=shared_action.case).exists()


@pytest.mark.parametrize(
    "update", [*UPDATES.values(), _complete], ids=[*UPDATES, "the completed action's words"]
)
def test_the_same_update_naming_no_one_is_sent_to_the_victim(demo, shared_action, update):
    from casereview.notifications.services import messages_deliver

    words = "We spoke to the neighbour on Monday."
    getattr(update, "prepare", lambda action, words: None)(shared_action, words)
    update(shared_action, demo.user("wn-police"), words)
    messages_deliver()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["victim@example.com"]
    _assert_no_tell(mail.outbox[0].subject + mail.outbox[0].body)
