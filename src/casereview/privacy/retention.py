"""The retention schedule (docs/data-protection.md): how long each kind of record is kept after it
closes, what is due to go, and disposing of it — with a legal hold stopping it.

Default: six years from closure (Limitation Act 1980 s.2; the Islington notice, seed 002). A case
of any kind closes when its kind's table moves it to a status that is not open — the review's
closed, withdrawn or declined (threshold not met), a standing panel's case closed with the panel's
agreement or turned away; its closure date is the day of that last status change on its timeline.
Disposal deletes the case with everything that hangs from it (incidents, reports, decisions,
events, special category data, consent and hold records, evidence files on disk; for a kind of
another app, that app's own records of it first, through what it registered), deletes the people
in it who appear in no other case, scrubs the personal data from the access log's rows about them,
and records the disposal (reference and rule only) in the Disposal register and the deletion log.

Every kind of case has a rule here (ADR 0095): the review's is this module's own; an app that adds
a kind registers its rule at ready() (`register_case_kind_retention`), so this app never imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Model, ProtectedError, Q

from casereview.applications.kinds import case_kind_families, case_kinds
from casereview.applications.selectors import (
    applications_at_statuses,
    applications_of_person,
    case_parties,
    cases_closed,
    person_exists,
)
from casereview.applications.services import (
    case_and_sole_people_delete,
    case_applicants_remove,
    people_delete,
)
from casereview.core.case_kinds import CASE_REVIEW, REVIEW_KIND
from casereview.letters.services import letter_files_remove, letters_of_cases_delete

from .deletion_log import before_delete, deletion_log_record

# Closed, withdrawn or declined (threshold not met): the review's statuses that are not open.
CLOSED_STATUSES = tuple(status for status in REVIEW_KIND.statuses if not REVIEW_KIND.is_open(status))


def schedule() -> dict[str, dict]:
    years = settings.CASEREVIEW_RETENTION_YEARS
    overrides = getattr(settings, "CASEREVIEW_RETENTION_SCHEDULE", {})
    base = {
        "case": {
            "label": "A case",
            "years": years,
            "from": "closure (closed, withdrawn or threshold not met)",
            "why": "Limitation Act 1980 s.2: six years for claims; the partners' retention schedules",
            "because": "Limitation Act 1980",
        },
        # No law, guidance or partner notice we hold names a period for a standing panel's cases
        # (Community MARAC, the Cuckooing Panel, Repeat Callers …): they are kept as the review's
        # cases are, the case period (and its override) unless one of their own is set.
        "panel_case": {
            "label": "A standing panel's case",
            "years": overrides.get("case", years),
            "from": "closure (closed with the panel's agreement, or turned away)",
            "why": "no source names a period for them: the case period, as the review's (Limitation "
            "Act 1980 s.2: six years for claims)",
            "because": "the case period: Limitation Act 1980",
        },
        "data_subject_request": {
            "label": "A data subject request",
            "years": 2,
            "from": "the request's completion",
            "why": "ICO guidance: long enough to deal with complaints about the response",
        },
        # The ASB report log (docs/reports.md): each record by its own date. A report that is a
        # case's evidence stays while that case is kept (the case's own retention then frees it).
        "asb_report": {
            "label": "An ASB report",
            "years": years,
            "from": "the date reported",
            "why": "Limitation Act 1980 s.2, as for cases: a report can be a victim's evidence",
        },
        "review_explanation": {
            "label": "An explanation of the review",
            "years": years,
            "from": "the date the ASB Case Review was explained",
            "why": "as the reports that prompted it",
        },
        # The outbox (docs/notifications.md): the text and address of a message, once it has been
        # sent or dealt with. The row (channel, purpose, when, status) stays as the record that it
        # went; the letter it carried is kept with the letter, on the case's own schedule.
        "message_body": {
            "label": "The text and address of a message sent",
            "years": 1,
            "from": "the day it was written",
            "why": "the record that it was sent (on the case timeline) is enough after that",
        },
        "repeat_caller_triage": {
            "label": "A repeat-caller triage",
            "years": years,
            "from": "the date of the triage",
            "why": "as the reports it was made on",
        },
    }
    for kind, years_override in overrides.items():
        base.setdefault(kind, {"from": "closure", "why": "local schedule"})["years"] = years_override
    return base


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def closure_date(application) -> dt.date | None:
    """The day a closed case of any kind closed: the last event moving it to its status (the
    status change's own event — `panel_case_closed` for a standing panel's case — names the status
    it moved to), or None while its kind's table counts it open."""
    if application.kind_table.is_open(application.status):
        return None
    event = (
        application.events.filter(Q(kind=application.status) | Q(data__to=application.status))
        .order_by("-occurred_on", "-id")
        .first()
    )
    if event is None:
        event = application.events.order_by("-occurred_on", "-id").first()
    return event.occurred_on if event else application.received_on


