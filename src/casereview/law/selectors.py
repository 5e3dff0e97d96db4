"""Reads of the law in force. `commencement_register()` is what every rule reads: the preset with
the administrator's dates laid over it (the force-area work's review route reads
`cpa2026.lpb_review` from it too)."""

from __future__ import annotations

from django.db.models import Max, Sum

from casereview.core.commencement import Register, default_register, register_with_settings, setting_value

from .models import Commencement, ProvisionSetting


def commencement_register() -> Register:
    """The preset with the administrator's dates and national settings laid over it."""
    rows = list(Commencement.objects.all())
    settings = list(ProvisionSetting.objects.all())
    register = default_register()
    if rows:
        totals = Commencement.objects.aggregate(versions=Sum("version"), latest=Max("updated_at"))
        version = f"{len(rows)}.{totals['versions']}"
        register = register.with_dates(
            [(row.provision, row.nation, row.in_force_on, row.source) for row in rows], version=version
        )
    if settings:
        register = register_with_settings(
            register, [(row.provision, row.name, setting_value(row.value)) for row in settings]
        )
        register = Register(
            register.provisions,
            version=f"{register.version}+s{len(settings)}.{sum(row.version for row in settings)}",
        )
    return register


def commencement_rows() -> list[dict]:
    """Every provision and nation, with its date and whether an administrator recorded it."""
    register = commencement_register()
    recorded = {(row.provision, row.nation) for row in Commencement.objects.all()}
    out = []
    for key in register.provision_keys():
        provision = register.provision(key)
        for nation in ("england", "wales"):
            out.append(
                {
                    "key": key,
                    "title": provision.title,
                    "nation": nation,
                    "in_force_on": provision.in_force_from(nation),
                    "source": provision.source,
                    "recorded": (key, nation) in recorded,
                }
            )
    return out
