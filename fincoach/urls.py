from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.auth_urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("fincoach.api.urls")),
    path("settings/", include("accounts.urls")),
    path("transactions/", include("transactions.urls")),
    path("budgets/", include("budgets.urls")),
    path("goals/", include("goals.urls")),
    path("insights/", include("insights.urls")),
    path("", include("transactions.plaid.urls")),
    path("", include("ml.urls")),
    path("", include("insights.dashboard_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
