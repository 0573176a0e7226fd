"""/transactions/sync through the real plaid-python client against the scripted fake Plaid server."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from insights.models import Notification
from transactions.models import Category, FinancialAccount, Tag, Transaction, TransactionSplit
from transactions.plaid.models import PlaidSyncPage, PlaidSyncRun
from transactions.plaid.services import plaid_item_sync, plaid_sync_run_replay
from transactions.plaid.services import sync as sync_service

from .fake_plaid import plaid_account, plaid_transaction

pytestmark = pytest.mark.django_db

SYNC = "/transactions/sync"


def _category(code: str) -> Category:
    return Category.objects.get(household__isnull=True, code=code)


def _row(plaid_id: str) -> Transaction:
    return Transaction.objects.get(plaid_transaction_id=plaid_id)


def _edit_by_hand(row: Transaction, household) -> None:
    """What the transaction edit screen records: the user's category, a note, a tag and a split."""
    groceries = _category("FOOD_AND_DRINK_GROCERIES")
    row.category = groceries
    row.category_source = Transaction.CategorySource.USER
    row.notes = "team coffee, expense it"
    row.user_edited = ["category", "notes"]
    row.save()
    row.tags.add(Tag.objects.create(household=household, name="work"))
    TransactionSplit.objects.create(household=household, transaction=row, category=groceries, amount=row.amount)


