"""A closed review with letters goes at the end of its retention period like any other case: its
letters (the stored PDFs too) and their dispatches with it, in the disposal's one transaction, the
files removed once it commits. `Letter.case` is PROTECT, so before the review went through the same
path as a standing panel's case (ADR 0095) every closed review with a letter — nearly all of them —
was reported "not deleted: other records still point to it" on every run, and kept for ever.

And the proof on the demo: every closed review of the demo (the West Northamptonshire cases the
product builds with its features: letters, repeats, …), with the clock moved on far enough, is
deleted or kept for a reason the run names — none "not deleted"."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from casereview.applications.models import Application, Case, CaseEvent, CaseParty, Person
from casereview.applications.services import application_acknowledge, application_set_status, case_party_add
from casereview.audit.models import AccessEvent
from casereview.audit.services import access_event_record
from casereview.letters.models import Letter, LetterDispatch
from casereview.letters.services import letter_issue
from casereview.notifications.models import Message
from casereview.privacy import retention
from casereview.privacy.models import DeletionRecord, Disposal
from casereview.repeats.services import material_change_assess, repeat_confirm
from tests.factories import make_application
from tests.letters.conftest import record_decision

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
DECLINED_ON = dt.date(2025, 5, 1)
DUE_ON = dt.date(2031, 5, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _declined_with_letters(demo, *, name: str):
    """A review acknowledged by an emailed letter, then declined (threshold not met) with the
    decision letter posted — issued through the letters service, as the staff pages do."""
    wn, csm = demo.partnership("west-northamptonshire"), demo.user("wn-csm")
    with time_machine.travel(ISSUED, tick=False):
        case = make_application(
            wn,
            actor=csm,
            victim_name=name,
            incidents=[
                (dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12)),
                (dt.date(2025, 3, 1), "housing", dt.date(2025, 4, 10)),
            ],
        )
        application_acknowledge(application=case, actor=csm, acknowledged_on=dt.date(2025, 4, 22))
        letter_issue(case=case, kind="acknowledgement", actor=csm, channel="email")
        record_decision(case, csm, decision="declined")
        letter_issue(case=case, kind="threshold_not_met", actor=csm, channel="post")
        case.refresh_from_db()
        if case.status != "declined":
            application_set_status(
                application=case,
                to="declined",
                actor=csm,
                summary="Threshold not met",
                occurred_on=DECLINED_ON,
            )
    return Application.objects.get(pk=case.pk)


TABLES = {
    "applications.Case": Case,
    "applications.CaseEvent": CaseEvent,
    "applications.CaseParty": CaseParty,
    "applications.Person": Person,
    "letters.Letter": Letter,
    "letters.LetterDispatch": LetterDispatch,
    "notifications.Message": Message,
}


def _rows_of(case_id: int, person_ids) -> dict[str, int]:
    return {
        "applications.Case": Case.objects.filter(pk=case_id).count(),
        "applications.CaseEvent": CaseEvent.objects.filter(application_id=case_id).count(),
        "applications.CaseParty": CaseParty.objects.filter(case_id=case_id).count(),
        "applications.Person": Person.objects.filter(pk__in=person_ids).count(),
        "letters.Letter": Letter.objects.filter(case_id=case_id).count(),
        "letters.LetterDispatch": LetterDispatch.objects.filter(letter__case_id=case_id).count(),
        "notifications.Message": Message.objects.filter(case_id=case_id).count(),
    }


def test_a_closed_review_with_letters_is_deleted_with_its_letters_and_their_files(
    demo, media_root, django_capture_on_commit_callbacks
):
    old = _declined_with_letters(demo, name="Gone Person")
    kept = _declined_with_letters(demo, name="Still Here")
    with time_machine.travel(ISSUED + dt.timedelta(days=400), tick=False):
        later = make_application(demo.partnership("west-northamptonshire"), victim_name="Later Case")
    letters = list(Letter.objects.filter(case=old))
    assert {letter.kind for letter in letters} == {"acknowledgement", "threshold_not_met"}
    channels = set(LetterDispatch.objects.filter(letter__case=old).values_list("channel", flat=True))
    assert channels == {"email", "post"}
    files = [media_root / letter.pdf.name for letter in letters]
    assert files and all(f.exists() for f in files)
    kept_files = [media_root / letter.pdf.name for letter in Letter.objects.filter(case=kept)]
    access_event_record(action="search", user=demo.user("wn-spoc"), details={"query": {"q": "Gone Person"}})
    assert Message.objects.filter(letter_dispatch__letter__case=old).exists()  # the email, queued

    people = sorted(
        CaseParty.objects.filter(case=old, person__isnull=False).values_list("person_id", flat=True)
    )
    old_rows, kept_rows = _rows_of(old.pk, people), _rows_of(kept.pk, [])
    assert all(count > 0 for count in old_rows.values()), old_rows
    before = {label: model.objects.count() for label, model in TABLES.items()}

    # Both are due (declined on the same day); the later case is not.
    planned = {row.application.pk: row for row in retention.plan(today=DUE_ON)}
    assert set(planned) >= {old.pk, kept.pk} and later.pk not in planned
    with django_capture_on_commit_callbacks(execute=True):
        retention.dispose(planned[old.pk])

    assert {label: model.objects.count() for label, model in TABLES.items()} == {
        label: before[label] - old_rows[label] for label in TABLES
    }
    assert set(_rows_of(old.pk, people).values()) == {0}
    assert _rows_of(kept.pk, []) == kept_rows
    assert not any(f.exists() for f in files)
    assert all(f.exists() for f in kept_files)
    assert Disposal.objects.get(case_reference=old.reference).record_kind == "case"
    logged = {r.model_label: r.object_pks for r in DeletionRecord.objects.all()}
    assert logged["applications.application"] == [old.pk]
    assert logged["applications.person"] == people
    assert not AccessEvent.objects.filter(details__icontains="Gone Person").exists()
    unscrubbed = AccessEvent.objects.filter(case_reference=old.reference, scrubbed_at__isnull=True)
    assert set(unscrubbed.values_list("action", flat=True)) == {"retention"}  # the scrub's own record


def test_the_run_deletes_a_closed_review_with_letters_instead_of_reporting_it_not_deleted(
    demo, django_capture_on_commit_callbacks
):
    old = _declined_with_letters(demo, name="Gone Person")
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = {due.application.pk: outcome for due, outcome in retention.run(today=DUE_ON)}
    assert outcomes[old.pk] == "deleted"
    assert not Case.objects.filter(pk=old.pk).exists()


def test_a_victim_who_is_a_party_to_another_case_stays_with_that_case(
    demo, django_capture_on_commit_callbacks
):
    """The people only the disposed case held go; one who is also a party to another case (here a
    witness in a later one: any role, any kind) stays, and so does their place on that case."""
    old = _declined_with_letters(demo, name="Gone Person")
    later = make_application(demo.partnership("west-northamptonshire"), victim_name="Later Case")
    witness = case_party_add(case=later, role="witness", person=old.victim, actor=demo.user("wn-csm"))
    due = next(row for row in retention.plan(today=DUE_ON) if row.application.pk == old.pk)
    with django_capture_on_commit_callbacks(execute=True):
        retention.dispose(due)
    assert not Case.objects.filter(pk=old.pk).exists()
    assert CaseParty.objects.filter(pk=witness.pk, person_id=old.victim_id).exists()


FAR_FUTURE = dt.date(2100, 1, 1)


def test_every_closed_review_of_the_demo_goes_at_the_end_of_its_retention(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    """The demo's cases use the product's features (letters posted and emailed, panels and their
    meeting items, actions, appeals, disclosures, repeats, holds): its West Northamptonshire
    reviews after a panel are closed too, then the clock moves on far past every period."""
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo", stdout=io.StringIO())
    wn = Application.objects.filter(partnership__slug="west-northamptonshire")
    csm = get_user_model().objects.get(username="wn-csm")
    for case in wn.filter(status__in=["panel_held", "monitoring"]):
        application_set_status(application=case, to="closed", actor=csm, summary="Action plan complete")
    closed = dict(
        Application.objects.filter(status__in=retention.CLOSED_STATUSES).values_list("pk", "reference")
    )
    assert LetterDispatch.objects.filter(letter__case__in=closed).exists()  # the bug's case: letters
    assert Case.objects.filter(pk__in=closed, panel_meetings__isnull=False).exists()
    assert Case.objects.filter(pk__in=closed, actions__isnull=False).exists()
    assert Case.objects.filter(pk__in=closed, appeals__isnull=False).exists()

    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", FAR_FUTURE.isoformat(), stdout=out)
    repeats_kept = [line for line in out.getvalue().splitlines() if "material change assessment" in line]
    assert repeats_kept and all(line.strip().startswith("KEEP ") for line in repeats_kept)
    with django_capture_on_commit_callbacks(execute=True):
        results = retention.run(today=FAR_FUTURE)
    outcomes = {due.application.reference: outcome for due, outcome in results}
    assert set(outcomes) == set(closed.values())
    assert not [(ref, o) for ref, o in outcomes.items() if o.startswith("not deleted")]
    kept = {ref: o for ref, o in outcomes.items() if o != "deleted"}
    # Kept only for a reason the run names: a legal hold, or a later case's repeat assessment.
    repeat = re.compile(
        r"kept: [A-Z]+-\d{4}-\d{4}'s material change assessment compares with it \(it goes with that case\)"
    )
    assert all(o == "kept: legal hold" or repeat.fullmatch(o) for o in kept.values()), kept
    assert sorted(Application.objects.filter(pk__in=closed).values_list("reference", flat=True)) == sorted(
        kept
    )
    deleted = [pk for pk, ref in closed.items() if ref not in kept]
    assert len(deleted) > 20
    assert not Letter.objects.filter(case_id__in=deleted).exists()


def test_an_earlier_application_a_repeats_assessment_compares_with_is_kept_until_the_later_goes(
    demo, django_capture_on_commit_callbacks
):
    """Kept on purpose, and said so: the later case's decision on a repeat request rests on the
    earlier case, so the earlier stays while the later is kept — then the next run deletes it."""
    from tests.repeats.test_repeats import _apply

    wn, csm = demo.partnership("west-northamptonshire"), demo.user("wn-csm")
    first = _apply(wn, dt.date(2025, 1, 10), full_name="Jo Bloggs", postcode="NN1 1AA")
    second = _apply(wn, dt.date(2025, 6, 2), full_name="Jo Bloggs", postcode="NN1 1AA")
    second = repeat_confirm(application=second, previous=first, actor=csm)
    material_change_assess(
        application=second,
        actor=csm,
        material_change=True,
        what_changed="New threats since May.",
        decision="consider",
        reasons="A material change.",
        assessed_on=dt.date(2025, 6, 5),
    )
    for case, on in ((first, dt.date(2025, 3, 1)), (second, dt.date(2025, 9, 1))):
        application_set_status(
            application=case, to="withdrawn", actor=csm, summary="Withdrawn", occurred_on=on
        )
    kept = f"kept: {second.reference}'s material change assessment compares with it (it goes with that case)"

    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", "2031-03-01", stdout=out)
    assert f"KEEP               {first.reference}" in out.getvalue()
    assert {due.application.pk: o for due, o in retention.run(today=dt.date(2031, 3, 1))} == {first.pk: kept}
    assert retention.erasure_plan(first.victim)[1] == [f"{first.reference} is {kept}"]

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = {due.application.pk: o for due, o in retention.run(today=dt.date(2031, 9, 1))}
    assert outcomes == {first.pk: kept, second.pk: "deleted"}
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = {due.application.pk: o for due, o in retention.run(today=dt.date(2031, 9, 1))}
    assert outcomes == {first.pk: "deleted"}
    assert not Case.objects.filter(pk__in=[first.pk, second.pk]).exists()
