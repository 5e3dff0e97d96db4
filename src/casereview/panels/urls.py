from django.urls import path

from . import views

app_name = "panels"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("export.csv", views.meeting_list_csv, name="export"),
    path("cases/<str:reference>/", views.case_panels, name="case"),
    path("cases/<str:reference>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/chairs-pack.pdf", views.chairs_pack, name="pack"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/recommendations/add/", views.recommendation_add, name="recommendation_add"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/edit/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path("<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("<int:pk>/consultation/", views.consultation, name="consultation"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
    path("<int:pk>/circulate/", views.circulate, name="circulate"),
    path("<int:pk>/minutes/correct/", views.minutes_correct, name="minutes_correct"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
]
