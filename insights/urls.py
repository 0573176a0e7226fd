from django.urls import path

from . import notification_views, views

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
    # The coach.
    path("", views.insight_list, name="insight_list"),
    path("ask/", views.ask_coach, name="ask"),
    path("<int:insight_id>/open/", views.insight_open_view, name="insight_open"),
    path("<int:insight_id>/feedback/", views.insight_feedback, name="insight_feedback"),
    path("<int:insight_id>/dismiss/", views.insight_dismiss_view, name="insight_dismiss"),
]
