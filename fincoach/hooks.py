"""Reactions to changed money, discovered per app, so importers and syncs need not know who cares.

After new or changed transactions are committed (import, Plaid sync, manual edit, undo), the writer calls
`transactions_changed(household_id, transaction_ids, source)`. Every installed app's `hooks.py` may define
`on_transactions_changed(household, transaction_ids: list[int], source: str) -> None` (budget alerts, goal
milestones, anomaly checks, event insights…). Hooks run after commit; one failing hook is logged and does not stop
the others or undo the import.
"""

from __future__ import annotations

import logging

from django.db import transaction

from .registry import app_modules

logger = logging.getLogger(__name__)

SOURCES = ("import", "plaid", "manual", "undo", "rules", "demo")


def _run(household_id: int, transaction_ids: list[int], source: str) -> None:
    from accounts.models import Household

    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return
    for module in app_modules("hooks"):
        handler = getattr(module, "on_transactions_changed", None)
        if handler is None:
            continue
        try:
            handler(household, transaction_ids, source)
        except Exception:
            logger.exception("hook %s.on_transactions_changed failed (source=%s)", module.__name__, source)


def transactions_changed(household_id: int, transaction_ids: list[int], source: str) -> None:
    """Queue the hooks to run once the current database transaction commits (immediately when none is open)."""
    ids = list(transaction_ids)
    transaction.on_commit(lambda: _run(household_id, ids, source))
