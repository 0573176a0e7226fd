"""Linking banks: Link tokens, the public token exchange, relinking without duplicates, disconnecting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from transactions.models import FinancialAccount, Institution, PlaidItem, Transaction
from transactions.plaid.client import PlaidError
from transactions.plaid.services import (
    plaid_item_connect,
    plaid_item_disconnect,
    plaid_item_sync,
    plaid_link_token_create,
)

from .conftest import WEBHOOK_URL
from .fake_plaid import plaid_account, plaid_transaction

pytestmark = pytest.mark.django_db


def _edit_notes(plaid_id: str, notes: str) -> None:
    Transaction.objects.filter(plaid_transaction_id=plaid_id).update(notes=notes, user_edited=["notes"])


class TestLinkToken:
    def test_asks_for_transactions_with_our_webhook_and_history(self, fake_plaid, member, settings):
        settings.PLAID_DAYS_REQUESTED = 400

        token = plaid_link_token_create(member)

        request = fake_plaid.calls("/link/token/create")[0]
        assert token.startswith("link-sandbox-")
        assert request["products"] == ["transactions"]
        assert request["webhook"] == WEBHOOK_URL
        assert request["transactions"] == {"days_requested": 400}
        assert request["country_codes"] == ["US"]
        assert request["user"] == {"client_user_id": str(member.pk)}
        assert "access_token" not in request

    def test_update_mode_for_new_accounts_enables_account_selection(self, linked, fake_plaid, member):
        PlaidItem.objects.filter(pk=linked.item.pk).update(new_accounts_available=True)

        plaid_link_token_create(member, item=PlaidItem.objects.get(pk=linked.item.pk))

        request = fake_plaid.calls("/link/token/create")[0]
        assert request["update"] == {"account_selection_enabled": True}
        assert request["access_token"] == linked.fake.access_token


class TestConnect:
    def test_creates_the_item_institution_and_accounts(self, fake_plaid, member, household):
        card = plaid_account("Platypus Card", mask="9999", type="credit", subtype="credit card", current="42.10")
        fake_item = fake_plaid.add_item([plaid_account("Plaid Checking", mask="0000", current="1200.50"), card])

        result = plaid_item_connect(member, fake_item.public_token)

        item = result.item
        assert (item.household, item.plaid_item_id, item.status) == (household, fake_item.item_id, "active")
        assert item.institution == Institution.objects.get(plaid_institution_id="ins_109508")
        assert item.institution.name == "First Platypus Bank"
        assert PlaidItem.objects.get(pk=item.pk).access_token == fake_item.access_token
        accounts = {a.name: a for a in FinancialAccount.objects.for_household(household)}
        assert set(accounts) == {"Plaid Checking", "Platypus Card"}
        assert (accounts["Plaid Checking"].kind, accounts["Plaid Checking"].reported_balance) == (
            "checking",
            Decimal("1200.50"),
        )
        assert (accounts["Platypus Card"].kind, accounts["Platypus Card"].reported_balance) == (
            "credit_card",
            Decimal("-42.10"),
        )
        assert (result.accounts_created, result.accounts_adopted, result.relinked) == (2, 0, False)

    def test_the_access_token_is_encrypted_at_rest(self, linked):
        with connection.cursor() as cursor:
            table = PlaidItem._meta.db_table
            cursor.execute(f"SELECT access_token FROM {table} WHERE id = %s", [linked.item.pk])  # noqa: S608
            stored = cursor.fetchone()[0]
        assert linked.fake.access_token not in stored
        assert stored.startswith("gAAAA")  # a Fernet token

    def test_the_first_sync_is_queued_after_commit(self, fake_plaid, member, django_capture_on_commit_callbacks):
        fake_item = fake_plaid.add_item()
        fake_item.add(plaid_transaction(fake_item.account_id()))

        with django_capture_on_commit_callbacks(execute=True):
            plaid_item_connect(member, fake_item.public_token)

        assert Transaction.objects.count() == 1

    def test_account_names_stay_unique_in_the_household(self, fake_plaid, member, household):
        FinancialAccount.objects.create(household=household, name="Plaid Checking")
        fake_item = fake_plaid.add_item([plaid_account("Plaid Checking", mask="0000")])

        plaid_item_connect(member, fake_item.public_token)

        assert FinancialAccount.objects.get(plaid_account_id=fake_item.account_id()).name == "Plaid Checking ••0000"

    def test_a_rejected_public_token_links_nothing(self, fake_plaid, member):
        with pytest.raises(PlaidError) as failure:
            plaid_item_connect(member, "public-sandbox-not-issued")

        assert failure.value.error_code == "INVALID_PUBLIC_TOKEN"
        assert PlaidItem.objects.count() == 0

    def test_an_item_that_cannot_be_read_is_removed_at_plaid(self, fake_plaid, member):
        fake_item = fake_plaid.add_item()
        fake_plaid.fail_next("/accounts/get", "NO_ACCOUNTS")

        with pytest.raises(PlaidError):
            plaid_item_connect(member, fake_item.public_token)

        assert fake_item.removed_at_plaid
        assert PlaidItem.objects.count() == 0


class TestRelinkingTheSameLogin:
    def test_no_duplicate_accounts_or_transactions(
        self, linked, fake_plaid, member, household, django_capture_on_commit_callbacks
    ):
        account_id = linked.fake.account_id()
        coffee, _rent, pending = linked.fake.add(
            plaid_transaction(account_id, amount="4.50", date="2025-03-01"),
            plaid_transaction(account_id, amount="1500.00", date="2025-03-01", name="RENT"),
            plaid_transaction(account_id, amount="9.99", date="2025-03-04", pending=True),
        )
        plaid_item_sync(linked.item.pk)
        _edit_notes(coffee["transaction_id"], "with Sam")
        account = FinancialAccount.objects.get(plaid_account_id=account_id)

        again = fake_plaid.relink(linked.fake)
        with django_capture_on_commit_callbacks(execute=True):
            result = plaid_item_connect(member, again.public_token)

        assert (result.accounts_created, result.accounts_adopted, result.superseded_items) == (0, 1, 1)
        assert list(PlaidItem.objects.values_list("plaid_item_id", flat=True)) == [again.item_id]
        assert linked.fake.removed_at_plaid
        assert list(FinancialAccount.objects.for_household(household)) == [account]
        account.refresh_from_db()
        assert account.plaid_account_id == again.account_id()
        assert Transaction.objects.count() == 3
        notes = dict(Transaction.objects.values_list("amount", "notes"))
        assert notes[Decimal("-4.50")] == "with Sam"
        assert not Transaction.objects.filter(plaid_transaction_id=pending["transaction_id"]).exists()
        assert set(Transaction.objects.values_list("plaid_transaction_id", flat=True)) == {
            t["transaction_id"] for _, t in again.changes
        }

    def test_disconnect_keeping_history_then_reconnect(self, linked, fake_plaid, member, household):
        account_id = linked.fake.account_id()
        linked.fake.add(*(plaid_transaction(account_id, amount=f"{n}.00") for n in range(1, 4)))
        plaid_item_sync(linked.item.pk)

        outcome = plaid_item_disconnect(linked.item, keep_history=True)

        assert (outcome.accounts_kept, outcome.accounts_deleted) == (1, 0)
        assert linked.fake.removed_at_plaid
        assert PlaidItem.objects.count() == 0
        assert Transaction.objects.count() == 3
        account = FinancialAccount.objects.for_household(household).get()
        assert (account.plaid_item, account.plaid_account_id) == (None, None)

        again = fake_plaid.relink(linked.fake)
        result = plaid_item_connect(member, again.public_token)
        sync = plaid_item_sync(result.item.pk)

        assert (result.accounts_adopted, sync.added, sync.matched) == (1, 0, 3)
        assert Transaction.objects.count() == 3
        assert FinancialAccount.objects.for_household(household).get().pk == account.pk

    def test_rows_imported_from_a_file_are_claimed_not_duplicated(self, fake_plaid, member, household):
        institution = Institution.objects.create(name="First Platypus Bank", plaid_institution_id="ins_109508")
        account = FinancialAccount.objects.create(
            household=household, name="Checking", institution=institution, mask="0000"
        )
        imported = Transaction.objects.create(
            household=household,
            account=account,
            date=dt.date(2025, 3, 1),
            amount=Decimal("-4.50"),
            description="BLUE BOTTLE 0301",
            notes="imported from CSV",
        )
        fake_item = fake_plaid.add_item([plaid_account("Plaid Checking", mask="0000")])
        fake_item.add(
            plaid_transaction(fake_item.account_id(), amount="4.50", date="2025-03-01"),
            plaid_transaction(fake_item.account_id(), amount="4.50", date="2025-03-01"),  # a second, genuine coffee
        )

        item = plaid_item_connect(member, fake_item.public_token).item
        result = plaid_item_sync(item.pk)

        assert (result.matched, result.added) == (1, 1)
        imported.refresh_from_db()
        assert imported.plaid_transaction_id is not None
        assert imported.notes == "imported from CSV"
        assert Transaction.objects.filter(account=account).count() == 2


class TestDisconnect:
    def test_deleting_history_removes_accounts_and_transactions(self, linked, household):
        linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(2)))
        plaid_item_sync(linked.item.pk)

        outcome = plaid_item_disconnect(linked.item, keep_history=False)

        assert (outcome.accounts_deleted, outcome.transactions_deleted) == (1, 2)
        assert not FinancialAccount.objects.for_household(household).exists()
        assert Transaction.objects.count() == 0

    def test_when_plaid_cannot_be_reached_nothing_changes(self, settings, linked, fake_plaid):
        settings.PLAID_MAX_ATTEMPTS = 2
        fake_plaid.fail_next("/item/remove", "INTERNAL_SERVER_ERROR", status=500, error_type="API_ERROR", times=2)

        with pytest.raises(PlaidError):
            plaid_item_disconnect(linked.item, keep_history=True)

        assert PlaidItem.objects.filter(pk=linked.item.pk).exists()
        assert FinancialAccount.objects.filter(plaid_item=linked.item).count() == 1

    def test_an_item_plaid_already_forgot_is_disconnected_here(self, linked, fake_plaid):
        linked.fake.removed_at_plaid = True

        plaid_item_disconnect(linked.item, keep_history=True)

        assert not PlaidItem.objects.exists()
