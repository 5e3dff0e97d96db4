"""Small filters for rendering Django form fields as GOV.UK Frontend components (appeals, repeats)."""

from django import forms, template

register = template.Library()


@register.filter
def widget_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if getattr(widget, "is_gov_date", False):
        return "date"
    return "input"


@register.filter
def is_checked(value, current) -> bool:
    if current is None:
        return False
    if isinstance(current, (list, tuple, set)):
        return str(value) in {str(c) for c in current}
    return str(value) == str(current)


@register.filter
def date_parts(field):
    """(suffix, label, value) for the day, month and year inputs of a GOV.UK date field."""
    value = field.value()
    if hasattr(value, "day"):
        values = {"day": value.day, "month": value.month, "year": value.year}
    elif isinstance(value, dict):
        values = value
    else:
        values = {}
    return [(s, s.capitalize(), values.get(s, "")) for s in ("day", "month", "year")]
