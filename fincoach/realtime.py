"""Live pushes over Channels. Always queued on commit, so nobody is told about data that was rolled back."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def push_to_user_now(user_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "notify", "event": event})
    except Exception:  # a live push is best-effort: the bell's periodic refresh catches up
        logger.warning("live push to user %s failed", user_id, exc_info=True)


def push_to_user(user_id: int, event: dict) -> None:
    transaction.on_commit(lambda: push_to_user_now(user_id, event))
