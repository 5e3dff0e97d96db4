"""Writes to the ASB report log: recording and assigning reports, the ASB Case Review explanation,
confirming reports as a case's evidence, hotspot actions and repeat-caller triage.

Imports are in `imports.py`. Each function is one transaction; a change to a case (evidence
confirmed) goes through applications.services, which records the case event in that transaction.

Every write that adds a report, or moves one to another day or place, keeps the daily counts
(`ReportDailyCount`, read by hotspots) in step in that same transaction: `daily_counts_add`,
`daily_counts_move`; `daily_counts_rebuild` rebuilds them from the reports for repair.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, OrderedDict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from casereview.accounts.models import Agency, AgencyKind, Partnership
from casereview.applications.services import IncidentData, ReportData, case_event_record, incident_add
from casereview.web.concurrency import StaleRecord, content_claim, content_version

from .ingest import reports_arrived
from .keys import caller_as_sent, caller_key_normalise, location_key_normalise, location_match_key
from .models import (
    HotspotAction,
    Precision,
    RepeatCallerTriage,
    Report,
    ReportCorrection,
    ReportEvidence,
    ReportSource,
    ReportStatus,
    ReviewExplanation,
    Team,
)


def agency_for_import(*, partnership: Partnership, name: str, kind: str) -> Agency:
    """The partnership's agency of that name, added with the given kind if it is new (contracts §6).
    An existing agency of another kind is refused: the kind decides what counts as a relevant body."""
    agency, _ = Agency.objects.get_or_create(partnership=partnership, name=name, defaults={"kind": kind})
    if agency.kind != kind:
        raise ValidationError(
            {"agency_kind": f"{name} is already known to the partnership as {agency.get_kind_display()}"}
        )
    return agency


def _generated_reference() -> str:
    return f"CR-{timezone.localdate():%Y%m%d}-{secrets.token_hex(4).upper()}"


def report_record(
    *,
    partnership: Partnership,
    agency: Agency,
    reported_at: dt.datetime,
    location: str,
    actor,
    occurred_on: dt.date | None = None,
    channel: str = "",
    category: str = "",
    description: str = "",
    caller: str = "",
    hate: bool = False,
    latitude: float | None = None,
    longitude: float | None = None,
    agency_reference: str = "",
    team: Team | None = None,
) -> Report:
    """Record one report taken by staff. The reference defaults to a generated one (CR-date-random).

    The caller is stored as a normalised key (see keys.py); the caller key is personal data and
    is not written to the log output or put in any URL."""
    if agency.partnership_id != partnership.id:
        raise ValidationError({"agency": "That agency belongs to another partnership."})
    if team is not None and team.partnership_id != partnership.id:
        raise ValidationError({"team": "That team belongs to another partnership."})
    if timezone.is_naive(reported_at):
        reported_at = timezone.make_aware(reported_at)
    reported_on = timezone.localdate(reported_at)
    occurred_on = occurred_on or reported_on
    if occurred_on > reported_on:
        raise ValidationError({"occurred_on": "The date it happened must not be after the date reported."})
    location = location_key_normalise(location)
    if not location:
        raise ValidationError({"location": "Enter where it happened."})
    reference = agency_reference.strip() or _generated_reference()
    with transaction.atomic():
        if Report.objects.filter(agency=agency, agency_reference=reference).exists():
            raise ValidationError(
                {"agency_reference": f"{agency.name} already has a report with the reference {reference}."}
            )
        report = Report.objects.create(
            partnership=partnership,
            agency=agency,
            agency_kind=agency.kind,
            agency_reference=reference,
            occurred_on=occurred_on,
            reported_at=reported_at,
            reported_on=reported_on,
            date_precision=Precision.DAY,
            channel=channel,
            category=category.strip()[:100],
            description=description,
            location=location,
            latitude=latitude,
            longitude=longitude,
            caller=caller_as_sent(caller),
            hate=hate,
            team=team,
            status=ReportStatus.ASSIGNED if team else ReportStatus.NEW,
            source=ReportSource.RECORDED,
            recorded_by=actor,
        )
        daily_counts_add(partnership_id=partnership.id, reports=[report])
        reports_arrived(partnership_id=partnership.id, reports=[report], actor=actor)
    return report


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _shown_when(report: Report) -> str:
    if report.reported_at is None:
        return f"{report.reported_on:%B %Y} (month only)"
    local = timezone.localtime(report.reported_at)
    return f"{_long_date(local.date())}, {local:%H:%M}"


def _correctable_values(report: Report) -> dict[str, str]:
    """A report's correctable fields as staff see them (the caller key is not among them)."""
    return {
        "Where it happened": report.location,
        "When it was reported": _shown_when(report),
        "When it happened": _long_date(report.occurred_on),
        "Category": report.category or "not given",
        "What happened": report.description or "not given",
        "Motivated by hate": "yes" if report.hate else "no",
    }


