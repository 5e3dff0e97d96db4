"""Writes for data protection. Each runs in one transaction and leaves a case event (the timeline
staff see) and an access-log row (what the data protection officer sees) where it touches a case.
Case event summaries never carry the personal data itself."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casereview.applications.services import case_event_record
from casereview.audit.services import Action, access_event_record
from casereview.web.concurrency import StaleRecord, content_version, row_lock, version_claim

from . import filetypes
from .models import (
    ConsentWithdrawal,
    DataSubjectRequest,
    EvidenceFile,
    LegalHold,
    RequestStatus,
    SensitiveInformation,
)

# --- Special category and criminal offence data -------------------------------------------------


def sensitive_version(record: SensitiveInformation | None) -> int:
    """The version of one person's special category record as the page read it: 0 before there is
    one, then a checksum of when it was last saved (web.concurrency.content_version)."""
    return 0 if record is None else content_version(record.pk, record.updated_at.isoformat())


def sensitive_information_held(*, application, person=None, perpetrator=None) -> SensitiveInformation | None:
    return SensitiveInformation.objects.filter(
        application=application, person=person, perpetrator=perpetrator
    ).first()


def sensitive_information_record(
    *, application, actor, person=None, perpetrator=None, source="", read_version: int | None = None, **values
):
    """Record (or replace) special category / criminal offence data about one person in a case.
    `read_version` is `sensitive_version` of the record held when the page was read: refused
    (`StaleRecord`) when one was recorded or changed since, so nobody replaces it unseen."""
    allowed = set(SensitiveInformation.SPECIAL_CATEGORY_FIELDS + SensitiveInformation.CRIMINAL_OFFENCE_FIELDS)
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(f"Unknown special category field(s): {', '.join(sorted(unknown))}")
    if (person is None) == (perpetrator is None):
        raise ValidationError("Say whose information this is: a person or an alleged perpetrator, not both.")
    with transaction.atomic():
        # The case's row queues two first records of a person (there is no row of theirs to lock yet).
        row_lock(application)
        held = (
            SensitiveInformation.objects.select_for_update()
            .filter(application=application, person=person, perpetrator=perpetrator)
            .first()
        )
        now = sensitive_version(held)
        if read_version is not None and now != read_version:
            raise StaleRecord(held, what="special category information", version=now)
        record, created = SensitiveInformation.objects.update_or_create(
            application=application,
            person=person,
            perpetrator=perpetrator,
            defaults={**values, "source": source, "recorded_by": actor},
        )
        case_event_record(
            application=application,
            kind="special_category_recorded",
            summary="Special category information recorded."
            if created
            else "Special category information updated.",
            actor=actor,
        )
    return record


# --- Consent to sharing ---------------------------------------------------------------------------


def consent_active_withdrawal(application) -> ConsentWithdrawal | None:
    return application.consent_withdrawals.filter(reinstated_at__isnull=True).first()


def consent_withdraw(
    *, application, withdrawn_on: dt.date, how: str, actor, notes: str = ""
) -> ConsentWithdrawal:
    """The victim withdraws consent to sharing with partner agencies. From now: agency officers no
    longer see the case (applications_visible_to), and sharing_check refuses new disclosures."""
    if not how.strip():
        raise ValidationError({"how": "Say how the victim told us they withdraw consent"})
    if consent_active_withdrawal(application):
        raise ValidationError("Consent has already been withdrawn on this case.")
    with transaction.atomic():
        withdrawal = ConsentWithdrawal.objects.create(
            application=application,
            withdrawn_on=withdrawn_on,
            how=how.strip(),
            notes=notes,
            recorded_by=actor,
        )
        case_event_record(
            application=application,
            kind="consent_withdrawn",
            summary="The victim withdrew consent to sharing with partner agencies: agency officers no "
            "longer have access and nothing more is shared.",
            actor=actor,
            occurred_on=withdrawn_on,
        )
        access_event_record(
            action=Action.CONSENT, user=actor, obj=application, summary="Consent to sharing withdrawn"
        )
        _duties_to_reassign_record(application, actor, withdrawn_on)
    return withdrawal


def consent_reinstate(*, withdrawal: ConsentWithdrawal, actor, reason: str) -> ConsentWithdrawal:
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why sharing may start again (for example, the victim agreed on a call)"}
        )
    with transaction.atomic():
        withdrawal.reinstated_at = timezone.now()
        withdrawal.reinstated_by = actor
        withdrawal.reinstated_reason = reason.strip()
        withdrawal.save(update_fields=["reinstated_at", "reinstated_by", "reinstated_reason"])
        case_event_record(
            application=withdrawal.application,
            kind="consent_reinstated",
            summary="The victim gave consent to sharing with partner agencies again.",
            actor=actor,
        )
        access_event_record(
            action=Action.CONSENT,
            user=actor,
            obj=withdrawal.application,
            summary="Consent to sharing reinstated",
        )
    return withdrawal


class SharingRefused(ValidationError):
    pass


# --- Who has lost access, and the duties they can no longer do --------------------------------------
#
# While the victim's consent stands withdrawn, every partner agency except the council that
# administers the review loses access to the case (applications_visible_to, sharing_check). Their
# open actions and information requests cannot be done by people who can no longer open the case,
# so they move to the SPOC to reassign (reviews: /reviews/cases/<ref>/reassign/) and the sweep
# stops chasing those agencies. "Lost access" is derived from the withdrawal itself, never stored
# twice: reinstating consent gives the duties back to their agencies without another write.


def lost_access_q(prefix: str = "", *, case_field: str = "application"):
    """A Q for rows (actions: prefix "owner_" and `case_field="case"`, information requests: the
    defaults) whose agency has lost access to their case because consent is withdrawn: not a
    council, on a case with a standing withdrawal. `case_field` names the rows' foreign key to the
    case (the case's own records say `case`, the review's records `application`: ADR 0050)."""
    from django.db.models import Exists, OuterRef, Q

    withdrawn = ConsentWithdrawal.objects.filter(application=OuterRef(case_field), reinstated_at__isnull=True)
    return Q(Exists(withdrawn)) & ~Q(**{f"{prefix}agency__kind": "council"})


def agency_has_lost_access(*, application, agency) -> bool:
    return agency.kind != "council" and consent_active_withdrawal(application) is not None


def _duties_to_reassign_record(application, actor, on: dt.date) -> None:
    """On withdrawal: record (and tell the SPOC) what has moved to them to reassign."""
    from casereview.notifications.services import case_contacts, staff_notify

    actions = application.actions.filter(status__in=("open", "delayed")).exclude(owner_agency__kind="council")
    requests = application.information_requests.filter(status="open").exclude(agency__kind="council")
    action_count, request_count = actions.count(), requests.count()
    if not (action_count or request_count):
        return
    what = f"{action_count} action(s) and {request_count} information request(s)"
    case_event_record(
        application=application,
        kind="duties_to_reassign",
        summary=f"{what} owned by agencies that can no longer see the case moved to the SPOC to "
        "reassign; they are no longer chased.",
        actor=actor,
        occurred_on=on,
        data={
            "actions": list(actions.values_list("pk", flat=True)),
            "information_requests": list(requests.values_list("pk", flat=True)),
        },
    )
    staff_notify(
        recipients=case_contacts(application),
        purpose="duties_to_reassign",
        text=f"Consent withdrawn on {application.reference}: reassign {what}.",
        url=f"/reviews/cases/{application.reference}/reassign/",
        case=application,
        actor=actor,
        occurred_on=on,
    )


def sharing_check(*, application, agency=None) -> None:
    """Call before disclosing anything about a case to a partner agency (an information request,
    the chair's pack, minutes). Raises SharingRefused while the victim's consent is withdrawn.
    The council administering the review is not a disclosure to a partner."""
    withdrawal = consent_active_withdrawal(application)
    if withdrawal is None:
        return
    if (
        agency is not None
        and agency.kind == "council"
        and agency.partnership_id == application.partnership_id
    ):
        return
    raise SharingRefused(
        f"The victim withdrew consent to sharing on {withdrawal.withdrawn_on:%-d %B %Y}. Nothing about this "
        "case may be shared with partner agencies unless consent is given again."
    )


# --- Legal holds ---------------------------------------------------------------------------------


def legal_hold_place(*, application, reason: str, actor) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the legal hold"})
    with transaction.atomic():
        hold = LegalHold.objects.create(application=application, reason=reason.strip(), placed_by=actor)
        case_event_record(
            application=application,
            kind="legal_hold_placed",
            summary="Legal hold placed: the record will not be deleted while it stands.",
            actor=actor,
        )
        access_event_record(
            action=Action.LEGAL_HOLD, user=actor, obj=application, summary="Legal hold placed"
        )
    return hold


def legal_hold_lift(*, hold: LegalHold, reason: str, actor) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"lifted_reason": "Enter the reason for lifting the legal hold"})
    if hold.lifted_at:
        raise ValidationError("This legal hold has already been lifted.")
    with transaction.atomic():
        hold.lifted_at = timezone.now()
        hold.lifted_by = actor
        hold.lifted_reason = reason.strip()
        hold.save(update_fields=["lifted_at", "lifted_by", "lifted_reason"])
        case_event_record(
            application=hold.application, kind="legal_hold_lifted", summary="Legal hold lifted.", actor=actor
        )
        access_event_record(
            action=Action.LEGAL_HOLD, user=actor, obj=hold.application, summary="Legal hold lifted"
        )
    return hold


# --- Data subject requests -----------------------------------------------------------------------


def one_month_from(received_on: dt.date) -> dt.date:
    """UK GDPR Art. 12(3): one month from receipt — the corresponding day of the next month, or
    that month's last day where it has no such day (ICO guidance: 31 January → 28/29 February)."""
    year, month = (
        (received_on.year + 1, 1) if received_on.month == 12 else (received_on.year, received_on.month + 1)
    )
    day = min(received_on.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def data_subject_request_record(
    *,
    partnership,
    kind: str,
    requester_name: str,
    received_on: dt.date,
    actor,
    person=None,
    details: str = "",
) -> DataSubjectRequest:
    errors = {}
    if not requester_name.strip():
        errors["requester_name"] = "Enter the name of the person making the request"
    if received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    if errors:
        raise ValidationError(errors)
    request = DataSubjectRequest.objects.create(
        partnership=partnership,
        person=person,
        requester_name=requester_name.strip(),
        kind=kind,
        received_on=received_on,
        due_on=one_month_from(received_on),
        details=details,
        recorded_by=actor,
    )
    access_event_record(
        action=Action.SUBJECT_ACCESS,
        user=actor,
        obj=request,
        summary=f"Data subject request {request.pk} recorded ({kind})",
        lawful_basis="ukgdpr_art15_17",
    )
    return request


def data_subject_request_update(
    *, request: DataSubjectRequest, status: str, outcome: str, actor, read_version: int | None = None
) -> DataSubjectRequest:
    """Move a request on. Refused (StaleRecord) when it changed since the form was read."""
    if status in {RequestStatus.COMPLETED, RequestStatus.REFUSED} and not outcome.strip():
        raise ValidationError({"outcome": "Say what was done, or why the request was refused"})
    with transaction.atomic():
        version_claim(request, read_version=read_version, what="request")
        return _request_update(request, status=status, outcome=outcome)


def _request_update(request: DataSubjectRequest, *, status: str, outcome: str) -> DataSubjectRequest:
    if status == RequestStatus.EXTENDED and request.status != RequestStatus.EXTENDED:
        # Art. 12(3): up to two further months for complex or numerous requests.
        due = request.due_on
        for _ in range(2):
            due = one_month_from(due)
        request.due_on = due
    request.status = status
    request.outcome = outcome.strip()
    request.completed_on = (
        timezone.localdate() if status in {RequestStatus.COMPLETED, RequestStatus.REFUSED} else None
    )
    request.save(update_fields=["status", "outcome", "completed_on", "due_on", "version"])
    return request


# --- Evidence files ------------------------------------------------------------------------------


def evidence_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "evidence"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def evidence_file_add(
    *, application, name: str, content: bytes, actor, description: str = ""
) -> EvidenceFile:
    """Store an evidence file: type from its content (magic bytes), not its name; size limited;
    a random stored name under MEDIA_ROOT (outside the web root); never served but through the
    access check."""
    limit = settings.CASEREVIEW_EVIDENCE_MAX_BYTES
    if len(content) == 0:
        raise ValidationError({"file": "The selected file is empty"})
    if len(content) > limit:
        raise ValidationError({"file": f"The selected file must be smaller than {limit // (1024 * 1024)}MB"})
    kind = filetypes.detect(content)
    if kind is None:
        raise ValidationError(
            {"file": "The selected file must be a JPG, PNG, GIF, WEBP, PDF, MP3, M4A, WAV, OGG, DOCX or ODT"}
        )
    declared = filetypes.kind_for_name(name)
    if declared is not None and declared.family != kind.family:
        raise ValidationError(
            {"file": f"The selected file’s name says it is a {declared.label} but it is a {kind.label}"}
        )
    safe_name = filetypes.safe_filename(name, kind)
    with transaction.atomic():
        evidence = EvidenceFile(
            application=application,
            original_name=safe_name,
            content_type=kind.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            description=description[:300],
            uploaded_by=actor,
        )
        target = evidence_dir() / evidence.stored_name
        target.write_bytes(content)
        target.chmod(0o600)
        try:
            evidence.save()
            case_event_record(
                application=application,
                kind="evidence_added",
                summary=f"Evidence file added ({kind.label}).",
                actor=actor,
            )
        except Exception:
            target.unlink(missing_ok=True)
            raise
    return evidence


def evidence_file_path(evidence: EvidenceFile) -> Path:
    return evidence_dir() / evidence.stored_name
