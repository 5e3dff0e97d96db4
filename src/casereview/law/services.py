"""Writes to the commencement register: each in one transaction, with its row in the access log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from casereview.audit.services import Action, access_event_record
from casereview.core import lpb_review
from casereview.core.commencement import NATIONS, default_register, register_with_settings, setting_value
from casereview.core.errors import PolicyError

from .models import Commencement, ProvisionSetting

#: The rule that reads each provision's settings, to refuse a value it could not use (naming it).
SETTING_CHECKS = {lpb_review.PROVISION: lpb_review.rules_from}


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


def provision_setting_check(*, provision: str, name: str, value: str) -> None:
    """Refuse, naming the field, a setting the rule that reads it could not use."""
    check = SETTING_CHECKS.get(provision)
    if provision not in default_register().provision_keys() or check is None:
        raise ValidationError({"provision": "Choose a provision that has national settings."})
    try:
        check(register_with_settings(default_register(), [(provision, name, setting_value(value))]))
    except PolicyError as error:
        field = "name" if "unknown key" in str(error) else "value"
        raise ValidationError({field: f"{error}"}) from error


def provision_setting_record(
    *, provision: str, name: str, value: str, source: str, actor, read_version: int | None = None
) -> ProvisionSetting:
    """Record (or change) one national setting of a provision; refused, naming the setting, when
    the rule that reads it could not use the value. The access log keeps the before and after."""
    provision_setting_check(provision=provision, name=name, value=value)
    if not (source or "").strip():
        raise ValidationError({"source": "Enter where the value comes from (the regulations)."})
    value = (value or "").strip()
    with transaction.atomic():
        row = ProvisionSetting.objects.select_for_update().filter(provision=provision, name=name).first()
        before = row.value if row else None
        if row is None:
            row = ProvisionSetting(provision=provision, name=name)
        elif read_version is not None and row.version != read_version:
            from casereview.web.concurrency import StaleRecord

            raise StaleRecord(row, what="national setting")
        else:
            row.version += 1
        row.value = value
        row.source = source.strip()
        row.updated_by = actor
        row.save()
        access_event_record(
            action=Action.UPDATE,
            user=actor,
            obj=row,
            summary=f"National setting {name} of {provision} recorded",
            details={
                "provision": provision,
                "name": name,
                "before": before,
                "after": value,
                "source": row.source,
            },
        )
    return row


def provision_setting_remove(*, row: ProvisionSetting, actor) -> None:
    """Back to the preset's value of this setting."""
    with transaction.atomic():
        access_event_record(
            action=Action.DELETE,
            user=actor,
            obj=row,
            summary=f"National setting {row.name} of {row.provision} back to the preset",
            details={"provision": row.provision, "name": row.name, "before": row.value},
        )
        row.delete()
