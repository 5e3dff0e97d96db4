from django import forms

from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import FlagReview, MaterialChangeDecision

YES_NO = [("yes", "Yes"), ("no", "No")]


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="Why is it not the same problem?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why it is not the same problem"},
    )


class AssessForm(VersionedForm):
    """Adds to the case's assessments: its version is how many the page was read with
    (web.concurrency.history_claim), so a second officer assessing at once sees the first's."""

    def describe(self, assessment) -> list[tuple[str, str]]:
        if assessment is None:
            return []
        return [
            ("Decision", assessment.get_decision_display()),
            ("Material change", "Yes" if assessment.material_change else "No"),
            ("Reasons", assessment.reasons),
            ("Assessed on", f"{assessment.assessed_on:%-d %B %Y}"),
        ]

    material_change = forms.ChoiceField(
        label="Is there a material change of circumstances since the earlier application?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether there is a material change of circumstances"},
    )
    what_changed = forms.CharField(
        label="What has changed?",
        help_text="For example, new incidents, a new perpetrator, the victim's health or vulnerability.",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=MaterialChangeDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reasons for the decision"},
    )
    assessed_on = GovDateField(
        label="Date of the assessment",
        help_text="For example, 27 3 2025",
        words="the date of the assessment",
    )

    def clean(self):
        data = super().clean()
        if data.get("material_change") == "yes" and not (data.get("what_changed") or "").strip():
            self.add_error("what_changed", "Enter what has changed")
        return data


class FlagForm(forms.Form):
    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = forms.ChoiceField(
            label="Who does the policy apply to?",
            choices=[(str(p.pk), label) for p, label in people],
            widget=forms.RadioSelect,
            error_messages={"required": "Select who the policy applies to"},
        )
        self.fields["reasons"] = forms.CharField(
            label="Reasons for applying the unreasonably persistent complainants policy",
            help_text="Staff see this; the person never does.",
            widget=forms.Textarea,
            max_length=5000,
            error_messages={"required": "Enter the reasons for applying the policy"},
        )
        self.fields["review_on"] = GovDateField(
            label="Review the flag by",
            help_text="Within a year. For example, 27 3 2026",
            words="the date by which the flag must be reviewed",
        )


class FlagReviewForm(VersionedForm):
    """Carries the flag's version: a review made on a page read before a colleague's review is
    refused, showing the flag as it is now (web.concurrency)."""

    @classmethod
    def initial_from(cls, flag) -> dict:
        return {}

    def describe(self, flag) -> list[tuple[str, str]]:
        rows = [("Flag", flag.get_status_display()), ("Review by", f"{flag.review_on:%-d %B %Y}")]
        latest = flag.reviews.order_by("-pk").first()
        if latest is not None:
            rows += [("Latest review", latest.get_outcome_display()), ("Its reasons", latest.reasons)]
        return rows

    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=FlagReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to keep or lift the flag"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reasons"},
    )
    next_review_on = GovDateField(
        label="If kept: review it again by",
        help_text="For example, 27 3 2026",
        words="the next review date",
        required=False,
    )
