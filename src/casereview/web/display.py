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

#: Stand-ins for the argument, one a path converter of text accepts and one a number's: a URL is
#: reversed once with one and each row's argument put in its place.
_MARK = "zzurlargumentzz"
NUMBER_MARK = 987654321987654321
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


def url_for_each(name: str, mark=_MARK):
    """A function giving ``reverse(name, args=[argument])`` for each argument, reversing once;
    ``mark`` is NUMBER_MARK for a URL whose argument is a number (`<int:pk>`)."""
    mark = str(mark)
    pattern = reverse(name, args=[mark])
    if pattern.count(mark) != 1:
        raise ValueError(f"{name}: the stand-in {mark!r} is not once in {pattern!r}")

    def url(argument) -> str:
        return pattern.replace(mark, quote(str(argument), safe=_SAFE))

    return url
