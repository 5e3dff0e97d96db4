"""The one renderer of the threshold decision's reasons: reason codes with parameters -> sentences.

The core decides in codes (``core.threshold`` builds ``(code, params)`` pairs, JSON-able: dates as
ISO strings, periods as the policy wrote them, agencies as their kind) and this module alone turns
them into words. The same codes give the English of ``casereview threshold`` (contracts §3) and,
through Django's translation machinery, the Welsh of a letter: the caller passes ``Words`` with
the ``gettext``/``ngettext`` to use and the language of dates. With the default ``Words`` the text
is the English, character for character, that the core has always written.

Every sentence is marked ``_()``/``ngettext()`` so ``make messages`` finds it for the Welsh
catalogue (``locale/cy``); a comment starting "Translators:" goes to the translator with it. No
Django import here: the core stays pure, and the caller's ``gettext`` does the translating.

A stored decision keeps its codes (``ThresholdDecision.reason_codes``), so a letter renders what
was decided, in the reader's language, without reading today's policy (ADR 0039).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from casereview.core.dates import format_date
from casereview.core.periods import DAYS, MONTHS, WEEKS, WORKING_DAYS, Duration

#: One reason: its code and its parameters (JSON-able).
Reason = tuple[str, dict[str, Any]]


def _same(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


@dataclass(frozen=True)
class Words:
    """How to write: the translation functions and the language of dates (``en`` or ``cy``)."""

    gettext: Callable[[str], str] = _same
    ngettext: Callable[[str, str, int], str] = _english_plural
    language: str = "en"


ENGLISH = Words()


# --- Small pieces ------------------------------------------------------------------------------


def _date(words: Words, value: str | date) -> str:
    if isinstance(value, str):
        return _iso_date_words(words.language, value)
    return format_date(value, language=words.language)


@lru_cache(maxsize=4096)
def _iso_date_words(language: str, value: str) -> str:
    """A date given as ISO text, in words: an explanation names the same few days many times over
    (issue 14: the threshold path for 500 reports), so each is written once."""
    return format_date(date.fromisoformat(value), language=language)


def period_words(words: Words, text: str) -> str:
    """A policy period ("30 days") in ``words``' language (for letters quoting a policy's deadline)."""
    return _period(words, text)


def _period(words: Words, text: str) -> str:
    """A policy period ("30 days") in words; the same msgids as the public pages use."""
    if words is ENGLISH:
        return _english_once(_ENGLISH_PERIODS, text, _period_words, text)
    return _period_words(words, text)


_ENGLISH_PERIODS: dict[str, str] = {}


def _english_once(kept: dict, key, write: Callable[[Words, Any], str], value) -> str:
    """The default English's words for `key`, ``write(ENGLISH, value)``, written once and kept (at
    most about a thousand): the default English never changes. (Another Words translates through a
    gettext that may follow the active language: never cached.)"""
    found = kept.get(key)
    if found is None:
        if len(kept) > 1024:
            kept.clear()
        found = kept[key] = write(ENGLISH, value)
    return found


def _period_words(words: Words, text: str) -> str:
    period = Duration.parse(text, allow_zero=True)
    ngettext = words.ngettext
    forms = {
        DAYS: ngettext("%(count)s day", "%(count)s days", period.amount),
        WORKING_DAYS: ngettext("%(count)s working day", "%(count)s working days", period.amount),
        WEEKS: ngettext("%(count)s week", "%(count)s weeks", period.amount),
        MONTHS: ngettext("%(count)s month", "%(count)s months", period.amount),
    }
    return forms[period.unit] % {"count": period.amount}


def _join(words: Words, items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the reader's language."""
    _ = words.gettext
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # Translators: the last two items of a list, e.g. "the police on 3 May 2025 and the council
    # on 4 May 2025"; the items before them are joined by a comma.
    template = _("%(first)s and %(last)s")
    first, last = ", ".join(items[:-1]), items[-1]
    if words.language == "cy" and template.endswith(_WELSH_AND):
        return template[: -len(_WELSH_AND)] % {"first": first} + _welsh_and(last)
    return template % {"first": first, "last": last}


