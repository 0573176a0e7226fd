"""CSV export of a household's transactions (all, or what the list filters show), streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from django.db.models import QuerySet

from transactions.importing.export import ExportRow, write_csv
from transactions.models import Transaction
from transactions.selectors.categories import category_tree


def _export_rows(household, queryset: QuerySet[Transaction]) -> Iterator[ExportRow]:
    labels = category_tree(household=household)
    lookup = labels.by_id()
    tags: dict[int, list[str]] = {}
    through = Transaction.tags.through.objects.filter(transaction__in=queryset).values_list(
        "transaction_id", "tag__name"
    )
    for txn_id, name in through.iterator(chunk_size=5000):
        tags.setdefault(txn_id, []).append(name)
    rows = queryset.order_by("date", "id").values_list(
        "id", "date", "description", "merchant", "amount", "currency", "category_id", "account__name", "notes"
    )
    for pk, date, description, merchant, amount, currency, category_id, account, notes in rows.iterator(
        chunk_size=5000
    ):
        item = lookup.get(category_id) if category_id else None
        yield ExportRow(
            date=date,
            description=description,
            amount=amount,
            currency=currency,
            merchant=merchant,
            category=item.name if item else "",
            account=account,
            notes=notes,
            tags=sorted(tags.get(pk, ())),
            id=pk,
        )


def transactions_export_csv(*, household, queryset: QuerySet[Transaction], stream: TextIO) -> int:
    """Write the transactions as fincoach CSV (formula-safe, re-importable without duplicates). Returns rows."""
    return write_csv(_export_rows(household, queryset.filter(household=household)), stream)
