"""The values of each kind's placeholders, built from the records (and the caller's `extra`).

One function per kind. Each reads only what that letter needs. The words a victim reads are marked
for translation: `letter_preview` builds a Welsh letter's values with Welsh active, and a threshold
decision's reasons are rendered from its stored codes (`applications.reasons`), never from today's
policy (ADR 0039). Labels for the redaction check (`data-part`) stay English: staff read them.
The outcome letter reads the action plan itself (only actions with `share_with_victim`) so no
caller can put an unshareable action into a victim's letter. Other apps may register an *extra
provider* for a kind whose content they own (`register_extra_provider`), so the generic preview
and issue pages work for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casereview.applications.reasons import (
    decision_explanation,
    decision_incidents,
    decision_ineligible_reasons,
    reasons_words,
)
from casereview.applications.selectors import Application, Decision, ThresholdDecision
from casereview.core.periods import Duration
from casereview.core.reasons import period_words
from casereview.web.links import apply_url

from .kinds import KINDS
from .models import LetterKind
from .rendering import LetterNotReady, Recipient, _get, block_list, written_date, written_time

_providers: dict[str, Callable] = {}
_issued_elsewhere: set[str] = set()
_action_plan: Callable | None = None
_lpb_review_route: Callable | None = None


def register_extra_provider(kind: str, provider: Callable, *, issued_here: bool = True) -> None:
    """`provider(case) -> dict` supplies `extra` for `kind` when the caller gives none.

    Call it from your AppConfig.ready() (e.g. reviews for "next_steps": the panel date). An explicit
    `extra` passed to letter_preview/letter_issue wins key by key.

    `issued_here=False`: the letter is first issued from the part that owns it (the panel's outcome
    letter, the appeal decision), never from the generic issue page, but the provider lets the
    letters app preview and *correct* an issued one from the case's own records: it is consulted
    only when the caller gives no `extra` (the owning part issues with its own). Such a provider
    raises LetterNotReady when the case has nothing to build the letter from.
    """
    if kind not in KINDS:
        raise KeyError(f"unknown letter kind {kind!r}")
    _providers[kind] = provider
    if issued_here:
        _issued_elsewhere.discard(kind)
    else:
        _issued_elsewhere.add(kind)


def register_action_plan(actions: Callable) -> None:
    """`actions(case, *, shared_only)`: the case's actions in the order a letter lists
    them, with `owner_agency` and `owner`; `shared_only` keeps those shared with the victim. The
    actions app registers it at ready(): letters sit below it (ADR 0037), and the outcome letter
    still reads the plan itself, so no caller can put an unshareable action into it."""
    global _action_plan
    _action_plan = actions


def register_lpb_review_route(route: Callable) -> None:
    """`route(case, issue_date) -> str`: the not-met letter's paragraph on asking the local policing
    body to review the decision (the Crime and Policing Act 2026), in the active language; "" where
    the route is not in force on the letter's date. The lpbreviews app registers it at ready()."""
    global _lpb_review_route
    _lpb_review_route = route


def registered_extra_providers() -> frozenset[str]:
    """The kinds whose `extra` a provider supplies and which the generic issue page may issue."""
    return frozenset(kind for kind in _providers if kind not in _issued_elsewhere)


def correctable_kinds() -> frozenset[str]:
    """The kinds with a provider: an issued letter of these can be corrected from the letter."""
    return frozenset(_providers)


def extra_for(kind: str, case: Application | None, extra: dict | None) -> dict:
    merged: dict = {}
    provider = _providers.get(kind)
    # A kind issued from its own part is issued with that part's own `extra`; its provider is for
    # previews and corrections, when no `extra` is given.
    consulted = provider is not None and case is not None
    if consulted and kind in _issued_elsewhere and extra:
        consulted = False
    if consulted:
        merged.update(provider(case) or {})
    merged.update(extra or {})
    return merged


# --- Recipients ------------------------------------------------------------------------------------


