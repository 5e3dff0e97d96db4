from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, Membership, Organisation, Partnership, RoleGrant, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # The deployment's superusers add a person to another partnership here (ADR 0041); each
    # partnership's administrator then grants their roles there in /account/administration/.
    inlines = [MembershipInline, RoleGrantInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Organisation", {"fields": ("organisation", "job_title", "phone", "line_manager")}),
    )


admin.site.register(Partnership)
admin.site.register(Organisation)
admin.site.register(Agency)
