"""/api/v1/: each app contributes `<app>/api_urls.py` with `urlpatterns` (routers welcome)."""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

API_APPS = ("accounts", "transactions", "transactions.plaid", "budgets", "goals", "insights", "ml")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="fincoach/api_redoc.html"),
        name="api-redoc",
    ),
]
for _app in API_APPS:
    try:
        _module = import_module(f"{_app}.api_urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_app}.api_urls":
            raise
        continue
    urlpatterns.append(path("", include(_module)))