# Welsh "a" (and) before the last item: "ac" before a vowel (w and y are vowels: "ac Wrecsam",
# "ac ym mis Mai"), and with the article "y"/"yr" it becomes "a’r" ("yr heddlu a’r cyngor").
_WELSH_AND = " a %(last)s"
_WELSH_VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ")


def _welsh_and(last: str) -> str:
    """ " a …", " ac …" or " a’r …": the Welsh conjunction with the last item of a list."""
    for article in ("yr ", "y ", "Yr ", "Y "):
        if last.startswith(article):
            return " a’r " + last[len(article) :]
    if last[:1].lower() in _WELSH_VOWELS:
        return " ac " + last
    return " a " + last


def to_agency(words: Words, kind: str) -> str:
    """ "to the council": whom a report was made to, with its preposition (Welsh mutates after it:
    "i’r cyngor", "i ddarparwr tai cymdeithasol")."""
    if words is ENGLISH and kind in _ENGLISH_TO_AGENCY:
        return _ENGLISH_TO_AGENCY[kind]
    return _to_agency(words, kind)


def _to_agency(words: Words, kind: str) -> str:
    _ = words.gettext
    return {
        # Translators: whom a report was made to, as in "it was reported to the council".
        "council": _("to the council"),
        # Translators: whom a report was made to, as in "it was reported to the police".
        "police": _("to the police"),
        # Translators: whom a report was made to (a housing association or council landlord).
        "housing": _("to a social housing provider"),
        # Translators: whom a report was made to; in Wales the local NHS body is the Local Health Board.
        "health": _("to the local NHS (the integrated care board)"),
        # Translators: whom a report was made to when the Act does not count it (a charity, say).
        "other": _("to an organisation that is not a relevant body"),
    }[kind]


_ENGLISH_TO_AGENCY = {
    kind: _to_agency(ENGLISH, kind) for kind in ("council", "police", "housing", "health", "other")
}


def _relevant_bodies(words: Words) -> str:
    _ = words.gettext
    # Translators: the four kinds of "relevant body" of the Anti-social Behaviour, Crime and Policing
    # Act 2014 whose reports count towards the threshold.
    return _("the council, the police, a social housing provider or the local NHS")


def _window(words: Words, window: Mapping[str, str]) -> str:
    if words is ENGLISH:
        key = (window["length"], window["first"], window["last"])
        return _english_once(_ENGLISH_WINDOWS, key, _window_words, window)
    return _window_words(words, window)


_ENGLISH_WINDOWS: dict[tuple[str, str, str], str] = {}


def _window_words(words: Words, window: Mapping[str, str]) -> str:
    _ = words.gettext
    # Translators: the threshold's window, e.g. "the 6 months before the application (16 October
    # 2024 to 15 April 2025)".
    return _("the %(length)s before the application (%(first)s to %(last)s)") % {
        "length": _period(words, window["length"]),
        "first": _date(words, window["first"]),
        "last": _date(words, window["last"]),
    }


def _count(words: Words, count: int, what: str) -> str:
    ngettext = words.ngettext
    forms = {
        # Translators: a number of qualifying complaints (the Act's term), e.g. "3 qualifying complaints".
        "qualifying complaint": ngettext(
            "%(count)s qualifying complaint", "%(count)s qualifying complaints", count
        ),
        # Translators: a number of reports of anti-social behaviour to an agency.
        "report": ngettext("%(count)s report", "%(count)s reports", count),
        # Translators: a number of incidents of anti-social behaviour.
        "incident": ngettext("%(count)s incident", "%(count)s incidents", count),
        # Translators: a number of people who reported anti-social behaviour ("1 person", "2 different
        # people").
        "person": ngettext("%(count)s person", "%(count)s different people", count),
    }
    return forms[what] % {"count": count}


