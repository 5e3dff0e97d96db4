"""Demo letters: on the applications demo's own cases (applications.demo.CASES), an acknowledgement
for each acknowledged case and, per partnership, the decision letter of its first decided case — so
a newcomer sees letters on the case page without every decision clock being met. Idempotent: a
letter of a kind a case already has is not issued again, and cases that later apps' demos create
(which run after this one) are left to those apps, so a second `casereview demo` issues nothing."""

from __future__ import annotations

from casereview.accounts.models import Role
from casereview.accounts.selectors import staff_in
from casereview.applications.models import Application

from .models import Letter, LetterKind
from .rendering import LetterError

DECISION_LETTER = {
    "declined": LetterKind.THRESHOLD_NOT_MET,
    "accepted": LetterKind.ACCEPTED,
    "ineligible": LetterKind.INELIGIBLE,
}


def load(stdout) -> None:
    from .services import letter_issue

    issued = 0
    decision_letter_done: set[int] = set()
    from casereview.applications.demo import CASES, DEMO_DOMAIN

    emails = [f"{spec[0]}@{DEMO_DOMAIN}" for spec in CASES]
    cases = Application.objects.filter(victim__email__in=emails).select_related("partnership")
    for application in cases.order_by("partnership_id", "received_on", "id"):
        actor = (
            staff_in(application.partnership_id, roles=[Role.COMMUNITY_SAFETY_MANAGER], active_only=False)
            .order_by("id")
            .first()
        )
        if actor is None:
            continue
        wanted = []
        if application.events.filter(kind="acknowledged").exists():
            wanted.append(LetterKind.ACKNOWLEDGEMENT)
        latest = application.decisions.order_by("-decided_at", "-id").first()
        if latest is not None and application.partnership_id not in decision_letter_done:
            decision_letter_done.add(application.partnership_id)
            wanted.append(DECISION_LETTER[latest.decision])
        for kind in wanted:
            if Letter.objects.filter(case=application, kind=kind).exists():
                continue
            try:
                letter_issue(case=application, kind=kind, actor=actor)
                send_demo_letters(application, actor)
                issued += 1
            except LetterError as error:
                stdout.write(f"  Demo letter {kind} for {application.reference} not issued: {error.message}")
    if issued:
        stdout.write(f"Demo letters issued: {issued}.")


def send_demo_letters(case, actor) -> None:
    """Send the demo case's letters now, as they would be: emails through the outbox (the console
    in development), letters by post or by hand marked sent by the officer who issued them. Then
    the demo's clocks show what a real case would (met when sent, not when issued)."""
    from casereview.notifications.services import messages_deliver

    from .dispatch import letter_dispatch_mark_sent
    from .models import DispatchStatus, LetterDispatch

    open_dispatches = LetterDispatch.objects.filter(letter__case=case, status=DispatchStatus.QUEUED)
    messages = [d.message_id for d in open_dispatches if d.message_id]
    if messages:
        messages_deliver(message_ids=messages)
    for dispatch in open_dispatches.filter(message__isnull=True):
        letter_dispatch_mark_sent(dispatch=dispatch, actor=actor)
