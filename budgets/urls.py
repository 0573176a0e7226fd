from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("suggestions/accept/", views.accept_suggestion, name="accept_suggestion"),
    path("<int:budget_id>/", views.detail, name="detail"),
    path("<int:budget_id>/edit/", views.edit, name="edit"),
    path("<int:budget_id>/delete/", views.delete, name="delete"),
]
