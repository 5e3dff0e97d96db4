"""The letters engine: preview, issue, correct, and the partnership's templates.

The service API other apps call (see docs/letters.md for each kind's `extra` contract):

    from casereview.letters.services import letter_preview, letter_issue, letter_correct

    rendered = letter_preview(case=app, kind="outcome", actor=user, extra={...})
    rendered.body_html        # the letter as it would be issued (HTML)
    rendered.findings         # redaction findings; empty when the letter may be issued
    letter = letter_issue(case=app, kind="outcome", actor=user, extra={...})
    letter_correct(letter=letter, actor=user, reason="The panel date was wrong", extra={...})

`letter_issue` refuses (LetterRedactionError, naming the detail and where it appears) a letter to
the victim that contains an alleged perpetrator's name, address or date of birth; refuses
(LetterNotReady) a letter whose facts are not yet recorded; and refuses (LetterPermissionError)
anyone but a community safety manager, SPOC, senior manager or administrator of the partnership.

Issuing is all or nothing: the PDF is made before the transaction; inside it the file is written,
the Letter row and the case events created; if anything fails the file is removed and nothing is
recorded. Case events: "letter_issued" for every letter on a case, with data {"letter_kind",
"letter_id", "audience", "appeal_window_starts", and "supersedes" for a correction}; and, for the
first letter of a kind that meets a clock, the kind's `clock_event` ("decision_letter_issued",
"next_steps_letter_issued", "closure_letter_issued", "outcome_letter_issued",
"appeal_decision_letter_issued"). The policy's appeal_window runs from "letter_issued": count only
those whose data has "appeal_window_starts": true (the not-met and outcome letters).

Issuing is not sending: the clocks are met by the `<what>_letter_dispatched` events that
`letters.dispatch` records when the letter actually leaves (docs/letters.md, "Dispatch").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from casereview.applications.selectors import case_parties
from casereview.applications.services import case_event_record
from casereview.web.concurrency import StaleRecord, row_lock

from .context import common_values, default_recipient, extra_for, kind_values, recipient_for_person
from .dispatch import dispatch_plan, letter_dispatch_on_release, letter_dispatches_create
from .kinds import KINDS, WELSH
from .models import Audience, Letter, LetterTemplate
from .redaction import Withheld, find_withheld, parts_from_html
from .rendering import (
    PLACEHOLDER,
    LetterError,
    LetterNotReady,
    LetterRedactionError,
    Recipient,
    RenderedLetter,
    fill_subject,
    render_body,
    render_pdf,
    template_problems,
    written_date,
)
from .selectors import (
    letter_template_current,
    user_can_edit_templates,
    user_can_issue_letters,
    user_can_release_letters,
)

__all__ = [
    "LetterError",
    "LetterNotReady",
    "LetterPermissionError",
    "LetterRedactionError",
    "Recipient",
    "RenderedLetter",
    "letter_correct",
    "letter_issue",
    "letter_preview",
    "letter_release",
    "letter_template_save",
    "refusal_as_validation_error",
]


#: A paragraph the law requires in a kind of letter, added at the end where the partnership's own
#: wording does not place it (and empty until the law is in force: then nothing is added).
STATUTORY_PARAGRAPH = {"threshold_not_met": "lpb_review_route"}


@contextmanager
def refusal_as_validation_error():
    """For the parts that issue their letters through this app (the review, the panel): a letter
    refused here (not ready, a perpetrator's details found) comes out as a ValidationError with
    the same message, which says where, for their forms to show."""
    try:
        yield
    except LetterError as exc:
        raise ValidationError(exc.message) from exc


class LetterPermissionError(PermissionDenied):
    pass


def spec_audience(kind: str) -> str:
    return KINDS[kind].audience


def _partnership_of(case, partnership):
    if case is not None:
        return case.partnership
    if partnership is None:
        raise LetterNotReady("A letter about no application needs its partnership.")
    return partnership


def _withheld(case) -> list[Withheld]:
    """Everything a letter to the victim or the applicant must not say: each alleged perpetrator's
    name, aliases, address, date of birth and phone number."""
    if case is None:
        return []
    return [
        Withheld(
            label=f"alleged perpetrator {number}",
            name=perpetrator.name,
            aliases=tuple(line for line in perpetrator.aliases.splitlines() if line.strip()),
            address=perpetrator.address,
            date_of_birth=perpetrator.date_of_birth,
            phones=(perpetrator.phone,) if perpetrator.phone else (),
        )
        for number, perpetrator in enumerate(case.perpetrators.order_by("id"), start=1)
    ]


#: The roles on a case whose details never reach what is served on an alleged perpetrator.
PROTECTED_ROLES = ("victim", "applicant", "witness", "reporter")


def _protected_from_perpetrator(case, protected: Sequence[Withheld] = ()) -> list[Withheld]:
    """Everything a letter served on an alleged perpetrator (a warning, a CPN, a closure notice)
    must not say: the victim's, the applicant's, and every reporter's and witness's name, address,
    postcode, date of birth and phone number (core.disclosure, the other direction) — those on the
    case (its shortcuts and its parties in those roles) and those the calling app adds
    (`protected`: an intervention's reporters from the report log, the victims of the cases it arose
    from). A business or group victim's own name is its name."""
    people = []
    if case is not None:
        if case.victim_id:
            people.append(("the victim", case.victim))
        if case.applicant_id and case.applicant_id != case.victim_id:
            people.append(("the applicant", case.applicant))
        seen = {case.victim_id, case.applicant_id}
        for party in case_parties(case).filter(role__in=PROTECTED_ROLES, person__isnull=False):
            if party.person_id not in seen:
                seen.add(party.person_id)
                people.append((f"a {party.get_role_display().lower()} on the case", party.person))
    return [
        Withheld(
            label=label,
            name=person.full_name or person.organisation_name,
            address=person.address,
            postcode=person.postcode,
            date_of_birth=person.date_of_birth,
            phones=(person.phone,) if person.phone else (),
        )
        for label, person in people
    ] + list(protected)


def _own_details(case, recipient: Recipient) -> list[str]:
    own = [recipient.name, recipient.full_address]
    if case is not None:
        victim = case.victim
        own += [str(victim), victim.full_name, f"{victim.address}\n{victim.postcode}"]
    return [text for text in own if text.strip()]


#: What a person may have written for their preferred language (Person.language is free text).
WELSH_NAMES = frozenset({"cy", "welsh", "cymraeg"})


def letter_languages(*, kind: str, case, recipient: Recipient, partnership) -> tuple[str, ...]:
    """The languages of a letter, in order: ``("en",)``, ``("cy",)`` or ``("cy", "en")`` (bilingual,
    the Welsh first, as the Welsh Language Standards ask).

    A letter to the victim or the applicant is in Welsh when the person chose Welsh: the case's
    language (`Application.language`, the language they applied in) for the case's own people, or
    the recipient's stated preferred language; a document served on an alleged perpetrator when
    the recipient chose Welsh (`Recipient.language`). Then the partnership's policy says how:
    ``[correspondence] welsh = "welsh"`` (in Welsh) or ``"bilingual"``. Letters to partners, and
    kinds with no Welsh wording yet (`kinds.WELSH`), are in English.
    """
    if kind not in WELSH or KINDS[kind].audience not in (Audience.VICTIM, Audience.PERPETRATOR):
        return ("en",)
    bilingual = partnership.policy.welsh_correspondence == "bilingual"
    if KINDS[kind].audience == Audience.PERPETRATOR:
        # What is served on an alleged perpetrator (a warning, a CPW, a CPN, a closure notice):
        # in Welsh when the recipient chose Welsh (the serving officer records it); the case it is
        # on is the intervention's, whose language says nothing of theirs.
        if (recipient.language or "").strip().casefold() not in WELSH_NAMES:
            return ("en",)
        return ("cy", "en") if bilingual else ("cy",)
    case_people = ()
    if case is not None:
        case_people = (case.victim_id, case.applicant_id)
    person = recipient.person
    follows_case = case is not None and (person is None or getattr(person, "pk", None) in case_people)
    chose_welsh = (follows_case and case.language == "cy") or (
        (recipient.language or "").strip().casefold() in WELSH_NAMES
    )
    if not chose_welsh:
        return ("en",)
    return ("cy", "en") if bilingual else ("cy",)


def _render_part(spec, *, language, template, case, partnership, recipient, actor, extra, issue_date) -> dict:
    """One language's letter: its subject, its `_letter.html` and the context it was rendered with."""
    kind = spec.kind
    if language == "cy":
        subject_text, body_text = WELSH[kind]
    else:
        subject_text = template.subject if template else spec.default_subject
        body_text = template.body if template else spec.default_body
    values = common_values(
        case=case,
        partnership=partnership,
        recipient=recipient,
        actor=actor,
        issue_date=issue_date,
    )
    values.update(
        kind_values(
            kind,
            case=case,
            partnership=partnership,
            extra=extra_for(kind, case, extra),
            issue_date=issue_date,
        )
    )
    block_names = {p.name for p in spec.placeholder_specs() if p.block}
    subject = fill_subject(subject_text, values)
    if values.get(STATUTORY_PARAGRAPH.get(kind, "")) and STATUTORY_PARAGRAPH[kind] not in PLACEHOLDER.findall(
        body_text
    ):
        # The law's own route (the 2026 Act's local policing body review) goes in every not-met
        # letter once in force, also where a partnership's wording predates it.
        body_text = f"{body_text.rstrip()}\n\n{{{{ {STATUTORY_PARAGRAPH[kind]} }}}}"
    body = render_body(body_text, values, block_names)
    context = {
        "partnership": partnership,
        "partnership_address_lines": [x.strip() for x in partnership.address.splitlines() if x.strip()],
        "recipient": recipient,
        "reference": case.reference if case else "",
        "issue_date": written_date(issue_date),
        "subject": subject,
        "body": body,
        "officer": actor,
        "large_print": recipient.large_print,
        "audience": spec.audience,
        "letter_lang": "cy" if language == "cy" else "en-GB",
    }
    return {
        "subject": subject,
        "letter_html": render_to_string("letters/_letter.html", context),
        "context": context,
    }


def letter_preview(
    *,
    case,
    kind: str,
    actor,
    extra: dict | None = None,
    recipient: Recipient | None = None,
    partnership=None,
    issue_date: dt.date | None = None,
    protected: Sequence[Withheld] = (),
) -> RenderedLetter:
    """Render the letter as it would be issued today; write nothing. Raises LetterNotReady when the
    case lacks what the letter needs; redaction problems are in `.findings`, not raised.
    `protected`: more people a letter served on an alleged perpetrator must not name (besides the
    case's victim, applicant, reporters and witnesses)."""
    if kind not in KINDS:
        raise LetterError(f"There is no kind of letter called “{kind}”.")
    spec = KINDS[kind]
    if spec.needs_application and case is None:
        raise LetterNotReady(f"A “{spec.label}” letter is about an application: give the application.")
    partnership = _partnership_of(case, partnership)
    issue_date = issue_date or timezone.localdate()
    recipient = recipient or default_recipient(kind, case)
    if not recipient.name.strip():
        raise LetterNotReady("The letter has no recipient's name.")
    template = letter_template_current(partnership=partnership, kind=kind)
    languages = letter_languages(kind=kind, case=case, recipient=recipient, partnership=partnership)
    parts = []
    for language in languages:
        # Each part with its language active: the values (dates, the decision's reasons rendered
        # from its stored codes) and the letter's own words follow it (ADR 0040).
        with translation.override(language):
            parts.append(
                _render_part(
                    spec,
                    language=language,
                    template=template,
                    case=case,
                    partnership=partnership,
                    recipient=recipient,
                    actor=actor,
                    extra=extra,
                    issue_date=issue_date,
                )
            )
    subject = " / ".join(part["subject"] for part in parts)
    letter_html = mark_safe("\n".join(part["letter_html"] for part in parts))  # noqa: S308 - rendered above
    with translation.override(languages[0]):
        document_html = render_to_string(
            "letters/letter_document.html",
            {**parts[0]["context"], "subject": subject, "letter_html": letter_html},
        )
    findings = []
    if spec.audience == Audience.VICTIM:
        findings = find_withheld(
            parts_from_html(letter_html),
            _withheld(case),
            own_details=_own_details(case, recipient),
        )
    elif spec.audience == Audience.PERPETRATOR:
        # The other direction: what is served on an alleged perpetrator never carries the victim's
        # or the applicant's details; their own name and address block is theirs (a neighbour's
        # shared street and postcode holds the letter for a manager, as the victim direction does).
        own = [text for text in (recipient.name, recipient.full_address) if text.strip()]
        findings = find_withheld(
            parts_from_html(letter_html), _protected_from_perpetrator(case, protected), own_details=own
        )
    elif spec.audience == Audience.PARTNERS and protected:
        # A document to one agency that must not carry another case's people (a standing panel's
        # minutes: ADR 0086) — the calling app names them; the agency's own name is its own.
        findings = find_withheld(parts_from_html(letter_html), list(protected), own_details=[recipient.name])
    return RenderedLetter(
        kind=kind,
        audience=spec.audience,
        subject=subject,
        body_html=letter_html,
        document_html=document_html,
        recipient=recipient,
        issue_date=issue_date,
        template_version=template.version if template and "en" in languages else 0,
        template_id=template.pk if template and "en" in languages else None,
        large_print=recipient.large_print,
        findings=findings,
    )


def _require_issuer(actor, partnership, kind: str | None = None) -> None:
    if not user_can_issue_letters(actor, kind) or actor.partnership_id != partnership.pk:
        raise LetterPermissionError(
            "Only a community safety manager, SPOC, senior manager or administrator of the partnership "
            "may issue letters"
            + (" (and the Head of Service the appeal decision letter)." if kind == "appeal_decision" else ".")
        )


def _who(audience: str, recipient: Recipient, case) -> str:
    if audience == Audience.PARTNERS:
        return recipient.name  # an agency or a panel member's organisation: not personal data of the victim
    if audience == Audience.PERPETRATOR:
        return "an alleged perpetrator"  # never their name on the timeline
    if case is not None and case.applicant_id and recipient.name == str(case.applicant):
        return "the applicant"
    return "the victim"


def letter_issue(
    *,
    case,
    kind: str,
    actor,
    extra: dict | None = None,
    recipient: Recipient | None = None,
    partnership=None,
    supersedes: Letter | None = None,
    correction_reason: str = "",
    submission_token: str | None = None,
    channel: str | None = None,
    protected: Sequence[Withheld] = (),
    _copy: bool = False,
) -> Letter:
    """Render, check and issue a letter: store its HTML and PDF, record it on the case, and
    dispatch it to its recipient (`channel`: email, post or by hand; by default the way the
    person prefers — letters.dispatch). The letter's clock is met when the dispatch is sent.

    All or nothing. Raises LetterPermissionError, LetterNotReady (also when the chosen way has no
    address) or LetterRedactionError (with `.findings`) and then writes nothing.

    `submission_token` is the issuing form's one-time token: the same submission twice (a double
    click, a replayed request, twenty at once) issues one letter, and every repeat returns that
    letter with `already_issued` set. The case row is locked while the letter is written, and the
    token checked again under the lock, so repeats wait for the first and then find its letter.
    """
    partnership = _partnership_of(case, partnership)
    _require_issuer(actor, partnership, kind)
    if submission_token:
        earlier = _issued_with(submission_token, case=case, kind=kind)
        if earlier is not None:
            return earlier
    rendered = letter_preview(
        case=case,
        kind=kind,
        actor=actor,
        extra=extra,
        recipient=recipient,
        partnership=partnership,
        protected=protected,
    )
    if rendered.refused:
        raise LetterRedactionError(rendered.refused)
    held = rendered.held
    copy_recipients = (
        []
        if (_copy or recipient is not None or supersedes is not None)
        else (copy_recipients_for(kind, case))
    )
    # Letters to partners (the minutes) are circulated by the part that issues them (panels records
    # minutes_circulated); a letter to a person is dispatched here, or refused if it cannot be. A letter the
    # disclosure check holds is dispatched only when a manager releases it (letter_release).
    plans = []
    if spec_audience(kind) != Audience.PARTNERS or channel:
        plans = [dispatch_plan(case=case, recipient=rendered.recipient, channel=channel)]
    pdf_bytes = render_pdf(rendered.document_html)
    spec = rendered.spec
    storage = Letter._meta.get_field("pdf").storage
    # No personal data in the stored file's name: a random token, by partnership and year.
    name = f"letters/{partnership.slug}/{rendered.issue_date.year}/{uuid.uuid4().hex}.pdf"
    stored = None
    try:
        with transaction.atomic():
            if case is not None:
                row_lock(case)
            if submission_token:
                earlier = _issued_with(submission_token, case=case, kind=kind)
                if earlier is not None:
                    return earlier
            stored = storage.save(name, ContentFile(pdf_bytes))
            now = timezone.now()
            letter = Letter.objects.create(
                partnership=partnership,
                case=case,
                kind=kind,
                audience=spec.audience,
                recipient_name=rendered.recipient.name,
                recipient_address=rendered.recipient.full_address,
                recipient_email=rendered.recipient.email,
                subject=rendered.subject,
                body_html=rendered.body_html,
                large_print=rendered.large_print,
                pdf=stored,
                pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
                template_id=rendered.template_id,
                template_version=rendered.template_version,
                issued_by=actor,
                issued_at=now,
                issued_on=rendered.issue_date,
                supersedes=supersedes,
                correction_reason=correction_reason,
                submission_token=submission_token or None,
                held_findings="\n".join(finding.message() for finding in held),
            )
            if case is not None and held:
                case_event_record(
                    application=case,
                    kind="letter_held",
                    summary=(
                        f"“{spec.label}” letter held for a manager to release: a detail of "
                        + (
                            "the victim or the applicant"
                            if spec.audience == Audience.PERPETRATOR
                            else "an alleged perpetrator"
                        )
                        + " in it is also the recipient's own."
                    ),
                    actor=actor,
                    data={"letter_kind": letter.kind, "letter_id": letter.pk},
                    occurred_on=letter.issued_on,
                )
            elif case is not None:
                _record_events(letter=letter, case=case, actor=actor, rendered=rendered)
            if not held:
                letter_dispatches_create(letter=letter, plans=plans, actor=actor)
            for other in copy_recipients:
                # The other person owed this letter (a third-party application the victim consented
                # to): their own copy, addressed to them, checked and dispatched their own way — in
                # this transaction, so a copy that cannot be sent refuses the whole issue.
                letter_issue(
                    case=case,
                    kind=kind,
                    actor=actor,
                    extra=extra,
                    recipient=other,
                    partnership=partnership,
                    _copy=True,
                )
    except BaseException:
        if stored is not None:
            storage.delete(stored)
        raise
    return letter


def copy_recipients_for(kind: str, case) -> list[Recipient]:
    """Who else is owed a copy of a letter to the victim or the applicant: on a third-party
    application the victim has consented to, the other of the two (the applicant's letters go to
    the victim too, the victim's to the applicant). Without that consent only the one the letter
    is addressed to gets it: the consent is what lets the applicant hear of the victim's case, and
    the victim be written to about an application they have not agreed to."""
    spec = KINDS[kind]
    if (
        case is None
        or spec.audience == Audience.PARTNERS
        or spec.default_recipient == "given"
        or not case.applicant_id
        or case.victim_consent is not True
    ):
        return []
    other = case.victim if spec.default_recipient == "applicant" else case.applicant
    return [recipient_for_person(other)]


def _issued_with(token: str, *, case, kind: str) -> Letter | None:
    """The letter an earlier use of this submission token issued, marked `already_issued`."""
    letter = Letter.objects.filter(submission_token=token).first()
    if letter is None:
        return None
    if letter.kind != kind or letter.case_id != (case.pk if case else None):
        raise LetterError("This form was already used for another letter: start again from the case.")
    letter.already_issued = True
    return letter


def _record_events(
    *, letter: Letter, case, actor, rendered: RenderedLetter, on: dt.date | None = None
) -> None:
    on = on or letter.issued_on
    spec = rendered.spec
    who = _who(rendered.audience, rendered.recipient, case)
    data = {
        "letter_kind": letter.kind,
        "letter_id": letter.pk,
        "audience": letter.audience,
        "appeal_window_starts": spec.starts_appeal_window,
    }
    if letter.supersedes_id:
        data["supersedes"] = letter.supersedes_id
        summary = f"Corrected “{spec.label}” letter issued to {who} (replaces letter {letter.supersedes_id})."
    else:
        summary = f"“{spec.label}” letter issued to {who}."
    case_event_record(
        application=case,
        kind="letter_issued",
        summary=summary,
        actor=actor,
        data=data,
        occurred_on=on,
    )
    first_of_kind = not Letter.objects.filter(case=case, kind=letter.kind).exclude(pk=letter.pk).exists()
    if spec.clock_event and first_of_kind:
        case_event_record(
            application=case,
            kind=spec.clock_event,
            summary=f"{spec.label} letter sent.",
            actor=actor,
            data={"letter_kind": letter.kind, "letter_id": letter.pk},
            occurred_on=on,
        )


def letter_correct(
    *,
    letter: Letter,
    actor,
    reason: str,
    extra: dict | None = None,
    recipient: Recipient | None = None,
) -> Letter:
    """Issue a corrected version of `letter`. The first stays on the case, marked superseded by the
    new one; both are on the timeline. Only the latest version of a letter can be corrected."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the correction"})
    if letter.is_superseded:
        raise LetterError(
            f"This letter has already been corrected by letter {letter.superseded_by.pk}: "
            "correct that one instead."
        )
    spec = KINDS[letter.kind]
    if recipient is None and (spec.default_recipient == "given" or letter.case_id is None):
        recipient = Recipient.as_issued(letter)
    elif recipient is None:
        # Corrected for the person it went to (the victim's copy of an applicant's letter stays the
        # victim's), with their details as recorded now; each copy is corrected on its own.
        from .dispatch import _person_of

        person = _person_of(letter)
        if person is not None:
            recipient = recipient_for_person(person)
    with transaction.atomic():
        # Lock the first letter so two corrections at once cannot both supersede it.
        Letter.objects.select_for_update().filter(pk=letter.pk).first()
        if Letter.objects.filter(supersedes=letter).exists():
            raise LetterError("This letter has just been corrected by someone else: open it again.")
        return letter_issue(
            case=letter.case,
            kind=letter.kind,
            actor=actor,
            extra=extra,
            recipient=recipient,
            partnership=letter.partnership,
            supersedes=letter,
            correction_reason=reason.strip(),
        )


def letter_release(*, letter: Letter, actor, reason: str) -> Letter:
    """A manager releases a held letter (see `Letter.is_held`), saying why the detail it shares
    with the recipient may go. Recorded as a "letter_released" case event naming the manager, and
    from then on the letter counts as issued (its "letter_issued" and clock events, today)."""
    if not user_can_release_letters(actor) or actor.partnership_id != letter.partnership_id:
        raise LetterPermissionError(
            "Only a community safety manager, senior manager or administrator of the partnership may "
            "release a held letter."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why this detail may be sent to the recipient"})
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if not locked.is_held:
            raise LetterError("This letter is not held (it may just have been released by someone else).")
        locked.released_by = actor
        locked.released_at = timezone.now()
        locked.release_reason = reason.strip()
        locked.save(update_fields=["released_by", "released_at", "release_reason"])
        if locked.case_id:
            case_event_record(
                application=locked.case,
                kind="letter_released",
                summary=(
                    f"Held “{KINDS[locked.kind].label}” letter released by "
                    f"{actor.get_full_name() or actor.username}: {locked.release_reason}"
                ),
                actor=actor,
                data={"letter_kind": locked.kind, "letter_id": locked.pk},
            )
            rendered = RenderedLetter(
                kind=locked.kind,
                audience=locked.audience,
                subject=locked.subject,
                body_html=locked.body_html,
                document_html="",
                recipient=Recipient(name=locked.recipient_name),
                issue_date=timezone.localdate(),
                template_version=locked.template_version,
                template_id=locked.template_id,
                large_print=locked.large_print,
            )
            _record_events(
                letter=locked,
                case=locked.case,
                actor=actor,
                rendered=rendered,
                on=rendered.issue_date,
            )
        letter_dispatch_on_release(letter=locked, actor=actor)
    return locked


def letter_template_save(
    *,
    partnership,
    kind: str,
    subject: str,
    body: str,
    actor,
    change_note: str = "",
    read_version: int | None = None,
) -> LetterTemplate:
    """Save a new version of the partnership's wording for `kind`. Letters already issued keep the
    version they were written from. Raises ValidationError by field ("subject", "body").
    `read_version` is the number of the latest version when the page was read (0: the default
    wording): refused (`StaleRecord`) when another editor saved a version since."""
    if kind not in KINDS:
        raise ValidationError({"kind": f"There is no kind of letter called “{kind}”."})
    if not user_can_edit_templates(actor) or actor.partnership_id != partnership.pk:
        raise LetterPermissionError("Only the community safety manager or an administrator may edit letters.")
    problems = template_problems(KINDS[kind], subject=subject, body=body)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        # The partnership's row queues two first saves of a kind (no template row to lock yet).
        row_lock(partnership)
        latest = (
            LetterTemplate.objects.select_for_update()
            .filter(partnership=partnership, kind=kind)
            .order_by("-version")
            .first()
        )
        if read_version is not None and latest is not None and latest.version != read_version:
            raise StaleRecord(latest, what="letter's wording")
        return LetterTemplate.objects.create(
            partnership=partnership,
            kind=kind,
            version=(latest.version if latest else 0) + 1,
            subject=subject.strip(),
            body=body.replace("\r\n", "\n").strip(),
            change_note=change_note.strip()[:300],
            created_by=actor,
        )


def letters_of_cases_delete(*, case_ids) -> list[str]:
    """Delete every letter of these cases (a kind's own retention: the interventions' cases), newest
    first so a correction goes before the letter it superseded; their dispatches go with them.
    Returns the stored files' names, for the caller to remove once its transaction commits."""
    return _letters_delete(Letter.objects.filter(case_id__in=list(case_ids)))


def letters_delete(*, letter_ids) -> list[str]:
    """Delete these letters at the end of their retention — those of no case, kept by the app that
    issued them (a standing panel's minutes: referrals.retention) — as `letters_of_cases_delete`
    does: newest first, dispatches with them, the stored files' names returned for the caller to
    remove once its transaction commits."""
    return _letters_delete(Letter.objects.filter(pk__in=list(letter_ids)))


def _letters_delete(letters) -> list[str]:
    files = []
    for letter in letters.order_by("-issued_at", "-id"):
        if letter.pdf:
            files.append(letter.pdf.name)
        letter.delete()
    return files


def letter_files_remove(names) -> None:
    storage = Letter._meta.get_field("pdf").storage
    for name in names:
        storage.delete(name)
