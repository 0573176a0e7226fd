"""Plaid sync bookkeeping: sync runs and their raw pages, webhook events and verification keys, sync leases.

Items, accounts and transactions themselves live in `transactions.models`.
"""

from __future__ import annotations

import zlib

from django.db import models
from django.utils import timezone

from fincoach.scoping import HouseholdScoped
from transactions.models import PlaidItem


class PlaidSyncRun(HouseholdScoped):
    """One `/transactions/sync` loop of one item: what it asked, what it got, what it changed."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        WEBHOOK = "webhook", "Webhook"
        MANUAL = "manual", "Sync now"
        CONNECT = "connect", "New connection"
        COMMAND = "command", "Command line"
        REPLAY = "replay", "Replay of stored pages"

    item = models.ForeignKey(PlaidItem, on_delete=models.CASCADE, related_name="sync_runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cursor_before = models.TextField(blank=True)
    cursor_after = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    restarts = models.PositiveSmallIntegerField(default=0, help_text="Restarts after a mutation during pagination")
    added = models.PositiveIntegerField(default=0)
    modified = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(
        default=0, help_text="Bank transactions matched to ones already here (relinks, earlier file imports)"
    )
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    fetch_ms = models.PositiveIntegerField(default=0)
    commit_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["item", "-started_at"], name="plaid_run_item_started")]

    def __str__(self) -> str:
        return f"Sync of {self.item_id} at {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class PlaidSyncPage(HouseholdScoped):
    """A raw `/transactions/sync` response, kept for a while so a sync can be replayed and debugged."""

    run = models.ForeignKey(PlaidSyncRun, on_delete=models.CASCADE, related_name="raw_pages")
    sequence = models.PositiveIntegerField()
    request_cursor = models.TextField(blank=True)
    next_cursor = models.TextField(blank=True)
    has_more = models.BooleanField(default=False)
    added = models.PositiveIntegerField(default=0)
    modified = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    # zlib-compressed: a 500-transaction page is ~0.5 MB of JSON, ~20x smaller compressed, and compressing it
    # ourselves is much cheaper than PostgreSQL's TOAST compression inside the sync's transaction.
    compressed_body = models.BinaryField(help_text="The JSON exactly as Plaid sent it, zlib-compressed")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["run", "sequence"]
        constraints = [models.UniqueConstraint(fields=["run", "sequence"], name="plaid_page_sequence_unique")]

    def __str__(self) -> str:
        return f"Page {self.sequence} of run {self.run_id}"

    @staticmethod
    def compress(text: str) -> bytes:
        return zlib.compress(text.encode("utf-8"), 1)

    @property
    def body(self) -> str:
        return zlib.decompress(bytes(self.compressed_body)).decode("utf-8")


class PlaidWebhookEvent(models.Model):
    """A verified webhook. Not household-scoped: it may name an item we do not (or no longer) know."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed"

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    webhook_type = models.CharField(max_length=40)
    webhook_code = models.CharField(max_length=60)
    plaid_item_id = models.CharField(max_length=100, blank=True, db_index=True)
    item = models.ForeignKey(PlaidItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.webhook_type}/{self.webhook_code} for {self.plaid_item_id or '-'}"


class PlaidWebhookKey(models.Model):
    """A public key Plaid signs webhooks with (`/webhook_verification_key/get`), cached by its key id."""

    kid = models.CharField(max_length=100, unique=True)
    jwk = models.JSONField()
    key_created_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-fetched_at"]

    def __str__(self) -> str:
        return self.kid


class PlaidSyncLease(models.Model):
    """Who is syncing an item right now, where PostgreSQL advisory locks are not available (SQLite).

    One row per item being synced; a row past `expires_at` belongs to a crashed worker and may be taken over.
    """

    item = models.OneToOneField(PlaidItem, on_delete=models.CASCADE, primary_key=True, related_name="+")
    token = models.CharField(max_length=32)
    acquired_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Sync lease on {self.item_id} until {self.expires_at:%H:%M:%S}"
