"""Plaid services: linking, syncing, webhooks and housekeeping. Views, tasks and commands call these."""

from .linking import (
    ConnectResult,
    DisconnectResult,
    plaid_item_connect,
    plaid_item_disconnect,
    plaid_item_mark_repaired,
    plaid_link_token_create,
)
from .maintenance import encrypted_fields_rotate, plaid_records_purge
from .sync import SyncResult, plaid_item_sync, plaid_sync_run_replay
from .webhooks import plaid_webhook_process, plaid_webhook_receive

__all__ = [
    "ConnectResult",
    "DisconnectResult",
    "SyncResult",
    "encrypted_fields_rotate",
    "plaid_item_connect",
    "plaid_item_disconnect",
    "plaid_item_mark_repaired",
    "plaid_item_sync",
    "plaid_link_token_create",
    "plaid_records_purge",
    "plaid_sync_run_replay",
    "plaid_webhook_process",
    "plaid_webhook_receive",
]
