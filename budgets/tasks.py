"""Background work for budgets: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from accounts.models import Household

from .services import budget_alerts_check


@shared_task(
    name="budgets.check_alerts",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def check_budget_alerts(household_id: int) -> int:
    """Raise the household's due budget alerts; returns how many were new. Idempotent."""
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return 0
    return len(budget_alerts_check(household))