def _incident_on(words: Words, incident: Mapping[str, str]) -> str:
    _ = words.gettext
    # Translators: an incident by its date and reference, e.g. "the incident on 3 May 2025 (I2)".
    return _("the incident on %(date)s (%(ref)s)") % {
        "date": _date(words, incident["occurred_on"]),
        "ref": incident["ref"],
    }


# --- The sentences -----------------------------------------------------------------------------


def render(reason: Sequence, words: Words = ENGLISH) -> str:
    """One reason code with its parameters as a sentence (or sentences) in ``words``' language."""
    code, params = reason[0], reason[1]
    sentence = _SENTENCES.get(code) or _PANEL_SENTENCES.get(code)
    if sentence is None:
        raise ValueError(f"unknown reason code {code!r}")
    # The sentences only read their parameters: a dict (the core's codes, a stored decision's
    # JSON) is passed as it is, any other mapping as a dict.
    return sentence(words, params if type(params) is dict else dict(params))


def render_all(reasons: Iterable[Sequence], words: Words = ENGLISH) -> list[str]:
    return [render(reason, words) for reason in reasons]


def render_paragraphs(paragraphs: Iterable[Iterable[Sequence]], words: Words = ENGLISH) -> str:
    """The explanation: each paragraph a list of reasons, sentences joined by a space."""
    return "\n\n".join(" ".join(render_all(paragraph, words)) for paragraph in paragraphs)


def _diary_sheet_excluded(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "This incident was recorded on a diary sheet. Under this procedure diary sheets are not "
        "qualifying complaints, so it does not count."
    )


