from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:goal_id>/", views.detail, name="detail"),
    path("<int:goal_id>/edit/", views.edit, name="edit"),
    path("<int:goal_id>/delete/", views.delete, name="delete"),
    path("<int:goal_id>/contributions/", views.contribute, name="contribute"),
    path(
        "contributions/<int:goalcontribution_id>/delete/",
        views.contribution_delete,
        name="contribution_delete",
    ),
]
