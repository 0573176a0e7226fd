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
