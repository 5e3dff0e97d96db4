"""What the victim (or the third-party applicant) does from their own view of the review.

Every write is one transaction with its case event, so the SPOC sees each on the case timeline
(docs/portal.md). The case's other apps are reached through their services only; the calls that
name the case's keyword (`application=`) are all in this module, so the case's rename touches here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from casereview.appeals.services import appeal_lodge
from casereview.applications.services import (
    IncidentData,
    application_withdraw,
    case_event_record,
    incident_add,
)
from casereview.audit.services import access_event_record
from casereview.lpbreviews.services import lpb_review_request
from casereview.notifications.services import case_contacts, notice_create
from casereview.panels.services import victim_view_give
from casereview.web.concurrency import row_lock

from . import clamd, media
from .models import DiaryEntry, PortalRole, ScanStatus, Upload

logger = logging.getLogger(__name__)

WHO = {PortalRole.VICTIM: "The victim", PortalRole.APPLICANT: "The applicant"}


def actor_name(role: str) -> str:
    """How the access log names the person: their role and the way they came in, never a name."""
    return f"{role} (own view)"


def _event(case, *, role: str, kind: str, summary: str, data: dict | None = None, occurred_on=None):
    """The case event of something the person did from their own view, and a notice to the people
    looking after the case (the SPOC, else the community safety managers)."""
    event = case_event_record(
        application=case,
        kind=kind,
        summary=f"{WHO[role]} {summary}",
        data={"portal": True, "by": role, **(data or {})},
        occurred_on=occurred_on,
    )
    for user in case_contacts(case):
        notice_create(
            recipient=user,
            text=f"{case.reference}: {WHO[role].lower()} {summary}",
            url=f"/cases/{case.reference}/",
            case=case,
        )
    return event


def page_viewed(*, case, role: str, request, what: str) -> None:
    """Every page of the person's own view is in the access log, as the person."""
    access_event_record(
        action="view",  # audit.models.Action.VIEW
        request=request,
        obj=case,
        summary=f"Own view of the review: {what}",
        purpose="The person's own view of their review",
        actor_name=actor_name(role),
        details={"portal": role},
    )


# --- Diary ---------------------------------------------------------------------------------------


def diary_entry_add(
    *,
    case,
    role: str,
    occurred_on: dt.date,
    what_happened: str,
    time_of_day: str = "",
    where: str = "",
    reported_to: str = "",
    today: dt.date | None = None,
) -> DiaryEntry:
    today = today or timezone.localdate()
    errors = {}
    if occurred_on > today:
        errors["occurred_on"] = gettext("The date it happened must be today or in the past")
    elif occurred_on < case.received_on - dt.timedelta(days=366):
        errors["occurred_on"] = gettext("The date it happened must be in the last year")
    if not what_happened.strip():
        errors["what_happened"] = gettext("Enter what happened")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = DiaryEntry.objects.create(
            case=case,
            role=role,
            occurred_on=occurred_on,
            time_of_day=time_of_day.strip()[:40],
            what_happened=what_happened.strip(),
            where=where.strip()[:300],
            reported_to=reported_to.strip()[:300],
        )
        _event(
            case,
            role=role,
            kind="portal_diary_entry",
            summary=f"added a diary entry for {occurred_on:%-d %B %Y}, for the SPOC to review.",
            data={"diary_entry": entry.pk, "occurred_on": occurred_on.isoformat()},
        )
    return entry


def diary_entry_review(*, entry: DiaryEntry, actor) -> DiaryEntry:
    """The SPOC has read the entry and it needs nothing more on the case (ADR 0072). Once only: the
    row is locked and checked again, so two at once record one review."""
    with transaction.atomic():
        entry = row_lock(entry)
        if entry.reviewed_at is not None:
            raise ValidationError(_already_reviewed(entry))
        entry.reviewed_at, entry.reviewed_by = timezone.now(), actor
        entry.save(update_fields=["reviewed_at", "reviewed_by"])
        case_event_record(
            application=entry.case,
            kind="portal_diary_entry_reviewed",
            summary=f"{actor} reviewed the diary entry of {entry.occurred_on:%-d %B %Y} "
            "sent from the victim's own view.",
            actor=actor,
            data={"diary_entry": entry.pk},
        )
    return entry


