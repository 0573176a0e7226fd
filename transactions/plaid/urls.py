"""Mounted at the site root by fincoach/urls.py: `path("", include("transactions.plaid.urls"))`."""

from django.urls import path

from . import views

app_name = "plaid"

urlpatterns = [
    path("connections/", views.connections, name="connections"),
    path("connections/link-token/", views.link_token, name="link_token"),
    path("connections/exchange/", views.exchange, name="exchange"),
    path("connections/<int:plaiditem_id>/sync/", views.item_sync, name="item_sync"),
    path("connections/<int:plaiditem_id>/fix/", views.item_fix, name="item_fix"),
    path("connections/<int:plaiditem_id>/repaired/", views.item_repaired, name="item_repaired"),
    path("connections/<int:plaiditem_id>/disconnect/", views.item_disconnect, name="item_disconnect"),
    path("plaid/webhook", views.webhook, name="webhook"),
]
