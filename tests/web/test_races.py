"""Fifty officers at once, on PostgreSQL (web.concurrency, ADR 0016): real threads, each with its
own database connection, released together by a barrier. Every kind of write: an edit from the same
stale form (1 saved, 49 refused, no update lost), a state change (one event), a letter issued from
one submission (one letter).

SQLite has no row locks and lets one writer in at a time, so a race there proves nothing: these run
only on PostgreSQL (`DATABASE_URL=postgres://… make test`)."""

from __future__ import annotations

import datetime as dt
import fcntl
import tempfile
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from casereview.applications import services as s
from casereview.applications.models import Application, CaseEvent, Incident
from casereview.web.concurrency import StaleRecord
from tests.factories import make_application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need row locks and concurrent writers: PostgreSQL only (SQLite serialises writers)",
    ),
]


# A race holds fifty connections and PostgreSQL's default max_connections is 100: two races at once
# (xdist's workers take a module's tests side by side, one at a time each) were refused "too many
# clients already". One race at a time on this machine, whichever worker or test run holds it.
RACE_LOCK = Path(tempfile.gettempdir()) / "casereview-test-races.lock"


def race(n: int, write) -> Counter:
    """Run `write(i)` in n threads released at once; count "ok" and each refusal's class name."""
    with RACE_LOCK.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file is closed
        return _race(n, write)


def _race(n: int, write) -> Counter:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            write(i)
            outcome = "ok"
        except StaleRecord:
            outcome = "stale"
        except ValidationError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - any other failure is counted and fails the test
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes)


@pytest.fixture
def case(demo):
    return make_application(demo.partnership(), received_on=dt.date(2025, 4, 15))


def test_fifty_saves_of_one_incident_from_the_same_form_keep_exactly_one(demo, case):
    actor = demo.user("wn-csm")
    incident = Incident.objects.get(application=case, ref="I1")

    def save(i: int) -> None:
        s.incident_update(
            incident=Incident.objects.get(pk=incident.pk),
            actor=actor,
            read_version=1,
            data=s.IncidentData(occurred_on=incident.occurred_on, description=f"writer {i}"),
        )

    outcomes = race(50, save)
    assert outcomes == Counter({"ok": 1, "stale": 49})
    incident.refresh_from_db()
    assert incident.version == 2
    events = CaseEvent.objects.filter(application=case, kind="incident_updated")
    assert events.count() == 1  # the one saved is the one recorded: no update lost, none doubled
    assert incident.description.startswith("writer ")


def test_fifty_saves_each_from_a_fresh_read_all_land_in_turn(demo, case):
    """The lock orders writers who each read the version just before saving: none is lost."""
    actor = demo.user("wn-csm")
    incident = Incident.objects.get(application=case, ref="I1")

    def save(i: int) -> None:
        s.incident_update(
            incident=Incident.objects.get(pk=incident.pk),
            actor=actor,
            read_version=None,
            data=s.IncidentData(occurred_on=incident.occurred_on, description=f"writer {i}"),
        )

    assert race(50, save) == Counter({"ok": 50})
    incident.refresh_from_db()
    assert incident.version == 51
    assert CaseEvent.objects.filter(application=case, kind="incident_updated").count() == 50


def test_fifty_acknowledges_at_once_record_one_event(demo, case):
    actor = demo.user("wn-csm")

    def acknowledge(i: int) -> None:
        s.application_acknowledge(
            application=Application.objects.get(pk=case.pk), actor=actor, acknowledged_on=dt.date(2025, 4, 16)
        )

    assert race(50, acknowledge) == Counter({"ok": 1, "refused": 49})
    assert CaseEvent.objects.filter(application=case, kind="acknowledged").count() == 1
    assert Application.objects.get(pk=case.pk).status == "acknowledged"


