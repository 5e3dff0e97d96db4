"""Reads for the public application: which areas the service covers, their agencies, the dates
a person applying is told about. Nothing here reads a case: the public never sees one."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.utils.translation import ngettext

from casereview.accounts.models import Agency, Partnership
from casereview.core.periods import DAYS, MONTHS, WEEKS, WORKING_DAYS

logger = logging.getLogger(__name__)

#: A full UK postcode, spaces optional (BS 7666 shapes, plus the special GIR 0AA).
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$")


def postcode_normalise(value: str) -> str:
    """'nn11ed' -> 'NN1 1ED'. Callers check the shape with UK_POSTCODE first."""
    compact = re.sub(r"\s+", "", value.upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def partnerships_for_apply() -> list[Partnership]:
    return list(Partnership.objects.order_by("name"))


def _postcode_prefixes(partnership: Partnership) -> tuple[str, ...]:
    """The policy's [postcodes] prefixes; none if the policy cannot be read (logged, not shown to
    the public: the area question falls back to a choice of areas)."""
    from casereview.core.errors import PolicyError

    try:
        return tuple(getattr(partnership.policy, "postcode_prefixes", ()) or ())
    except PolicyError:
        logger.exception("The policy of partnership %s cannot be read", partnership.slug)
        return ()


def area_question() -> str | None:
    """How the journey asks which area the behaviour is in.

    None: one partnership only, so nothing to ask. "postcode": every partnership has said which
    postcodes it covers, so ask for the postcode (a choice follows if it does not settle it).
    "choice": ask the person to choose the area.
    """
    partnerships = partnerships_for_apply()
    if len(partnerships) <= 1:
        return None
    if all(_postcode_prefixes(p) for p in partnerships):
        return "postcode"
    return "choice"


def partnerships_covering_postcode(postcode: str) -> list[Partnership]:
    """The partnerships whose policy covers `postcode`. Postcode districts cross council
    boundaries, so this can be several (or none): the person then chooses."""
    covering = []
    for partnership in partnerships_for_apply():
        if not _postcode_prefixes(partnership):
            continue
        if partnership.policy.covers_postcode(postcode):
            covering.append(partnership)
    return covering


def partnership_for_journey(journey) -> Partnership | None:
    slug = journey.get("partnership")
    if not slug:
        return None
    return Partnership.objects.filter(slug=slug).first()


def agencies_for_apply(partnership: Partnership) -> list[Agency]:
    """The agencies a person can say they reported to: the relevant bodies first, then the rest."""
    order = {"council": 0, "police": 1, "housing": 2, "health": 3, "other": 4}
    return sorted(partnership.agencies.all(), key=lambda a: (order.get(a.kind, 9), a.name))


def acknowledgement_due_on(partnership: Partnership, received_on: dt.date) -> dt.date | None:
    """The day the partnership's policy says an application received on `received_on` must be
    acknowledged by (its `acknowledge` deadline, usually in working days); None if it sets none."""
    policy = partnership.policy
    deadline = policy.deadline("acknowledge")
    if deadline is None:
        return None
    return policy.due_on("acknowledge", received_on)


def acknowledgement_period(partnership: Partnership) -> str:
    """The `acknowledge` deadline in words, e.g. "5 working days"; "" if the policy sets none."""
    deadline = partnership.policy.deadline("acknowledge")
    return period_in_words(deadline.within) if deadline is not None else ""


def period_in_words(period) -> str:
    """A policy's period ("5 working days") in the page's language (the core's own `str` is English)."""
    words = {
        DAYS: ngettext("%(count)s day", "%(count)s days", period.amount),
        WORKING_DAYS: ngettext("%(count)s working day", "%(count)s working days", period.amount),
        WEEKS: ngettext("%(count)s week", "%(count)s weeks", period.amount),
        MONTHS: ngettext("%(count)s month", "%(count)s months", period.amount),
    }.get(period.unit)
    return words % {"count": period.amount} if words else str(period)
