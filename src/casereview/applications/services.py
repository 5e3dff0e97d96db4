"""Writes to applications. Every change to a case goes through a function here (or in another
app's services) that records a CaseEvent in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.accounts.models import Agency, Partnership

from .models import (
    ALLOWED_TRANSITIONS,
    Application,
    ApplicationAgency,
    CaseEvent,
    Incident,
    IncidentReport,
    Person,
    Status,
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
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        summary=summary[:500],
        data=data or {},
        occurred_on=occurred_on or timezone.localdate(now),
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


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
    """The one place a case's status changes. Refuses a move the process does not allow.

    `event_kind` names the case event (defaults to the new status), so a clock event such as
    `acknowledged` or `accepted` starts its deadlines on `occurred_on`.
    """
    allowed = ALLOWED_TRANSITIONS.get(application.status, frozenset())
    if to not in allowed:
        raise ValidationError(
            f"A case that is “{Status(application.status).label}” cannot become “{Status(to).label}”."
        )
    with transaction.atomic():
        previous = application.status
        application.status = to
        application.save(update_fields=["status"])
        case_event_record(
            application=application,
            kind=event_kind or to,
            summary=summary,
            actor=actor,
            occurred_on=occurred_on,
            data={"from": previous, "to": to, **(data or {})},
        )
    return application


def application_agency_link(*, application: Application, agency: Agency, reason: str) -> bool:
    """Make an agency party to a case (so its officers can see it). Returns True if newly linked."""
    if agency.partnership_id != application.partnership_id:
        raise ValidationError("That agency belongs to another partnership.")
    _, created = ApplicationAgency.objects.get_or_create(
        application=application, agency=agency, defaults={"reason": reason[:200]}
    )
    return created


def application_reference_next(*, partnership: Partnership, year: int) -> str:
    """The next reference, e.g. WN-2026-0007. Callers hold a transaction; the unique constraint on
    `reference` is the final guard against two requests taking the same number."""
    prefix = f"{partnership.reference_prefix}-{year}-"
    last = (
        Application.objects.filter(reference__startswith=prefix)
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
    actor=None,
) -> Application:
    """Record a request for a review, however it arrived, with its incidents: all or nothing.

    The `received` event starts the acknowledgement clock on `received_on`.
    """
    with transaction.atomic():
        if victim.pk is None:
            victim.partnership = partnership
            victim.save()
        if applicant is not None and applicant.pk is None:
            applicant.partnership = partnership
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
        )
        how = dict(application._meta.get_field("channel").choices)[channel]
        case_event_record(
            application=application,
            kind="received",
            summary=f"Application received ({how.lower()}).",
            actor=actor,
            occurred_on=received_on,
            data={"channel": channel},
        )
        for incident in incidents:
            incident_add(application=application, data=incident, actor=actor)
    return application