def diary_entry_incident(
    *, entry: DiaryEntry, actor, description: str, location: str = "", occurred_on: dt.date | None = None
) -> DiaryEntry:
    """Turn the entry into an incident on the case (a diary sheet: `Incident.diary_sheet`), in the
    SPOC's words (prefilled with the person's), and mark the entry reviewed, in one transaction.
    Who it was reported to is then added to the incident as for any other (its report page)."""
    errors = {}
    if not description.strip():
        errors["description"] = "Enter what happened, as it should read on the case"
    if occurred_on is not None and occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date it happened must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = row_lock(entry)
        if entry.reviewed_at is not None:
            raise ValidationError(_already_reviewed(entry))
        incident = incident_add(
            application=entry.case,
            data=IncidentData(
                occurred_on=occurred_on or entry.occurred_on,
                description=description.strip(),
                location=location.strip()[:300],
                diary_sheet=True,
            ),
            actor=actor,
        )
        entry.reviewed_at, entry.reviewed_by, entry.incident_ref = timezone.now(), actor, incident.ref
        entry.save(update_fields=["reviewed_at", "reviewed_by", "incident_ref"])
        case_event_record(
            application=entry.case,
            kind="portal_diary_entry_incident",
            summary=f"{actor} added the diary entry of {entry.occurred_on:%-d %B %Y} sent from the "
            f"victim's own view to the case as incident {incident.ref}.",
            actor=actor,
            data={"diary_entry": entry.pk, "incident": incident.ref},
        )
    return entry


def _already_reviewed(entry: DiaryEntry) -> str:
    done = f"added as incident {entry.incident_ref}" if entry.incident_ref else "marked reviewed"
    who = f" by {entry.reviewed_by}" if entry.reviewed_by else ""
    return (
        f"This diary entry was already {done}{who} on {timezone.localtime(entry.reviewed_at):%-d %B %Y}. "
        "Nothing more was changed: go back to the case to see it."
    )


# --- Uploads -------------------------------------------------------------------------------------


def upload_dir() -> Path:
    """MEDIA_ROOT/portal: outside the web root, readable by the service's user only."""
    path = Path(settings.MEDIA_ROOT) / "portal"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def upload_path(upload: Upload) -> Path:
    return upload_dir() / upload.stored_name


def upload_add(*, case, role: str, name: str, content: bytes, description: str = "") -> Upload:
    """Store a photo, recording or document, held until the virus scanner clears it (ADR 0055)."""
    limit = settings.CASEREVIEW_EVIDENCE_MAX_BYTES
    if not content:
        raise ValidationError({"file": "The selected file is empty"})
    if len(content) > limit:
        raise ValidationError({"file": f"The selected file must be smaller than {limit // (1024 * 1024)}MB"})
    try:
        checked = media.check(content)
    except media.NotAllowed as exc:
        raise ValidationError(
            {
                "file": "The selected file must be a photo (JPG, PNG, WEBP), a recording "
                "(MP3, M4A, WAV, OGG, MP4, MOV) or a PDF"
            }
        ) from exc
    stem = "".join(
        ch for ch in name.rsplit(".", 1)[0].split("/")[-1].split("\\")[-1] if ch.isalnum() or ch in " -_"
    )
    original = f"{(stem.strip() or 'upload')[:150]}.{checked.extension}"
    with transaction.atomic():
        upload = Upload(
            case=case,
            role=role,
            original_name=original,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=hashlib.sha256(checked.content).hexdigest(),
            description=description.strip()[:300],
            location_removed=checked.location_removed,
        )
        upload.file.name = f"portal/{upload.stored_name}"
        target = upload_path(upload)
        target.write_bytes(checked.content)
        target.chmod(0o600)
        try:
            upload.save()
            _event(
                case,
                role=role,
                kind="portal_upload",
                summary="sent a file (held until the virus scanner clears it).",
                data={"upload": upload.pk, "content_type": checked.content_type},
            )
        except Exception:
            target.unlink(missing_ok=True)
            raise
    transaction.on_commit(lambda: upload_scan_quietly(upload.pk))
    return upload


def upload_scan_quietly(upload_id: int) -> None:
    upload = Upload.objects.filter(pk=upload_id, scan_status=ScanStatus.HELD).first()
    if upload is None:
        return
    try:
        upload_scan(upload)
    except clamd.ScannerUnavailable as exc:
        logger.warning("Upload %s stays held: %s", upload_id, exc)


