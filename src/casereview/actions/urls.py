from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("export.csv", views.action_list_csv, name="export"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/done/", views.action_complete, name="complete"),
    path("<int:pk>/delay/", views.action_delay, name="delay"),
    path("<int:pk>/not-viable/", views.action_not_viable, name="not_viable"),
    path("<int:pk>/note/", views.action_note, name="note"),
]
