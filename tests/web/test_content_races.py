"""Fifty officers at once on the records versioned by their content (web.concurrency
`content_version` / `content_claim`, ADR 0061), on PostgreSQL: a person's contact details, an
agency, a staff account and its roles, a report's assignment, special category information and a
letter's wording. Each writer posts the same form, read at the same version, with its own values:
exactly one is saved, the 49 others are refused as stale, the record holds the one saved writer's
values (no update lost, none half-applied) and the change is recorded once (0 duplicate events).

Run with `DATABASE_URL=postgres://… pytest tests/web/test_content_races.py` (skipped on SQLite,
as tests/web/test_races.py is: SQLite has no row locks and lets one writer in at a time)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from casereview.applications.models import CaseEvent
from casereview.audit.models import AccessEvent
from tests.factories import make_application
from tests.web.test_races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need row locks and concurrent writers: PostgreSQL only (SQLite serialises writers)",
    ),
]


class Saved:
    """Which writers were saved (each writer's number), collected across the threads."""

    def __init__(self) -> None:
        self.writers: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, i: int) -> None:
        with self._lock:
            self.writers.append(i)

    @property
    def one(self) -> int:
        assert len(self.writers) == 1, self.writers
        return self.writers[0]


def test_fifty_saves_of_a_persons_contact_details_from_the_same_page_keep_exactly_one(demo):
    from casereview.applications.models import Person
    from casereview.applications.services import person_contact_update, person_contact_version

    case = make_application(demo.partnership("west-northamptonshire"))
    actor = demo.user("wn-csm")
    victim = Person.objects.get(pk=case.victim_id)
    read = person_contact_version(victim)
    saved = Saved()

    def save(i: int) -> None:
        person_contact_update(
            application=case,
            person=Person.objects.get(pk=victim.pk),
            actor=actor,
            address=f"{i} Writer Street\nDaventry",
            postcode="NN11 4AA",
            email=f"writer{i}@example.com",
            contact_refusals=(),
            read_version=read,
        )
        saved(i)

    assert race(50, save) == Counter({"ok": 1, "stale": 49})
    victim.refresh_from_db()
    winner = saved.one
    assert (victim.address, victim.email) == (
        f"{winner} Writer Street\nDaventry",
        f"writer{winner}@example.com",
    )
    assert CaseEvent.objects.filter(application=case, kind="contact_details_updated").count() == 1


def test_fifty_renames_of_an_agency_from_the_same_form_keep_exactly_one(demo):
    from casereview.accounts.models import Agency
    from casereview.accounts.services import agency_save, agency_version

    admin = demo.user("wn-admin")
    agency = Agency.objects.get(pk=demo.user("wn-police").agency_id)
    read = agency_version(agency)
    logged = AccessEvent.objects.filter(summary=f"Agency {agency.pk} changed").count()
    saved = Saved()

    def rename(i: int) -> None:
        agency_save(
            actor=demo.user("wn-admin"),
            name=f"Police writer {i}",
            kind=agency.kind,
            agency=Agency.objects.get(pk=agency.pk),
            read_version=read,
        )
        saved(i)

    assert admin.partnership_id == agency.partnership_id
    assert race(50, rename) == Counter({"ok": 1, "stale": 49})
    agency.refresh_from_db()
    assert agency.name == f"Police writer {saved.one}"
    assert AccessEvent.objects.filter(summary=f"Agency {agency.pk} changed").count() == logged + 1


def test_fifty_edits_of_a_staff_account_from_the_same_form_keep_exactly_one(demo):
    from casereview.accounts.models import User
    from casereview.accounts.services import UserData, user_update, user_values, user_version

    officer = demo.user("wn-police")
    officer.work_in(officer.partnership_id)
    values = user_values(officer)
    read = user_version(officer)
    logged = AccessEvent.objects.filter(summary=f"User {officer.pk} changed").count()
    saved = Saved()

    def edit(i: int) -> None:
        user_update(
            actor=demo.user("wn-admin"),
            user=User.objects.get(pk=officer.pk),
            data=UserData(
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                job_title=f"Writer {i}",
                agency=officer.agency,
                roles=tuple(values["roles"]),
                is_active=True,
            ),
            read_version=read,
        )
        saved(i)

    assert race(50, edit) == Counter({"ok": 1, "stale": 49})
    officer.refresh_from_db()
    assert officer.job_title == f"Writer {saved.one}"
    assert AccessEvent.objects.filter(summary=f"User {officer.pk} changed").count() == logged + 1


def test_fifty_assignments_of_a_report_from_the_same_page_keep_exactly_one(demo):
    from casereview.reports import services
    from casereview.reports.models import Report
    from tests.reports.helpers import make_report

    report = make_report(demo.partnership("islington"), day=timezone.localdate(), location="Holloway Road")
    read = services.report_assignment_version(Report.objects.get(pk=report.pk))  # as the page reads it
    saved = Saved()

    def assign(i: int) -> None:
        services.report_assign(
            report=Report.objects.get(pk=report.pk),
            team=None,
            status="in_progress",
            outcome=f"Writer {i} visited",
            read_version=read,
        )
        saved(i)

    assert race(50, assign) == Counter({"ok": 1, "stale": 49})
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("in_progress", f"Writer {saved.one} visited")


def test_fifty_first_records_of_special_category_information_from_the_same_page_keep_one(demo):
    from casereview.privacy.models import SensitiveInformation
    from casereview.privacy.services import sensitive_information_record

    case = make_application(demo.partnership("west-northamptonshire"))
    field = SensitiveInformation.SPECIAL_CATEGORY_FIELDS[0]
    saved = Saved()

    def record(i: int) -> None:
        sensitive_information_record(
            application=case,
            actor=demo.user("wn-csm"),
            person=case.victim,
            source="Victim",
            read_version=0,  # the page was read before there was a record
            **{field: f"Writer {i}"},
        )
        saved(i)

    assert race(50, record) == Counter({"ok": 1, "stale": 49})
    held = SensitiveInformation.objects.get(application=case, person=case.victim)
    assert getattr(held, field) == f"Writer {saved.one}"
    assert CaseEvent.objects.filter(application=case, kind="special_category_recorded").count() == 1


def test_fifty_first_saves_of_a_letters_wording_from_the_same_page_keep_one(demo):
    from casereview.letters.models import LetterTemplate
    from casereview.letters.services import letter_template_save

    csm = demo.user("wn-csm")
    body = "Dear {{ recipient_name }}\n\nWe will decide by {{ decision_by }}."
    saved = Saved()

    def save(i: int) -> None:
        letter_template_save(
            partnership=csm.partnership,
            kind="acknowledgement",
            subject=f"Writer {i} {{{{ reference }}}}",
            body=body,
            actor=csm,
            read_version=0,  # the product's default wording
        )
        saved(i)

    assert race(50, save) == Counter({"ok": 1, "stale": 49})
    versions = list(
        LetterTemplate.objects.filter(partnership=csm.partnership, kind="acknowledgement").values_list(
            "version", "subject"
        )
    )
    assert versions == [(1, f"Writer {saved.one} {{{{ reference }}}}")]
