from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.notices_read, name="read"),
    path("<int:pk>/", views.notice_open, name="open"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("failed/", views.failed_list, name="failed"),
    path("failed/<int:pk>/resend/", views.failed_resend, name="resend"),
    # GOV.UK Notify's callbacks (set these URLs and the bearer token in Notify's API integration page).
    path("notify/delivery-status/", views.notify_delivery_status, name="notify_delivery_status"),
    path("notify/returned-letter/", views.notify_returned_letter, name="notify_returned_letter"),
]
