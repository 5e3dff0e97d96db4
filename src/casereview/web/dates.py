"""The GOV.UK date input: a date typed into three boxes, day, month and year.

One set of rules and messages for every form that asks for a date this way, worded as the GOV.UK
Design System's date input asks ("Enter the date of the decision", "The date of the decision must
include a month", "The date of the decision must be a real date"):

- `date_from_parts` checks the three typed strings. It reads no clock: a rule about today is given
  `today`.
- `GovDateField` is that check as a Django form field, posted as `<name>_day`, `<name>_month` and
  `<name>_year` and drawn by web/_field.html; "today" is read there, at the edge.

Pages that draw their own boxes (apply's questions, actions' updates, crispy's `<name>_0`, `_1`,
`_2` on the review and panel pages) call `date_from_parts` themselves. Rules of the process (an
action's new date is in the future, a contact with the victim is not dated after today) stay in the
services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext

PARTS = ("day", "month", "year")


@dataclass(frozen=True)
class DateParts:
    """What was typed in the three boxes (spaces trimmed), and the date or what is wrong with it."""

    day: str
    month: str
    year: str
    value: dt.date | None = None
    error: str = ""
    wrong: tuple[str, ...] = ()  # the boxes to mark: "day", "month", "year"


def date_from_parts(
    day: str,
    month: str,
    year: str,
    *,
    words: str,
    today: dt.date | None = None,
    past_only: bool = False,
    future_only: bool = False,
    not_before: dt.date | None = None,
    not_before_words: str = "",
    lowest_year: int = 1900,
) -> DateParts:
    """Check a date typed as day, month and year.

    `words` name the date in the messages: "the date the incident happened" gives "Enter the date
    the incident happened" and "The date the incident happened must be a real date". `past_only`
    (today or earlier) and `future_only` (after today) need `today`. `not_before` is a date it may
    not be earlier than, named by `not_before_words`. A year before `lowest_year` is refused: it is
    a slip of the keyboard, not a date anyone here means.
    """
    if (past_only or future_only) and today is None:
        raise TypeError("date_from_parts needs today to check past_only or future_only")
    typed = {"day": day.strip(), "month": month.strip(), "year": year.strip()}

    def refused(message: str, wrong, **names) -> DateParts:
        # The sentence is translated whole (the public pages are in English or Welsh) with the
        # date's words in it, then starts with a capital: "the date …" begins "The date …".
        error = message % {"words": words, **names}
        return DateParts(**typed, error=error[:1].upper() + error[1:], wrong=tuple(wrong))

    missing = [part for part in PARTS if not typed[part]]
    if len(missing) == len(PARTS):
        return refused(gettext("Enter %(words)s"), PARTS)
    if missing:
        part_names = {"day": gettext("day"), "month": gettext("month"), "year": gettext("year")}
        parts = (
            part_names[missing[0]]
            if len(missing) == 1
            else gettext("%(first)s and %(second)s")
            % {"first": part_names[missing[0]], "second": part_names[missing[1]]}
        )
        return refused(gettext("%(words)s must include a %(parts)s"), missing, parts=parts)
    not_numbers = [part for part in PARTS if not (typed[part].isascii() and typed[part].isdigit())]
    if not_numbers:
        return refused(gettext("%(words)s must be a real date"), not_numbers)
    if len(typed["year"]) != 4:
        return refused(gettext("The year of %(words)s must include 4 numbers"), ["year"])
    day_number, month_number, year_number = (int(typed[part]) for part in PARTS)
    if not 1 <= month_number <= 12:
        return refused(gettext("%(words)s must be a real date"), ["month"])
    if year_number < lowest_year:
        return refused(
            gettext("%(words)s must be the same as or after 1 January %(year)s"), ["year"], year=lowest_year
        )
    try:
        value = dt.date(year_number, month_number, day_number)
    except (ValueError, OverflowError):
        return refused(gettext("%(words)s must be a real date"), ["day"])
    if past_only and value > today:
        return refused(gettext("%(words)s must be today or in the past"), PARTS)
    if future_only and value <= today:
        return refused(gettext("%(words)s must be in the future"), PARTS)
    if not_before is not None and value < not_before:
        return refused(
            gettext("%(words)s must be the same as or after %(earliest)s"), PARTS, earliest=not_before_words
        )
    return DateParts(**typed, value=value)


class GovDateWidget(forms.Widget):
    """Three boxes posted as `<name>_day`, `<name>_month` and `<name>_year`; web/_field.html draws
    them (`is_gov_date`). Its value is what was typed, as {"day": …, "month": …, "year": …}."""

    is_gov_date = True

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}_{part}") or "" for part in PARTS}


class GovDateField(forms.Field):
    """A GOV.UK date input checked by `date_from_parts`. `words` name the date in its messages;
    `past_only` refuses a date after today. `wrong` holds the boxes to mark after a failed check."""

    widget = GovDateWidget

    def __init__(self, *, words: str, past_only: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.words, self.past_only = words, past_only
        self.wrong: tuple[str, ...] = ()

    def clean(self, value):
        self.wrong = ()
        typed = [value[part] for part in PARTS]  # the widget's value: what was typed
        if not self.required and not "".join(typed).strip():
            return None
        checked = date_from_parts(
            *typed,
            words=self.words,
            today=timezone.localdate(),
            past_only=self.past_only,
        )
        if checked.error:
            self.wrong = checked.wrong
            raise forms.ValidationError(checked.error, code="invalid")
        self.run_validators(checked.value)
        return checked.value


def duration_words(minutes: int) -> str:
    """A length of time in words, in the active language: "1 hour 30 minutes", "8 hours",
    "45 minutes" ("1 awr 30 munud" in Welsh). Hours and the minutes left over, each said only when
    it is not nought; nought minutes is "0 minutes"."""
    minutes = max(0, int(minutes))
    hours, rest = divmod(minutes, 60)
    words = []
    if hours:
        words.append(ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours})
    if rest or not hours:
        words.append(ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest})
    return " ".join(words)