def cases_under_legal_hold(case_ids) -> set[int]:
    """Which of these cases (of any kind) a legal hold stands on: a record kept by another app's
    schedule that holds one of them stays while the hold does (a standing panel's minutes)."""
    from .models import LegalHold

    return set(
        LegalHold.objects.filter(application_id__in=list(case_ids), lifted_at__isnull=True).values_list(
            "application_id", flat=True
        )
    )


# --- Every kind of case (ADR 0095) -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseKindRetention:
    """How the schedule keeps the cases of one kind (or of a family of kinds, by its prefix).

    `schedule_key`: its row of `schedule()` (years, from, why). `words(case)`: the kind in words for
    the dry run ("Community MARAC"). (An app's own records of a case, of whatever kind, are deleted
    through `register_case_records` below.) `own_schedule`: the
    kind's cases are planned and disposed of by that registered schedule instead (the interventions,
    kept from their last timeline event: docs/interventions.md), so the case plan leaves them out.
    """

    kind: str
    schedule_key: str = "case"
    words: Callable[[Model], str] | None = None
    own_schedule: str = ""


_case_kind_rules: dict[str, CaseKindRetention] = {}


def register_case_kind_retention(
    kind: str,
    *,
    schedule_key: str = "case",
    words: Callable[[Model], str] | None = None,
    own_schedule: str = "",
) -> None:
    """An app's kind of case (or family of kinds: its prefix, "panel:") on the schedule."""
    _case_kind_rules[kind] = CaseKindRetention(kind, schedule_key, words, own_schedule)


def case_kind_retention(kind: str) -> CaseKindRetention | None:
    """The rule of a kind: its own, else its family's; None for a kind no app gave a rule."""
    if kind in _case_kind_rules:
        return _case_kind_rules[kind]
    for prefix in case_kind_families():
        if kind.startswith(prefix) and prefix in _case_kind_rules:
            return _case_kind_rules[prefix]
    return None


def kinds_without_retention() -> list[str]:
    """Registered kinds and families of kinds with no rule: their closed cases would be kept for
    ever (the deployment check privacy.checks names them)."""
    kinds = [table.kind for table in case_kinds()] + case_kind_families()
    return [kind for kind in kinds if case_kind_retention(kind) is None]


register_case_kind_retention(CASE_REVIEW, schedule_key="case", words=lambda case: REVIEW_KIND.label)


@dataclass
class Due:
    application: Model  # a closed case (applications.Case; applications.Application for a review)
    closed_on: dt.date
    due_on: dt.date
    held: bool
    reason: str
    kind_words: str = ""
    record_kind: str = "case"  # its row of schedule()
    kept: str = ""  # why another record keeps it past its period (`kept_because`), if it does


def _due(case, *, rule: CaseKindRetention, words: str) -> Due:
    entry = schedule()[rule.schedule_key]
    years = entry["years"]
    closed_on = closure_date(case)
    due_on = add_years(closed_on, years)
    held = any(h.lifted_at is None for h in case.legal_holds.all())
    reason = (
        f"{case.status_label} on {closed_on:%-d %B %Y}; kept {years} years from closure "
        f"({entry.get('because', entry['why'])}), so due on {due_on:%-d %B %Y}"
    )
    if held:
        reason += " — but a legal hold stops it"
    return Due(case, closed_on, due_on, held, reason, words, rule.schedule_key)