def default_recipient(kind: str, case: Application | None) -> Recipient:
    spec = KINDS[kind]
    if spec.default_recipient == "given" or case is None:
        raise LetterNotReady("Say who this letter is to: it has no default recipient.")
    person = case.victim
    if spec.default_recipient == "applicant" and case.applicant_id:
        person = case.applicant
    return recipient_for_person(person)


def recipient_for_perpetrator(perpetrator) -> Recipient:
    """A letter served on an alleged perpetrator (a warning): their name and address as recorded.
    Not a case Person, so no contact preferences: it goes by post (or by hand) to that address."""
    return Recipient(name=perpetrator.name, address=perpetrator.address)


def recipient_for_person(person) -> Recipient:
    # An applicant who stayed anonymous may have given no name: "Dear Sir or Madam", not "Dear ".
    return Recipient(
        name=str(person) or "Sir or Madam",
        address=person.address,
        postcode=person.postcode,
        email=person.email,
        format_needs=person.format_needs,
        language=person.language,
        person=person,
    )


# --- Helpers -------------------------------------------------------------------------------------


def _event_date(case: Application, kind: str) -> dt.date | None:
    event = case.events.filter(kind=kind).order_by("-occurred_on", "-id").first()
    return event.occurred_on if event else None


def _due(case: Application, deadline: str, fallback: dt.date) -> dt.date | None:
    """The due date of the policy's `deadline`, from its event's date on the timeline (or
    `fallback` — usually the letter's date — when that event has not been recorded yet)."""
    policy = case.partnership.policy
    spec = policy.deadline(deadline)
    if spec is None:
        return None
    start = _event_date(case, spec.from_event) or fallback
    return policy.due_on(deadline, start)


def _latest_decision(case: Application, decision: str, what: str) -> ThresholdDecision:
    latest = case.decisions.order_by("-decided_at", "-id").first()
    if latest is None or latest.decision != decision:
        raise LetterNotReady(
            f"There is no recorded threshold decision that {what}: record the decision first."
        )
    return latest


def _appeal_values(application_or_partnership, issue_date: dt.date, applies_to: str) -> dict:
    partnership = getattr(application_or_partnership, "partnership", application_or_partnership)
    policy = partnership.policy
    deadline = policy.deadline("appeal_window")
    if deadline is None:
        raise LetterNotReady(
            "The local policy sets no appeal_window deadline, so the letter cannot give the date by "
            "which to appeal. Ask an administrator to set [deadlines] appeal_window in the policy."
        )
    appeal_by = policy.due_on("appeal_window", issue_date)
    heard_by = policy.appeals.heard_by if policy.appeals else partnership.name
    grounds = [
        g.label for g in (policy.appeals.grounds if policy.appeals else ()) if applies_to in g.applies_to
    ]
    ground_items = [(f"appeal ground {n}", label) for n, label in enumerate(grounds, start=1)]
    phone, email = partnership.contact_phone, partnership.contact_email
    # Translators: how to contact the partnership: a phone number or an email address.
    contact = (
        _("%(phone)s or %(email)s") % {"phone": phone, "email": email} if phone and email else phone or email
    )
    within = _period(deadline.within)
    # Translators: %(within)s is a period such as "28 days"; %(heard_by)s is who hears appeals (the
    # partnership's own words, which may stay in English).
    route_text = _(
        "You can appeal within %(within)s of the date of this letter. Your appeal will be heard by "
        "%(heard_by)s."
    ) % {"within": within, "heard_by": heard_by}
    if contact:
        # Translators: %(contact)s is a phone number and/or an email address.
        how = _(
            "To appeal, write to us at the address at the top of this letter or contact us on %(contact)s, "
            "quoting your reference, saying which ground you are appealing on and why."
        ) % {"contact": contact}
    else:
        how = _(
            "To appeal, write to us at the address at the top of this letter, quoting your reference, "
            "saying which ground you are appealing on and why."
        )
    route = format_html(
        '<p data-part="the appeal route">{}</p>{}{}<p data-part="how to appeal">{}</p>',
        route_text,
        format_html('<p data-part="the grounds of appeal">{}</p>', _count(len(grounds))) if grounds else "",
        block_list(ground_items),
        how,
    )
    return {
        "appeal_route": route,
        "appeal_by": written_date(appeal_by),
        "appeal_window": within,
        "appeal_heard_by": heard_by,
    }


