from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.person_new, name="person_new"),
    path("<int:profile_id>/", views.person_detail, name="person"),
    path("<int:profile_id>/identifiers/", views.person_identifier_add, name="person_identifier"),
    path("<int:profile_id>/places/", views.person_place_add, name="person_place"),
    path("<int:profile_id>/reports/about/", views.person_report_about, name="person_report_about"),
    path("<int:profile_id>/merge/", views.person_merge, name="person_merge"),
    path("places/new/", views.place_new, name="place_new"),
    path("places/<int:place_id>/", views.place_detail, name="place"),
    path("places/<int:place_id>/merge/", views.place_merge, name="place_merge"),
    path("merges/<int:merge_id>/", views.unmerge, name="unmerge"),
    path("reports/", views.resolve, name="resolve"),
    path("access/", views.access_list, name="access"),
    path("access/ask/", views.access_ask, name="access_ask"),
    path("access/<int:access_request_id>/", views.access_decide, name="access_decide"),
    path("case/<str:reference>/link/", views.case_party_link, name="case_link"),
]
