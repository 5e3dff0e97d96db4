"""People and places pages. A profile out of the user's scope is a 404 (selectors); search terms
are posted, never put in an address (web.private_search)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casereview.applications.selectors import (
    application_get_for_user,
    applications_of_partnership,
    applications_visible_to,
)
from casereview.audit.services import Action, access_event_record
from casereview.reports.selectors import log_wide_access, reports_visible_to
from casereview.web.forms import add_service_errors

from . import forms as f
from . import selectors, services
from .merges import merge_links_counts, merge_links_describe
from .models import AccessRequestStatus, CasePartyLink, Merge, MergeKind, Person, Place, ReportRole


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You cannot do that. Ask your community safety team.")


def _errors(*forms_) -> list[dict]:
    out = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for name, errors in form.errors.items():
            for error in errors:
                href = f"#id_{name}" if name != "__all__" else None
                out.append({"text": error, "href": href})
    return out


def _number(text) -> int:
    """A posted record number, or 0 (which is no record) for anything that is not one."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 18 else 0


def _page(request, template, context):
    context.setdefault(
        "errors", _errors(*[v for v in context.values() if hasattr(v, "errors") and hasattr(v, "is_bound")])
    )
    context.setdefault("page_error", bool(context["errors"]))
    return render(request, template, context)


# --- Search and signpost ----------------------------------------------------------------------------

SEARCH_FIELDS = ("name", "date_of_birth", "uprn", "postcode", "partner_key")


@login_required
@require_http_methods(["GET"])
def search(request):
    """Search and signpost: whether someone or somewhere is known, and which agencies work with
    them. Searches are recorded in the access log (counts only: never what was searched for)."""
    _require(selectors.may_search(request.user))
    results = None
    form = f.SearchForm()
    # The form is posted with `private_search`: web.private_search keeps the terms in the session
    # and sends the browser here with `?s=<key>`, the terms restored into request.GET.
    searched = [
        name for name in request.GET if name.split("_day")[0] in SEARCH_FIELDS or name in SEARCH_FIELDS
    ]
    if searched:
        form = f.SearchForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            terms = selectors.SearchTerms(
                name=data["name"],
                date_of_birth=data["date_of_birth"],
                uprn=data["uprn"],
                postcode=data["postcode"],
                partner_key=data["partner_key"],
            )
            results = selectors.signpost_search(request.user, terms)
            access_event_record(
                action=Action.SEARCH,
                request=request,
                summary=f"Search and signpost: {len(results)} result(s)",
                purpose="Search and signpost",
                details={
                    "fields": sorted(
                        k for k in ("name", "date_of_birth", "uprn", "postcode", "partner_key") if data[k]
                    ),
                    "results": [f"{r.kind}:{r.record.pk}" for r in results],
                },
            )
    return _page(
        request,
        "people/search.html",
        {"form": form, "results": results, "may_edit": selectors.may_edit_profiles(request.user)},
    )


# --- Profiles ---------------------------------------------------------------------------------------


@login_required
def person_detail(request, profile_id: int):
    person = selectors.person_get_for_user(request.user, profile_id)
    if (
        person.merged_into_id
        and selectors.people_visible_to(request.user).filter(pk=person.merged_into_id).exists()
    ):
        messages.info(
            request, "This record was merged into another: you are seeing the record it was merged into."
        )
        return redirect("people:person", profile_id=person.merged_into_id)
    cases = selectors.cases_of_person(request.user, person)
    may_edit = selectors.may_edit_profiles(request.user)
    return _page(
        request,
        "people/person.html",
        {
            "person": person,
            "cases": list(cases.select_related("victim")),
            "reports": list(selectors.reports_of_person(request.user, person)[:100]),
            "actions": list(selectors.actions_of_cases(request.user, cases)[:100]),
            "place_links": person.place_links.select_related("place").filter(
                place__in=selectors.places_visible_to(request.user)
            ),
            "people_links": [
                link
                for link in person.person_links.select_related("other")
                if selectors.people_visible_to(request.user).filter(pk=link.other_id).exists()
            ],
            "identifiers": person.identifiers.select_related("agency") if may_edit else [],
            "may_edit": may_edit,
            "merges": Merge.objects.filter(kind=MergeKind.PERSON, kept_id=person.pk, unmerged_at__isnull=True)
            if may_edit
            else [],
            "identifier_form": f.IdentifierForm(partnership=person.partnership) if may_edit else None,
            "place_form": f.PlaceLinkForm(places=_places_for(person)) if may_edit else None,
            "reports_about": list(selectors.reports_about_person(request.user, person)[:100]),
            "about_form": _about_form(person) if selectors.may_link_reports(request.user) else None,
        },
    )


def _places_for(person):
    return Place.objects.filter(partnership_id=person.partnership_id, merged_into__isnull=True).order_by(
        "address"
    )