def _count(n: int) -> str:
    # Translators: introduces the list of the grounds on which the person may appeal.
    return _("You can appeal on this ground:") if n == 1 else _("You can appeal on these grounds:")


def _period(period: Duration) -> str:
    """A policy's period ("28 days") in the letter's language."""
    return period_words(reasons_words(), str(period))


def _spoc_values(case: Application | None, partnership) -> dict:
    spoc = case.spoc if case is not None else None
    if spoc is None:
        return {
            # Translators: who to contact when no single point of contact has been appointed yet.
            "spoc_name": _("the ASB Case Review team"),
            "spoc_job_title": "",
            "spoc_phone": partnership.contact_phone,
            "spoc_email": partnership.contact_email,
        }
    return {
        "spoc_name": spoc.get_full_name() or spoc.username,
        "spoc_job_title": spoc.job_title,
        "spoc_phone": spoc.phone or partnership.contact_phone,
        "spoc_email": spoc.email or partnership.contact_email,
    }


def _recommendations(extra: dict) -> object:
    items = []
    for number, item in enumerate(extra.get("recommendations") or [], start=1):
        if isinstance(item, str):
            text, to = item, ""
        else:
            text, to = str(_get(item, "text")), _get(item, "to", "")
        to = getattr(to, "name", to)  # an Agency, or its name
        # Translators: a panel's recommendation and the agency it is made to.
        items.append(
            (f"recommendation {number}", _("%(text)s (to %(to)s)") % {"text": text, "to": to} if to else text)
        )
    return block_list(items, ordered=True, empty=_("The panel made no recommendations."))


def _actions(case: Application, *, shared_only: bool) -> object:
    actions = _action_plan(case, shared_only=shared_only) if _action_plan else []
    items = []
    for number, action in enumerate(actions, start=1):
        who = action.owner_agency.name
        if not shared_only and action.owner_id:
            who = f"{action.owner.get_full_name() or action.owner.username}, {who}"
        items.append(
            (
                f"action {number} of the action plan",
                # Translators: an agreed action, who does it, and by when.
                _("%(action)s — %(who)s, by %(date)s")
                % {"action": action.description, "who": who, "date": written_date(action.due_on)},
            )
        )
    empty = (
        _("There are no actions we can describe in this letter. Your single point of contact will explain.")
        if shared_only
        else "The panel agreed no actions."  # to partners: English
    )
    return block_list(items, empty=empty)


# --- Where to go instead (ineligible) ----------------------------------------------------------------

WHERE_INSTEAD = {
    # Translators: where to go instead when the application is about a CPS decision.
    "cps_decision": gettext_lazy(
        "If you disagree with a decision by the Crown Prosecution Service (CPS) not to bring or to stop a "
        "prosecution, you can ask the CPS to look at it again under its Victims' Right to Review scheme. The "
        "police officer in the case can tell you how."
    ),
    "court_decision": gettext_lazy(
        "We cannot review a court's decision. A solicitor or Citizens Advice (0800 144 8848) can tell you "
        "whether it can be appealed."
    ),
    "service_provision_only": gettext_lazy(
        "If you are unhappy with the service an agency gave you, please use that agency's complaints "
        "procedure. If you are still unhappy you can go to the Local Government and Social Care Ombudsman "
        "(councils), the Independent Office for Police Conduct (police) or the Housing Ombudsman (social "
        "housing)."
    ),
    "anonymous": gettext_lazy(
        "We cannot consider an application made anonymously. If you are worried about giving your details, "
        "call us: we will keep them confidential and will not share them with the people causing the "
        "problem."
    ),
    "no_consent": gettext_lazy(
        "An application on someone else's behalf needs their consent. If they are happy for you to apply for "
        "them, ask them to contact us, or apply again with their consent."
    ),
}


