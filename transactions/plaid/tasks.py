"""Celery tasks: take ids, call one service, idempotent. Eager in tests and in the embedded mode."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import services
from .models import PlaidSyncRun
from .selectors import plaid_item_ids_to_sync


@shared_task(name="plaid.sync_item", autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True)
def sync_item(item_id: int, trigger: str = PlaidSyncRun.Trigger.SCHEDULE) -> dict:
    """Sync one item (Plaid errors are recorded on the item and its run; the service retries those itself)."""
    return services.plaid_item_sync(item_id, trigger=trigger).as_dict()


@shared_task(name="plaid.sync_all")
def sync_all() -> int:
    """The beat entry: queue a sync of every item that can be synced."""
    item_ids = plaid_item_ids_to_sync()
    for item_id in item_ids:
        sync_item.delay(item_id, trigger=PlaidSyncRun.Trigger.SCHEDULE)
    return len(item_ids)


@shared_task(name="plaid.process_webhook", autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True)
def process_webhook(event_id: int) -> str:
    return services.plaid_webhook_process(event_id)


@shared_task(name="plaid.purge_records")
def purge_records() -> dict:
    return services.plaid_records_purge()
