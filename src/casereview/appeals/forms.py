from __future__ import annotations

from django import forms

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import AppealChannel, AppealOutcome, DecisionAppealed

YES_NO = [("yes", "Yes"), ("no", "No")]
HONEYPOT_FIELD = "leave_blank_extra"


def _grounds_field(grounds: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Grounds of appeal",
        help_text="Select all that apply.",
        choices=grounds,
        widget=forms.CheckboxSelectMultiple,
        required=bool(grounds),
        error_messages={"required": "Select at least one ground of appeal"},
    )


class LodgeForm(forms.Form):
    """An officer recording an appeal made by phone, email, letter or in person."""

    def __init__(self, *args, decisions: list[str], grounds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_appealed"] = forms.ChoiceField(
            label="Which decision is being appealed?",
            choices=[(d, DecisionAppealed(d).label) for d in decisions],
            widget=forms.RadioSelect,
            error_messages={"required": "Select which decision is being appealed"},
        )
        self.fields["lodged_on"] = GovDateField(
            label="When was the appeal received?",
            help_text="For example, 27 3 2025",
            words="the date the appeal was received",
        )
        self.fields["channel"] = forms.ChoiceField(
            label="How was the appeal made?",
            choices=[c for c in AppealChannel.choices if c[0] != AppealChannel.ONLINE],
            widget=forms.RadioSelect,
            error_messages={"required": "Select how the appeal was made"},
        )
        self.fields["grounds"] = _grounds_field(grounds)
        self.fields["explanation"] = forms.CharField(
            label="The appellant's explanation",
            help_text="Why they say the decision should be looked at again, in their words.",
            widget=forms.Textarea,
            max_length=10000,
            error_messages={"required": "Enter the appellant's explanation"},
        )
        self.fields["late_explanation"] = forms.CharField(
            label="If the appeal was made after the appeal window, why (optional)",
            widget=forms.Textarea,
            required=False,
            max_length=5000,
        )


class DecideForm(VersionedForm):
    """The decision on an appeal: it carries the appeal's version, so a decision confirmed on a page
    read before a colleague decided is refused, showing that decision (web.concurrency)."""

    @classmethod
    def initial_from(cls, appeal) -> dict:
        return {}

    def describe(self, appeal) -> list[tuple[str, str]]:
        rows = [("Status", appeal.get_status_display())]
        if appeal.outcome:
            rows.append(("Decision", appeal.get_outcome_display()))
        if appeal.reasons:
            rows.append(("Reasons", appeal.reasons))
        if appeal.decided_on:
            rows.append(("Date of the decision", f"{appeal.decided_on:%-d %B %Y}"))
        return rows

    def __init__(self, *args, late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if late:
            self.fields["late_considered"] = forms.ChoiceField(
                label="The appeal was made after the appeal window. Will it be considered?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select whether to consider the appeal although it was made late"
                },
            )
            self.fields["late_reasons"] = forms.CharField(
                label="Reasons for considering it, or not, although late",
                widget=forms.Textarea,
                required=False,
                max_length=5000,
            )
        self.fields["outcome"] = forms.ChoiceField(
            label="Decision",
            help_text="Leave this if a late appeal is not being considered.",
            choices=AppealOutcome.choices,
            widget=forms.RadioSelect,
            required=False,
        )
        self.fields["reasons"] = forms.CharField(
            label="Reasons for the decision",
            help_text="These are quoted in the letter to the appellant: do not name the alleged perpetrator.",
            widget=forms.Textarea,
            required=False,
            max_length=10000,
        )
        self.fields["next_steps"] = forms.CharField(
            label="What happens now (optional)",
            help_text="Leave blank for the standard wording.",
            widget=forms.Textarea,
            required=False,
            max_length=5000,
        )
        self.fields["decided_on"] = GovDateField(
            label="Date of the decision",
            help_text="For example, 27 3 2025",
            words="the date of the decision",
        )

    def cleaned_late_considered(self) -> bool | None:
        value = self.cleaned_data.get("late_considered")
        return None if value in (None, "") else value == "yes"


class OnlineFindForm(forms.Form):
    reference = forms.CharField(
        label="Your case reference",
        help_text="It is on the letter we sent you, for example WN-2025-0012.",
        max_length=30,
        error_messages={"required": "Enter your case reference"},
        widget=forms.TextInput(attrs={"width": "10"}),
    )
    detail = forms.CharField(
        label="The postcode or email address you gave us when you applied",
        help_text="We use this to check the case is yours.",
        max_length=254,
        error_messages={"required": "Enter the postcode or email address you gave us when you applied"},
        widget=forms.TextInput(attrs={"width": "20"}),
    )
    leave_blank_extra = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class OnlineAppealForm(forms.Form):
    def __init__(self, *args, grounds: list[tuple[str, str]], late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"] = _grounds_field(grounds)
        self.fields["explanation"] = forms.CharField(
            label="Why should the decision be looked at again?",
            help_text="Tell us what was missed or wrong. Do not include anyone else's personal details "
            "unless you need to.",
            widget=forms.Textarea,
            max_length=10000,
            error_messages={"required": "Enter why the decision should be looked at again"},
        )
        if late:
            self.fields["late_explanation"] = forms.CharField(
                label="Why are you appealing now? (optional)",
                help_text="The time to appeal has passed. Tell us why you could not appeal sooner, and we "
                "will take it into account.",
                widget=forms.Textarea,
                required=False,
                max_length=5000,
            )
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, max_length=500, widget=forms.HiddenInput
        )