# --- The builders ----------------------------------------------------------------------------------


def common_values(*, case, partnership, recipient: Recipient, actor, issue_date) -> dict:
    values = {
        "recipient_name": recipient.name,
        "victim_name": str(case.victim) if case else recipient.name,
        "on_behalf_note": "",
        "reference": case.reference if case else "",
        "received_on": written_date(case.received_on) if case else "",
        "issue_date": written_date(issue_date),
        "partnership_name": partnership.name,
        "partnership_phone": partnership.contact_phone,
        "partnership_email": partnership.contact_email,
        "officer_name": (actor.get_full_name() or actor.username) if actor else "",
        "officer_job_title": getattr(actor, "job_title", "") if actor else "",
    }
    if case is not None and case.applicant_id:
        # Translators: %(name)s is the victim's name.
        values["on_behalf_note"] = _("You applied on behalf of %(name)s.") % {"name": case.victim}
    return values


def kind_values(kind: str, *, case, partnership, extra: dict, issue_date: dt.date) -> dict:
    builder = _BUILDERS[kind]
    return builder(case=case, partnership=partnership, extra=extra, issue_date=issue_date)


def _acknowledgement(*, case, partnership, extra, issue_date):
    decision_by = _due(case, "threshold_decision", issue_date)
    return {
        "incident_count": str(case.incidents.count()),
        # Translators: when no date can be given, as in "We will write to you by as soon as we can".
        "decision_by": written_date(decision_by) or _("as soon as we can"),
    }


def _threshold_not_met(*, case, partnership, extra, issue_date):
    """The stored decision's reasons, rendered from its codes in the letter's language."""
    decision = _latest_decision(case, Decision.DECLINED, "declines this application")
    incidents = {i.ref: i for i in case.incidents.all()}
    items = []
    for entry in decision_incidents(decision):
        ref = entry["ref"]
        incident = incidents.get(ref)
        if incident is not None:
            # Translators: the start of an incident's reasons, e.g. "Incident I2, 3 May 2025".
            head = _("Incident %(ref)s, %(date)s") % {"ref": ref, "date": written_date(incident.occurred_on)}
        else:
            # Translators: the start of an incident's reasons, e.g. "Incident I2".
            head = _("Incident %(ref)s") % {"ref": ref}
        # Translators: whether an incident counted towards the threshold ("Incident I2: counted.").
        verdict = _("counted") if entry["qualifying"] else _("did not count")
        reasons = " ".join(str(r).rstrip(".") + "." for r in entry["reasons"])
        items.append((f"the reasons for incident {ref}", f"{head}: {verdict}. {reasons}".strip()))
    if not items:
        raise LetterNotReady("The recorded decision has no incident reasons: run the threshold check again.")
    discretion = decision.engine_result.get("discretion") or {}
    note = ""
    if discretion.get("available") or decision.reasons:
        note = _(
            "Although the threshold was not met, we considered whether to hold a review anyway, having "
            "regard to how persistent the behaviour has been, the harm or potential harm it has caused, "
            "and whether the response to your reports has been adequate. We decided not to."
        )
        if decision.reasons.strip():
            # Translators: followed by the decision maker's own reasons, in the language they wrote them.
            note += " " + _("Our reasons: %(reasons)s") % {"reasons": decision.reasons.strip()}
    return {
        "incident_reasons": block_list(items),
        "decision_explanation": decision_explanation(decision),
        "discretion_note": note,
        **_appeal_values(case, issue_date, "threshold_not_met"),
        "lpb_review_route": _lpb_review_route(case, issue_date) if _lpb_review_route and case else "",
    }


