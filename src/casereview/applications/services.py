"""Writes to applications. Every change to a case goes through a function here (or in another
app's services) that records a CaseEvent in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.accounts.models import Agency, Partnership
from casereview.core.case_kinds import CASE_REVIEW
from casereview.core.names import fold
from casereview.web.concurrency import StaleRecord, content_claim, content_version, row_lock, version_claim

from . import clocks
from .kinds import case_kind
from .models import (
    AllegedPerpetrator,
    Application,
    ApplicationAgency,
    Case,
    CaseClock,
    CaseEvent,
    CaseParty,
    Decision,
    Incident,
    IncidentReport,
    PartyRole,
    Person,
    Status,
    ThresholdDecision,
)


def case_event_record(
    *,
    application: Application,
    kind: str,
    summary: str,
    actor=None,
    data: dict | None = None,
    occurred_on: dt.date | None = None,
) -> CaseEvent:
    """Record one thing that happened to a case. Call inside the transaction of the change itself.

    `summary` is shown on the timeline to staff of every agency that can see the case: write it
    without special category data or a perpetrator's details; put detail the timeline needs in
    `data` only when every viewer may see it.
    """
    now = timezone.now()
    with transaction.atomic():
        event = CaseEvent.objects.create(
            application=application,
            kind=kind,
            summary=summary[:500],
            data=data or {},
            occurred_on=occurred_on or timezone.localdate(now),
            at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        case_clocks_refresh(application=application)
    return event


def case_clocks_refresh(*, application: Application) -> bool:
    """Recompute the case's stored clocks (CaseClock) and its next due date from its events, status
    and policy, in the caller's transaction. Called by `case_event_record` on every event, so the
    stored clocks follow whatever events start, meet or stop a clock (applications/clocks.py holds
    which) without knowing any event kind here.

    The rows are rewritten only when the computed clocks differ from the stored ones (most events
    start, meet or stop no clock); returns whether they did. The status is read from the database,
    not from the object passed in: a caller may hold an older copy of the case.
    """
    with transaction.atomic():
        current = (
            Case.objects.select_related("partnership")
            .only("id", "status", "next_due_on", "partnership")
            .get(pk=application.pk)
        )
        computed = clocks.clocks_compute(
            policy=current.partnership.policy,
            calendar=current.partnership.calendar,
            status=current.status,
            events=CaseEvent.objects.filter(application_id=current.pk).only(
                "id", "kind", "data", "occurred_on", "at"
            ),
            today=timezone.localdate(),
        )
        wanted = [{"position": p, **clocks.clock_row_values(clock)} for p, clock in enumerate(computed)]
        stored = CaseClock.objects.filter(application_id=current.pk)
        held = [
            {k: v for k, v in row.items() if k not in ("id", "application_id")}
            for row in stored.order_by("position").values()
        ]
        changed = held != wanted
        if changed:
            stored.delete()
            CaseClock.objects.bulk_create(CaseClock(application_id=current.pk, **row) for row in wanted)
        next_due_on = clocks.next_due_on(computed)
        if current.next_due_on != next_due_on:
            Case.objects.filter(pk=current.pk).update(next_due_on=next_due_on)
        application.next_due_on = next_due_on
    return changed


def _clock_rows_computed(applications, *, today: dt.date) -> dict[int, list]:
    """The clocks the core computes for each of ``applications`` (one query for all their events)."""
    events: dict[int, list] = {a.pk: [] for a in applications}
    for event in CaseEvent.objects.filter(application_id__in=events.keys()).only(
        "id", "application_id", "kind", "data", "occurred_on", "at"
    ):
        events[event.application_id].append(event)
    return {
        a.pk: clocks.clocks_compute(
            policy=a.partnership.policy,
            calendar=a.partnership.calendar,
            status=a.status,
            events=events[a.pk],
            today=today,
        )
        for a in applications
    }


def _clock_batches(partnership: Partnership | None, batch: int = 500):
    """The cases in batches, each case's partnership one shared object (its policy parsed once)."""
    partnerships = {p.pk: p for p in Partnership.objects.all()}
    cases = Case.objects.order_by("pk").only("id", "status", "next_due_on", "partnership_id")
    if partnership is not None:
        cases = cases.filter(partnership=partnership)
    ids = list(cases.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = list(cases.filter(pk__in=ids[start : start + batch]))
        for application in chunk:
            application.partnership = partnerships[application.partnership_id]
        yield chunk


def _stored_key(values: dict) -> tuple:
    return tuple(
        values[k]
        for k in (
            "name",
            "party",
            "request",
            "within",
            "start_event",
            "starts_on",
            "due_on",
            "done_on",
            "window",
        )
    )


def case_clocks_differences(*, partnership: Partnership | None = None) -> list[str]:
    """The references of the cases whose stored clocks (or next due date) differ from the clocks
    the core computes from their events now. Empty when every case is in step."""
    today = timezone.localdate()
    out_of_step = []
    for chunk in _clock_batches(partnership):
        computed = _clock_rows_computed(chunk, today=today)
        stored: dict[int, list] = {a.pk: [] for a in chunk}
        for row in CaseClock.objects.filter(application_id__in=stored.keys()).order_by("position").values():
            stored[row["application_id"]].append(_stored_key(row))
        for application in chunk:
            expected = [_stored_key(clocks.clock_row_values(c)) for c in computed[application.pk]]
            if stored[application.pk] != expected or application.next_due_on != clocks.next_due_on(
                computed[application.pk]
            ):
                out_of_step.append(application.pk)
    return list(Case.objects.filter(pk__in=out_of_step).values_list("reference", flat=True))


def case_clocks_rebuild(*, partnership: Partnership | None = None) -> int:
    """Rebuild every case's stored clocks and next due date from its events (one transaction per
    batch of cases). Returns the number of clock rows written."""
    today = timezone.localdate()
    written = 0
    for chunk in _clock_batches(partnership):
        with transaction.atomic():
            computed = _clock_rows_computed(chunk, today=today)
            CaseClock.objects.filter(application_id__in=[a.pk for a in chunk]).delete()
            rows = CaseClock.objects.bulk_create(
                CaseClock(application_id=a.pk, position=position, **clocks.clock_row_values(clock))
                for a in chunk
                for position, clock in enumerate(computed[a.pk])
            )
            written += len(rows)
            for application in chunk:
                next_due_on = clocks.next_due_on(computed[application.pk])
                if application.next_due_on != next_due_on:
                    Case.objects.filter(pk=application.pk).update(next_due_on=next_due_on)
    return written


def case_status_change(
    *,
    case: Case,
    to: str,
    actor,
    version: int | None = None,
    reason: str = "",
    summary: str = "",
    occurred_on: dt.date | None = None,
    data: dict | None = None,
    event_kind: str | None = None,
) -> Case:
    """The one place a case's status changes, for every kind (ADR 0048): the move must be one its
    kind's table (`applications.kinds.case_kind`) allows, and is recorded as a case event in the
    same transaction.

    `version` is the case's version the caller's form was read at: a case changed since is refused
    (`StaleRecord`) and nothing is written. `reason` is the officer's own words, kept on the event;
    `summary` is the timeline's line (by default "Status changed from … to …"). `event_kind` names
    the case event (by default the new status), so a clock event such as `acknowledged` or
    `accepted` starts its deadlines on `occurred_on`.
    """
    with transaction.atomic():
        # Lock the case and check the move on the row as it is now: of two officers acknowledging
        # at once, the second waits here and then finds the case already acknowledged.
        current = Case.objects.select_for_update().get(pk=case.pk)
        if version is not None and current.version != version:
            raise StaleRecord(current, what="case")
        table = case_kind(current.kind)
        previous = current.status
        refusal = table.transition_refusal(previous, to)
        if refusal is not None:
            raise ValidationError(table.refusal_words(refusal), code=refusal[0])
        current.status = to
        current.version += 1
        current.save(update_fields=["status", "version"])
        case.status, case.version = current.status, current.version
        event_data = {"from": previous, "to": to, **(data or {})}
        if reason:
            event_data["reason"] = reason
        case_event_record(
            application=case,
            kind=event_kind or to,
            summary=summary or f"Status changed from “{table.label_of(previous)}” to “{table.label_of(to)}”.",
            actor=actor,
            occurred_on=occurred_on,
            data=event_data,
        )
    return case


def case_open(
    *,
    partnership: Partnership,
    kind: str,
    received_on: dt.date,
    actor,
    subject: Person | None = None,
    subject_name: str = "",
    summary: str = "",
    channel: str = "",
) -> Case:
    """Open a case of a registered kind (not the review, which `application_create` opens with
    its incidents): in the kind's initial status, with its reference from the partnership's one
    sequence, the person it is about as its `subject` party, and an `opened` event — all or
    nothing. `subject_name` records a new person of that name as the subject, for an app that may
    not import this app's models (ADR 0037)."""
    table = case_kind(kind)
    if subject is None and subject_name.strip():
        subject = Person(full_name=subject_name.strip())
    with transaction.atomic():
        if subject is not None and subject.pk is None:
            subject.partnership = partnership
            person_name_key_set(subject)
            subject.save()
        case = Case.objects.create(
            partnership=partnership,
            kind=kind,
            reference=application_reference_next(partnership=partnership, year=received_on.year),
            received_on=received_on,
            channel=channel,
            status=table.initial_status,
            summary=summary,
        )
        if subject is not None:
            case_party_add(case=case, role=PartyRole.SUBJECT, person=subject, since=received_on, actor=actor)
        case_event_record(
            application=case,
            kind="opened",
            summary=f"{table.label} case opened.",
            actor=actor,
            occurred_on=received_on,
            data={"kind": kind},
        )
    return case


def case_subject_person(
    *, full_name: str, date_of_birth: dt.date | None = None, address: str = "", postcode: str = ""
) -> Person:
    """An unsaved person for `case_open(subject=…)`: the kinds above this app name the person a
    case is about without importing this app's models (ADR 0037)."""
    return Person(full_name=full_name, date_of_birth=date_of_birth, address=address, postcode=postcode)


def case_subject_add(*, case: Case, full_name: str, actor, since: dt.date | None = None) -> CaseParty:
    """One more person the case is about, in the `subject` role (a household's members, ADR 0076),
    for the kinds above this app that may not import its models. Called in the transaction of the
    service that records them, which writes the case event."""
    if not full_name.strip():
        raise ValueError("A case subject needs a name.")
    person = Person(partnership=case.partnership, full_name=full_name.strip())
    person_name_key_set(person)
    person.save()
    return case_party_add(case=case, role=PartyRole.SUBJECT, person=person, since=since, actor=actor)


def cases_of_kind_delete(*, kind: str, case_ids) -> int:
    """Delete cases of another kind than the review at the end of their retention (the kind's own
    app decides which and when, and deletes its own records first): their events, clocks, agencies
    and parties go with them, and the people who were parties only to them. The review's cases are
    never deleted here (privacy.retention.dispose does, with its own checks)."""
    if kind == CASE_REVIEW:
        raise ValueError("The review's cases are deleted by the retention schedule of privacy.retention.")
    deleted, _ = _cases_and_sole_people_delete(Case.objects.filter(pk__in=list(case_ids), kind=kind))
    return deleted


def case_and_sole_people_delete(*, case: Case) -> list[int]:
    """Delete one case of any kind at the end of its retention period (privacy.retention decides
    which and when, records it, and has the apps that point at it with PROTECT — its kind's own,
    the letters — delete their records of it first): its events, clocks, agencies, parties and
    everything else hanging from it go with it, and so do the people who were parties only to it
    (in no other case of any kind). Returns the ids of the people deleted, for the access log's
    scrub and the deletion log."""
    _, orphans = _cases_and_sole_people_delete(Case.objects.filter(pk=case.pk))
    return orphans


def _cases_and_sole_people_delete(cases) -> tuple[int, list[int]]:
    person_ids = set(
        CaseParty.objects.filter(case__in=cases, person__isnull=False).values_list("person_id", flat=True)
    )
    person_ids |= {pk for pair in cases.values_list("victim_id", "applicant_id") for pk in pair if pk}
    deleted = cases.count()
    cases.delete()
    still_used = set(CaseParty.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True))
    still_used |= set(Case.objects.filter(victim_id__in=person_ids).values_list("victim_id", flat=True))
    still_used |= set(Case.objects.filter(applicant_id__in=person_ids).values_list("applicant_id", flat=True))
    orphans = sorted(person_ids - still_used)
    Person.objects.filter(pk__in=orphans).delete()
    return deleted, orphans


