"""Reactions to changed transactions (imports, Plaid syncs, manual edits, undo): check budget alerts."""

from __future__ import annotations

from .tasks import check_budget_alerts


def on_transactions_changed(household, transaction_ids: list[int], source: str) -> None:
    """Queue the alert check; it looks at every budget's current period, so which transactions changed does not
    matter, and it is once-only per budget and period however often it runs."""
    if transaction_ids:
        check_budget_alerts.delay(household.pk)
