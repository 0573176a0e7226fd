"""Sync failures: mutation during pagination, retries with backoff, item errors and their repair."""

from __future__ import annotations

import pytest

from insights.models import Notification
from transactions.models import PlaidItem, Transaction
from transactions.plaid.models import PlaidSyncRun
from transactions.plaid.services import plaid_item_mark_repaired, plaid_item_sync, plaid_link_token_create
from transactions.plaid.services.sync import MAX_RESTARTS

from .fake_plaid import plaid_transaction

pytestmark = pytest.mark.django_db

SYNC = "/transactions/sync"
MUTATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"


def _fresh(item: PlaidItem) -> PlaidItem:
    return PlaidItem.objects.get(pk=item.pk)


class TestMutationDuringPagination:
    def test_the_whole_loop_restarts_from_its_first_cursor(self, linked, fake_plaid):
        account_id = linked.fake.account_id()
        linked.fake.add(*(plaid_transaction(account_id) for _ in range(700)))
        late = plaid_transaction(account_id, amount="99.99")
        # The second page fails because the data changed meanwhile; the change is published at that moment.
        fake_plaid.fail_next(
            SYNC, MUTATION, error_type="TRANSACTIONS_ERROR", skip=1, then=lambda: linked.fake.add(late)
        )

        result = plaid_item_sync(linked.item.pk)

        assert fake_plaid.sync_cursors() == ["", "c500", "", "c500"]
        assert (result.added, result.restarts, result.pages) == (701, 1, 2)
        assert Transaction.objects.filter(plaid_transaction_id=late["transaction_id"]).exists()
        assert _fresh(linked.item).cursor == "c701"

    def test_an_incremental_loop_restarts_from_the_stored_cursor(self, linked, fake_plaid):
        account_id = linked.fake.account_id()
        linked.fake.add(plaid_transaction(account_id))
        plaid_item_sync(linked.item.pk)
        linked.fake.add(*(plaid_transaction(account_id) for _ in range(600)))
        fake_plaid.fail_next(SYNC, MUTATION, error_type="TRANSACTIONS_ERROR", skip=1)

        result = plaid_item_sync(linked.item.pk)

        assert fake_plaid.sync_cursors()[1:] == ["c1", "c501", "c1", "c501"]
        assert result.added == 600
        assert Transaction.objects.count() == 601

    def test_endless_mutation_gives_up_without_committing(self, linked, fake_plaid):
        linked.fake.add(plaid_transaction(linked.fake.account_id()))
        fake_plaid.fail_next(SYNC, MUTATION, error_type="TRANSACTIONS_ERROR", times=MAX_RESTARTS + 1)

        result = plaid_item_sync(linked.item.pk)

        assert (result.status, result.error_code) == ("failed", MUTATION)
        assert len(fake_plaid.calls(SYNC)) == MAX_RESTARTS + 1
        assert Transaction.objects.count() == 0
        assert _fresh(linked.item).cursor == ""


class TestRetries:
    def test_rate_limits_and_server_errors_are_retried_then_committed(self, linked, fake_plaid):
        linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(3)))
        fake_plaid.fail_next(SYNC, "RATE_LIMIT_EXCEEDED", status=429, error_type="RATE_LIMIT_EXCEEDED")
        fake_plaid.fail_next(SYNC, "INTERNAL_SERVER_ERROR", status=500, error_type="API_ERROR")

        result = plaid_item_sync(linked.item.pk)

        assert result.added == 3
        assert len(fake_plaid.calls(SYNC)) == 3
        assert _fresh(linked.item).status == PlaidItem.Status.ACTIVE

    def test_a_loop_that_keeps_failing_commits_nothing(self, settings, linked, fake_plaid):
        settings.PLAID_MAX_ATTEMPTS = 3
        account_id = linked.fake.account_id()
        linked.fake.add(*(plaid_transaction(account_id) for _ in range(600)))  # two pages
        fake_plaid.fail_next(SYNC, "INTERNAL_SERVER_ERROR", status=500, error_type="API_ERROR", times=3, skip=1)

        result = plaid_item_sync(linked.item.pk)

        assert result.status == "failed"
        assert fake_plaid.sync_cursors() == ["", "c500", "c500", "c500"]
        assert Transaction.objects.count() == 0
        item = _fresh(linked.item)
        assert (item.cursor, item.status, item.error_code) == ("", PlaidItem.Status.ACTIVE, "INTERNAL_SERVER_ERROR")
        assert "will be tried again" in item.error_message
        run = PlaidSyncRun.objects.get(pk=result.run_id)
        assert (run.status, run.error_code, run.added, run.raw_pages.count()) == (
            "failed",
            "INTERNAL_SERVER_ERROR",
            0,
            0,
        )

        retried = plaid_item_sync(linked.item.pk)  # Plaid is back: the next sync resumes from the old cursor

        assert retried.added == 600
        assert (_fresh(linked.item).error_code, _fresh(linked.item).error_message) == ("", "")


