"""What counts as spending, as database aggregates.

A *spending line* is a transaction without splits, or one split of a split transaction: a split transaction's
money is counted in its splits' categories instead of its own. The base is `Transaction.objects.spending()` (not
excluded, not a linked transfer, not an income/transfer category); a split allocated to an income or transfer
category is left out too. Amounts keep the statement's sign, so purchases are negative and a refund in a spending
category (positive) reduces that category's spending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from fincoach.money import MoneyField
from transactions.models import Transaction
from transactions.taxonomy import NON_SPENDING_PRIMARIES

ZERO = Decimal("0")
CENT = Decimal("0.01")
_MONEY = MoneyField()


@dataclass(frozen=True)
class SpendingRow:
    """Spending of one category on one day (or in one month): positive = money spent, negative = net refund."""

    day: date
    category_id: int | None
    primary_code: str | None
    spent: Decimal


def spending_lines(household) -> QuerySet:
    """Transactions annotated per line (`line_category_id`, `line_primary`, `line_amount`); a split transaction
    appears once per split through a LEFT JOIN, a plain one once."""
    lines = (
        Transaction.objects.for_household(household)
        .spending()
        .annotate(
            line_category_id=Coalesce(F("splits__category_id"), F("category_id")),
            line_primary=Coalesce(F("splits__category__primary_code"), F("category__primary_code")),
            line_amount=Coalesce(F("splits__amount"), F("amount"), output_field=_MONEY),
        )
    )
    return lines.filter(Q(line_primary__isnull=True) | ~Q(line_primary__in=NON_SPENDING_PRIMARIES))


def daily_spending(household, start: date, end: date) -> list[SpendingRow]:
    """Spending per day and category between two dates inclusive — one GROUP BY query."""
    rows = (
        spending_lines(household)
        .filter(date__gte=start, date__lte=end)
        .values("date", "line_category_id", "line_primary")
        .annotate(total=Sum("line_amount"))
        .order_by("date")
    )
    return [SpendingRow(r["date"], r["line_category_id"], r["line_primary"], -_cents(r["total"])) for r in rows]


def monthly_spending(household, start: date, end: date) -> list[SpendingRow]:
    """Spending per calendar month (`day` is the 1st) and category between two dates — one GROUP BY query."""
    rows = (
        spending_lines(household)
        .filter(date__gte=start, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("month", "line_category_id", "line_primary")
        .annotate(total=Sum("line_amount"))
        .order_by("month")
    )
    return [
        SpendingRow(_as_date(r["month"]), r["line_category_id"], r["line_primary"], -_cents(r["total"])) for r in rows
    ]


def income_total(household, start: date, end: date) -> Decimal:
    """Money received in income categories between two dates (not excluded, not a linked transfer)."""
    total = (
        Transaction.objects.for_household(household)
        .filter(excluded=False, transfer_pair__isnull=True, category__primary_code="INCOME")
        .filter(date__gte=start, date__lte=end)
        .aggregate(total=Coalesce(Sum("amount"), ZERO, output_field=DecimalField(max_digits=14, decimal_places=2)))
    )["total"]
    return _cents(total)


def _cents(value: Decimal) -> Decimal:
    # SQLite sums decimals as floats and hands back 15 significant digits: round to the cent like PostgreSQL's sums.
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _as_date(value) -> date:
    # TruncMonth over a DateField gives a date on every backend we support; be lenient with datetimes.
    return value.date() if hasattr(value, "date") and callable(value.date) else value
