"""/returns/: the data return for the partnership worked in, or its force area, on a page and as
CSV and JSON; /returns/force-area/: every partnership of the force area side by side (the local
policing body's office and the force). Counts only, small numbers suppressed (docs/returns.md).
Each download is written to the access log."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from casereview.accounts.models import AgencyKind, Role
from casereview.audit.services import access_event_record
from casereview.statistics.periods import Period, financial_year, financial_year_of

from .exports import return_csv, return_json
from .selectors import LPB_REVIEWS, OUTCOMES, PUBLISHED, SCHEMA_VERSION, data_return, force_areas_of

#: Who may take the data return for the partnership they work in.
RETURN_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SENIOR_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.CHIEF_EXECUTIVE,
    Role.ANALYST,
    Role.LOCAL_POLICING_BODY,
)

LABELS = {
    "applications": "Applications received",
    "threshold_not_met": "Did not meet the threshold",
    "reviews_carried_out": "Reviews carried out",
    "reviews_with_recommendations": "Reviews that made recommendations",
    "not_eligible": "Not eligible (of those not meeting the threshold)",
    "accepted_review_pending": "Accepted, review not yet carried out",
    "awaiting_decision": "Awaiting a decision",
    "withdrawn": "Withdrawn before a review",
    "reviews_at_discretion": "Reviews at the manager's discretion",
    "accepted_after_appeal": "Accepted after an appeal",
    "appeals_lodged": "Appeals lodged",
    "appeals_upheld": "Appeals upheld",
    "lpb_reviews_requested": "Reviews asked of the local policing body",
    "lpb_reviews_decision_stands": "Local policing body reviews: the decision stands",
    "lpb_reviews_sent_back": "Local policing body reviews: sent back to decide again",
    "reports": "Reports in the ASB report log",
}


def may_take_return(user) -> bool:
    return bool(user.is_authenticated and user.partnership_id and user.has_role(*RETURN_ROLES))


def may_see_force_area(user) -> bool:
    """The local policing body's office and the force (a police agency's officers), and the
    partnership's own managers."""
    if not (user.is_authenticated and user.partnership_id):
        return False
    police = (
        user.has_role(Role.AGENCY_OFFICER)
        and user.agency is not None
        and user.agency.kind == AgencyKind.POLICE
    )
    return police or may_take_return(user)


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label="From (YYYY-MM-DD)",
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "Enter the first day as a date, like 2025-04-01",
            "required": "Enter the first day",
        },
    )
    date_to = forms.DateField(
        label="To (YYYY-MM-DD)",
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "Enter the last day as a date, like 2026-03-31",
            "required": "Enter the last day",
        },
    )
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Select an area from the list"}
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The last day must be on or after the first day")
        return data


def _selection(request, *, with_area: bool):
    today = timezone.localdate()
    default = financial_year(financial_year_of(today) - 1)
    force_areas = force_areas_of(request.user.partnership_id)
    data = {
        "date_from": request.GET.get("date_from", default.start.isoformat()),
        "date_to": request.GET.get("date_to", default.end.isoformat()),
        "area": request.GET.get("area", ""),
    }
    form = PeriodForm(data)
    form.fields["area"].choices = [("", request.user.partnership.name)] + [
        (f.slug, f"{f.name} force area") for f in force_areas
    ]
    if not with_area:
        del form.fields["area"]
    period, force_area = default, None
    if form.is_valid():
        period = Period(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
        chosen = form.cleaned_data.get("area")
        force_area = next((f for f in force_areas if f.slug == chosen), None)
    return form, period, force_area, force_areas, today


def _table(data) -> list[dict]:
    """Rows of measures, a column per area: what the page shows."""
    rows = []
    for section, measures in (
        ("published", PUBLISHED),
        ("outcomes", OUTCOMES),
        ("lpb_reviews", LPB_REVIEWS),
        ("reports", ("reports",)),
    ):
        for measure in measures:
            rows.append(
                {
                    "measure": measure,
                    "label": LABELS[measure],
                    "values": [
                        (
                            area.cell(section, measure).shown(data.threshold)
                            if area.cell(section, measure)
                            else 0
                        )
                        for area in data.areas
                    ],
                }
            )
    return rows


def _breakdowns(data) -> list[dict]:
    """Per area: the report log by channel and category, and the deadlines met."""
    out = []
    for area in data.areas:
        out.append(
            {
                "area": area,
                "channels": [
                    (c.breakdown, c.shown(data.threshold)) for c in area.cells if c.measure == "by_channel"
                ],
                "categories": [
                    (c.breakdown, c.shown(data.threshold))
                    for c in area.cells
                    if c.measure == "by_category" and not c.folded
                ],
                "deadlines": _deadlines(area, data.threshold),
            }
        )
    return out


def _deadlines(area, threshold) -> list[dict]:
    names = sorted({c.breakdown for c in area.cells if c.section == "timeliness"})
    return [
        {
            "name": name,
            **{
                c.measure: c.shown(threshold)
                for c in area.cells
                if c.section == "timeliness" and c.breakdown == name
            },
        }
        for name in names
    ]


@login_required
def return_page(request):
    if not may_take_return(request.user):
        raise Http404
    form, period, force_area, force_areas, today = _selection(request, with_area=True)
    data = None
    if form.is_valid():
        data = data_return(
            period=period,
            as_at=today,
            partnership=None if force_area else request.user.partnership,
            force_area=force_area,
        )
    return render(
        request,
        "returns/return.html",
        {
            "form": form,
            "data": data,
            "rows": _table(data) if data else [],
            "breakdowns": _breakdowns(data) if data else [],
            # The downloads carry the selection only: the form's own fields, nothing else typed.
            "query": urlencode({k: v for k, v in request.GET.items() if k in form.fields}),
            "schema_version": SCHEMA_VERSION,
            "page_error": bool(form.errors),
        },
    )


def _download(request, fmt: str):
    if not may_take_return(request.user):
        raise Http404
    form, period, force_area, _force_areas, today = _selection(request, with_area=True)
    if not form.is_valid():
        return HttpResponse(
            "Choose a period on the data return page first.", status=400, content_type="text/plain"
        )
    data = data_return(
        period=period,
        as_at=today,
        partnership=None if force_area else request.user.partnership,
        force_area=force_area,
    )
    access_event_record(
        action="export",
        request=request,
        summary=f"Data return exported as {fmt.upper()}",
        purpose="The data return to the Home Office",
        details={
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "area": force_area.slug if force_area else request.user.partnership.slug,
        },
    )
    slug = force_area.slug if force_area else request.user.partnership.slug
    name = f"data-return-{slug}-{period.start}-to-{period.end}"
    if fmt == "csv":
        response = HttpResponse(return_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(return_json(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def return_csv_view(request):
    return _download(request, "csv")


@login_required
def return_json_view(request):
    return _download(request, "json")


@login_required
def force_area_page(request):
    if not may_see_force_area(request.user):
        raise Http404
    form, period, _chosen, force_areas, today = _selection(request, with_area=False)
    views = []
    if form.is_valid():
        for force_area in force_areas:
            data = data_return(period=period, as_at=today, force_area=force_area)
            views.append({"force_area": force_area, "data": data, "rows": _table(data)})
    return render(
        request,
        "returns/force_area.html",
        {
            "form": form,
            "views": views,
            "force_areas": force_areas,
            "period": period,
            "page_error": bool(form.errors),
        },
    )
