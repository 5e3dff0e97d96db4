"""Referral pages: the form (criteria checked and explained before anything is stored) and the
referral's own page. Staff pages, in English."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from casereview.core.reasons import render as render_reason
from casereview.core.reasons import render_all
from casereview.web.forms import add_service_errors

from . import selectors, services
from .forms import ReferralForm, vulnerability_words_en


def _errors(form) -> list[dict]:
    if not form.is_bound:
        return []
    return [
        {"text": error, "href": f"#id_{name}" if name != "__all__" else None}
        for name, errors in form.errors.items()
        for error in errors
    ]


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, kind_code: str):
    kind = selectors.panel_kind_for(request.user, kind_code)
    if not selectors.may_refer(request.user, kind):
        raise Http404("No such panel")
    form = ReferralForm(request.POST or None, kind=kind)
    not_met = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        answers = dict.fromkeys(data.pop("risk_answers", []), True)
        try:
            referral = services.referral_make(
                partnership=request.user.partnership,
                kind=kind,
                data=services.ReferralData(**data, risk_answers=answers),
                actor=request.user,
            )
        except services.CriteriaNotMet as refusal:
            not_met = render_all(refusal.result.reasons)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The referral to {kind.name} is made.")
            return redirect("referrals:referral", referral.pk)
    errors = _errors(form)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "kind": kind,
            "errors": errors,
            "page_error": bool(errors or not_met),
            "not_met": not_met,
        },
    )


@login_required
def referral_detail(request, referral_id: int):
    referral = selectors.referral_get_for_user(request.user, referral_id)
    kind = selectors.panel_kind_for(request.user, referral.panel_kind)
    return render(
        request,
        "referrals/referral.html",
        {
            "referral": referral,
            "kind_name": kind.name if kind else referral.panel_kind,
            "reasons": [render_reason(reason) for reason in referral.reason_codes],
            "vulnerabilities": [vulnerability_words_en(code) for code in referral.vulnerabilities],
        },
    )