class TestItemLoginRequired:
    def test_marks_the_item_and_tells_the_household_once(self, linked, fake_plaid, member):
        fake_plaid.fail_next(
            SYNC, "ITEM_LOGIN_REQUIRED", times=2, message="the login details of this item have changed"
        )

        first = plaid_item_sync(linked.item.pk)
        plaid_item_sync(linked.item.pk)

        assert (first.status, first.error_code) == ("failed", "ITEM_LOGIN_REQUIRED")
        item = _fresh(linked.item)
        assert (item.status, item.error_code) == (PlaidItem.Status.LOGIN_REQUIRED, "ITEM_LOGIN_REQUIRED")
        notice = Notification.objects.get(user=member, kind="plaid_connection")
        assert notice.title == "First Platypus Bank needs you to sign in again"
        assert (notice.priority, notice.link) == (Notification.Priority.HIGH, "/connections/")
        assert len(fake_plaid.calls(SYNC)) == 2  # not retried: only the person can fix it

    def test_fix_connection_uses_link_update_mode_then_syncing_resumes(
        self, linked, fake_plaid, member, django_capture_on_commit_callbacks
    ):
        fake_plaid.fail_next(SYNC, "ITEM_LOGIN_REQUIRED")
        plaid_item_sync(linked.item.pk)
        linked.fake.add(plaid_transaction(linked.fake.account_id()))

        token = plaid_link_token_create(member, item=_fresh(linked.item))
        with django_capture_on_commit_callbacks(execute=True):
            plaid_item_mark_repaired(_fresh(linked.item))

        request = fake_plaid.calls("/link/token/create")[-1]
        assert token.startswith("link-sandbox-")
        assert request["access_token"] == linked.fake.access_token
        assert "products" not in request
        item = _fresh(linked.item)
        assert (item.status, item.error_code, item.error_message) == (PlaidItem.Status.ACTIVE, "", "")
        assert Transaction.objects.count() == 1  # the sync queued by the repair ran
        assert not Notification.objects.filter(title__contains="connected again").exists()  # the person did it

    def test_a_successful_sync_clears_a_login_error(self, linked, fake_plaid, member):
        fake_plaid.fail_next(SYNC, "ITEM_LOGIN_REQUIRED")
        plaid_item_sync(linked.item.pk)

        plaid_item_sync(linked.item.pk)  # repaired at the bank meanwhile

        assert _fresh(linked.item).status == PlaidItem.Status.ACTIVE
        assert Notification.objects.filter(user=member, title="First Platypus Bank is connected again").exists()

    @pytest.mark.parametrize(
        ("code", "status", "title"),
        [
            ("USER_PERMISSION_REVOKED", PlaidItem.Status.REVOKED, "First Platypus Bank access was revoked"),
            ("ITEM_NOT_FOUND", PlaidItem.Status.DISCONNECTED, "First Platypus Bank was disconnected"),
            ("NO_ACCOUNTS", PlaidItem.Status.ERROR, "First Platypus Bank connection has a problem"),
        ],
    )
    def test_other_item_errors_set_their_status(self, linked, fake_plaid, member, code, status, title):
        fake_plaid.fail_next(SYNC, code)

        plaid_item_sync(linked.item.pk)

        assert _fresh(linked.item).status == status
        assert list(Notification.objects.filter(user=member).values_list("title", flat=True)) == [title]

    def test_a_disconnected_item_is_not_synced(self, linked, fake_plaid):
        PlaidItem.objects.filter(pk=linked.item.pk).update(status=PlaidItem.Status.DISCONNECTED)

        result = plaid_item_sync(linked.item.pk)

        assert result.status == "skipped"
        assert fake_plaid.calls(SYNC) == []

    def test_without_credentials_nothing_is_attempted(self, linked, fake_plaid, settings):
        settings.PLAID_SECRET = ""

        result = plaid_item_sync(linked.item.pk)

        assert (result.status, result.error_code) == ("skipped", "NOT_CONFIGURED")
        assert fake_plaid.calls(SYNC) == []