def test_twenty_issues_of_one_letter_with_the_same_token_make_one_letter(demo, case, settings, tmp_path):
    from casereview.letters.models import Letter
    from casereview.letters.services import letter_issue

    settings.MEDIA_ROOT = tmp_path / "files"
    actor = demo.user("wn-csm")
    issued: list[int] = []

    def issue(i: int) -> None:
        letter = letter_issue(
            case=Application.objects.get(pk=case.pk),
            kind="acknowledgement",
            actor=actor,
            submission_token="one-submission-token-0001",
        )
        issued.append(letter.pk)

    assert race(20, issue) == Counter({"ok": 20})
    letter = Letter.objects.get(case=case)
    assert set(issued) == {letter.pk}
    assert CaseEvent.objects.filter(application=case, kind="letter_issued").count() == 1
    assert len(list((tmp_path / "files").rglob("*.pdf"))) == 1  # the losers' files were not kept


def test_fifty_incidents_added_at_once_each_get_their_own_reference(demo, case):
    actor = demo.user("wn-csm")

    def add(i: int) -> None:
        s.incident_add(
            application=Application.objects.get(pk=case.pk),
            actor=actor,
            data=s.IncidentData(occurred_on=dt.date(2025, 4, 1), description=f"writer {i}"),
        )

    assert race(50, add) == Counter({"ok": 50})
    refs = set(Incident.objects.filter(application=case).values_list("ref", flat=True))
    assert refs == {f"I{n}" for n in range(1, 54)}  # the three the case had, then 50 more
    assert CaseEvent.objects.filter(application=case, kind="incident_added").count() == 53


def test_fifty_completions_of_one_action_record_one(demo):
    from casereview.actions.models import ActionUpdate
    from casereview.actions.services import action_complete
    from tests.actions.helpers import action_for, case_with_spoc

    application = case_with_spoc(demo)
    owner = demo.user("wn-police")
    action = action_for(application, owner, due_on=dt.date(2025, 6, 1))

    def complete(i: int) -> None:
        action_complete(
            action=type(action).objects.get(pk=action.pk),
            actor=owner,
            what_happened=f"writer {i}",
            completed_on=dt.date(2025, 5, 1),
        )

    assert race(50, complete) == Counter({"ok": 1, "refused": 49})
    assert ActionUpdate.objects.filter(action=action).count() == 1
    assert CaseEvent.objects.filter(application=application, kind="action_completed").count() == 1


def test_fifty_risk_assessments_from_forms_read_together_record_one(demo):
    from casereview.reviews import services as reviews
    from tests.reviews.helpers import in_review_application

    application = in_review_application(demo)
    spoc = demo.user("wn-spoc")
    answers = dict.fromkeys(reviews.risk.QUESTION_CODES, False)

    def assess(i: int) -> None:
        reviews.risk_assessment_record(
            application=Application.objects.get(pk=application.pk),
            answers=answers,
            assessed_on=dt.date(2025, 5, 1),
            notes=f"writer {i}",
            actor=spoc,
            read_version=0,
        )

    assert race(50, assess) == Counter({"ok": 1, "stale": 49})
    assert application.risk_assessments.count() == 1
    assert CaseEvent.objects.filter(application=application, kind="risk_assessed").count() == 1


# --- The panel, the action plan and repeats (issue 13: every kind of write) ---------------------------


@pytest.fixture
def held_meeting(demo):
    from tests.panels.helpers import full_panel, hold, schedule
    from tests.reviews.helpers import in_review_application

    return hold(demo, full_panel(demo, schedule(demo, in_review_application(demo))))


def _events(meeting_or_case, kind: str) -> int:
    application = getattr(meeting_or_case, "case", meeting_or_case)
    return CaseEvent.objects.filter(application=application, kind=kind).count()


def test_fifty_recommendation_edits_from_the_same_form_keep_exactly_one(demo, held_meeting):
    from casereview.panels import services as panels
    from casereview.panels.models import Recommendation

    spoc = demo.user("wn-spoc")
    body = demo.agency("west-northamptonshire", "housing")
    recommendation = panels.recommendation_add(meeting=held_meeting, body=body, text="Review.", actor=spoc)

    def edit(i: int) -> None:
        panels.recommendation_edit(
            recommendation=Recommendation.objects.get(pk=recommendation.pk),
            text=f"writer {i}",
            share_with_victim=True,
            actor=spoc,
            read_version=1,
        )

    assert race(50, edit) == Counter({"ok": 1, "stale": 49})
    recommendation.refresh_from_db()
    assert recommendation.version == 2 and recommendation.text.startswith("writer ")
    assert _events(held_meeting, "recommendation_edited") == 1


