from __future__ import annotations

from django import forms

from casereview.core.panel_kinds import VULNERABILITY_FACTORS, PanelKind
from casereview.core.reasons import ENGLISH, vulnerability_words

from .models import ConsentChoice
from .services import LAWFUL_BASES_WITHOUT_CONSENT


class ReferralForm(forms.Form):
    person_profile = forms.IntegerField(
        label="The person's profile number",
        required=False,
        min_value=1,
        help_text="If they have a person profile (search and signpost gives the number).",
    )
    person_name = forms.CharField(label="Or their full name", required=False, max_length=200)
    vulnerabilities = forms.MultipleChoiceField(
        label="What makes the person vulnerable?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    risk_answers = forms.MultipleChoiceField(
        label="Risk: which of these are true?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    asb_reports = forms.IntegerField(
        label="How many reports of anti-social behaviour involve them?", min_value=0, initial=0
    )
    summary = forms.CharField(
        label="Why are you referring them?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is happening, and what your agency has tried.",
        error_messages={"required": "Say why you are referring the person."},
    )
    consent = forms.ChoiceField(
        label="Consent",
        choices=ConsentChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person consented to the referral."},
    )
    lawful_basis = forms.ChoiceField(
        label="Without consent: the lawful basis for sharing",
        required=False,
        widget=forms.RadioSelect,
        choices=[(basis.value, basis.label) for basis in LAWFUL_BASES_WITHOUT_CONSENT],
    )
    consent_notes = forms.CharField(
        label="Why without consent", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, kind: PanelKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vulnerabilities"].choices = [
            (code, vulnerability_words_en(code)) for code in VULNERABILITY_FACTORS
        ]
        if kind.risk_tool:
            self.fields["risk_answers"].choices = [(q.code, q.label) for q in kind.risk_tool.questions]
        else:
            del self.fields["risk_answers"]


def vulnerability_words_en(code: str) -> str:
    words = vulnerability_words(ENGLISH, code)
    return words[:1].upper() + words[1:]
