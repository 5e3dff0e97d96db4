"""Two officers at once on an edit page (web.concurrency): helpers for the tests that read a form
twice at the same version and show the second save refused, naming what changed, with a link to
open the page again."""

from __future__ import annotations

import html
import re

_VERSION = re.compile(r'name="version" value="(\d+)"')


def form_version(response) -> str:
    """The version an edit page was read at (its hidden field)."""
    found = _VERSION.search(response.content.decode())
    assert found, "the page carries no version field"
    return found.group(1)


def assert_refused_as_stale(response, *, what: str, differs: tuple[str, ...] = ()) -> str:
    """The page refused the save because the record changed since it was read: the message names
    the record, the fields whose saved value differs from what was typed, and links to open the page
    again. Returns the page's text."""
    text = html.unescape(response.content.decode())
    assert response.status_code in (200, 400, 409), response.status_code
    assert f"Someone else changed this {what} after you opened this page" in text, text[:3000]
    assert "Saved since you opened this page" in text
    assert 'id="reload-saved"' in text and "open this page again" in text
    if differs:
        line = re.search(r"What is saved now differs from what you typed in: ([^<.]*)\.", text)
        assert line, "the refusal does not name what changed"
        for label in differs:
            assert label in line.group(1), (label, line.group(1))
    return text


def all_but_the_access_log() -> list:
    """Every product table but the access log, for `unchanged_rows(*all_but_the_access_log())` around
    a refused page: opening and posting a page records the reading of the case on purpose."""
    from casereview.audit.models import AccessEvent
    from tests.conftest import _app_models

    return [model for model in _app_models() if model is not AccessEvent]
