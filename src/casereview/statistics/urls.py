"""/statistics/ is public and fixed by contract (§1): councils link to it."""

from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.statistics_page, name="page"),
    path("figures.csv", views.statistics_csv, name="csv"),
]
