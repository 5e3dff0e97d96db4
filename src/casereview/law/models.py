"""The commencement register's dates as the deployment's administrator records them (ADR 0057).

The defaults, each with its source, are the pure core's preset (core/presets/commencement.toml).
A row here lays one nation's date for one provision over the preset — a commencement regulation
made after the code was written, a date brought forward or a provision taken out of force — so the
rules change on the right day without a code change. `in_force_on` empty: not in force there.
"""

from django.conf import settings
from django.db import models

from casereview.core.commencement import NATIONS, default_register
from casereview.web.concurrency import Versioned


def provision_choices() -> list[tuple[str, str]]:
    register = default_register()
    return [(key, f"{key}: {register.provision(key).title}") for key in register.provision_keys()]


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"


assert tuple(Nation.values) == NATIONS


class Commencement(Versioned):
    provision = models.CharField(max_length=80, choices=provision_choices)
    nation = models.CharField(max_length=8, choices=Nation.choices)
    in_force_on = models.DateField(
        null=True, blank=True, help_text="The day it comes into force there. Empty: not in force."
    )
    source = models.CharField(
        max_length=300, help_text="Where the date comes from, e.g. the commencement regulations' SI number."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provision", "nation"]
        verbose_name = "commencement date"
        constraints = [
            models.UniqueConstraint(fields=["provision", "nation"], name="commencement_one_per_nation")
        ]

    def __str__(self) -> str:
        return f"{self.provision} ({self.get_nation_display()})"


class ProvisionSetting(Versioned):
    """A national setting of a provision (e.g. the local policing body review's time limit) as the
    deployment's administrator records it, laid over the preset's (core/presets/commencement.toml):
    set by regulations, not by any partnership, so it belongs to the register (ADR 0069)."""

    provision = models.CharField(max_length=80, choices=provision_choices)
    name = models.CharField(max_length=60, help_text='The setting, e.g. "time_limit" or "appeal_first".')
    value = models.CharField(
        max_length=100, help_text='As the preset writes it: "true" or "false", or a period such as "28 days".'
    )
    source = models.CharField(max_length=300, help_text="Where the value comes from (the regulations).")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provision", "name"]
        verbose_name = "national setting"
        constraints = [
            models.UniqueConstraint(fields=["provision", "name"], name="provision_setting_one_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.provision}: {self.name}"
