"""A force area: the partnerships one police force (and its local policing body) serves, on one
deployment (issue 20, ADR 0060). Northamptonshire Police serves North and West Northamptonshire;
the Metropolitan Police serves 32 boroughs. Edited by the deployment's superusers in the admin."""

from django.db import models


class ForceArea(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text='e.g. "Northamptonshire".')
    slug = models.SlugField(unique=True, help_text="The force area's ID, used by the command line.")
    local_policing_body = models.CharField(
        max_length=200,
        blank=True,
        help_text='e.g. "Northamptonshire Police, Fire and Crime Commissioner" or "MOPAC".',
    )
    nation = models.CharField(
        max_length=8,
        choices=[("england", "England"), ("wales", "Wales")],
        default="england",
        help_text="Whose commencement dates apply to the local policing body's review route.",
    )
    partnerships = models.ManyToManyField("accounts.Partnership", related_name="force_areas", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
