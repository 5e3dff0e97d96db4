"""What the staff lists show, made once in Python rather than per row in a template (issue 14:
a list's rows are most of its rendering time).

- `date_as(value, "j M Y")` is Django's `|date:"j M Y"` for a date, character for character, in
  the active language, kept once per date, format and language.
- `url_for_each(name)` reverses a URL once and fills in each row's argument, as `{% url %}` would
  for an argument that needs no quoting rules beyond the path's.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import get_language

_MARK = "zzurlargumentzz"
# What Django's reverse leaves unquoted in a path (django.urls.resolvers, RFC 3986's sub-delims).
_SAFE = "!$&'()*+,;=/~:@"


@lru_cache(maxsize=4096)
def _date_as(value: dt.date, fmt: str, language: str | None) -> str:
    return dateformat.format(value, fmt)


def date_as(value: dt.date | None, fmt: str) -> str:
    """`{{ value|date:fmt }}` for a date (not a datetime: no time zone to apply); "" for None."""
    if value is None:
        return ""
    return _date_as(value, fmt, get_language())


def url_for_each(name: str):
    """A function giving ``reverse(name, args=[argument])`` for each argument, reversing once."""
    pattern = reverse(name, args=[_MARK])

    def url(argument) -> str:
        return pattern.replace(_MARK, quote(str(argument), safe=_SAFE))

    return url
