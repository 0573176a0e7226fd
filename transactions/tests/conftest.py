"""Fixtures for the money-in tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from transactions.models import Category
from transactions.tests.factories import FinancialAccountFactory, TransactionFactory


@pytest.fixture
def account(household):
    return FinancialAccountFactory(household=household, name="Everyday checking")


@pytest.fixture
def savings(household):
    return FinancialAccountFactory(household=household, name="Savings", kind="savings")


@pytest.fixture
def cat():
    """A system category by PFC code: cat("FOOD_AND_DRINK_COFFEE")."""
    return lambda code: Category.objects.get(household__isnull=True, code=code)


@pytest.fixture
def make_txn(household, account):
    """A transaction in `account` (override anything)."""

    def make(description="CARD PURCHASE", amount="-10.00", date=dt.date(2025, 3, 1), **kwargs):
        kwargs.setdefault("account", account)
        return TransactionFactory(
            household=household, description=description, amount=Decimal(amount), date=date, **kwargs
        )

    return make
