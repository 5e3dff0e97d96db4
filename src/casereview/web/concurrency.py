"""Two officers at once: one mechanism for every app (ADR 0016).

**Edits are optimistic.** A record people edit through a form has a `version` (the `Versioned`
mixin), moved on by one on every save. Its edit form carries the version it was read at in a hidden
field (`VersionedForm`). The service claims the row with `version_claim`: it locks the row, and when
the version moved on since the form was read it refuses with `StaleRecord` — a ValidationError, so
the view's usual `add_service_errors` shows it — carrying the record as it is now. The form then
shows the other officer's change beside what this officer typed (kept), with the hidden version
moved on, so saving again is a deliberate choice made after seeing both.

**State changes are pessimistic.** Acknowledging, a status transition, issuing a letter, completing
an action: each locks its row first (`row_lock`, SELECT … FOR UPDATE) and checks its precondition
again on the locked row, so of fifty identical requests at once one does it and the others find it
already done. SQLite has no row locks, but it lets one writer at a time in; PostgreSQL is the
production database and the concurrency tests run there.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import zlib
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

VERSION_FIELD = "version"

M = TypeVar("M", bound=models.Model)


class Versioned(models.Model):
    """A record edited through a form: `version` moves on by one at every save (`version_claim`)."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Moved on by one at every save: a stale form is refused."
    )

    class Meta:
        abstract = True


class StaleRecord(ValidationError):
    """The record changed since the form was read. `current` is the row as it is now (locked)."""

    def __init__(self, current: models.Model, *, what: str = "", version: int | None = None):
        self.current = current
        self.version = current.version if version is None else version
        what = what or str(current._meta.verbose_name)
        super().__init__(
            f"Someone else changed this {what} after you opened this page. What it holds now is shown "
            "under “Saved since you opened this page”, and what you typed is still in the form: check "
            "both, then save again to keep your version.",
            code="stale",
        )


def row_lock(instance: M) -> M:
    """The row as it is now, locked until the transaction ends. Call inside `transaction.atomic()`
    and check the change's precondition again on what this returns, not on `instance`."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def version_claim(instance: M, *, read_version: int | None, what: str = "") -> M:
    """Lock the row, reload `instance` from it, and refuse (`StaleRecord`) when it changed since
    `read_version`; otherwise move its version on by one and return it. Check the change's
    preconditions on it, set the new values and save it in the same transaction (the caller's own
    object is the one reloaded, so callers holding it see the change). `read_version=None` (a
    caller with no form: the demo, an import) skips the comparison but still locks and counts."""
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
    if read_version is not None and instance.version != read_version:
        raise StaleRecord(instance, what=what)
    instance.version += 1
    return instance


def history_claim(parent: M, records: models.QuerySet, *, read_version: int | None, what: str) -> M:
    """For a form that adds one more record to a history (a risk assessment, a SPOC appointment,
    the victim's account): its version is how many records it was read with. Lock `parent` (the
    case) so additions queue, and refuse (`StaleRecord`, showing the newest record) when another
    was added since. `parent` itself is reloaded under the lock (so the caller's object stays the
    one the service changes) and returned: check the addition's preconditions on it."""
    parent.refresh_from_db(from_queryset=type(parent)._default_manager.select_for_update())
    if read_version is not None:
        count = records.count()
        if count != read_version:
            raise StaleRecord(records.order_by("-pk").first(), what=what, version=count)
    return parent


def content_version(*values) -> int:
    """The version of a record that has no `version` column of its own (a staff account and its
    roles, an agency, a person's contact details, a report's assignment, a letter template's
    wording): a checksum of the values its form edits, read when the form is built and again, under
    the row's lock, when it is saved (ADR 0061). A change made and undone in between is not a
    change: the form was read at what the record holds."""
    return zlib.crc32(repr(values).encode("utf-8"))