def _ineligible(*, case, partnership, extra, issue_date):
    decision = _latest_decision(case, Decision.INELIGIBLE, "finds this application not eligible")
    reasons = decision_ineligible_reasons(decision)
    if not reasons and decision.reasons.strip():
        reasons = [decision.reasons.strip()]
    if not reasons:
        raise LetterNotReady("The recorded decision gives no reason why the application is not eligible.")
    keys = list(case.concerns or [])
    if case.anonymous:
        keys.append("anonymous")
    if case.applicant_id and case.victim_consent is False:
        keys.append("no_consent")
    instead = [str(WHERE_INSTEAD[k]) for k in keys if k in WHERE_INSTEAD]
    instead += [str(x) for x in extra.get("where_to_go_instead") or []]
    explanation = decision_explanation(decision)
    return {
        "ineligible_reasons": block_list([(f"reason {n}", r) for n, r in enumerate(reasons, start=1)]),
        "decision_explanation": explanation if explanation not in reasons else "",
        "where_to_go_instead": block_list(
            [(f"where to go instead {n}", text) for n, text in enumerate(instead, start=1)],
            empty=_("Please contact us to talk about other ways we can help."),
        ),
    }


def _accepted(*, case, partnership, extra, issue_date):
    decision = _latest_decision(case, Decision.ACCEPTED, "accepts this application")
    note = ""
    if decision.safeguarding:
        note = _("A senior manager has decided that a review is needed to make sure you are safe.")
    elif decision.discretionary:
        note = _(
            "Although the threshold for a review was not met, we have decided to hold one, having regard to "
            "the persistence of the behaviour, the harm it has caused and the response so far."
        )
    response_by = _due(case, "review_response", issue_date)
    return {
        "decision_explanation": decision_explanation(decision),
        "discretion_note": note,
        "spoc_by": written_date(_due(case, "spoc_appointment", issue_date)) or _("as soon as we can"),
        "response_by": _("We aim to give you a full response by %(date)s.")
        % {"date": written_date(response_by)}
        if response_by
        else "",
    }


DEFAULT_SUPPORT = [
    {
        "name": "Victim Support",
        # Translators: what Victim Support offers (the charity's name stays as it is).
        "description": gettext_lazy(
            "free, confidential support for anyone affected by crime or anti-social behaviour, whether or "
            "not it was reported"
        ),
        "contact": "08 08 16 89 111, victimsupport.org.uk",
    },
    {
        "name": "Citizens Advice",
        # Translators: what Citizens Advice offers (the charity's name stays as it is).
        "description": gettext_lazy("free advice on housing, neighbour disputes and your rights"),
        "contact": "0800 144 8848",
    },
    {
        "name": "Samaritans",
        # Translators: what the Samaritans offer (the charity's name stays as it is).
        "description": gettext_lazy("someone to talk to, day or night"),
        "contact": "116 123",
    },
]

VICTIM_VOICE = [
    (
        "how your voice will be heard: attending",
        gettext_lazy(
            "You can come to the start of the panel meeting and tell the panel members yourself about what "
            "has happened and the effect it has had on you. You can bring someone to support you."
        ),
    ),
    (
        "how your voice will be heard: a written statement",
        gettext_lazy(
            "Or you can write a statement about the impact the behaviour has had on you, and your single "
            "point of contact will give it to the panel. They can help you write it."
        ),
    ),
]


# The letter must not promise independence the record does not show. When the manager appointed the
# SPOC despite the prior-involvement warning, say so, without the findings or the reason (staff
# notes that may name other people). "As far as our records show": the check cannot prove a negative.
SPOC_INVOLVEMENT = {
    False: gettext_lazy("As far as our records show, they had no earlier involvement in your case."),
    True: gettext_lazy(
        "They have had some earlier involvement in your case. We have recorded why we still chose them. If "
        "you would rather have a different single point of contact, tell us and we will consider it."
    ),
}


