from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, Partnership, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleGrantInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Partnership", {"fields": ("partnership", "agency", "job_title", "phone", "line_manager")}),
    )


admin.site.register(Partnership)
admin.site.register(Agency)
