"""Letters addresses: a case's reference, a letter's number, a kind of letter — never a name."""

from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("case/<str:reference>/", views.case_letters, name="case"),
    path("case/<str:reference>/preview/", views.letter_preview_page, name="preview"),
    path("case/<str:reference>/issue/", views.letter_issue_page, name="issue"),
    path("case/<str:reference>/contact/<int:person_id>/", views.contact_details, name="contact"),
    path("case/<str:reference>/warning/<int:perpetrator_id>/", views.warning_page, name="warning"),
    path("held/", views.letters_held, name="held"),
    path("<int:letter_id>/", views.letter_detail, name="detail"),
    path("<int:letter_id>/release/", views.letter_release_page, name="release"),
    path("<int:letter_id>/download/", views.letter_download, name="download"),
    path("<int:letter_id>/correct/", views.letter_correct_page, name="correct"),
    path("dispatch/", views.dispatch_queue, name="dispatch_queue"),
    path("dispatch/<int:dispatch_id>/", views.dispatch_detail, name="dispatch_detail"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
]
