"""Pages for interventions. Thin: access through the selectors, changes through the services.

A refused step shows the law's reasons in the error summary — each with its rule (Act and
section), the date the rule is in force from, and a link to what to do next — and changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.accounts.models import Agency
from casereview.audit.services import Action, access_event_record
from casereview.core.enforcement_reasons import kind_words
from casereview.core.reasons import ENGLISH
from casereview.people.selectors import people_visible_to, places_visible_to
from casereview.web.concurrency import StaleRecord
from casereview.web.forms import add_service_errors
from casereview.web.pagination import page_of

from . import selectors, services
from .forms import (
    BreachDecideForm,
    HearingForm,
    OpenForm,
    OutcomeForm,
    ReferralAnswerForm,
    ReferralForm,
    StepForm,
)
from .models import Status, StepKind

PAGE_SIZE = 25


def _agencies(user):
    return list(Agency.objects.filter(partnership_id=user.partnership_id).order_by("name"))


def _may_record(user):
    if not selectors.may_record(user):
        raise PermissionDenied("Only officers of the partnership record interventions.")


@login_required
def intervention_list(request):
    user = request.user
    status = request.GET.get("status", "open")
    status = status if status in {*Status.values, "all"} else "open"
    subject = request.GET.get("subject", "")
    subject = subject if subject in {"person", "premises"} else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in StepKind.values else ""
    agencies = _agencies(user)
    agency = int(request.GET["agency"]) if request.GET.get("agency", "").isdigit() else None
    agency = agency if agency in {a.pk for a in agencies} else None
    filters = selectors.ListFilters(status=status, subject=subject, agency=agency, kind=kind)
    page = page_of(selectors.intervention_list(user, filters), request, PAGE_SIZE)
    access_event_record(action=Action.SEARCH, request=request, summary="Interventions listed")
    query = urlencode(
        {
            k: v
            for k, v in {"status": status, "subject": subject, "agency": agency or "", "kind": kind}.items()
            if v
        }
    )
    return render(
        request,
        "interventions/list.html",
        {
            "page": page,
            "filters": filters,
            "agencies": agencies,
            "kinds": StepKind.choices,
            "statuses": [("open", "Open"), ("closed", "Closed"), ("all", "All")],
            "query": query,
            "filtered": bool(subject or agency or kind or status != "open"),
            "may_record": selectors.may_record(user),
            "breach_flags": list(selectors.open_breach_flags(user)[:20]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_open(request):
    user = request.user
    _may_record(user)
    people = list(people_visible_to(user).filter(merged_into__isnull=True)[:500])
    places = list(places_visible_to(user).filter(merged_into__isnull=True)[:500])
    agencies = _agencies(user)
    form = OpenForm(
        request.POST or None,
        people=people,
        places=places,
        agencies=agencies,
        initial={"lead_agency": str(user.agency_id or ""), "nation": "england"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = (
            next((p for p in people if str(p.pk) == data["person"]), None)
            if data["subject"] == "person"
            else None
        )
        premises = (
            next((p for p in places if str(p.pk) == data["premises"]), None)
            if data["subject"] == "premises"
            else None
        )
        try:
            intervention = services.intervention_open(
                partnership=user.partnership,
                lead_agency=next(a for a in agencies if str(a.pk) == data["lead_agency"]),
                officer=user,
                opened_on=data["opened_on"],
                summary=data["summary"],
                person=person,
                premises=premises,
                nation=data["nation"],
                actor=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Intervention {intervention.reference} opened.")
            return redirect("interventions:detail", pk=intervention.pk)
    return render(request, "interventions/open.html", {"form": form, "people": people, "places": places})


@login_required
def intervention_detail(request, pk: int):
    intervention = selectors.intervention_get_for_user(request.user, pk)
    steps = list(intervention.steps.select_related("issuing_agency", "officer"))
    return render(
        request,
        "interventions/detail.html",
        {
            "intervention": intervention,
            "steps": steps,
            "referrals": list(intervention.referrals.all()),
            "events": list(intervention.events.select_related("actor")[:200]),
            "breach_flags": list(intervention.breach_flags.select_related("step", "report")),
            "hearings": selectors.hearing_warnings(intervention),
            "next_kind": selectors.next_suggested(intervention),
            "may_record": selectors.may_record(request.user) and intervention.status == Status.OPEN,
        },
    )


def _next_link(intervention, next_step: str) -> tuple[str, str]:
    """What to do next after a refusal: (href, words)."""
    base = reverse("interventions:step_new", args=[intervention.pk])
    what, _, arg = next_step.partition(":")
    if what == "record_step":
        return f"{base}?kind={arg}", f"Record {kind_words(ENGLISH, arg)} first"
    if what == "record_duty":
        return "#duties", "Tick what was done before this step, once it is done"
    if what == "record_authorisation":
        return "#authorisations", "Record the authorisation, once given"
    if what == "record_referral":
        return reverse("interventions:referral_new", args=[intervention.pk]), "Record the support offered"
    if what == "record_date_of_birth" and intervention.person_id:
        return reverse(
            "people:person", args=[intervention.person_id]
        ), "Check the person's date of birth on their profile"
    if what == "wait_until":
        day = dt.date.fromisoformat(arg)
        return "#served_on", f"Record the notice on or after {day.day} {day:%B %Y}"
    if what == "record_outcome":
        return reverse(
            "interventions:detail", args=[intervention.pk]
        ) + "#steps", "Record the earlier step's outcome"
    if what == "choose_agency":
        return "#id_issuing_agency", "Choose an agency that may use this power"
    if what == "record_comply_by":
        return "#comply_by", "Give the person a date to comply by"
    if what == "record_duration":
        return "#id_duration_hours", "Enter the length in hours"
    return "#id_kind", "Choose another step"


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request, pk: int):
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    if intervention.status != Status.OPEN:
        messages.error(request, "This intervention is closed.")
        return redirect("interventions:detail", pk=pk)
    agencies = _agencies(user)
    suggested = (
        request.GET.get("kind")
        if request.GET.get("kind") in StepKind.values
        else selectors.next_suggested(intervention)
    )
    initial = {
        "version": intervention.version,
        "kind": suggested,
        "issuing_agency": str(user.agency_id or ""),
    }
    form = StepForm(request.POST or None, agencies=agencies, initial=initial)
    refusals = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        served_at = None
        if data.get("served_time_value"):
            served_at = timezone.make_aware(dt.datetime.combine(data["served_on"], data["served_time_value"]))
        step_data = services.StepData(
            kind=data["kind"],
            issuing_agency=next(a for a in agencies if str(a.pk) == data["issuing_agency"]),
            served_on=data["served_on"],
            served_at=served_at,
            how_served=data["how_served"],
            prohibitions=data["prohibitions"],
            requirements=data["requirements"],
            comply_by=data.get("comply_by"),
            expires_on=data.get("expires_on"),
            duration_hours=data.get("duration_hours"),
            authorisations=list(data["authorisations"]),
            authorised_by=data["authorised_by"],
            duties=list(data["duties"]),
            court_decision=data["court_decision"],
        )
        try:
            step = services.step_record(
                intervention=intervention, data=step_data, actor=user, read_version=data.get("version")
            )
        except services.StepRefused as refused:
            for finding in refused.judgement.refusals:
                from casereview.core.enforcement_reasons import render as render_reason

                href, words = _next_link(intervention, finding.next_step)
                refusals.append({"text": render_reason(finding.reason()), "href": href, "next": words})
        except StaleRecord as error:
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{step.get_kind_display()} recorded.")
            return redirect(reverse("interventions:detail", args=[pk]) + "#steps")
    return render(
        request,
        "interventions/step_new.html",
        {"intervention": intervention, "form": form, "refusals": refusals, "suggested": suggested},
        status=400 if refusals else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_outcome(request, pk: int, step_id: int):
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    step = selectors.step_get(intervention, step_id)
    form = OutcomeForm(request.POST or None, initial=OutcomeForm.initial_for(step))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            warnings = services.step_outcome_record(
                step=step,
                outcome=data["outcome"],
                outcome_on=data["outcome_on"],
                court_decision=data["court_decision"],
                actor=user,
                read_version=data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, "Outcome recorded.")
            return redirect(reverse("interventions:detail", args=[pk]) + "#steps")
    return render(
        request,
        "interventions/form_page.html",
        {
            "intervention": intervention,
            "form": form,
            "heading": f"Record the outcome of the {step.get_kind_display().lower()}",
            "button": "Record the outcome",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_hearing(request, pk: int, step_id: int):
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    step = selectors.step_get(intervention, step_id)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        heard_at = timezone.make_aware(dt.datetime.combine(data["heard_on"], data["heard_time"]))
        try:
            services.hearing_record(
                step=step, heard_at=heard_at, court_decision=data["court_decision"], actor=user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The hearing and the court's decision are recorded.")
            return redirect(reverse("interventions:detail", args=[pk]) + "#steps")
    return render(
        request,
        "interventions/form_page.html",
        {
            "intervention": intervention,
            "form": form,
            "heading": "Record the closure order hearing",
            "button": "Record the hearing",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, pk: int):
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_offer(
                intervention=intervention,
                service=data["service"],
                offered_on=data["offered_on"],
                notes=data["notes"],
                actor=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Support offer recorded.")
            return redirect(reverse("interventions:detail", args=[pk]) + "#support")
    return render(
        request,
        "interventions/form_page.html",
        {
            "intervention": intervention,
            "form": form,
            "heading": "Record support offered",
            "button": "Record the offer",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_answer(request, pk: int, support_id: int):
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    referral = intervention.referrals.filter(pk=support_id).first()
    if referral is None:
        from django.http import Http404

        raise Http404("No such referral")
    form = ReferralAnswerForm(request.POST or None, initial=ReferralAnswerForm.initial_for(referral))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_answer(
                referral=referral,
                taken_up=data["taken_up"] == "yes",
                on=data["on"],
                actor=user,
                read_version=data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("interventions:detail", args=[pk]) + "#support")
    return render(
        request,
        "interventions/form_page.html",
        {
            "intervention": intervention,
            "form": form,
            "heading": f"Did they take up the {referral.get_service_display().lower()}?",
            "button": "Save",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def breach_decide(request, pk: int, flag_id: int):
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    flag = selectors.breach_flag_get(intervention, flag_id)
    form = BreachDecideForm(request.POST or None, initial=BreachDecideForm.initial_for(flag))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_decide(
                flag=flag,
                status=form.cleaned_data["status"],
                actor=user,
                read_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("interventions:detail", args=[pk]) + "#breaches")
    return render(
        request,
        "interventions/form_page.html",
        {
            "intervention": intervention,
            "form": form,
            "heading": f"Possible breach of the {flag.step.get_kind_display()}: "
            f"report of {flag.report.occurred_on:%-d %B %Y}",
            "button": "Save",
        },
    )


@login_required
def figures(request):
    user = request.user
    if not selectors.may_record(user) and not user.has_role(*selectors.WIDE_ROLES):
        raise PermissionDenied("Only officers of the partnership see these figures.")
    rows = selectors.figures(user.partnership_id)
    kinds = [(k, label) for k, label in StepKind.choices if k in selectors.NOTICE_ORDER_KINDS]
    access_event_record(
        action=Action.EXPORT if request.GET.get("format") == "csv" else Action.SEARCH,
        request=request,
        summary="Intervention figures",
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="intervention-figures.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "year",
                "agency",
                "warnings",
                "second_warning_or_escalated_within_12_months",
                "share",
                *[k for k, _ in kinds],
                "breaches",
                "appeals",
                "appeals_pending",
                "appeals_varied",
                "appeals_discharged",
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r.year,
                    r.agency,
                    r.warnings,
                    r.escalated,
                    r.escalated_share,
                    *[r.notices_orders[k] for k, _ in kinds],
                    r.breaches,
                    r.appeals,
                    r.appeals_by_outcome["pending"],
                    r.appeals_by_outcome["varied"],
                    r.appeals_by_outcome["discharged"],
                ]
            )
        return response
    table = [{"row": r, "counts": [r.notices_orders[k] for k, _ in kinds]} for r in rows]
    return render(request, "interventions/figures.html", {"table": table, "kinds": kinds})
