from django.urls import path

from . import views

app_name = "tracker"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_new, name="new"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("<int:entry_id>/", views.entry_detail, name="entry"),
    path("<int:entry_id>/edit/", views.entry_edit, name="edit"),
    path("<int:entry_id>/status/", views.entry_status, name="status"),
    path("<int:entry_id>/history/", views.entry_history_add, name="history"),
]