def _next_steps(*, case, partnership, extra, issue_date):
    if case.spoc_id is None:
        raise LetterNotReady("Appoint a single point of contact before sending the next-steps letter.")
    services = extra.get("support_services") or DEFAULT_SUPPORT
    support = [
        (
            f"support service {n}",
            " — ".join(str(x) for x in (_get(s, "name"), _get(s, "description"), _get(s, "contact")) if x),
        )
        for n, s in enumerate(services, start=1)
    ]
    panel_date = extra.get("panel_date")
    return {
        **_spoc_values(case, partnership),
        "spoc_involvement": str(SPOC_INVOLVEMENT[bool(extra.get("spoc_prior_involvement"))]),
        # Translators: when no date can be given, as in "They will contact you by as soon as they can".
        "contact_by": written_date(_due(case, "victim_contact", issue_date)) or _("as soon as they can"),
        "support_services": block_list(support),
        "victim_voice": format_html(
            '<p data-part="how your voice will be heard">{}</p>{}',
            _("You can choose how the panel hears from you:"),
            block_list(VICTIM_VOICE),
        ),
        "panel_date": _("The panel will meet on %(date)s.") % {"date": written_date(panel_date)}
        if panel_date
        else "",
    }


def _unreachable_closure(*, case, partnership, extra, issue_date):
    attempts = extra.get("attempts") or []
    if not attempts:
        raise LetterNotReady(
            "Record the attempts made to contact the victim before sending the closure letter."
        )
    items = []
    for n, attempt in enumerate(attempts, start=1):
        on = _get(attempt, "on", None)
        method = _get(attempt, "method", "")
        note = _get(attempt, "note", "")
        text = f"{written_date(on)}: {method}" + (f" — {note}" if note else "")
        items.append((f"contact attempt {n}", text))
    return {
        **_spoc_values(case, partnership),
        "contact_attempts": block_list(items),
        "closed_on": written_date(extra.get("closed_on") or issue_date),
    }


INQUORATE_SENTENCE = gettext_lazy(
    "The panel was not quorate: it met without all of the agencies, the independent chair or the "
    "account of your views that it should have had. The chair decided it should go ahead and recorded "
    "why. You can ask your single point of contact about this, and you can appeal (see below)."
)


def _outcome(*, case, partnership, extra, issue_date):
    if not extra.get("panel_date"):
        raise LetterNotReady(
            "The outcome letter needs the date the panel met: record the panel meeting first."
        )
    return {
        **_spoc_values(case, partnership),
        "panel_date": written_date(extra["panel_date"]),
        "panel_quorum": str(INQUORATE_SENTENCE) if extra.get("panel_inquorate") else "",
        "outcome_summary": str(extra.get("outcome_summary") or ""),
        "recommendations": _recommendations(extra),
        "actions": _actions(case, shared_only=True),
        **_appeal_values(case, issue_date, "review_outcome"),
    }


APPEAL_RESULTS = {
    "upheld": gettext_lazy("Your appeal has been upheld."),
    "partly_upheld": gettext_lazy("Your appeal has been upheld in part."),
    "not_upheld": gettext_lazy("Your appeal has not been upheld."),
}


def _appeal_decision(*, case, partnership, extra, issue_date):
    result = extra.get("result")
    if result not in APPEAL_RESULTS or not str(extra.get("reasons") or "").strip():
        raise LetterNotReady("Record the appeal's decision and its reasons before sending the letter.")
    policy = partnership.policy
    return {
        "appeal_received_on": written_date(extra.get("received_on")),
        "appeal_result": str(APPEAL_RESULTS[result]),
        "appeal_reasons": str(extra["reasons"]),
        "appeal_next_steps": str(extra.get("next_steps") or ""),
        "appeal_heard_by": policy.appeals.heard_by if policy.appeals else partnership.name,
    }


LPB_RESULTS = {
    # Translators: the local policing body's decision on a "threshold not met" decision, in a letter.
    "stands": gettext_lazy(
        "Having looked at your application, the incidents and the decision, the decision that the "
        "threshold was not met stands."
    ),
    # Translators: the local policing body's decision on a "threshold not met" decision, in a letter.
    "sent_back": gettext_lazy("The decision has been sent back to the partnership to decide again."),
}


