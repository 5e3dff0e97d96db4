"""What every app's form pages share."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from .concurrency import StaleRecord, VersionedForm


class GovForm(forms.Form):
    """A form rendered with the GOV.UK template pack (`{% crispy form %}`); the page puts the error
    summary at the top. An edit form is `class TheForm(VersionedForm, GovForm)` (web.concurrency)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form it came from.

    A message the service gave for a field the form has goes at that field; any other, and a
    refusal that names no field, goes at the top of the form (the error summary's first lines).
    A refusal because the record changed since the form was read (`StaleRecord`) also shows, on a
    `VersionedForm`, what the record holds now (web.concurrency)."""
    if isinstance(error, StaleRecord) and isinstance(form, VersionedForm):
        form.show_stale(error)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            messages = [message for item in errors for message in item.messages]
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
