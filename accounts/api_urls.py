from django.urls import path

from .api import MeView, PreferencesView

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/preferences/", PreferencesView.as_view(), name="api-preferences"),
]
