from django import forms
from django.conf import settings

from casereview.applications.selectors import people_of_partnership
from casereview.web.concurrency import VersionedForm

from .models import RequestKind, RequestStatus, SensitiveInformation


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Evidence file",
        help_text="A photo (JPG, PNG, GIF, WEBP), a recording (MP3, M4A, WAV, OGG) "
        "or a document (PDF, DOCX, ODT).",
        error_messages={"required": "Select a file to upload"},
    )
    description = forms.CharField(label="What it shows", max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CASEREVIEW_EVIDENCE_MAX_BYTES:
            megabytes = settings.CASEREVIEW_EVIDENCE_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The selected file must be smaller than {megabytes}MB")
        return upload


class SensitiveInformationForm(VersionedForm, forms.ModelForm):
    """Record (or replace) the victim's special category information. Not filled in with what is
    held (whoever may record may not be allowed to read it); its version is `sensitive_version` of
    the record held when the page was read, so a record saved since is never replaced unseen."""

    class Meta:
        model = SensitiveInformation
        widgets = {
            name: forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2})
            for name in (
                *SensitiveInformation.SPECIAL_CATEGORY_FIELDS,
                *SensitiveInformation.CRIMINAL_OFFENCE_FIELDS,
            )
        } | {"source": forms.TextInput(attrs={"class": "govuk-input"})}
        fields = [
            *SensitiveInformation.SPECIAL_CATEGORY_FIELDS,
            *SensitiveInformation.CRIMINAL_OFFENCE_FIELDS,
            "source",
        ]

    def describe(self, record) -> list[tuple[str, str]]:
        # Which details are held now and when they were saved, never the details themselves.
        held = [
            str(self.fields[name].label)
            for name in (
                *SensitiveInformation.SPECIAL_CATEGORY_FIELDS,
                *SensitiveInformation.CRIMINAL_OFFENCE_FIELDS,
            )
            if getattr(record, name)
        ]
        return [
            ("Saved", f"{record.updated_at:%-d %B %Y at %H:%M} by {record.recorded_by or 'someone'}"),
            ("Details held now", ", ".join(held) or "None"),
        ]


class DataSubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(label="What the person is asking for", choices=RequestKind.choices)
    requester_name = forms.CharField(
        label="Name of the person making the request",
        max_length=200,
        error_messages={"required": "Enter the name of the person making the request"},
    )
    person = forms.ModelChoiceField(
        label="Whose records",
        queryset=None,  # the partnership's people, set in __init__
        required=False,
        help_text="Search for the person first; leave empty if they are not found.",
    )
    received_on = forms.DateField(
        label="Date received",
        error_messages={
            "required": "Enter the date the request was received",
            "invalid": "Date received must be a real date, for example 2025-03-27",
        },
    )
    details = forms.CharField(label="What they asked for", widget=forms.Textarea, required=False)

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of_partnership(partnership)


class DataSubjectRequestUpdateForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=RequestStatus.choices)
    outcome = forms.CharField(label="What was done", widget=forms.Textarea, required=False)
