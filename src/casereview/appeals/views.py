"""Appeal pages: the staff list, recording an appeal for the victim, the appeal and its decision,
and the public online appeal (reference + a detail only the applicant knows). Views are thin: the
selectors decide access (a case out of scope is a 404), the services do the writing."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casereview.applications.selectors import Application, application_get_for_user, case_by_pk
from casereview.web.forms import add_service_errors

from . import forms as f
from . import services
from .models import AppealChannel, AppealOutcome, AppealStatus, DecisionAppealed
from .selectors import (
    LOOKUP_MAX_FAILURES,
    appeal_get_for_user,
    appeal_list_for_user,
    appeal_lookup_blocked,
    appeal_window_for,
    appealable_decisions,
    application_for_appellant,
    grounds_for,
    original_decision_makers,
    user_decides_appeals,
    user_handles_appeals,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
ONLINE_KEY = "appeal_online"
SENT_KEY = "appeal_online_sent"
ONLINE_SECONDS = 30 * 60
MAX_ATTEMPTS = LOOKUP_MAX_FAILURES  # per reference per hour; twice this per session


def _min_seconds() -> float:
    return float(getattr(settings, "CASEREVIEW_APPEAL_MIN_SECONDS", 8))


def _page(request, template, context, status=200):
    form = context.get("form")
    context.setdefault("page_error", bool(form is not None and form.errors))
    return render(request, template, context, status=status)


# --- Staff -----------------------------------------------------------------------------------------


@login_required
def appeal_list(request):
    if not user_handles_appeals(request.user):
        raise PermissionDenied("Appeals are handled by the community safety team.")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "")
    appeals = appeal_list_for_user(request.user, status=status, query=query)
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": AppealStatus.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_lodge(request, reference):
    application = application_get_for_user(request.user, reference)
    if not user_handles_appeals(request.user):
        raise PermissionDenied("You cannot record appeals.")
    decisions = appealable_decisions(application)
    if not decisions:
        return render(request, "appeals/nothing_to_appeal.html", {"application": application})
    grounds = []
    for decision in decisions:
        for code, label in grounds_for(application, decision):
            if (code, label) not in grounds:
                grounds.append((code, label))
    windows = [appeal_window_for(application, d) for d in decisions]
    initial = {"decision_appealed": decisions[0]} if len(decisions) == 1 else {}
    form = f.LodgeForm(request.POST or None, decisions=decisions, grounds=grounds, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_lodge(
                application=application,
                decision_appealed=form.cleaned_data["decision_appealed"],
                lodged_on=form.cleaned_data["lodged_on"],
                channel=form.cleaned_data["channel"],
                grounds=form.cleaned_data["grounds"],
                explanation=form.cleaned_data["explanation"],
                late_explanation=form.cleaned_data["late_explanation"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            note = (
                " It was made after the appeal window: the decision maker will decide whether to consider it."
                if appeal.late
                else ""
            )
            messages.success(request, f"Appeal recorded.{note}")
            return redirect("appeals:detail", pk=appeal.pk)
    return _page(
        request, "appeals/lodge.html", {"application": application, "form": form, "windows": windows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request, pk):
    appeal = appeal_get_for_user(request.user, pk)
    application = appeal.application
    can_decide = appeal.is_open and user_decides_appeals(request.user)
    made_original = request.user.pk in original_decision_makers(application, appeal.decision_appealed)
    form = None
    confirming = False
    if can_decide and not made_original:
        form = f.DecideForm(
            request.POST or None, late=appeal.late, prefix="decide", initial=f.DecideForm.initial_for(appeal)
        )
        if request.method == "POST" and form.is_valid():
            values = {
                "decided_on": form.cleaned_data["decided_on"],
                "outcome": form.cleaned_data["outcome"],
                "reasons": form.cleaned_data["reasons"],
                "next_steps": form.cleaned_data["next_steps"],
                "late_considered": form.cleaned_late_considered(),
                "late_reasons": form.cleaned_data.get("late_reasons", ""),
            }
            if request.POST.get("edit"):
                pass  # back to the form, with what was typed
            elif request.POST.get("confirmed") == "yes":
                try:
                    services.appeal_decide(
                        appeal=appeal, actor=request.user, read_version=form.read_version, **values
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, "Appeal decided and the decision letter sent.")
                    return redirect("appeals:detail", pk=appeal.pk)
            else:
                confirming = _decision_complete(appeal, values, form)
    elif request.method == "POST" and not appeal.is_open and user_decides_appeals(request.user):
        # Decided meanwhile (by a colleague, or in another tab): show the decision, not an error page.
        messages.info(request, "This appeal has already been decided: its decision is below.")
        return redirect("appeals:detail", pk=appeal.pk)
    elif request.method == "POST":
        raise PermissionDenied("You cannot decide this appeal.")
    return _page(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "application": application,
            "form": form,
            "confirming": confirming,
            "can_decide": can_decide,
            "made_original": made_original,
            "outcomes": dict(AppealOutcome.choices),
        },
    )


def _decision_complete(appeal, values, form) -> bool:
    """Check what the service would refuse before asking for confirmation (same messages)."""
    considered = not appeal.late or values["late_considered"] is True
    if appeal.late and values["late_considered"] is not None and not values["late_reasons"].strip():
        form.add_error(
            "late_reasons", "Enter the reasons for considering, or not considering, the late appeal."
        )
    if considered and not values["outcome"]:
        form.add_error("outcome", "Select whether the appeal is upheld.")
    if considered and not values["reasons"].strip():
        form.add_error("reasons", "Enter the reasons for the decision.")
    if values["decided_on"] and values["decided_on"] > timezone.localdate():
        form.add_error("decided_on", "The date of the decision must be today or in the past.")
    return not form.errors


# --- The public online appeal ----------------------------------------------------------------------


def _attempts_exceeded(request, reference: str) -> bool:
    """Five failed look-ups on a reference in an hour, counted in the database across every
    worker (selectors.appeal_lookup_blocked); and ten in one session, whatever the references."""
    return (
        appeal_lookup_blocked(reference=reference, now=timezone.now())
        or request.session.get("appeal_find_failures", 0) >= 2 * MAX_ATTEMPTS
    )


def _attempt_failed(request, reference: str) -> None:
    services.appeal_lookup_failure_record(reference=reference)
    request.session["appeal_find_failures"] = request.session.get("appeal_find_failures", 0) + 1


NOT_FOUND = (
    "We could not find a case with that reference and postcode or email address. Check them against "
    "our letter and try again, or contact us."
)


@never_cache
@require_http_methods(["GET", "POST"])
def online_start(request):
    """Step 1: the reference and a detail only the applicant knows. The answer is the same whether
    the reference does not exist or the detail is wrong, so guessing references reveals nothing."""
    if request.method == "GET":
        request.session["appeal_started_at"] = time.time()
        request.session.pop(ONLINE_KEY, None)
    form = f.OnlineFindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"]
        started = request.session.get("appeal_started_at") or time.time()
        automated = bool(request.POST.get(f.HONEYPOT_FIELD)) or time.time() - started < _min_seconds()
        application = None
        if automated:
            logger.warning("Online appeal look-up refused: it looked automated")
        elif not _attempts_exceeded(request, reference):
            application = application_for_appellant(reference=reference, detail=form.cleaned_data["detail"])
            if application is None:
                _attempt_failed(request, reference)
        if application is None:
            form.add_error(None, NOT_FOUND)
        else:
            request.session[ONLINE_KEY] = {"application": application.pk, "at": time.time()}
            return redirect("appeals:online-appeal")
    return _page(request, "appeals/online_start.html", {"form": form, "honeypot": f.HONEYPOT_FIELD})


def _online_application(request) -> Application | None:
    data = request.session.get(ONLINE_KEY)
    if not data or time.time() - data.get("at", 0) > ONLINE_SECONDS:
        request.session.pop(ONLINE_KEY, None)
        return None
    return case_by_pk(data["application"])


def _online_decision(application: Application) -> str | None:
    decisions = appealable_decisions(application)
    if not decisions:
        return None
    # The decision of the latest letter that opened a window, else the first open to appeal.
    dated = [(appeal_window_for(application, d).letter_issued_on, d) for d in decisions]
    dated = [x for x in dated if x[0] is not None]
    return max(dated)[1] if dated else decisions[0]


@never_cache
@require_http_methods(["GET", "POST"])
def online_appeal(request):
    """Step 2: the grounds and the explanation. Shows the reference and the decision, nothing personal."""
    application = _online_application(request)
    if application is None:
        return redirect("appeals:online-start")
    decision = _online_decision(application)
    context = {"application": application, "partnership": application.partnership}
    if decision is None:
        return _page(request, "appeals/online_nothing.html", context)
    if application.appeals.filter(decision_appealed=decision, status=AppealStatus.LODGED).exists():
        return _page(request, "appeals/online_already.html", context)
    window = appeal_window_for(application, decision)
    today = timezone.localdate()
    late = window.is_late(today)
    grounds = grounds_for(application, decision)
    form = f.OnlineAppealForm(request.POST or None, grounds=grounds, late=late)
    if request.method == "POST" and form.is_valid():
        started = request.session.get("appeal_started_at") or time.time()
        if request.POST.get(f.HONEYPOT_FIELD) or time.time() - started < _min_seconds():
            logger.warning("Online appeal not saved: it looked automated")
            request.session.pop(ONLINE_KEY, None)
            request.session[SENT_KEY] = {"reference": application.reference, "late": late}
            return redirect("appeals:online-sent")
        try:
            appeal = services.appeal_lodge(
                application=application,
                decision_appealed=decision,
                lodged_on=today,
                channel=AppealChannel.ONLINE,
                grounds=form.cleaned_data["grounds"],
                explanation=form.cleaned_data["explanation"],
                late_explanation=form.cleaned_data.get("late_explanation", ""),
                actor=None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(ONLINE_KEY, None)
            request.session[SENT_KEY] = {"reference": application.reference, "late": appeal.late}
            return redirect("appeals:online-sent")
    return _page(
        request,
        "appeals/online_appeal.html",
        {
            **context,
            "form": form,
            "window": window,
            "late": late,
            "decision_label": DecisionAppealed(decision).label,
            "honeypot": f.HONEYPOT_FIELD,
        },
    )


@never_cache
def online_sent(request):
    sent = request.session.get(SENT_KEY)
    if not sent:
        return redirect("appeals:online-start")
    return render(request, "appeals/online_sent.html", {"sent": sent})


def case_section_context(request, application):
    """The appeals section of the case page: for the staff who handle appeals only."""
    if not user_handles_appeals(request.user):
        return None
    windows = [appeal_window_for(application, d) for d in appealable_decisions(application)]
    return {
        "appeals": list(application.appeals.order_by("-lodged_on", "-id")),
        "windows": windows,
        "today": timezone.localdate(),
        "lodge_url": reverse("appeals:lodge", args=[application.reference]),
    }
