"""The enforcement rules' reason codes in words, English or Welsh (ADR 0057).

The same mechanism as ``core.reasons``: the core decides in codes with JSON-able parameters
(``core.enforcement.Finding.reason()``), and this module alone turns them into sentences through
the caller's ``Words`` (Django's ``gettext`` for Welsh; the identity for English). Every sentence
ends with the rule it applies: its source (Act and section) and the date it is in force from, so
an officer refused a step sees which law said no, and since when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from casereview.core.reasons import ENGLISH, Words, _date

__all__ = ["ENFORCEMENT_CODES", "kind_words", "render", "rule_words"]


def _upper(text: str) -> str:
    """The first letter upper case, the rest as written ("a CPN" -> "A CPN")."""
    return text[:1].upper() + text[1:]


def kind_words(words: Words, kind: str) -> str:
    """A step's kind as a noun phrase, e.g. "a Community Protection Notice"."""
    _ = words.gettext
    return {
        "warning_letter": _("a warning letter"),
        "second_warning": _("a second warning or meeting"),
        "abc": _("an Acceptable Behaviour Agreement"),
        "cpw": _("a Community Protection Warning"),
        "cpn": _("a Community Protection Notice"),
        "fpn": _("a fixed penalty notice"),
        "civil_injunction": _("a civil injunction"),
        "respect_order": _("a Respect Order"),
        "youth_injunction": _("a youth injunction"),
        "housing_injunction": _("a housing injunction"),
        "cbo": _("a Criminal Behaviour Order"),
        "closure_notice": _("a closure notice"),
        "closure_order": _("a closure order"),
        "dispersal_direction": _("a dispersal direction"),
        "pspo": _("a Public Spaces Protection Order"),
    }[kind]


def agency_words(words: Words, kind: str) -> str:
    _ = words.gettext
    return {
        "council": _("the council"),
        "police": _("the police"),
        "housing": _("a social housing provider"),
        "health": _("a health body"),
        "other": _("another organisation"),
    }[kind]


def duty_words(words: Words, duty: str) -> str:
    _ = words.gettext
    return {
        "occupants_informed": _("informing the people who live at the premises"),
        "appropriate_consulted": _("consulting those the agency thinks appropriate"),
        "yot_consulted": _("consulting the youth offending team"),
        "youth_services_engaged": _("engaging youth services"),
        "vulnerability_risk_assessment": _("assessing the person's vulnerabilities and the risks"),
        "convicted": _("a conviction"),
    }.get(duty, duty)


def rule_words(words: Words, params: dict) -> str:
    """ "(Anti-social Behaviour, Crime and Policing Act 2014, s.43(1), in force from 20 October 2014)"."""
    _ = words.gettext
    since = params.get("_in_force_from")
    if since:
        # Translators: the rule a decision applies: %(source)s is an Act and section (kept in English).
        return _("(%(source)s, in force from %(date)s)") % {
            "source": params["_source"],
            "date": _date(words, since),
        }
    return f"({params.get('_source', '')})"


def render(reason: Sequence, words: Words = ENGLISH) -> str:
    """One enforcement reason as a sentence with its rule, in ``words``' language."""
    code, params = reason[0], dict(reason[1])
    try:
        sentence = _SENTENCES[code]
    except KeyError:
        raise ValueError(f"unknown enforcement reason code {code!r}") from None
    # A sentence may begin with a placeholder ("a CPN can only …"): its first letter goes up here,
    # so the placeholder stays lower case where a translation puts it mid-sentence.
    text = _upper(sentence(words, params))
    if "_source" in params:
        text = f"{text} {rule_words(words, params)}"
    return text


def _power_not_in_force(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The power to use %(kind)s is not in force on %(date)s.") % {
        "kind": kind_words(words, p["kind"]),
        "date": _date(words, p["on"]),
    }


def _agency_may_not(words: Words, p: dict) -> str:
    _ = words.gettext
    allowed = [agency_words(words, kind) for kind in p["allowed"]]
    # Translators: %(allowed)s lists who may, e.g. "the council, the police, a social housing provider".
    return _("%(agency)s may not use %(kind)s; only %(allowed)s may.") % {
        "agency": agency_words(words, p["agency_kind"]),
        "kind": kind_words(words, p["kind"]),
        "allowed": ", ".join(allowed),
    }


