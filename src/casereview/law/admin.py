"""The deployment administrator's page for commencement dates (superusers only: accounts.admin_site).

Each save and delete goes through the services, so it is one transaction with its access-log row,
before and after."""

from django.contrib import admin, messages

from . import services
from .models import Commencement, ProvisionSetting


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


@admin.register(ProvisionSetting)
class ProvisionSettingAdmin(admin.ModelAdmin):
    """A provision's national settings (the local policing body review's appeal first and time
    limit), through the services: checked by the rule that reads them, each change logged."""

    list_display = ("provision", "name", "value", "source", "updated_by", "updated_at")
    fields = ("provision", "name", "value", "source")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class Checked(form):
            def clean(self):
                data = super().clean()
                provision = data.get("provision") or (obj.provision if obj else "")
                name = data.get("name") or (obj.name if obj else "")
                if provision and name and data.get("value") is not None:
                    services.provision_setting_check(provision=provision, name=name, value=data["value"])
                return data

        return Checked

    def get_readonly_fields(self, request, obj=None):
        return ("provision", "name") if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.provision_setting_record(
            provision=obj.provision, name=obj.name, value=obj.value, source=obj.source, actor=request.user
        )
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request, obj):
        services.provision_setting_remove(row=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            services.provision_setting_remove(row=row, actor=request.user)
