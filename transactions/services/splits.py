"""Splitting one transaction across several categories (the parts always sum to the transaction's amount)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from fincoach.hooks import transactions_changed
from fincoach.money import format_money, to_money
from transactions.models import Category, Transaction, TransactionSplit

from .transactions import save_user_category


@dataclass(frozen=True)
class SplitPart:
    category: Category
    amount: Decimal | str
    notes: str = ""


def validate_split(txn: Transaction, parts: Sequence[SplitPart]) -> list[tuple[Category, Decimal, str]]:
    """Check the parts against the transaction; returns them with amounts as money. Raises ValidationError."""
    if len(parts) < 2:
        raise ValidationError("A split needs at least two parts.")
    cleaned = []
    for number, part in enumerate(parts, start=1):
        if part.category.household_id not in (None, txn.household_id):
            raise ValidationError(f"Part {number}: choose one of your categories.")
        try:
            amount = to_money(part.amount)
        except (ValueError, TypeError):
            raise ValidationError(f"Part {number}: {part.amount!r} is not an amount.") from None
        if amount == 0:
            raise ValidationError(f"Part {number}: the amount cannot be zero.")
        if (amount < 0) != (txn.amount < 0):
            raise ValidationError(
                f"Part {number}: every part must have the same sign as the transaction ({format_money(txn.amount)})."
            )
        cleaned.append((part.category, amount, (part.notes or "").strip()[:200]))
    total = sum((amount for _, amount, _ in cleaned), Decimal("0"))
    if total != txn.amount:
        difference = txn.amount - total
        raise ValidationError(
            f"The parts add up to {format_money(total, txn.currency)} but the transaction is "
            f"{format_money(txn.amount, txn.currency)} ({format_money(difference, txn.currency, signed=True)} "
            "left to assign)."
        )
    return cleaned


@transaction.atomic
def transaction_split(txn: Transaction, parts: Sequence[SplitPart]) -> list[TransactionSplit]:
    """Replace the transaction's splits. Its own category becomes the largest part's (what lists show)."""
    cleaned = validate_split(txn, parts)
    txn.splits.all().delete()
    splits = TransactionSplit.objects.bulk_create(
        TransactionSplit(household_id=txn.household_id, transaction=txn, category=category, amount=amount, notes=notes)
        for category, amount, notes in cleaned
    )
    largest = max(cleaned, key=lambda part: abs(part[1]))[0]
    save_user_category(txn, largest)  # the transaction shows its largest part's category
    transactions_changed(txn.household_id, [txn.pk], "manual")
    return splits


@transaction.atomic
def transaction_unsplit(txn: Transaction) -> None:
    """Remove the splits; the transaction keeps its own category."""
    deleted, _ = txn.splits.all().delete()
    if deleted:
        transactions_changed(txn.household_id, [txn.pk], "manual")
