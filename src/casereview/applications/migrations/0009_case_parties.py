"""Parties in roles (ADR 0048): the CaseParty table, and a row for every existing case's victim,
applicant and alleged perpetrator. Backwards, the table goes (the shortcuts it was derived from
stay on the case and AllegedPerpetrator, so nothing is lost)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BATCH = 2000


def parties_derive(apps, schema_editor):
    """A CaseParty row for every case's victim, applicant and alleged perpetrator, as the services
    write them from now on: since the day the case was received, added by no one (the migration)."""
    Case = apps.get_model("applications", "Case")
    AllegedPerpetrator = apps.get_model("applications", "AllegedPerpetrator")
    CaseParty = apps.get_model("applications", "CaseParty")
    # On the migrating connection (the schema owner's, where the deployment separates the roles).
    db = schema_editor.connection.alias
    received = {}
    rows = []
    cases = (
        Case._base_manager.using(db)
        .order_by("pk")
        .values_list("pk", "received_on", "victim_id", "applicant_id")
    )
    for pk, received_on, victim_id, applicant_id in cases.iterator(chunk_size=BATCH):
        received[pk] = received_on
        if victim_id is not None:
            rows.append(CaseParty(case_id=pk, role="victim", person_id=victim_id, since=received_on))
        if applicant_id is not None:
            rows.append(CaseParty(case_id=pk, role="applicant", person_id=applicant_id, since=received_on))
        if len(rows) >= BATCH:
            CaseParty.objects.using(db).bulk_create(rows, batch_size=BATCH)
            rows = []
    perpetrators = (
        AllegedPerpetrator._base_manager.using(db).order_by("pk").values_list("pk", "application_id")
    )
    for pk, case_id in perpetrators.iterator(chunk_size=BATCH):
        rows.append(
            CaseParty(case_id=case_id, role="alleged_perpetrator", perpetrator_id=pk, since=received[case_id])
        )
        if len(rows) >= BATCH:
            CaseParty.objects.using(db).bulk_create(rows, batch_size=BATCH)
            rows = []
    CaseParty.objects.using(db).bulk_create(rows, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_case_kernel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseParty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("victim", "Victim"),
                            ("applicant", "Applicant"),
                            ("alleged_perpetrator", "Alleged perpetrator"),
                            ("vulnerable_host", "Vulnerable host"),
                            ("witness", "Witness"),
                            ("reporter", "Reporter"),
                            ("subject", "Subject of the case"),
                        ],
                        max_length=30,
                    ),
                ),
                ("since", models.DateField(blank=True, null=True)),
                ("until", models.DateField(blank=True, null=True)),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parties",
                        to="applications.case",
                    ),
                ),
                (
                    "perpetrator",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="party",
                        to="applications.allegedperpetrator",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="case_parties",
                        to="applications.person",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "case parties",
                "ordering": ["case", "role", "id"],
                "indexes": [models.Index(fields=["case", "role"], name="caseparty_case_role")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("perpetrator__isnull", True),
                                ("person__isnull", False),
                                models.Q(("role", "alleged_perpetrator"), _negated=True),
                            ),
                            models.Q(
                                ("perpetrator__isnull", False),
                                ("person__isnull", True),
                                ("role", "alleged_perpetrator"),
                            ),
                            _connector="OR",
                        ),
                        name="caseparty_person_or_perpetrator",
                    )
                ],
            },
        ),
        migrations.RunPython(parties_derive, migrations.RunPython.noop, elidable=False),
    ]
