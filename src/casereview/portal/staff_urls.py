"""The staff's pages for what the person sent from their own view (ADR 0072): on a case they may
see, a diary entry to review or turn into an incident, and a cleared upload to download."""

from django.urls import path

from . import staff_views

app_name = "own-view"
urlpatterns = [
    path("cases/<str:reference>/diary/<int:diary_entry_id>/", staff_views.diary_entry, name="diary-entry"),
    path(
        "cases/<str:reference>/diary/<int:diary_entry_id>/reviewed/",
        staff_views.diary_entry_reviewed,
        name="diary-entry-reviewed",
    ),
    path("cases/<str:reference>/uploads/<int:upload_id>/", staff_views.upload_download, name="upload"),
]