def _no_reports(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("No report of this incident to any organisation is recorded, so it cannot count.")


def _qualifying(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(within)s is a period such as "30 days"; %(window)s is "the 6 months before the
    # application (… to …)".
    return _(
        "This counts as a qualifying complaint: it was reported %(to_agency)s on %(date)s, within "
        "%(within)s of it happening, and within %(window)s."
    ) % {
        "to_agency": to_agency(words, p["agency"]),
        "date": _date(words, p["reported_on"]),
        "within": _period(words, p["report_within"]),
        "window": _window(words, p["window"]),
    }


def _also(words: Words, also: list[dict]) -> str:
    _ = words.gettext
    items = [
        # Translators: one more report of the same incident, e.g. "to the police on 3 May 2025";
        # %(to_agency)s is e.g. "to the police".
        _("%(to_agency)s on %(date)s")
        % {"to_agency": to_agency(words, r["agency"]), "date": _date(words, r["reported_on"])}
        for r in also
    ]
    if len(items) <= 1:
        return "".join(items)
    # Translators: the last two of a list of reports, each starting "to …" (Welsh: "ac i’r …").
    return _("%(reports)s and %(last_report)s") % {"reports": ", ".join(items[:-1]), "last_report": items[-1]}


def _also_counted_once(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(also)s lists the other reports, e.g. "to the police on 3 May 2025".
    return _("It was also reported %(also)s. That is the same incident, so it is counted once.") % {
        "also": _also(words, p["also"])
    }


def _also_each_counts(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(also)s lists the other reports; %(count)s is e.g. "2 qualifying complaints".
    return _(
        "It was also reported %(also)s. Under this procedure each report counts separately, so this "
        "incident counts as %(count)s."
    ) % {"also": _also(words, p["also"]), "count": _count(words, p["count"], "qualifying complaint")}


def _other_complainant(words: Words, p: dict) -> str:
    _ = words.gettext
    values = {"to_agency": to_agency(words, p["agency"]), "date": _date(words, p["reported_on"])}
    if p.get("counts_for_multiple"):
        return (
            _(
                "The report %(to_agency)s on %(date)s was made by another complainant, not the victim, so "
                "it is not one of the victim's qualifying complaints; it does count towards the route for "
                "reports by several people."
            )
            % values
        )
    return (
        _(
            "The report %(to_agency)s on %(date)s was made by another complainant, not the victim, so it "
            "is not one of the victim's qualifying complaints."
        )
        % values
    )


def _not_relevant_body(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(bodies)s is the list "the council, the police, a social housing provider or the
    # local NHS".
    return _(
        "The report on %(date)s was made to an organisation that is not one of the relevant bodies "
        "(%(bodies)s), so it is kept on record but cannot count towards the threshold."
    ) % {"date": _date(words, p["reported_on"]), "bodies": _relevant_bodies(words)}


def _too_late(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The report %(to_agency)s on %(date)s was too late to count: it needed to be made by %(by)s, "
        "within %(within)s of the incident on %(occurred)s."
    ) % {
        "to_agency": to_agency(words, p["agency"]),
        "date": _date(words, p["reported_on"]),
        "by": _date(words, p["report_by"]),
        "within": _period(words, p["report_within"]),
        "occurred": _date(words, p["occurred_on"]),
    }


def _before_window(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The report %(to_agency)s on %(date)s is too old to count: only reports made within %(window)s count."
    ) % {
        "to_agency": to_agency(words, p["agency"]),
        "date": _date(words, p["reported_on"]),
        "window": _window(words, p["window"]),
    }


def _after_application(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The report %(to_agency)s on %(date)s was made after the application (made on %(applied)s), so "
        "it cannot count towards it."
    ) % {
        "to_agency": to_agency(words, p["agency"]),
        "date": _date(words, p["reported_on"]),
        "applied": _date(words, p["application_date"]),
    }


def _hate_counts(words: Words, p: dict) -> str:
    _ = words.gettext
    if p.get("action_group_required"):
        return _(
            "It is a hate incident that has been to the Hate and ASB Action Group, so it counts towards "
            "the hate incident route."
        )
    return _("It is a hate incident, so it counts towards the hate incident route.")


def _hate_no_action_group(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "It is a hate incident, but it has not been to the Hate and ASB Action Group, so it does not "
        "count towards the hate incident route."
    )


def _hate_not_counted(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "It is a hate incident, but it does not count towards the hate incident route, which needs a "
        "report by the victim to %(bodies)s within %(within)s of it happening and within %(window)s."
    ) % {
        "bodies": _relevant_bodies(words),
        "within": _period(words, p["report_within"]),
        "window": _window(words, p["window"]),
    }


def _ineligible(words: Words, p: dict) -> str:
    _ = words.gettext
    why = p["why"]
    if why == "anonymous":
        return _(
            "The applicant has asked to remain anonymous. An ASB Case Review cannot be carried out "
            "anonymously, because the agencies need to identify the reports that were made and to "
            "contact the victim."
        )
    if why == "cps_decision":
        return _(
            "It asks for a review of a Crown Prosecution Service decision about prosecuting a criminal "
            "offence. The ASB Case Review cannot review those decisions."
        )
    if why == "court_decision":
        return _(
            "It is about a decision made by a civil or criminal court. The ASB Case Review cannot review "
            "court decisions."
        )
    if why == "service_provision_only":
        return _(
            "It is a complaint about the service received only. The ASB Case Review is not a complaints "
            "procedure: the complaints procedure of the organisation concerned is the right route."
        )
    if why == "consent_refused":
        return _(
            "It was made on the victim's behalf, and the victim has not given their consent to the "
            "application."
        )
    raise ValueError(f"unknown ineligibility {why!r}")


def _cannot_accept(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("We cannot accept the application made on %(applied)s for an ASB Case Review.") % {
        "applied": _date(words, p["application_date"])
    }


def _awaiting_consent(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The application made on %(applied)s was made on the victim's behalf. Before it can be "
        "considered, we need the victim's consent, so we will ask the victim for it. No decision has yet "
        "been made on whether the threshold for an ASB Case Review is met."
    ) % {"applied": _date(words, p["application_date"])}


def _met(words: Words, p: dict) -> str:
    _ = words.gettext
    ngettext = words.ngettext
    applied = _date(words, p["application_date"])
    route = p["route"]
    if route == "qualifying_complaints":
        count = p["count"]
        # Translators: %(count)s is e.g. "3 qualifying complaints" (plural chosen by the number %(n)s).
        return ngettext(
            "The application made on %(applied)s meets the threshold for an ASB Case Review, because "
            "%(count)s was made.",
            "The application made on %(applied)s meets the threshold for an ASB Case Review, because "
            "%(count)s were made.",
            count,
        ) % {"applied": applied, "count": _count(words, count, "qualifying complaint"), "n": count}
    if route == "hate_incident":
        incidents = p["incidents"]
        dates = _join(
            words,
            (f"{_date(words, i['occurred_on'])} ({i['ref']})" for i in incidents),
        )
        # Translators: %(dates)s lists the incidents, e.g. "3 May 2025 (I2)".
        return ngettext(
            "The application made on %(applied)s meets the threshold for an ASB Case Review, because of "
            "the hate incident on %(dates)s.",
            "The application made on %(applied)s meets the threshold for an ASB Case Review, because of "
            "the hate incidents on %(dates)s.",
            len(incidents),
        ) % {"applied": applied, "dates": dates}
    if route == "multiple_complainants":
        reports = p["reports"]
        # Translators: %(reports)s is e.g. "4 reports", %(people)s e.g. "2 different people".
        return ngettext(
            "The application made on %(applied)s meets the threshold for an ASB Case Review, because "
            "%(reports)s was made by %(people)s.",
            "The application made on %(applied)s meets the threshold for an ASB Case Review, because "
            "%(reports)s were made by %(people)s.",
            reports,
        ) % {
            "applied": applied,
            "reports": _count(words, reports, "report"),
            "people": _count(words, p["reporters"], "person"),
        }
    return _(
        "The application made on %(applied)s meets the threshold for an ASB Case Review, because a senior "
        "manager has asked for a review to safeguard a vulnerable victim."
    ) % {"applied": applied}


def _not_met(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The application made on %(applied)s does not meet the threshold for an ASB Case Review.") % {
        "applied": _date(words, p["application_date"])
    }


def _rule_opening(words: Words, p: dict) -> str:
    ngettext = words.ngettext
    needed = p["needed"]
    count = _count(words, needed, "qualifying complaint")
    if p.get("one_way"):
        # Translators: %(count)s is e.g. "3 qualifying complaints".
        return words.gettext("One way the threshold is met is by at least %(count)s.") % {"count": count}
    return ngettext(
        "The threshold is met when at least %(count)s has been made.",
        "The threshold is met when at least %(count)s have been made.",
        needed,
    ) % {"count": count}


def _rule_definition(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "A qualifying complaint is an incident reported to %(bodies)s within %(within)s of it happening, "
        "with the report made within %(window)s."
    ) % {
        "bodies": _relevant_bodies(words),
        "within": _period(words, p["report_within"]),
        "window": _window(words, p["window"]),
    }


def _rule_dedupe(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("An incident reported to more than one of them counts once.")


def _rule_diary_sheets(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("Incidents recorded on diary sheets do not count.")


def _rule_latest(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The most recent qualifying complaint must have been made within %(window)s.") % {
        "window": _window(words, p["window"])
    }


def _counted(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(count)s is e.g. "3 qualifying complaints"; %(incidents)s lists "the incident on
    # 3 May 2025 (I1)" and so on.
    return _("We counted %(count)s, from %(incidents)s.") % {
        "count": _count(words, p["count"], "qualifying complaint"),
        "incidents": _join(words, (_incident_on(words, i) for i in p["incidents"])),
    }


def _none_counted(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("None of the incidents counted.")


def _no_incidents(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("No incidents were given with the application.")


def _latest_too_old(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The most recent qualifying complaint was made on %(latest)s, before %(first)s, so this part of "
        "the threshold is not met."
    ) % {"latest": _date(words, p["latest"]), "first": _date(words, p["first"])}


def _incident_did_not_count(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The incident on %(date)s (%(ref)s) did not count.") % {
        "date": _date(words, p["occurred_on"]),
        "ref": p["ref"],
    }


def _hate_route_also(words: Words, p: dict) -> str:
    _ = words.gettext
    ngettext = words.ngettext
    needed = p["min_incidents"]
    values = {"window": _window(words, p["window"]), "needed": needed}
    group = bool(p.get("action_group_required"))
    if needed == 1 and group:
        rule = _(
            "The threshold is also met by a single hate incident that has been to the Hate and ASB Action "
            "Group, reported by the victim within %(window)s;"
        )
    elif needed == 1:
        rule = _(
            "The threshold is also met by a single hate incident, reported by the victim within %(window)s;"
        )
    elif group:
        # Translators: %(needed)s is the number of hate incidents the route needs (2 or more).
        rule = ngettext(
            "The threshold is also met by %(needed)s hate incident that has been to the Hate and ASB "
            "Action Group, reported by the victim within %(window)s;",
            "The threshold is also met by %(needed)s hate incidents that have been to the Hate and ASB "
            "Action Group, reported by the victim within %(window)s;",
            needed,
        )
    else:
        # Translators: %(needed)s is the number of hate incidents the route needs (2 or more).
        rule = ngettext(
            "The threshold is also met by %(needed)s hate incident, reported by the victim within "
            "%(window)s;",
            "The threshold is also met by %(needed)s hate incidents, reported by the victim within "
            "%(window)s;",
            needed,
        )
    met = p["met"]
    if met:
        # Translators: the end of the sentence above; %(count)s is e.g. "1 incident".
        end = _("%(count)s met this, which is not enough.") % {"count": _count(words, met, "incident")}
    else:
        # Translators: the end of the sentence above.
        end = _("none of the incidents met this.")
    return f"{rule % values} {end}"


def _multiple_route_also(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(min_reports)s e.g. "4 reports", %(min_people)s e.g. "2 different people",
    # %(reports)s and %(people)s the same for what was counted.
    return _(
        "The threshold is also met by %(min_reports)s to the relevant bodies by at least %(min_people)s "
        "within %(window)s; we counted %(reports)s by %(people)s."
    ) % {
        "min_reports": _count(words, p["min_reports"], "report"),
        "min_people": _count(words, p["min_reporters"], "person"),
        "window": _window(words, p["window"]),
        "reports": _count(words, p["reports"], "report"),
        "people": _count(words, p["reporters"], "person"),
    }


def _discretion(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "Even though the threshold is not met, the relevant bodies may still decide to carry out a review. "
        "In deciding, they will consider how persistent the anti-social behaviour has been, the harm or "
        "potential harm it has caused, and whether the response to it has been adequate."
    )


_SENTENCES: dict[str, Callable[[Words, dict], str]] = {
    # An incident's reasons.
    "diary_sheet_excluded": _diary_sheet_excluded,
    "no_reports": _no_reports,
    "qualifying": _qualifying,
    "also_reported_counted_once": _also_counted_once,
    "also_reported_each_counts": _also_each_counts,
    "other_complainant": _other_complainant,
    "not_relevant_body": _not_relevant_body,
    "too_late": _too_late,
    "before_window": _before_window,
    "after_application": _after_application,
    "hate_counts": _hate_counts,
    "hate_no_action_group": _hate_no_action_group,
    "hate_not_counted": _hate_not_counted,
    # Why an application is not eligible.
    "ineligible": _ineligible,
    # The explanation.
    "cannot_accept": _cannot_accept,
    "awaiting_consent": _awaiting_consent,
    "met": _met,
    "not_met": _not_met,
    "rule_opening": _rule_opening,
    "rule_definition": _rule_definition,
    "rule_dedupe": _rule_dedupe,
    "rule_diary_sheets": _rule_diary_sheets,
    "rule_latest": _rule_latest,
    "counted": _counted,
    "none_counted": _none_counted,
    "no_incidents": _no_incidents,
    "latest_too_old": _latest_too_old,
    "incident_did_not_count": _incident_did_not_count,
    "hate_route_also": _hate_route_also,
    "multiple_route_also": _multiple_route_also,
    "discretion": _discretion,
}

#: Every code the renderer knows (the stored decisions' vocabulary; docs/policies.md lists them).
REASON_CODES = tuple(_SENTENCES)


# --- The standing panels' reasons (core/panel_kinds.py) ----------------------------------------
# Kept apart from the threshold decision's vocabulary (REASON_CODES): a different decision, with
# its own stored codes (PANEL_REASON_CODES).


def vulnerability_words(words: Words, factor: str) -> str:
    _ = words.gettext
    return {
        # Translators: a kind of vulnerability recorded on a referral to a multi-agency panel.
        "mental_health": _("mental health"),
        "physical_health_or_disability": _("physical health or disability"),
        "learning_disability": _("learning disability"),
        "age": _("age"),
        "substance_use": _("substance use"),
        "social_isolation": _("social isolation"),
        "financial_exploitation": _("financial exploitation"),
        "other": _("another vulnerability"),
    }[factor]


def risk_level_words(words: Words, level: str) -> str:
    _ = words.gettext
    return {
        # Translators: a risk level, as in "the risk is high".
        "high": _("high"),
        # Translators: a risk level, as in "the risk is medium".
        "medium": _("medium"),
        # Translators: a risk level, as in "the risk is low".
        "low": _("low"),
    }[level]


def _referral_vulnerability_met(words: Words, p: dict) -> str:
    _ = words.gettext
    factors = _join(words, (vulnerability_words(words, f) for f in p["factors"]))
    # A household or an address (ADR 0076): vulnerability is a person's, so say whose.
    if p.get("subject") == "household":
        # Translators: %(factors)s e.g. "mental health and social isolation".
        return _("Vulnerability: met — the referral records %(factors)s in the household.") % {
            "factors": factors
        }
    if p.get("subject") == "address":
        # Translators: %(factors)s e.g. "mental health and social isolation".
        return _(
            "Vulnerability: met — the referral records %(factors)s of someone living at the address."
        ) % {"factors": factors}
    # Translators: %(factors)s e.g. "mental health and social isolation".
    return _("Vulnerability: met — the referral records %(factors)s.") % {"factors": factors}


def _referral_vulnerability_not_met(words: Words, p: dict) -> str:
    _ = words.gettext
    if p.get("subject") == "household":
        return _(
            "Vulnerability: not met — the referral records no vulnerability. Say what makes a member "
            "of the household vulnerable."
        )
    if p.get("subject") == "address":
        return _(
            "Vulnerability: not met — vulnerability is a person's, and the referral records none. Say "
            "what makes someone living at the address vulnerable, or refer them as a person or a "
            "household."
        )
    return _(
        "Vulnerability: not met — the referral records no vulnerability. Say what makes the person "
        "vulnerable."
    )


def _hotspot_figures(words: Words, p: dict) -> dict:
    """The hotspot criterion's figures, as its two sentences put them."""
    return {
        "reports": _count(words, p["reports"], "report"),
        "location": p["location"],
        "first": _date(words, p["first"]),
        "last": _date(words, p["last"]),
        "more_than": p["more_than"],
    }


def _referral_hotspot_met(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: the Enhanced Partnership Response's criterion; %(reports)s e.g. "9 reports",
    # %(first)s and %(last)s dates, %(more_than)s a number.
    return _(
        "Hotspot: met — %(reports)s at %(location)s from %(first)s to %(last)s; a hotspot has more "
        "than %(more_than)s."
    ) % _hotspot_figures(words, p)


def _referral_hotspot_not_met(words: Words, p: dict) -> str:
    _ = words.gettext
    if p.get("subject") != "address":
        return _(
            "Hotspot: not met — the panel hears a place, not a person or a household. Refer the address."
        )
    if "reports" not in p:
        return _(
            "Hotspot: not met — the report log has no hotspot rule to count the address by. Ask the "
            "community safety team."
        )
    return _(
        "Hotspot: not met — %(reports)s at %(location)s from %(first)s to %(last)s; a hotspot has "
        "more than %(more_than)s. Check the address is written as the report log records it."
    ) % _hotspot_figures(words, p)


def _referral_risk_met(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("Risk: met — the risk is %(level)s; the panel hears cases at %(min_level)s risk or above.") % {
        "level": risk_level_words(words, p["level"]),
        "min_level": risk_level_words(words, p["min_level"]),
    }


def _referral_risk_not_met(words: Words, p: dict) -> str:
    _ = words.gettext
    if p.get("level") is None:
        return _("Risk: not met — the risk has not been assessed. Complete the risk questions.")
    return _(
        "Risk: not met — the risk is %(level)s; the panel hears cases at %(min_level)s risk or above."
    ) % {
        "level": risk_level_words(words, p["level"]),
        "min_level": risk_level_words(words, p["min_level"]),
    }


def _referral_asb_met(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "Anti-social behaviour: met — %(reports)s recorded; the panel needs at least %(min_reports)s."
    ) % {
        "reports": _count(words, p["reports"], "report"),
        "min_reports": _count(words, p["min_reports"], "report"),
    }


def _referral_asb_not_met(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "Anti-social behaviour: not met — %(reports)s recorded; the panel needs at least %(min_reports)s."
    ) % {
        "reports": _count(words, p["reports"], "report"),
        "min_reports": _count(words, p["min_reports"], "report"),
    }


def _referral_criteria_met(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The referral meets every criterion of the panel.")


def _referral_criteria_not_met(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(count)s is how many of the panel's criteria are not met (1, 2 or 3).
    return _(
        "The referral does not meet %(count)s of the panel's criteria; it can be heard once it does."
    ) % {"count": len(p["unmet"])}


def _risk_scored(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: %(tool)s is the risk tool's name as the policy gives it.
    return _(
        "%(tool)s: a score of %(score)s, so the risk is %(level)s (medium from %(medium_from)s, high from "
        "%(high_from)s)."
    ) % {**p, "level": risk_level_words(words, p["level"])}


def _risk_factor(words: Words, p: dict) -> str:
    _ = words.gettext
    question = p["label_cy"] if words.language == "cy" else p["label"]
    # Translators: %(question)s is the risk tool's question (the policy gives it in both languages);
    # %(weight)s the points a yes adds.
    return _("Answered yes: %(question)s (adds %(weight)s).") % {"question": question, "weight": p["weight"]}


def _close_needs_reason(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("Give the reason the case is closing.")


def _close_needs_panel_agreement(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The panel must agree the case can close: record the meeting's agreement first.")


def _close_risk_still_high(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The risk is still high: the case stays open until the panel reduces it.")


def _close_allowed(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The case may close: the reason is given and the panel agreed.")


_PANEL_SENTENCES: dict[str, Callable[[Words, dict], str]] = {
    "referral_vulnerability_met": _referral_vulnerability_met,
    "referral_vulnerability_not_met": _referral_vulnerability_not_met,
    "referral_risk_met": _referral_risk_met,
    "referral_risk_not_met": _referral_risk_not_met,
    "referral_asb_met": _referral_asb_met,
    "referral_asb_not_met": _referral_asb_not_met,
    "referral_hotspot_met": _referral_hotspot_met,
    "referral_hotspot_not_met": _referral_hotspot_not_met,
    "referral_criteria_met": _referral_criteria_met,
    "referral_criteria_not_met": _referral_criteria_not_met,
    "risk_scored": _risk_scored,
    "risk_factor": _risk_factor,
    "close_needs_reason": _close_needs_reason,
    "close_needs_panel_agreement": _close_needs_panel_agreement,
    "close_risk_still_high": _close_risk_still_high,
    "close_allowed": _close_allowed,
}

#: Every code of the standing panels' decisions (core/panel_kinds.py).
PANEL_REASON_CODES = tuple(_PANEL_SENTENCES)