def _lpb_review_outcome(*, case, partnership, extra, issue_date):
    result = extra.get("result")
    if result not in LPB_RESULTS or not str(extra.get("reasons") or "").strip():
        raise LetterNotReady("Record the local policing body's decision and its reasons before the letter.")
    if result == "sent_back":
        # Translators: what happens after the local policing body sent a decision back.
        next_steps = _(
            "The partnership will look at your application again and write to you with its new decision."
        )
    else:
        # Translators: what happens after the local policing body's review found the decision stands.
        next_steps = _(
            "This review was the last step of the ASB Case Review process. You can still report "
            "anti-social behaviour to the police or the council at any time."
        )
    return {
        # Translators: the local policing body when its name is not known.
        "lpb_name": str(extra.get("lpb_name") or _("the local policing body")),
        "lpb_received_on": written_date(extra.get("received_on")),
        "lpb_result": str(LPB_RESULTS[result]),
        "lpb_reasons": str(extra["reasons"]),
        "lpb_next_steps": next_steps,
    }


def _review_explained(*, case, partnership, extra, issue_date):
    policy = partnership.policy
    threshold = policy.threshold
    summary = (
        f"You can ask for a review if you have reported at least {threshold.min_qualifying_complaints} "
        f"incidents of anti-social behaviour in the last {threshold.window}, each within "
        f"{threshold.report_within} of it happening."
    )
    if threshold.hate.enabled:
        summary += (
            " You can also ask for a review after a single incident motivated by hostility to race, "
            "religion, disability, sexual orientation or transgender identity."
        )
    reports = [
        (
            f"report {n}",
            f"{written_date(_get(r, 'reported_on', None))}"
            + (f" (reference {_get(r, 'reference')})" if _get(r, "reference") else ""),
        )
        for n, r in enumerate(extra.get("reports") or [], start=1)
    ]
    return {
        "threshold_summary": summary,
        "apply_url": str(extra.get("apply_url") or apply_url()),
        "report_dates": format_html(
            '<p data-part="your reports">Your recent reports:</p>{}', block_list(reports)
        )
        if reports
        else "",
    }


def _panel_minutes(*, case, partnership, extra, issue_date):
    if not extra.get("panel_date"):
        raise LetterNotReady("The minutes letter needs the date the panel met.")
    minutes_due = _due(case, "minutes_circulated", issue_date)
    return {
        "panel_date": written_date(extra["panel_date"]),
        "outcome_summary": str(extra.get("outcome_summary") or ""),
        "recommendations": _recommendations(extra),
        "all_actions": _actions(case, shared_only=False),
        "minutes_due": written_date(minutes_due),
    }


def _standing_panel_minutes(*, case, partnership, extra, issue_date):
    """A standing panel's minutes to one agency (ADR 0086): the calling app (referrals) passes only
    the cases that agency is on; here they are laid out, every value escaped."""
    if not extra.get("panel_date") or not str(extra.get("panel_name") or "").strip():
        raise LetterNotReady("The minutes need the panel and the date it met.")
    present = [("an agency present", str(p)) for p in extra.get("present") or []]
    apologies = [("an agency's apologies", str(a)) for a in extra.get("apologies") or []]
    attendance = format_html(
        '<p data-part="attendance">Present:</p>{}<p data-part="attendance">Apologies:</p>{}',
        block_list(present, empty="None recorded."),
        block_list(apologies, empty="None."),
    )
    sections = []
    for number, case_ in enumerate(extra.get("cases") or [], start=1):
        where = f"case {number}"
        actions = [
            (
                f"{where}, action {n}",
                f"{_get(a, 'description')} — {_get(a, 'owner')}, by {written_date(_get(a, 'due_on', None))}",
            )
            for n, a in enumerate(_get(case_, "actions", []) or [], start=1)
        ]
        sections.append(
            format_html(
                '<h3 data-part="{w}, heading">Case {ref}: {subject}</h3>'
                '<p data-part="{w}, risk">{risk}</p>'
                '<p data-part="{w}, discussion">{discussion}</p>'
                '<p data-part="{w}, next">{then}</p>'
                '<p data-part="{w}, actions">Actions agreed:</p>{actions}',
                w=where,
                ref=_get(case_, "reference"),
                subject=_get(case_, "subject"),
                risk=_get(case_, "risk") or "Risk not assessed.",
                discussion=_get(case_, "discussion"),
                then=_get(case_, "then"),
                actions=block_list(actions, empty="No action agreed at this meeting."),
            )
        )
    case_sections = (
        mark_safe("".join(str(section) for section in sections))  # noqa: S308 - each built by format_html
        if sections
        else format_html(
            '<p data-part="your cases">{}</p>', "No case your agency is on was discussed at this meeting."
        )
    )
    return {
        "panel_name": str(extra["panel_name"]),
        "panel_date": written_date(extra["panel_date"]),
        "attendance": attendance,
        "case_sections": case_sections,
    }