def plan(*, today: dt.date, partnership=None) -> list[Due]:
    """Every closed case of every kind due on or before today, with when it was due and why.

    The review's cases, and those of every other kind with a rule (a standing panel's cases), but
    not the kinds an app keeps on a schedule of its own (`own_schedule`: the interventions)."""
    own = [rule.kind for rule in _case_kind_rules.values() if rule.own_schedule]
    reviews = applications_at_statuses(CLOSED_STATUSES, partnership=partnership)
    others = cases_closed(partnership=partnership, exclude_kinds=[CASE_REVIEW, *own])
    rows = []
    words: dict[tuple[int, str], str] = {}  # a kind's words read the partnership's policy once
    for cases in (reviews, others):
        for case in cases.select_related("partnership").prefetch_related("legal_holds"):
            rule = case_kind_retention(case.kind)
            if rule is None or rule.own_schedule:
                continue
            key = (case.partnership_id, case.kind)
            if key not in words:
                words[key] = rule.words(case) if rule.words else case.kind_table.label
            due = _due(case, rule=rule, words=words[key])
            if due.due_on <= today:
                rows.append(due)
    kept = kept_because([row.application.pk for row in rows])
    for row in rows:
        row.kept = "; ".join(kept.get(row.application.pk, []))
    return sorted(rows, key=lambda r: (r.due_on, r.application.reference))


# --- What other apps keep about a case of any kind (registered at ready(), ADR 0037) -----------------
# An app above this one that holds rows pointing at a case with PROTECT (so they would stop the case
# being deleted: Django's ProtectedError, reported "not deleted" on every run) gives the schedule
#  - `records_delete(case_ids=)`: its rows that belong to the cases and go with them, deleted in the
#    disposal's transaction before the case, returning {model label: primary keys} (an LPB review
#    of the case's threshold decision); or
#  - `kept_because(case_ids=)`: {case id: why} for a case that must stay while another record still
#    needs it (another case's repeat assessment compares with it): the run says so ("kept: …").
_case_records_deletes: dict[str, Callable[..., dict[str, list[int]]]] = {}
_case_keepers: dict[str, Callable[..., dict[int, str]]] = {}


def register_case_records(
    key: str,
    *,
    records_delete: Callable[..., dict[str, list[int]]] | None = None,
    kept_because: Callable[..., dict[int, str]] | None = None,
) -> None:
    if records_delete is not None:
        _case_records_deletes[key] = records_delete
    if kept_because is not None:
        _case_keepers[key] = kept_because


def kept_because(case_ids) -> dict[int, list[str]]:
    """Why each of these cases must stay although its own period has ended (none: it may go)."""
    found: dict[int, list[str]] = {}
    for keeper in _case_keepers.values():
        for case_id, why in keeper(case_ids=list(case_ids)).items():
            found.setdefault(case_id, []).append(why)
    return found


class CaseKept(Exception):
    """A case whose period has ended that another record still needs (`kept_because`)."""


