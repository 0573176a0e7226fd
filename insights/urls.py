from django.urls import path

from . import notification_views

app_name = "insights"

urlpatterns = [
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/bell/", notification_views.notification_bell, name="notification_bell"),
    path("notifications/read-all/", notification_views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/<int:notification_id>/dismiss/",
        notification_views.notification_dismiss,
        name="notification_dismiss",
    ),
]
