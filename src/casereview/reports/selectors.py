"""Reads of the ASB report log. Access is decided in `reports_visible_to`; the hotspot and
repeat-caller rules are computed in SQL here and tested against the core's reference functions
(`casereview.core.hotspots`) on the same data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from casereview.accounts.models import Partnership, Role

from .keys import caller_key_normalise, location_match_key, postcode_normalise
from .models import HotspotAction, Precision, Report, ReportEvidence, ReviewExplanation

# The community safety team: they take the reports, run the tasking meeting and triage repeat
# callers, so they see every report of their partnership (docs/reports.md, "Who sees what").
LOG_WIDE_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.ANALYST,
    Role.ADMINISTRATOR,
    Role.SENIOR_MANAGER,
    Role.HEAD_OF_SERVICE,
)

# The 2025 statutory guidance: explain the ASB Case Review to anyone who makes a second report
# within six months.
SECOND_REPORT_WINDOW_MONTHS = 6


def _signed_in_with_partnership(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.partnership_id)


def log_wide_access(user) -> bool:
    return _signed_in_with_partnership(user) and user.has_role(*LOG_WIDE_ROLES)


def log_any_access(user) -> bool:
    """Whether the user may open the report log at all (the wide roles, or an agency officer)."""
    return log_wide_access(user) or (
        _signed_in_with_partnership(user) and user.has_role(Role.AGENCY_OFFICER) and user.agency_id
    )


def reports_visible_to(user) -> QuerySet[Report]:
    """The reports this user may see: all of their partnership's for the community safety team;
    only their own agency's for an agency officer; none for anyone else, or signed out."""
    if not _signed_in_with_partnership(user):
        return Report.objects.none()
    in_partnership = Report.objects.filter(partnership_id=user.partnership_id)
    if user.has_role(*LOG_WIDE_ROLES):
        return in_partnership
    if user.has_role(Role.AGENCY_OFFICER) and user.agency_id:
        return in_partnership.filter(agency_id=user.agency_id)
    return Report.objects.none()


@dataclass
class LogFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    location: str = ""
    category: str = ""
    agency_id: int | None = None
    channel: str = ""
    caller: str = ""
    hate: bool | None = None
    status: str = ""
    team_id: int | None = None


def reports_filter(reports: QuerySet[Report], filters: LogFilters) -> QuerySet[Report]:
    """Apply the log's filters. Each is an equality or a range on an indexed column, except the
    location and category searches (prefix-insensitive contains), which narrow within a date range."""
    if filters.date_from:
        reports = reports.filter(reported_on__gte=filters.date_from)
    if filters.date_to:
        reports = reports.filter(reported_on__lte=filters.date_to)
    if filters.location:
        reports = reports.filter(location__icontains=filters.location)
    if filters.category:
        reports = reports.filter(category__icontains=filters.category)
    if filters.agency_id:
        reports = reports.filter(agency_id=filters.agency_id)
    if filters.channel:
        reports = reports.filter(channel=filters.channel)
    if filters.caller:
        reports = reports.filter(caller=caller_key_normalise(filters.caller))
    if filters.hate is not None:
        reports = reports.filter(hate=filters.hate)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.team_id:
        reports = reports.filter(team_id=filters.team_id)
    return reports


def log_page(reports: QuerySet[Report], *, page: int, per_page: int = 50) -> tuple[list[Report], bool]:
    """One page of the log, newest first, and whether there is a next page. Fetches one row more
    than the page instead of counting the whole match (the count is shown separately, capped)."""
    offset = (page - 1) * per_page
    rows = list(
        reports.select_related("agency", "team").order_by("-reported_on", "-id")[
            offset : offset + per_page + 1
        ]
    )
    return rows[:per_page], len(rows) > per_page


COUNT_CAP = 10_000


def log_count(reports: QuerySet[Report]) -> tuple[int, bool]:
    """How many reports match, counting at most COUNT_CAP + 1 rows so the page stays fast at
    national scale: returns (count, capped)."""
    count = reports.order_by().values("id")[: COUNT_CAP + 1].count()
    return min(count, COUNT_CAP), count > COUNT_CAP


