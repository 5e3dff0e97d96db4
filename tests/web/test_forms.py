"""A service's refusal lands on the form: at the field it names, or at the top."""

from django import forms
from django.core.exceptions import ValidationError

from casereview.web.forms import add_service_errors


class NoteForm(forms.Form):
    note = forms.CharField()


def bound():
    form = NoteForm({"note": "Called the victim"})
    assert form.is_valid()
    return form


def test_a_message_for_a_field_the_form_has_goes_at_that_field():
    form = bound()
    add_service_errors(form, ValidationError({"note": ["Too short", "Name the officer"]}))
    assert form.errors == {"note": ["Too short", "Name the officer"]}
    assert "note" not in form.cleaned_data


def test_a_message_for_a_field_the_form_lacks_goes_at_the_top():
    form = bound()
    add_service_errors(form, ValidationError({"agency": "Not a party to this case"}))
    assert form.non_field_errors() == ["Not a party to this case"]
    assert form.cleaned_data["note"] == "Called the victim"


def test_a_refusal_that_names_no_field_goes_at_the_top():
    form = bound()
    add_service_errors(form, ValidationError(["The case is closed", "Re-open it first"]))
    assert form.non_field_errors() == ["The case is closed", "Re-open it first"]
    assert not form.is_valid()
