"""Reads for the Connections page, the API and the scheduler."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from transactions.models import FinancialAccount, PlaidItem

from .services.item_state import SYNCABLE


def connections_for_household(*, household) -> QuerySet[PlaidItem]:
    """The household's linked banks with their institution and accounts (three queries whatever the count)."""
    return (
        PlaidItem.objects.for_household(household)
        .select_related("institution")
        .prefetch_related(Prefetch("accounts", queryset=FinancialAccount.objects.order_by("name")))
        .order_by("institution__name", "pk")
    )


def plaid_item_ids_to_sync() -> list[int]:
    """Items a scheduled sync can serve; the others wait for their person to act."""
    return list(PlaidItem.objects.filter(status__in=SYNCABLE).order_by("pk").values_list("pk", flat=True))