@pytest.mark.parametrize("what", ["recommendation", "action", "consultation"])
def test_fifty_additions_to_the_plan_from_pages_read_together_add_one(demo, held_meeting, what):
    from casereview.actions.models import Action
    from casereview.panels import services as panels
    from casereview.panels.models import PanelMeeting

    spoc = demo.user("wn-spoc")
    owner = demo.user("wn-housing")
    body = demo.agency("west-northamptonshire", "housing")
    today = dt.date.today()
    calls = {
        "recommendation": lambda m, i: panels.recommendation_add(
            meeting=m, body=body, text=f"writer {i}", actor=spoc, read_version=0
        ),
        "action": lambda m, i: panels.panel_action_add(
            meeting=m,
            description=f"writer {i}",
            owner=owner,
            owner_agency=owner.agency,
            due_on=today + dt.timedelta(days=30),
            actor=spoc,
            read_version=0,
        ),
        "consultation": lambda m, i: panels.victim_consultation_record(
            meeting=m, consulted_on=today, method="phone", view="agrees", actor=spoc, read_version=0
        ),
    }
    event = {
        "recommendation": "recommendation_made",
        "action": "action_created",
        "consultation": "victim_consulted",
    }

    def add(i: int) -> None:
        calls[what](PanelMeeting.objects.get(pk=held_meeting.pk), i)

    assert race(50, add) == Counter({"ok": 1, "stale": 49})
    counts = {
        "recommendation": held_meeting.recommendations.count(),
        "action": Action.objects.filter(panel_meetings=held_meeting).count(),
        "consultation": held_meeting.consultations.count(),
    }
    assert counts[what] == 1
    assert _events(held_meeting, event[what]) == 1


def test_fifty_invitations_of_one_person_seat_them_once(demo):
    from casereview.panels import services as panels
    from casereview.panels.models import PanelMeeting, PanelMember
    from tests.panels.helpers import schedule
    from tests.reviews.helpers import in_review_application

    meeting = schedule(demo, in_review_application(demo))
    chair = demo.user("wn-chair")

    def invite(i: int) -> None:  # each from a page read just before (no version to compare)
        panels.panel_member_add(
            meeting=PanelMeeting.objects.get(pk=meeting.pk),
            role="independent_chair",
            user=chair,
            actor=demo.user("wn-spoc"),
        )

    assert race(50, invite) == Counter({"ok": 1, "refused": 49})
    assert PanelMember.objects.filter(meeting=meeting, user=chair).count() == 1
    assert _events(meeting, "panel_member_added") == 1


def test_fifty_removals_of_one_member_record_one(demo):
    from casereview.panels import services as panels
    from casereview.panels.models import PanelMember
    from tests.panels.helpers import full_panel, schedule
    from tests.reviews.helpers import in_review_application

    meeting = full_panel(demo, schedule(demo, in_review_application(demo)))
    member = meeting.members.get(name="Pat Minutes")

    def remove(i: int) -> None:
        panels.panel_member_remove(
            member=PanelMember(pk=member.pk, meeting_id=meeting.pk, name=member.name),
            actor=demo.user("wn-spoc"),
        )

    assert race(50, remove) == Counter({"ok": 1, "refused": 49})
    assert _events(meeting, "panel_member_removed") == 1


def test_fifty_action_edits_from_the_same_form_keep_exactly_one(demo):
    from casereview.actions.models import Action
    from casereview.actions.services import action_edit
    from tests.actions.helpers import action_for, case_with_spoc

    application = case_with_spoc(demo)
    action = action_for(application, demo.user("wn-police"), due_on=dt.date(2025, 6, 1))
    spoc = demo.user("wn-spoc")
    version = Action.objects.get(pk=action.pk).version

    def edit(i: int) -> None:
        action_edit(
            action=Action.objects.get(pk=action.pk),
            description=f"writer {i}",
            share_with_victim=False,
            actor=spoc,
            read_version=version,
        )

    assert race(50, edit) == Counter({"ok": 1, "stale": 49})
    action.refresh_from_db()
    assert action.version == version + 1 and action.description.startswith("writer ")
    assert _events(application, "action_edited") == 1