def upload_scan(upload: Upload) -> Upload:
    """Scan a held upload. Clean: it may be opened by staff. Found: the file is deleted at once and
    the row says what was found. Raises clamd.ScannerUnavailable (it stays held) when unsure."""
    content = upload_path(upload).read_bytes()
    result = clamd.scan_bytes(content)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.scan_status != ScanStatus.HELD:
            return upload
        upload.scanned_at = timezone.now()
        if result.clean:
            upload.scan_status = ScanStatus.CLEAN
            upload.scan_result = "OK"
        else:
            upload.scan_status = ScanStatus.INFECTED
            upload.scan_result = result.signature[:200]
            upload_path(upload).unlink(missing_ok=True)
        upload.save(update_fields=["scan_status", "scan_result", "scanned_at"])
        case_event_record(
            application=upload.case,
            kind="portal_upload_scanned",
            summary=(
                "A file sent by the victim's side was cleared by the virus scanner."
                if result.clean
                else "A file sent by the victim's side was refused: the virus scanner found "
                f"{upload.scan_result}. It has been deleted."
            ),
            data={"upload": upload.pk, "clean": result.clean},
        )
    return upload


def uploads_scan_held(*, limit: int = 100) -> dict[str, int]:
    """The sweep for uploads still held (the scanner was down): `casereview portal_scan`."""
    counts = {"clean": 0, "infected": 0, "held": 0}
    for upload in Upload.objects.filter(scan_status=ScanStatus.HELD).order_by("id")[:limit]:
        try:
            upload = upload_scan(upload)
        except clamd.ScannerUnavailable:
            counts["held"] += 1
            continue
        counts[upload.scan_status] += 1
    return counts


# --- The panel, the appeal, withdrawing -----------------------------------------------------------


def view_give(*, case, role: str, meeting, how: str, statement: str = "", representative: str = ""):
    """The victim's say on how their voice is heard at the panel, through the panels' service (which
    records the case event); the SPOC is told."""
    with transaction.atomic():
        view = victim_view_give(
            meeting=meeting, how=how, given_by=role, statement=statement, representative=representative
        )
        for user in case_contacts(case):
            notice_create(
                recipient=user,
                text=f"{case.reference}: {WHO[role].lower()} said how their voice is heard at the panel.",
                url=f"/cases/{case.reference}/",
                case=case,
            )
    return view


def appeal_make(
    *,
    case,
    role: str,
    decision: str,
    grounds: list[str],
    explanation: str,
    late_explanation: str = "",
    today: dt.date | None = None,
):
    """An appeal lodged online from the person's own view (appeals.services.appeal_lodge records
    its own case event, "received (online)")."""
    with transaction.atomic():
        appeal = appeal_lodge(
            application=case,
            decision_appealed=decision,
            lodged_on=today or timezone.localdate(),
            channel="online",  # appeals.models.AppealChannel.ONLINE
            grounds=grounds,
            explanation=explanation,
            late_explanation=late_explanation,
            actor=None,
        )
        _event(
            case,
            role=role,
            kind="portal_appeal",
            summary="lodged an appeal from their own view.",
            data={"appeal": appeal.pk},
        )
    return appeal


def withdraw(*, case, role: str, reason: str, today: dt.date | None = None):
    """Withdraw the application at the person's wish. Irreversible (the confirmation page says so)."""
    with transaction.atomic():
        case = application_withdraw(
            application=case,
            actor=None,
            reason=reason or "The person withdrew it from their own view of the review.",
            withdrawn_on=today or timezone.localdate(),
        )
        _event(
            case, role=role, kind="portal_withdrawal", summary="withdrew the application from their own view."
        )
    return case


def access_event_record_sign_in(*, case, role: str, request, how: str = "a one-time code") -> None:
    """The sign-in, in the access log as the person."""
    access_event_record(
        action="sign_in",  # audit.models.Action.SIGN_IN
        request=request,
        obj=case,
        summary=f"Signed in to their own view of the review with {how}",
        actor_name=actor_name(role),
        details={"portal": role},
    )


def lpb_review_make(*, case, role: str, why: str, today: dt.date | None = None):
    """A request, from the person's own view, that the local policing body review the not-met
    decision (lpbreviews.services records its own case event; this one says it came from here)."""
    with transaction.atomic():
        review = lpb_review_request(
            application=case,
            requested_on=today or timezone.localdate(),
            channel="online",  # lpbreviews.models.RequestChannel.ONLINE
            why=why,
            actor=None,
        )
        _event(
            case,
            role=role,
            kind="portal_lpb_review",
            summary="asked the local policing body to review the threshold decision from their own view.",
            data={"lpb_review": review.pk},
        )
    return review
