"""The transactions list: filters, sorting and keyset pagination that stay fast at 100,000 rows.

A page costs a fixed number of queries whatever its size: the rows (with account and category joined) and their
tags (one prefetch). The count and net total of everything the filters match is one aggregate, asked for
separately (the page loads it after rendering), since it reads every matching row.
"""

from __future__ import annotations

import base64
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db import transaction as db_transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from transactions.models import Transaction, TransactionSplit

SORTS = {
    "-date": ("date", True),
    "date": ("date", False),
    "-amount": ("amount", True),
    "amount": ("amount", False),
}
DEFAULT_SORT = "-date"
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class TransactionFilters:
    """What the list shows. Empty values mean "no filter"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    account_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    text: str = ""
    uncategorised: bool = False
    pending: bool | None = None
    suggested: bool = False
    excluded: bool | None = None
    import_batch_id: int | None = None
    ids: tuple[int, ...] = ()


@dataclass
class TransactionPage:
    rows: list[Transaction]
    next_cursor: str | None
    sort: str


@dataclass(frozen=True)
class TransactionTotals:
    count: int
    net: Decimal


def filter_transactions(queryset: QuerySet[Transaction], filters: TransactionFilters) -> QuerySet[Transaction]:
    """Apply the list filters to a household's transactions."""
    conditions = Q()
    if filters.date_from:
        conditions &= Q(date__gte=filters.date_from)
    if filters.date_to:
        conditions &= Q(date__lte=filters.date_to)
    if filters.account_ids:
        conditions &= Q(account_id__in=filters.account_ids)
    if filters.category_ids:
        conditions &= Q(category_id__in=filters.category_ids)
    if filters.uncategorised:
        conditions &= Q(category__isnull=True)
    if filters.amount_min is not None:
        conditions &= Q(amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        conditions &= Q(amount__lte=filters.amount_max)
    if filters.text:
        conditions &= (
            Q(description__icontains=filters.text)
            | Q(merchant__icontains=filters.text)
            | Q(notes__icontains=filters.text)
        )
    if filters.pending is not None:
        conditions &= Q(pending=filters.pending)
    if filters.suggested:
        conditions &= Q(category_suggested=True)
    if filters.excluded is not None:
        conditions &= Q(excluded=filters.excluded)
    if filters.import_batch_id:
        conditions &= Q(import_batch_id=filters.import_batch_id)
    if filters.ids:
        conditions &= Q(id__in=filters.ids)
    return queryset.filter(conditions)


def household_transactions(*, household, filters: TransactionFilters | None = None) -> QuerySet[Transaction]:
    queryset = Transaction.objects.for_household(household)
    return filter_transactions(queryset, filters) if filters else queryset


def encode_cursor(sort: str, row: Transaction) -> str:
    column, _ = SORTS[sort]
    value = getattr(row, column)
    raw = f"{value.isoformat() if isinstance(value, dt.date) else value}~{row.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple[dt.date | Decimal, int] | None:
    """The (sort value, id) a page starts after; None for a cursor that does not parse (first page then)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value_text, id_text = base64.urlsafe_b64decode(padded.encode()).decode().rsplit("~", 1)
        column, _ = SORTS[sort]
        value = dt.date.fromisoformat(value_text) if column == "date" else Decimal(value_text)
        return value, int(id_text)
    except (ValueError, InvalidOperation, UnicodeDecodeError, KeyError):
        return None


def _after(sort: str, cursor: str | None) -> Q:
    if not cursor:
        return Q()
    decoded = decode_cursor(sort, cursor)
    if decoded is None:
        return Q()
    value, last_id = decoded
    column, descending = SORTS[sort]
    op = "lt" if descending else "gt"
    # (column, id) after (value, last_id); the redundant bound on the column alone lets the database start the
    # index scan at the cursor instead of filtering every row before it.
    bound = Q(**{f"{column}__{op}e": value})
    return bound & (Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"id__{op}": last_id}))


def transaction_page(
    *,
    household,
    filters: TransactionFilters,
    sort: str = DEFAULT_SORT,
    cursor: str | None = None,
    page_size: int = 50,
) -> TransactionPage:
    """One page of the list after `cursor`, newest first by default."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    column, descending = SORTS[sort]
    ordering = [f"-{column}", "-id"] if descending else [column, "id"]
    matching = household_transactions(household=household, filters=filters)
    page = (
        matching.filter(_after(sort, cursor))
        .select_related("account", "category")
        .prefetch_related("tags")
        .annotate(has_splits=Exists(TransactionSplit.objects.filter(transaction=OuterRef("pk"))))
        .order_by(*ordering)[: page_size + 1]
    )
    with _walking_the_sort_index(bool(filters.text)):
        rows = list(page)
    next_cursor = encode_cursor(sort, rows[page_size - 1]) if len(rows) > page_size else None
    return TransactionPage(rows=rows[:page_size], next_cursor=next_cursor, sort=sort)


@contextmanager
def _walking_the_sort_index(wanted: bool):
    """PostgreSQL cannot estimate how many rows a `%text%` search matches and, guessing few, reads and sorts the
    household's every row (70 ms at 100,000) where walking the sort's index until a page is full takes 3 ms. For a
    text search, sequential scans are switched off for the page's own transaction."""
    if not wanted or connection.vendor != "postgresql":
        yield
        return
    with db_transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def transaction_totals(*, household, filters: TransactionFilters) -> TransactionTotals:
    """How many transactions the filters match and their net amount (one aggregate over all of them)."""
    totals = household_transactions(household=household, filters=filters).aggregate(
        count=Count("id"),
        net=Coalesce(Sum("amount"), Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))),
    )
    return TransactionTotals(count=totals["count"], net=totals["net"])
