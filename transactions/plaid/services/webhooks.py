"""Verified webhooks: stored at once (the endpoint answers fast), then processed by a task.

TRANSACTIONS/SYNC_UPDATES_AVAILABLE queues a sync; ITEM webhooks change the item's status and tell the household.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from transactions.models import PlaidItem

from ..client import PlaidError
from ..models import PlaidSyncRun, PlaidWebhookEvent
from .item_state import Status, item_announce_new_accounts, item_set_status, locked_items, status_for_error


def plaid_webhook_receive(body: bytes) -> PlaidWebhookEvent:
    """Store a verified webhook and queue its processing. Raises ValueError when the body is not a JSON object."""
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError("webhook body is not a JSON object")
    plaid_item_id = str(payload.get("item_id") or "")[:100]
    with transaction.atomic():
        event = PlaidWebhookEvent.objects.create(
            webhook_type=str(payload.get("webhook_type") or "")[:40],
            webhook_code=str(payload.get("webhook_code") or "")[:60],
            plaid_item_id=plaid_item_id,
            item=PlaidItem.objects.filter(plaid_item_id=plaid_item_id).first() if plaid_item_id else None,
            payload=payload,
        )
        transaction.on_commit(lambda: _queue_processing(event.pk))
    return event


def _queue_processing(event_id: int) -> None:
    from ..tasks import process_webhook

    process_webhook.delay(event_id)


def _queue_sync(item: PlaidItem) -> None:
    from ..tasks import sync_item

    item_pk = item.pk
    transaction.on_commit(lambda: sync_item.delay(item_pk, trigger=PlaidSyncRun.Trigger.WEBHOOK))


def _sync_updates_available(item: PlaidItem, payload: dict) -> str:
    _queue_sync(item)
    return "sync queued"


def _item_error(item: PlaidItem, payload: dict) -> str:
    error = payload.get("error") or {}
    exc = PlaidError(
        status=int(error.get("status") or 400),
        error_type=str(error.get("error_type") or "ITEM_ERROR"),
        error_code=str(error.get("error_code") or ""),
        message=str(error.get("error_message") or ""),
        display_message=str(error.get("display_message") or ""),
    )
    status = status_for_error(exc) or Status.ERROR
    item_set_status(item, status, error_code=exc.error_code, error_message=exc.user_message)
    return f"status {status} ({exc.error_code or 'no code'})"


def _pending_expiration(item: PlaidItem, payload: dict) -> str:
    expires = payload.get("consent_expiration_time")
    if expires:
        item.consent_expires_at = dt.datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
        item.save(update_fields=["consent_expires_at"])
    item_set_status(item, Status.PENDING_EXPIRATION)
    return f"status {Status.PENDING_EXPIRATION}"


def _pending_disconnect(item: PlaidItem, payload: dict) -> str:
    reason = str(payload.get("reason") or "")
    item_set_status(item, Status.PENDING_DISCONNECT)
    return f"status {Status.PENDING_DISCONNECT}" + (f" ({reason})" if reason else "")


def _permission_revoked(item: PlaidItem, payload: dict) -> str:
    error = payload.get("error") or {}
    item_set_status(item, Status.REVOKED, error_code=str(error.get("error_code") or "USER_PERMISSION_REVOKED"))
    return f"status {Status.REVOKED}"


def _login_repaired(item: PlaidItem, payload: dict) -> str:
    item_set_status(item, Status.ACTIVE)
    _queue_sync(item)
    return f"status {Status.ACTIVE}; sync queued"


def _new_accounts_available(item: PlaidItem, payload: dict) -> str:
    item_announce_new_accounts(item)
    return "new accounts offered"


_HANDLERS: dict[tuple[str, str], Callable[[PlaidItem, dict], str]] = {
    ("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"): _sync_updates_available,
    ("ITEM", "ERROR"): _item_error,
    ("ITEM", "PENDING_EXPIRATION"): _pending_expiration,
    ("ITEM", "PENDING_DISCONNECT"): _pending_disconnect,
    ("ITEM", "USER_PERMISSION_REVOKED"): _permission_revoked,
    ("ITEM", "LOGIN_REPAIRED"): _login_repaired,
    ("ITEM", "NEW_ACCOUNTS_AVAILABLE"): _new_accounts_available,
}


def plaid_webhook_process(event_id: int) -> str:
    """Act on a stored webhook once (idempotent for task retries); returns the event's status."""
    with transaction.atomic():
        event = PlaidWebhookEvent.objects.select_for_update().get(pk=event_id)
        if event.status != PlaidWebhookEvent.Status.RECEIVED:
            return event.status
        handler = _HANDLERS.get((event.webhook_type, event.webhook_code))
        item = locked_items().filter(pk=event.item_id).first() if event.item_id else None
        if handler is None or item is None:
            event.status = PlaidWebhookEvent.Status.IGNORED
            event.outcome = "not handled" if handler is None else "unknown item"
        else:
            event.status = PlaidWebhookEvent.Status.PROCESSED
            event.outcome = handler(item, event.payload)
        event.processed_at = timezone.now()
        event.save(update_fields=["status", "outcome", "processed_at"])
    return event.status
