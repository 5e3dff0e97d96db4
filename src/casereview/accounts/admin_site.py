"""Django's admin is for the deployment's superusers only (issue 13).

A partnership's administrator manages its own users, agencies and roles in the product's own
pages (`accounts.administration`), which are scoped to their partnership. Django's admin has no
notion of a partnership: a staff account with the account models' permissions could change any
partnership's users and give itself a role anywhere. So `is_staff` and model permissions open
nothing here; only `is_superuser` does (the deployment's support staff, created with
`casereview createsuperuser`).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class DeploymentAdminSite(admin.AdminSite):
    site_header = "casereview: deployment administration (superusers only)"
    site_title = "casereview deployment administration"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class DeploymentAdminConfig(AdminConfig):
    default_site = "casereview.accounts.admin_site.DeploymentAdminSite"
