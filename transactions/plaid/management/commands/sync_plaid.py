"""`sync_plaid [--item ID | --all] [--json]`: run /transactions/sync now, in this process."""

from __future__ import annotations

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from transactions.models import PlaidItem

from ...models import PlaidSyncRun
from ...selectors import plaid_item_ids_to_sync
from ...services import plaid_item_sync


class Command(BaseCommand):
    help = "Sync Plaid items now: one (--item ID) or every item that can be synced (--all)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--item", type=int, help="the id of the Plaid item to sync")
        which.add_argument("--all", action="store_true", help="every connected item")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, item: int | None, all: bool, json: bool, **options):
        if item is not None and not PlaidItem.objects.filter(pk=item).exists():
            raise CommandError(f"no Plaid item with id {item}")
        item_ids = [item] if item is not None else plaid_item_ids_to_sync()
        results = [plaid_item_sync(item_id, trigger=PlaidSyncRun.Trigger.COMMAND) for item_id in item_ids]
        failed = [r for r in results if r.status == PlaidSyncRun.Status.FAILED]
        summary = {
            "items": [r.as_dict() for r in results],
            "added": sum(r.added for r in results),
            "modified": sum(r.modified for r in results),
            "removed": sum(r.removed for r in results),
            "failed": len(failed),
        }
        if json:
            self.stdout.write(jsonlib.dumps(summary))
        else:
            for r in results:
                line = f"item {r.item_id}: {r.status}, {r.added} added, {r.modified} modified, {r.removed} removed"
                self.stdout.write(line + (f" — {r.error_message}" if r.error_message else ""))
            self.stdout.write(f"{len(results)} item(s) synced, {len(failed)} failed.")
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} item(s) failed to sync")
