"""Organisations across partnerships (ADR 0041): each agency becomes an organisation's membership
of its partnership; each user's partnership and agency become a Membership; each role grant is
granted in the user's partnership. Nothing is dropped before it has been copied."""

import django.db.models.deletion
from django.db import migrations, models

import casereview.accounts.models


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    Agency = apps.get_model("accounts", "Agency")
    Organisation = apps.get_model("accounts", "Organisation")
    Membership = apps.get_model("accounts", "Membership")
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    User = apps.get_model("accounts", "User")
    for agency in Agency.objects.using(alias).order_by("pk"):
        organisation = Organisation.objects.using(alias).create(name=agency.name, kind=agency.kind)
        Agency.objects.using(alias).filter(pk=agency.pk).update(organisation=organisation)
    organisation_of = dict(Agency.objects.using(alias).values_list("pk", "organisation_id"))
    for user_id, partnership_id, agency_id in (
        User.objects.using(alias)
        .filter(partnership__isnull=False)
        .values_list("pk", "partnership_id", "agency_id")
    ):
        Membership.objects.using(alias).create(
            user_id=user_id, partnership_id=partnership_id, agency_id=agency_id
        )
        RoleGrant.objects.using(alias).filter(user_id=user_id).update(partnership_id=partnership_id)
        if agency_id:
            User.objects.using(alias).filter(pk=user_id).update(organisation_id=organisation_of[agency_id])


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    Membership = apps.get_model("accounts", "Membership")
    User = apps.get_model("accounts", "User")
    # Back to one partnership per user: the first membership (others' grants would clash).
    for membership in Membership.objects.using(alias).order_by("user_id", "partnership_id"):
        User.objects.using(alias).filter(pk=membership.user_id, partnership__isnull=True).update(
            partnership_id=membership.partnership_id, agency_id=membership.agency_id
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("council", "Council"),
                            ("police", "Police"),
                            ("housing", "Registered provider of social housing"),
                            ("health", "Health body (ICB)"),
                            ("other", "Other organisation"),
                        ],
                        max_length=16,
                    ),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="agency",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agencies",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff",
                to="accounts.organisation",
            ),
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.agency",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to="accounts.partnership",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="accounts.user",
                    ),
                ),
            ],
            options={"ordering": ["partnership__name"]},
        ),
        migrations.AddField(
            model_name="rolegrant",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="role_grants",
                to="accounts.partnership",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveConstraint(model_name="rolegrant", name="role_grant_unique"),
        migrations.AddConstraint(
            model_name="rolegrant",
            constraint=models.UniqueConstraint(
                fields=("user", "partnership", "role"), name="role_grant_unique_in_partnership"
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(fields=("user", "partnership"), name="membership_unique"),
        ),
        migrations.RemoveField(model_name="user", name="agency"),
        migrations.RemoveField(model_name="user", name="partnership"),
        migrations.AlterField(
            model_name="membership",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff",
                to="accounts.agency",
            ),
        ),
        migrations.AlterField(
            model_name="agency",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agencies",
                to="accounts.organisation",
            ),
        ),
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", casereview.accounts.models.StaffManager())],
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(
                fields=("partnership", "organisation"), name="agency_unique_organisation"
            ),
        ),
    ]
