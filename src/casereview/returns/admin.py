from django.contrib import admin

from .models import ForceArea


@admin.register(ForceArea)
class ForceAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "local_policing_body")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("partnerships",)
