"""Pages of the ML engine, mounted at the site root: subscriptions and anomalies to review."""

from django.urls import path

from . import views

app_name = "ml"

urlpatterns = [
    path("subscriptions/", views.subscription_list, name="subscription_list"),
    path(
        "subscriptions/<int:recurringseries_id>/rename/",
        views.subscription_rename,
        name="subscription_rename",
    ),
    path(
        "subscriptions/<int:recurringseries_id>/not-subscription/",
        views.subscription_not_subscription,
        name="subscription_not_subscription",
    ),
    path(
        "subscriptions/<int:recurringseries_id>/cancelled/",
        views.subscription_cancelled,
        name="subscription_cancelled",
    ),
    path("anomalies/", views.anomaly_list, name="anomaly_list"),
    path("anomalies/<int:anomaly_id>/dismiss/", views.anomaly_dismiss, name="anomaly_dismiss"),
    path("anomalies/<int:anomaly_id>/confirm/", views.anomaly_confirm, name="anomaly_confirm"),
]