def report_correct(
    *,
    report: Report,
    actor,
    reason: str,
    location: str | None = None,
    reported_at: dt.datetime | None = None,
    occurred_on: dt.date | None = None,
    category: str | None = None,
    description: str | None = None,
    hate: bool | None = None,
    caller: str | None = None,
    read_version: int | None = None,
) -> Report:
    """Correct a report (a mistyped place or date, a wrong category, a caller's new number — a
    rectification), in one transaction with the daily counts and the report's correction record
    (who, when, why, each old and new value): a report moved in place or day leaves its old daily
    count and is counted on the new one, so hotspots move with it. Giving a month-only report its
    `reported_at` dates it to the day (it then counts towards hotspots and repeat callers). The
    caller key is personal data kept off pages: the record says the caller changed, never the old or
    new key. `None` leaves a field as it is; a value equal to the current one is no change; with no
    change nothing is written."""
    reason = reason.strip()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        corrections = report.corrections.count()
        if read_version is not None and corrections != read_version:
            # Read with `read_version` corrections: one made since is shown, not overwritten.
            raise StaleRecord(report, what="report", version=corrections)
        old_key = _daily_key(report)
        before = _correctable_values(report)
        if location is not None:
            location = location_key_normalise(location)
            if not location:
                raise ValidationError({"location": "Enter where it happened."})
            report.location = location
        if reported_at is not None:
            if timezone.is_naive(reported_at):
                reported_at = timezone.make_aware(reported_at)
            if reported_at != report.reported_at:
                report.reported_at = reported_at
                report.reported_on = timezone.localdate(reported_at)
                report.date_precision = Precision.DAY
                if occurred_on is None and report.occurred_on > report.reported_on:
                    report.occurred_on = report.reported_on
        if occurred_on is not None:
            report.occurred_on = occurred_on
        if report.occurred_on > report.reported_on:
            raise ValidationError(
                {"occurred_on": "The date it happened must not be after the date reported."}
            )
        if category is not None:
            report.category = category.strip()[:100]
        if description is not None:
            report.description = description.strip()
        if hate is not None:
            report.hate = hate
        caller_before = report.caller
        if caller is not None and caller.strip():
            report.caller = caller_as_sent(caller)
        after = _correctable_values(report)
        changes = {label: [before[label], after[label]] for label in before if before[label] != after[label]}
        if report.caller != caller_before:
            changes["Caller"] = ["", ""]  # the page says "changed", never the key
        if not changes:
            return report
        if not reason:
            raise ValidationError({"reason": "Enter why the report is being corrected."})
        report.save(
            update_fields=[
                "location",
                "reported_at",
                "reported_on",
                "date_precision",
                "occurred_on",
                "category",
                "description",
                "hate",
                "caller",
            ]
        )
        daily_counts_move(partnership_id=report.partnership_id, old=old_key, new=_daily_key(report))
        ReportCorrection.objects.create(report=report, corrected_by=actor, changes=changes, reason=reason)
    return report


def _assignment(report: Report) -> tuple:
    return (report.team_id, report.status, report.outcome)


def report_assignment_version(report: Report) -> int:
    """The version of a report's team, status and outcome as its page read them (web.concurrency)."""
    return content_version(*_assignment(report))