@login_required
def place_detail(request, place_id: int):
    place = selectors.place_get_for_user(request.user, place_id)
    if (
        place.merged_into_id
        and selectors.places_visible_to(request.user).filter(pk=place.merged_into_id).exists()
    ):
        return redirect("people:place", place_id=place.merged_into_id)
    people = selectors.people_visible_to(request.user).filter(place_links__place=place).distinct()
    links = place.person_links.select_related("person").filter(person__in=people)
    parties = people.values("case_party_links__party_id")
    cases = applications_visible_to(request.user).filter(victim_id__in=parties) | applications_visible_to(
        request.user
    ).filter(applicant_id__in=parties)
    may_edit = selectors.may_edit_profiles(request.user)
    return _page(
        request,
        "people/place.html",
        {
            "place": place,
            "links": links,
            "cases": list(cases.distinct().order_by("-received_on")),
            "reports": list(selectors.reports_at_place(request.user, place)[:100]),
            "actions": list(selectors.actions_of_cases(request.user, cases.distinct())[:100]),
            "may_edit": may_edit,
            "merges": Merge.objects.filter(kind=MergeKind.PLACE, kept_id=place.pk, unmerged_at__isnull=True)
            if may_edit
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request):
    _require(selectors.may_edit_profiles(request.user))
    form = f.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                partnership=request.user.partnership,
                data=services.PersonData(**form.cleaned_data),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Person recorded.")
            return redirect("people:person", profile_id=person.pk)
    return _page(request, "people/form.html", {"form": form, "title": "Record a person"})


@login_required
@require_http_methods(["GET", "POST"])
def place_new(request):
    _require(selectors.may_edit_profiles(request.user))
    form = f.PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(
                partnership=request.user.partnership,
                data=services.PlaceData(**form.cleaned_data),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Place recorded.")
            return redirect("people:place", place_id=place.pk)
    return _page(request, "people/form.html", {"form": form, "title": "Record a place"})


@login_required
@require_POST
def person_identifier_add(request, profile_id: int):
    person = selectors.person_get_for_user(request.user, profile_id)
    _require(selectors.may_edit_profiles(request.user))
    form = f.IdentifierForm(request.POST, partnership=person.partnership)
    if form.is_valid():
        try:
            services.identifier_add(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Identifier added.")
            return redirect("people:person", profile_id=person.pk)
    return _page(request, "people/form.html", {"form": form, "title": f"Add an identifier to {person}"})


@login_required
@require_POST
def person_place_add(request, profile_id: int):
    person = selectors.person_get_for_user(request.user, profile_id)
    _require(selectors.may_edit_profiles(request.user))
    form = f.PlaceLinkForm(request.POST, places=_places_for(person))
    if form.is_valid():
        try:
            services.person_place_link(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Place linked.")
            return redirect("people:person", profile_id=person.pk)
    return _page(request, "people/form.html", {"form": form, "title": f"Link {person} to a place"})


def _about_form(person, data=None):
    return f.ReportAboutForm(
        data,
        partnership=person.partnership,
        initial=f.ReportAboutForm.initial_for_history(services.reports_about(person)),
    )


@login_required
@require_POST
def person_report_about(request, profile_id: int):
    """Link a report in the log to the person it is about (ADR 0078): its caller is then protected
    from what is served on them, and a report while a requirement is in force flags a breach."""
    user = request.user
    person = selectors.person_get_for_user(user, profile_id)
    _require(selectors.may_link_reports(user))
    form = _about_form(person, request.POST)
    if form.is_valid():
        report = (
            reports_visible_to(user)
            .filter(
                agency=form.cleaned_data["agency"],
                agency_reference=form.cleaned_data["agency_reference"].strip(),
            )
            .first()
        )
        if report is None:
            form.add_error(
                "agency_reference",
                "No report with this reference from this agency is in the log: check the reference on "
                "the report's page.",
            )
        else:
            try:
                services.report_subject_link(
                    report=report, person=person, actor=user, read_version=form.read_version
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Report {report.agency_reference} linked as about {person}.")
                return redirect(reverse("people:person", args=[person.pk]) + "#reports-about")
    return _page(
        request,
        "people/form.html",
        {"form": form, "title": f"Link a report about {person}", "button": "Link the report"},
    )


# --- The report log: callers and locations to confirm -----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resolve(request):
    """Reports whose caller or location is not yet a person or a place: match what a partner key
    or a UPRN settles, and let an officer confirm the rest."""
    user = request.user
    _require(selectors.may_edit_profiles(user) and log_wide_access(user))
    reports = reports_visible_to(user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "match":
            made = services.reports_resolve(
                reports=reports.exclude(profile_links__role=ReportRole.LOCATION).exclude(
                    profile_links__role=ReportRole.CALLER
                )[:2000],
                actor=user,
            )
            made += services.reports_resolve(
                reports=reports.filter(profile_links__isnull=False)[:2000], actor=user
            )
            messages.success(request, f"{made} caller(s) and location(s) matched by partner key or UPRN.")
            return redirect("people:resolve")
        report = reports.filter(pk=_number(request.POST.get("report"))).first()
        if report is None:
            raise Http404("No such report")
        try:
            if action == "caller":
                person = Person.objects.filter(
                    pk=request.POST.get("person") or 0,
                    partnership_id=user.partnership_id,
                    merged_into__isnull=True,
                ).first()
                if person is None:
                    raise ValidationError("Choose the person who made the report.")
                services.report_link_confirm(report=report, person=person, actor=user)
            elif action == "location":
                place = Place.objects.filter(
                    pk=request.POST.get("place") or 0,
                    partnership_id=user.partnership_id,
                    merged_into__isnull=True,
                ).first()
                if place is None:
                    raise ValidationError("Choose the place where it happened.")
                services.report_link_confirm(report=report, place=place, actor=user)
            elif action == "new_place":
                uprn = services.uprn_normalise(report.location)
                place = services.place_create(
                    partnership=user.partnership,
                    data=services.PlaceData(
                        address=report.location,
                        uprn=uprn,
                        latitude=report.latitude,
                        longitude=report.longitude,
                    ),
                    actor=user,
                )
                services.report_link_confirm(report=report, place=place, actor=user)
            else:
                raise ValidationError("Choose what to confirm.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Confirmed.")
        return redirect("people:resolve")
    unresolved = (
        reports.exclude(profile_links__role=ReportRole.LOCATION)
        .select_related("agency")
        .order_by("-reported_on", "-id")[:50]
    )
    callers = (
        reports.exclude(caller="")
        .exclude(profile_links__role=ReportRole.CALLER)
        .select_related("agency")
        .order_by("-reported_on", "-id")[:50]
    )
    people = Person.objects.filter(partnership_id=user.partnership_id, merged_into__isnull=True).order_by(
        "full_name"
    )[:500]
    places = Place.objects.filter(partnership_id=user.partnership_id, merged_into__isnull=True).order_by(
        "address"
    )[:500]
    return _page(
        request,
        "people/resolve.html",
        {
            "locations": list(unresolved),
            "callers": list(callers),
            "people": list(people),
            "places": list(places),
        },
    )


# --- Merge and unmerge -------------------------------------------------------------------------------


def _merge_page(request, *, kind, kept, detail_url):
    _require(selectors.may_edit_profiles(request.user))
    model = Person if kind == MergeKind.PERSON else Place
    form = f.MergeForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        duplicate = (
            model.objects.filter(
                pk=form.cleaned_data["duplicate"],
                partnership_id=kept.partnership_id,
                merged_into__isnull=True,
            )
            .exclude(pk=kept.pk)
            .first()
        )
        if duplicate is None:
            form.add_error("duplicate", "No other record of your partnership has that number.")
        elif request.POST.get("confirmed") == "yes":
            try:
                services.record_merge(
                    kind=kind,
                    kept=kept,
                    duplicate=duplicate,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Merged. Every link of the duplicate is now on this record.")
                return redirect(detail_url)
        else:
            counts = {
                link_model._meta.verbose_name_plural: link_model.objects.filter(**{field: duplicate}).count()
                for link_model, field in services._links(kind)
            }
            # And what the other apps hold that the merge moves (a referral's person, a tracked
            # address's occupant), each app counting its own.
            counts.update(merge_links_counts(kind=kind, kept=kept, duplicate=duplicate))
            return _page(
                request,
                "people/merge_confirm.html",
                {"form": form, "kept": kept, "duplicate": duplicate, "counts": counts, "kind": kind},
            )
    return _page(request, "people/merge.html", {"form": form, "kept": kept, "kind": kind})


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request, profile_id: int):
    person = selectors.person_get_for_user(request.user, profile_id)
    return _merge_page(
        request, kind=MergeKind.PERSON, kept=person, detail_url=reverse("people:person", args=[person.pk])
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_merge(request, place_id: int):
    place = selectors.place_get_for_user(request.user, place_id)
    return _merge_page(
        request, kind=MergeKind.PLACE, kept=place, detail_url=reverse("people:place", args=[place.pk])
    )


@login_required
@require_http_methods(["GET", "POST"])
def unmerge(request, merge_id: int):
    merge = selectors.merge_get_for_user(request.user, merge_id)
    after = services.links_made_after(merge) if merge.unmerged_at is None else []
    rows = [
        {
            "key": f"{link._meta.label_lower}:{link.pk}:{field}",
            "label": (owner and merge_links_describe(row=link, field=field, registrant=owner))
            or f"{link._meta.verbose_name} {link.pk}",
        }
        for link, field, owner in after
    ]
    error = ""
    if request.method == "POST":
        choices = {row["key"]: request.POST.get(row["key"], "") for row in rows}
        try:
            services.record_unmerge(
                merge=merge, reason=request.POST.get("reason", ""), choices=choices, actor=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Unmerged: each link the merge moved is back where it was.")
            name = "people:person" if merge.kind == MergeKind.PERSON else "people:place"
            return redirect(name, merge.kept_id)
    return _page(
        request,
        "people/unmerge.html",
        {
            "merge": merge,
            "rows": rows,
            "errors": [{"text": error, "href": "#reason"}] if error else [],
            "reason": request.POST.get("reason", ""),
        },
    )


# --- Asking for access, and deciding ---------------------------------------------------------------


@login_required
@require_POST
def access_ask(request):
    """From a search result: ask, for the officer's agency, to see the cases of a person it found.
    The person's id is posted, never in the address; the page names no case."""
    user = request.user
    _require(selectors.may_search(user) and user.agency_id is not None)
    form = f.AccessAskForm(request.POST)
    person = Person.objects.filter(
        pk=_number(request.POST.get("person")), partnership_id=user.partnership_id, merged_into__isnull=True
    ).first()
    if person is None:
        raise Http404("No such person")
    if "reason" in request.POST and form.is_valid():
        found = selectors.signpost_person(user, person)
        for application in applications_of_partnership(
            partnership_id=user.partnership_id, pks=found.requestable
        ):
            services.access_request_create(
                case=application, person=person, reason=form.cleaned_data["reason"], actor=user
            )
        messages.success(
            request,
            "Your request has been sent to the agency leading each of their cases. "
            "You will see each decision here.",
        )
        return redirect("people:access")
    if "reason" not in request.POST:
        form = f.AccessAskForm(initial={"person": person.pk})
    return _page(request, "people/access_ask.html", {"form": form, "person": person})


@login_required
def access_list(request):
    user = request.user
    _require(selectors.may_search(user))
    mine = selectors.access_requests_of_agency(user).select_related("case", "requested_by", "agency")
    visible = set(
        applications_visible_to(user).filter(pk__in=mine.values("case_id")).values_list("pk", flat=True)
    )
    return _page(
        request,
        "people/access.html",
        {
            "mine": [
                (r, r.case_id in visible and r.status == AccessRequestStatus.GRANTED) for r in mine[:100]
            ],
            "to_decide": selectors.access_requests_to_decide(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_decide(request, access_request_id: int):
    access_request = selectors.access_request_get_for_decider(request.user, access_request_id)
    form = f.AccessDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_decide(
                request=access_request,
                grant=form.cleaned_data["decision"] == "grant",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded. The officer sees it on their requests page.")
            return redirect("people:access")
    return _page(request, "people/access_decide.html", {"form": form, "access_request": access_request})


# --- The case page's section --------------------------------------------------------------------------


def case_section_context(request, application):
    """The case page's "People and places" section: for the community safety team, which profile
    each party is, and a way to link one."""
    if not selectors.may_edit_profiles(request.user):
        return None
    parties = [p for p in (application.victim, application.applicant) if p is not None]
    linked = {
        link.party_id: link.person
        for link in CasePartyLink.objects.filter(party__in=parties).select_related("person")
    }
    return {
        "parties": [(party, linked.get(party.pk)) for party in parties],
        # The choice of profile shows each one's name, date of birth and record number: only those
        # are read (up to 500 rows on every case page a profile editor opens).
        "profiles": Person.objects.filter(partnership_id=application.partnership_id, merged_into__isnull=True)
        .only("id", "full_name", "date_of_birth")
        .order_by("full_name")[:500],
    }


@login_required
@require_POST
def case_party_link(request, reference: str):
    application = application_get_for_user(request.user, reference)
    _require(selectors.may_edit_profiles(request.user))
    parties = {p.pk: p for p in (application.victim, application.applicant) if p is not None}
    party = parties.get(_number(request.POST.get("party")))
    if party is None:
        raise Http404("No such party")
    try:
        if request.POST.get("person") == "new":
            person = services.person_create(
                partnership=application.partnership,
                data=services.PersonData(
                    full_name=party.full_name or party.organisation_name,
                    email=party.email,
                    phone=party.phone,
                    date_of_birth=party.date_of_birth,
                ),
                actor=request.user,
            )
        else:
            person = Person.objects.filter(
                pk=_number(request.POST.get("person")),
                partnership_id=application.partnership_id,
                merged_into__isnull=True,
            ).first()
            if person is None:
                raise ValidationError("Choose the person, or record a new one.")
        services.case_party_link(person=person, party=party, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{party} is linked to their profile.")
    return redirect(f"/cases/{application.reference}/people/")
