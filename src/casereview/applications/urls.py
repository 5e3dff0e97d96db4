"""The staff workspace, mounted at /cases/. A case is addressed by its reference (not sensitive:
it names no one)."""

from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.csv", views.case_list_csv, name="export"),
    path("new/", views.case_create, name="create"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/acknowledge/", views.case_acknowledge, name="acknowledge"),
    path("<str:reference>/consent/", views.case_consent, name="consent"),
    path("<str:reference>/withdraw/", views.case_withdraw, name="withdraw"),
    path("<str:reference>/threshold/", views.case_threshold, name="threshold"),
    path("<str:reference>/decide/", views.case_decide, name="decide"),
    path("<str:reference>/incidents/new/", views.incident_add, name="incident_add"),
    path("<str:reference>/incidents/<str:incident_ref>/edit/", views.incident_edit, name="incident_edit"),
    path(
        "<str:reference>/incidents/<str:incident_ref>/remove/", views.incident_remove, name="incident_remove"
    ),
    path("<str:reference>/incidents/<str:incident_ref>/reports/new/", views.report_add, name="report_add"),
    path("<str:reference>/reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<str:reference>/reports/<int:pk>/remove/", views.report_remove, name="report_remove"),
    path("<str:reference>/reports/<int:pk>/move/", views.report_move, name="report_move"),
    path("<str:reference>/perpetrators/new/", views.perpetrator_edit, name="perpetrator_add"),
    path("<str:reference>/perpetrators/<int:pk>/edit/", views.perpetrator_edit, name="perpetrator_edit"),
    # The case's own pages beside its summary (ADR 0093), then one page per registered section
    # (case_sections.py; a section may not take a key the addresses above use).
    path("<str:reference>/incidents/", views.case_incidents, name="incidents"),
    path("<str:reference>/decisions/", views.case_decisions, name="decisions"),
    path("<str:reference>/timeline/", views.case_timeline, name="timeline"),
    path("<str:reference>/<slug:section>/", views.case_section, name="section"),
]
