"""Housekeeping: retention of raw sync pages and history, and re-encryption of secrets after a key rotation."""

from __future__ import annotations

from datetime import timedelta

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connections, router, transaction
from django.utils import timezone

from fincoach.crypto import EncryptedTextField, rotate

from .. import conf
from ..models import PlaidSyncPage, PlaidSyncRun, PlaidWebhookEvent

_ROTATE_BATCH = 500


def plaid_records_purge() -> dict[str, int]:
    """Delete raw pages past PLAID_SYNC_PAGE_RETENTION_DAYS, and runs and webhook events past the history retention."""
    now = timezone.now()
    pages_cutoff = now - timedelta(days=conf.sync_page_retention_days())
    history_cutoff = now - timedelta(days=conf.history_retention_days())
    pages, _ = PlaidSyncPage.objects.filter(received_at__lt=pages_cutoff).delete()
    _, runs = PlaidSyncRun.objects.filter(started_at__lt=history_cutoff).delete()
    events, _ = PlaidWebhookEvent.objects.filter(received_at__lt=history_cutoff).delete()
    return {
        "pages": pages + runs.get(PlaidSyncPage._meta.label, 0),
        "runs": runs.get(PlaidSyncRun._meta.label, 0),
        "webhook_events": events,
    }


def encrypted_fields() -> list[tuple[type, EncryptedTextField]]:
    """Every EncryptedTextField of every installed model."""
    return [
        (model, model_field)
        for model in apps.get_models()
        for model_field in model._meta.local_fields
        if isinstance(model_field, EncryptedTextField)
    ]


def encrypted_fields_rotate() -> dict[str, int]:
    """Re-encrypt every stored secret with the newest key of FIELD_ENCRYPTION_KEYS (first in the list).

    Works on the ciphertext directly (no decrypt-to-Python round trip through model saves and signals); each
    table is rewritten in one transaction, so a failure leaves it as it was.
    """
    rotated: dict[str, int] = {}
    for model, model_field in encrypted_fields():
        alias = router.db_for_write(model)
        connection = connections[alias]
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model_field.column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        count = 0
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 - quoted names
            rows = cursor.fetchall()
            for start in range(0, len(rows), _ROTATE_BATCH):
                batch = [(_rotated(model, key, token), key) for key, token in rows[start : start + _ROTATE_BATCH]]
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", batch)  # noqa: S608
                count += len(batch)
        rotated[f"{model._meta.label}.{model_field.name}"] = count
    return rotated


def _rotated(model: type, key, token: str) -> str:
    try:
        return rotate(token)
    except InvalidToken:
        raise ValueError(
            f"{model._meta.label} {key}: cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS "
            "(keep the old key in the list, after the new one, until rotation has finished)"
        ) from None
