"""Fifty officers at once, on PostgreSQL (web.concurrency, ADR 0016): real threads, each with its
own database connection, released together by a barrier. Every kind of write: an edit from the same
stale form (1 saved, 49 refused, no update lost), a state change (one event), a letter issued from
one submission (one letter).

SQLite has no row locks and lets one writer in at a time, so a race there proves nothing: these run
only on PostgreSQL (`DATABASE_URL=postgres://… make test`)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

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


def race(n: int, write) -> Counter:
    """Run `write(i)` in n threads released at once; count "ok" and each refusal's class name."""
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
            application=Application.objects.get(pk=case.pk),
            kind="acknowledgement",
            actor=actor,
            submission_token="one-submission-token-0001",
        )
        issued.append(letter.pk)

    assert race(20, issue) == Counter({"ok": 20})
    letter = Letter.objects.get(application=case)
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
