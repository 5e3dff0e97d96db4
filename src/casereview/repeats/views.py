"""Repeat application pages, reached from the case page. A case out of scope is a 404
(applications.selectors); in scope but not the user's job is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casereview.applications.selectors import application_get_for_user
from casereview.web.forms import add_service_errors

from . import forms as f
from . import services
from .selectors import (
    assessment_latest,
    flags_for_case,
    people_of_case,
    previous_chain,
    repeat_candidates,
    user_handles_repeats,
    user_sets_flags,
)


def _case(request, reference, check=user_handles_repeats):
    application = application_get_for_user(request.user, reference)
    if not check(request.user):
        raise PermissionDenied("You cannot do that on this case.")
    return application


def _back(application):
    return redirect(f"/cases/{application.reference}/repeats/")


def _page(request, template, context):
    form = context.get("form")
    context.setdefault("page_error", bool(form is not None and form.errors))
    return render(request, template, context)


def _candidate(application, pk):
    for candidate in repeat_candidates(application):
        if candidate.application.pk == pk:
            return candidate
    raise Http404("No such earlier application")


@login_required
@require_http_methods(["GET", "POST"])
def repeat_confirm(request, reference, pk):
    application = _case(request, reference)
    candidate = _candidate(application, pk)
    if request.method == "POST":
        try:
            services.repeat_confirm(
                application=application, previous=candidate.application, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Linked as a repeat of {candidate.application.reference}.")
        return _back(application)
    return render(request, "repeats/confirm.html", {"application": application, "candidate": candidate})


@login_required
@require_http_methods(["GET", "POST"])
def repeat_dismiss(request, reference, pk):
    application = _case(request, reference)
    candidate = _candidate(application, pk)
    form = f.DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.repeat_dismiss(
                application=application,
                candidate=candidate.application,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(application)
    return _page(
        request, "repeats/dismiss.html", {"application": application, "candidate": candidate, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, reference):
    application = _case(request, reference)
    if application.previous_application_id is None:
        raise Http404("Not a repeat application")
    form = f.AssessForm(
        request.POST or None,
        initial=f.AssessForm.initial_for_history(application.material_change_assessments.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.material_change_assess(
                application=application,
                actor=request.user,
                material_change=form.cleaned_data["material_change"] == "yes",
                what_changed=form.cleaned_data["what_changed"],
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                assessed_on=form.cleaned_data["assessed_on"],
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Material change assessment recorded.")
            return _back(application)
    return _page(request, "repeats/assess.html", {"application": application, "form": form})


def _people_choices(application):
    labels = []
    for person in people_of_case(application):
        role = "victim" if person.pk == application.victim_id else "applicant"
        if person.pk not in (application.victim_id, application.applicant_id):
            role = "on an earlier application"
        labels.append((person, f"{person} ({role})"))
    return labels


@login_required
@require_http_methods(["GET", "POST"])
def flag_set(request, reference):
    application = _case(request, reference, check=user_sets_flags)
    people = _people_choices(application)
    form = f.FlagForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = next(p for p, _ in people if str(p.pk) == form.cleaned_data["person"])
        try:
            services.flag_set(
                application=application,
                person=person,
                actor=request.user,
                reasons=form.cleaned_data["reasons"],
                review_on=form.cleaned_data["review_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Flag set.")
            return _back(application)
    return _page(request, "repeats/flag.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def flag_review(request, reference, pk):
    application = _case(request, reference, check=user_sets_flags)
    flag = flags_for_case(application).filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag on this case")
    form = f.FlagReviewForm(request.POST or None, initial=f.FlagReviewForm.initial_for(flag))
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_review(
                flag=flag,
                application=application,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                next_review_on=form.cleaned_data["next_review_on"],
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Flag review recorded.")
            return _back(application)
    return _page(
        request, "repeats/flag_review.html", {"application": application, "flag": flag, "form": form}
    )


def case_section_context(request, application):
    if not user_handles_repeats(request.user):
        return None
    return {
        "candidates": repeat_candidates(application) if application.previous_application_id is None else [],
        "chain": previous_chain(application),
        "assessment": assessment_latest(application),
        "flags": list(flags_for_case(application)),
        "can_flag": user_sets_flags(request.user),
        "today": timezone.localdate(),
    }
