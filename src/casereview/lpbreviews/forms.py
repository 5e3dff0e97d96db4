"""Forms of the local policing body's review route: the office's (staff, English) and the victim's
online request (public: English or Welsh)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import RequestChannel, ReviewOutcome


class RecordRequestForm(forms.Form):
    """The office recording a request the victim made by phone, email, letter or in person."""

    reference = forms.CharField(
        label="The case reference",
        help_text="It is on the partnership's 'threshold not met' letter, for example NN-2026-0012.",
        max_length=30,
        error_messages={"required": "Enter the case reference"},
        widget=forms.TextInput(attrs={"width": "10", "spellcheck": "false"}),
    )
    requested_on = GovDateField(
        label="The date the request was received",
        words="the date the request was received",
        past_only=True,
        help_text="For example, 27 3 2027",
    )
    channel = forms.ChoiceField(
        label="How the request was made",
        choices=[c for c in RequestChannel.choices if c[0] != RequestChannel.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request was made"},
    )
    why = forms.CharField(
        label="Why the victim thinks the decision is wrong",
        help_text="In their words, as they told you.",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Enter why the decision should be looked at again"},
    )


class DecideForm(VersionedForm):
    """The local policing body's decision; it carries the review's version (web.concurrency)."""

    @classmethod
    def initial_from(cls, review) -> dict:
        return {}

    def describe(self, review) -> list[tuple[str, str]]:
        rows = [("Status", review.get_status_display())]
        if review.outcome:
            rows.append(("Decision", review.get_outcome_display()))
        if review.reasons:
            rows.append(("Reasons", review.reasons))
        return rows

    outcome = forms.ChoiceField(
        label="Your decision",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the decision stands or goes back to the partnership"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="The victim's letter and the partnership's case timeline quote them. Do not name anyone "
        "but the victim.",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Enter the reasons for your decision"},
    )
    decided_on = GovDateField(
        label="The date of your decision",
        words="the date of your decision",
        past_only=True,
        help_text="For example, 27 3 2027",
    )


class OnlineRequestForm(forms.Form):
    """The victim's own request, from their page (/my-review/)."""

    why = forms.CharField(
        label=_("Why do you think the decision is wrong?"),
        help_text=_(
            "Tell the local policing body what the partnership missed or got wrong. Do not include anyone "
            "else's personal details unless you need to."
        ),
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": _("Enter why you think the decision is wrong")},
    )
