from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("cases/<str:reference>/", views.case_record, name="case"),
    path("cases/<str:reference>/consent/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path(
        "cases/<str:reference>/consent/<int:withdrawal_id>/reinstate/",
        views.consent_reinstate,
        name="consent-reinstate",
    ),
    path("cases/<str:reference>/legal-hold/", views.legal_hold_place, name="hold-place"),
    path("cases/<str:reference>/legal-hold/<int:hold_id>/lift/", views.legal_hold_lift, name="hold-lift"),
    path("cases/<str:reference>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("cases/<str:reference>/special-category/", views.sensitive_record, name="sensitive-record"),
    path(
        "cases/<str:reference>/perpetrators/<int:perpetrator_id>/export.json",
        views.perpetrator_export_json,
        name="perpetrator-json",
    ),
    path(
        "cases/<str:reference>/perpetrators/<int:perpetrator_id>/export.pdf",
        views.perpetrator_export_pdf,
        name="perpetrator-pdf",
    ),
    path("legal-holds/", views.my_cases_with_holds, name="holds"),
    path("requests/", views.requests_list, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/erase/", views.request_erase, name="request-erase"),
    path("requests/<int:request_id>/export.json", views.request_export_json, name="request-json"),
    path("requests/<int:request_id>/export.pdf", views.request_export_pdf, name="request-pdf"),
    path("retention/", views.retention_dry_run, name="retention"),
]
