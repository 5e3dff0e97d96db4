"""A GOV.UK date input (day, month, year boxes) as a Django form field, shared by appeals and repeats."""

from __future__ import annotations

import datetime as dt

from django import forms


class GovDateWidget(forms.Widget):
    is_gov_date = True

    def value_from_datadict(self, data, files, name):
        parts = {s: (data.get(f"{name}_{s}") or "").strip() for s in ("day", "month", "year")}
        if not any(parts.values()):
            return None
        return parts


class GovDateField(forms.Field):
    widget = GovDateWidget

    def __init__(self, *, label_words: str, **kwargs):
        self.label_words = label_words
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {label_words}"

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        missing = [s for s in ("day", "month", "year") if not value.get(s)]
        if missing:
            raise forms.ValidationError(f"{self.label_words.capitalize()} must include a {missing[0]}")
        try:
            day, month, year = (int(value[s]) for s in ("day", "month", "year"))
            if year < 1900:
                raise ValueError
            return dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{self.label_words.capitalize()} must be a real date") from None

    def prepare_value(self, value):
        return value