def dispose(due: Due, *, actor_name: str = "retention schedule") -> None:
    """Delete one case of any kind at the end of its retention period, all or nothing (ADR 0095):
    its kind's own records of it (the rule it registered: a standing panel's referral), what other
    apps keep about it (an LPB review), its letters (their dispatches, and their PDFs once the
    transaction commits), then the case with everything hanging from it (incidents, decisions,
    events, evidence, whose files go on commit) and the people only it held; the access log's rows
    about them scrubbed, each model's keys in the deletion log and a line in the disposal register.

    Refused (ValueError) under a legal hold, and (CaseKept) while another record still needs it."""
    from casereview.audit.services import access_events_scrub

    from .models import Disposal, EvidenceFile
    from .services import evidence_file_path

    if due.held:
        raise ValueError(f"{due.application.reference} is under a legal hold")
    case = due.application
    rule = case_kind_retention(case.kind)
    if rule is None or rule.own_schedule:
        raise ValueError(f"{case.reference}: cases of the kind {case.kind!r} are not disposed of here")
    reference, case_pk = case.reference, case.pk
    # The review's cases are logged as they always were ("applications.application": a restore
    # replays either label through this function).
    case_label = "applications.application" if case.kind == CASE_REVIEW else "applications.case"
    names = []
    for party in case_parties(case):
        if party.person is not None:
            names += [party.person.full_name, party.person.organisation_name]
        if party.perpetrator is not None:
            names.append(party.perpetrator.name)
    names = [n for n in dict.fromkeys(names) if n]
    files = [evidence_file_path(f) for f in EvidenceFile.objects.filter(application_id=case_pk)]
    with transaction.atomic():
        kept = kept_because([case_pk]).get(case_pk)
        if kept:
            raise CaseKept("; ".join(kept))
        own: dict[str, list[int]] = {}
        for records_delete in _case_records_deletes.values():
            for label, pks in records_delete(case_ids=[case_pk]).items():
                own[label] = [*own.get(label, []), *pks]
        letter_files = letters_of_cases_delete(case_ids=[case_pk])
        orphans = case_and_sole_people_delete(case=case)
        access_events_scrub(
            case_reference=reference, object_type="applications.person", object_ids=orphans, names=names
        )
        access_events_scrub(object_type=case_label, object_ids=[case_pk])
        for label, pks in own.items():
            if pks:
                access_events_scrub(object_type=label.lower(), object_ids=pks)
                deletion_log_record(model_label=label, pks=pks, reason=due.reason)
        deletion_log_record(model_label=case_label, pks=[case_pk], reason=due.reason)
        deletion_log_record(model_label="applications.person", pks=orphans, reason=due.reason)
        Disposal.objects.create(
            case_reference=reference,
            partnership_slug=case.partnership.slug,
            record_kind=due.record_kind,
            method="deleted",
            rule=due.reason[:300],
            closed_on=due.closed_on,
            disposed_by=actor_name,
        )
        transaction.on_commit(lambda: [f.unlink(missing_ok=True) for f in files])
        transaction.on_commit(lambda: letter_files_remove(letter_files))


def requests_due(*, today: dt.date, partnership=None):
    """Data subject requests answered more than the schedule's years ago."""
    from .models import DataSubjectRequest

    years = schedule()["data_subject_request"]["years"]
    rows = DataSubjectRequest.objects.filter(completed_on__isnull=False)
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    return [r for r in rows.order_by("completed_on", "id") if add_years(r.completed_on, years) <= today]


def requests_dispose(*, today: dt.date, partnership=None) -> int:
    from casereview.audit.services import access_events_scrub

    from .models import Disposal

    count = 0
    for request in requests_due(today=today, partnership=partnership):
        with transaction.atomic():
            pk, slug = request.pk, request.partnership.slug
            request.delete()
            access_events_scrub(object_type="privacy.datasubjectrequest", object_ids=[pk])
            deletion_log_record(
                model_label="privacy.datasubjectrequest", pks=[pk], reason="Data subject request retention"
            )
            Disposal.objects.create(
                case_reference=f"DSR-{pk}",
                partnership_slug=slug,
                record_kind="data_subject_request",
                method="deleted",
                rule=f"Answered on {request.completed_on:%-d %B %Y}; kept "
                f"{schedule()['data_subject_request']['years']} years",
                closed_on=request.completed_on,
            )
            count += 1
    return count


def run(*, today: dt.date, partnership=None, actor_name: str = "retention schedule") -> list[tuple[Due, str]]:
    """Dispose of everything due; each case in its own transaction. Returns (due, outcome) rows."""
    results = []
    for due in plan(today=today, partnership=partnership):
        if due.held:
            results.append((due, "kept: legal hold"))
            continue
        if due.kept:
            results.append((due, f"kept: {due.kept}"))
            continue
        try:
            dispose(due, actor_name=actor_name)
        except CaseKept as kept:
            results.append((due, f"kept: {kept}"))
        except ProtectedError as exc:
            results.append(
                (due, f"not deleted: other records still point to it ({exc.protected_objects!r:.100})")
            )
        else:
            results.append((due, "deleted"))
    return results


def erasure_plan(person) -> tuple[list, list[str]]:
    """The cases an erasure request for `person` would delete, and the reasons it cannot go ahead
    (an open case: the review still needs the record; a legal hold)."""
    cases = list(applications_of_person(person).prefetch_related("legal_holds"))
    blockers = []
    for case in cases:
        if case.status not in CLOSED_STATUSES:
            blockers.append(f"{case.reference} is still open ({case.get_status_display().lower()})")
        if any(h.lifted_at is None for h in case.legal_holds.all()):
            blockers.append(f"{case.reference} is under a legal hold")
    # What another record keeps (a later case of someone else comparing with one of these, a flag
    # in place); one of these cases comparing with another of them is no bar: the later goes first.
    for case_id, reasons in kept_because([case.pk for case in cases]).items():
        reference = next(case.reference for case in cases if case.pk == case_id)
        blockers += [f"{reference} is kept: {why}" for why in reasons]
    return cases, blockers


