from django.contrib.auth import views as auth_views
from django.urls import path

from . import administration, oidc, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # Through the organisation's OpenID Connect provider (ADR 0042).
    path("sign-in/provider/<int:provider_id>/", oidc.start, name="provider_start"),
    path("sign-in/provider/<int:provider_id>/callback/", oidc.callback, name="provider_callback"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # Which partnership to work in, for someone who works in several (ADR 0041).
    path("partnership/", views.choose_partnership, name="choose_partnership"),
    # A partnership's administrator: its own users, agencies and roles (never another's).
    path("administration/", administration.home, name="administration"),
    path("administration/users/new/", administration.user_new, name="administration_user_new"),
    path("administration/users/<int:user_id>/", administration.user_edit, name="administration_user"),
    path(
        "administration/users/<int:user_id>/reset-second-factor/",
        administration.user_second_factor_reset,
        name="administration_user_reset_second_factor",
    ),
    path("administration/agencies/new/", administration.agency_edit, name="administration_agency_new"),
    path(
        "administration/agencies/<int:agency_id>/", administration.agency_edit, name="administration_agency"
    ),
]
