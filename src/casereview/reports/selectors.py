"""Reads of the ASB report log. Access is decided in `reports_visible_to`; the hotspot and
repeat-caller rules are computed in SQL here and tested against the core's reference functions
(`casereview.core.hotspots`) on the same data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.models import Count, Max, Q, QuerySet, Sum

from casereview.accounts.models import Partnership, Role
from casereview.core.periods import MONTHS
from casereview.web.pagination import counts_capped

from .keys import caller_key_normalise, location_match_key, postcode_normalise
from .models import (
    HotspotAction,
    Precision,
    RepeatCallerTriage,
    Report,
    ReportDailyCount,
    ReportEvidence,
    ReviewExplanation,
)

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


def report_correctable_by(user, report: Report) -> bool:
    """Who may correct where or when a report was made: the community safety team, or an officer of
    the agency the report was made to (docs/reports.md)."""
    return log_wide_access(user) or bool(log_any_access(user) and user.agency_id == report.agency_id)


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
        reports = reports.filter(caller_match=caller_key_normalise(filters.caller))
    if filters.hate is not None:
        reports = reports.filter(hate=filters.hate)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.team_id:
        reports = reports.filter(team_id=filters.team_id)
    return reports


def log_page(reports: QuerySet[Report], *, page: int, per_page: int = 50) -> tuple[list[Report], bool]:
    """One page of the log, newest first, and whether there is a next page. Fetches one row more
    than the page instead of counting the whole match (the count is shown separately, capped).

    One query in two steps: the page's ids in a subquery — on PostgreSQL an index-only scan of
    (partnership, reported_on) that filters on its included columns without visiting the table —
    and those rows alone around it, in the same order."""
    offset = (page - 1) * per_page
    order = ("-reported_on", "-id")
    ids = reports.order_by(*order).values("id")[offset : offset + per_page + 1]
    rows = list(Report.objects.filter(id__in=ids).select_related("agency", "team").order_by(*order))
    return rows[:per_page], len(rows) > per_page


COUNT_CAP = 10_000


def log_count(reports: QuerySet[Report], *, request=None) -> tuple[int, bool]:
    """How many reports match, counting at most COUNT_CAP + 1 rows so the page stays fast at
    national scale: returns (count, capped). With ``request``, the layout's counts are counted in
    the same query (web.pagination.counts_capped)."""
    count = counts_capped({"reports": reports}, COUNT_CAP, request=request)["reports"]
    return min(count, COUNT_CAP), count > COUNT_CAP


# --- Hotspots -------------------------------------------------------------------------------------


# The dates a hotspot or repeat-caller question may be asked "as of": wide enough for any record
# and any plan, narrow enough that a window ending with it (months before) is still a date.
AS_OF_EARLIEST = dt.date(1900, 1, 1)
AS_OF_LATEST = dt.date(2999, 12, 31)


def as_of_parse(text: str) -> dt.date:
    """An "as of" date typed as YYYY-MM-DD. Raises ValueError, with a message, if it is not one or
    is outside AS_OF_EARLIEST..AS_OF_LATEST."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if not AS_OF_EARLIEST <= day <= AS_OF_LATEST:
        raise ValueError(f"{day.isoformat()} is outside {AS_OF_EARLIEST.year} to {AS_OF_LATEST.year}")
    return day


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


def _location_counts(partnership: Partnership, first: dt.date, last: dt.date) -> QuerySet:
    """Location -> reports dated to the day in [first, last], summed from the daily counts
    (`ReportDailyCount`, at most one row per location and day; month-only reports are not in it,
    as the rule never counts them)."""
    return (
        ReportDailyCount.objects.filter(partnership=partnership, day__range=(first, last))
        .values("location")
        .annotate(window_reports=Sum("reports"))
    )


