"""The person's own view of their review: /my-review/ (docs/portal.md, ADR 0054).

No staff account: the person signs in with a one-time code (portal.signin), and the session then
holds their case and who they are on it (`SESSION_KEY`), for `IDLE_SECONDS` between pages and
`MAX_SECONDS` in all. Every page they see is in the access log as them (services.page_viewed).
Pages are public pages: English or Welsh (web.language), and work without JavaScript.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casereview.appeals.selectors import appeal_window_for, grounds_for
from casereview.applications.selectors import case_by_pk
from casereview.core.reasons import Words
from casereview.letters.selectors import letter_addressed_to_get
from casereview.lpbreviews.forms import OnlineRequestForm
from casereview.lpbreviews.selectors import policing_body_name, route_state
from casereview.panels.selectors import meetings_for_victim
from casereview.web.client_address import client_address
from casereview.web.forms import add_service_errors

from . import one_login, selectors, services, signin
from .forms import AppealForm, CodeForm, DiaryForm, SignInForm, UploadForm, ViewForm, WithdrawForm

SESSION_KEY = "portal"
PENDING_KEY = "portal_pending"
IDLE_SECONDS = 30 * 60
MAX_SECONDS = 4 * 60 * 60


def _floor_seconds() -> float:
    return float(getattr(settings, "CASEREVIEW_PORTAL_CODE_SECONDS", 2.0))


def _errors(form) -> list[dict]:
    """The GOV.UK error summary's lines: each error, linking to its field."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        target = f"#id_{name}" if field is not None else "#main-content"
        if field is not None and getattr(field.widget, "is_gov_date", False):
            target = f"#id_{name}_day"
        lines += [{"text": error, "href": target} for error in errors]
    return lines


def _page(request, template: str, context: dict, *, status: int = 200):
    form = context.get("form")
    if form is not None and form.is_bound and form.errors:
        context["errors"] = _errors(form)
        context["page_error"] = True  # the title starts "Error: " (web/base.html)
    return render(request, template, context, status=status)


def _viewer(request) -> selectors.Viewer | None:
    data = request.session.get(SESSION_KEY)
    now = time.time()
    if not data or now - data.get("last", 0) > IDLE_SECONDS or now - data.get("at", 0) > MAX_SECONDS:
        request.session.pop(SESSION_KEY, None)
        return None
    case = case_by_pk(data["case"])
    if case is None:
        request.session.pop(SESSION_KEY, None)
        return None
    data["last"] = now
    request.session[SESSION_KEY] = data
    return selectors.Viewer(case=case, role=data["role"])


