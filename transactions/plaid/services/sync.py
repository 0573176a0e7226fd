"""Syncing one item: the `/transactions/sync` loop, then one database transaction for everything it brought.

Plaid's rules, followed to the letter:
- pages of `count=500` from the stored cursor until `has_more` is false;
- on TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION the whole loop restarts from the cursor of its first request;
- the new cursor is stored in the same database transaction as the changes, so a failed loop commits nothing and
  the next sync resumes from the old cursor.
Network calls happen before the database transaction opens, so no row stays locked while Plaid is slow.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from importlib import import_module

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from plaid.model.transactions_sync_request import TransactionsSyncRequest
from plaid.model.transactions_sync_request_options import TransactionsSyncRequestOptions

from fincoach.hooks import transactions_changed
from insights.models import Notification
from insights.notifications import notify_household
from transactions.models import PlaidItem

from .. import client, conf
from ..locks import SyncInProgress, item_sync_lock
from ..models import PlaidSyncPage, PlaidSyncRun
from .apply import AppliedChanges, apply_sync_pages
from .item_state import NEEDS_ATTENTION, Status, bank_name, item_set_status, locked_items, status_for_error

logger = logging.getLogger(__name__)

MAX_RESTARTS = 5
# A sync that found the lock taken asks the running one to go round once more, so updates announced while it
# was running (a webhook, a "Sync now") are not left for the next scheduled sync.
_MAX_FOLLOW_UPS = 2


@dataclass
class FetchedPage:
    request_cursor: str
    response: client.PlaidResponse


@dataclass
class FetchedUpdates:
    pages: list[FetchedPage]
    restarts: int

    @property
    def next_cursor(self) -> str:
        return self.pages[-1].response["next_cursor"]


@dataclass
class SyncResult:
    item_id: int
    status: str
    added: int = 0
    modified: int = 0
    removed: int = 0
    matched: int = 0
    pages: int = 0
    restarts: int = 0
    error_code: str = ""
    error_message: str = ""
    fetch_seconds: float = 0.0
    commit_seconds: float = 0.0  # the database transaction, up to COMMIT
    after_commit_seconds: float = 0.0  # hooks run on commit when tasks are eager (embedded mode)
    run_id: int | None = None
    created_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def succeeded(self) -> bool:
        return self.status == PlaidSyncRun.Status.SUCCEEDED

    def absorb(self, other: SyncResult) -> SyncResult:
        """Fold a follow-up sync into this result."""
        for name in ("added", "modified", "removed", "matched", "pages", "restarts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.fetch_seconds += other.fetch_seconds
        self.commit_seconds += other.commit_seconds
        self.after_commit_seconds += other.after_commit_seconds
        self.created_ids += other.created_ids
        self.status, self.error_code, self.error_message = other.status, other.error_code, other.error_message
        return self

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("created_ids")
        return data


def fetch_updates(access_token: str, cursor: str) -> FetchedUpdates:
    """Every page from `cursor` until `has_more` is false (restarting on a mutation during pagination)."""
    restarts = 0
    while True:
        pages: list[FetchedPage] = []
        page_cursor = cursor
        try:
            while True:
                response = client.call("transactions_sync", _sync_request(access_token, page_cursor))
                pages.append(FetchedPage(page_cursor, response))
                if not response["has_more"]:
                    return FetchedUpdates(pages, restarts)
                page_cursor = response["next_cursor"]
        except client.PlaidError as exc:
            if not exc.is_mutation_during_pagination or restarts >= MAX_RESTARTS:
                raise
            restarts += 1
            logger.info("Plaid data changed during pagination; restarting the sync loop (%d)", restarts)


def _sync_request(access_token: str, cursor: str) -> TransactionsSyncRequest:
    options = TransactionsSyncRequestOptions(include_original_description=True)
    if cursor:
        return TransactionsSyncRequest(
            access_token=access_token, cursor=cursor, count=conf.SYNC_PAGE_SIZE, options=options
        )
    return TransactionsSyncRequest(access_token=access_token, count=conf.SYNC_PAGE_SIZE, options=options)


def _follow_up_key(item_id: int) -> str:
    return f"plaid:sync-follow-up:{item_id}"


def plaid_item_sync(item_id: int, *, trigger: str = PlaidSyncRun.Trigger.MANUAL) -> SyncResult:
    """Sync one item now, unless another sync of it is running (then that one goes round again when done)."""
    if not PlaidItem.objects.filter(pk=item_id).exists():
        return SyncResult(item_id, PlaidSyncRun.Status.FAILED, error_code="NOT_FOUND", error_message="no such item")
    if not conf.plaid_is_configured():
        return SyncResult(
            item_id, PlaidSyncRun.Status.SKIPPED, error_code="NOT_CONFIGURED", error_message="Plaid is not configured"
        )
    result: SyncResult | None = None
    for _ in range(1 + _MAX_FOLLOW_UPS):
        try:
            with item_sync_lock(item_id):
                cache.delete(_follow_up_key(item_id))
                latest = _sync_locked(item_id, trigger)
        except SyncInProgress as exc:
            cache.set(_follow_up_key(item_id), True, timeout=conf.sync_lease_seconds())
            # The running sync goes round once more for us.
            return result or SyncResult(
                item_id, PlaidSyncRun.Status.SKIPPED, error_code="IN_PROGRESS", error_message=str(exc)
            )
        result = result.absorb(latest) if result else latest
        if not latest.succeeded or not cache.get(_follow_up_key(item_id)):
            break
    return result


def _sync_locked(item_id: int, trigger: str) -> SyncResult:
    item = PlaidItem.objects.select_related("institution").filter(pk=item_id).first()
    if item is None or item.status == Status.DISCONNECTED:
        return SyncResult(item_id, PlaidSyncRun.Status.SKIPPED, error_code="DISCONNECTED", error_message="disconnected")
    run = PlaidSyncRun.objects.create(
        household_id=item.household_id, item=item, trigger=trigger, cursor_before=item.cursor
    )
    started = time.perf_counter()
    try:
        fetched = fetch_updates(item.access_token, item.cursor)
    except client.PlaidError as exc:
        return _record_failure(item_id, run, exc, fetch_seconds=time.perf_counter() - started)
    fetch_seconds = time.perf_counter() - started

    committing = time.perf_counter()
    committed: list[float] = []
    with transaction.atomic():
        # Registered first, so it runs first after COMMIT: the hooks queued below are not the sync's own time.
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        item = locked_items().filter(pk=item_id).first()
        if item is None:  # disconnected while Plaid was answering
            return SyncResult(item_id, PlaidSyncRun.Status.SKIPPED, error_code="DISCONNECTED", error_message="gone")
        changes = apply_sync_pages(item, [page.response.data for page in fetched.pages])
        _store_pages(run, fetched)
        now = timezone.now()
        item.cursor = fetched.next_cursor
        item.last_synced_at = item.last_sync_attempt_at = now
        item.save(update_fields=["cursor", "last_synced_at", "last_sync_attempt_at"])
        if item.status in NEEDS_ATTENTION - {Status.PENDING_EXPIRATION, Status.PENDING_DISCONNECT}:
            item_set_status(item, Status.ACTIVE)  # the bank answered: whatever was wrong is fixed
        elif item.error_code or item.error_message:
            item_set_status(item, item.status)  # clears a transient error of an earlier attempt
        _finish_run(run, PlaidSyncRun.Status.SUCCEEDED, fetched, changes, fetch_seconds=fetch_seconds)
        _after_changes(item, run, changes)
    finished = time.perf_counter()
    # Inside an outer transaction (tests) nothing commits here: the block's end stands in for the commit.
    commit_seconds = (committed[0] if committed else finished) - committing
    PlaidSyncRun.objects.filter(pk=run.pk).update(commit_ms=round(commit_seconds * 1000))
    return SyncResult(
        item_id,
        PlaidSyncRun.Status.SUCCEEDED,
        added=len(changes.created_ids),
        modified=len(changes.updated_ids),
        removed=changes.removed,
        matched=len(changes.matched_ids),
        pages=len(fetched.pages),
        restarts=fetched.restarts,
        fetch_seconds=fetch_seconds,
        commit_seconds=commit_seconds,
        after_commit_seconds=finished - committing - commit_seconds,
        run_id=run.pk,
        created_ids=changes.created_ids,
    )


def _store_pages(run: PlaidSyncRun, fetched: FetchedUpdates) -> None:
    if conf.sync_page_retention_days() <= 0:
        return
    PlaidSyncPage.objects.bulk_create(
        PlaidSyncPage(
            household_id=run.household_id,
            run=run,
            sequence=sequence,
            request_cursor=page.request_cursor,
            next_cursor=page.response["next_cursor"],
            has_more=bool(page.response["has_more"]),
            added=len(page.response.get("added") or []),
            modified=len(page.response.get("modified") or []),
            removed=len(page.response.get("removed") or []),
            compressed_body=PlaidSyncPage.compress(page.response.text),
        )
        for sequence, page in enumerate(fetched.pages)
    )


def _finish_run(
    run: PlaidSyncRun,
    status: str,
    fetched: FetchedUpdates | None,
    changes: AppliedChanges | None,
    *,
    fetch_seconds: float,
    error: client.PlaidError | None = None,
) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.fetch_ms = round(fetch_seconds * 1000)
    if fetched is not None:
        run.cursor_after = fetched.next_cursor
        run.pages = len(fetched.pages)
        run.restarts = fetched.restarts
    if changes is not None:
        run.added = len(changes.created_ids)
        run.modified = len(changes.updated_ids)
        run.removed = changes.removed
        run.matched = len(changes.matched_ids)
    if error is not None:
        run.error_code = error.error_code[:64]
        run.error_message = error.describe()
    run.save()


def _record_failure(item_id: int, run: PlaidSyncRun, exc: client.PlaidError, *, fetch_seconds: float) -> SyncResult:
    """Nothing from the loop is kept; the item shows what went wrong (and asks for help when only a person can)."""
    logger.warning("Plaid sync of item %s failed: %s", item_id, exc.describe())
    with transaction.atomic():
        item = locked_items().get(pk=item_id)
        item.last_sync_attempt_at = timezone.now()
        item.save(update_fields=["last_sync_attempt_at"])
        new_status = status_for_error(exc)
        if new_status is not None:
            item_set_status(item, new_status, error_code=exc.error_code, error_message=exc.user_message)
        else:
            message = f"The last sync failed ({exc.user_message}); it will be tried again."
            item_set_status(item, item.status, error_code=exc.error_code or "SYNC_FAILED", error_message=message)
        _finish_run(run, PlaidSyncRun.Status.FAILED, None, None, fetch_seconds=fetch_seconds, error=exc)
    return SyncResult(
        item_id,
        PlaidSyncRun.Status.FAILED,
        error_code=exc.error_code,
        error_message=exc.describe(),
        fetch_seconds=fetch_seconds,
        run_id=run.pk,
    )


def _new_transactions_pipeline():
    """`transactions.services.pipeline.process_new_transactions` (rules, then the categoriser), if installed."""
    dotted = "transactions.services.pipeline"
    try:
        module = import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name not in (dotted, "transactions.services"):
            raise
        return None
    return getattr(module, "process_new_transactions", None)


def _after_changes(item: PlaidItem, run: PlaidSyncRun, changes: AppliedChanges) -> None:
    """New rows go through rules and the categoriser like imported ones; hooks and a live notice follow the commit."""
    created = changes.created_ids
    processed = False
    process = _new_transactions_pipeline()
    if created and process is not None:
        try:
            with transaction.atomic():
                process(item.household, created, source="plaid")
            processed = True
        except Exception:
            # The sync must not stall on a categoriser bug: the rows keep the bank's categories.
            logger.exception("processing %d new Plaid transactions of item %s failed", len(created), item.pk)
    # The pipeline reports the rows it processed; everything else that changed is reported here.
    changed = [*changes.updated_ids, *changes.matched_ids, *([] if processed else created)]
    if changed:
        transactions_changed(item.household_id, changed, "plaid")
    if created:
        count = len(created)
        notify_household(
            item.household,
            kind="plaid_sync",
            title=f"{count} new transaction{'s' if count != 1 else ''} from {bank_name(item)}",
            link=reverse("transactions:index"),
            priority=Notification.Priority.LOW,
            dedupe_key=f"plaid-sync:{run.pk}",
        )


def plaid_sync_run_replay(run_id: int, *, dry_run: bool = True) -> AppliedChanges:
    """Apply a run's stored pages again (for debugging). The cursor is not touched; with `dry_run` the changes are
    computed and rolled back. Applying pages is idempotent, so replaying the latest run changes nothing."""
    run = PlaidSyncRun.objects.select_related("item").get(pk=run_id)
    pages = [json.loads(page.body, parse_float=Decimal) for page in run.raw_pages.order_by("sequence")]
    with item_sync_lock(run.item_id), transaction.atomic():
        item = locked_items().get(pk=run.item_id)
        changes = apply_sync_pages(item, pages)
        if dry_run:
            transaction.set_rollback(True)
        else:
            PlaidSyncRun.objects.create(
                household_id=item.household_id,
                item=item,
                trigger=PlaidSyncRun.Trigger.REPLAY,
                status=PlaidSyncRun.Status.SUCCEEDED,
                finished_at=timezone.now(),
                cursor_before=item.cursor,
                cursor_after=item.cursor,
                pages=len(pages),
                added=len(changes.created_ids),
                modified=len(changes.updated_ids),
                removed=changes.removed,
                matched=len(changes.matched_ids),
            )
            changed = [*changes.created_ids, *changes.updated_ids, *changes.matched_ids]
            if changed:
                transactions_changed(item.household_id, changed, "plaid")
    return changes
