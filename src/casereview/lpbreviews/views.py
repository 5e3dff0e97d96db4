"""/policing-body-reviews/: the local policing body's office — the reviews asked of it in the
partnership it works in, a request made by phone or letter recorded, and the review decided.

Anyone without the role `local_policing_body` in the partnership they work in gets a 404 (as for a
review that does not exist). Each review page seen is in the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from casereview.audit.services import Action, access_event_record
from casereview.web.forms import add_service_errors

from . import services
from .forms import DecideForm, RecordRequestForm
from .models import ReviewStatus
from .selectors import review_get_for_user, review_view, reviews_visible_to, user_reviews_for_lpb


def _page(request, template, context, status=200):
    form = context.get("form")
    context.setdefault("page_error", bool(form is not None and form.is_bound and form.errors))
    return render(request, template, context, status=status)


def _require_office(user) -> None:
    if not user_reviews_for_lpb(user):
        raise Http404("Not the local policing body's office")


@login_required
def review_list(request):
    _require_office(request.user)
    reviews = reviews_visible_to(request.user)
    return render(
        request,
        "lpbreviews/list.html",
        {
            "waiting": reviews.filter(status=ReviewStatus.REQUESTED).order_by("requested_on", "id"),
            "decided": reviews.filter(status=ReviewStatus.DECIDED).order_by("-decided_on", "-id")[:50],
        },
    )


@login_required
def review_record(request):
    _require_office(request.user)
    form = RecordRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_for_request(reference=form.cleaned_data["reference"], actor=request.user)
            review = services.lpb_review_request(
                application=case,
                requested_on=form.cleaned_data["requested_on"],
                channel=form.cleaned_data["channel"],
                why=form.cleaned_data["why"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Request recorded. Review it below.")
            return redirect("lpbreviews:detail", pk=review.pk)
    return _page(request, "lpbreviews/record.html", {"form": form})


@login_required
def review_detail(request, pk: int):
    _require_office(request.user)
    review = review_get_for_user(request.user, pk)
    form = None
    if review.is_open:
        form = DecideForm(request.POST or None, initial=DecideForm.initial_for(review))
        if request.method == "POST" and form.is_valid():
            try:
                services.lpb_review_decide(
                    review=review,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                    decided_on=form.cleaned_data["decided_on"],
                    read_version=form.read_version,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Decision recorded, and the letter to the victim sent.")
                return redirect("lpbreviews:detail", pk=review.pk)
    elif request.method == "POST":
        messages.info(request, "This review has already been decided: its decision is below.")
        return redirect("lpbreviews:detail", pk=review.pk)
    access_event_record(
        action=Action.VIEW,
        request=request,
        obj=review,
        case_reference=review.application.reference,
        summary="The local policing body's review: the application, incidents and decision",
    )
    return _page(
        request,
        "lpbreviews/detail.html",
        {"review": review, "form": form, "view": review_view(review), "today": timezone.localdate()},
    )
