"""Writes to the commencement register: each in one transaction, with its row in the access log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from casereview.audit.services import Action, access_event_record
from casereview.core.commencement import NATIONS, default_register

from .models import Commencement


def commencement_record(
    *,
    provision: str,
    nation: str,
    in_force_on: dt.date | None,
    source: str,
    actor,
    read_version: int | None = None,
) -> Commencement:
    """Record (or change) one nation's date for one provision; the access log keeps the before and after."""
    if provision not in default_register().provision_keys():
        raise ValidationError({"provision": "Choose a provision the product knows."})
    if nation not in NATIONS:
        raise ValidationError({"nation": "Choose England or Wales."})
    if not (source or "").strip():
        raise ValidationError({"source": "Enter where the date comes from (the commencement regulations)."})
    with transaction.atomic():
        row = Commencement.objects.select_for_update().filter(provision=provision, nation=nation).first()
        before = row.in_force_on.isoformat() if row and row.in_force_on else None
        if row is None:
            row = Commencement(provision=provision, nation=nation)
        elif read_version is not None and row.version != read_version:
            from casereview.web.concurrency import StaleRecord

            raise StaleRecord(row, what="commencement date")
        else:
            row.version += 1
        row.in_force_on = in_force_on
        row.source = source.strip()
        row.updated_by = actor
        row.save()
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=row,
            summary=f"Commencement of {provision} in {nation} recorded",
            details={
                "provision": provision,
                "nation": nation,
                "before": before,
                "after": in_force_on.isoformat() if in_force_on else None,
                "source": row.source,
            },
        )
    return row


def commencement_remove(*, row: Commencement, actor) -> None:
    """Back to the preset's date for this provision and nation."""
    with transaction.atomic():
        access_event_record(
            action=Action.DELETE,
            user=actor,
            obj=row,
            summary=f"Commencement of {row.provision} in {row.nation} back to the preset",
            details={
                "provision": row.provision,
                "nation": row.nation,
                "before": row.in_force_on.isoformat() if row.in_force_on else None,
            },
        )
        row.delete()