def signed_in(view):
    """The page for the signed-in person only; anyone else goes to sign in (nothing else said)."""

    def wrapped(request, *args, **kwargs):
        viewer = _viewer(request)
        if viewer is None:
            return redirect("portal:sign-in")
        return view(request, viewer, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Sign in --------------------------------------------------------------------------------------


def sign_in(request):
    """The reference and the email or mobile number. The answer is the same page, after the same
    time, whether or not they are known (signin module docstring)."""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        token, limited = signin.code_request(
            reference=form.cleaned_data["reference"],
            contact=form.cleaned_data["contact"],
            ip=client_address(request),
        )  # committed (and the code handed to the outbox) before the wait below
        time.sleep(max(0.0, _floor_seconds() - (time.monotonic() - started)))
        if limited:
            form.add_error(None, _("You have asked for too many codes. Wait 15 minutes, then try again."))
        else:
            request.session[PENDING_KEY] = {
                "token": token,
                "at": time.time(),
                "by_text": not signin.is_email(form.cleaned_data["contact"]),
            }
            return redirect("portal:code")
    return _page(request, "portal/sign_in.html", {"form": form, "one_login": one_login.configured()})


def code(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > signin.CODE_LIFETIME.total_seconds():
        request.session.pop(PENDING_KEY, None)
        return redirect("portal:sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = signin.code_verify(token=pending["token"], code=form.cleaned_data["code"])
        if row is None:
            form.add_error(
                "code",
                _(
                    "The security code is wrong, has expired or has been used. "
                    "Check it, or ask for a new code."
                ),
            )
        else:
            request.session.pop(PENDING_KEY, None)
            request.session.cycle_key()  # a new session id once signed in (session fixation)
            now = time.time()
            request.session[SESSION_KEY] = {"case": row.case_id, "role": row.role, "at": now, "last": now}
            services.access_event_record_sign_in(case=row.case, role=row.role, request=request)
            return redirect("portal:home")
    return _page(request, "portal/code.html", {"form": form, "by_text": pending.get("by_text")})


@require_POST
def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("portal:signed-out")


def signed_out(request):
    return render(request, "portal/signed_out.html", {})


# --- The person's page ---------------------------------------------------------------------------


@signed_in
def home(request, viewer):
    today = timezone.localdate()
    data = selectors.page_data(viewer, today=today)
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the review's page")
    return render(
        request, "portal/home.html", {"data": data, "viewer": viewer, "case": viewer.case, "today": today}
    )


@signed_in
def letter_pdf(request, viewer, letter_id: int):
    letter = letter_addressed_to_get(viewer.case, viewer.person, letter_id)
    services.page_viewed(
        case=viewer.case, role=viewer.role, request=request, what=f"letter {letter.pk} (PDF)"
    )
    try:
        handle = letter.pdf.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The letter's file is missing") from exc
    return FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=f"letter-{letter.pk}.pdf"
    )


@signed_in
def diary(request, viewer):
    form = DiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_add(case=viewer.case, role=viewer.role, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your diary entry has been added. Your single point of contact will read it.")
            )
            return redirect("portal:home")
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the diary form")
    return _page(request, "portal/diary.html", {"form": form, "case": viewer.case})


@signed_in
def upload(request, viewer):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sent = form.cleaned_data["file"]
        if sent.size > settings.CASEREVIEW_EVIDENCE_MAX_BYTES:
            form.add_error(
                "file",
                _("The selected file must be smaller than %(size)sMB")
                % {"size": settings.CASEREVIEW_EVIDENCE_MAX_BYTES // (1024 * 1024)},
            )
        else:
            try:
                services.upload_add(
                    case=viewer.case,
                    role=viewer.role,
                    name=sent.name,
                    content=sent.read(),
                    description=form.cleaned_data["description"],
                )
            except ValidationError:
                # The service's reason is English, for staff; the person reads this in their language.
                form.add_error(
                    "file", _("The selected file must be a photo (JPG, PNG or WEBP), a recording or a PDF")
                )
            else:
                messages.success(
                    request,
                    _("Your file has been sent. We check every file for viruses before anyone opens it."),
                )
                return redirect("portal:home")
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the upload form")
    return _page(request, "portal/upload.html", {"form": form, "case": viewer.case})


def _meeting(viewer, meeting_id: int):
    for meeting in meetings_for_victim(viewer.case):
        if meeting.pk == meeting_id and meeting.status == "scheduled":
            return meeting
    raise Http404("No such meeting")


@signed_in
def give_view(request, viewer, meeting_id: int):
    if not viewer.may_give_view:
        raise Http404("Only the victim gives their view")
    meeting = _meeting(viewer, meeting_id)
    form = ViewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.view_give(case=viewer.case, role=viewer.role, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your single point of contact will make sure the panel hears your view."),
            )
            return redirect("portal:home")
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the panel view form")
    return _page(request, "portal/view.html", {"form": form, "meeting": meeting, "case": viewer.case})


@signed_in
def appeal(request, viewer):
    if not viewer.sees_all:
        raise Http404("Not for this person")
    decision = selectors.appeal_decision(viewer.case)
    data = selectors.page_data(viewer, today=timezone.localdate())
    if decision is None or not data.can_appeal:
        return redirect("portal:home")
    window = appeal_window_for(viewer.case, decision)
    today = timezone.localdate()
    late = window.is_late(today)
    form = AppealForm(request.POST or None, grounds=grounds_for(viewer.case, decision), late=late)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_make(
                case=viewer.case,
                role=viewer.role,
                decision=decision,
                grounds=form.cleaned_data.get("grounds", []),
                explanation=form.cleaned_data["explanation"],
                late_explanation=form.cleaned_data.get("late_explanation", ""),
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your appeal has been sent. We will write to you with the decision."))
            return redirect("portal:home")
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the appeal form")
    return _page(
        request, "portal/appeal.html", {"form": form, "window": window, "late": late, "case": viewer.case}
    )


@signed_in
def lpb_review(request, viewer):
    """Ask the local policing body to review the not-met decision (the Crime and Policing Act
    2026). Where the route is not open to this case today — before its commencement (the page names
    the date), the partnership's appeal first, out of time — the page says why and what to do."""
    if not viewer.sees_all:
        raise Http404("Not for this person")
    today = timezone.localdate()
    state = route_state(viewer.case, on=today)
    words = Words(gettext=_, language="cy" if (get_language() or "").startswith("cy") else "en")
    context = {
        "case": viewer.case,
        "body": policing_body_name(state.body),
        "ends_on": state.check.ends_on,
        "refusals": state.refusal_sentences(words),
    }
    if not state.allowed:
        services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the review route")
        return _page(request, "portal/lpb_review.html", context)
    form = OnlineRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lpb_review_make(
                case=viewer.case, role=viewer.role, why=form.cleaned_data["why"], today=today
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent to %(body)s. They will write to you with their decision.")
                % {"body": context["body"]},
            )
            return redirect("portal:home")
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the review request form")
    return _page(request, "portal/lpb_review.html", {**context, "form": form})


@signed_in
def withdraw(request, viewer):
    if not viewer.may_withdraw:
        return redirect("portal:home")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(case=viewer.case, role=viewer.role, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("portal:withdrawn")
    services.page_viewed(case=viewer.case, role=viewer.role, request=request, what="the withdrawal page")
    return _page(request, "portal/withdraw.html", {"form": form, "case": viewer.case})


@signed_in
def withdrawn(request, viewer):
    services.page_viewed(
        case=viewer.case, role=viewer.role, request=request, what="the withdrawal confirmation"
    )
    return render(request, "portal/withdrawn.html", {"case": viewer.case, "home": reverse("portal:home")})


# --- GOV.UK One Login (one_login.py, ADR 0056) ----------------------------------------------------

ONE_LOGIN_KEY = "portal_one_login_reference"


@require_POST
def one_login_start(request):
    """The reference, then off to GOV.UK One Login."""
    if not one_login.configured():
        raise Http404("GOV.UK One Login is not set up here")
    form = SignInForm(request.POST)
    reference = (request.POST.get("reference") or "").strip()
    if not reference:
        form.add_error("reference", _("Enter your reference number"))
        return _page(request, "portal/sign_in.html", {"form": form, "one_login": True})
    request.session[ONE_LOGIN_KEY] = reference
    callback = request.build_absolute_uri(reverse("portal:one-login-callback"))
    try:
        return one_login.client().authorize_redirect(
            request,
            callback,
            ui_locales="cy" if request.LANGUAGE_CODE == "cy" else "en",
            **one_login.authorize_parameters(),
        )
    except one_login.PROVIDER_ERRORS:
        return render(request, "portal/one_login_refused.html", {}, status=502)


def one_login_callback(request):
    reference = request.session.pop(ONE_LOGIN_KEY, "")
    if not one_login.configured() or not reference:
        return redirect("portal:sign-in")
    try:
        token = one_login.client().authorize_access_token(request)
    except one_login.PROVIDER_ERRORS:
        return render(request, "portal/one_login_refused.html", {}, status=403)
    claims = dict(token.get("userinfo") or {})
    if not one_login.vot_accepted(claims):
        # One Login signed them in at a lower level than the service asks (ADR 0073).
        return render(request, "portal/one_login_refused.html", {"weak": True}, status=403)
    found = one_login.person_for(reference=reference, claims=claims)
    if found is None:
        return render(request, "portal/one_login_refused.html", {"no_match": True}, status=403)
    case, role = found
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_KEY] = {"case": case.pk, "role": role, "at": now, "last": now}
    services.access_event_record_sign_in(case=case, role=role, request=request, how="GOV.UK One Login")
    return redirect("portal:home")