@pytest.fixture
def repeat_case(demo):
    from casereview.repeats.services import repeat_confirm

    wn = demo.partnership()
    first, second = (
        make_application(wn, received_on=received, location="Wellingborough Road")
        for received in (dt.date(2025, 1, 10), dt.date(2025, 6, 2))
    )
    for application in (first, second):
        type(application.victim).objects.filter(pk=application.victim_id).update(
            full_name="Jo Bloggs", postcode="NN1 1AA", email="jo@example.com"
        )
    return first, repeat_confirm(application=second, previous=first, actor=demo.user("wn-spoc"))


def test_fifty_flag_reviews_from_the_same_form_record_one_and_fifty_flags_set_make_one(demo, repeat_case):
    from casereview.repeats.models import FlagReview, PersistentComplainantFlag
    from casereview.repeats.services import flag_review, flag_set

    _, second = repeat_case
    senior = demo.user("wn-senior")
    review_on = dt.date.today() + dt.timedelta(days=30)

    def set_flag(i: int) -> None:
        flag_set(
            application=Application.objects.get(pk=second.pk),
            person=second.victim,
            actor=senior,
            reasons=f"writer {i}",
            review_on=review_on,
        )

    assert race(50, set_flag) == Counter({"ok": 1, "refused": 49})
    flag = PersistentComplainantFlag.objects.get(person=second.victim)
    assert _events(second, "persistent_complainant_flag_set") == 1

    def review(i: int) -> None:
        flag_review(
            flag=PersistentComplainantFlag.objects.get(pk=flag.pk),
            application=second,
            actor=senior,
            outcome="lifted",
            reasons=f"writer {i}",
            read_version=1,
        )

    assert race(50, review) == Counter({"ok": 1, "stale": 49})
    assert FlagReview.objects.filter(flag=flag).count() == 1
    assert _events(second, "persistent_complainant_flag_reviewed") == 1


def test_fifty_material_change_assessments_read_together_record_one(demo, repeat_case):
    from casereview.repeats.services import material_change_assess

    _, second = repeat_case

    def assess(i: int) -> None:
        material_change_assess(
            application=Application.objects.get(pk=second.pk),
            actor=demo.user("wn-csm"),
            material_change=False,
            what_changed="",
            decision="consider",
            reasons=f"writer {i}",
            assessed_on=dt.date.today(),
            read_version=0,
        )

    assert race(50, assess) == Counter({"ok": 1, "stale": 49})
    assert second.material_change_assessments.count() == 1
    assert _events(second, "material_change_assessed") == 1


def test_fifty_repeat_confirmations_and_dismissals_record_one_each(demo):
    from casereview.repeats.services import repeat_confirm, repeat_dismiss

    wn = demo.partnership()
    first, second, third = (
        make_application(wn, received_on=received, location="Wellingborough Road")
        for received in (dt.date(2025, 1, 10), dt.date(2025, 6, 2), dt.date(2025, 3, 2))
    )
    for application in (first, second, third):
        type(application.victim).objects.filter(pk=application.victim_id).update(
            full_name="Jo Bloggs", postcode="NN1 1AA", email="jo@example.com"
        )
    csm = demo.user("wn-csm")

    def confirm(i: int) -> None:
        repeat_confirm(application=Application.objects.get(pk=second.pk), previous=first, actor=csm)

    def dismiss(i: int) -> None:
        repeat_dismiss(
            application=Application.objects.get(pk=second.pk),
            candidate=third,
            actor=csm,
            reason=f"writer {i}",
        )

    assert race(50, confirm) == Counter({"ok": 1, "refused": 49})
    assert _events(second, "repeat_recognised") == 1
    assert race(50, dismiss) == Counter({"ok": 1, "refused": 49})
    assert _events(second, "repeat_dismissed") == 1
