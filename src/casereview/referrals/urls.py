from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("figures/", views.figures_page, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<int:pk>/hold/", views.meeting_hold, name="hold"),
    path("meetings/<int:pk>/circulate/", views.meeting_circulate, name="circulate"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/issue/", views.minutes_issue, name="minutes_issue"),
    path("meetings/<int:pk>/items/<int:item_pk>/", views.item_record, name="item"),
    path("meetings/<int:pk>/items/<int:item_pk>/actions/add/", views.item_action_add, name="item_action"),
    path("meetings/<int:pk>/items/<int:item_pk>/share/", views.item_share, name="share"),
    path("<int:referral_id>/", views.referral_detail, name="referral"),
    path("<int:referral_id>/close/", views.referral_close, name="close"),
    path("<int:referral_id>/reopen/", views.referral_reopen, name="reopen"),
    path("<slug:kind_code>/new/", views.referral_new, name="new"),
    path("<slug:kind_code>/cases/", views.case_list, name="cases"),
    path("<slug:kind_code>/cases/export.csv", views.case_list_csv, name="cases_csv"),
    path("<slug:kind_code>/meetings/", views.meeting_list, name="meetings"),
    path("<slug:kind_code>/meetings/export.csv", views.meeting_list_csv, name="meetings_csv"),
    path("<slug:kind_code>/meetings/new/", views.meeting_new, name="meeting_new"),
]
