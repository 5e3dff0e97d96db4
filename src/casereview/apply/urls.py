"""The public application. `/apply/` is fixed by contract (§1): councils link to it."""

from django.urls import path

from . import views

app_name = "apply"
urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("start-again/", views.StartAgainView.as_view(), name="start-again"),
    path("session-ended/", views.session_ended, name="session-ended"),
    path("danger/", views.DangerView.as_view(), name="danger"),
    path("call-999/", views.danger_exit, name="danger-exit"),
    path("area/", views.AreaView.as_view(), name="area"),
    path("area/choose/", views.AreaChoiceView.as_view(), name="area-choice"),
    path("area/not-covered/", views.area_elsewhere, name="area-elsewhere"),
    path("what-to-look-at/", views.ConcernsView.as_view(), name="concerns"),
    path("other-routes/", views.not_the_right_route, name="not-the-right-route"),
    path("who/", views.WhoView.as_view(), name="who"),
    path("applying-for/", views.VictimKindView.as_view(), name="victim-kind"),
    path("relationship/", views.RelationshipView.as_view(), name="relationship"),
    path("your-details/", views.YourDetailsView.as_view(), name="your-details"),
    path("consent/", views.ConsentView.as_view(), name="consent"),
    path("name/", views.VictimNameView.as_view(), name="victim-name"),
    path("address/", views.VictimAddressView.as_view(), name="victim-address"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("contact-safely/", views.ContactSafetyView.as_view(), name="contact-safety"),
    path("needs/", views.NeedsView.as_view(), name="needs"),
    path("incidents/", views.IncidentsView.as_view(), name="incidents"),
    path("incidents/<int:number>/when/", views.IncidentWhenView.as_view(), name="incident-when"),
    path("incidents/<int:number>/what/", views.IncidentWhatView.as_view(), name="incident-what"),
    path(
        "incidents/<int:number>/hostility/", views.IncidentHostilityView.as_view(), name="incident-hostility"
    ),
    path("incidents/<int:number>/reported/", views.IncidentReportedView.as_view(), name="incident-reported"),
    path("incidents/<int:number>/reports/", views.IncidentReportsView.as_view(), name="incident-reports"),
    path("incidents/<int:number>/remove/", views.IncidentRemoveView.as_view(), name="incident-remove"),
    path("what-has-happened/", views.SummaryView.as_view(), name="what-has-happened"),
    path("outcome/", views.OutcomeView.as_view(), name="outcome"),
    path("check-your-answers/", views.CheckAnswersView.as_view(), name="check-answers"),
    path("confirmation/", views.ConfirmationView.as_view(), name="confirmation"),
    path("save/", views.SaveView.as_view(), name="save"),
    path("saved/", views.saved, name="saved"),
    path("return/<str:token>/", views.come_back, name="return"),
]
