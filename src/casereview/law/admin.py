"""The deployment administrator's page for commencement dates (superusers only: accounts.admin_site).

Each save and delete goes through the services, so it is one transaction with its access-log row,
before and after."""

from django.contrib import admin, messages

from . import services
from .models import Commencement


@admin.register(Commencement)
class CommencementAdmin(admin.ModelAdmin):
    list_display = ("provision", "nation", "in_force_on", "source", "updated_by", "updated_at")
    list_filter = ("nation",)
    search_fields = ("provision", "source")
    fields = ("provision", "nation", "in_force_on", "source")

    def get_readonly_fields(self, request, obj=None):
        return ("provision", "nation") if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.commencement_record(
            provision=obj.provision,
            nation=obj.nation,
            in_force_on=obj.in_force_on,
            source=obj.source,
            actor=request.user,
        )
        obj.pk, obj.version = saved.pk, saved.version
        messages.info(
            request, "The rules read the new date from now on; steps already recorded keep their check."
        )

    def delete_model(self, request, obj):
        services.commencement_remove(row=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            services.commencement_remove(row=row, actor=request.user)