def report_assign(
    *, report: Report, team: Team | None, status: str, outcome: str = "", read_version: int | None = None
) -> Report:
    """Pass a report to a team and/or record its progress and outcome. `read_version` is
    `report_assignment_version` as the page was read: refused (`StaleRecord`) when someone changed
    the team, status or outcome since."""
    if team is not None and team.partnership_id != report.partnership_id:
        raise ValidationError({"team": "That team belongs to another partnership."})
    with transaction.atomic():
        content_claim(report, read_version=read_version, values=_assignment, what="report")
        if status == ReportStatus.CLOSED and not outcome.strip() and not report.outcome:
            raise ValidationError({"outcome": "Enter the outcome before closing the report."})
        report.team = team
        report.status = status
        if outcome.strip():
            report.outcome = outcome.strip()
        report.save(update_fields=["team", "status", "outcome"])
    return report


def team_create(*, partnership: Partnership, name: str, kind: str, agency: Agency | None = None) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the team's name."})
    if Team.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a team called {name}."})
    return Team.objects.create(partnership=partnership, name=name, kind=kind, agency=agency)


def review_explanation_record(
    *,
    partnership: Partnership,
    caller: str,
    explained_on: dt.date,
    method: str,
    actor,
    report: Report | None = None,
    notes: str = "",
) -> ReviewExplanation:
    """Record that the ASB Case Review was explained to a caller (2025 statutory guidance)."""
    # Kept in the form callers are matched by (Report.caller_match): one explanation covers the
    # caller however their number or address was written on their reports.
    caller = caller_key_normalise(caller)
    if not caller:
        raise ValidationError({"caller": "The explanation must be recorded against a caller."})
    if explained_on > timezone.localdate():
        raise ValidationError({"explained_on": "The date explained cannot be in the future."})
    with transaction.atomic():
        return ReviewExplanation.objects.create(
            partnership=partnership,
            caller=caller,
            report=report,
            explained_on=explained_on,
            method=method,
            notes=notes.strip(),
            explained_by=actor,
        )


def evidence_confirm(*, application, reports: list[Report], actor) -> list:
    """Turn reports from the log into the case's incidents, all or nothing.

    The same incident reported to several agencies is recognised: reports of the same day at the
    same location (case and punctuation ignored) become ONE incident with one report per agency,
    so the threshold counts it once where the policy dedupes across agencies. Each incident is added
    by applications.services.incident_add (which records the case event and makes each agency party
    to the case)."""
    if not reports:
        raise ValidationError({"reports": "Select at least one report to add as evidence."})
    for report in reports:
        if report.partnership_id != application.partnership_id:
            raise ValidationError({"reports": "A report belongs to another partnership."})
        if report.month_only:
            raise ValidationError({"reports": "A report dated only to the month cannot be an incident."})
    groups: OrderedDict[tuple, list[Report]] = OrderedDict()
    for report in sorted(reports, key=lambda r: (r.occurred_on, r.reported_on, r.id)):
        groups.setdefault((report.occurred_on, location_match_key(report.location)), []).append(report)
    incidents = []
    with transaction.atomic():
        already = set(
            ReportEvidence.objects.select_for_update()
            .filter(application=application, report__in=reports)
            .values_list("report_id", flat=True)
        )
        if already:
            raise ValidationError({"reports": "Some of those reports are already evidence on this case."})
        for (occurred_on, _), group in groups.items():
            first = group[0]
            description = (
                "; ".join(dict.fromkeys(r.category or "ASB" for r in group))
                + f" at {first.location} (from the ASB report log)"
            )
            incident = incident_add(
                application=application,
                data=IncidentData(
                    occurred_on=occurred_on,
                    description=description[:1000],
                    location=first.location[:300],
                    reports=[
                        ReportData(
                            agency_kind=r.agency_kind,
                            agency=r.agency,
                            reported_on=r.reported_on,
                            agency_reference=r.agency_reference,
                            reporter="victim",
                        )
                        for r in group
                    ],
                ),
                actor=actor,
            )
            ReportEvidence.objects.bulk_create(
                ReportEvidence(report=r, application=application, incident=incident, confirmed_by=actor)
                for r in group
            )
            incidents.append(incident)
        case_event_record(
            application=application,
            kind="log_reports_confirmed",
            summary=f"{len(reports)} report(s) from the ASB report log confirmed as evidence "
            f"({len(incidents)} incident(s)).",
            actor=actor,
            data={"incidents": [i.ref for i in incidents]},
        )
    return incidents


