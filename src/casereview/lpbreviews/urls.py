from django.urls import path

from . import views

app_name = "lpbreviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("record/", views.review_record, name="record"),
    path("<int:pk>/", views.review_detail, name="detail"),
]