def _premises_only(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("%(kind)s is about premises, not a person.") % {"kind": kind_words(words, p["kind"])}


def _person_only(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("%(kind)s is made against a person, not premises.") % {"kind": kind_words(words, p["kind"])}


def _not_an_area_power(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("%(kind)s is not an area power.") % {"kind": kind_words(words, p["kind"])}


def _cpw_needs_time(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "A Community Protection Warning must give the person time to change their conduct: enter the date "
        "by which they must comply, after the day it is given."
    )


def _cpn_needs_warning(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "A Community Protection Notice can only follow a written warning: give a Community Protection "
        "Warning first, with time to comply."
    )


def _cpw_without_time(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The Community Protection Warning given on %(date)s records no date by which the person had to "
        "comply, so it cannot be shown that the time to comply has passed."
    ) % {"date": _date(words, p["warned_on"])}


def _cpn_too_soon(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The Community Protection Warning given on %(warned)s gave until %(comply_by)s to comply. A notice "
        "can be issued from %(earliest)s."
    ) % {
        "warned": _date(words, p["warned_on"]),
        "comply_by": _date(words, p["comply_by"]),
        "earliest": _date(words, p["earliest"]),
    }


def _age_unknown(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("This step depends on the person's age: record their date of birth first.")


def _too_young(words: Words, p: dict) -> str:
    _ = words.gettext
    # Translators: e.g. "A Community Protection Notice can only be used for someone aged 16 or over; this
    # person is 15."
    return _("%(kind)s can only be used for someone aged %(minimum)s or over; this person is %(age)s.") % {
        "kind": kind_words(words, p["kind"]),
        "minimum": p["minimum"],
        "age": p["age"],
    }


def _cpn_youth_services(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "This person is %(age)s: a Community Protection Notice for someone under 18 needs youth services "
        "engaged first."
    ) % {"age": p["age"]}


def _fpn_needs_breached_cpn(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A fixed penalty notice needs a Community Protection Notice that has been breached.")


def _injunction_replaced(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("For an adult, the civil injunction has been replaced by the Respect Order.")


def _youth_injunction_adult(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A youth injunction is for someone under 18; this person is %(age)s.") % {"age": p["age"]}


def _yot_not_consulted(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "This person is %(age)s: before applying for %(kind)s for someone under 18 the youth offending team "
        "must be consulted."
    ) % {"age": p["age"], "kind": kind_words(words, p["kind"])}


def _respect_order_adults_only(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A Respect Order is for adults; this person is %(age)s.") % {"age": p["age"]}


def _respect_order_needs_assessment(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "A housing provider must assess the person's vulnerabilities, the risk to others and the "
        "alternatives before applying for a Respect Order."
    )


def _cbo_needs_conviction(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A Criminal Behaviour Order can only be made on conviction: record the conviction first.")


def _closure_occupants_not_informed(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "Before a closure notice is issued, reasonable efforts must be made to inform the people who live at "
        "the premises and anyone with control of or an interest in them."
    )


def _closure_not_consulted(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("Before a closure notice is issued, those the agency thinks appropriate must be consulted.")


def _closure_needs_inspector(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A police closure notice needs the authority of an officer of at least the rank of inspector.")


def _closure_duration_missing(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("Enter how many hours the closure notice lasts: 24, or up to 48 with a senior authorisation.")


def _closure_over_48(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A closure notice lasts at most 48 hours; %(hours)s hours were entered.") % {"hours": p["hours"]}


def _closure_over_24(words: Words, p: dict) -> str:
    _ = words.gettext
    if p["senior"] == "police_superintendent":
        return _(
            "A closure notice of more than 24 hours (%(hours)s were entered) needs the authority of a police "
            "superintendent."
        ) % {"hours": p["hours"]}
    return _(
        "A closure notice of more than 24 hours (%(hours)s were entered) needs the authority of the "
        "council's chief executive or the officer they have designated."
    ) % {"hours": p["hours"]}


def _closure_order_needs_notice(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A closure order follows a closure notice: record the closure notice first.")


def _dispersal_duration_missing(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("Enter how many hours the dispersal direction lasts.")


def _dispersal_too_long(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("A dispersal direction lasts at most %(limit)s hours; %(hours)s were entered.") % {
        "limit": p["limit"],
        "hours": p["hours"],
    }


def _local_duty_missing(words: Words, p: dict) -> str:
    _ = words.gettext
    return _("The local policy requires %(duty)s before %(kind)s.") % {
        "duty": duty_words(words, p["duty"]),
        "kind": kind_words(words, p["kind"]),
    }


def _hearing_due_soon(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The closure order application must be heard by the magistrates by %(deadline)s: %(hours)s hours "
        "after the notice was served."
    ) % {"deadline": p["deadline_text"], "hours": p["hours"]}


def _hearing_overdue(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The deadline for the closure order hearing, %(deadline)s, has passed with no hearing recorded."
    ) % {"deadline": p["deadline_text"]}


def _appeal_out_of_time(words: Words, p: dict) -> str:
    _ = words.gettext
    return _(
        "The appeal was lodged on %(date)s, after the last day to appeal, %(last_day)s. The court decides "
        "whether to hear it: record its decision."
    ) % {"date": _date(words, p["appealed_on"]), "last_day": _date(words, p["last_day"])}


_SENTENCES: dict[str, Callable[[Words, dict], str]] = {
    "power_not_in_force": _power_not_in_force,
    "agency_may_not": _agency_may_not,
    "premises_only": _premises_only,
    "person_only": _person_only,
    "not_an_area_power": _not_an_area_power,
    "cpw_needs_time": _cpw_needs_time,
    "cpn_needs_warning": _cpn_needs_warning,
    "cpw_without_time": _cpw_without_time,
    "cpn_too_soon": _cpn_too_soon,
    "age_unknown": _age_unknown,
    "too_young": _too_young,
    "cpn_youth_services": _cpn_youth_services,
    "fpn_needs_breached_cpn": _fpn_needs_breached_cpn,
    "injunction_replaced": _injunction_replaced,
    "youth_injunction_adult": _youth_injunction_adult,
    "yot_not_consulted": _yot_not_consulted,
    "respect_order_adults_only": _respect_order_adults_only,
    "respect_order_needs_assessment": _respect_order_needs_assessment,
    "cbo_needs_conviction": _cbo_needs_conviction,
    "closure_occupants_not_informed": _closure_occupants_not_informed,
    "closure_not_consulted": _closure_not_consulted,
    "closure_needs_inspector": _closure_needs_inspector,
    "closure_duration_missing": _closure_duration_missing,
    "closure_over_48": _closure_over_48,
    "closure_over_24_needs_senior": _closure_over_24,
    "closure_order_needs_notice": _closure_order_needs_notice,
    "dispersal_duration_missing": _dispersal_duration_missing,
    "dispersal_too_long": _dispersal_too_long,
    "local_duty_missing": _local_duty_missing,
    "hearing_due_soon": _hearing_due_soon,
    "hearing_overdue": _hearing_overdue,
    "appeal_out_of_time": _appeal_out_of_time,
}

#: Every enforcement code the renderer knows.
ENFORCEMENT_CODES = tuple(_SENTENCES)
