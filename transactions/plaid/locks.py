"""One sync per item at a time, across threads, processes and machines.

PostgreSQL: a session-level advisory lock (released by the server if the worker dies; needs a session-pooled
connection, not PgBouncer's transaction pooling). Elsewhere (SQLite): a lease row with an expiry, which every
process sharing the database file sees — a process-local cache would not.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import conf
from .models import PlaidSyncLease

# First key of the two-key advisory lock: keeps our locks apart from any other advisory lock user.
_ADVISORY_NAMESPACE = zlib.crc32(b"fincoach.plaid.item_sync") & 0x7FFFFFFF


class SyncInProgress(Exception):
    """Another sync of the same item holds the lock."""

    def __init__(self, item_id: int):
        self.item_id = item_id
        super().__init__(f"a sync of Plaid item {item_id} is already running")


@contextmanager
def item_sync_lock(item_id: int) -> Iterator[None]:
    """Hold the item's sync lock for the block, or raise `SyncInProgress` at once (never waits)."""
    lock = _advisory_lock if connection.vendor == "postgresql" else _lease_lock
    with lock(item_id):
        yield


@contextmanager
def _advisory_lock(item_id: int) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s::int)", [_ADVISORY_NAMESPACE, item_id])
        acquired = cursor.fetchone()[0]
    if not acquired:
        raise SyncInProgress(item_id)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s::int)", [_ADVISORY_NAMESPACE, item_id])


@contextmanager
def _lease_lock(item_id: int) -> Iterator[None]:
    token = secrets.token_hex(16)
    now = timezone.now()
    try:
        with transaction.atomic():
            PlaidSyncLease.objects.filter(item_id=item_id, expires_at__lt=now).delete()
            PlaidSyncLease.objects.create(
                item_id=item_id,
                token=token,
                acquired_at=now,
                expires_at=now + timedelta(seconds=conf.sync_lease_seconds()),
            )
    except IntegrityError:
        raise SyncInProgress(item_id) from None
    try:
        yield
    finally:
        PlaidSyncLease.objects.filter(item_id=item_id, token=token).delete()