def erase_person(person, *, request_pk: int, actor) -> list[str]:
    """Act on an agreed erasure request: delete each (closed, unheld) case the person is the victim
    in; where they only applied for someone else, remove their details from that case instead."""
    cases, blockers = erasure_plan(person)
    if blockers:
        raise ValueError("; ".join(blockers))
    done = []
    # The newest first: a later case's repeat assessment compares with an earlier one.
    cases.sort(key=lambda case: (case.received_on, case.pk), reverse=True)
    with transaction.atomic():
        for case in cases:
            if case.victim_id == person.pk:
                dispose(
                    Due(
                        case,
                        closure_date(case),
                        closure_date(case),
                        False,
                        f"Erasure request {request_pk} agreed",
                    ),
                    actor_name=actor.get_username(),
                )
                done.append(f"{case.reference} deleted")
            else:
                case_applicants_remove(person_ids=[person.pk], application_ids=[case.pk])
                done.append(f"{case.reference}: the applicant's details removed")
        if person_exists(person.pk):
            from casereview.audit.services import access_events_scrub

            names = [n for n in (person.full_name, person.organisation_name) if n]
            person_pk = person.pk
            people_delete(pks=[person_pk])
            access_events_scrub(
                object_type="applications.person", object_ids=[person_pk], names=names, actor=actor
            )
            deletion_log_record(
                model_label="applications.person",
                pks=[person_pk],
                reason=f"Erasure request {request_pk} agreed",
            )
    return done


# --- The ASB report log ------------------------------------------------------------------------------

LOG_KINDS = {
    # kind: (app label, model, date field, what the records are called)
    "asb_report": ("reports", "Report", "reported_on", "ASB reports"),
    "review_explanation": ("reports", "ReviewExplanation", "explained_on", "explanations of the review"),
    "repeat_caller_triage": ("reports", "RepeatCallerTriage", "as_of", "repeat-caller triages"),
}
LOG_BATCH = 2000


@dataclass
class LogDue:
    """How many records of one kind of one partnership are due, dated on or before `cutoff`."""

    kind: str
    partnership: object
    cutoff: dt.date
    due: int
    kept: int  # reports that are a kept case's evidence
    reason: str


def _log_records(kind: str, *, today: dt.date, partnership):
    from django.apps import apps

    app_label, model_name, date_field, _ = LOG_KINDS[kind]
    model = apps.get_model(app_label, model_name)
    cutoff = add_years(today, -schedule()[kind]["years"])
    rows = model.objects.filter(**{f"{date_field}__lte": cutoff, "partnership": partnership})
    return rows, cutoff


def log_plan(*, today: dt.date, partnership=None) -> list[LogDue]:
    """For each partnership and kind of report-log record, how many are due and why."""
    from casereview.accounts.models import Partnership

    partnerships = [partnership] if partnership is not None else list(Partnership.objects.order_by("slug"))
    found = []
    for scope in partnerships:
        for kind, (_, _, _, called) in LOG_KINDS.items():
            rows, cutoff = _log_records(kind, today=today, partnership=scope)
            kept = rows.filter(evidence__isnull=False).distinct().count() if kind == "asb_report" else 0
            due = rows.count() - kept
            if not due and not kept:
                continue
            years = schedule()[kind]["years"]
            reason = (
                f"{called} dated on or before {cutoff:%-d %B %Y}: kept {years} years from "
                f"{schedule()[kind]['from']}"
            )
            if kept:
                reason += f"; {kept} kept while the cases they are evidence of are kept"
            found.append(LogDue(kind, scope, cutoff, due, kept, reason))
    return found


