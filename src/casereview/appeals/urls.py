from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("online/", views.online_start, name="online-start"),
    path("online/your-appeal/", views.online_appeal, name="online-appeal"),
    path("online/sent/", views.online_sent, name="online-sent"),
    path("case/<str:reference>/new/", views.appeal_lodge, name="lodge"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
]
