"""Forms for the review pages: input checks only (business rules live in services).

Every message names the field and says what to do (GOV.UK Design System error messages).
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casereview.accounts.models import Agency, User
from casereview.accounts.selectors import staff_in
from casereview.web.concurrency import VersionedForm
from casereview.web.dates import PARTS, date_from_parts
from casereview.web.forms import GovForm

from . import risk
from .models import ContactMethod, ContactOutcome, LawfulBasis, SupportReferral, VoicePreference


class GovDateField(DateInputField):
    """crispy-forms-gds' date input (boxes posted as `<name>_0`, `_1`, `_2`) checked by web.dates:
    `what` names the date in the messages. The boxes found wrong carry the message on their widgets,
    which is how crispy knows to mark only them."""

    def __init__(self, *, what: str, **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value):
        typed = [str(part or "") for part in value or ("", "", "")]
        for box in self.fields:
            box.widget.errors = []
        if not self.required and not "".join(typed).strip():
            return None
        checked = date_from_parts(*typed, words=self.what)
        if checked.error:
            for part, box in zip(PARTS, self.fields, strict=True):
                if part in checked.wrong:
                    box.widget.errors = [checked.error]
            raise ValidationError(checked.error, code="invalid")
        return checked.value


def _today() -> dt.date:
    return timezone.localdate()


class SpocAppointForm(VersionedForm, GovForm):
    spoc = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who will be the SPOC?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who will be the SPOC",
            "invalid_choice": "Choose who will be the SPOC",
        },
    )
    override_reason = forms.CharField(
        label="If they may have had prior involvement, why should they still be the SPOC?",
        help_text="Required when the system has found possible prior involvement.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spoc"].queryset = User.objects.filter(pk__in=[u.pk for u, _ in candidates])
        notes = {u.pk: findings for u, findings in candidates}

        def label(user):
            text = f"{user}, {user.job_title or 'staff'}" + (f", {user.agency}" if user.agency else "")
            if notes.get(user.pk):
                text += " — possible prior involvement: " + " ".join(notes[user.pk])
            else:
                text += " — no prior involvement found"
            return text

        self.fields["spoc"].label_from_instance = label


class ContactAttemptForm(GovForm):
    method = forms.ChoiceField(
        label="How did you try to contact the victim?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you tried to contact the victim"},
    )
    attempted_on = GovDateField(what="the date of the attempt", label="Date of the attempt", initial=_today)
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class VictimContactForm(VersionedForm, GovForm):
    contacted_on = GovDateField(
        what="the date you spoke to the victim", label="Date of contact", initial=_today
    )
    method = forms.ChoiceField(
        label="How did you speak to the victim?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you spoke to the victim"},
    )
    incidents_in_own_words = forms.CharField(
        label="What has been happening, in the victim's words",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what has been happening, in the victim's words"},
    )
    agencies_involved = forms.CharField(
        label="Agencies the victim has been in touch with (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    desired_outcome = forms.CharField(
        label="What the victim would like to happen",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the victim would like to happen"},
    )
    voice_preference = forms.ChoiceField(
        label="How does the victim want their voice heard at the panel?",
        choices=VoicePreference.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the victim wants their voice heard at the panel"},
    )
    support_needs = forms.CharField(
        label="Support or access needs (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class UnreachableForm(GovForm):
    confirm = forms.BooleanField(
        label="I confirm reasonable efforts have been made and the review should be withdrawn and closed",
        error_messages={"required": "Confirm that the review should be withdrawn and closed"},
    )
    note = forms.CharField(
        label="Note for the record (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class RiskAssessmentForm(VersionedForm, GovForm):
    assessed_on = GovDateField(
        what="the date of the assessment", label="Date of the assessment", initial=_today
    )
    notes = forms.CharField(
        label="Anything else the panel should know (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for question in risk.QUESTIONS:
            fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.hint,
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"Answer yes or no: {question.text}"},
            )
        self.fields = {
            "version": self.fields["version"],
            "assessed_on": self.fields["assessed_on"],
            **fields,
            "notes": self.fields["notes"],
        }

    @classmethod
    def initial_from(cls, assessment) -> dict:
        answers = {f"q_{code}": "yes" if yes else "no" for code, yes in (assessment.answers or {}).items()}
        return {"assessed_on": assessment.assessed_on, **answers, "notes": assessment.notes}

    def answers(self) -> dict[str, bool]:
        return {q.code: self.cleaned_data[f"q_{q.code}"] == "yes" for q in risk.QUESTIONS}


class SupportReferralForm(GovForm):
    service = forms.CharField(
        label="Support service offered",
        initial="Victim Support",
        error_messages={"required": "Enter the support service offered"},
    )
    offered_on = GovDateField(what="the date support was offered", label="Date offered", initial=_today)
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=SupportReferral.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    consent = forms.BooleanField(
        label="The victim consents to their details being passed to the service", required=False
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InformationRequestForm(GovForm):
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        label="Which agencies should complete the Agency Response form?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency to ask"},
    )
    due_on = GovDateField(
        what="the date the response is due",
        label="Response due by",
        help_text="Set from the local policy's agency response time; you may change it.",
    )
    message = forms.CharField(
        label="Anything in particular you need to know (optional)",
        help_text="Do not include the victim's health or other sensitive details here.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership_id=application.partnership_id)


class AgencyResponseForm(VersionedForm, GovForm):
    reports_received = forms.CharField(
        label="Reports your agency received about this behaviour",
        help_text="Dates, your references and what was reported. Write “None” if there were none.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reports your agency received (or “None”)"},
    )
    actions_taken = forms.CharField(
        label="Actions your agency took",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the actions your agency took (or “None”)"},
    )
    current_involvement = forms.CharField(
        label="Your agency's current involvement",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your agency's current involvement (or “None”)"},
    )
    other_information = forms.CharField(
        label="Anything else relevant to the review (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing this information",
        choices=LawfulBasis.choices,
        initial=LawfulBasis.ASB_ACT_SCH4_PARA7,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lawful basis for sharing this information"},
    )


class InterimActionForm(GovForm):
    description = forms.CharField(
        label="What will be done now",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what will be done now"},
    )
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency responsible",
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency responsible"},
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Person responsible (optional)",
        empty_label="Choose a person",
        required=False,
    )
    due_on = GovDateField(what="the date the action is due", label="Due by")
    share_with_victim = forms.BooleanField(label="This action may be described to the victim", required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            partnership_id=application.partnership_id
        )
        self.fields["owner"].queryset = staff_in(application.partnership_id, with_agency=True).order_by(
            "last_name"
        )
        self.fields["owner"].label_from_instance = lambda u: f"{u} ({u.agency})"

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on and due_on < _today():
            raise ValidationError("The date the action is due must be today or in the future")
        return due_on


class ActionReassignForm(VersionedForm, GovForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who should own the action now?",
        help_text="Only staff of agencies that can still see the case: the victim has withdrawn consent "
        "to sharing with partner agencies.",
        empty_label="Choose a person",
        error_messages={"required": "Choose who should own the action"},
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_in(application.partnership_id, agency_kind="council").order_by(
            "last_name", "first_name"
        )
        self.fields["owner"].label_from_instance = lambda u: f"{u}, {u.agency}"


class RequestReassignForm(VersionedForm, GovForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Which agency should answer the request now?",
        help_text="Only agencies that can still see the case while consent is withdrawn.",
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency that should answer"},
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            partnership_id=application.partnership_id, kind="council"
        )
