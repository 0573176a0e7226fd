"""Admin for bank connections and their sync history. Operators can sync and replay, never see access tokens."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from transactions.models import PlaidItem

from .models import PlaidSyncPage, PlaidSyncRun, PlaidWebhookEvent, PlaidWebhookKey


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: looked at, deleted by retention, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PlaidItem)
class PlaidItemAdmin(admin.ModelAdmin):
    # `access_token` is in none of these lists, and is editable=False, so no admin page can show it.
    list_display = ("__str__", "household", "status", "error_code", "last_synced_at", "last_sync_attempt_at")
    list_filter = ("status",)
    search_fields = ("plaid_item_id", "institution__name", "household__name")
    list_select_related = ("institution", "household")
    fields = (
        "household",
        "institution",
        "plaid_item_id",
        "status",
        "error_code",
        "error_message",
        "consent_expires_at",
        "new_accounts_available",
        "last_synced_at",
        "last_sync_attempt_at",
        "cursor",
        "created_by",
        "created_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("status", "error_code", "error_message"))
    actions = ["sync_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items come from Plaid Link

    @admin.action(description="Sync the selected items now")
    def sync_now(self, request: HttpRequest, queryset: QuerySet[PlaidItem]) -> None:
        from .tasks import sync_item  # the Plaid client loads on use: every command starts the admin, few sync

        for item_id in queryset.values_list("pk", flat=True):
            sync_item.delay(item_id, trigger=PlaidSyncRun.Trigger.MANUAL)
        self.message_user(request, f"Queued {queryset.count()} sync(s).", messages.SUCCESS)


@admin.register(PlaidSyncRun)
class PlaidSyncRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "item",
        "trigger",
        "status",
        "pages",
        "restarts",
        "added",
        "modified",
        "removed",
        "matched",
        "error_code",
        "fetch_ms",
        "commit_ms",
    )
    list_filter = ("status", "trigger")
    search_fields = ("item__plaid_item_id", "error_code")
    list_select_related = ("item", "item__institution")
    date_hierarchy = "started_at"
    actions = ["replay_dry_run", "replay"]

    @admin.action(description="Replay stored pages (dry run: report, change nothing)")
    def replay_dry_run(self, request: HttpRequest, queryset: QuerySet[PlaidSyncRun]) -> None:
        self._replay(request, queryset, dry_run=True)

    @admin.action(description="Replay stored pages (apply again)")
    def replay(self, request: HttpRequest, queryset: QuerySet[PlaidSyncRun]) -> None:
        self._replay(request, queryset, dry_run=False)

    def _replay(self, request: HttpRequest, queryset: QuerySet[PlaidSyncRun], *, dry_run: bool) -> None:
        from .services import plaid_sync_run_replay

        for run in queryset.order_by("started_at"):
            changes = plaid_sync_run_replay(run.pk, dry_run=dry_run)
            self.message_user(
                request,
                f"Run {run.pk}{' (dry run)' if dry_run else ''}: {len(changes.created_ids)} added, "
                f"{len(changes.updated_ids)} updated, {len(changes.matched_ids)} matched, {changes.removed} removed.",
                messages.INFO,
            )


@admin.register(PlaidSyncPage)
class PlaidSyncPageAdmin(ReadOnlyAdmin):
    list_display = ("run", "sequence", "added", "modified", "removed", "has_more", "received_at")
    list_select_related = ("run",)
    exclude = ("compressed_body",)
    readonly_fields = ("pretty_body",)

    @admin.display(description="Body")
    def pretty_body(self, page: PlaidSyncPage) -> str:
        return format_html(
            "<pre style='max-height: 60vh; overflow: auto'>{}</pre>", json.dumps(json.loads(page.body), indent=2)
        )


@admin.register(PlaidWebhookEvent)
class PlaidWebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "webhook_type", "webhook_code", "plaid_item_id", "status", "outcome")
    list_filter = ("status", "webhook_type", "webhook_code")
    search_fields = ("plaid_item_id",)
    date_hierarchy = "received_at"


@admin.register(PlaidWebhookKey)
class PlaidWebhookKeyAdmin(ReadOnlyAdmin):
    list_display = ("kid", "key_created_at", "expired_at", "fetched_at")
