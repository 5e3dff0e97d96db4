"""Writes to the access log. Call these; never create AccessEvent rows directly.

- `audit_read(user=..., obj=..., purpose=...)`: someone saw a record holding personal data.
- `audit_disclosure(...)`: personal data was shared with a partner agency — with its purpose and
  lawful basis (2014 Act Sch 4 para 7; Crime and Disorder Act 1998 s.115).
- `access_event_record(...)`: anything else (sign-in, exports, consent, legal holds).

None of these may be given personal data in `summary`: name the record, not its contents.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from . import context
from .models import AccessEvent, Action, LawfulBasis

# The case kernel (applications.Case) and its review kind's proxy (applications.Application).
CASE_LABELS = ("applications.case", "applications.application")


def _case_reference(obj) -> str:
    """The case reference a record belongs to, found by walking to its application."""
    seen = 0
    current = obj
    while current is not None and seen < 5:
        reference = getattr(current, "reference", None)
        if isinstance(reference, str) and current._meta.label_lower in CASE_LABELS:
            return reference
        nxt = None
        for name in ("case", "application", "incident", "review", "panel", "meeting", "appeal", "action"):
            if hasattr(current, f"{name}_id") or hasattr(type(current), name):
                try:
                    nxt = getattr(current, name, None)
                except Exception:  # noqa: BLE001 - a broken relation must never stop the audit
                    nxt = None
                if nxt is not None:
                    break
        current = nxt
        seen += 1
    return ""


def access_event_record(
    *,
    action: str,
    user=None,
    request=None,
    obj=None,
    case_reference: str = "",
    summary: str = "",
    purpose: str = "",
    lawful_basis: str = "",
    recipient: str = "",
    details: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    actor_name: str = "",
) -> AccessEvent:
    """`actor_name`: who acted when it is not a staff user — a victim in their own view of the
    review is "victim (portal)" — so every read is attributed to a person (casereview.portal)."""
    ctx = context.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None and ctx is not None:
        user = ctx.user
    authenticated = bool(getattr(user, "is_authenticated", False))
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        case_reference = case_reference or _case_reference(obj)
    if request is not None:
        ip = _client_ip(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        path, method = request.path, request.method
    elif ctx is not None:
        ip, user_agent, path, method = ctx.ip_address, ctx.user_agent, ctx.path, ctx.method
    else:
        ip, user_agent, path, method = None, "", "", ""
    if ctx is not None and ctx.api_client:
        details = {**(details or {}), "api_client": ctx.api_client, "acting_person": ctx.acting_person}
    event = AccessEvent(
        actor=user if authenticated else None,
        actor_username=user.get_username() if authenticated else actor_name[:150],
        actor_agency=str(user.agency) if authenticated and getattr(user, "agency_id", None) else "",
        partnership_slug=(
            user.partnership.slug if authenticated and getattr(user, "partnership_id", None) else ""
        ),
        action=action,
        case_reference=case_reference,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        purpose=purpose[:300],
        lawful_basis=lawful_basis,
        recipient=recipient[:200],
        path=path[:500],
        method=method[:8],
        ip_address=ip,
        user_agent=user_agent[:300],
        details=details or {},
    )
    event.save()
    if ctx is not None:
        ctx.recorded += 1
    return event


def audit_read(*, user, obj, purpose: str, summary: str = "", details: dict | None = None) -> AccessEvent:
    """Record that `user` saw `obj` (a record holding personal data), and why."""
    return access_event_record(
        action=Action.VIEW,
        user=user,
        obj=obj,
        purpose=purpose,
        summary=summary or f"Viewed {obj._meta.verbose_name} {getattr(obj, 'reference', '') or obj.pk}",
        details=details,
    )


def audit_disclosure(
    *,
    user,
    obj,
    recipient: str,
    purpose: str,
    lawful_basis: str = LawfulBasis.ASBCPA_SCH4_PARA7,
    summary: str = "",
) -> AccessEvent:
    """Record that personal data in `obj` was shared with `recipient` (an agency), for `purpose`,
    under `lawful_basis`. Call it in the same transaction as the sharing itself."""
    if lawful_basis not in LawfulBasis.values:
        raise ValueError(f"Unknown lawful basis {lawful_basis!r}: use audit.models.LawfulBasis")
    return access_event_record(
        action=Action.DISCLOSE,
        user=user,
        obj=obj,
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        summary=summary or f"Shared with {recipient}",
    )


def _client_ip(request) -> str | None:
    from casereview.web.client_address import client_address

    return client_address(request)


def access_events_scrub(
    *, case_reference: str = "", object_type: str = "", object_ids=(), names=(), actor=None
):
    """The one exception to append-only: at the end of a record's retention period, blank the
    personal data in its audit rows (summary, purpose, recipient, path, details, address and
    browser), keeping the skeleton — when, who, what kind of action — as the accountability
    record. Records a `retention` event. Returns the number of rows scrubbed.

    `names`: people's names to look for in other rows' search details (a search for the person).
    """
    with transaction.atomic():
        rows = AccessEvent.objects.none()
        if case_reference:
            rows = rows | AccessEvent.objects.filter(case_reference=case_reference)
        if object_type and object_ids:
            rows = rows | AccessEvent.objects.filter(
                object_type=object_type, object_id__in=[str(i) for i in object_ids]
            )
        for name in names:
            if name and len(name) >= 3:
                rows = rows | AccessEvent.objects.filter(details__icontains=name)
        rows = rows.filter(scrubbed_at__isnull=True).exclude(action=Action.RETENTION)
        scrubbed_at = timezone.now()
        if connection.vendor == "postgresql":
            # The application's role may not UPDATE the log at all: the scrub is the owner's
            # SECURITY DEFINER function (audit migration 0003), which blanks only these columns.
            ids = list(rows.values_list("pk", flat=True))
            with connection.cursor() as cursor:
                cursor.execute("SELECT audit_accessevent_scrub(%s::bigint[], %s)", [ids, scrubbed_at])
                count = cursor.fetchone()[0]
        else:
            count = rows._scrub_update(
                summary="",
                purpose="",
                recipient="",
                path="",
                user_agent="",
                ip_address=None,
                details={},
                scrubbed_at=scrubbed_at,
            )
        access_event_record(
            action=Action.RETENTION,
            user=actor,
            case_reference=case_reference,
            summary=f"Personal data scrubbed from {count} audit row(s) at the end of retention",
        )
    return count
