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
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.accounts.models import Agency
from casereview.audit.services import Action, access_event_record
from casereview.core.enforcement_reasons import kind_words
from casereview.core.reasons import ENGLISH
from casereview.letters.rendering import LetterError, demote_headings
from casereview.letters.selectors import letters_visible_to
from casereview.people.selectors import people_visible_to, places_visible_to
from casereview.web.concurrency import StaleRecord, submission_token_from, submission_token_new
from casereview.web.forms import add_service_errors
from casereview.web.pagination import page_of

from . import selectors, services
from .forms import (
    BreachDecideForm,
    CaseworkForm,
    CloseForm,
    DocumentForm,
    HearingForm,
    OpenForm,
    OutcomeForm,
    ProtectedPersonForm,
    ReferralAnswerForm,
    ReferralForm,
    ServeForm,
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
    if request.GET.get("format") == "csv":
        return _list_csv(request, filters)
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


def _list_csv(request, filters):
    """The list as CSV, with the list's filters and only what the user may see (the one access
    selector); the export is in the access log with its filters and row count. References, kinds
    and dates only: no names (a spreadsheet travels further than a page)."""
    rows = selectors.intervention_list_export(request.user, filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interventions.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            "reference",
            "case",
            "programme",
            "subject",
            "lead_agency",
            "opened_on",
            "status",
            "steps",
            "highest_step",
            "last_served_on",
            "support_offered",
            "possible_breaches_open",
        ]
    )
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    described = ", ".join(f"{k}={v}" for k, v in vars(filters).items() if v) or "none"
    access_event_record(
        action=Action.EXPORT,
        request=request,
        summary=f"Interventions exported as CSV: {count} rows; filters {described}",
    )
    return response


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
            "documents": services.STEP_DOCUMENTS,
            "protected_parties": selectors.casework_protected_parties(intervention),
            "agencies": [
                agency.name
                for agency in _agencies(request.user)
                if agency.pk in set(selectors.casework_agency_ids(intervention))
            ],
            "letters": {
                letter.pk: letter
                for letter in letters_visible_to(request.user).filter(
                    pk__in=[s.letter_id for s in steps if s.letter_id]
                )
            },
            "may_record": selectors.may_record(request.user) and intervention.status == Status.OPEN,
        },
    )


def _recording(request, pk: int):
    """The intervention, for a user who may record on it (404 out of scope, 403 not a recorder)."""
    intervention = selectors.intervention_get_for_user(request.user, pk)
    _may_record(request.user)
    return intervention


