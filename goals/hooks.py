"""Reactions to changed transactions: goals that follow an account may have passed a milestone."""

from __future__ import annotations

from .models import Goal
from .tasks import check_goal_milestones


def on_transactions_changed(household, transaction_ids: list[int], source: str) -> None:
    """Queue the milestone check when the household has an active goal following an account."""
    if not transaction_ids:
        return
    follows_an_account = Goal.objects.for_household(household).active().filter(linked_account__isnull=False).exists()
    if follows_an_account:
        check_goal_milestones.delay(household.pk)