def log_dispose(
    *, today: dt.date, partnership=None, actor_name: str = "retention schedule"
) -> list[tuple[LogDue, int]]:
    """Delete the report-log records that are due, in batches of LOG_BATCH, each batch one
    transaction: the reports leave the daily counts (hotspots of later dates do not change), their
    corrections go with them, the access log's rows about them are scrubbed, and each kind of each
    partnership gets one line in the disposal register."""
    from casereview.audit.services import access_events_scrub

    from .models import Disposal

    results = []
    for due in log_plan(today=today, partnership=partnership):
        if not due.due:
            results.append((due, 0))
            continue
        app_label, model_name, _, _ = LOG_KINDS[due.kind]
        deleted = 0
        while True:
            with transaction.atomic():
                rows, _ = _log_records(due.kind, today=today, partnership=due.partnership)
                if due.kind == "asb_report":
                    rows = rows.filter(evidence__isnull=True)
                batch = list(rows.select_for_update(of=("self",)).order_by("pk")[:LOG_BATCH])
                if not batch:
                    break
                ids = [row.pk for row in batch]
                before_delete(f"{app_label}.{model_name}", batch)
                rows.model.objects.filter(pk__in=ids).delete()
                access_events_scrub(object_type=f"{app_label}.{model_name.lower()}", object_ids=ids)
                deletion_log_record(model_label=f"{app_label}.{model_name}", pks=ids, reason=due.reason)
                deleted += len(ids)
        with transaction.atomic():
            Disposal.objects.create(
                case_reference=f"{due.kind} to {due.cutoff:%Y-%m-%d}"[:40],
                partnership_slug=due.partnership.slug,
                record_kind=due.kind,
                method="deleted",
                rule=f"{deleted} {due.reason}"[:300],
                closed_on=due.cutoff,
                disposed_by=actor_name,
            )
        results.append((due, deleted))
    return results


def message_bodies_due(*, today: dt.date, partnership=None):
    """Outbox messages past the schedule whose text and address are still stored. Messages still
    waiting (queued, or a task for staff) are never cut: they have not gone yet."""
    from casereview.notifications.selectors import messages_with_bodies_due

    cutoff = add_years(today, -schedule()["message_body"]["years"])
    return messages_with_bodies_due(cutoff=cutoff, partnership=partnership)


def message_bodies_delete(*, today: dt.date, partnership=None) -> int:
    """Blank the text, subject, address and attachment reference of the messages due (the letter's
    own PDF stays with the letter). One transaction; returns how many. Noted in the deletion log
    (as `notifications.message`: the row stays, its text goes), so a restore of an older backup
    blanks them again (`deletion_log._replay_one`)."""
    from django.utils import timezone

    with transaction.atomic():
        due = message_bodies_due(today=today, partnership=partnership)
        pks = list(due.values_list("pk", flat=True))
        count = due.model.objects.filter(pk__in=pks, body_deleted_at__isnull=True).update(
            **message_body_blanked(timezone.now())
        )
        deletion_log_record(
            model_label="notifications.message",
            pks=pks,
            reason="Retention schedule: the text and address of a message sent more than a year ago",
        )
        return count


def message_body_blanked(when) -> dict:
    """The fields of an outbox message as the retention schedule leaves them."""
    return {
        "body": "",
        "subject": "",
        "to": "",
        "attachment": "",
        "attachment_name": "",
        "body_deleted_at": when,
    }


# --- Records other apps keep on the schedule (registered at ready(), ADR 0037) ---------------------
# An app above data protection in the layers (casereview.people: profiles, identifiers, places and
# their links) registers what `casereview retention` prints on a dry run and what it deletes, so this
# app never imports it. `plan(today=, partnership=)` gives the dry run's line or "" when nothing is
# due; `dispose(today=, partnership=, actor_name=)` deletes and gives the line saying what went.
_schedules: dict[str, tuple[Callable[..., str], Callable[..., str]]] = {}


def register_schedule(key: str, *, plan: Callable[..., str], dispose: Callable[..., str]) -> None:
    _schedules[key] = (plan, dispose)


def registered_plans(*, today, partnership=None) -> list[str]:
    lines = (plan(today=today, partnership=partnership) for plan, _ in _schedules.values())
    return [line for line in lines if line]


def registered_dispose(*, today, partnership=None, actor_name: str) -> list[str]:
    lines = (
        dispose(today=today, partnership=partnership, actor_name=actor_name)
        for _, dispose in _schedules.values()
    )
    return [line for line in lines if line]
