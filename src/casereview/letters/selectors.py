"""Reads of letters and templates. Who may see a letter follows from who may see its case
(`cases_visible_to`, every kind) and, for victim-facing letters, from the user's role: a victim's
letter carries their name and address, so agency officers see only letters to partners."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casereview.accounts.models import Role
from casereview.applications.selectors import (
    PARTNERSHIP_WIDE_ROLES,
    cases_visible_to,
)
from casereview.core.case_kinds import CASE_REVIEW

from .models import Audience, DispatchChannel, DispatchStatus, Letter, LetterDispatch, LetterTemplate

ISSUING_ROLES = (
    Role.COMMUNITY_SAFETY_MANAGER,
    Role.SPOC,
    Role.SENIOR_MANAGER,
    Role.ADMINISTRATOR,
)
TEMPLATE_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.ADMINISTRATOR)
# Who may release a letter held by the disclosure check: a manager, never the officer who wrote it alone.
RELEASING_ROLES = (Role.COMMUNITY_SAFETY_MANAGER, Role.SENIOR_MANAGER, Role.ADMINISTRATOR)


#: Kinds that more roles than ISSUING_ROLES may issue: the appeal decision letter goes out when the
#: appeal is decided, so whoever may decide an appeal (appeals.selectors.APPEAL_DECIDER_ROLES: a
#: senior manager or the Head of Service) must be able to issue it — and to correct it.
KIND_ISSUING_ROLES = {
    "appeal_decision": (Role.SENIOR_MANAGER, Role.HEAD_OF_SERVICE),
    # The documents an agency serves on the subject of an intervention: the officer who serves it
    # (a police officer's CPN) writes it (issue 17).
    **dict.fromkeys(("intervention_warning", "cpw", "cpn", "closure_notice"), (Role.AGENCY_OFFICER,)),
    # The local policing body's office tells the victim of its own review (lpbreviews), and only that.
    "lpb_review_outcome": (Role.LOCAL_POLICING_BODY,),
}


def user_can_issue_letters(user, kind: str | None = None) -> bool:
    """May `user` issue letters (of `kind`, when given)? Without a kind: the general issuing roles."""
    roles = ISSUING_ROLES + KIND_ISSUING_ROLES.get(kind or "", ())
    return bool(getattr(user, "is_authenticated", False) and user.partnership_id and user.has_role(*roles))


def user_can_release_letters(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.partnership_id and user.has_role(*RELEASING_ROLES)
    )


def letters_held_for(user) -> QuerySet[Letter]:
    """Held letters the user may release, oldest first."""
    if not user_can_release_letters(user):
        return Letter.objects.none()
    return (
        letters_visible_to(user)
        .filter(released_at__isnull=True)
        .exclude(held_findings="")
        .order_by("issued_at", "id")
    )


def user_can_edit_templates(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.partnership_id and user.has_role(*TEMPLATE_ROLES)
    )


def user_can_see_victim_letters(user) -> bool:
    """Partnership-wide roles (CSM, SPOC, managers, chair, DPO, administrator) only."""
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*PARTNERSHIP_WIDE_ROLES))


def letters_visible_to(user) -> QuerySet[Letter]:
    """Every letter this user may open: of the cases they can see (victim letters only for the
    partnership-wide roles), and letters about no case yet for the partnership-wide roles."""
    if not getattr(user, "is_authenticated", False) or user.partnership_id is None:
        return Letter.objects.none()
    on_cases = Letter.objects.filter(case__in=cases_visible_to(user))
    if user_can_see_victim_letters(user):
        return on_cases | Letter.objects.filter(case__isnull=True, partnership_id=user.partnership_id)
    # An agency officer party to another kind of case (an intervention's) sees what was served on
    # its subject: checked to carry nothing of a victim, reporter or witness (ADR 0067). On the
    # review, the warning letters stay with the partnership-wide roles, as before.
    return on_cases.filter(
        Q(audience=Audience.PARTNERS) | (Q(audience=Audience.PERPETRATOR) & ~Q(case__kind=CASE_REVIEW))
    )


def letters_for_application(user, case) -> QuerySet[Letter]:
    """The case's letters this user may see, newest first."""
    return (
        letters_visible_to(user)
        .filter(case=case)
        .select_related("issued_by", "supersedes", "superseded_by")
        .order_by("-issued_at", "-id")
    )


def letters_hidden_count(user, case, *, visible: int | None = None) -> int:
    """How many of the case's letters this user may not open (said on the page, not hidden silently).
    ``visible``: how many they may open, when the caller has already read them (one query fewer)."""
    if visible is None:
        visible = letters_for_application(user, case).count()
    return Letter.objects.filter(case=case).count() - visible