# --- Hotspots -------------------------------------------------------------------------------------


def _period_ending_with(duration, as_of: dt.date) -> tuple[dt.date, dt.date]:
    from casereview.core.periods import period_ending_with

    return period_ending_with(duration, as_of)


def _counted(partnership: Partnership) -> QuerySet[Report]:
    """Reports that count towards hotspots and repeat callers: dated to the day (a month-only
    police.uk report cannot be placed in a 14-day window)."""
    return Report.objects.filter(partnership=partnership, date_precision=Precision.DAY)


def hotspot_window(partnership: Partnership, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    rule = partnership.policy.hotspots
    if rule is None:
        return None
    return _period_ending_with(rule.window, as_of)


def hotspot_counts(
    partnership: Partnership, first: dt.date, last: dt.date, *, more_than: int
) -> dict[str, int]:
    """Location -> reports in [first, last], for locations with more than `more_than`: one
    GROUP BY over the (partnership, location, reported_on) index."""
    rows = (
        _counted(partnership)
        .filter(reported_on__range=(first, last))
        .values("location")
        .annotate(reports=Count("id"))
        .filter(reports__gt=more_than)
        .values_list("location", "reports")
    )
    return dict(rows)


def hotspots_as_of(partnership: Partnership, as_of: dt.date) -> list[dict]:
    """Contracts §7: [{"location", "reports"}], largest first, then by location."""
    rule = partnership.policy.hotspots
    if rule is None:
        return []
    first, last = _period_ending_with(rule.window, as_of)
    counts = hotspot_counts(partnership, first, last, more_than=rule.more_than_reports)
    return [
        {"location": location, "reports": reports}
        for location, reports in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


@dataclass
class HotspotRow:
    location: str
    reports: int
    previous_reports: int  # in the window before this one
    status: str  # "new" | "continuing" | "closed"
    latitude: float | None = None
    longitude: float | None = None
    actions: list | None = None

    @property
    def trend(self) -> str:
        if self.reports > self.previous_reports:
            return "up"
        if self.reports < self.previous_reports:
            return "down"
        return "same"


@dataclass
class HotspotPicture:
    as_of: dt.date
    first: dt.date
    last: dt.date
    last_week: dt.date
    more_than: int
    current: list[HotspotRow]
    closed: list[HotspotRow]
    actions_since: list[HotspotAction]

    @property
    def new(self) -> list[HotspotRow]:
        return [row for row in self.current if row.status == "new"]

    @property
    def continuing(self) -> list[HotspotRow]:
        return [row for row in self.current if row.status == "continuing"]


def hotspot_picture(partnership: Partnership, as_of: dt.date) -> HotspotPicture | None:
    """The hotspots as of `as_of` with their trend, against the list a week earlier (the previous
    weekly tasking meeting): new, continuing and closed; and the actions taken since then.

    Four queries whatever the data: this window, the previous window (for the trend), last week's
    list, and the actions. None when the policy has no hotspot rule."""
    rule = partnership.policy.hotspots
    if rule is None:
        return None
    first, last = _period_ending_with(rule.window, as_of)
    current = hotspot_counts(partnership, first, last, more_than=rule.more_than_reports)
    previous_first, previous_last = _period_ending_with(rule.window, first - dt.timedelta(days=1))
    last_week = as_of - dt.timedelta(days=7)
    week_first, week_last = _period_ending_with(rule.window, last_week)
    last_week_hotspots = hotspot_counts(partnership, week_first, week_last, more_than=rule.more_than_reports)
    locations = set(current) | set(last_week_hotspots)
    previous = dict(
        _counted(partnership)
        .filter(reported_on__range=(previous_first, previous_last), location__in=locations)
        .values("location")
        .annotate(reports=Count("id"))
        .values_list("location", "reports")
    )
    # The most recent coordinates known for each location (for the map).
    coordinates = {
        row["location"]: (row["latitude"], row["longitude"])
        for row in Report.objects.filter(
            partnership=partnership, location__in=locations, latitude__isnull=False, reported_on__lte=as_of
        )
        .order_by("location", "-reported_on")
        .values("location", "latitude", "longitude")
    }
    actions = list(
        HotspotAction.objects.filter(partnership=partnership, location__in=locations, taken_on__lte=as_of)
        .select_related("owner_agency")
        .order_by("-taken_on", "-id")
    )
    by_location: dict[str, list] = {}
    for action in actions:
        by_location.setdefault(action.location, []).append(action)

    def row(location: str, reports: int, status: str) -> HotspotRow:
        lat, lon = coordinates.get(location, (None, None))
        return HotspotRow(
            location=location,
            reports=reports,
            previous_reports=previous.get(location, 0),
            status=status,
            latitude=lat,
            longitude=lon,
            actions=by_location.get(location, []),
        )

    current_rows = [
        row(location, reports, "continuing" if location in last_week_hotspots else "new")
        for location, reports in sorted(current.items(), key=lambda item: (-item[1], item[0]))
    ]
    closed_counts = {}
    if set(last_week_hotspots) - set(current):
        closed_counts = dict(
            _counted(partnership)
            .filter(reported_on__range=(first, last), location__in=set(last_week_hotspots) - set(current))
            .values("location")
            .annotate(reports=Count("id"))
            .values_list("location", "reports")
        )
    closed_rows = [
        row(location, closed_counts.get(location, 0), "closed")
        for location in sorted(set(last_week_hotspots) - set(current))
    ]
    actions_since = [a for a in actions if last_week < a.taken_on <= as_of]
    return HotspotPicture(
        as_of=as_of,
        first=first,
        last=last,
        last_week=last_week,
        more_than=rule.more_than_reports,
        current=current_rows,
        closed=closed_rows,
        actions_since=actions_since,
    )


# --- Repeat callers -------------------------------------------------------------------------------


def repeat_callers_as_of(partnership: Partnership, as_of: dt.date) -> list[dict]:
    """Contracts §7: [{"caller", "rule", "calls"}], each caller once under the first rule (in
    policy order) met; most calls first, then by caller. One GROUP BY per rule, with the recent
    window as a filtered count in the same pass."""
    found: dict[str, dict] = {}
    for rule in partnership.policy.repeat_callers:
        first, last = _period_ending_with(rule.window, as_of)
        matching = Q(channel=rule.channel) if rule.channel is not None else Q(agency_kind=rule.agency_kind)
        rows = _counted(partnership).exclude(caller="").filter(matching)
        annotations = {"calls": Count("id", filter=Q(reported_on__range=(first, last)))}
        scan_first = first
        if rule.recent_window is not None:
            recent_first, recent_last = _period_ending_with(rule.recent_window, as_of)
            annotations["recent"] = Count("id", filter=Q(reported_on__range=(recent_first, recent_last)))
            scan_first = min(first, recent_first)
        rows = (
            rows.filter(reported_on__range=(scan_first, last))
            .values("caller")
            .annotate(**annotations)
            .filter(calls__gte=rule.min_calls)
        )
        if rule.min_recent_calls is not None:
            rows = rows.filter(recent__gte=rule.min_recent_calls)
        for item in rows.values("caller", "calls"):
            found.setdefault(
                item["caller"], {"caller": item["caller"], "rule": rule.name, "calls": item["calls"]}
            )
    return sorted(found.values(), key=lambda item: (-item["calls"], item["caller"]))


def caller_latest_report_ids(partnership: Partnership, callers: list[str]) -> dict[str, int]:
    """Each caller's latest report id: pages link to a caller's history by report id, so the caller
    key (a phone number or e-mail address) never appears in a URL."""
    return dict(
        Report.objects.filter(partnership=partnership, caller__in=callers)
        .values("caller")
        .annotate(latest=Max("id"))
        .values_list("caller", "latest")
    )


# --- The second report within six months ---------------------------------------------------------


def second_report_window(reported_on: dt.date) -> tuple[dt.date, dt.date]:
    from casereview.core.periods import Duration, period_ending_with

    return period_ending_with(Duration(SECOND_REPORT_WINDOW_MONTHS, "months"), reported_on)


def review_explanation_due(report: Report) -> bool:
    """Whether the officer should explain the ASB Case Review to this report's caller: the caller
    is known, has made at least two reports in the six months ending with this one, and has not
    had it explained in that time."""
    if not report.caller or report.month_only:
        return False
    first, last = second_report_window(report.reported_on)
    reports = Report.objects.filter(
        partnership_id=report.partnership_id,
        caller=report.caller,
        date_precision=Precision.DAY,
        reported_on__range=(first, last),
    ).count()
    if reports < 2:
        return False
    return not ReviewExplanation.objects.filter(
        partnership_id=report.partnership_id, caller=report.caller, explained_on__range=(first, last)
    ).exists()


# --- Evidence for a case --------------------------------------------------------------------------


@dataclass
class EvidenceCandidate:
    report: Report
    matched_by: str  # "caller" | "address"
    reporter: str  # "victim" | "another caller"


def evidence_candidates(application) -> list[EvidenceCandidate]:
    """The victim's reports in the log, offered as incident evidence for an application
    (docs/reports.md, "Matching"):

    - by caller: the report's caller key equals the victim's (or the applicant's) e-mail address
      or phone number, normalised the same way;
    - by address: the report's location matches the victim's address or the application's
      location (first line, case and punctuation ignored) or contains the victim's postcode, and
      the report has no caller or the same caller.

    Only reports dated to the day, made on or before the application date within the policy's
    threshold window, and not already confirmed on this case.
    """
    from casereview.core.periods import period_ending_with

    partnership = application.partnership
    window = partnership.policy.threshold.window
    first, last = period_ending_with(window, application.received_on)
    people = [p for p in (application.victim, application.applicant) if p is not None]
    caller_keys = {caller_key_normalise(value) for p in people for value in (p.email, p.phone) if value}
    caller_keys.discard("")
    victim = application.victim
    # The address lines to match: the victim's first address line and the application's location.
    address_lines = [
        line
        for line in ((victim.address.splitlines() or [""])[0].strip(), application.location.strip())
        if line
    ]
    address_keys = {location_match_key(line) for line in address_lines if len(location_match_key(line)) >= 5}
    postcode = postcode_normalise(victim.postcode)

    base = (
        Report.objects.filter(
            partnership=partnership, date_precision=Precision.DAY, reported_on__range=(first, last)
        )
        .exclude(id__in=ReportEvidence.objects.filter(application=application).values("report_id"))
        .select_related("agency")
    )
    by_caller = list(base.filter(caller__in=caller_keys)) if caller_keys else []
    # SQL narrows by the start of each address line (or the postcode); Python then compares the
    # loose keys, so "12 Bemerton St." matches "12 bemerton st" but not "12 Bemerton Street North".
    narrow = Q()
    for line in address_lines:
        narrow |= Q(location__istartswith=line[:6])
    if len(postcode) >= 6:
        narrow |= Q(location__icontains=postcode)
    by_address = []
    if address_keys or len(postcode) >= 6:
        for report in base.filter(Q(caller="") | Q(caller__in=caller_keys)).filter(narrow):
            key = location_match_key(report.location)
            if key in address_keys or (len(postcode) >= 6 and postcode.lower() in report.location.lower()):
                by_address.append(report)
    seen: set[int] = set()
    found: list[EvidenceCandidate] = []
    for report in by_caller:
        seen.add(report.id)
        found.append(EvidenceCandidate(report=report, matched_by="caller", reporter="victim"))
    for report in by_address:
        if report.id not in seen:
            seen.add(report.id)
            found.append(EvidenceCandidate(report=report, matched_by="address", reporter="victim"))
    found.sort(key=lambda c: (c.report.occurred_on, c.report.reported_on, c.report.id))
    return found
