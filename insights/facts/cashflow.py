"""Spending and income: one definition for the whole coach (pages, rules, the LLM payload, ask-the-coach).

A *line* is a transaction without splits, or one split of a split transaction (through a LEFT JOIN, so a split
transaction's money counts in its splits' categories). Lines of excluded transactions and linked transfers never
count.
- Spending: lines outside the income and transfer primaries, net of refunds (a refund in a category reduces its
  spending). Uncategorised money *in* is neither income nor a refund until someone categorises it: a salary the
  categoriser missed must not cancel a month of spending.
- Income: lines in the INCOME primary.

Amounts returned are positive Decimals ("spent $120"), summed in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from fincoach.money import ZERO, MoneyField, to_money
from transactions.models import Transaction
from transactions.taxonomy import BY_CODE, NON_SPENDING_PRIMARIES

from .periods import Period, add_months, month_start

UNCATEGORISED = "UNCATEGORISED"
_MONEY = MoneyField()

SPENDING = (Q(line_primary__isnull=True) & Q(line_amount__lt=0)) | (
    Q(line_primary__isnull=False) & ~Q(line_primary__in=NON_SPENDING_PRIMARIES)
)
INCOME = Q(line_primary="INCOME")


def ledger_lines(household, period: Period) -> QuerySet:
    """Countable lines in `period`, annotated with `line_primary`, `line_code` and `line_amount`."""
    return (
        Transaction.objects.for_household(household)
        .filter(excluded=False, transfer_pair__isnull=True, date__gte=period.start, date__lte=period.end)
        .annotate(
            line_primary=Coalesce(F("splits__category__primary_code"), F("category__primary_code")),
            line_code=Coalesce(F("splits__category__code"), F("category__code")),
            line_amount=Coalesce(F("splits__amount"), F("amount"), output_field=_MONEY),
        )
    )


def _sum(condition: Q) -> Coalesce:
    return Coalesce(Sum("line_amount", filter=condition), ZERO, output_field=_MONEY)


@dataclass(frozen=True)
class CategoryTotal:
    code: str  # primary code, or UNCATEGORISED
    name: str
    colour: str
    amount: Decimal  # positive = spent


def category_label(code: str | None) -> tuple[str, str]:
    """Friendly name and colour of a primary code (or of the uncategorised bucket)."""
    definition = BY_CODE.get(code or "")
    if definition is None:
        return "Uncategorised", "#94a3b8"
    return definition.name, definition.colour


def spending_total(household, period: Period) -> Decimal:
    return to_money(-ledger_lines(household, period).aggregate(total=_sum(SPENDING))["total"])


def income_total(household, period: Period) -> Decimal:
    return to_money(ledger_lines(household, period).aggregate(total=_sum(INCOME))["total"])


def spending_by_category(household, period: Period) -> list[CategoryTotal]:
    """Spending per primary category, largest first (categories with net refunds are left out). One query."""
    rows = (
        ledger_lines(household, period)
        .filter(SPENDING)
        .values("line_primary")
        .annotate(total=Sum("line_amount"))
        .order_by()
    )
    out = []
    for row in rows:
        spent = to_money(-row["total"])
        if spent > 0:
            name, colour = category_label(row["line_primary"])
            out.append(CategoryTotal(row["line_primary"] or UNCATEGORISED, name, colour, spent))
    return sorted(out, key=lambda c: (-c.amount, c.code))


@dataclass(frozen=True)
class MonthFlow:
    month: date  # first day of the month
    income: Decimal
    spending: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.spending

    @property
    def savings_rate(self) -> Decimal | None:
        """(income − spending) / income in percent, one decimal; None without income."""
        if self.income <= 0:
            return None
        return (self.net * 100 / self.income).quantize(Decimal("0.1"))


def monthly_flows(household, period: Period) -> list[MonthFlow]:
    """Income and spending of every month touching `period` (zeros for quiet months). One query."""
    rows = (
        ledger_lines(household, period)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(income=_sum(INCOME), spending=_sum(SPENDING))
        .order_by()
    )
    by_month = {_as_date(r["month"]): (to_money(r["income"]), to_money(-r["spending"])) for r in rows}
    flows = []
    cursor = month_start(period.start)
    while cursor <= period.end:
        income, spending = by_month.get(cursor, (ZERO, ZERO))
        flows.append(MonthFlow(cursor, income, spending))
        cursor = add_months(cursor, 1)
    return flows


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class MerchantTotal:
    merchant: str
    amount: Decimal  # positive = spent
    count: int


def spending_by_period_and_category(household, periods: list[Period]) -> list[dict[str, Decimal]]:
    """Spending per primary category (UNCATEGORISED for none) in each of `periods` (non-overlapping, any order):
    one dict per period, in the same order. One query, however many periods."""
    if not periods:
        return []
    in_any = Q()
    for period in periods:
        in_any |= Q(date__gte=period.start, date__lte=period.end)
    everything = Period(min(p.start for p in periods), max(p.end for p in periods))
    rows = (
        ledger_lines(household, everything)
        .filter(in_any & SPENDING)
        .values("date", "line_primary")
        .annotate(total=Sum("line_amount"))
        .order_by()
    )
    out: list[dict[str, Decimal]] = [{} for _ in periods]
    for row in rows:
        for index, period in enumerate(periods):
            if row["date"] in period:
                code = row["line_primary"] or UNCATEGORISED
                out[index][code] = to_money(out[index].get(code, ZERO) - row["total"])
                break
    return out


def spending_by_merchant(household, period: Period, limit: int = 10) -> list[MerchantTotal]:
    """The merchants the household spent most with (split lines keep their transaction's merchant)."""
    rows = (
        ledger_lines(household, period)
        .filter(SPENDING)
        .exclude(merchant="")
        .values("merchant")
        .annotate(total=Sum("line_amount"), count=Count("id", distinct=True))
        .order_by("total", "merchant")[:limit]
    )
    return [MerchantTotal(r["merchant"], to_money(-r["total"]), r["count"]) for r in rows if r["total"] < 0]


def spending_in_codes(household, period: Period, codes: set[str]) -> Decimal:
    """Spending in any of the given category codes (a primary code covers its sub-categories) over `period`."""
    primaries = {c for c in codes if c in BY_CODE and BY_CODE[c].is_primary}
    match = Q(line_primary__in=primaries) | Q(line_code__in=set(codes) - primaries)
    return to_money(-ledger_lines(household, period).aggregate(total=_sum(SPENDING & match))["total"])


def first_transaction_date(household) -> date | None:
    return Transaction.objects.for_household(household).order_by("date").values_list("date", flat=True).first()
