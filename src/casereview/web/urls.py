from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.start, name="start"),
    path("home/", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
