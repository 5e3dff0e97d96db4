from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.return_page, name="page"),
    path("data-return.csv", views.return_csv_view, name="csv"),
    path("data-return.json", views.return_json_view, name="json"),
    path("force-area/", views.force_area_page, name="force_area"),
]
