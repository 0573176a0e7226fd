"""Test helpers that write transactions straight to the database (no categoriser, no hooks), so budget and goal
tests control exactly which lines exist. Plain functions rather than factories: the transactions app owns the
factories of its models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from transactions.models import Category, FinancialAccount, Transaction, TransactionSplit


def category(code: str) -> Category:
    """A system category by its PFC code (loaded by the transactions migrations)."""
    return Category.objects.get(household__isnull=True, code=code)


def account(household, name: str = "Checking", kind: str = FinancialAccount.Kind.CHECKING, **extra) -> FinancialAccount:
    found, _ = FinancialAccount.objects.get_or_create(household=household, name=name, defaults={"kind": kind, **extra})
    return found


def txn(
    household, day: date, amount: str, code: str | None = None, *, account_name: str = "Checking", **extra
) -> Transaction:
    """A transaction of `amount` (a string; negative = money out) in the category with PFC `code`."""
    return Transaction.objects.create(
        household=household,
        account=account(household, account_name),
        date=day,
        amount=Decimal(amount),
        description=extra.pop("description", f"{code or 'uncategorised'} {amount}"),
        category=category(code) if code else None,
        **extra,
    )


def split(transaction: Transaction, *parts: tuple[str, str]) -> list[TransactionSplit]:
    """Allocate a transaction across categories: `split(t, ("FOOD_AND_DRINK_GROCERIES", "-60"), ...)`."""
    return [
        TransactionSplit.objects.create(
            household=transaction.household, transaction=transaction, category=category(code), amount=Decimal(amount)
        )
        for code, amount in parts
    ]
