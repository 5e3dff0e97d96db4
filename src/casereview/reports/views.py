"""Pages of the ASB report log, hotspots and repeat callers. Thin: reads through selectors (access
decided in `reports_visible_to`), writes through services. A report out of the user's scope is a
404, never a 403; a page their role does not cover is a 404 too, so nothing is revealed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_POST

from casereview.accounts.models import Role
from casereview.applications.selectors import application_get_for_user
from casereview.core.errors import PolicyError
from casereview.web.forms import add_service_errors
from casereview.web.links import apply_url
from casereview.web.replica import lag_tolerant

from . import forms as report_forms
from . import selectors, services
from .callers import caller_people
from .imports import reports_import_text
from .models import RepeatCallerTriage, Report, ReviewExplanation, Team
from .onward import hotspot_onward, triage_onward

PER_PAGE = 50
IMPORT_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.ADMINISTRATOR, Role.ANALYST)
TEAM_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.ADMINISTRATOR)
EVIDENCE_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.SPOC)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not found")


def _as_of(request) -> dt.date:
    # A date that is not one, or is out of range, is today's view (the page shows which date).
    value = request.GET.get("as_of", "")
    try:
        return selectors.as_of_parse(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _errors(form) -> list[dict]:
    """The error summary's entries: each links to its field."""
    found = []
    for name, errors in form.errors.items():
        for error in errors:
            anchor = f"id_{name}" if name != "__all__" else ""
            found.append({"href": f"#{anchor}" if anchor else "", "text": error})
    return found


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


# --- The log ----------------------------------------------------------------------------------------


def _log_filters(request):
    """The log's filter form and the filters it gives (the page and its CSV)."""
    partnership = request.user.partnership
    form = report_forms.LogFilterForm(request.GET or None, partnership=partnership)
    filters = selectors.LogFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.LogFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            location=data["location"].strip(),
            category=data["category"].strip(),
            agency_id=data["agency"],
            channel=data["channel"],
            hate={"yes": True, "no": False}.get(data["hate"]),
            status=data["status"],
            team_id=data["team"],
        )
    return form, filters


def _export_query(request, form) -> str:
    from casereview.web.csv_export import export_query

    return export_query(request, form.fields)


@login_required
def log_csv(request):
    """The report log as CSV: the page's filters and the user's scope, every row (never the caller's
    key, as on the page); in the access log."""
    from casereview.audit.services import access_event_record
    from casereview.web.csv_export import csv_download

    _require(selectors.log_any_access(request.user))
    _form, filters = _log_filters(request)
    reports = selectors.reports_filter(selectors.reports_visible_to(request.user), filters)
    access_event_record(
        action="export",
        request=request,
        summary="ASB report log exported as CSV",
        purpose="Community safety: tasking and analysis",
        details={"filters": {k: str(v) for k, v in vars(filters).items() if v not in (None, "")}},
    )

    def rows():
        listed = reports.select_related("agency", "team").order_by("-reported_on", "-id")
        for r in listed.iterator(chunk_size=1000):
            if r.month_only or r.reported_at is None:
                reported = r.reported_on.strftime("%Y-%m") if r.month_only else r.reported_on.isoformat()
            else:
                reported = timezone.localtime(r.reported_at).isoformat(timespec="minutes")
            yield [
                reported,
                r.occurred_on.isoformat(),
                r.location,
                "yes" if r.hate else "",
                r.category,
                r.agency.name,
                r.agency_reference,
                r.get_channel_display() if r.channel else "",
                r.get_status_display(),
                r.team.name if r.team else "",
            ]

    header = ["reported", "occurred", "where", "hate", "category", "agency", "agency reference", "how"]
    header += ["status", "team"]
    return csv_download("asb-report-log", header, rows())


