"""Accounts: create/edit/close, and balances (derived from transactions, or as the bank reported)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from transactions.selectors.accounts import account_balance, accounts_with_balances
from transactions.services.accounts import (
    account_close,
    account_create,
    account_get_or_create,
    account_reopen,
    account_update,
)

pytestmark = pytest.mark.django_db


def balance_of(household, account) -> Decimal:
    return account_balance(accounts_with_balances(household=household).get(pk=account.pk))


def test_balance_is_opening_balance_plus_posted_transactions_since_the_opening_date(household, make_txn):
    account = account_create(
        household=household, name="Checking", opening_balance="1000.00", opening_date=dt.date(2025, 1, 1)
    )
    make_txn(account=account, amount="-100.00", date=dt.date(2025, 1, 5))
    make_txn(account=account, amount="250.50", date=dt.date(2025, 2, 1))
    make_txn(account=account, amount="-40.00", date=dt.date(2025, 2, 2), pending=True)
    make_txn(account=account, amount="-999.00", date=dt.date(2024, 12, 31))  # history before the opening date

    assert balance_of(household, account) == Decimal("1150.50")


def test_reported_balance_wins_when_the_bank_reports_one(household, make_txn):
    account = account_create(household=household, name="Synced", opening_balance="10.00")
    make_txn(account=account, amount="-5.00")
    account.reported_balance = Decimal("123.45")
    account.reported_balance_at = timezone.now()
    account.save()

    assert balance_of(household, account) == Decimal("123.45")


def test_names_are_unique_per_household_case_insensitively(household, other_household):
    account_create(household=household, name="Checking")
    with pytest.raises(ValidationError) as error:
        account_create(household=household, name=" checking ")
    assert "already have an account" in error.value.message_dict["name"][0]
    assert account_create(household=other_household, name="Checking").name == "Checking"


def test_edit_close_and_reopen(household):
    account = account_create(household=household, name="Card", kind="credit_card", institution_name="Chase")
    account_update(account, name="Sapphire", opening_balance="-20.00", institution_name="Chase")
    assert (account.name, account.opening_balance, account.institution.name) == ("Sapphire", Decimal("-20.00"), "Chase")

    account_close(account, closed_on=dt.date(2025, 6, 30))
    assert (account.is_active, account.closed_at) == (False, dt.date(2025, 6, 30))
    assert not accounts_with_balances(household=household, include_closed=False).exists()

    account_reopen(account)
    assert account.is_active and account.closed_at is None


def test_unknown_fields_and_kinds_are_refused(household):
    account = account_create(household=household, name="A")
    with pytest.raises(ValidationError):
        account_update(account, household=None)
    with pytest.raises(ValidationError):
        account_create(household=household, name="B", kind="piggy_bank")


def test_get_or_create_reuses_by_name(household):
    first, created = account_get_or_create(household=household, name="Chase")
    again, created_again = account_get_or_create(household=household, name="CHASE")
    assert (created, created_again, first.pk) == (True, False, again.pk)
