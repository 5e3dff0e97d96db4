"""The forms of the person's own view, in English and Welsh (the Welsh in the catalogue)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casereview.web.dates import GovDateField


class SignInForm(forms.Form):
    reference = forms.CharField(
        label=_("Your reference number"),
        help_text=_(
            "It is on the page you saw when you applied, and on our letters. For example, WNC-2026-0001."
        ),
        max_length=40,
        error_messages={"required": _("Enter your reference number")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "width": "10"}),
    )
    contact = forms.CharField(
        label=_("The email address or mobile phone number you applied with"),
        help_text=_("We will send a code to it, if it is one we may contact you by."),
        max_length=200,
        error_messages={"required": _("Enter the email address or mobile phone number you applied with")},
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Security code"),
        help_text=_("The code is 6 numbers, for example 123456."),
        max_length=20,
        error_messages={"required": _("Enter the security code")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "width": "5",
            }
        ),
    )


class DiaryForm(forms.Form):
    occurred_on = GovDateField(
        label=_("When did it happen?"),
        help_text=_("For example, 27 3 2026"),
        words=_("the date it happened"),
        past_only=True,
    )
    time_of_day = forms.CharField(
        label=_("What time did it happen? (optional)"),
        help_text=_("For example, about 11pm"),
        required=False,
        max_length=40,
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("Say what you saw and heard, and how it affected you."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Enter what happened")},
    )
    where = forms.CharField(label=_("Where did it happen? (optional)"), required=False, max_length=300)
    reported_to = forms.CharField(
        label=_("Did you report it to anyone? (optional)"),
        help_text=_("For example, the police on 101, with the reference they gave you"),
        required=False,
        max_length=300,
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("A photo, a recording or a PDF document, smaller than 20MB."),
        error_messages={"required": _("Select a file")},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,audio/*,video/mp4,video/quicktime,application/pdf"}
        ),
    )
    description = forms.CharField(label=_("What does it show? (optional)"), required=False, max_length=300)


VIEW_CHOICES = [
    ("attend", _("I want to come to the start of the meeting")),
    ("statement", _("I want to write a statement for the panel to read")),
    ("representative", _("I want someone to speak for me")),
]


class ViewForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How do you want the panel to hear your view?"),
        choices=VIEW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you want the panel to hear your view")},
    )
    statement = forms.CharField(
        label=_("Your statement (if you are writing one)"),
        help_text=_("Say how the behaviour has affected you and what you would like to happen."),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=10000,
    )
    representative = forms.CharField(
        label=_("Who will speak for you? (if someone is)"),
        help_text=_("Their name and how you know them"),
        required=False,
        max_length=200,
    )

    def clean(self):
        data = super().clean()
        if data.get("how") == "statement" and not (data.get("statement") or "").strip():
            self.add_error("statement", _("Enter your statement for the panel"))
        if data.get("how") == "representative" and not (data.get("representative") or "").strip():
            self.add_error("representative", _("Enter who will speak for you"))
        return data


class AppealForm(forms.Form):
    def __init__(self, *args, grounds: list[tuple[str, str]], late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if grounds:
            self.fields["grounds"] = forms.MultipleChoiceField(
                label=_("Why are you appealing?"),
                help_text=_("Select all that apply."),
                choices=grounds,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Select at least one reason")},
            )
        self.fields["explanation"] = forms.CharField(
            label=_("Why should the decision be looked at again?"),
            help_text=_("Tell us what was missed or wrong."),
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=10000,
            error_messages={"required": _("Enter why the decision should be looked at again")},
        )
        if late:
            self.fields["late_explanation"] = forms.CharField(
                label=_("Why are you appealing now? (optional)"),
                help_text=_("The time to appeal has passed. Tell us why you could not appeal sooner."),
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=5000,
            )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        help_text=_("This helps us improve. You do not have to say."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
    )


# --- The staff's forms (English: staff pages are not translated, ADR 0024) ------------------------


class DiaryIncidentForm(forms.Form):
    """A diary entry turned into an incident on the case, in the SPOC's words (prefilled with the
    person's). Who it was reported to is added to the incident afterwards, as for any other."""

    description = forms.CharField(
        label="What happened, as it should read on the case",
        help_text="Prefilled with the victim's own words. Remove anything that should not be shared "
        "with the agencies party to the case.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter what happened, as it should read on the case"},
    )
    location = forms.CharField(label="Where it happened (optional)", required=False, max_length=300)
