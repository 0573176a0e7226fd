"""The demo data: realistic, linked, fast, and idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fincoach.demo import DemoContext
from transactions import demo
from transactions.models import FinancialAccount, Transaction
from transactions.selectors.accounts import account_balance, accounts_with_balances

pytestmark = pytest.mark.django_db


def test_demo_rows_are_deterministic_and_span_the_months():
    today = dt.date(2026, 6, 14)
    first = list(demo.demo_rows(seed=1000, months=12, today=today))
    assert first == list(demo.demo_rows(seed=1000, months=12, today=today))
    assert min(r.date for r in first) == dt.date(2025, 7, 1)
    assert max(r.date for r in first) <= today
    salaries = [r for r in first if r.category == "INCOME_WAGES"]
    assert len(salaries) == 23  # two a month, June's second one still to come
    assert 400 < len(first) < 1200  # about forty a month


def test_seed_demo_is_idempotent_and_links_transfers(household, member):
    context = DemoContext(household=household, user=member, months=6, index=0, seed=1000)
    counts = demo.seed_demo(context)
    again = demo.seed_demo(context)

    assert counts["accounts"] == 3 and counts["transactions"] > 200 and counts["transfers"] >= 10
    assert again == {"accounts": 3, "transactions": 0, "transfers": 0}
    assert FinancialAccount.objects.filter(household=household).count() == 3
    card = FinancialAccount.objects.get(household=household, kind="credit_card")
    balance = account_balance(accounts_with_balances(household=household).get(pk=card.pk))
    assert balance <= Decimal("0"), "the card carries at most this month's spending"
    assert Transaction.objects.filter(household=household, category_suggested=True).exists()
    assert Transaction.objects.filter(household=household, category__isnull=True).exists()