def _form_page(request, intervention, form, save, *, done, anchor, heading, button):
    """One form on an intervention: on a valid POST, `save(cleaned_data)` (a service call; it may
    return warnings to show); a refusal (ValidationError, StaleRecord) goes on the form and nothing
    is written; otherwise `done` (if any) as the message and back to the detail page's `#anchor`.
    The page is `interventions/form_page.html`, answered 400 while the form has errors."""
    if request.method == "POST" and form.is_valid():
        try:
            warnings = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            for warning in warnings or ():
                messages.warning(request, warning)
            if done:
                messages.success(request, done)
            return redirect(reverse("interventions:detail", args=[intervention.pk]) + f"#{anchor}")
    return render(
        request,
        "interventions/form_page.html",
        {"intervention": intervention, "form": form, "heading": heading, "button": button},
        status=400 if form.errors else 200,
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
    intervention = _recording(request, pk)
    step = selectors.step_get(intervention, step_id)

    def save(data):
        return services.step_outcome_record(
            step=step,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            court_decision=data["court_decision"],
            actor=request.user,
            read_version=data.get("version"),
        )

    return _form_page(
        request,
        intervention,
        OutcomeForm(request.POST or None, initial=OutcomeForm.initial_for(step)),
        save,
        done="Outcome recorded.",
        anchor="steps",
        heading=f"Record the outcome of the {step.get_kind_display().lower()}",
        button="Record the outcome",
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_hearing(request, pk: int, step_id: int):
    intervention = _recording(request, pk)
    step = selectors.step_get(intervention, step_id)

    def save(data):
        heard_at = timezone.make_aware(dt.datetime.combine(data["heard_on"], data["heard_time"]))
        services.hearing_record(
            step=step, heard_at=heard_at, court_decision=data["court_decision"], actor=request.user
        )

    return _form_page(
        request,
        intervention,
        HearingForm(request.POST or None),
        save,
        done="The hearing and the court's decision are recorded.",
        anchor="steps",
        heading="Record the closure order hearing",
        button="Record the hearing",
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, pk: int):
    intervention = _recording(request, pk)

    def save(data):
        services.referral_offer(
            intervention=intervention,
            service=data["service"],
            offered_on=data["offered_on"],
            notes=data["notes"],
            actor=request.user,
        )

    return _form_page(
        request,
        intervention,
        ReferralForm(request.POST or None),
        save,
        done="Support offer recorded.",
        anchor="support",
        heading="Record support offered",
        button="Record the offer",
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_answer(request, pk: int, support_id: int):
    intervention = _recording(request, pk)
    referral = intervention.referrals.filter(pk=support_id).first()
    if referral is None:
        raise Http404("No such referral")

    def save(data):
        services.referral_answer(
            referral=referral,
            taken_up=data["taken_up"] == "yes",
            on=data["on"],
            actor=request.user,
            read_version=data.get("version"),
        )

    return _form_page(
        request,
        intervention,
        ReferralAnswerForm(request.POST or None, initial=ReferralAnswerForm.initial_for(referral)),
        save,
        done=None,
        anchor="support",
        heading=f"Did they take up the {referral.get_service_display().lower()}?",
        button="Save",
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_close(request, pk: int):
    """Close the intervention (issue 17; the same service the partner API calls), after a
    confirmation, with the version the page was read at."""
    intervention = _recording(request, pk)

    def save(data):
        services.intervention_close(
            intervention=intervention, actor=request.user, read_version=data.get("version")
        )

    return _form_page(
        request,
        intervention,
        CloseForm(request.POST or None, initial=CloseForm.initial_for(intervention)),
        save,
        done="Intervention closed",
        anchor="main-content",
        heading="Close the intervention",
        button="Close the intervention",
    )


@login_required
@require_http_methods(["GET", "POST"])
def breach_decide(request, pk: int, flag_id: int):
    intervention = _recording(request, pk)
    flag = selectors.breach_flag_get(intervention, flag_id)

    def save(data):
        services.breach_decide(
            flag=flag, status=data["status"], actor=request.user, read_version=data.get("version")
        )

    return _form_page(
        request,
        intervention,
        BreachDecideForm(request.POST or None, initial=BreachDecideForm.initial_for(flag)),
        save,
        done=None,
        anchor="breaches",
        heading=f"Possible breach of the {flag.step.get_kind_display()}: "
        f"report of {flag.report.occurred_on:%-d %B %Y}",
        button="Save",
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


@login_required
@require_http_methods(["GET", "POST"])
def casework_edit(request, pk: int):
    """The person-centred case's own details (ADR 0066): whose casework, the support plan, the
    condition for the criminal offence data, special category data (encrypted), agencies involved."""
    user = request.user
    intervention = _recording(request, pk)
    agencies = _agencies(user)
    involved = set(selectors.casework_agency_ids(intervention))
    initial = {
        **CaseworkForm.initial_for(intervention),
        "agencies": [str(a.pk) for a in agencies if a.pk in involved],
    }
    form = CaseworkForm(request.POST or None, agencies=agencies, initial=initial)
    # Special category data only for the roles that need it (docs/data-protection.md), each showing
    # in the access log; for anyone else the field is not on the form and the value is kept.
    may_see_special = user.has_perm("privacy.view_special_category")
    if not may_see_special:
        del form.fields["special_category"]
    elif request.method == "GET" and intervention.special_category:
        access_event_record(
            action=Action.VIEW,
            request=request,
            obj=intervention,
            summary=f"Special category information of intervention {intervention.pk} shown",
        )

    def save(data):
        services.casework_update(
            intervention=intervention,
            programme=data["programme"],
            support_plan=data["support_plan"],
            lawful_basis=data["lawful_basis"],
            special_category=data["special_category"] if may_see_special else None,
            agencies=[a for a in agencies if str(a.pk) in data["agencies"]],
            actor=user,
            read_version=data.get("version"),
        )

    return _form_page(
        request,
        intervention,
        form,
        save,
        done="Case details saved.",
        anchor="casework",
        heading="The case: plan, agencies and data",
        button="Save the case details",
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_document(request, pk: int, step_id: int):
    """Write, check, confirm and issue the document served for a step (a warning letter, a CPW, a
    CPN with its terms and appeal route, a closure notice). Checked against every victim, reporter
    and witness (ADR 0067): a match refuses, naming what matched and where; a detail that is also
    the recipient's own holds the document for a manager. Issued documents are dispatched through
    the one outbox or print queue, like every letter."""
    user = request.user
    intervention = selectors.intervention_get_for_user(user, pk)
    _may_record(user)
    step = selectors.step_get(intervention, step_id)
    if step.kind not in services.STEP_DOCUMENTS:
        raise Http404("This step has no document")
    if step.letter_id:
        messages.info(request, "This step's document has already been issued.")
        return redirect("letters:detail", letter_id=step.letter_id)
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None)
    rendered, problem, confirm, serve_form = None, None, False, None
    if posted and form.is_valid() and "change" not in request.POST:
        data = form.cleaned_data
        recipient = services.document_recipient(
            intervention,
            name=data["recipient_name"],
            address=data["recipient_address"],
            language=data.get("recipient_language") or "",
        )
        try:
            rendered = services.step_document_preview(
                step=step, behaviour=data["behaviour"], recipient=recipient, actor=user
            )
        except LetterError as error:
            problem = error.message
        if rendered is not None and rendered.refused:
            for finding in rendered.refused:
                form.add_error("behaviour", finding.message())
        elif rendered is not None:
            confirm = True
            serve_form = ServeForm(
                request.POST if "issue" in request.POST else None, initial={"channel": "post"}
            )
            if "issue" in request.POST and serve_form.is_valid():
                try:
                    letter = services.step_document_issue(
                        step=step,
                        behaviour=data["behaviour"],
                        recipient=recipient,
                        actor=user,
                        channel=serve_form.cleaned_data["channel"],
                        submission_token=submission_token_from(request.POST),
                    )
                except LetterError as error:
                    serve_form.add_error("channel", error.message)
                else:
                    if letter.is_held:
                        messages.warning(request, "Document written and held for a manager to release")
                    else:
                        messages.success(request, f"{step.get_kind_display()} issued")
                    return redirect("letters:detail", letter_id=letter.pk)
    refused = bool(form.errors or problem or (serve_form is not None and serve_form.errors))
    return render(
        request,
        "interventions/document.html",
        {
            "intervention": intervention,
            "step": step,
            "form": form,
            "problem": problem,
            "rendered": rendered,
            "letter_html": demote_headings(rendered.body_html) if rendered else "",
            "confirm": confirm,
            "serve_form": serve_form,
            "submission_token": submission_token_new(),
        },
        status=400 if refused else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def protected_person_new(request, pk: int):
    """Add a victim, reporter or witness to the intervention's case, so that no document served on
    its subject names them (ADR 0067)."""
    intervention = _recording(request, pk)

    def save(data):
        services.casework_protected_person_add(
            intervention=intervention,
            role=data["role"],
            full_name=data["full_name"],
            address=data["address"],
            postcode=data["postcode"],
            date_of_birth=data.get("date_of_birth"),
            actor=request.user,
        )

    return _form_page(
        request,
        intervention,
        ProtectedPersonForm(request.POST or None),
        save,
        done="Added. No document served on the person will name them.",
        anchor="casework",
        heading="Add a victim, reporter or witness",
        button="Add them",
    )