def hotspot_action_record(
    *,
    partnership: Partnership,
    location: str,
    kind: str,
    description: str,
    taken_on: dt.date,
    actor,
    owner_agency: Agency | None = None,
    outcome: str = "",
) -> HotspotAction:
    location = location_key_normalise(location)
    if not location:
        raise ValidationError({"location": "Enter the hotspot location."})
    if not description.strip():
        raise ValidationError({"description": "Describe the action taken."})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": "The date of the action cannot be in the future."})
    if owner_agency is not None and owner_agency.partnership_id != partnership.id:
        raise ValidationError({"owner_agency": "That agency belongs to another partnership."})
    with transaction.atomic():
        return HotspotAction.objects.create(
            partnership=partnership,
            location=location,
            kind=kind,
            description=description.strip(),
            taken_on=taken_on,
            owner_agency=owner_agency,
            outcome=outcome.strip(),
            recorded_by=actor,
        )


def repeat_caller_triage_record(
    *,
    partnership: Partnership,
    caller: str,
    rule: str,
    calls: int,
    as_of: dt.date,
    vulnerable: bool,
    risk: str,
    outcome: str,
    actor,
    notes: str = "",
) -> RepeatCallerTriage:
    """Record the triage of a repeat caller. Seed 003 (Repeat Callers): a caller is "triaged for a
    multi-agency response where vulnerability and risk is identified", at the standing panel the
    policy routes `repeat_caller_triage` to; a referral for a multi-agency response without
    vulnerability or with low risk needs a note saying why."""
    from .models import TriageOutcome

    if outcome == TriageOutcome.MULTI_AGENCY and (not vulnerable or risk == "low") and not notes.strip():
        raise ValidationError(
            {"notes": "Explain why a multi-agency referral is needed without vulnerability and risk."}
        )
    with transaction.atomic():
        return RepeatCallerTriage.objects.create(
            partnership=partnership,
            caller=caller_as_sent(caller),
            rule=rule,
            calls=calls,
            as_of=as_of,
            vulnerable=vulnerable,
            risk=risk,
            outcome=outcome,
            notes=notes.strip(),
            triaged_by=actor,
        )


AGENCY_KINDS = tuple(AgencyKind.values)


# --- The daily counts (ReportDailyCount) ----------------------------------------------------------

# Adds to the count already there: bulk_create(update_conflicts=...) can only overwrite it. SQLite
# (3.24+) and PostgreSQL both read this. Keys are sorted, so two imports touching the same days
# take their row locks in the same order and cannot deadlock each other.
_UPSERT = (
    "INSERT INTO reports_reportdailycount (partnership_id, location, day, reports) VALUES {values} "
    "ON CONFLICT (partnership_id, location, day) "
    "DO UPDATE SET reports = reports_reportdailycount.reports + excluded.reports"
)
# As many keys as an import writes in one batch (imports.BATCH_SIZE reports; 4 parameters a key, well
# under SQLite's 32,766 and PostgreSQL's 65,535): one statement per batch.
_UPSERT_KEYS_PER_STATEMENT = 2000


class DailyCountsOutOfStep(RuntimeError):
    """The daily counts disagree with the reports (a write that bypassed the services)."""


def _daily_key(report: Report) -> tuple[str, dt.date] | None:
    """Where and when a report counts in the daily counts; None for a month-only report, which the
    hotspot rule never counts (core.hotspots)."""
    if report.date_precision != Precision.DAY:
        return None
    return report.location, report.reported_on


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("The daily counts change only inside the transaction that writes the reports.")


