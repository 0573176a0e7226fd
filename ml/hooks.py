"""Reaction to new money: check freshly written transactions for anomalies (see `fincoach.hooks`)."""

from __future__ import annotations

# Writers whose transactions are new money worth a look; undo and re-running rules add nothing new.
CHECKED_SOURCES = frozenset({"import", "plaid", "manual", "demo"})


def on_transactions_changed(household, transaction_ids: list[int], source: str) -> None:
    """Queue the anomaly check of the new, recent transactions (only their ids travel to the worker)."""
    if source not in CHECKED_SOURCES or not transaction_ids:
        return
    from .selectors import MAX_IMMEDIATE, recent_transaction_ids
    from .tasks import check_anomalies

    recent = recent_transaction_ids(household, transaction_ids)
    if 0 < len(recent) <= MAX_IMMEDIATE:
        check_anomalies.delay(household.pk, recent)
