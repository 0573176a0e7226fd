"""Two syncs of one item never run at once: advisory locks on PostgreSQL, lease rows elsewhere."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from fincoach.testing.services import require_postgres
from transactions.models import Transaction
from transactions.plaid.locks import SyncInProgress, _lease_lock, item_sync_lock
from transactions.plaid.models import PlaidSyncLease, PlaidSyncRun
from transactions.plaid.services import plaid_item_sync

from .factories import PlaidItemFactory, PlaidSyncLeaseFactory
from .fake_plaid import plaid_transaction

SYNC = "/transactions/sync"


@pytest.mark.django_db
class TestLeaseLock:
    """The lock used where advisory locks do not exist (SQLite), exercised on any database."""

    def test_a_second_holder_is_refused_until_the_first_lets_go(self):
        item = PlaidItemFactory()

        with _lease_lock(item.pk):
            assert PlaidSyncLease.objects.filter(item=item).exists()
            with pytest.raises(SyncInProgress), _lease_lock(item.pk):
                pass
        with _lease_lock(item.pk):
            pass

        assert not PlaidSyncLease.objects.exists()

    def test_an_expired_lease_of_a_crashed_worker_is_taken_over(self):
        lease = PlaidSyncLeaseFactory(expires_at=timezone.now() - dt.timedelta(seconds=1))

        with _lease_lock(lease.item_id):
            assert PlaidSyncLease.objects.get().token != lease.token

    def test_a_sync_that_finds_the_lock_taken_does_nothing(self, linked, fake_plaid):
        if connection.vendor == "postgresql":
            pytest.skip("one session may take its own advisory lock again: see the threaded tests")
        linked.fake.add(plaid_transaction(linked.fake.account_id()))

        with item_sync_lock(linked.item.pk):
            result = plaid_item_sync(linked.item.pk)

        assert (result.status, result.error_code) == ("skipped", "IN_PROGRESS")
        assert fake_plaid.calls(SYNC) == []
        assert plaid_item_sync(linked.item.pk).added == 1


def _concurrent_syncs(linked, fake_plaid, while_held=None):
    """Sync in a thread that Plaid keeps waiting; sync again meanwhile; then let the first finish."""
    linked.item.refresh_from_db()
    linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(3)))
    fake_plaid.requests.clear()  # linking already synced once (its on-commit sync runs in these tests)
    hold = fake_plaid.hold(SYNC)

    def sync_in_thread():
        try:
            return plaid_item_sync(linked.item.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(sync_in_thread)
        assert hold.entered.wait(timeout=10), "the first sync never reached Plaid"
        if while_held is not None:
            while_held()
        second = plaid_item_sync(linked.item.pk)
        del fake_plaid.holds[SYNC]
        hold.release.set()
        return first.result(timeout=30), second


@pytest.mark.django_db(transaction=True)
class TestConcurrentSyncs:
    def test_the_second_sync_skips_and_the_first_goes_round_again(self, linked, fake_plaid):
        first, second = _concurrent_syncs(linked, fake_plaid)

        assert (second.status, second.error_code) == ("skipped", "IN_PROGRESS")
        assert (first.status, first.added) == ("succeeded", 3)
        assert fake_plaid.sync_cursors() == ["c0", "c3"]  # the follow-up pass asked for what came meanwhile
        assert Transaction.objects.count() == 3
        runs = PlaidSyncRun.objects.order_by("pk").values_list("cursor_before", "status")
        assert list(runs) == [("", "succeeded"), ("c0", "succeeded"), ("c3", "succeeded")]  # link, first, follow-up


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_syncs_on_postgresql_use_an_advisory_lock(linked, fake_plaid):
    require_postgres()

    def advisory_locks_held() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s", [linked.item.pk])
            assert cursor.fetchone()[0] == 1
        assert not PlaidSyncLease.objects.exists()

    first, second = _concurrent_syncs(linked, fake_plaid, while_held=advisory_locks_held)

    assert (second.status, first.status, first.added) == ("skipped", "succeeded", 3)
    assert Transaction.objects.count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone()[0] == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_syncs_on_postgresql_add_each_transaction_once(linked, fake_plaid):
    # PostgreSQL only: SQLite's shared in-memory test database answers concurrent writers with "table is locked"
    # instead of waiting, unlike the file database fincoach uses (which waits up to its busy timeout).
    require_postgres()
    linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(50)))
    start = threading.Barrier(4)

    def sync():
        try:
            start.wait(timeout=10)
            return plaid_item_sync(linked.item.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sync(), range(4)))

    assert sum(r.added for r in results) == 50
    assert Transaction.objects.count() == 50
