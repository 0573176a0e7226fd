"""URLs for the Plaid tests: this app mounted the way fincoach/urls.py mounts it (site root, API under /api/v1/),
plus stand-ins for the other apps' URL names that the base template and notifications link to, so these tests
do not depend on every other app's pages importing cleanly."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def _elsewhere(request, **kwargs):
    return HttpResponse("served by another app", status=204)


_insights = [
    path("notifications/", _elsewhere, name="notification_list"),
    path("notifications/bell/", _elsewhere, name="notification_bell"),
    path("notifications/read-all/", _elsewhere, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", _elsewhere, name="notification_read"),
    path("notifications/<int:notification_id>/dismiss/", _elsewhere, name="notification_dismiss"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("settings/", include(([path("", _elsewhere, name="settings")], "accounts"))),
    path(
        "transactions/",
        include(
            ([path("", _elsewhere, name="index"), path("imports/", _elsewhere, name="import_list")], "transactions")
        ),
    ),
    path("insights/", include((_insights, "insights"))),
    path("", include("transactions.plaid.urls")),
    path("api/v1/", include("transactions.plaid.api_urls")),
]