def _rows_shown(reports) -> list[dict]:
    """The log's rows (reports/_report_rows.html) as they are shown: when, links and labels made
    here once (a template's `|date`, `{% url %}` and `get_…_display` per row cost most of the page)."""
    from django.utils.text import Truncator

    from casereview.web.display import NUMBER_MARK, date_as, url_for_each

    detail = url_for_each("reports:detail", NUMBER_MARK)
    statuses = dict(Report._meta.get_field("status").flatchoices)
    rows = []
    for r in reports:
        if r.month_only:
            when, month = date_as(r.reported_on, "F Y"), True
        elif r.reported_at is None:
            when, month = "", False
        else:  # `|date` on a date and time: in the current time zone
            local = timezone.localtime(r.reported_at)
            when, month = f"{date_as(local.date(), 'j M Y')} {local:%H:%M}", False
        rows.append(
            {
                "report": r,
                "when": when,
                "month_only": month,
                "url": detail(r.pk),
                "reference": Truncator(r.agency_reference).chars(28),
                "channel": r.get_channel_display(),
                "status": statuses.get(r.status, r.status),
            }
        )
    return rows


def _select_options(bound) -> list[tuple]:
    """A select's options (value, label, selected), as iterating its bound field gives them (Django's
    Select: the first option whose value is among the field's values is the one selected)."""
    values = bound.field.widget.format_value(bound.value())
    options, chosen = [], False
    for value, label in bound.field.choices:
        value = "" if value is None else value
        selected = not chosen and str(value) in values
        chosen = chosen or selected
        options.append((value, label, selected))
    return options


@login_required
def log(request):
    _require(selectors.log_any_access(request.user))
    form, filters = _log_filters(request)
    reports = selectors.reports_filter(selectors.reports_visible_to(request.user), filters)
    page = _page_number(request)
    rows, has_next = selectors.log_page(reports, page=page, per_page=PER_PAGE)
    count, capped = selectors.log_count(reports, request=request)
    return render(
        request,
        "reports/log.html",
        {
            "form": form,
            "rows": _rows_shown(rows),
            "count": count,
            "capped": capped,
            "page": page,
            "has_next": has_next,
            "query": request.link_query.urlencode(),
            "export_query": _export_query(request, form),
            "filtered": any(v for k, v in request.GET.items() if k not in {"page", "s"}),
            "wide": selectors.log_wide_access(request.user),
            "can_import": request.user.has_role(*IMPORT_ROLES),
            "first_index": (page - 1) * PER_PAGE + 1,
            "last_index": (page - 1) * PER_PAGE + len(rows),
            "select_fields": [
                (form[name], _select_options(form[name]))
                for name in ("agency", "channel", "hate", "status", "team")
            ],
            "caller_form": report_forms.CallerFindForm(),
        },
    )


@login_required
def report_new(request):
    _require(selectors.log_any_access(request.user))
    user = request.user
    fixed_agency = None if selectors.log_wide_access(user) else user.agency
    form = report_forms.ReportForm(
        request.POST or None, partnership=user.partnership, fixed_agency=fixed_agency
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_record(
                partnership=user.partnership,
                agency=data["agency"],
                reported_at=form.reported_at,
                occurred_on=data["occurred_on"],
                channel=data["channel"],
                category=data["category"],
                description=data["description"],
                location=data["location"],
                caller=data["caller"],
                hate=data["hate"] == "yes",
                team=data["team"],
                agency_reference=data["agency_reference"],
                actor=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if selectors.review_explanation_due(report):
                return redirect("reports:explain", pk=report.pk)
            messages.success(request, f"Report {report.agency_reference} recorded.")
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "errors": _errors(form)})


def _report_for(request, pk: int) -> Report:
    return get_object_or_404(
        selectors.reports_visible_to(request.user).select_related("agency", "team"), pk=pk
    )


