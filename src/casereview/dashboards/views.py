"""/dashboards/: a page per role (docs/dashboards.md, ADR 0059). Each chart is an SVG drawn on the
server, the same numbers as a table, and a CSV; no JavaScript. Everything is read within the user's
scope in the partnership they are working in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from casereview.accounts.models import Role
from casereview.audit.services import access_event_record
from casereview.web.csv_export import csv_download

from . import selectors

DASHBOARDS = {
    "community-safety": {
        "title": "Community safety dashboard",
        "roles": (Role.COMMUNITY_SAFETY_MANAGER, Role.SPOC, Role.ADMINISTRATOR),
    },
    "senior": {
        "title": "Senior managers' dashboard",
        "roles": (Role.SENIOR_MANAGER, Role.HEAD_OF_SERVICE, Role.CHIEF_EXECUTIVE),
    },
    "analyst": {
        "title": "Report log analysis",
        "roles": (Role.ANALYST, Role.COMMUNITY_SAFETY_MANAGER, Role.SENIOR_MANAGER, Role.HEAD_OF_SERVICE),
    },
}
# The dashboard each role lands on, first match wins (the senior roles first).
LANDING_ORDER = ("senior",)


def dashboards_for(user) -> list[str]:
    if not (getattr(user, "is_authenticated", False) and user.partnership_id):
        return []
    return [slug for slug, spec in DASHBOARDS.items() if user.has_role(*spec["roles"])]


def may_see_any_dashboard(user) -> bool:
    return bool(dashboards_for(user))


def landing_for(user) -> str | None:
    """A Chief Executive, Head of Service or senior manager lands on their dashboard."""
    mine = dashboards_for(user)
    return next((f"/dashboards/{slug}/" for slug in LANDING_ORDER if slug in mine), None)


def _charts(slug: str, user, today) -> tuple[list, dict]:
    extra: dict = {}
    if slug == "community-safety":
        charts = [
            selectors.reviews_by_stage(user),
            selectors.clocks_this_week(user, today),
            selectors.actions_overdue_by_agency(user, today),
            selectors.hotspots_this_week(user, today),
            selectors.weekly_reports(user, today),
        ]
    elif slug == "senior":
        escalated, actions = selectors.escalated_to_me(user, today)
        trend, on_time = selectors.review_trend(user, today)
        charts = [escalated, trend, on_time]
        extra["escalated_actions"] = actions
    else:
        charts = selectors.report_log_charts(user, today)
    return charts, extra


def _require(slug: str, user) -> None:
    if slug not in DASHBOARDS or slug not in dashboards_for(user):
        raise Http404


@login_required
def index(request):
    mine = dashboards_for(request.user)
    if not mine:
        raise Http404
    if len(mine) == 1:
        return redirect("dashboards:dashboard", slug=mine[0])
    return render(
        request,
        "dashboards/index.html",
        {"dashboards": [(slug, DASHBOARDS[slug]["title"]) for slug in mine]},
    )


@login_required
def dashboard(request, slug):
    _require(slug, request.user)
    today = timezone.localdate()
    charts, extra = _charts(slug, request.user, today)
    others = [(s, DASHBOARDS[s]["title"]) for s in dashboards_for(request.user) if s != slug]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "slug": slug,
            "title": DASHBOARDS[slug]["title"],
            "charts": charts,
            "today": today,
            "others": others,
            "csv_base": f"/dashboards/{slug}/",
            **extra,
        },
    )


@login_required
def chart_csv(request, slug, chart):
    _require(slug, request.user)
    today = timezone.localdate()
    charts, _extra = _charts(slug, request.user, today)
    found = next((c for c in charts if c.slug == chart), None)
    if found is None:
        raise Http404
    access_event_record(
        action="export",
        request=request,
        summary=f"Dashboard chart exported as CSV: {found.title}",
        purpose="Performance management",
        details={"dashboard": slug, "chart": chart},
    )
    return csv_download(f"{slug}-{chart}", [found.row_heading or "item", *found.series], found.csv_rows())
