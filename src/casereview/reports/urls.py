from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.log_csv, name="export"),
    path("new/", views.report_new, name="new"),
    path("import/", views.import_reports, name="import"),
    path("teams/", views.teams, name="teams"),
    path("callers/find/", views.caller_find, name="caller_find"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/correct/", views.report_correct, name="correct"),
    path("<int:pk>/location/", views.location_history, name="location"),
    path("<int:pk>/caller/", views.caller_history, name="caller"),
    path("<int:pk>/explain/", views.explain, name="explain"),
    path("<int:pk>/explain/letter/", views.explain_letter, name="explain_letter"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots/history/", views.hotspot_history, name="hotspot_history"),
    path("hotspots/actions/new/", views.hotspot_action_new, name="hotspot_action_new"),
    path("hotspots/weekly/", views.weekly, name="weekly"),
    path("hotspots/weekly/pdf/", views.weekly_pdf, name="weekly_pdf"),
    path("repeat-callers/", views.repeat_callers, name="repeat_callers"),
    path("case/<str:reference>/evidence/", views.evidence_confirm, name="evidence_confirm"),
]
