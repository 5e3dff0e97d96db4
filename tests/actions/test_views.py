"""The actions pages: who sees which actions, who may update them, and the confirm step."""

import datetime as dt
import re

import pytest
import time_machine

from casereview.actions import services
from casereview.actions.models import Action, ActionStatus, ActionUpdate
from casereview.applications.models import CaseEvent
from tests.actions.helpers import action_for, case_with_spoc

TODAY = dt.date(2026, 4, 1)


@pytest.fixture
def travel():
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(demo, travel):
    application = case_with_spoc(demo)
    police = action_for(
        application,
        demo.user("wn-police"),
        due_on=dt.date(2026, 3, 2),
        description="Patrol the alley nightly",
    )
    housing = action_for(
        application,
        demo.user("wn-housing"),
        due_on=dt.date(2026, 4, 10),
        description="Serve a tenancy warning",
    )
    return {"application": application, "police": police, "housing": housing}


def login(client, demo, username):
    client.force_login(demo.user(username))
    return client


@pytest.mark.django_db
def test_the_spoc_sees_every_open_action_with_filters(client, demo, world):
    login(client, demo, "wn-spoc")
    page = client.get("/actions/").content.decode()
    assert "Patrol the alley nightly" in page and "Serve a tenancy warning" in page
    assert "30 days overdue" in page
    overdue = client.get("/actions/?show=overdue").content.decode()
    assert "Patrol the alley nightly" in overdue and "Serve a tenancy warning" not in overdue
    soon = client.get("/actions/?show=due_soon").content.decode()
    assert "Serve a tenancy warning" in soon and "Patrol the alley nightly" not in soon
    by_agency = client.get(f"/actions/?agency={world['housing'].owner_agency_id}").content.decode()
    assert "Serve a tenancy warning" in by_agency and "Patrol the alley nightly" not in by_agency
    by_case = client.get("/actions/?case=WN-1999-0001").content.decode()
    assert "No actions match these filters" in by_case


@pytest.mark.django_db
def test_an_agency_officer_sees_only_their_agencys_actions_and_404_for_others(client, demo, world):
    login(client, demo, "wn-police")
    page = client.get("/actions/").content.decode()
    assert "Patrol the alley nightly" in page
    assert "Serve a tenancy warning" not in page
    assert "Owner agency" not in page  # no agency filter for an officer
    assert client.get(f"/actions/{world['police'].pk}/").status_code == 200
    assert client.get(f"/actions/{world['housing'].pk}/").status_code == 404
    assert client.get(f"/actions/{world['housing'].pk}/done/").status_code == 404
    assert (
        client.post(
            f"/actions/{world['housing'].pk}/not-viable/", {"reason": "x", "confirm": "yes"}
        ).status_code
        == 404
    )
    assert Action.objects.get(pk=world["housing"].pk).status == ActionStatus.OPEN


@pytest.mark.django_db
def test_another_partnerships_staff_get_404(client, demo, world):
    login(client, demo, "is-spoc")
    assert client.get(f"/actions/{world['police'].pk}/").status_code == 404
    assert "Patrol the alley" not in client.get("/actions/").content.decode()


