"""What each dashboard shows (docs/dashboards.md), read through the owning apps' selectors and
always within the user's scope: the cases, actions and reports the user may see, in the partnership
they are working in."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncMonth

from casereview.actions.selectors import actions_escalated_to, overdue_by_agency
from casereview.applications.clocks import clock_label
from casereview.applications.selectors import (
    clock_week_counts_for_user,
    status_choices,
    status_counts_for_user,
)
from casereview.reports.selectors import NOT_RECORDED, report_channel_labels, reports_visible_to
from casereview.statistics.periods import Period
from casereview.statistics.selectors import deadline_records, figures_for

from .charts import Chart, bar_chart

WEEKS_BEFORE = 12
QUARTERS = 8
TOP_LOCATIONS = 10
TOP_CATEGORIES = 10


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- Community safety manager --------------------------------------------------------------------


def reviews_by_stage(user) -> Chart:
    counts = status_counts_for_user(user)
    rows = [(label, [counts[value]]) for value, label in status_choices() if counts.get(value)]
    return bar_chart(
        "reviews-by-stage",
        "Cases by stage",
        "How many of the cases you can see are at each stage today.",
        ["Cases"],
        rows,
        row_heading="Stage",
        empty="No cases yet.",
    )


def clocks_this_week(user, today: dt.date) -> Chart:
    rows = [
        (clock_label(name), [overdue, due])
        for name, overdue, due in clock_week_counts_for_user(user, today=today)
    ]
    return bar_chart(
        "clocks-this-week",
        "Deadlines overdue and due this week",
        f"Outstanding deadlines of your cases: already overdue, and due from today to Sunday "
        f"{(today + dt.timedelta(days=6 - today.weekday())):%-d %B}.",
        ["Overdue", "Due this week"],
        rows,
        row_heading="Deadline",
        empty="No deadline is overdue or due this week.",
    )


def actions_overdue_by_agency(user, today: dt.date) -> Chart:
    rows = [(agency, [n]) for agency, n in overdue_by_agency(user, today=today).items()]
    return bar_chart(
        "actions-overdue-by-agency",
        "Overdue actions by agency",
        "Open actions past their due date, by the agency that owns them.",
        ["Overdue actions"],
        rows,
        row_heading="Agency",
        empty="No action is overdue.",
    )


def hotspots_this_week(user, today: dt.date) -> Chart:
    """The locations with most reports this week (Monday to today), against their weekly average
    over the twelve weeks before."""
    this_week = monday_of(today)
    first = this_week - dt.timedelta(weeks=WEEKS_BEFORE)
    reports = reports_visible_to(user)
    now = dict(
        reports.filter(reported_on__gte=this_week, reported_on__lte=today)
        .order_by()
        .values_list("location")
        .annotate(n=Count("id"))
    )
    before = dict(
        reports.filter(reported_on__gte=first, reported_on__lt=this_week, location__in=list(now))
        .order_by()
        .values_list("location")
        .annotate(n=Count("id"))
    )
    top = sorted(now.items(), key=lambda item: (-item[1], item[0]))[:TOP_LOCATIONS]
    rows = [(location, [n, round(before.get(location, 0) / WEEKS_BEFORE, 1)]) for location, n in top]
    return bar_chart(
        "hotspots-this-week",
        "Hotspots this week against the last twelve",
        f"The {TOP_LOCATIONS} places with most reports since Monday {this_week:%-d %B}, and their average "
        f"reports a week over the twelve weeks before.",
        ["This week", "Weekly average, last 12 weeks"],
        rows,
        row_heading="Place",
        empty="No reports this week.",
    )


def weekly_reports(user, today: dt.date) -> Chart:
    this_week = monday_of(today)
    first = this_week - dt.timedelta(weeks=WEEKS_BEFORE)
    days = (
        reports_visible_to(user)
        .filter(reported_on__gte=first, reported_on__lte=today)
        .order_by()
        .values_list("reported_on")
        .annotate(n=Count("id"))
    )
    weeks: dict[dt.date, int] = {first + dt.timedelta(weeks=w): 0 for w in range(WEEKS_BEFORE + 1)}
    for day, n in days:
        weeks[monday_of(day)] += n
    rows = [
        (("This week" if week == this_week else f"Week of {week:%-d %b %Y}"), [n])
        for week, n in weeks.items()
    ]
    return bar_chart(
        "reports-by-week",
        "Reports a week",
        "Reports in the ASB report log each week, this week and the twelve before.",
        ["Reports"],
        rows,
        row_heading="Week",
    )


# --- Senior managers and the Chief Executive -------------------------------------------------------


def escalated_to_me(user, today: dt.date) -> tuple[Chart, list]:
    actions = list(actions_escalated_to(user, today=today)[:50])
    by_agency: dict[str, int] = {}
    for action in actions:
        by_agency[action.owner_agency.name] = by_agency.get(action.owner_agency.name, 0) + 1
    chart = bar_chart(
        "escalated-to-me",
        "Overdue actions escalated to you",
        "Open, overdue actions the escalation ladder has sent to you, by the agency that owns them.",
        ["Actions"],
        sorted(((a, [n]) for a, n in by_agency.items()), key=lambda r: (-r[1][0], r[0])),
        row_heading="Agency",
        empty="No overdue action has been escalated to you.",
    )
    return chart, actions


def quarters_to(today: dt.date, count: int = QUARTERS) -> list[Period]:
    """The last `count` calendar quarters, the current one (to date) last."""
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    periods = []
    for _ in range(count):
        end = (dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)) - dt.timedelta(
            days=1
        )
        periods.append(Period(start, min(end, today)))
        start = dt.date(start.year - (start.month == 1), (start.month - 4) % 12 + 1, 1)
    return list(reversed(periods))


def _quarter_name(period: Period) -> str:
    return f"{period.start:%b}–{period.end:%b %Y}"


def review_trend(user, today: dt.date) -> tuple[Chart, Chart]:
    partnership = user.partnership
    outcomes, timeliness = [], []
    for period in quarters_to(today):
        figures = figures_for(partnership=partnership, period=period, as_at=today)
        outcomes.append(
            (
                _quarter_name(period),
                [figures.applications, figures.reviews_carried_out, figures.threshold_not_met],
            )
        )
        records = deadline_records(partnership=partnership, period=period, as_at=today)
        on_time = sum(r.on_time for r in records)
        measured = sum(r.measured for r in records)
        timeliness.append((_quarter_name(period), [round(100 * on_time / measured) if measured else 0]))
    trend = bar_chart(
        "reviews-and-outcomes",
        "Applications, reviews and outcomes by quarter",
        "Applications received each quarter, and of them how many were reviewed and how many did not "
        "meet the threshold (as the published statistics count them).",
        ["Applications", "Reviews carried out", "Threshold not met"],
        outcomes,
        row_heading="Quarter received",
    )
    on_time = bar_chart(
        "deadlines-on-time",
        "Deadlines met on time by quarter",
        "Of the deadlines done or overdue for the applications received each quarter, the percentage "
        "done on time.",
        ["Done on time"],
        timeliness,
        unit="%",
        row_heading="Quarter received",
    )
    return trend, on_time


# --- Analysts --------------------------------------------------------------------------------------


def _last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(today.year - 1, today.month, 1) if today.month != 12 else dt.date(today.year, 1, 1)
    return first, today


def report_log_charts(user, today: dt.date) -> list[Chart]:
    first, last = _last_twelve_months(today)
    reports = reports_visible_to(user).filter(reported_on__gte=first, reported_on__lte=last)
    period = f"{first:%-d %B %Y} to {last:%-d %B %Y}"

    def counted(field):
        rows = reports.order_by().values_list(field).annotate(n=Count("id"))
        totals: dict[str, int] = {}
        for value, n in rows:
            key = value.strip() if value and value.strip() else NOT_RECORDED
            totals[key] = totals.get(key, 0) + n
        return sorted(totals.items(), key=lambda item: (-item[1], item[0]))

    categories = counted("category")
    top, rest = categories[:TOP_CATEGORIES], sum(n for _, n in categories[TOP_CATEGORIES:])
    category_rows = [("Not recorded" if c == NOT_RECORDED else c, [n]) for c, n in top]
    if rest:
        category_rows.append(("All other categories", [rest]))
    channels = report_channel_labels()
    areas = counted("lsoa_code")
    months = dict(
        reports.annotate(month=TruncMonth("reported_on"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    month_rows = []
    cursor = first
    while cursor <= last:
        month_rows.append(
            (
                f"{cursor:%B %Y}",
                [
                    next(
                        (n for m, n in months.items() if m.year == cursor.year and m.month == cursor.month), 0
                    )
                ],
            )
        )
        cursor = dt.date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return [
        bar_chart(
            "reports-by-category",
            "Reports by category",
            f"Reports from {period} by the category recorded: the {TOP_CATEGORIES} most common.",
            ["Reports"],
            category_rows,
            row_heading="Category",
            empty="No reports in the last twelve months.",
        ),
        bar_chart(
            "reports-by-channel",
            "Reports by channel",
            f"Reports from {period} by how they were made.",
            ["Reports"],
            [(channels.get(c, c), [n]) for c, n in counted("channel")],
            row_heading="Channel",
            empty="No reports in the last twelve months.",
        ),
        bar_chart(
            "reports-by-area",
            "Reports by small area (ward)",
            f"Reports from {period} by the small area (LSOA) they were made in, the "
            f"{TOP_LOCATIONS} with most; reports with no map position are 'Not recorded'.",
            ["Reports"],
            [("Not recorded" if a == NOT_RECORDED else a, [n]) for a, n in areas[:TOP_LOCATIONS]],
            row_heading="Small area",
            empty="No reports in the last twelve months.",
        ),
        bar_chart(
            "reports-by-month",
            "Reports by month",
            f"Reports each month from {period}.",
            ["Reports"],
            month_rows,
            row_heading="Month",
        ),
    ]
