from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("requests/", views.information_request_list, name="requests"),
    path("requests/<int:pk>/", views.information_request_detail, name="request"),
    path("cases/<str:reference>/", views.case_review, name="case"),
    path("cases/<str:reference>/spoc/", views.spoc_appoint, name="spoc"),
    path("cases/<str:reference>/contact/attempt/", views.contact_attempt, name="attempt"),
    path("cases/<str:reference>/contact/", views.victim_contact, name="contact"),
    path("cases/<str:reference>/unreachable/", views.victim_unreachable, name="unreachable"),
    path("cases/<str:reference>/risk/", views.risk_assessment, name="risk"),
    path("cases/<str:reference>/support/", views.support_referral, name="support"),
    path("cases/<str:reference>/requests/new/", views.information_request_new, name="request_new"),
    path("cases/<str:reference>/interim/", views.interim_action, name="interim"),
    path("cases/<str:reference>/reassign/", views.reassign, name="reassign"),
    path("cases/<str:reference>/reassign/actions/<int:pk>/", views.reassign_action, name="reassign_action"),
    path(
        "cases/<str:reference>/reassign/requests/<int:pk>/", views.reassign_request, name="reassign_request"
    ),
    path("cases/<str:reference>/letters/<str:kind>/", views.review_letter, name="letter"),
]