def application_set_status(
    *,
    application: Application,
    to: str,
    actor,
    summary: str,
    occurred_on: dt.date | None = None,
    data: dict | None = None,
    event_kind: str | None = None,
) -> Application:
    """A review's status change: `case_status_change` with the review's table (kept under this
    name for the review's services). Refuses a move the process does not allow."""
    return case_status_change(
        case=application,
        to=to,
        actor=actor,
        summary=summary,
        occurred_on=occurred_on,
        data=data,
        event_kind=event_kind,
    )


def application_agency_link(*, application: Application, agency: Agency, reason: str) -> bool:
    """Make an agency party to a case (so its officers can see it). Returns True if newly linked."""
    if agency.partnership_id != application.partnership_id:
        raise ValidationError("That agency belongs to another partnership.")
    _, created = ApplicationAgency.objects.get_or_create(
        application=application, agency=agency, defaults={"reason": reason[:200]}
    )
    return created


def case_party_add(
    *,
    case: Case,
    role: str,
    person: Person | None = None,
    perpetrator: AllegedPerpetrator | None = None,
    since: dt.date | None = None,
    actor=None,
) -> CaseParty:
    """Put a person (or an alleged perpetrator, in that role only) on a case in a role, from
    `since`. Called in the transaction of the service that records them (application_create,
    perpetrator_save), which writes the case event; a person already current in that role on the
    case is not added twice."""
    if (person is None) == (perpetrator is None):
        raise ValueError("A case party is a person or an alleged perpetrator: give exactly one.")
    if (perpetrator is not None) != (role == PartyRole.ALLEGED_PERPETRATOR):
        raise ValueError("Only an alleged perpetrator takes the alleged perpetrator's role, and only it.")
    if role not in PartyRole.values:
        raise ValueError(f"Unknown party role {role!r}: one of {', '.join(PartyRole.values)}.")
    if person is not None:
        existing = CaseParty.objects.filter(case=case, role=role, person=person, until__isnull=True).first()
        if existing is not None:
            return existing
    return CaseParty.objects.create(
        case=case,
        role=role,
        person=person,
        perpetrator=perpetrator,
        since=since,
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def application_reference_next(*, partnership: Partnership, year: int) -> str:
    """The next reference, e.g. WN-2026-0007. Callers hold a transaction; the unique constraint on
    `reference` is the final guard against two requests taking the same number."""
    prefix = f"{partnership.reference_prefix}-{year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@dataclass
class ReportData:
    agency_kind: str
    reported_on: dt.date
    agency: Agency | None = None
    agency_name: str = ""
    agency_reference: str = ""
    reporter: str = "victim"
    confirmed: bool = False


@dataclass
class IncidentData:
    occurred_on: dt.date
    description: str = ""
    location: str = ""
    hate_motivations: list[str] = field(default_factory=list)
    diary_sheet: bool = False
    action_group: bool = False
    reports: list[ReportData] = field(default_factory=list)


def incident_add(*, application: Application, data: IncidentData, actor=None) -> Incident:
    """Add an incident with its reports; agencies it was reported to become party to the case."""
    with transaction.atomic():
        row_lock(application)  # incidents added at once take I4 and I5, not both I4
        number = application.incidents.count() + 1
        while application.incidents.filter(ref=f"I{number}").exists():
            number += 1
        incident = Incident.objects.create(
            application=application,
            ref=f"I{number}",
            occurred_on=data.occurred_on,
            description=data.description,
            location=data.location,
            hate_motivations=list(data.hate_motivations),
            diary_sheet=data.diary_sheet,
            action_group=data.action_group,
        )
        for report in data.reports:
            incident_report_add(incident=incident, data=report, actor=actor, record_event=False)
        case_event_record(
            application=application,
            kind="incident_added",
            summary=f"Incident {incident.ref} of {incident.occurred_on:%-d %B %Y} added "
            f"with {len(data.reports)} report(s).",
            actor=actor,
            data={"incident": incident.ref},
        )
    return incident


def incident_report_add(
    *, incident: Incident, data: ReportData, actor=None, record_event: bool = True
) -> IncidentReport:
    if data.reported_on < incident.occurred_on:
        raise ValidationError({"reported_on": "The report cannot be before the incident happened."})
    with transaction.atomic():
        report = IncidentReport.objects.create(
            incident=incident,
            agency=data.agency,
            agency_kind=data.agency.kind if data.agency else data.agency_kind,
            agency_name=data.agency.name if data.agency else data.agency_name,
            reported_on=data.reported_on,
            agency_reference=data.agency_reference,
            reporter=data.reporter or "victim",
            confirmed=data.confirmed,
        )
        if data.agency is not None:
            application_agency_link(
                application=incident.application,
                agency=data.agency,
                reason="Incident reported to this agency",
            )
        if record_event:
            case_event_record(
                application=incident.application,
                kind="incident_report_added",
                summary=f"Report to {report.agency_name or report.get_agency_kind_display()} "
                f"added to incident {incident.ref}.",
                actor=actor,
                data={"incident": incident.ref},
            )
    return report


def person_name_key_set(person: Person) -> Person:
    """Keep `Person.name_key` (the folded name staff search on) in step with `full_name`: call it
    wherever a person's name is written, before saving."""
    person.name_key = fold(person.full_name)[:200]
    return person


def application_create(
    *,
    partnership: Partnership,
    channel: str,
    received_on: dt.date,
    victim: Person,
    applicant: Person | None = None,
    applicant_relationship: str = "",
    victim_consent: bool | None = None,
    anonymous: bool = False,
    concerns: Iterable[str] = (),
    senior_manager_request: bool = False,
    senior_manager_reasons: str = "",
    summary: str = "",
    desired_outcome: str = "",
    location: str = "",
    incidents: Iterable[IncidentData] = (),
    language: str = "en",
    actor=None,
) -> Application:
    """Record a request for a review, however it arrived, with its incidents: all or nothing.

    The `received` event starts the acknowledgement clock on `received_on`. `language` ("en" or
    "cy") is the one the application was made in, which its correspondence follows.
    """
    with transaction.atomic():
        if victim.pk is None:
            victim.partnership = partnership
            person_name_key_set(victim)
            victim.save()
        if applicant is not None and applicant.pk is None:
            applicant.partnership = partnership
            person_name_key_set(applicant)
            applicant.save()
        application = Application.objects.create(
            partnership=partnership,
            reference=application_reference_next(partnership=partnership, year=received_on.year),
            received_on=received_on,
            channel=channel,
            status=Status.RECEIVED,
            victim=victim,
            applicant=applicant,
            applicant_relationship=applicant_relationship,
            victim_consent=victim_consent if applicant is not None else None,
            consent_recorded_on=received_on
            if (applicant is not None and victim_consent is not None)
            else None,
            anonymous=anonymous,
            concerns=list(concerns),
            senior_manager_request=senior_manager_request,
            senior_manager_reasons=senior_manager_reasons,
            summary=summary,
            desired_outcome=desired_outcome,
            location=location,
            language=language,
        )
        case_party_add(case=application, role=PartyRole.VICTIM, person=victim, since=received_on, actor=actor)
        if applicant is not None:
            case_party_add(
                case=application, role=PartyRole.APPLICANT, person=applicant, since=received_on, actor=actor
            )
        how = dict(application._meta.get_field("channel").choices)[channel]
        in_welsh = ", in Welsh" if language == "cy" else ""
        case_event_record(
            application=application,
            kind="received",
            summary=f"Application received ({how.lower()}{in_welsh}).",
            actor=actor,
            occurred_on=received_on,
            data={"channel": channel, "language": language},
        )
        for incident in incidents:
            incident_add(application=application, data=incident, actor=actor)
    return application


# --- The staff workspace: acknowledge, evidence, decide, withdraw ---------------------------------


def _check_day(*, day: dt.date, field_name: str, not_before: dt.date | None = None, label: str = "") -> None:
    """A date a person typed: not in the future, and not before the date it follows."""
    if day > timezone.localdate():
        raise ValidationError({field_name: f"{label or 'The date'} must be today or in the past."})
    if not_before is not None and day < not_before:
        raise ValidationError({field_name: f"{label or 'The date'} cannot be before {not_before:%-d %B %Y}."})


def application_acknowledge(*, application: Application, actor, acknowledged_on: dt.date) -> Application:
    """Record that the application was acknowledged. Starts the decision and SPOC clocks on
    `acknowledged_on` (the policy's "acknowledged" event); stops the acknowledgement clock."""
    _check_day(
        day=acknowledged_on,
        field_name="acknowledged_on",
        not_before=application.received_on,
        label="The date acknowledged",
    )
    return application_set_status(
        application=application,
        to=Status.ACKNOWLEDGED,
        actor=actor,
        summary="Application acknowledged.",
        occurred_on=acknowledged_on,
        event_kind="acknowledged",
    )


def application_consent_record(
    *, application: Application, actor, consent: bool, recorded_on: dt.date
) -> Application:
    """The victim's answer to a third party's application. Consent given re-opens the decision
    (awaiting consent -> acknowledged); consent refused leaves it to be declined as ineligible."""
    if not application.is_third_party:
        raise ValidationError({"consent": "Only an application made on the victim's behalf needs consent."})
    _check_day(day=recorded_on, field_name="recorded_on", not_before=application.received_on)
    with transaction.atomic():
        application.refresh_from_db(from_queryset=Application.objects.select_for_update())
        if application.victim_consent == consent and application.consent_recorded_on == recorded_on:
            raise ValidationError("The victim's answer is already recorded: someone else has just done this.")
        application.victim_consent = consent
        application.consent_recorded_on = recorded_on
        application.save(update_fields=["victim_consent", "consent_recorded_on"])
        summary = "The victim consented to the application." if consent else "The victim did not consent."
        if consent and application.status == Status.AWAITING_CONSENT:
            application_set_status(
                application=application,
                to=Status.ACKNOWLEDGED,
                actor=actor,
                summary=summary,
                occurred_on=recorded_on,
                event_kind="consent_recorded",
                data={"consent": consent},
            )
        else:
            case_event_record(
                application=application,
                kind="consent_recorded",
                summary=summary,
                actor=actor,
                occurred_on=recorded_on,
                data={"consent": consent},
            )
    return application


def _check_reports_not_before(incident: Incident, occurred_on: dt.date) -> None:
    earliest = incident.reports.order_by("reported_on").values_list("reported_on", flat=True).first()
    if earliest is not None and earliest < occurred_on:
        raise ValidationError(
            {
                "occurred_on": f"The incident cannot be after its earliest report "
                f"({earliest:%-d %B %Y}): change or remove that report first."
            }
        )


def incident_update(
    *, incident: Incident, actor, data: IncidentData, read_version: int | None = None
) -> Incident:
    """Change an incident's details (its reports are edited one by one). Refused (StaleRecord)
    when the incident changed since the form was read at `read_version`."""
    with transaction.atomic():
        incident = version_claim(incident, read_version=read_version, what="incident")
        _check_reports_not_before(incident, data.occurred_on)
        incident.occurred_on = data.occurred_on
        incident.description = data.description
        incident.location = data.location
        incident.hate_motivations = list(data.hate_motivations)
        incident.diary_sheet = data.diary_sheet
        incident.action_group = data.action_group
        incident.save()
        case_event_record(
            application=incident.application,
            kind="incident_updated",
            summary=f"Incident {incident.ref} changed.",
            actor=actor,
            data={"incident": incident.ref},
        )
    return incident


def incident_remove(*, incident: Incident, actor, reason: str = "") -> None:
    """Remove an incident and its reports from the evidence (a decision already made keeps the
    engine's record of it in ThresholdDecision.engine_result)."""
    with transaction.atomic():
        application, ref = incident.application, incident.ref
        count = incident.reports.count()
        incident.delete()
        case_event_record(
            application=application,
            kind="incident_removed",
            summary=f"Incident {ref} removed with {count} report(s).",
            actor=actor,
            data={"incident": ref, "reason": reason[:500]},
        )


def incident_report_update(
    *, report: IncidentReport, actor, data: ReportData, read_version: int | None = None
) -> IncidentReport:
    """Change one report. Refused (StaleRecord) when it changed since `read_version`."""
    with transaction.atomic():
        report = version_claim(report, read_version=read_version, what="report")
        incident = report.incident
        if data.reported_on < incident.occurred_on:
            raise ValidationError({"reported_on": "The report cannot be before the incident happened."})
        report.agency = data.agency
        report.agency_kind = data.agency.kind if data.agency else data.agency_kind
        report.agency_name = data.agency.name if data.agency else data.agency_name
        report.reported_on = data.reported_on
        report.agency_reference = data.agency_reference
        report.reporter = data.reporter or "victim"
        report.confirmed = data.confirmed
        report.save()
        if data.agency is not None:
            application_agency_link(
                application=incident.application,
                agency=data.agency,
                reason="Incident reported to this agency",
            )
        case_event_record(
            application=incident.application,
            kind="incident_report_updated",
            summary=f"Report to {report.agency_name or report.get_agency_kind_display()} "
            f"on incident {incident.ref} changed.",
            actor=actor,
            data={"incident": incident.ref},
        )
    return report


def incident_report_remove(*, report: IncidentReport, actor) -> None:
    with transaction.atomic():
        incident = report.incident
        name = report.agency_name or report.get_agency_kind_display()
        report.delete()
        case_event_record(
            application=incident.application,
            kind="incident_report_removed",
            summary=f"Report to {name} removed from incident {incident.ref}.",
            actor=actor,
            data={"incident": incident.ref},
        )


def incident_report_move(*, report: IncidentReport, to_incident: Incident, actor) -> IncidentReport:
    """Mark a report as the same incident as another: move it onto that incident. An incident left
    with no reports is removed (merged), so one incident told to several agencies counts once."""
    source = report.incident
    if to_incident.application_id != source.application_id:
        raise ValidationError({"to_incident": "Choose an incident of the same case."})
    if to_incident.pk == source.pk:
        raise ValidationError({"to_incident": "The report is already on that incident."})
    if report.reported_on < to_incident.occurred_on:
        raise ValidationError(
            {
                "to_incident": f"The report ({report.reported_on:%-d %B %Y}) is before incident "
                f"{to_incident.ref} happened ({to_incident.occurred_on:%-d %B %Y})."
            }
        )
    with transaction.atomic():
        report.incident = to_incident
        report.save(update_fields=["incident"])
        merged = not source.reports.exists()
        summary = f"Report to {report.agency_name or report.get_agency_kind_display()} moved from incident "
        summary += f"{source.ref} to {to_incident.ref}: the same incident."
        if merged:
            summary += f" Incident {source.ref} merged into {to_incident.ref}."
            source.delete()
        case_event_record(
            application=to_incident.application,
            kind="incident_merged" if merged else "incident_report_moved",
            summary=summary,
            actor=actor,
            data={"from": source.ref, "to": to_incident.ref, "merged": merged},
        )
    return report


@dataclass
class PerpetratorData:
    name: str = ""
    address: str = ""
    date_of_birth: dt.date | None = None
    description: str = ""
    aliases: str = ""
    phone: str = ""


def perpetrator_save(
    *,
    application: Application,
    actor,
    data: PerpetratorData,
    perpetrator: AllegedPerpetrator | None = None,
    read_version: int | None = None,
) -> AllegedPerpetrator:
    """Add or change an alleged perpetrator. The timeline says only that it happened: a
    perpetrator's details never go into an event summary (everyone who sees the case reads it).
    A change is refused (StaleRecord) when the details changed since `read_version`."""
    if not (data.name.strip() or data.description.strip()):
        raise ValidationError({"name": "Enter the person's name or describe them."})
    with transaction.atomic():
        created = perpetrator is None
        if perpetrator is not None:
            perpetrator = version_claim(
                perpetrator, read_version=read_version, what="alleged perpetrator's record"
            )
        perpetrator = perpetrator or AllegedPerpetrator(application=application)
        perpetrator.name = data.name.strip()
        perpetrator.address = data.address.strip()
        perpetrator.date_of_birth = data.date_of_birth
        perpetrator.description = data.description.strip()
        perpetrator.aliases = "\n".join(line.strip() for line in data.aliases.splitlines() if line.strip())
        perpetrator.phone = data.phone.strip()
        perpetrator.save()
        if created:
            case_party_add(
                case=application,
                role=PartyRole.ALLEGED_PERPETRATOR,
                perpetrator=perpetrator,
                since=timezone.localdate(),
                actor=actor,
            )
        case_event_record(
            application=application,
            kind="perpetrator_added" if created else "perpetrator_updated",
            summary="Alleged perpetrator added." if created else "Alleged perpetrator's details changed.",
            actor=actor,
        )
    return perpetrator


class DecisionChoice:
    ACCEPT = "accept"  # threshold met
    DECLINE = "decline"  # threshold not met
    ACCEPT_DISCRETION = "accept_discretion"  # not met, accepted at the manager's discretion
    ACCEPT_SAFEGUARDING = "accept_safeguarding"  # a senior manager's safeguarding decision
    DECLINE_INELIGIBLE = "decline_ineligible"  # not eligible (anonymous, excluded concern, no consent)
    AWAITING_CONSENT = "awaiting_consent"  # a third party's application, consent not yet known

    LABELS = {
        ACCEPT: "Accept: a review will take place",
        DECLINE: "Decline: the threshold is not met",
        ACCEPT_DISCRETION: "Accept at the manager's discretion although the threshold is not met",
        ACCEPT_SAFEGUARDING: "Accept as a senior manager, to safeguard a vulnerable victim",
        DECLINE_INELIGIBLE: "Decline: the application is not eligible",
        AWAITING_CONSENT: "Wait for the victim's consent",
    }


def decision_choices_for(*, outcome: str, user, application: Application) -> list[str]:
    """The decisions open to this user for the engine's outcome (the form offers these only)."""
    if outcome == "met":
        return [DecisionChoice.ACCEPT]
    if outcome == "awaiting_consent":
        return [DecisionChoice.AWAITING_CONSENT]
    if outcome == "ineligible":
        return [DecisionChoice.DECLINE_INELIGIBLE]
    choices = [DecisionChoice.DECLINE]
    if user.has_perm("applications.decide_discretion", application):
        choices.append(DecisionChoice.ACCEPT_DISCRETION)
    senior_route = application.partnership.policy.threshold.senior_manager.enabled
    if senior_route and user.has_perm("applications.decide_safeguarding", application):
        choices.append(DecisionChoice.ACCEPT_SAFEGUARDING)
    return choices


def application_decide(
    *,
    application: Application,
    actor,
    choice: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    expected_outcome: str | None = None,
) -> ThresholdDecision:
    """Decide the threshold: all in one transaction — the engine re-run on the records as they are
    now, the decision stored with the engine's result whole (and the policy's id and version), the
    status changed, the event recorded. An earlier decision stays on the record, superseded.

    `expected_outcome` is the outcome the officer saw on the confirmation page: if the evidence
    changed since, the engine's answer may differ, and the officer must look again.
    """
    from .threshold import threshold_compute

    decided_on = decided_on or timezone.localdate()
    reasons = reasons.strip()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not actor.has_perm("applications.decide", application):
            raise PermissionDenied("You cannot decide this application.")
        _check_day(day=decided_on, field_name="decided_on", not_before=application.received_on)
        engine = threshold_compute(application=application)
        result = engine.to_dict()
        outcome = result["outcome"]
        if expected_outcome is not None and expected_outcome != outcome:
            raise ValidationError(
                {"choice": "The evidence changed since you ran the threshold: check the result again."}
            )
        allowed = decision_choices_for(outcome=outcome, user=actor, application=application)
        if choice not in allowed:
            if choice == DecisionChoice.ACCEPT_DISCRETION and outcome == "not_met":
                raise PermissionDenied(
                    "Only a community safety manager or a senior manager may accept at discretion."
                )
            if choice == DecisionChoice.ACCEPT_SAFEGUARDING and outcome == "not_met":
                raise PermissionDenied("Only a senior manager may make a safeguarding decision.")
            raise ValidationError({"choice": "Choose one of the decisions open for this result."})
        if (
            outcome == "met"
            and result.get("route") == "senior_manager"
            and not actor.has_perm("applications.decide_safeguarding", application)
        ):
            raise PermissionDenied("Only a senior manager may accept on the senior manager's route.")
        if choice in (DecisionChoice.ACCEPT_DISCRETION, DecisionChoice.ACCEPT_SAFEGUARDING) and not reasons:
            raise ValidationError(
                {"reasons": "Enter the reasons for accepting although the threshold is not met."}
            )

        decision, status, kind, summary = {
            DecisionChoice.ACCEPT: (
                Decision.ACCEPTED,
                Status.ACCEPTED,
                "accepted",
                "Threshold met: accepted for review.",
            ),
            DecisionChoice.ACCEPT_DISCRETION: (
                Decision.ACCEPTED,
                Status.ACCEPTED,
                "accepted",
                "Threshold not met; accepted for review at the manager's discretion.",
            ),
            DecisionChoice.ACCEPT_SAFEGUARDING: (
                Decision.ACCEPTED,
                Status.ACCEPTED,
                "accepted",
                "Accepted for review by a senior manager to safeguard a vulnerable victim.",
            ),
            DecisionChoice.DECLINE: (
                Decision.DECLINED,
                Status.DECLINED,
                "declined",
                "Threshold not met: declined.",
            ),
            DecisionChoice.DECLINE_INELIGIBLE: (
                Decision.INELIGIBLE,
                Status.DECLINED,
                "declined",
                "Declined: the application is not eligible.",
            ),
            DecisionChoice.AWAITING_CONSENT: (
                "",
                Status.AWAITING_CONSENT,
                "awaiting_consent",
                "Waiting for the victim's consent before deciding.",
            ),
        }[choice]

        record = None
        if decision:
            record = ThresholdDecision.objects.create(
                application=application,
                policy_id=result["policy"]["id"],
                policy_version=result["policy"]["version"],
                policy_digest=engine.policy_digest,
                engine_outcome=outcome,
                engine_route=result.get("route") or "",
                qualifying_complaints=result.get("qualifying_complaints") or 0,
                engine_result=result,
                reason_codes=engine.codes_dict(),
                decision=decision,
                discretionary=choice == DecisionChoice.ACCEPT_DISCRETION,
                safeguarding=choice == DecisionChoice.ACCEPT_SAFEGUARDING,
                reasons=reasons,
                explanation=result.get("explanation", ""),
                decided_by=actor,
                decided_at=timezone.now(),
                decided_on=decided_on,
            )
        data = {"decision": record.pk if record else None, "choice": choice, "outcome": outcome}
        if application.status == status:  # re-deciding without a change of status
            case_event_record(
                application=application,
                kind="threshold_redecided",
                summary=summary,
                actor=actor,
                occurred_on=decided_on,
                data=data,
            )
        else:
            application_set_status(
                application=application,
                to=status,
                actor=actor,
                summary=summary,
                occurred_on=decided_on,
                event_kind=kind,
                data=data,
            )
    return record


def application_withdraw(
    *, application: Application, actor, reason: str, withdrawn_on: dt.date
) -> Application:
    """Withdraw the application (the victim's wish, or unreachable). Irreversible: no status follows."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason the application is withdrawn."})
    _check_day(day=withdrawn_on, field_name="withdrawn_on", not_before=application.received_on)
    return application_set_status(
        application=application,
        to=Status.WITHDRAWN,
        actor=actor,
        summary="Application withdrawn.",
        occurred_on=withdrawn_on,
        event_kind="withdrawn",
        data={"reason": reason[:1000]},
    )


# --- Contact details (letters and messages reach the person: letters.dispatch) -------------------------


def _contact_values(person: Person) -> tuple:
    return (person.address, person.postcode, person.email, person.contact_refusals)


def person_contact_version(person: Person) -> int:
    """The version of a person's contact details as the contact page reads them (web.concurrency)."""
    return content_version(*_contact_values(person))


def person_contact_update(
    *,
    application: Application,
    person: Person,
    actor,
    address: str,
    postcode: str,
    email: str,
    contact_refusals: Iterable[str],
    read_version: int | None = None,
) -> Person:
    """Record where and how the victim or the applicant may be written to, and the ways they must
    not be contacted (safe contact). The timeline says which details changed, never the details.
    `read_version` is `person_contact_version` as the page was read: refused (`StaleRecord`) when
    someone changed these details since."""
    from django.core.validators import validate_email

    from .models import SAFE_CONTACT_REFUSALS

    if person.pk not in (application.victim_id, application.applicant_id):
        raise ValidationError("That person is not the victim or the applicant of this case.")
    errors = {}
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if address.strip() and not postcode.strip():
        errors["postcode"] = "Enter the postcode"
    refusals = [r for r in SAFE_CONTACT_REFUSALS if r in set(contact_refusals)]
    if errors:
        raise ValidationError(errors)
    new = {
        "address": "\n".join(line.strip() for line in address.strip().splitlines() if line.strip()),
        "postcode": postcode.strip().upper()[:10],
        "email": email,
        "contact_refusals": ",".join(refusals),
    }
    who = "the applicant" if person.pk == application.applicant_id else "the victim"
    words = {
        "address": "postal address",
        "postcode": "postcode",
        "email": "email address",
        "contact_refusals": "ways not to contact",
    }
    with transaction.atomic():
        content_claim(
            person, read_version=read_version, values=_contact_values, what="person's contact details"
        )
        changed = [name for name, value in new.items() if getattr(person, name) != value]
        if not changed:
            return person
        for name, value in new.items():
            setattr(person, name, value)
        person.save(update_fields=list(new))
        case_event_record(
            application=application,
            kind="contact_details_updated",
            summary=f"Contact details of {who} updated: {', '.join(words[n] for n in changed)}.",
            actor=actor,
            data={"person": "applicant" if who == "the applicant" else "victim", "fields": changed},
        )
    return person


# --- For the apps above that write this app's records without its models (issue 15, ADR 0037) ----
# The online form (apply), data protection (privacy) and repeat applications (repeats).


def application_party_new(**details) -> Person:
    """An unsaved person (the victim or the applicant) for `application_create(victim=…,
    applicant=…)`, from Person's own field names: the online form names its people without
    importing this app's models."""
    return Person(**details)


def application_previous_set(*, application: Application, previous: Application) -> None:
    """Record that `application` repeats `previous` (`Application.previous_application`, which
    exists for repeats.services.repeat_confirm; the caller locks the row and records the event)."""
    application.previous_application = previous
    application.save(update_fields=["previous_application"])


def people_delete(*, pks) -> None:
    """Delete these people's records (an agreed erasure request: privacy.retention.erase_person)."""
    Person.objects.filter(pk__in=pks).delete()


def case_applicants_remove(*, person_ids, application_ids=None) -> int:
    """Take these people off the cases they applied on for someone else (of `application_ids` only,
    when given), with their relationship to the victim: an erasure, or one re-applied after a
    restore (privacy). The cases and their victims stay. Returns how many cases changed."""
    cases = Application.objects.filter(applicant_id__in=person_ids)
    if application_ids is not None:
        cases = cases.filter(pk__in=application_ids)
    return cases.update(applicant=None, applicant_relationship="")