def letter_get_for_user(user, letter_id: int) -> Letter:
    """One letter, or 404 when it does not exist or the user may not see it (indistinguishable)."""
    letter = (
        letters_visible_to(user)
        .select_related("case", "partnership", "issued_by", "supersedes")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        raise Http404("No such letter")
    return letter


def letter_template_current(*, partnership, kind: str) -> LetterTemplate | None:
    """The partnership's latest saved version, or None (the product's default wording is used)."""
    return LetterTemplate.objects.filter(partnership=partnership, kind=kind).order_by("-version").first()


def letter_template_versions(*, partnership, kind: str) -> QuerySet[LetterTemplate]:
    return (
        LetterTemplate.objects.filter(partnership=partnership, kind=kind)
        .select_related("created_by")
        .order_by("-version")
    )


# --- Dispatch -------------------------------------------------------------------------------------


def dispatches_visible_to(user) -> QuerySet[LetterDispatch]:
    """The dispatches of letters this user may open, for those who issue letters (who print, post
    and hand them over)."""
    if not user_can_issue_letters(user):
        return LetterDispatch.objects.none()
    return LetterDispatch.objects.filter(letter__in=letters_visible_to(user)).select_related(
        "letter__case", "letter__partnership", "message"
    )


def dispatch_queue_for(user) -> dict[str, list[LetterDispatch]]:
    """The dispatch page's lists: letters to print and post (large print first, then oldest),
    letters to hand over, letters held for staff (a way the person refused), and letters that
    failed or came back, still to be sent another way."""
    visible = dispatches_visible_to(user)
    # A failed or returned dispatch stays a problem until the letter is sent another way (a later
    # dispatch of the same letter).
    later = LetterDispatch.objects.filter(letter=OuterRef("letter"), pk__gt=OuterRef("pk"))
    problems = visible.filter(status__in=(DispatchStatus.FAILED, DispatchStatus.RETURNED)).exclude(
        Exists(later)
    )
    return {
        "to_post": list(
            visible.filter(
                channel=DispatchChannel.POST, status=DispatchStatus.QUEUED, via="print_queue"
            ).order_by("-large_print", "created_at", "id")
        ),
        "by_hand": list(
            visible.filter(channel=DispatchChannel.BY_HAND, status=DispatchStatus.QUEUED).order_by(
                "created_at", "id"
            )
        ),
        "held": list(visible.filter(status=DispatchStatus.HELD).order_by("created_at", "id")),
        "problems": list(problems.order_by("created_at", "id")),
    }


def dispatch_get_for_user(user, dispatch_id: int) -> LetterDispatch:
    dispatch = dispatches_visible_to(user).filter(pk=dispatch_id).first()
    if dispatch is None:
        raise Http404("No such letter dispatch")
    return dispatch


def dispatches_for_letter(user, letter) -> QuerySet[LetterDispatch]:
    return dispatches_visible_to(user).filter(letter=letter).order_by("created_at", "id")


def letters_addressed_to(application, person) -> QuerySet[Letter]:
    """The letters of `application` addressed to `person` (the victim or the applicant) — as its
    recipient or as a copy's — that have gone out: not held by the disclosure check, not replaced by
    a correction. For the person's own view of their review (casereview.portal), newest first;
    every one of them was checked for a perpetrator's details when it was issued."""
    names = {name for name in (person.full_name, str(person)) if name}
    copies = LetterDispatch.objects.filter(letter=OuterRef("pk"), recipient_name__in=names)
    return (
        Letter.objects.filter(case=application, audience=Audience.VICTIM, superseded_by__isnull=True)
        .exclude(held_findings__gt="", released_at__isnull=True)
        .annotate(is_copy=Exists(copies))
        .filter(Q(recipient_name__in=names) | Q(is_copy=True))
        .order_by("-issued_at", "-id")
    )


def letter_addressed_to_get(application, person, letter_id: int) -> Letter:
    """One of `letters_addressed_to(application, person)`, or 404 (any other letter alike)."""
    letter = letters_addressed_to(application, person).filter(pk=letter_id).first()
    if letter is None:
        raise Http404("No such letter")
    return letter


def letter_pdf_names() -> QuerySet:
    """The stored name of every letter's PDF (under MEDIA_ROOT; "" for a letter without one), not
    scoped to a user: for finding stored files no record names (privacy.stored_files)."""
    return Letter.objects.values_list("pdf", flat=True)