class TestInitialSync:
    def test_pages_until_has_more_is_false_then_one_commit(self, linked, fake_plaid):
        account_id = linked.fake.account_id()
        linked.fake.add(*(plaid_transaction(account_id, amount=f"{n}.10") for n in range(1, 1202)))

        result = plaid_item_sync(linked.item.pk)

        assert result.status == PlaidSyncRun.Status.SUCCEEDED
        assert (result.added, result.pages, result.restarts) == (1201, 3, 0)
        assert fake_plaid.sync_cursors() == ["", "c500", "c1000"]
        assert {body["count"] for body in fake_plaid.calls(SYNC)} == {500}
        assert Transaction.objects.filter(account__plaid_item=linked.item).count() == 1201
        linked.item.refresh_from_db()
        assert linked.item.cursor == "c1201"
        assert linked.item.last_synced_at is not None

    def test_stores_the_raw_pages_and_the_run(self, linked):
        account_id = linked.fake.account_id()
        linked.fake.add(*(plaid_transaction(account_id) for _ in range(3)))

        result = plaid_item_sync(linked.item.pk)

        run = PlaidSyncRun.objects.get(pk=result.run_id)
        assert (run.status, run.added, run.pages, run.cursor_before, run.cursor_after) == ("succeeded", 3, 1, "", "c3")
        page = PlaidSyncPage.objects.get(run=run)
        assert (page.sequence, page.request_cursor, page.next_cursor, page.added) == (0, "", "c3", 3)
        assert len(json.loads(page.body)["added"]) == 3

    def test_amounts_take_our_sign_exactly(self, linked):
        account_id = linked.fake.account_id()
        coffee, refund = linked.fake.add(
            plaid_transaction(account_id, amount="4.35"), plaid_transaction(account_id, amount="-120.10")
        )

        plaid_item_sync(linked.item.pk)

        assert _row(coffee["transaction_id"]).amount == Decimal("-4.35")
        assert _row(refund["transaction_id"]).amount == Decimal("120.10")

    def test_bank_fields_are_mapped(self, linked):
        txn = linked.fake.add(
            plaid_transaction(
                linked.fake.account_id(), date="2025-02-03", name="SQ *BLUE BOTTLE", merchant_name="Blue Bottle Coffee"
            )
        )[0]

        plaid_item_sync(linked.item.pk)

        row = _row(txn["transaction_id"])
        assert (str(row.date), row.description, row.merchant, row.currency, row.pending) == (
            "2025-02-03",
            "SQ *BLUE BOTTLE",
            "Blue Bottle Coffee",
            "USD",
            False,
        )
        assert row.account.plaid_item_id == linked.item.pk

    @pytest.mark.parametrize(
        ("pfc", "code", "confidence", "suggested", "plaid_category"),
        [
            (("FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "VERY_HIGH"), "FOOD_AND_DRINK_COFFEE", "0.980", False, True),
            (("TRANSPORTATION", "TRANSPORTATION_NOT_A_CODE", "HIGH"), "TRANSPORTATION", "0.900", False, True),
            (("FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "MEDIUM"), "FOOD_AND_DRINK_COFFEE", "0.700", True, False),
            (("FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "LOW"), None, None, False, False),
            (None, None, None, False, False),
        ],
    )
    def test_personal_finance_category_maps_with_its_confidence(
        self, linked, monkeypatch, pfc, code, confidence, suggested, plaid_category
    ):
        # What the sync itself writes (the categorisation pipeline may then re-rank it: tested with the pipeline).
        monkeypatch.setattr(sync_service, "_new_transactions_pipeline", lambda: None)
        txn = linked.fake.add(plaid_transaction(linked.fake.account_id(), pfc=pfc))[0]

        plaid_item_sync(linked.item.pk)

        row = _row(txn["transaction_id"])
        assert (row.category.code if row.category else None) == code
        assert row.category_confidence == (Decimal(confidence) if confidence else None)
        assert row.category_source == ("bank" if code else "")
        assert row.category_suggested is suggested
        assert row.plaid_category == (code if plaid_category else "")

    def test_balances_and_new_accounts_follow_the_response(self, linked):
        card = plaid_account("Platypus Card", mask="4444", type="credit", subtype="credit card", current="250.00")
        linked.fake.accounts[0]["balances"]["current"] = Decimal("1500.25")
        linked.fake.accounts.append(card)

        plaid_item_sync(linked.item.pk)

        checking = FinancialAccount.objects.get(plaid_account_id=linked.fake.account_id(0))
        credit = FinancialAccount.objects.get(plaid_account_id=card["account_id"])
        assert checking.reported_balance == Decimal("1500.25")
        assert (credit.kind, credit.mask, credit.reported_balance) == ("credit_card", "4444", Decimal("-250.00"))

    def test_new_transactions_are_announced_once(self, linked, member, django_capture_on_commit_callbacks):
        linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(3)))

        with django_capture_on_commit_callbacks(execute=True):
            plaid_item_sync(linked.item.pk)
            plaid_item_sync(linked.item.pk)  # nothing new: no second notice

        notice = Notification.objects.get(user=member, kind="plaid_sync")
        assert notice.title == "3 new transactions from First Platypus Bank"

    def test_new_transactions_go_through_the_pipeline(self, linked, monkeypatch):
        calls = []
        monkeypatch.setattr(
            sync_service, "_new_transactions_pipeline", lambda: lambda h, ids, source: calls.append((h, ids, source))
        )
        linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(2)))

        result = plaid_item_sync(linked.item.pk)

        assert calls == [(linked.item.household, result.created_ids, "plaid")]

    def test_a_failing_pipeline_does_not_stall_the_sync(self, linked, monkeypatch):
        def broken(household, ids, source):
            Transaction.objects.filter(pk__in=ids).update(notes="half-done")
            raise RuntimeError("categoriser bug")

        monkeypatch.setattr(sync_service, "_new_transactions_pipeline", lambda: broken)
        txn = linked.fake.add(plaid_transaction(linked.fake.account_id()))[0]

        result = plaid_item_sync(linked.item.pk)

        assert result.succeeded
        assert _row(txn["transaction_id"]).notes == ""  # the pipeline's half-done work was rolled back
        assert linked.item.__class__.objects.get(pk=linked.item.pk).cursor == "c1"


class TestIncrementalSync:
    def test_starts_from_the_stored_cursor(self, linked, fake_plaid):
        linked.fake.add(plaid_transaction(linked.fake.account_id()))
        plaid_item_sync(linked.item.pk)
        linked.fake.add(plaid_transaction(linked.fake.account_id()))

        result = plaid_item_sync(linked.item.pk)

        assert result.added == 1
        assert fake_plaid.sync_cursors() == ["", "c1"]

    def test_modified_updates_bank_fields_and_keeps_the_users_edits(self, linked, household):
        txn = linked.fake.add(plaid_transaction(linked.fake.account_id(), amount="10.00", name="AMZN MKTP"))[0]
        plaid_item_sync(linked.item.pk)
        row = _row(txn["transaction_id"])
        _edit_by_hand(row, household)

        linked.fake.modify(
            {**txn, "amount": Decimal("12.50"), "original_description": "AMAZON MARKETPLACE", "date": "2025-03-02"}
        )
        result = plaid_item_sync(linked.item.pk)

        row.refresh_from_db()
        assert result.modified == 1
        assert (row.amount, row.description, str(row.date)) == (Decimal("-12.50"), "AMAZON MARKETPLACE", "2025-03-02")
        assert (row.category.code, row.category_source) == ("FOOD_AND_DRINK_GROCERIES", "user")
        assert row.notes == "team coffee, expense it"
        assert [t.name for t in row.tags.all()] == ["work"]
        assert row.splits.count() == 1

    def test_modified_bank_category_replaces_the_banks_own_but_not_a_rules(self, linked):
        account_id = linked.fake.account_id()
        by_bank, by_rule = linked.fake.add(plaid_transaction(account_id), plaid_transaction(account_id))
        plaid_item_sync(linked.item.pk)
        Transaction.objects.filter(plaid_transaction_id=by_rule["transaction_id"]).update(
            category=_category("ENTERTAINMENT"), category_source=Transaction.CategorySource.RULE
        )
        restaurants = {"primary": "FOOD_AND_DRINK", "detailed": "FOOD_AND_DRINK_RESTAURANT", "confidence_level": "HIGH"}

        linked.fake.modify(
            {**by_bank, "personal_finance_category": restaurants}, {**by_rule, "personal_finance_category": restaurants}
        )
        plaid_item_sync(linked.item.pk)

        assert _row(by_bank["transaction_id"]).category.code == "FOOD_AND_DRINK_RESTAURANT"
        assert _row(by_rule["transaction_id"]).category.code == "ENTERTAINMENT"

    def test_removed_deletes(self, linked):
        account_id = linked.fake.account_id()
        kept, gone = linked.fake.add(plaid_transaction(account_id), plaid_transaction(account_id))
        plaid_item_sync(linked.item.pk)

        linked.fake.remove(gone["transaction_id"])
        result = plaid_item_sync(linked.item.pk)

        assert result.removed == 1
        assert list(Transaction.objects.values_list("plaid_transaction_id", flat=True)) == [kept["transaction_id"]]


class TestPendingToPosted:
    def test_the_posted_transaction_takes_over_the_pending_one_with_the_users_edits(self, linked, household):
        pending = linked.fake.add(plaid_transaction(linked.fake.account_id(), amount="20.00", pending=True))[0]
        plaid_item_sync(linked.item.pk)
        row = _row(pending["transaction_id"])
        _edit_by_hand(row, household)

        posted = linked.fake.post(pending, amount="24.00", date="2025-03-03")  # the tip was added
        result = plaid_item_sync(linked.item.pk)

        assert Transaction.objects.count() == 1
        assert (result.added, result.modified, result.removed) == (0, 1, 0)
        now = Transaction.objects.get()
        assert now.pk == row.pk
        assert (now.plaid_transaction_id, now.pending, now.amount) == (
            posted["transaction_id"],
            False,
            Decimal("-24.00"),
        )
        assert (now.category.code, now.notes) == ("FOOD_AND_DRINK_GROCERIES", "team coffee, expense it")
        assert [t.name for t in now.tags.all()] == ["work"]
        assert now.splits.count() == 1

    def test_posting_in_a_later_sync_than_the_removal_still_makes_one_row(self, linked):
        pending = linked.fake.add(plaid_transaction(linked.fake.account_id(), pending=True))[0]
        plaid_item_sync(linked.item.pk)

        linked.fake.add(
            plaid_transaction(linked.fake.account_id(), pending_transaction_id=pending["transaction_id"])
        )  # posted first…
        plaid_item_sync(linked.item.pk)
        linked.fake.remove(pending["transaction_id"])  # …the pending one removed a sync later
        plaid_item_sync(linked.item.pk)

        assert Transaction.objects.count() == 1
        assert Transaction.objects.get().pending is False


class TestReplay:
    def test_pages_served_again_change_nothing(self, linked, household):
        account_id = linked.fake.account_id()
        txns = linked.fake.add(*(plaid_transaction(account_id) for _ in range(3)))
        plaid_item_sync(linked.item.pk)
        _edit_by_hand(_row(txns[0]["transaction_id"]), household)
        before = list(Transaction.objects.order_by("pk").values("pk", "updated_at", "category_id", "notes"))
        linked.item.__class__.objects.filter(pk=linked.item.pk).update(cursor="")  # Plaid serves it all again

        result = plaid_item_sync(linked.item.pk)

        assert (result.added, result.modified, result.removed) == (0, 0, 0)
        assert list(Transaction.objects.order_by("pk").values("pk", "updated_at", "category_id", "notes")) == before

    def test_stored_pages_replay_idempotently(self, linked):
        account_id = linked.fake.account_id()
        linked.fake.add(*(plaid_transaction(account_id) for _ in range(4)))
        first = plaid_item_sync(linked.item.pk)

        dry = plaid_sync_run_replay(first.run_id, dry_run=True)
        applied = plaid_sync_run_replay(first.run_id, dry_run=False)

        assert (dry.created_ids, dry.updated_ids, dry.removed) == ([], [], 0)
        assert (applied.created_ids, applied.updated_ids, applied.removed) == ([], [], 0)
        assert Transaction.objects.count() == 4
        assert PlaidSyncRun.objects.filter(trigger=PlaidSyncRun.Trigger.REPLAY).count() == 1

    def test_a_dry_run_rolls_back_what_it_would_change(self, linked):
        txn = linked.fake.add(plaid_transaction(linked.fake.account_id(), amount="5.00"))[0]
        first = plaid_item_sync(linked.item.pk)
        Transaction.objects.filter(plaid_transaction_id=txn["transaction_id"]).update(amount=Decimal("-1.00"))

        dry = plaid_sync_run_replay(first.run_id, dry_run=True)

        assert len(dry.updated_ids) == 1
        assert _row(txn["transaction_id"]).amount == Decimal("-1.00")
