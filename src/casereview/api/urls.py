"""`/api/v1/` (contracts §8; docs/api.md)."""

from django.http import HttpResponse
from django.urls import path

from . import partner_views, views

app_name = "api"


def openapi_json(request):
    from .schema import openapi_text

    return HttpResponse(openapi_text(), content_type="application/vnd.oai.openapi+json")


urlpatterns = [
    path("openapi.json", openapi_json, name="openapi"),
    path("reference/", views.reference_page, name="reference"),
    path("oauth/token", views.Token.as_view(), name="token"),
    path("reports", views.Reports.as_view(), name="reports"),
    path("reports/<str:agency_reference>", views.ReportDetail.as_view(), name="report"),
    path("reports/<str:agency_reference>/correct", views.ReportCorrect.as_view(), name="report-correct"),
    path("cases/<str:reference>", views.CaseDetail.as_view(), name="case"),
    path("information-requests", views.InformationRequests.as_view(), name="information-requests"),
    path(
        "information-requests/<int:pk>/answer",
        views.InformationRequestAnswer.as_view(),
        name="information-request-answer",
    ),
    path("actions", views.Actions.as_view(), name="actions"),
    path("actions/<int:pk>", views.ActionDetail.as_view(), name="action"),
    path("actions/<int:pk>/complete", views.ActionComplete.as_view(), name="action-complete"),
    path("actions/<int:pk>/delay", views.ActionDelay.as_view(), name="action-delay"),
    path("people", partner_views.People.as_view(), name="people"),
    path("places", partner_views.Places.as_view(), name="places"),
    path("referrals", partner_views.Referrals.as_view(), name="referrals"),
    path("referrals/<int:pk>", partner_views.ReferralDetail.as_view(), name="referral"),
    path("interventions", partner_views.Interventions.as_view(), name="interventions"),
    path("interventions/<int:pk>", partner_views.InterventionDetail.as_view(), name="intervention"),
    path(
        "interventions/<int:pk>/steps", partner_views.InterventionSteps.as_view(), name="intervention-steps"
    ),
    path(
        "interventions/<int:pk>/close", partner_views.InterventionClose.as_view(), name="intervention-close"
    ),
    path("webhooks", views.Webhooks.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/deliveries", views.WebhookDeliveries.as_view(), name="webhook-deliveries"),
    path("statistics", views.Statistics.as_view(), name="statistics"),
]
