"""The person's own view of their review (docs/portal.md)."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.code, name="code"),
    path("sign-in/one-login/", views.one_login_start, name="one-login"),
    path("sign-in/one-login/back/", views.one_login_callback, name="one-login-callback"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("letters/<int:letter_id>/", views.letter_pdf, name="letter"),
    path("diary/", views.diary, name="diary"),
    path("upload/", views.upload, name="upload"),
    path("panel/<int:meeting_id>/your-view/", views.give_view, name="view"),
    path("appeal/", views.appeal, name="appeal"),
    path("policing-body-review/", views.lpb_review, name="lpb-review"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("withdrawn/", views.withdrawn, name="withdrawn"),
]
