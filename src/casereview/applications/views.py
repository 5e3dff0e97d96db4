"""The staff workspace. Views are thin: they find the case through the access selector (out of
scope is a 404), check the rule for the action (in scope but not allowed is a 403), hand a valid
form to a service and redirect. Every page needs sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.web.forms import add_service_errors
from casereview.web.pagination import COUNT_CAP, CappedPaginator, counts_capped

from . import case_sections, services
from . import forms as f
from .clocks import next_due
from .models import (
    SAFE_CONTACT_REFUSALS,
    AllegedPerpetrator,
    Channel,
    Concern,
    HateMotivation,
    Incident,
    IncidentReport,
    Person,
    Status,
)
from .selectors import (
    application_current_decision,
    application_dangers,
    application_get_for_user,
    application_timeline,
    case_clocks,
    case_list_for_user,
    case_rows,
    clock_count_queries,
)
from .threshold import threshold_evaluate

PAGE_SIZE = 25


def _today():
    return timezone.localdate()


def _posted(request):
    """The submitted data, or None for a GET: an empty POST is still a submission to validate."""
    return request.POST if request.method == "POST" else None


def _require(request, permission: str, application=None) -> None:
    if not request.user.has_perm(f"applications.{permission}", application):
        raise PermissionDenied("You do not have permission to do that on this case.")


def _page(request, template: str, context: dict):
    form = context.get("form")
    context.setdefault("page_error", bool(form is not None and form.errors))
    return render(request, template, context)


def _case_url(application, anchor: str = "") -> str:
    return reverse("applications:detail", args=[application.reference]) + (f"#{anchor}" if anchor else "")


def _incidents_url(application) -> str:
    return reverse("applications:incidents", args=[application.reference])


# --- The list ----------------------------------------------------------------------------------------------


@login_required
def case_list(request):
    today = _today()
    form = f.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list_for_user(
        request.user,
        today=today,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        clock=filters.get("clock", ""),
        sort=filters.get("sort") or "received",
    )
    # The page reads only what its rows show (the CSV, below, reads whole cases).
    cases = cases.only(*LIST_FIELDS)
    # The list's count and the deadline counts in one query; filtered to overdue alone, the list's
    # count is the "overdue" count, not counted twice.
    count_queries = clock_count_queries(request.user, today=today)
    only_overdue = filters.get("clock") == "overdue" and not any(
        filters.get(k) for k in ("q", "status", "channel")
    )
    if only_overdue:
        del count_queries["overdue"]
    counts = counts_capped({"list": cases, **count_queries}, COUNT_CAP, request=request)
    if only_overdue:
        counts["overdue"] = counts["list"]
    paginator = CappedPaginator(cases, PAGE_SIZE, cap=COUNT_CAP, counted=counts.pop("list"))
    page = paginator.get_page(request.GET.get("page"))
    filtered = any(filters.get(k) for k in ("q", "status", "channel", "clock"))
    return _page(
        request,
        "applications/list.html",
        {
            "form": form,
            "page_error": False,
            "page": page,
            "rows": _list_rows(case_rows(page.object_list, today=today)),
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "counts": counts,
            "count_cap": COUNT_CAP,
            "filtered": filtered,
            "today": today,
            "can_record": request.user.has_perm("applications.record_application"),
            "export_query": _export_query(request, form),
        },
    )


#: The columns the list's rows show (and the access rules and clocks need).
LIST_FIELDS = (
    "id",
    "kind",
    "partnership_id",
    "reference",
    "received_on",
    "channel",
    "status",
    "anonymous",
    "next_due_on",
    "victim__full_name",
    "victim__organisation_name",
)


def _list_rows(rows) -> list[dict]:
    """The case list's rows as the template shows them: links, dates and labels made here once
    (a template's `{% url %}`, `|date` and `get_…_display` per row cost most of the page)."""
    from casereview.web.display import date_as, url_for_each

    from .templatetags.case_tags import status_class

    detail = url_for_each("applications:detail")
    channels, statuses = dict(Channel.choices), dict(Status.choices)
    shown = []
    for row in rows:
        a, clock = row.application, row.next_clock
        shown.append(
            {
                "reference": a.reference,
                "url": detail(a.reference),
                "victim": "Anonymous" if a.anonymous else str(a.victim),
                "received": date_as(a.received_on, "j M Y"),
                "channel": channels.get(a.channel, a.channel),
                "status": statuses.get(a.status, a.status),
                "status_class": status_class(a.status),
                "dangers": row.dangers,
                "clock": clock,
                "due": date_as(clock.due_on, "j M Y") if clock else "",
                "more_overdue": len(row.overdue) - 1,
            }
        )
    return shown


@login_required
def case_list_csv(request):
    """The case list as CSV: the same filters and scope as the page, every row (not one page);
    written to the access log (issue 20)."""
    from casereview.audit.services import access_event_record
    from casereview.web.csv_export import csv_download

    today = _today()
    form = f.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list_for_user(
        request.user,
        today=today,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        clock=filters.get("clock", ""),
        sort=filters.get("sort") or "received",
    )
    access_event_record(
        action="export",
        request=request,
        summary="Case list exported as CSV",
        purpose="Case management",
        details={"filters": {k: str(v) for k, v in filters.items() if v}},
    )

    def rows():
        chunk = []
        for application in cases.iterator(chunk_size=500):
            chunk.append(application)
            if len(chunk) == 500:
                yield from _case_csv_rows(chunk, today)
                chunk = []
        yield from _case_csv_rows(chunk, today)

    header = ["reference", "victim", "received", "how", "status", "next due", "next due for", "overdue"]
    return csv_download("cases", header, rows())


def _export_query(request, form) -> str:
    from casereview.web.csv_export import export_query

    return export_query(request, form.fields)


def _case_csv_rows(applications, today):
    for row in case_rows(applications, today=today):
        a, clock = row.application, row.next_clock
        yield [
            a.reference,
            "Anonymous" if a.anonymous else str(a.victim),
            a.received_on.isoformat(),
            a.get_channel_display(),
            a.get_status_display(),
            clock.due_on.isoformat() if clock else "",
            clock.label if clock else "",
            "yes" if clock and clock.is_overdue else "",
        ]


# --- Recording an application ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    _require(request, "record_application")
    if request.user.partnership is None:
        raise PermissionDenied("Your account does not belong to a partnership.")
    form = f.ApplicationRecordForm(
        _posted(request), initial={"received_on": _today()}, partnership=request.user.partnership
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        victim = Person(
            kind=data["victim_kind"],
            full_name=data["victim_name"].strip(),
            organisation_name=data["victim_organisation"].strip(),
            address=data["victim_address"].strip(),
            postcode=data["victim_postcode"].strip().upper(),
            email=data["victim_email"],
            phone=data["victim_phone"].strip(),
            preferred_contact=data["victim_preferred_contact"],
            safe_contact_times=data["victim_safe_contact"].strip(),
            contact_refusals=_refusals(data["victim_refusals"]),
            accessibility_needs=data["victim_needs"].strip(),
        )
        third_party = data["applicant_is_third_party"] == "yes"
        applicant = (
            Person(
                full_name=data["applicant_name"].strip(),
                email=data["applicant_email"],
                phone=data["applicant_phone"].strip(),
                address=data["applicant_address"].strip(),
                postcode=data["applicant_postcode"].strip().upper(),
                contact_refusals=_refusals(data["applicant_refusals"]),
            )
            if third_party
            else None
        )
        consent = {"yes": True, "no": False}.get(data.get("victim_consent")) if third_party else None
        application = services.application_create(
            partnership=request.user.partnership,
            channel=data["channel"],
            received_on=data["received_on"],
            victim=victim,
            applicant=applicant,
            applicant_relationship=data["applicant_relationship"].strip() if third_party else "",
            victim_consent=consent,
            anonymous=data["anonymous"],
            concerns=data["concerns"],
            senior_manager_request=data["senior_manager_request"],
            senior_manager_reasons=data["senior_manager_reasons"].strip(),
            summary=data["summary"].strip(),
            desired_outcome=data["desired_outcome"].strip(),
            location=data["location"].strip(),
            actor=request.user,
        )
        messages.success(request, f"Application {application.reference} recorded. Now add its incidents.")
        return redirect("applications:incident_add", reference=application.reference)
    return _page(request, "applications/create.html", {"form": form})


def _refusals(chosen) -> str:
    """The ways not to contact, in SAFE_CONTACT_REFUSALS' order, as Person.contact_refusals stores them."""
    return ",".join(r for r in SAFE_CONTACT_REFUSALS if r in set(chosen or ()))


# --- The case page -----------------------------------------------------------------------------------------


#: The latest timeline entries the case's summary shows; the rest are on its timeline page.
SUMMARY_TIMELINE = 5
#: Entries a page of the case's timeline shows, and incidents a page of its incidents.
TIMELINE_PAGE_SIZE = 50
INCIDENTS_PAGE_SIZE = 25


#: The case's own pages beside its summary (urls.py), by the key in their address.
CASE_HISTORY_PAGES = (
    ("incidents", "Incidents and reports"),
    ("decisions", "Threshold decisions"),
    ("timeline", "Timeline"),
)


def _case_pages(application, current: str) -> list[dict]:
    """The case's sub-navigation (ADR 0093): its summary, its own history pages and one page per
    registered section, in the order the summary used to show them; `current` is the key of the
    page shown. Every link is to a page that checks access as the summary does."""
    # One reverse for the case; its pages are under it (urls.py), the sections by their keys.
    base = reverse("applications:detail", args=[application.reference])
    pages = [("summary", "Summary", base)]
    pages += [(key, title, f"{base}{key}/") for key, title in CASE_HISTORY_PAGES[:2]]
    pages += [(s.key, s.title, f"{base}{s.key}/") for s in case_sections.sections()]
    pages += [(key, title, f"{base}{key}/") for key, title in CASE_HISTORY_PAGES[2:]]
    return [
        {"key": key, "title": title, "href": href, "current": key == current} for key, title, href in pages
    ]


def _case_page(request, application, current: str, template: str, context: dict):
    """A page of the case: its header (reference, status, the safety banner) and sub-navigation."""
    return render(
        request,
        template,
        {
            "application": application,
            "dangers": application_dangers(application),
            "case_pages": _case_pages(application, current),
            **context,
        },
    )


def _can(user, application) -> dict:
    return {
        "acknowledge": user.has_perm("applications.acknowledge", application),
        "edit": user.has_perm("applications.edit_evidence", application),
        "decide": user.has_perm("applications.decide", application),
        "withdraw": user.has_perm("applications.withdraw", application),
        # Registered by letters at ready() (a permission's name, not an import).
        "warn": user.has_perm("letters.issue_warning", application),
        "consent": user.has_perm("applications.edit_evidence", application)
        and application.is_third_party
        and application.status == Status.AWAITING_CONSENT,
    }


@login_required
def case_detail(request, reference):
    """The case's summary (ADR 0093): what staff need at a glance — its details, status, deadlines
    and next step, parties, current decision, the sections registered for the summary and the
    latest timeline entries. The long histories (incidents, decisions, the timeline) and the other
    sections are on the case's own pages, linked from its sub-navigation."""
    application = application_get_for_user(request.user, reference, summary=True)
    today = _today()
    clocks = case_clocks(application, today=today)
    summary_sections = [s for s in case_sections.sections() if s.summary]
    return _case_page(
        request,
        application,
        "summary",
        "applications/detail.html",
        {
            "clocks": clocks,
            "next_clock": next_due(clocks),
            "today": today,
            "incident_count": application.incident_count,
            "perpetrators": application.perpetrators.order_by("id"),
            "current_decision": application_current_decision(application),
            "agencies": application.agencies.select_related("agency").order_by("agency__name"),
            "sections": case_sections.render_sections(request, application, only=summary_sections),
            "timeline": list(application_timeline(application)[:SUMMARY_TIMELINE]),
            "concern_labels": [Concern(c).label for c in application.concerns if c in Concern.values],
            "can": _can(request.user, application),
        },
    )


@login_required
def case_incidents(request, reference):
    """The case's incidents, each with its reports, a page at a time (oldest first)."""
    application = application_get_for_user(request.user, reference)
    incidents = application.incidents.prefetch_related(
        Prefetch("reports", queryset=IncidentReport.objects.select_related("agency"))
    ).order_by("occurred_on", "id")
    page = Paginator(incidents, INCIDENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return _case_page(
        request,
        application,
        "incidents",
        "applications/case_incidents.html",
        {"page": page, "hate_labels": dict(HateMotivation.choices), "can": _can(request.user, application)},
    )


@login_required
def case_decisions(request, reference):
    """Every threshold decision on the case, the current one first."""
    application = application_get_for_user(request.user, reference)
    decisions = application.decisions.select_related("decided_by").order_by("-decided_at", "-id")
    return _case_page(
        request, application, "decisions", "applications/case_decisions.html", {"decisions": decisions}
    )


@login_required
def case_timeline(request, reference):
    """The case's timeline, newest first, a page at a time (paged in the database)."""
    application = application_get_for_user(request.user, reference)
    page = Paginator(application_timeline(application), TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return _case_page(request, application, "timeline", "applications/case_timeline.html", {"page": page})


@login_required
def case_section(request, reference, section):
    """One registered section of the case on a page of its own (ADR 0093): the same access
    selector (and access log row) as the summary, and the section's own role checks in its
    context, as when it was rendered on the case page."""
    found = case_sections.section_get(section)
    if found is None:
        raise Http404("No such section")
    application = application_get_for_user(request.user, reference)
    rendered = case_sections.render_sections(request, application, only=[found])
    return _case_page(
        request,
        application,
        found.key,
        "applications/case_section.html",
        {"section": found, "rendered": rendered[0] if rendered else None},
    )


# --- Acknowledge, consent, withdraw ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_acknowledge(request, reference):
    application = application_get_for_user(request.user, reference)
    _require(request, "acknowledge", application)
    form = f.AcknowledgeForm(_posted(request), initial={"acknowledged_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_acknowledge(
                application=application,
                actor=request.user,
                acknowledged_on=form.cleaned_data["acknowledged_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{application.reference} acknowledged.")
            return redirect(_case_url(application))
    return _page(request, "applications/acknowledge.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_consent(request, reference):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    if not application.is_third_party:
        raise Http404("Not a third-party application")
    form = f.ConsentForm(_posted(request), initial={"recorded_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_consent_record(
                application=application,
                actor=request.user,
                consent=form.cleaned_data["consent"] == "yes",
                recorded_on=form.cleaned_data["recorded_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The victim's answer is recorded. Run the threshold again to decide.")
            return redirect(_case_url(application))
    return _page(request, "applications/consent.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_withdraw(request, reference):
    application = application_get_for_user(request.user, reference)
    _require(request, "withdraw", application)
    form = f.WithdrawForm(_posted(request), initial={"withdrawn_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{application.reference} withdrawn.")
            return redirect(_case_url(application))
    return _page(request, "applications/withdraw.html", {"application": application, "form": form})


# --- Evidence ----------------------------------------------------------------------------------------------


def _incident(application, incident_ref) -> Incident:
    return get_object_or_404(Incident, application=application, ref=incident_ref)


def _report(application, pk) -> IncidentReport:
    return get_object_or_404(
        IncidentReport.objects.select_related("incident"), incident__application=application, pk=pk
    )


def _incident_data(form) -> services.IncidentData:
    data = form.cleaned_data
    return services.IncidentData(
        occurred_on=data["occurred_on"],
        description=data["description"].strip(),
        location=data["location"].strip(),
        hate_motivations=data["hate_motivations"],
        diary_sheet=data["diary_sheet"],
        action_group=data["action_group"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_add(request, reference):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    form = f.IncidentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        incident = services.incident_add(
            application=application, data=_incident_data(form), actor=request.user
        )
        messages.success(request, f"Incident {incident.ref} added. Now add who it was reported to.")
        return redirect("applications:report_add", reference=reference, incident_ref=incident.ref)
    return _page(request, "applications/incident_form.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, reference, incident_ref):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    incident = _incident(application, incident_ref)
    form = f.IncidentForm(_posted(request), initial=f.IncidentForm.initial_for(incident))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(
                incident=incident,
                actor=request.user,
                data=_incident_data(form),
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Incident {incident.ref} changed.")
            return redirect(_incidents_url(application))
    return _page(
        request,
        "applications/incident_form.html",
        {"application": application, "form": form, "incident": incident},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_remove(request, reference, incident_ref):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    incident = _incident(application, incident_ref)
    if request.method == "POST":
        services.incident_remove(incident=incident, actor=request.user)
        messages.success(request, f"Incident {incident_ref} removed.")
        return redirect(_incidents_url(application))
    return render(
        request, "applications/incident_remove.html", {"application": application, "incident": incident}
    )


def _report_data(form) -> services.ReportData:
    data = form.cleaned_data
    agency = form.agencies.get(data["agency"])
    return services.ReportData(
        agency=agency,
        agency_kind=agency.kind if agency else data["other_kind"],
        agency_name=agency.name if agency else data["other_name"].strip(),
        reported_on=data["reported_on"],
        agency_reference=data["agency_reference"].strip(),
        reporter="victim" if data["reporter"] == "victim" else data["reporter_name"].strip(),
        confirmed=data["confirmed"],
    )


def _agencies(application):
    return list(application.partnership.agencies.order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def report_add(request, reference, incident_ref):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    incident = _incident(application, incident_ref)
    form = f.ReportForm(_posted(request), agencies=_agencies(application))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_report_add(incident=incident, data=_report_data(form), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Report added to incident {incident.ref}.")
            if request.POST.get("then") == "another":
                return redirect("applications:report_add", reference=reference, incident_ref=incident.ref)
            return redirect(_incidents_url(application))
    return _page(
        request,
        "applications/report_form.html",
        {"application": application, "form": form, "incident": incident},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, reference, pk):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    report = _report(application, pk)
    form = f.ReportForm(
        _posted(request), agencies=_agencies(application), initial=f.ReportForm.initial_for(report)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_report_update(
                report=report, actor=request.user, data=_report_data(form), read_version=form.read_version
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Report on incident {report.incident.ref} changed.")
            return redirect(_incidents_url(application))
    return _page(
        request,
        "applications/report_form.html",
        {"application": application, "form": form, "incident": report.incident, "report": report},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_remove(request, reference, pk):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    report = _report(application, pk)
    if request.method == "POST":
        services.incident_report_remove(report=report, actor=request.user)
        messages.success(request, f"Report removed from incident {report.incident.ref}.")
        return redirect(_incidents_url(application))
    return render(request, "applications/report_remove.html", {"application": application, "report": report})


@login_required
@require_http_methods(["GET", "POST"])
def report_move(request, reference, pk):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    report = _report(application, pk)
    others = application.incidents.exclude(pk=report.incident_id).order_by("occurred_on", "id")
    form = f.MoveReportForm(_posted(request), incidents=others)
    if request.method == "POST" and form.is_valid():
        target = _incident(application, form.cleaned_data["to_incident"])
        try:
            services.incident_report_move(report=report, to_incident=target, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The report is now on incident {target.ref}: one incident, counted once."
            )
            return redirect(_incidents_url(application))
    return _page(
        request,
        "applications/report_move.html",
        {"application": application, "report": report, "form": form, "has_others": others.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_edit(request, reference, pk=None):
    application = application_get_for_user(request.user, reference)
    _require(request, "edit_evidence", application)
    perpetrator = get_object_or_404(AllegedPerpetrator, application=application, pk=pk) if pk else None
    initial = f.PerpetratorForm.initial_for(perpetrator) if perpetrator else {}
    form = f.PerpetratorForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.perpetrator_save(
                application=application,
                actor=request.user,
                perpetrator=perpetrator,
                read_version=form.read_version,
                data=services.PerpetratorData(
                    name=data["name"],
                    address=data["address"],
                    date_of_birth=data["date_of_birth"],
                    description=data["description"],
                    aliases=data["aliases"],
                    phone=data["phone"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Alleged perpetrator saved.")
            return redirect(_case_url(application, "perpetrators"))
    return _page(
        request,
        "applications/perpetrator_form.html",
        {"application": application, "form": form, "perpetrator": perpetrator},
    )


# --- The threshold and the decision ------------------------------------------------------------------------


def _decision_form(request, application, result, data=None):
    choices = services.decision_choices_for(
        outcome=result["outcome"], user=request.user, application=application
    )
    return f.DecisionForm(data, choices=choices, initial={"outcome": result["outcome"], "choice": choices[0]})


@login_required
def case_threshold(request, reference):
    """The engine's result on the records as they are now, and (for those who may) the decision form."""
    application = application_get_for_user(request.user, reference)
    result = threshold_evaluate(application=application)
    can_decide = request.user.has_perm("applications.decide", application)
    return render(
        request,
        "applications/threshold.html",
        {
            "application": application,
            "result": result,
            "incidents": {i.ref: i for i in application.incidents.prefetch_related("reports")},
            "form": _decision_form(request, application, result) if can_decide else None,
            "current_decision": application_current_decision(application),
        },
    )


@login_required
@require_http_methods(["POST"])
def case_decide(request, reference):
    """Step 1 (no `confirm`): check the choice and show the confirmation page. Step 2 (`confirm`):
    decide. Without JavaScript, the confirmation is a page of its own."""
    application = application_get_for_user(request.user, reference)
    _require(request, "decide", application)
    result = threshold_evaluate(application=application)
    form = _decision_form(request, application, result, request.POST)
    if form.is_valid() and form.cleaned_data["outcome"] != result["outcome"]:
        form.add_error(None, "The evidence changed since you ran the threshold: check the result again.")
    if not form.is_valid():
        return _page(
            request,
            "applications/threshold.html",
            {
                "application": application,
                "result": result,
                "incidents": {i.ref: i for i in application.incidents.prefetch_related("reports")},
                "form": form,
                "current_decision": application_current_decision(application),
            },
        )
    choice = form.cleaned_data["choice"]
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "applications/decide_confirm.html",
            {
                "application": application,
                "result": result,
                "form": form,
                "choice": choice,
                "choice_label": services.DecisionChoice.LABELS[choice],
            },
        )
    try:
        services.application_decide(
            application=application,
            actor=request.user,
            choice=choice,
            reasons=form.cleaned_data["reasons"],
            expected_outcome=form.cleaned_data["outcome"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(
            request,
            "applications/threshold.html",
            {
                "application": application,
                "result": result,
                "incidents": {i.ref: i for i in application.incidents.prefetch_related("reports")},
                "form": form,
            },
        )
    messages.success(request, f"Decision recorded: {services.DecisionChoice.LABELS[choice]}.")
    return redirect(_case_url(application))