@pytest.mark.django_db
def test_the_owner_marks_an_action_done_after_confirming(client, demo, world):
    login(client, demo, "wn-police")
    action = world["police"]
    form = {
        "version": "1",
        "what_happened": "Patrols every night for two weeks; no further reports.",
        "completed_on-day": "31",
        "completed_on-month": "3",
        "completed_on-year": "2026",
    }
    check = client.post(f"/actions/{action.pk}/done/", form)
    assert check.status_code == 200
    assert "Check before you mark the action as done" in check.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN  # nothing changes until confirmed

    done = client.post(f"/actions/{action.pk}/done/", {**form, "confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == f"/actions/{action.pk}/"
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on == dt.date(2026, 3, 31)
    assert action.status_note == form["what_happened"]
    update = ActionUpdate.objects.get(action=action)
    assert update.kind == "done" and update.by == demo.user("wn-police")
    event = CaseEvent.objects.get(kind="action_completed")
    assert event.data == {"action": action.pk} and event.actor == demo.user("wn-police")
    # Closed: no more updates offered or accepted.
    assert "Mark as done" not in client.get(f"/actions/{action.pk}/").content.decode()
    again = client.post(f"/actions/{action.pk}/done/", {**form, "confirm": "yes"})
    assert again.status_code == 302
    assert ActionUpdate.objects.filter(action=action).count() == 1


@pytest.mark.django_db
def test_marking_done_needs_what_happened_and_a_real_past_date(client, demo, world):
    login(client, demo, "wn-police")
    action = world["police"]
    response = client.post(
        f"/actions/{action.pk}/done/",
        {
            "version": "1",
            "what_happened": "",
            "completed_on-day": "2",
            "completed_on-month": "4",
            "completed_on-year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter what was done" in page
    assert "The date it was done must be today or in the past" not in page  # reported once the text is there
    response = client.post(
        f"/actions/{action.pk}/done/",
        {
            "version": "1",
            "what_happened": "Visited",
            "completed_on-day": "31",
            "completed_on-month": "2",
            "completed_on-year": "2026",
        },
    )
    page = response.content.decode()
    assert "The date it was done must be a real date" in page
    assert 'href="#completed_on-day"' in page
    assert ">Visited</textarea>" in page  # what was typed is kept
    response = client.post(
        f"/actions/{action.pk}/done/",
        {
            "version": "1",
            "what_happened": "Visited",
            "completed_on-day": "2",
            "completed_on-month": "4",
            "completed_on-year": "2026",
        },
    )
    assert "The date it was done must be today or in the past" in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


@pytest.mark.django_db
def test_a_colleague_in_the_owning_agency_and_the_spoc_may_update_but_a_senior_manager_may_not(
    client, demo, world
):
    action = world["police"]
    login(client, demo, "wn-senior")
    assert client.get(f"/actions/{action.pk}/").status_code == 200  # may see
    assert client.get(f"/actions/{action.pk}/delay/").status_code == 403  # may not update
    assert "Record a delay" not in client.get(f"/actions/{action.pk}/").content.decode()

    login(client, demo, "wn-spoc")
    response = client.post(
        f"/actions/{action.pk}/delay/",
        {
            "version": "1",
            "reason": "Officer on leave",
            "revised_due_on-day": "20",
            "revised_due_on-month": "4",
            "revised_due_on-year": "2026",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DELAYED
    assert action.revised_due_on == dt.date(2026, 4, 20) and action.due_on == dt.date(2026, 3, 2)
    event = CaseEvent.objects.get(kind="action_delayed")
    assert event.data["revised_due_on"] == "2026-04-20" and event.data["previous_due_on"] == "2026-03-02"


@pytest.mark.django_db
def test_a_delay_needs_a_reason_and_a_future_date(client, demo, world):
    login(client, demo, "wn-police")
    response = client.post(
        f"/actions/{world['police'].pk}/delay/",
        {
            "version": "1",
            "reason": "",
            "revised_due_on-day": "1",
            "revised_due_on-month": "4",
            "revised_due_on-year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter why the action is delayed" in page
    assert "The new date must be in the future" in page
    response = client.post(
        f"/actions/{world['police'].pk}/delay/",
        {"version": "1", "reason": "Leave", "revised_due_on-day": "5"},
    )
    assert "The new date must include a month and year" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("31", "2", "2027", "The new date must be a real date", ["day"]),
        ("1", "", "2027", "The new date must include a month", ["month"]),
        ("1", "2", "27", "The year of the new date must include 4 numbers", ["year"]),
        ("a", "2", "2027", "The new date must be a real date", ["day"]),
        ("", "", "", "Enter the new date", ["day", "month", "year"]),
        ("1", "3", "2026", "The new date must be in the future", ["day", "month", "year"]),
    ],
)
def test_the_delay_page_says_what_is_wrong_with_the_date_and_marks_those_boxes(
    client, demo, world, day, month, year, message, marked
):
    login(client, demo, "wn-police")
    response = client.post(
        f"/actions/{world['police'].pk}/delay/",
        {
            "version": "1",
            "reason": "Leave",
            "revised_due_on-day": day,
            "revised_due_on-month": month,
            "revised_due_on-year": year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    for part in ("day", "month", "year"):
        box = re.search(rf'<input class="([^"]*)" id="revised_due_on-{part}"', page)
        assert ("govuk-input--error" in box.group(1)) == (part in marked), part
    assert Action.objects.get(pk=world["police"].pk).status == ActionStatus.OPEN


@pytest.mark.django_db
def test_not_viable_is_confirmed_then_closes_the_action(client, demo, world):
    login(client, demo, "wn-housing")
    action = world["housing"]
    empty = client.post(f"/actions/{action.pk}/not-viable/", {"version": "1", "reason": ""})
    assert empty.status_code == 400 and "Enter why the action is no longer viable" in empty.content.decode()
    check = client.post(f"/actions/{action.pk}/not-viable/", {"version": "1", "reason": "Tenant moved out"})
    assert "Check before you close the action" in check.content.decode()
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN
    client.post(
        f"/actions/{action.pk}/not-viable/", {"version": "1", "reason": "Tenant moved out", "confirm": "yes"}
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_VIABLE and action.status_note == "Tenant moved out"
    assert CaseEvent.objects.filter(kind="action_not_viable").count() == 1


@pytest.mark.django_db
def test_the_list_paginates(client, demo, world):
    for n in range(30):
        action_for(
            world["application"], demo.user("wn-police"), due_on=dt.date(2026, 5, 1), description=f"Extra {n}"
        )
    login(client, demo, "wn-spoc")
    first = client.get("/actions/").content.decode()
    assert "32 actions" in first and 'rel="next"' in first
    second = client.get("/actions/?page=2").content.decode()
    assert second.count('class="govuk-table__row"') == 1 + 7  # header + the last 7


@pytest.mark.django_db
def test_empty_state(client, demo, travel):
    login(client, demo, "wn-police")
    assert "There are no open actions for Northamptonshire Police" in client.get("/actions/").content.decode()


@pytest.mark.django_db
def test_actions_need_sign_in(client):
    response = client.get("/actions/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_the_case_page_shows_the_actions_each_user_may_see(client, demo, world):
    # The case's Actions page (its section on a page of its own, ADR 0093), linked from the case page.
    reference = world["application"].reference
    login(client, demo, "wn-spoc")
    assert f'href="/cases/{reference}/actions/"' in client.get(f"/cases/{reference}/").content.decode()
    page = client.get(f"/cases/{reference}/actions/").content.decode()
    assert 'id="section-actions"' in page
    assert "Patrol the alley nightly" in page and "Serve a tenancy warning" in page
    login(client, demo, "wn-housing")
    page = client.get(f"/cases/{reference}/actions/").content.decode()
    assert "Serve a tenancy warning" in page
    assert "Patrol the alley nightly" not in page  # another agency's action


@pytest.mark.django_db
def test_a_delay_read_before_a_colleagues_delay_is_refused_showing_it(client, demo, world):
    action = world["police"]
    login(client, demo, "wn-police")
    page = client.get(f"/actions/{action.pk}/delay/").content.decode()
    assert 'name="version" value="1"' in page
    services.action_delay(
        action=action,
        actor=demo.user("wn-spoc"),
        reason="Patrol team moved to the town centre.",
        revised_due_on=dt.date(2026, 5, 1),
        today=dt.date(2026, 3, 31),
        read_version=1,
    )
    updates = ActionUpdate.objects.filter(action=action).count()
    form = {
        "version": "1",
        "reason": "My delay",
        "revised_due_on-day": "20",
        "revised_due_on-month": "4",
        "revised_due_on-year": "2026",
    }
    response = client.post(f"/actions/{action.pk}/delay/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this action" in page
    assert "Saved since you opened this page" in page and "Patrol team moved to the town centre." in page
    assert "1 May 2026" in page and ">My delay</textarea>" in page
    action.refresh_from_db()
    assert (action.revised_due_on, action.version) == (dt.date(2026, 5, 1), 2)
    assert ActionUpdate.objects.filter(action=action).count() == updates


def _third_party_world(demo, *, consent=True):
    from casereview.applications.models import AllegedPerpetrator, Person

    application = case_with_spoc(
        demo,
        applicant=Person(full_name="Cllr Ann Helper", email="ann@example.gov.uk"),
        applicant_relationship="councillor",
        victim_consent=consent,
    )
    victim = application.victim
    victim.preferred_contact, victim.contact_refusals = "email", "email"  # prefers email, but not safe
    victim.save()
    AllegedPerpetrator.objects.create(application=application, name="Darren Ravensworth")
    action = action_for(application, demo.user("wn-police"), due_on=dt.date(2026, 4, 20))
    return application, action


def _delay(client, action, reason, **extra):
    return client.post(
        f"/actions/{action.pk}/delay/",
        {
            "version": str(action.version),
            "reason": reason,
            "revised_due_on-day": "1",
            "revised_due_on-month": "5",
            "revised_due_on-year": "2026",
            **extra,
        },
    )


@pytest.mark.django_db
def test_a_delay_to_a_shared_action_tells_the_victim_and_the_consenting_applicant(client, demo, travel):
    from casereview.notifications.models import Message

    application, action = _third_party_world(demo)
    login(client, demo, "wn-police")
    page = client.get(f"/actions/{action.pk}/delay/").content.decode()
    assert 'name="tell_victim" type="checkbox" value="on"' in page and " checked>" in page  # on by default
    response = _delay(client, action, "The officer is on leave until the end of April.", tell_victim="on")
    assert response.status_code == 302
    to_victim = Message.objects.get(recipient_person=application.victim, purpose="action_delayed")
    to_applicant = Message.objects.get(recipient_person=application.applicant, purpose="action_delayed")
    # Each their own way: the victim refused email, so not emailed; the applicant emailed.
    assert to_victim.channel != "email" and "do not email" in to_victim.staff_task_reason
    assert (to_applicant.channel, to_applicant.to) == ("email", "ann@example.gov.uk")
    assert "1 May 2026" in to_applicant.body and "on leave" in to_applicant.body
    events = CaseEvent.objects.filter(
        application=application, kind="notification_sent", data__purpose="action_delayed"
    )
    assert sorted(e.data["to"] for e in events) == ["applicant", "victim"]
    assert all("leave" not in e.summary for e in events)  # the timeline never holds the text


@pytest.mark.django_db
def test_without_consent_only_the_victim_hears_and_an_unticked_box_tells_nobody(client, demo, travel):
    from casereview.notifications.models import Message

    application, action = _third_party_world(demo, consent=None)
    login(client, demo, "wn-police")
    assert _delay(client, action, "On leave.", tell_victim="on").status_code == 302
    assert set(Message.objects.values_list("recipient_person", flat=True)) == {application.victim_id}
    action.refresh_from_db()
    assert _delay(client, action, "Still on leave.").status_code == 302
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_progress_message_naming_the_perpetrator_is_refused_like_a_letter(
    client, demo, travel, unchanged_rows
):
    from casereview.notifications.models import Message

    application, action = _third_party_world(demo)
    login(client, demo, "wn-police")
    with unchanged_rows():
        response = _delay(client, action, "Mr Ravensworth has not answered the door.", tell_victim="on")
    assert response.status_code == 400
    page = response.content.decode()
    assert "alleged perpetrator 1" in page and "Ravensworth" in page
    assert f"/actions/{action.pk}/edit/" in page and "untick" in page
    # The way on: record it without telling the victim.
    assert _delay(client, action, "Mr Ravensworth has not answered the door.").status_code == 302
    assert not Message.objects.exists()
    # Completion of an action whose shared wording names him is refused the same way.
    action.refresh_from_db()
    services.action_edit(
        action=action, description="Speak to Ravensworth", share_with_victim=True, actor=demo.user("wn-spoc")
    )
    action.refresh_from_db()
    data = {
        "version": str(action.version),
        "what_happened": "Spoken to.",
        "completed_on-day": "1",
        "completed_on-month": "4",
        "completed_on-year": "2026",
        "tell_victim": "on",
        "confirm": "yes",
    }
    with unchanged_rows():
        refused = client.post(f"/actions/{action.pk}/done/", data)
    assert refused.status_code == 400 and "alleged perpetrator 1" in refused.content.decode()


def _not_viable(client, action, reason, **extra):
    return client.post(
        f"/actions/{action.pk}/not-viable/",
        {"version": str(action.version), "reason": reason, "confirm": "yes", **extra},
    )


@pytest.mark.django_db
def test_an_action_no_longer_viable_tells_the_victim_and_the_consenting_applicant(client, demo, travel):
    from casereview.notifications.models import Message

    application, action = _third_party_world(demo)
    login(client, demo, "wn-police")
    page = client.get(f"/actions/{action.pk}/not-viable/").content.decode()
    assert 'name="tell_victim" type="checkbox" value="on"' in page and " checked>" in page  # on by default
    confirm = client.post(
        f"/actions/{action.pk}/not-viable/",
        {"version": str(action.version), "reason": "The landlord sold the block.", "tell_victim": "on"},
    ).content.decode()
    assert "Told that it will not go ahead, and why" in confirm and 'name="tell_victim" value="on"' in confirm
    response = _not_viable(client, action, "The landlord sold the block.", tell_victim="on")
    assert response.status_code == 302
    to_victim = Message.objects.get(recipient_person=application.victim, purpose="action_not_viable")
    to_applicant = Message.objects.get(recipient_person=application.applicant, purpose="action_not_viable")
    assert to_victim.channel != "email" and "do not email" in to_victim.staff_task_reason
    assert (to_applicant.channel, to_applicant.to) == ("email", "ann@example.gov.uk")
    assert "will not go ahead" in to_applicant.body and "landlord sold the block" in to_applicant.body
    events = CaseEvent.objects.filter(
        application=application, kind="notification_sent", data__purpose="action_not_viable"
    )
    assert sorted(e.data["to"] for e in events) == ["applicant", "victim"]


@pytest.mark.django_db
def test_no_longer_viable_naming_the_perpetrator_is_refused_and_unticked_tells_nobody(
    client, demo, travel, unchanged_rows
):
    from casereview.notifications.models import Message

    application, action = _third_party_world(demo)
    login(client, demo, "wn-police")
    with unchanged_rows():
        refused = _not_viable(client, action, "Mr Ravensworth moved away.", tell_victim="on")
    assert refused.status_code == 400 and "alleged perpetrator 1" in refused.content.decode()
    assert _not_viable(client, action, "Mr Ravensworth moved away.").status_code == 302
    assert not Message.objects.exists()
    action.refresh_from_db()
    assert action.status == "not_viable"


@pytest.mark.django_db
def test_a_progress_note_is_kept_in_the_history_and_shared_with_the_victim_when_ticked(client, demo, travel):
    from casereview.actions.models import ActionUpdate
    from casereview.notifications.models import Message

    application, action = _third_party_world(demo)
    login(client, demo, "wn-police")
    detail = client.get(f"/actions/{action.pk}/").content.decode()
    assert f"/actions/{action.pk}/note/" in detail
    page = client.get(f"/actions/{action.pk}/note/").content.decode()
    assert (
        'name="tell_victim" type="checkbox" value="on"' in page and " checked>" not in page
    )  # off by default
    kept = client.post(
        f"/actions/{action.pk}/note/", {"version": str(action.version), "note": "Officer visited."}
    )
    assert kept.status_code == 302 and not Message.objects.exists()
    action.refresh_from_db()
    shared = client.post(
        f"/actions/{action.pk}/note/",
        {"version": str(action.version), "note": "The landlord has agreed new locks.", "tell_victim": "on"},
    )
    assert shared.status_code == 302
    notes = ActionUpdate.objects.filter(action=action, kind="note").order_by("id")
    assert [n.note for n in notes] == ["Officer visited.", "The landlord has agreed new locks."]
    to_applicant = Message.objects.get(recipient_person=application.applicant, purpose="action_progress")
    assert "new locks" in to_applicant.body
    assert Message.objects.filter(recipient_person=application.victim, purpose="action_progress").exists()
    action.refresh_from_db()
    assert action.status == "open"  # a note changes neither status nor date
    assert "Progress note" in client.get(f"/actions/{action.pk}/").content.decode()


@pytest.mark.django_db
def test_a_progress_note_naming_the_perpetrator_is_not_shared_and_nothing_is_recorded(
    client, demo, travel, unchanged_rows
):
    application, action = _third_party_world(demo)
    login(client, demo, "wn-police")
    with unchanged_rows():
        refused = client.post(
            f"/actions/{action.pk}/note/",
            {"version": str(action.version), "note": "Darren was spoken to.", "tell_victim": "on"},
        )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "alleged perpetrator 1" in page and "Darren was spoken to." in page  # kept to reword
    # A note read before a colleague's is refused as stale, nothing written.
    services.action_note_record(action=action, actor=demo.user("wn-spoc"), note="SPOC called the landlord.")
    with unchanged_rows():
        stale = client.post(
            f"/actions/{action.pk}/note/", {"version": str(action.version), "note": "Officer visited."}
        )
    assert stale.status_code == 400 and "Someone else changed this action" in stale.content.decode()
