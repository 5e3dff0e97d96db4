from django.urls import path

from . import views

app_name = "repeats"
urlpatterns = [
    path("case/<str:reference>/earlier/<int:pk>/confirm/", views.repeat_confirm, name="confirm"),
    path("case/<str:reference>/earlier/<int:pk>/not-the-same/", views.repeat_dismiss, name="dismiss"),
    path("case/<str:reference>/material-change/", views.assess, name="assess"),
    path("case/<str:reference>/flag/", views.flag_set, name="flag"),
    path("case/<str:reference>/flag/<int:pk>/review/", views.flag_review, name="flag-review"),
]
