from django.urls import path

from . import views

app_name = "interventions"
urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("new/", views.intervention_open, name="open"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.intervention_detail, name="detail"),
    path("<int:pk>/steps/new/", views.step_new, name="step_new"),
    path("<int:pk>/steps/<int:step_id>/outcome/", views.step_outcome, name="step_outcome"),
    path("<int:pk>/steps/<int:step_id>/hearing/", views.step_hearing, name="step_hearing"),
    path("<int:pk>/steps/<int:step_id>/document/", views.step_document, name="step_document"),
    path("<int:pk>/case/", views.casework_edit, name="casework"),
    path("<int:pk>/case/people/new/", views.protected_person_new, name="protected_person_new"),
    path("<int:pk>/support/new/", views.referral_new, name="referral_new"),
    path("<int:pk>/support/<int:support_id>/", views.referral_answer, name="referral_answer"),
    path("<int:pk>/breaches/<int:flag_id>/", views.breach_decide, name="breach_decide"),
    path("<int:pk>/close/", views.intervention_close, name="close"),
]