@login_required
def report_detail(request, pk: int):
    report = _report_for(request, pk)
    form = report_forms.AssignForm(
        request.POST or None,
        partnership=report.partnership,
        initial={
            **report_forms.AssignForm.initial_from(report),
            "version": services.report_assignment_version(report),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_assign(
                report=report,
                team=form.cleaned_data["team"],
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Report updated.")
            return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "form": form,
            "errors": _errors(form),
            "explanation_due": selectors.review_explanation_due(report),
            "can_correct": selectors.report_correctable_by(request.user, report),
            "corrections": report.corrections.select_related("corrected_by"),
            # Recorded explanations of the ASB Case Review to this caller (any of their reports).
            "explanations": ReviewExplanation.objects.filter(
                partnership=report.partnership, caller=report.caller_match
            )
            .select_related("explained_by")
            .order_by("-explained_on", "-id")
            if report.caller
            else [],
        },
    )


@login_required
def report_correct(request, pk: int):
    """Correct a report, with the reason; the report's page lists every correction
    (services.report_correct keeps the daily counts, so hotspots move with it)."""
    report = _report_for(request, pk)
    _require(selectors.report_correctable_by(request.user, report))
    form = report_forms.CorrectionForm(
        request.POST or None,
        report=report,
        initial=report_forms.CorrectionForm.initial_for_history(report.corrections.all()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        corrections_before = report.corrections.count()
        try:
            services.report_correct(
                report=report,
                actor=request.user,
                reason=data["reason"],
                location=data["location"],
                reported_at=form.reported_at,
                occurred_on=data["occurred_on"],
                category=data["category"],
                description=data["description"],
                hate=data["hate"] == "yes",
                caller=data["caller"],
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if report.corrections.count() > corrections_before:
                messages.success(request, f"Report {report.agency_reference} corrected.")
                return redirect("reports:detail", pk=report.pk)
            form.add_error(None, "Nothing has changed. Change something about the report, or cancel.")
    return render(
        request, "reports/report_correct.html", {"report": report, "form": form, "errors": _errors(form)}
    )


@login_required
def location_history(request, pk: int):
    report = _report_for(request, pk)
    reports = selectors.reports_visible_to(request.user).filter(location=report.location)
    page = _page_number(request)
    rows, has_next = selectors.log_page(reports, page=page, per_page=PER_PAGE)
    count, capped = selectors.log_count(reports)
    return render(
        request,
        "reports/history.html",
        {
            "report": report,
            "what": "location",
            "title": f"Reports at {report.location}",
            "rows": _rows_shown(rows),
            "count": count,
            "capped": capped,
            "page": page,
            "has_next": has_next,
            "first_index": (page - 1) * PER_PAGE + 1,
        },
    )


@login_required
def caller_history(request, pk: int):
    report = _report_for(request, pk)
    if not report.caller:
        raise Http404("No caller")
    reports = selectors.reports_visible_to(request.user).filter(caller=report.caller)
    page = _page_number(request)
    rows, has_next = selectors.log_page(reports, page=page, per_page=PER_PAGE)
    count, capped = selectors.log_count(reports)
    wide = selectors.log_wide_access(request.user)
    return render(
        request,
        "reports/history.html",
        {
            "report": report,
            "what": "caller",
            "title": "A caller's reports",
            "rows": _rows_shown(rows),
            "count": count,
            "capped": capped,
            "page": page,
            "has_next": has_next,
            "first_index": (page - 1) * PER_PAGE + 1,
            "explanations": ReviewExplanation.objects.filter(
                partnership=report.partnership, caller=report.caller_match
            ).select_related("explained_by")
            if wide
            else [],
            "triages": RepeatCallerTriage.objects.filter(
                partnership=report.partnership, caller=report.caller
            ).select_related("triaged_by")
            if wide
            else [],
            "explanation_due": selectors.review_explanation_due(report),
        },
    )


@login_required
@require_POST
def caller_find(request):
    """Find a caller's history. A POST, so the phone number or e-mail address never appears in a
    URL or an access log; redirects to the history page of the caller's latest report."""
    _require(selectors.log_any_access(request.user))
    form = report_forms.CallerFindForm(request.POST)
    if form.is_valid():
        from .keys import caller_key_normalise

        key = caller_key_normalise(form.cleaned_data["caller"])
        latest = selectors.reports_visible_to(request.user).filter(caller=key).order_by("-id").first()
        if latest is not None:
            return redirect("reports:caller", pk=latest.pk)
        messages.info(request, "No reports from that caller were found.")
    else:
        messages.info(request, "Enter the caller's phone number, email address or reference.")
    return redirect("reports:log")


# --- The second report within six months --------------------------------------------------------------


def _letter_context(report: Report, name: str = "") -> dict:
    partnership = report.partnership
    policy = partnership.policy
    threshold = policy.threshold
    return {
        "report": report,
        "partnership": partnership,
        "name": name,
        "today": timezone.localdate(),
        "min_complaints": threshold.min_qualifying_complaints,
        "window": str(threshold.window),
        "apply_url": apply_url(),
    }


@login_required
def explain(request, pk: int):
    """The prompt after a second report within six months: explain the ASB Case Review (with a
    ready letter and e-mail) and record that it was explained."""
    report = _report_for(request, pk)
    if not report.caller:
        raise Http404("No caller")
    form = report_forms.ExplanationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_explanation_record(
                partnership=report.partnership,
                caller=report.caller,
                report=report,
                explained_on=form.cleaned_data["explained_on"],
                method=form.cleaned_data["method"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The explanation of the ASB Case Review has been recorded.")
            return redirect("reports:detail", pk=report.pk)
    first, last = selectors.second_report_window(report.reported_on)
    recent = selectors.reports_visible_to(request.user).filter(
        caller_match=report.caller_match, reported_on__range=(first, last), date_precision="day"
    )
    context = _letter_context(report)
    context.update(
        {
            "form": form,
            "errors": _errors(form),
            "recent_count": recent.count(),
            "due": selectors.review_explanation_due(report),
            "email_text": render_to_string("reports/review_explained_email.txt", context),
            "letter_form": report_forms.LetterForm(),
        }
    )
    return render(request, "reports/explain.html", context)


@login_required
@require_POST
def explain_letter(request, pk: int):
    """The ready letter as a PDF. POSTed so the name typed for it stays out of the URL; not stored."""
    report = _report_for(request, pk)
    if not report.caller:
        raise Http404("No caller")
    form = report_forms.LetterForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    html = render_to_string(
        "reports/review_explained_letter.html", _letter_context(report, name), request=request
    )
    return _pdf(request, html, "asb-case-review-explained.pdf")


def _pdf(request, html: str, filename: str) -> HttpResponse:
    from casereview.web.pdf import html_to_pdf

    pdf = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Hotspots ---------------------------------------------------------------------------------------


def map_tiles() -> str:
    """The tile server URL template for the map (settings.MAP_TILE_URL, which the content security
    policy also allows); empty means no tiles."""
    return settings.MAP_TILE_URL


@login_required
@lag_tolerant
def hotspots(request):
    _require(selectors.log_any_access(request.user))
    partnership = request.user.partnership
    as_of = _as_of(request)
    picture = selectors.hotspot_picture(partnership, as_of)
    points = []
    if picture is not None:
        # Where each current hotspot can go next (an Enhanced Partnership Response: reports.onward).
        onward = hotspot_onward(user=request.user, locations=[row.location for row in picture.current])
        for row in picture.current:
            row.onward = onward.get(row.location, [])
        points = [
            {"location": row.location, "reports": row.reports, "lat": row.latitude, "lon": row.longitude}
            for row in picture.current
            if row.latitude is not None
        ]
    return render(
        request,
        "reports/hotspots.html",
        {
            "picture": picture,
            "as_of": as_of,
            "points": points,
            "tiles": map_tiles(),
            "rule": partnership.policy.hotspots,
        },
    )


@login_required
@lag_tolerant
def hotspot_history(request):
    """Every location that has ever been a hotspot under the partnership's rule: the full rolling
    recompute over all its history (selectors.hotspot_history), most hotspot days first."""
    _require(selectors.log_any_access(request.user))
    partnership = request.user.partnership
    found = selectors.hotspot_history(partnership)
    page = _page_number(request)
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    if page > 1 and not shown:
        raise Http404("No such page")
    return render(
        request,
        "reports/hotspot_history.html",
        {
            "rule": partnership.policy.hotspots,
            "rows": shown,
            "locations": len(found),
            "hotspot_days": sum(row["days"] for row in found),
            "page": page,
            "has_next": page * PER_PAGE < len(found),
            "first_index": (page - 1) * PER_PAGE + 1,
        },
    )


@login_required
def hotspot_action_new(request):
    _require(selectors.log_any_access(request.user))
    user = request.user
    initial = {"location": request.GET.get("location", "")[:300]}
    if user.agency_id:
        initial["owner_agency"] = user.agency_id
    form = report_forms.HotspotActionForm(request.POST or None, partnership=user.partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hotspot_action_record(
                partnership=user.partnership,
                location=data["location"],
                kind=data["kind"],
                description=data["description"],
                taken_on=data["taken_on"],
                owner_agency=data["owner_agency"],
                outcome=data["outcome"],
                actor=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Action at {data['location']} recorded.")
            return redirect("reports:hotspots")
    return render(request, "reports/hotspot_action_form.html", {"form": form, "errors": _errors(form)})


def _weekly_context(request) -> dict:
    partnership = request.user.partnership
    as_of = _as_of(request)
    return {
        "picture": selectors.hotspot_picture(partnership, as_of),
        "as_of": as_of,
        "partnership": partnership,
        "rule": partnership.policy.hotspots,
    }


@login_required
@lag_tolerant
def weekly(request):
    _require(selectors.log_any_access(request.user))
    return render(request, "reports/weekly.html", _weekly_context(request))


@login_required
@lag_tolerant
def weekly_pdf(request):
    _require(selectors.log_any_access(request.user))
    context = _weekly_context(request)
    html = render_to_string("reports/weekly_pdf.html", context, request=request)
    return _pdf(request, html, f"hotspots-weekly-{context['as_of']:%Y-%m-%d}.pdf")


# --- Repeat callers ---------------------------------------------------------------------------------


@login_required
@lag_tolerant
def repeat_callers(request):
    _require(selectors.log_wide_access(request.user))
    partnership = request.user.partnership
    as_of = _as_of(request)
    found = selectors.repeat_callers_as_of(partnership, as_of)
    latest = selectors.caller_latest_report_ids(partnership, [item["caller"] for item in found])
    triages = {}
    for triage in RepeatCallerTriage.objects.filter(
        partnership=partnership, caller__in=[item["caller"] for item in found]
    ).order_by("triaged_at"):
        triages[triage.caller] = triage  # the latest wins
    onward = triage_onward(user=request.user, triages=list(triages.values()))
    rows = [
        {
            **item,
            "report_id": latest.get(item["caller"]),
            "triage": triages.get(item["caller"]),
            "onward": onward.get(getattr(triages.get(item["caller"]), "pk", None), []),
            "number": n,
        }
        for n, item in enumerate(found, start=1)
    ]
    rule_labels = {rule.name: rule for rule in partnership.policy.repeat_callers}
    people = _callers_as_people(request.user, partnership, rows)
    return render(
        request,
        "reports/repeat_callers.html",
        {
            "rows": rows,
            "people": people,
            "as_of": as_of,
            "rules": partnership.policy.repeat_callers,
            "rule_labels": rule_labels,
        },
    )


def _callers_as_people(user, partnership, rows: list[dict]) -> list[dict]:
    """Each person (that the user may open) behind one or more of the listed keys, with every key
    they reported under: a listed key by its number on the page, another by a link to its history.
    Keys are never shown (the page names callers by number)."""
    people = caller_people(user=user, partnership=partnership, keys=[row["caller"] for row in rows])
    if not people:
        return []
    listed = {row["caller"]: row for row in rows}
    others = selectors.caller_latest_report_ids(
        partnership, [key for person in people for key in person.keys if key not in listed]
    )
    shown = []
    for person in people:
        keys = []
        for key in person.keys:
            row = listed.get(key)
            if row is not None:
                keys.append(
                    {"label": f"Caller {row['number']}", "report_id": row["report_id"], "calls": row["calls"]}
                )
            elif key in others:
                keys.append(
                    {"label": "Another key (not a repeat caller)", "report_id": others[key], "calls": None}
                )
        shown.append({"label": person.label, "url": person.url, "keys": keys})
    return shown


@login_required
def triage(request, pk: int):
    _require(selectors.log_wide_access(request.user))
    report = _report_for(request, pk)
    if not report.caller:
        raise Http404("No caller")
    as_of = _as_of(request)
    found = {item["caller"]: item for item in selectors.repeat_callers_as_of(report.partnership, as_of)}
    item = found.get(report.caller)
    if item is None:
        messages.info(request, f"That caller is not a repeat caller as of {as_of:%-d %B %Y}.")
        return redirect("reports:repeat_callers")
    form = report_forms.TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.repeat_caller_triage_record(
                partnership=report.partnership,
                caller=report.caller,
                rule=item["rule"],
                calls=item["calls"],
                as_of=as_of,
                vulnerable=data["vulnerable"] == "yes",
                risk=data["risk"],
                outcome=data["outcome"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Triage recorded.")
            return redirect(f"{reverse('reports:repeat_callers')}?as_of={as_of:%Y-%m-%d}")
    # The caller's latest triage, and where it led (a panel referral: reports.onward).
    latest = selectors.triages_latest(report.partnership_id, [report.caller]).get(report.caller)
    onward = triage_onward(user=request.user, triages=[latest]).get(latest.pk, []) if latest else []
    return render(
        request,
        "reports/triage.html",
        {
            "form": form,
            "errors": _errors(form),
            "item": item,
            "report": report,
            "as_of": as_of,
            "latest": latest,
            "onward": onward,
            "panels": _triage_panels(report.partnership),
        },
    )


#: The words for a panel kind's referral criteria (core.panel_kinds.CRITERIA), on the triage page.
CRITERION_WORDS = {
    "vulnerability": gettext_lazy("vulnerability"),
    "risk": gettext_lazy("risk"),
    "asb": gettext_lazy("ASB"),
    "hotspot": gettext_lazy("a hotspot"),
}


def _words_joined(words: list[str]) -> str:
    """ "vulnerability and risk"; "vulnerability, risk and ASB" (in Welsh, "a")."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {gettext('and')} {words[-1]}"


def _triage_panels(partnership) -> list[dict]:
    """The standing panels the policy routes a repeat caller's triage to (`referred_from`), each
    with its name in the page's language and the criteria a referral to it needs."""
    try:
        kinds = partnership.policy.panel_kinds
    except PolicyError:
        return []
    language = get_language() or "en"
    return [
        {
            "name": kind.display_name("cy" if language.startswith("cy") else "en"),
            "criteria": _words_joined(
                [str(CRITERION_WORDS.get(code, code)) for code in kind.referral_criteria]
            ),
        }
        for kind in kinds
        if "repeat_caller_triage" in kind.referred_from
    ]


# --- Import and teams ---------------------------------------------------------------------------------


@login_required
def import_reports(request):
    _require(selectors.log_wide_access(request.user) and request.user.has_role(*IMPORT_ROLES))
    form = report_forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = reports_import_text(
            partnership=request.user.partnership,
            fmt=form.cleaned_data["format"],
            text=form.cleaned_data["file"],
            actor=request.user,
        ).as_dict()
    return render(request, "reports/import.html", {"form": form, "errors": _errors(form), "result": result})


@login_required
def teams(request):
    _require(selectors.log_wide_access(request.user))
    partnership = request.user.partnership
    can_edit = request.user.has_role(*TEAM_ROLES)
    form = report_forms.TeamForm(request.POST or None, partnership=partnership)
    if request.method == "POST":
        _require(can_edit)
        if form.is_valid():
            try:
                services.team_create(
                    partnership=partnership,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    agency=form.cleaned_data["agency"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Team {form.cleaned_data['name']} added.")
                return redirect("reports:teams")
    return render(
        request,
        "reports/teams.html",
        {
            "teams": Team.objects.filter(partnership=partnership).select_related("agency"),
            "form": form,
            "errors": _errors(form),
            "can_edit": can_edit,
        },
    )


# --- Evidence for a case --------------------------------------------------------------------------------


def case_section_context(request, application):
    """The case page's "Reports in the ASB report log" section: for the community safety team, the
    victim's reports offered as evidence and those already confirmed. Others see nothing (None)."""
    user = request.user
    if not (selectors.log_wide_access(user) and user.has_role(*EVIDENCE_ROLES)):
        return None
    from .models import ReportEvidence

    confirmed = ReportEvidence.objects.filter(application=application).select_related(
        "report", "report__agency", "incident"
    )
    return {
        "candidates": selectors.evidence_candidates(application),
        "confirmed": confirmed,
        "evidence_errors": [],
    }


@login_required
@require_POST
def evidence_confirm(request, reference: str):
    application = application_get_for_user(request.user, reference)
    user = request.user
    _require(selectors.log_wide_access(user) and user.has_role(*EVIDENCE_ROLES))
    offered = {c.report.id: c.report for c in selectors.evidence_candidates(application)}
    chosen = []
    for value in request.POST.getlist("reports"):
        try:
            chosen.append(offered[int(value)])
        except (KeyError, ValueError):
            raise Http404("No such report") from None
    try:
        incidents = services.evidence_confirm(application=application, reports=chosen, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{len(chosen)} report(s) added to the case as {len(incidents)} incident(s)."
        )
    return redirect(_case_url(application))


def _case_url(application) -> str:
    try:
        return reverse("applications:detail", args=[application.reference])
    except Exception:  # the case page's URL name is the applications app's; fall back to its path
        return f"/cases/{application.reference}/"
