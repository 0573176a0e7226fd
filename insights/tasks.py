from celery import shared_task

from .notifications import notification_send_email


@shared_task(
    name="insights.send_notification_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    return notification_send_email(notification_id)


# --- The coach -----------------------------------------------------------------------------------------------------
# Generation is idempotent (repeats inside a rule's window are never stored twice), so retries are safe.


@shared_task(
    name="insights.generate_household",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def generate_household_insights(household_id: int, trigger: str = "event") -> list[dict]:
    from .services.generation import generate_for_household_id

    return generate_for_household_id(household_id, trigger=trigger)


@shared_task(
    name="insights.generate_user",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def generate_user_insights(user_id: int, trigger: str = "daily") -> dict:
    from .services.generation import generate_for_user_id

    return generate_for_user_id(user_id, trigger=trigger)


@shared_task(name="insights.generate_morning")
def generate_morning_insights() -> int:
    """Hourly: queue the daily insights of everyone whose local time is now the coaching morning hour."""
    from .services.generation import users_at_morning_hour

    user_ids = list(users_at_morning_hour().values_list("pk", flat=True))
    for user_id in user_ids:
        generate_user_insights.delay(user_id, "daily")
    return len(user_ids)
