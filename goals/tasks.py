"""Background work for goals: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from accounts.models import Household

from .models import Goal
from .services import goals_milestones_check_household


@shared_task(
    name="goals.check_milestones",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def check_goal_milestones(household_id: int) -> int:
    """Celebrate the household's newly reached goal milestones; returns how many were new. Idempotent."""
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return 0
    return len(goals_milestones_check_household(household))


@shared_task(name="goals.check_all_milestones")
def check_all_goal_milestones() -> int:
    """Daily sweep for goals that follow an account: bank balance refreshes move them without new transactions."""
    household_ids = (
        Goal.objects.filter(status=Goal.Status.ACTIVE, linked_account__isnull=False)
        .values_list("household_id", flat=True)
        .distinct()
    )
    for household_id in household_ids:
        check_goal_milestones.delay(household_id)
    return len(household_ids)