def hotspot_counts(
    partnership: Partnership, first: dt.date, last: dt.date, *, more_than: int
) -> dict[str, int]:
    """Location -> reports in [first, last], for locations with more than `more_than`: one
    GROUP BY over the daily counts of the window's days (an index-only scan on PostgreSQL)."""
    rows = (
        _location_counts(partnership, first, last)
        .filter(window_reports__gt=more_than)
        .values_list("location", "window_reports")
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


# The full rolling recompute: every location, every day it had reports, the count in the hotspot
# window ending that day — one window function over the daily counts (docs/performance.md; on
# PostgreSQL numpy counts the windows instead, below: ADR 0090). The
# window is a fixed number of days: an integer RANGE frame over the generated `day_number`.
_HOTSPOT_HISTORY = """
WITH rolling AS (
    SELECT location, day, SUM(reports) OVER (
        PARTITION BY location ORDER BY day_number RANGE BETWEEN {back} PRECEDING AND CURRENT ROW
    ) AS window_reports
    FROM reports_reportdailycount
    WHERE partnership_id = %s {part}
)
SELECT location, COUNT(*), MIN(day), MAX(day), MAX(window_reports)
FROM rolling
WHERE window_reports > %s
GROUP BY location
"""

# PostgreSQL runs a window function on one core. Locations are independent of one another, so on
# PostgreSQL the recompute is split into ranges of location, each range on its own connection at the
# same time (settings.REPORTS_RECOMPUTE_PARTS, default 2), and the parts' rows put together. Any
# split is correct as long as the ranges do not overlap; for parts of about equal work the
# boundaries are taken from PostgreSQL's own statistics of the column, which ANALYZE and autovacuum
# keep: its equal-frequency histogram, or where every value is a common one (a small table) its most
# common values, in the database's own order.
_LOCATION_STATISTICS = """
SELECT DISTINCT value FROM (
    SELECT unnest(COALESCE(histogram_bounds, most_common_vals)::text::text[]) AS value FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'reports_reportdailycount' AND attname = 'location'
) AS known
ORDER BY value
"""


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def hotspot_history(partnership: Partnership) -> list[dict]:
    """The hotspot rule recomputed over all history: for every location that was ever a hotspot on
    a day it had reports, how many such days (`days`), the first and last of them, and the most
    reports in one window (`peak`). Most days first, then by location. Empty without a rule.

    For a window in days or weeks: on PostgreSQL the daily counts come out packed and numpy counts
    the windows (ADR 0090); elsewhere one window function over the daily counts. A window in months
    (not a fixed number of days) is summed in Python over the same daily rows. Tested against
    `casereview.core.hotspots.hotspot_history`."""
    rule = partnership.policy.hotspots
    if rule is None:
        return []
    some_day = dt.date(2000, 1, 1)
    first, last = _period_ending_with(rule.window, some_day)
    if rule.window.unit == MONTHS:
        rows = _hotspot_history_stepwise(partnership, rule)
    elif connection.vendor == "postgresql":
        rows = _hotspot_history_numpy(partnership, int((last - first).days), rule.more_than_reports)
    else:
        sql = _HOTSPOT_HISTORY.format(back=int((last - first).days), part="{part}")
        rows = _hotspot_history_rows(sql, [partnership.id, rule.more_than_reports])
    found = [
        {
            "location": location,
            "days": int(days),
            "first": _as_date(first_day),
            "last": _as_date(last_day),
            "peak": int(peak),
        }
        for location, days, first_day, last_day, peak in rows
    ]
    return sorted(found, key=lambda item: (-item["days"], item["location"]))


def _recompute_alias() -> str:
    """The database the recompute reads: the router's choice for the daily counts (the read replica
    on a lag-tolerant page when there is one, web/replica.py), else the primary."""
    return router.db_for_read(ReportDailyCount) or DEFAULT_DB_ALIAS


def _recompute_boundaries() -> list[str]:
    """Locations that cut the daily counts into REPORTS_RECOMPUTE_PARTS ranges of about equal size.
    None (one part, on the caller's own connection) on SQLite, inside a transaction (other
    connections cannot see its uncommitted rows), or before the table has statistics."""
    parts = int(getattr(settings, "REPORTS_RECOMPUTE_PARTS", 2))
    if parts < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    with connections[_recompute_alias()].cursor() as cursor:
        cursor.execute(_LOCATION_STATISTICS)
        known = [value for (value,) in cursor.fetchall()]
    if len(known) < parts:
        return []
    # Distinct and in the database's order: the ranges between them cannot overlap.
    return [known[len(known) * k // parts] for k in range(1, parts)]


def _fetch(alias: str, sql: str, params: list, *, binary: bool) -> list[tuple]:
    if not binary:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # Results in PostgreSQL's binary form (a bytea as its bytes, not as hex text): psycopg's own
    # cursor on Django's connection, as Django's cursors bind on the client and read text.
    import psycopg

    db = connections[alias]
    db.ensure_connection()
    with psycopg.Cursor(db.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


def _hotspot_history_rows(sql: str, params: list, *, binary: bool = False) -> list[tuple]:
    """Run the recompute (`sql` with a `{part}` slot after the partnership filter, then `params`:
    the partnership, then the threshold) in one part, or in ranges of location at once. `binary`:
    read the results in PostgreSQL's binary form (PostgreSQL only)."""
    boundaries = _recompute_boundaries()
    alias = _recompute_alias()
    if not boundaries:
        return _fetch(alias, sql.format(part=""), params, binary=binary)
    # Below the first boundary, between each two, and from the last one on.
    ranges = list(zip([None, *boundaries], [*boundaries, None], strict=True))

    def one_part(bounds: tuple[str | None, str | None]) -> list[tuple]:
        # Each thread has its own Django connection (to the database chosen above, the replica
        # for a lag-tolerant page), closed when its part is done.
        low, high = bounds
        part = " ".join(
            condition
            for condition, value in (("AND location >= %s", low), ("AND location < %s", high))
            if value is not None
        )
        part_params = [value for value in (low, high) if value is not None]
        try:
            return _fetch(alias, sql.format(part=part), [params[0], *part_params, *params[1:]], binary=binary)
        finally:
            connections[alias].close()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(ranges), thread_name_prefix="recompute") as pool:
        return [row for rows in pool.map(one_part, ranges) for row in rows]


# The recompute on PostgreSQL (ADR 0090): the daily counts leave the database packed, each as one
# int8 (day_number << 32) | reports in its binary form (int8send), a location's one after another,
# every location of the part in one row; the 14-day windows are then counted in numpy (a running
# sum and one searchsorted for where each window starts). PostgreSQL only reads the index and
# appends bytes: its window function, about three times dearer per row, is not used. The split
# by location over several connections (_hotspot_history_rows, above) still applies.
_HOTSPOT_DAYS = """
SELECT array_agg(location), array_agg(days), string_agg(packed, ''::bytea)
FROM (
    SELECT location, COUNT(*) AS days,
        string_agg(int8send((day_number::bigint << 32) | reports), ''::bytea) AS packed
    FROM reports_reportdailycount
    WHERE partnership_id = %s {part}
    GROUP BY location
) AS per_location
"""

_DAY_ZERO = dt.date(2000, 1, 1)  # day_number 0 (migration reports.0005)


def _hotspot_history_numpy(partnership: Partnership, back: int, more_than: int) -> list[tuple]:
    """Rows as the window-function query gives them: (location, days, first day, last day, peak)
    for every location whose count in the `back` + 1 days ending on one of its days is over
    `more_than` on at least one such day."""
    import numpy as np

    locations: list[str] = []
    lengths: list[int] = []
    blobs: list[bytes] = []
    for part_locations, part_lengths, packed in _hotspot_history_rows(
        _HOTSPOT_DAYS, [partnership.id], binary=True
    ):
        if part_locations:  # a part with no rows gives one row of NULLs
            locations += part_locations
            lengths += part_lengths
            blobs.append(packed)
    if not locations:
        return []
    values = np.frombuffer(b"".join(blobs) if len(blobs) > 1 else blobs[0], dtype=">i8").astype(np.int64)
    owner = np.repeat(np.arange(len(locations), dtype=np.int64), np.asarray(lengths, dtype=np.int64))
    if len(owner) != len(values):
        raise ValueError("the packed daily counts do not match their locations")  # pragma: no cover
    return _windows_over(locations, owner, values >> 32, values & 0xFFFFFFFF, back, more_than)


def _windows_over(locations: list[str], owner, days, reports, back: int, more_than: int) -> list[tuple]:
    """The rolling windows in numpy. `owner[i]` is the index in `locations` of row i, `days[i]` its
    day number, `reports[i]` its count; one row per location and day, in any order."""
    import numpy as np

    if not len(days):
        return []
    low = int(days.min())
    span = int(days.max()) - low + back + 1  # a window reaching back never meets the previous location
    keys = owner * span + (days - low)
    if (np.diff(keys) <= 0).any():  # string_agg's order is the index's, but SQL does not promise it
        order = np.argsort(keys, kind="stable")
        keys, days, reports, owner = keys[order], days[order], reports[order], owner[order]
    running = np.concatenate(([0], np.cumsum(reports)))
    starts = np.searchsorted(keys, keys - back, "left")
    counts = running[1:] - running[starts]
    hot = np.flatnonzero(counts > more_than)
    if not len(hot):
        return []
    hot_owner, hot_days, hot_counts = owner[hot], days[hot], counts[hot]
    firsts = np.concatenate(([0], np.flatnonzero(np.diff(hot_owner)) + 1))
    lasts = np.concatenate((firsts[1:] - 1, [len(hot) - 1]))
    peaks = np.maximum.reduceat(hot_counts, firsts)
    return [
        (
            locations[int(hot_owner[first])],
            int(last - first + 1),
            _DAY_ZERO + dt.timedelta(days=int(hot_days[first])),
            _DAY_ZERO + dt.timedelta(days=int(hot_days[last])),
            int(peak),
        )
        for first, last, peak in zip(firsts.tolist(), lasts.tolist(), peaks.tolist(), strict=True)
    ]


def _hotspot_history_stepwise(partnership: Partnership, rule) -> list[tuple]:
    from collections import deque
    from itertools import groupby

    daily = (
        ReportDailyCount.objects.filter(partnership=partnership)
        .order_by("location", "day")
        .values_list("location", "day", "reports")
    )
    rows = []
    for location, group in groupby(daily.iterator(), key=lambda row: row[0]):
        window: deque = deque()
        total, days, first_day, last_day, peak = 0, 0, None, None, 0
        for _, day, reports in group:
            window.append((day, reports))
            total += reports
            window_first, _ = _period_ending_with(rule.window, day)
            while window[0][0] < window_first:
                total -= window.popleft()[1]
            if total > rule.more_than_reports:
                days += 1
                first_day = first_day or day
                last_day, peak = day, max(peak, total)
        if days:
            rows.append((location, days, first_day, last_day, peak))
    return rows


def daily_counts_differences(*, partnership: Partnership | None = None) -> int:
    """How many (partnership, location, day) daily counts differ from a fresh count of the reports
    (missing, extra or wrong): 0 when the summary is in step. For `rebuild-daily-counts --check`."""
    where_report = "" if partnership is None else "AND partnership_id = %s"
    where_daily = "" if partnership is None else "WHERE partnership_id = %s"
    # Fixed SQL with placeholders only: the f-strings insert the optional WHERE clauses above.
    fresh = (
        "SELECT partnership_id, location, reported_on, COUNT(*) FROM reports_report "  # noqa: S608
        f"WHERE date_precision = 'day' {where_report} GROUP BY partnership_id, location, reported_on"
    )
    stored = f"SELECT partnership_id, location, day, reports FROM reports_reportdailycount {where_daily}"  # noqa: S608
    params = [] if partnership is None else [partnership.id]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({fresh} EXCEPT {stored}) AS missing_or_wrong)"  # noqa: S608
            f" + (SELECT COUNT(*) FROM ({stored} EXCEPT {fresh}) AS extra_or_wrong)",
            params * 4,
        )
        return int(cursor.fetchone()[0])


@dataclass
class HotspotRow:
    location: str
    reports: int
    previous_reports: int  # in the window before this one
    status: str  # "new" | "continuing" | "closed"
    latitude: float | None = None
    longitude: float | None = None
    actions: list | None = None
    onward: list | None = None  # reports.onward: where the hotspot can go next (a panel referral)

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
        _location_counts(partnership, previous_first, previous_last)
        .filter(location__in=locations)
        .values_list("location", "window_reports")
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
            _location_counts(partnership, first, last)
            .filter(location__in=set(last_week_hotspots) - set(current))
            .values_list("location", "window_reports")
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
    # The same person however the number or address was written ("07700 900 123", "07700900123").
    reports = Report.objects.filter(
        partnership_id=report.partnership_id,
        caller_match=report.caller_match,
        date_precision=Precision.DAY,
        reported_on__range=(first, last),
    ).count()
    if reports < 2:
        return False
    return not ReviewExplanation.objects.filter(
        partnership_id=report.partnership_id, caller=report.caller_match, explained_on__range=(first, last)
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
    # One query for both ways of matching: by caller, or (no caller, or the same caller) by address.
    # SQL narrows the address by the start of each address line (or the postcode); Python then
    # compares the loose keys, so "12 Bemerton St." matches "12 bemerton st" but not "12 Bemerton
    # Street North".
    narrow = Q()
    for line in address_lines:
        narrow |= Q(location__istartswith=line[:6])
    if len(postcode) >= 6:
        narrow |= Q(location__icontains=postcode)
    wanted = Q(caller_match__in=caller_keys) if caller_keys else None
    if address_keys or len(postcode) >= 6:
        same_caller = Q(caller="") | Q(caller_match__in=caller_keys) if caller_keys else Q(caller="")
        by_place = same_caller & narrow
        wanted = by_place if wanted is None else wanted | by_place
    by_caller, by_address = [], []
    for report in base.filter(wanted) if wanted is not None else ():
        if caller_keys and report.caller_match in caller_keys:
            by_caller.append(report)
            continue
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


#: What a report with no category or channel recorded is counted as, in counts by either.
NOT_RECORDED = "not_recorded"


def report_counts_by(partnership_ids, first: dt.date, last: dt.date, *, field: str) -> dict[str, int]:
    """Reports made in [first, last] (by the day reported) in these partnerships, counted by
    "category", "channel", "lsoa_code" (the ward's small area) or "month" (YYYY-MM): value -> count,
    blank values as NOT_RECORDED. Counts only — no report's details — for the data return and the
    dashboards."""
    from django.db.models.functions import TruncMonth

    reports = Report.objects.filter(
        partnership_id__in=list(partnership_ids), reported_on__gte=first, reported_on__lte=last
    )
    if field == "month":
        rows = reports.annotate(month=TruncMonth("reported_on")).values_list("month").annotate(n=Count("id"))
        return {f"{month:%Y-%m}": n for month, n in sorted(rows)}
    if field not in {"category", "channel", "lsoa_code"}:
        raise ValueError(f"cannot count reports by {field!r}")
    counts: dict[str, int] = {}
    for value, n in reports.values_list(field).annotate(n=Count("id")).order_by(field):
        key = value.strip() if value and value.strip() else NOT_RECORDED
        counts[key] = counts.get(key, 0) + n
    return counts


def report_channel_labels() -> dict[str, str]:
    from .models import ReportChannel

    return {**dict(ReportChannel.choices), NOT_RECORDED: "Not recorded"}


# --- Onward: a repeat caller's triage and a hotspot, as a panel referral reads them (issue 16) ----


def triage_get(partnership_id: int, pk) -> RepeatCallerTriage | None:
    """A repeat caller's triage of the partnership, or None. The caller (a page of the community
    safety team's, `log_wide_access`) decides who may read it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return RepeatCallerTriage.objects.filter(partnership_id=partnership_id, pk=pk).first()


def triages_latest(partnership_id: int, callers) -> dict[str, RepeatCallerTriage]:
    """Each caller's latest triage."""
    latest: dict[str, RepeatCallerTriage] = {}
    for triage in RepeatCallerTriage.objects.filter(
        partnership_id=partnership_id, caller__in=list(callers)
    ).order_by("triaged_at", "id"):
        latest[triage.caller] = triage
    return latest


def location_hotspot_count(partnership: Partnership, location: str, as_of: dt.date) -> dict | None:
    """A location's reports in the hotspot window ending with `as_of`, and the rule's bar: {"location",
    "reports", "more_than", "first", "last"}; None when the policy has no hotspot rule. The location
    is the report log's key as the reports give it (an address, a UPRN or a named point)."""
    rule = partnership.policy.hotspots
    if rule is None:
        return None
    first, last = _period_ending_with(rule.window, as_of)
    reports = (
        ReportDailyCount.objects.filter(partnership=partnership, location=location, day__range=(first, last))
        .aggregate(total=Sum("reports"))
        .get("total")
    )
    return {
        "location": location,
        "reports": reports or 0,
        "more_than": rule.more_than_reports,
        "first": first,
        "last": last,
    }
