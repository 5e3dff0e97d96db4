"""Reads for notifications. A user sees only their own notices; a message to a victim is shown
only to those who look after cases (SPOC, community safety manager) on a case they can see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casereview.accounts.models import Role
from casereview.accounts.selectors import staff_in
from casereview.applications.selectors import applications_visible_to

from .models import Message, MessageStatus, Notice

#: Roles that send messages to victims by hand (print and post a letter, phone).
MESSAGE_ROLES = (Role.SPOC, Role.COMMUNITY_SAFETY_MANAGER, Role.ADMINISTRATOR)


def notices_for(user) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user)


def notices_unread(user) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user, read_at__isnull=True)


def notices_unread_count(user) -> int:
    return notices_unread(user).count()


def notices_unread_for_layout(request) -> QuerySet[Notice] | None:
    """The layout's unread count as a query (web.pagination.register_layout_count): a staff list
    counts it with its own counts, in one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return notices_unread(user)


def notice_get_for_user(user, pk: int) -> Notice:
    notice = Notice.objects.filter(recipient=user, pk=pk).first()
    if notice is None:
        raise Http404("No such notice")
    return notice


def messages_visible_to(user) -> QuerySet[Message]:
    """Messages to victims and applicants, and to agencies' mailboxes, on the cases the user can
    see (messages to members of staff are theirs alone)."""
    if not user.is_authenticated or not user.has_role(*MESSAGE_ROLES):
        return Message.objects.none()
    return Message.objects.filter(case__in=applications_visible_to(user), recipient_user__isnull=True)


def failed_messages_for(user) -> QuerySet[Message]:
    """Messages given up after their last retry, in the user's partnership: those on cases they can
    see, and those to staff of their partnership (an escalation email to a manager that never
    went) — each for someone to resend or deal with. Never left silently failed."""
    if not user.is_authenticated or not user.has_role(*MESSAGE_ROLES) or user.partnership_id is None:
        return Message.objects.none()
    on_cases = Q(case__in=applications_visible_to(user))
    # Staff of their partnership: EXISTS, so someone working in several partnerships is one row.
    to_staff = Q(case__isnull=True) & Q(
        Exists(staff_in(user.partnership_id, active_only=False).filter(pk=OuterRef("recipient_user_id")))
    )
    return (
        Message.objects.filter(on_cases | to_staff, status=MessageStatus.FAILED)
        .select_related("case", "recipient_user")
        .order_by("created_at", "id")
    )


def failed_message_get_for_user(user, pk: int) -> Message:
    message = failed_messages_for(user).filter(pk=pk).first()
    if message is None:
        raise Http404("No such message")
    return message


def staff_tasks_for(user) -> QuerySet[Message]:
    return (
        messages_visible_to(user)
        .filter(status=MessageStatus.STAFF_TASK)
        .select_related("case")
        .order_by("created_at", "id")
    )


def message_get_for_user(user, pk: int) -> Message:
    message = messages_visible_to(user).select_related("case", "recipient_person").filter(pk=pk).first()
    if message is None:
        raise Http404("No such message")
    return message


def messages_with_bodies_due(*, cutoff, partnership=None) -> QuerySet[Message]:
    """Outbox messages written on or before `cutoff` whose text and address are still stored and
    that have gone (sent, done by staff or failed: one still waiting is never cut), of
    `partnership` when given. Not scoped to a user: for the retention schedule (privacy.retention)."""
    rows = Message.objects.filter(
        body_deleted_at__isnull=True,
        created_at__date__lte=cutoff,
        status__in=(MessageStatus.SENT, MessageStatus.DONE_BY_STAFF, MessageStatus.FAILED),
    )
    if partnership is not None:
        rows = rows.filter(
            Q(case__partnership=partnership) | Q(case__isnull=True, recipient_user__partnership=partnership)
        )
    return rows