def _warning(*, case, partnership, extra, issue_date):
    text = str(extra.get("warning_text") or "").strip()
    if not text:
        raise LetterNotReady("Enter what the warning says: the behaviour and what happens if it goes on.")
    return {"warning_text": text}


def _lines(where: str, value) -> object:
    items = value if isinstance(value, list | tuple) else str(value or "").splitlines()
    return block_list([(where, str(item).strip()) for item in items if str(item).strip()], empty="None.")


def _served(kind: str):
    """The documents served on the subject of an intervention: every value comes from the
    intervention's step, worked out there (the law's dates from the commencement register); here
    they are only checked for presence and laid out."""

    def build(*, case, partnership, extra, issue_date):
        spec = KINDS[kind]
        values = {}
        for name in spec.placeholders:
            value = extra.get(name, "")
            if value is None:
                value = ""  # never "None" in a served document
            elif isinstance(value, dt.datetime):
                value = written_time(value)
            elif isinstance(value, dt.date):
                value = written_date(value)
            if name in ("prohibitions", "requirements", "support_offered"):
                value = _lines(name.replace("_", " "), value)
            elif name == "cpn_appeal":
                value = block_list(
                    [("the appeal route", str(line)) for line in (value or []) if str(line).strip()]
                )
            values[name] = value
        missing = [name for name in spec.required if not str(values.get(name, "")).strip()]
        if missing:
            raise LetterNotReady(
                f"The “{spec.label}” cannot be written without: "
                + ", ".join(SPECIFIC_DESCRIPTIONS.get(name, name) for name in missing)
                + "."
            )
        return values

    return build


SPECIFIC_DESCRIPTIONS = {
    "behaviour": "the behaviour (what the document says about it)",
    "comply_by": "the date to comply by",
    "cpn_appeal": "the appeal route",
    "cpn_appeal_by": "the last day to appeal",
    "breach_penalty": "what failing to comply means",
    "premises_address": "the premises' address",
    "notice_ends": "when the notice ends",
    "hearing_by": "the hearing deadline",
}


_BUILDERS = {
    LetterKind.LPB_REVIEW_OUTCOME: _lpb_review_outcome,
    LetterKind.ACKNOWLEDGEMENT: _acknowledgement,
    LetterKind.THRESHOLD_NOT_MET: _threshold_not_met,
    LetterKind.INELIGIBLE: _ineligible,
    LetterKind.ACCEPTED: _accepted,
    LetterKind.NEXT_STEPS: _next_steps,
    LetterKind.UNREACHABLE_CLOSURE: _unreachable_closure,
    LetterKind.OUTCOME: _outcome,
    LetterKind.APPEAL_DECISION: _appeal_decision,
    LetterKind.REVIEW_EXPLAINED: _review_explained,
    LetterKind.PANEL_MINUTES: _panel_minutes,
    LetterKind.STANDING_PANEL_MINUTES: _standing_panel_minutes,
    LetterKind.WARNING: _warning,
    LetterKind.INTERVENTION_WARNING: _served(LetterKind.INTERVENTION_WARNING),
    LetterKind.CPW: _served(LetterKind.CPW),
    LetterKind.CPN: _served(LetterKind.CPN),
    LetterKind.CLOSURE_NOTICE: _served(LetterKind.CLOSURE_NOTICE),
}
