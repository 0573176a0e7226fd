from django.apps import AppConfig


class PlaidConfig(AppConfig):
    name = "transactions.plaid"
    label = "plaid"
    verbose_name = "Bank sync (Plaid)"
