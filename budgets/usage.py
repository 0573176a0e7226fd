"""Budget arithmetic over already-aggregated spending rows: which rows a budget covers, rollover between periods,
and the usage figures shown on every page (spent, remaining, percent, days left, pace).

Nothing here queries the database: selectors fetch the rows once for all budgets and hand them over.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain

from .periods import Cadence, Period
from .spending import SpendingRow

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class CategoryScope:
    """What a budget covers: whole primary categories, single sub-categories, or (both empty) everything."""

    primary_codes: frozenset[str] = frozenset()
    category_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, categories: Iterable) -> CategoryScope:
        categories = list(categories)
        return cls(
            primary_codes=frozenset(c.primary_code for c in categories if c.parent_id is None),
            category_ids=frozenset(c.pk for c in categories if c.parent_id is not None),
        )

    @property
    def is_total(self) -> bool:
        return not self.primary_codes and not self.category_ids

    def covers(self, row: SpendingRow) -> bool:
        return self.is_total or row.primary_code in self.primary_codes or row.category_id in self.category_ids


@dataclass(frozen=True)
class BudgetTerms:
    """The parts of a budget that the arithmetic needs (kept apart from the model so it can be tested alone)."""

    amount: Decimal
    cadence: Cadence
    start_date: date
    scope: CategoryScope
    alert_threshold: int = 80
    rollover: bool = False
    rollover_overspend: bool = False


@dataclass(frozen=True)
class Usage:
    """A budget's standing in one period."""

    period: Period
    amount: Decimal  # the budget itself
    carried_over: Decimal  # from the previous period (negative when overspending carries)
    spent: Decimal  # net of refunds; can be negative when refunds exceed purchases
    today: date
    alert_threshold: int

    @property
    def available(self) -> Decimal:
        return self.amount + self.carried_over

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent

    @property
    def percent(self) -> Decimal | None:
        """Share of what is available already spent (100+ when over); None when spending met nothing available,
        which happens when carried overspending used the whole budget up."""
        if self.available <= 0:
            return None if self.spent > 0 else ZERO
        if self.spent <= 0:
            return ZERO
        return (self.spent * HUNDRED / self.available).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def bar_percent(self) -> int:
        """The percent clipped to a progress bar's 0–100."""
        percent = self.percent
        return 100 if percent is None else int(min(percent, HUNDRED))

    @property
    def overspent(self) -> Decimal:
        """How far past the budget spending went (0 when within it)."""
        return max(ZERO, self.spent - self.available)

    @property
    def is_over(self) -> bool:
        return self.spent > self.available

    @property
    def reached_threshold(self) -> bool:
        return self.spent > 0 and self.spent * HUNDRED >= self.available * self.alert_threshold

    @property
    def status(self) -> str:
        """ "over", "warning" (at or past the alert threshold) or "ok"."""
        if self.is_over:
            return "over"
        return "warning" if self.reached_threshold else "ok"

    @property
    def days_total(self) -> int:
        return self.period.days

    @property
    def days_left(self) -> int:
        return self.period.days_left(self.today)

    @property
    def is_current(self) -> bool:
        return self.today in self.period

    @property
    def projected_spend(self) -> Decimal | None:
        """What the period ends at if spending continues at its pace so far (current periods only)."""
        elapsed = self.period.days_elapsed(self.today)
        if not self.is_current or elapsed == 0:
            return None
        return (self.spent * self.period.days / elapsed).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def daily_allowance(self) -> Decimal | None:
        """What may still be spent per remaining day without going over."""
        if not self.is_current or self.remaining <= 0:
            return None
        return (self.remaining / self.days_left).quantize(CENT, rounding=ROUND_HALF_UP)


def periods_to_evaluate(terms: BudgetTerms, on: date) -> list[Period]:
    """The budget's periods up to the one containing `on`: all since it started when rollover links them, else
    just that one. Empty when `on` is before the budget started."""
    current = terms.cadence.period_containing(on)
    first = terms.cadence.period_containing(terms.start_date)
    if current.end < first.start:
        return []
    if not terms.rollover:
        return [current]
    return list(terms.cadence.periods_between(first.start, current.start))


class SpendingIndex:
    """Spending rows regrouped per day: in total, per primary category and per category, so each budget reads only
    the days and categories it covers instead of scanning every row."""

    def __init__(self, rows: Iterable[SpendingRow]) -> None:
        self.total: dict[date, Decimal] = defaultdict(lambda: ZERO)
        self.by_primary: dict[str | None, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        self.by_category: dict[int | None, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        self.primary_of: dict[int | None, str | None] = {}
        for row in rows:
            self.total[row.day] += row.spent
            self.by_primary[row.primary_code][row.day] += row.spent
            self.by_category[row.category_id][row.day] += row.spent
            self.primary_of[row.category_id] = row.primary_code

    def daily(self, scope: CategoryScope) -> Iterable[tuple[date, Decimal]]:
        """(day, spent) pairs of what `scope` covers; a day may repeat (once per covered category)."""
        if scope.is_total:
            return self.total.items()
        chosen = [self.by_primary[code].items() for code in scope.primary_codes if code in self.by_primary]
        chosen += [
            self.by_category[category_id].items()
            for category_id in scope.category_ids
            # a sub-category of a chosen primary is already counted with it
            if category_id in self.by_category and self.primary_of[category_id] not in scope.primary_codes
        ]
        return chain.from_iterable(chosen)


def spent_per_period(terms: BudgetTerms, periods: Sequence[Period], spending: SpendingIndex) -> list[Decimal]:
    """Spending covered by the budget in each of `periods` (sorted, non-overlapping)."""
    starts = [p.start for p in periods]
    totals = [ZERO] * len(periods)
    for day, spent in spending.daily(terms.scope):
        index = bisect.bisect_right(starts, day) - 1
        if index >= 0 and day <= periods[index].end:
            totals[index] += spent
    return totals


def usage_history(terms: BudgetTerms, periods: Sequence[Period], spent: Sequence[Decimal], today: date) -> list[Usage]:
    """Usage of consecutive periods, carrying what is left (and, if chosen, what was overspent) forward."""
    history = []
    carry = ZERO
    for period, period_spent in zip(periods, spent, strict=True):
        usage = Usage(period, terms.amount, carry, period_spent, today, terms.alert_threshold)
        history.append(usage)
        carry = _carry_from(terms, usage)
    return history


def _carry_from(terms: BudgetTerms, usage: Usage) -> Decimal:
    if not terms.rollover:
        return ZERO
    left = usage.remaining
    return left if (left >= 0 or terms.rollover_overspend) else ZERO
