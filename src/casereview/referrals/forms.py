from __future__ import annotations

from django import forms

from casereview.core.panel_kinds import VULNERABILITY_FACTORS, PanelKind
from casereview.core.reasons import ENGLISH, vulnerability_words
from casereview.web.concurrency import VersionedForm
from casereview.web.dates import GovDateField

from .models import ConsentChoice, SubjectKind
from .services import LAWFUL_BASES_WITHOUT_CONSENT


class ReferralForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label="Who or what are you referring?",
        choices=SubjectKind.choices,
        initial=SubjectKind.PERSON,
        required=False,  # a person, unless the referrer chooses otherwise
        widget=forms.RadioSelect,
    )
    person_profile = forms.IntegerField(
        label="The person's profile number",
        required=False,
        min_value=1,
        help_text="If they have a person profile (search and signpost gives the number).",
    )
    person_name = forms.CharField(label="Or their full name", required=False, max_length=200)
    household_profiles = forms.CharField(
        label="A household: the profile numbers of its members",
        required=False,
        max_length=200,
        help_text="Separated by commas, e.g. 12, 15. Leave empty if they have no profile.",
    )
    household_names = forms.CharField(
        label="And the full names of members without a profile",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name a line. A household is two or more people at one address.",
    )
    place_profile = forms.IntegerField(
        label="A household or an address: the place's number",
        required=False,
        min_value=1,
        help_text="If the place is recorded (search and signpost gives the number).",
    )
    address = forms.CharField(
        label="Or the address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    uprn = forms.CharField(
        label="UPRN (if known)",
        required=False,
        max_length=20,
        help_text="The Unique Property Reference Number: up to 12 digits.",
    )
    # How the referral arrived (set by the route, not typed): a triage's number, a hotspot's location.
    triage = forms.IntegerField(required=False, widget=forms.HiddenInput)
    hotspot_location = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
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

    def clean_subject_kind(self) -> str:
        return self.cleaned_data.get("subject_kind") or SubjectKind.PERSON

    def clean_household_profiles(self) -> list[int]:
        text = self.cleaned_data.get("household_profiles") or ""
        numbers = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) < 1:
                raise forms.ValidationError(
                    f"“{part[:20]}” is not a profile number: give numbers separated by commas, e.g. 12, 15."
                )
            numbers.append(int(part))
        return numbers

    def clean_household_names(self) -> list[str]:
        text = self.cleaned_data.get("household_names") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def referral_data(self):
        """The service's `ReferralData` from the cleaned form."""
        from .services import ReferralData

        data = dict(self.cleaned_data)
        answers = dict.fromkeys(data.pop("risk_answers", []), True)
        data["triage_id"] = data.pop("triage")
        data["postcode"] = data.get("postcode") or ""
        return ReferralData(**data, risk_answers=answers)


def vulnerability_words_en(code: str) -> str:
    words = vulnerability_words(ENGLISH, code)
    return words[:1].upper() + words[1:]


# --- The standing meeting's forms (ADR 0064) ------------------------------------------------------


class ScheduleForm(forms.Form):
    meeting_on = GovDateField(
        words="the date of the meeting", error_messages={"required": "Enter the date of the meeting."}
    )


class AttendanceForm(VersionedForm):
    """Each of the panel's agencies: attended (with who came), sent apologies, or neither."""

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.ChoiceField(
                label=str(agency),
                required=False,
                widget=forms.RadioSelect,
                choices=[("present", "Attended"), ("apologies", "Sent apologies"), ("", "Not expected")],
            )
            self.fields[f"names_{agency.pk}"] = forms.CharField(
                label=f"Who came from {agency}", required=False, max_length=300
            )

    def attendance(self) -> tuple[dict, list]:
        present, apologies = {}, []
        for agency in self.agencies:
            answer = self.cleaned_data.get(f"agency_{agency.pk}")
            if answer == "present":
                present[agency] = self.cleaned_data.get(f"names_{agency.pk}", "")
            elif answer == "apologies":
                apologies.append(agency)
        return present, apologies


class ItemForm(VersionedForm):
    """The panel's discussion of one case. Versioned by its content (`meetings.item_version`):
    two people recording the same case at once, the second is refused and shown the first's."""

    discussion = forms.CharField(
        label="What the panel discussed and decided",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the panel discussed and decided."},
    )
    risk_answers = forms.MultipleChoiceField(
        label="Risk now: which of these are true?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    next_review_on = GovDateField(words="the next review date", required=False)
    close_agreed = forms.BooleanField(label="The panel agrees to close the case", required=False)
    close_reason = forms.ChoiceField(
        label="Why the panel agrees to close it",
        required=False,
        widget=forms.RadioSelect,
        choices=[],
    )

    def __init__(self, *args, kind: PanelKind, close_reasons: dict, **kwargs):
        super().__init__(*args, **kwargs)
        if kind.risk_tool:
            self.fields["risk_answers"].label = f"Risk now ({kind.risk_tool.name}): which of these are true?"
            self.fields["risk_answers"].choices = [(q.code, q.label) for q in kind.risk_tool.questions]
        else:
            del self.fields["risk_answers"]
        self.fields["close_reason"].choices = list(close_reasons.items())

    @classmethod
    def initial_from(cls, item) -> dict:
        return {
            "discussion": item.discussion,
            "risk_answers": sorted(item.risk_answers or {}),
            "next_review_on": item.next_review_on,
            "close_agreed": item.close_agreed,
            "close_reason": item.close_reason,
        }


class ActionForm(VersionedForm):
    """Adds an action to a case's plan at a meeting. Its version is how many actions the plan had
    when the page was read (web.concurrency.history_claim): two people adding at once, the second
    is refused and shown the first's, and nothing is written."""

    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done."},
    )
    owner_agency = forms.ChoiceField(
        label="The agency that owns it",
        choices=[],
        error_messages={"required": "Choose the agency that owns the action."},
    )
    due_on = GovDateField(
        words="the due date", error_messages={"required": "Enter the date the action is due."}
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["owner_agency"].choices = [
            ("", "Choose an agency"),
            *((k, str(a)) for k, a in self.agencies.items()),
        ]


class ShareForm(VersionedForm):
    """What an agency shares before the meeting. Carries how many shares the case had when read:
    one shared since is shown, and this one refused until sent again on purpose."""

    text = forms.CharField(
        label="What your agency knows about the case",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Recent contact, risks, what you have tried. Seen only by those who see the case.",
        error_messages={"required": "Enter what your agency knows about the case."},
    )


class CloseForm(VersionedForm):
    pass


class MinutesIssueForm(VersionedForm):
    """Issue a held meeting's minutes, one document per agency. Its version is how many times they
    have been issued (`meetings.minutes_issues`): a second chair issuing at once is refused."""

    reason = forms.CharField(
        label="Why the minutes are issued again",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Each agency's new minutes replace the ones it was sent; both are kept.",
    )

    def __init__(self, *args, issued: int, **kwargs):
        super().__init__(*args, **kwargs)
        if not issued:
            del self.fields["reason"]


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label="Why the case is re-opened",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the case is re-opened."},
    )
    next_review_on = GovDateField(
        words="the date the panel hears it again",
        error_messages={"required": "Enter when the panel hears the case again."},
    )


class FiguresForm(forms.Form):
    year = forms.IntegerField(
        label="Financial year starting in April", min_value=2000, max_value=2100, required=False
    )
