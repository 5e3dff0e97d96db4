from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("<int:referral_id>/", views.referral_detail, name="referral"),
    path("<slug:kind_code>/new/", views.referral_new, name="new"),
]