def content_claim(instance: M, *, read_version: int | None, values: Callable[[M], tuple], what: str) -> M:
    """`version_claim` for a record versioned by its content (`content_version(*values(record))`):
    lock the row, reload `instance` from it, and refuse (`StaleRecord`, carrying the version it
    holds now) when what the form edits changed since the form was read. `read_version=None` (no
    form) skips the comparison but still locks."""
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
    now = content_version(*values(instance))
    if read_version is not None and now != read_version:
        raise StaleRecord(instance, what=what, version=now)
    return instance


def _shown(field: forms.Field, value) -> str:
    """A stored value as the form's own words: a choice by its label, a date as 5 March 2026."""
    if value in (None, "", []):
        return "Not given"
    choices = dict(getattr(field, "choices", None) or ())
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(choices.get(value, choices.get(str(value), value)))


class VersionedForm(forms.Form):
    """An edit form that carries the version of the record it was read at.

    Build it with `initial=TheForm.initial_for(record)` (the version included): the hidden field is
    then required. On an add form (no record yet) the version stays empty and is not checked.
    `initial_for` reads the record's attributes of the same names as the form's fields; a form
    whose fields differ from the model overrides `initial_from`."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        error_messages={
            "required": "This page is out of date: open it again from the case and make your change."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get(VERSION_FIELD) is not None:
            self.fields[VERSION_FIELD].required = True
        self.stale_rows: list[tuple[str, str]] = []

    @classmethod
    def initial_from(cls, record) -> dict:
        return {
            name: getattr(record, name)
            for name in cls.base_fields
            if name != VERSION_FIELD and hasattr(record, name)
        }

    @classmethod
    def initial_for(cls, record) -> dict:
        return {**cls.initial_from(record), VERSION_FIELD: record.version}

    @classmethod
    def initial_for_history(cls, records: models.QuerySet, **initial) -> dict:
        """The initial values of a form adding to a history (`history_claim`): its version is the
        number of records now."""
        return {**initial, VERSION_FIELD: records.count()}

    @property
    def values(self) -> dict:
        """What was typed, without the version (after is_valid): a service's keyword arguments."""
        return {name: value for name, value in self.cleaned_data.items() if name != VERSION_FIELD}

    @property
    def read_version(self) -> int | None:
        """The version the form was read at (after is_valid)."""
        return self.cleaned_data.get(VERSION_FIELD)

    def show_stale(self, error: StaleRecord) -> None:
        """Refuse on the form: the message at the top, the record as it is now under it, what was
        typed kept, and the hidden version moved on to the one now saved."""
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = str(error.version)
        self.data = data
        self.stale_rows = self.describe(error.current)
        typed = getattr(self, "cleaned_data", {})
        differs = [
            str(self.fields[name].label or name)
            for name, value in self.initial_from(error.current).items()
            if name in self.fields
            and name in typed
            and _shown(self.fields[name], value) != _shown(self.fields[name], typed[name])
        ]
        self.add_error(None, error.messages)
        if differs:
            self.add_error(None, f"What is saved now differs from what you typed in: {', '.join(differs)}.")

    def describe(self, record) -> list[tuple[str, str]]:
        """(label, value) rows of what `record` holds now, in the form's own words. A form whose
        fields say little about the record (a cancellation's reason) overrides this."""
        return [
            (str(self.fields[name].label or name), _shown(self.fields[name], value))
            for name, value in self.initial_from(record).items()
            if name in self.fields
        ]


# --- One submission, one effect ------------------------------------------------------------------------

SUBMISSION_TOKEN_FIELD = "submission_token"  # noqa: S105 - a form field's name
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def submission_token_new() -> str:
    """A one-time token for a form whose submission must take effect once (issuing a letter): put
    it in a hidden field; the service stores it, unique, with what it made."""
    return secrets.token_urlsafe(24)


def submission_token_from(data) -> str | None:
    """The token a form came back with, or None when it is missing or not one of ours."""
    token = (data.get(SUBMISSION_TOKEN_FIELD) or "").strip()
    return token if _TOKEN.match(token) else None
