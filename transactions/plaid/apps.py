import logging

from django.apps import AppConfig


class PlaidConfig(AppConfig):
    name = "transactions.plaid"
    label = "plaid"
    verbose_name = "Bank sync (Plaid)"

    def ready(self) -> None:
        # plaid-python logs every response body at DEBUG, access tokens included: whatever LOG_LEVEL says, its
        # logger never goes below INFO.
        plaid_logger = logging.getLogger("plaid")
        if plaid_logger.getEffectiveLevel() < logging.INFO:
            plaid_logger.setLevel(logging.INFO)