def daily_counts_add(*, partnership_id: int, reports: Iterable[Report]) -> None:
    """Count newly written reports into the daily counts, in the caller's transaction: one
    INSERT … ON CONFLICT DO UPDATE SET reports = reports + excluded.reports per 2,000 (location, day)
    keys (an import's batch). Month-only reports are not counted. `reports`: Reports, or anything
    with their `location`, `reported_on` and `date_precision` (an import's validated rows)."""
    _require_transaction()
    counts = Counter(key for key in map(_daily_key, reports) if key is not None)
    keys = sorted(counts)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _UPSERT_KEYS_PER_STATEMENT):
            chunk = keys[start : start + _UPSERT_KEYS_PER_STATEMENT]
            params: list = []
            for location, day in chunk:
                params += [
                    partnership_id,
                    location,
                    connection.ops.adapt_datefield_value(day),
                    counts[location, day],
                ]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(_UPSERT.format(values=values), params)  # noqa: S608 (placeholders only)


def daily_counts_move(
    *, partnership_id: int, old: tuple[str, dt.date] | None, new: tuple[str, dt.date] | None
) -> None:
    """One report moved from `old` (location, day) to `new` (None: not counted, month-only): one
    off the old count (the row goes at zero), one on the new. In the caller's transaction."""
    _require_transaction()
    if old == new:
        return
    if old is not None:
        location, day = old
        key = [partnership_id, location, connection.ops.adapt_datefield_value(day)]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reports_reportdailycount SET reports = reports - 1 "
                "WHERE partnership_id = %s AND location = %s AND day = %s AND reports > 0",
                key,
            )
            if cursor.rowcount != 1:
                raise DailyCountsOutOfStep(
                    f"No daily count for {location} on {day}: run `casereview rebuild-daily-counts`."
                )
            cursor.execute(
                "DELETE FROM reports_reportdailycount "
                "WHERE partnership_id = %s AND location = %s AND day = %s AND reports = 0",
                key,
            )
    if new is not None:
        location, day = new
        with connection.cursor() as cursor:
            cursor.execute(
                _UPSERT.format(values="(%s, %s, %s, 1)"),
                [partnership_id, location, connection.ops.adapt_datefield_value(day)],
            )


def daily_counts_remove(*, partnership_id: int, reports: Iterable[Report]) -> None:
    """Take reports about to be deleted out of the daily counts, in the caller's transaction: one
    UPDATE per (location, day), rows at zero deleted. Month-only reports were never counted."""
    _require_transaction()
    counts = Counter(key for key in map(_daily_key, reports) if key is not None)
    with connection.cursor() as cursor:
        for location, day in sorted(counts):
            key = [partnership_id, location, connection.ops.adapt_datefield_value(day)]
            cursor.execute(
                "UPDATE reports_reportdailycount SET reports = reports - %s "
                "WHERE partnership_id = %s AND location = %s AND day = %s AND reports >= %s",
                [counts[location, day], *key, counts[location, day]],
            )
            if cursor.rowcount != 1:
                raise DailyCountsOutOfStep(
                    f"No daily count for {location} on {day}: run `casereview rebuild-daily-counts`."
                )
            cursor.execute(
                "DELETE FROM reports_reportdailycount "
                "WHERE partnership_id = %s AND location = %s AND day = %s AND reports = 0",
                key,
            )


_REBUILD = (
    "INSERT INTO reports_reportdailycount (partnership_id, location, day, reports) "
    "SELECT partnership_id, location, reported_on, COUNT(*) FROM reports_report "
    "WHERE date_precision = 'day' {and_partnership} GROUP BY partnership_id, location, reported_on"
)


def daily_counts_rebuild(*, partnership: Partnership | None = None) -> int:
    """Rebuild the daily counts from the reports (all partnerships, or one), in one transaction:
    delete, then one INSERT … SELECT … GROUP BY — the same statement as the migration's backfill.
    On PostgreSQL the table is locked against writes first, so a report recorded meanwhile waits
    and is then counted once. Returns the number of daily rows."""
    params = [] if partnership is None else [partnership.id]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE reports_reportdailycount IN EXCLUSIVE MODE")
        if partnership is None:
            cursor.execute("DELETE FROM reports_reportdailycount")
        else:
            cursor.execute("DELETE FROM reports_reportdailycount WHERE partnership_id = %s", params)
        cursor.execute(
            _REBUILD.format(and_partnership="" if partnership is None else "AND partnership_id = %s"),  # noqa: S608
            params,
        )
        return cursor.rowcount
