"""Celery tasks of money in: thin wrappers that take ids and call one service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="transactions.run_import",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)
def run_import(batch_id: int) -> dict:
    """Import a confirmed batch (idempotent: a batch that is no longer pending is left alone)."""
    from transactions.services.imports import import_run

    batch = import_run(batch_id)
    return {"batch": batch.pk, "status": batch.status, "imported": batch.imported}


@shared_task(name="transactions.expire_import_drafts")
def expire_import_drafts() -> int:
    """Delete import drafts nobody confirmed within a day, and leftover uploads."""
    from transactions.services.imports import drafts_expire

    return drafts_expire()
