"""Reads for budgets: usage of every budget, period summaries, history and suggestions.

Every function takes `household=` and fetches spending with one aggregated query, however many budgets there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from transactions.taxonomy import BY_CODE, NON_SPENDING_PRIMARIES, PRIMARY_CODES

from . import periods
from .clock import HouseholdClock
from .models import Budget
from .periods import Cadence, Period
from .spending import SpendingRow, daily_spending, income_total, monthly_spending
from .suggestions import suggest_monthly_amount
from .usage import (
    BudgetTerms,
    CategoryScope,
    SpendingIndex,
    Usage,
    periods_to_evaluate,
    spent_per_period,
    usage_history,
)

ZERO = Decimal("0")


def budgets_for_household(household, *, include_inactive: bool = False) -> QuerySet[Budget]:
    budgets = Budget.objects.for_household(household)
    if not include_inactive:
        budgets = budgets.active()
    return budgets.prefetch_related("categories")


def budget_terms(budget: Budget, week_start: int) -> BudgetTerms:
    return BudgetTerms(
        amount=budget.amount,
        cadence=budget.cadence(week_start),
        start_date=budget.start_date,
        scope=CategoryScope.of(budget.categories.all()),
        alert_threshold=budget.alert_threshold,
        rollover=budget.rollover,
        rollover_overspend=budget.rollover_overspend,
    )


@dataclass(frozen=True)
class BudgetUsage:
    budget: Budget
    usage: Usage | None  # None when the budget had not started on the day asked about


def budget_usage_for_period(
    household, *, clock: HouseholdClock, on: date | None = None, budgets: Sequence[Budget] | None = None
) -> list[BudgetUsage]:
    """Usage of every active budget in its period containing `on` (default today), from one spending query."""
    on = on or clock.today
    budgets = list(budgets_for_household(household) if budgets is None else budgets)
    terms = {b.pk: budget_terms(b, clock.week_start) for b in budgets}
    evaluated = {b.pk: periods_to_evaluate(terms[b.pk], on) for b in budgets}
    spending = SpendingIndex(_spending_covering(household, [p for ps in evaluated.values() for p in ps]))
    results = []
    for budget in budgets:
        budget_periods = evaluated[budget.pk]
        if not budget_periods:
            results.append(BudgetUsage(budget, None))
            continue
        spent = spent_per_period(terms[budget.pk], budget_periods, spending)
        results.append(BudgetUsage(budget, usage_history(terms[budget.pk], budget_periods, spent, clock.today)[-1]))
    return results


def budget_history(budget: Budget, *, clock: HouseholdClock, count: int = 12) -> list[Usage]:
    """The budget's last `count` periods up to today (fewer if it is younger), oldest first, with rollover."""
    terms = budget_terms(budget, clock.week_start)
    cadence = terms.cadence
    current = cadence.period_containing(clock.today)
    first = cadence.period_containing(budget.start_date)
    if current.end < first.start:
        return []
    if terms.rollover:
        history_periods = list(cadence.periods_between(first.start, current.start))
    else:
        history_periods = _last_periods(cadence, current, count, not_before=first.start)
    spending = SpendingIndex(_spending_covering(budget.household, history_periods))
    spent = spent_per_period(terms, history_periods, spending)
    return usage_history(terms, history_periods, spent, clock.today)[-count:]


def _last_periods(cadence: Cadence, current: Period, count: int, not_before: date) -> list[Period]:
    found = [current]
    while len(found) < count:
        previous = cadence.preceding(found[-1])
        if previous is None or previous.start < not_before:
            break
        found.append(previous)
    return found[::-1]


def _spending_covering(household, wanted: Sequence[Period]) -> list[SpendingRow]:
    if not wanted:
        return []
    return daily_spending(household, min(p.start for p in wanted), max(p.end for p in wanted))


# --- summaries -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpend:
    primary_code: str
    spent: Decimal

    @property
    def name(self) -> str:
        definition = BY_CODE.get(self.primary_code)
        return definition.name if definition else "Uncategorised"

    @property
    def colour(self) -> str:
        definition = BY_CODE.get(self.primary_code)
        return definition.colour if definition else "#94a3b8"


UNCATEGORISED = "UNCATEGORISED"


@dataclass(frozen=True)
class PeriodSummary:
    period: Period
    budgeted: Decimal  # category budgets, prorated to the period
    spent_in_budgets: Decimal  # spending those category budgets cover
    spending: Decimal  # all spending
    income: Decimal
    spending_cap: Decimal | None  # total-spending budgets, prorated (None when there is none)
    unbudgeted: list[CategorySpend] = field(default_factory=list)  # by primary category, largest first

    @property
    def unbudgeted_total(self) -> Decimal:
        return sum((c.spent for c in self.unbudgeted), ZERO)

    @property
    def savings(self) -> Decimal:
        return self.income - self.spending

    @property
    def savings_rate(self) -> Decimal | None:
        """(income − spending) / income as a percentage, or None without income."""
        if self.income <= 0:
            return None
        return (self.savings * 100 / self.income).quantize(Decimal("0.1"))

    @property
    def budget_percent(self) -> int:
        if self.budgeted <= 0:
            return 0
        return int(min(self.spent_in_budgets * 100 / self.budgeted, Decimal("100")))


def summary_month_start_day(budgets: Sequence[Budget]) -> int:
    """The month start day most monthly budgets use (1 without any), so the summary month matches them."""
    counts: dict[int, int] = defaultdict(int)
    for budget in budgets:
        if budget.period == periods.MONTHLY:
            counts[budget.month_start_day] += 1
    return max(counts, key=lambda day: (counts[day], -day)) if counts else 1


def budget_period_summary(
    household, *, window: Period, clock: HouseholdClock, budgets: Sequence[Budget] | None = None
) -> PeriodSummary:
    """Total budgeted vs spent, income, savings rate and unbudgeted spending by category within `window`."""
    budgets = list(budgets_for_household(household) if budgets is None else budgets)
    rows = daily_spending(household, window.start, window.end)
    return _summarise(budgets, window, rows, income_total(household, window.start, window.end), clock)


def _summarise(
    budgets: Sequence[Budget], window: Period, rows: Sequence[SpendingRow], income: Decimal, clock: HouseholdClock
) -> PeriodSummary:
    all_terms = [budget_terms(b, clock.week_start) for b in budgets]
    category_terms = [t for t in all_terms if not t.scope.is_total]
    total_terms = [t for t in all_terms if t.scope.is_total]
    spending = spent_in_budgets = ZERO
    unbudgeted: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if not window.start <= row.day <= window.end:
            continue
        spending += row.spent
        if any(t.scope.covers(row) and row.day >= t.start_date for t in category_terms):
            spent_in_budgets += row.spent
        else:
            unbudgeted[row.primary_code or UNCATEGORISED] += row.spent

    def prorated(terms: Sequence[BudgetTerms]) -> Decimal:
        return sum((_prorated(t, window) for t in terms), ZERO)

    return PeriodSummary(
        period=window,
        budgeted=prorated(category_terms),
        spent_in_budgets=spent_in_budgets,
        spending=spending,
        income=income,
        spending_cap=prorated(total_terms) if total_terms else None,
        unbudgeted=sorted(
            (CategorySpend(code, spent) for code, spent in unbudgeted.items() if spent > 0),
            key=lambda c: c.spent,
            reverse=True,
        ),
    )


def _prorated(terms: BudgetTerms, window: Period) -> Decimal:
    return periods.prorated_amount(terms.amount, terms.cadence, window, since=terms.start_date)


@dataclass(frozen=True)
class MonthFigures:
    period: Period
    budgeted: Decimal
    spent_in_budgets: Decimal
    spending: Decimal


def budget_vs_actual_by_month(
    household,
    *,
    clock: HouseholdClock,
    months: int = 12,
    month_start_day: int = 1,
    budgets: Sequence[Budget] | None = None,
) -> list[MonthFigures]:
    """Budgeted vs actual for the last `months` budget months up to the current one — one spending query."""
    cadence = Cadence(periods.MONTHLY, month_start_day=month_start_day)
    windows = [cadence.period_containing(clock.today)]
    while len(windows) < months:
        windows.append(cadence.preceding(windows[-1]))
    windows.reverse()
    budgets = list(budgets_for_household(household) if budgets is None else budgets)
    rows = daily_spending(household, windows[0].start, windows[-1].end)
    figures = []
    for window in windows:
        summary = _summarise(budgets, window, rows, ZERO, clock)
        figures.append(MonthFigures(window, summary.budgeted, summary.spent_in_budgets, summary.spending))
    return figures


# --- suggestions -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetSuggestion:
    primary_code: str
    amount: Decimal
    monthly: tuple[Decimal, ...]  # the months it is based on, oldest first

    @property
    def name(self) -> str:
        return BY_CODE[self.primary_code].name

    @property
    def average(self) -> Decimal:
        return (sum(self.monthly, ZERO) / len(self.monthly)).quantize(Decimal("0.01"))


def budget_suggestions(
    household, *, clock: HouseholdClock, months: int = 6, budgets: Sequence[Budget] | None = None
) -> list[BudgetSuggestion]:
    """Monthly amounts for spending categories that no active budget covers yet, from the last `months` complete
    calendar months."""
    this_month = clock.today.replace(day=1)
    first_month = periods.add_months(this_month, -months)
    rows = monthly_spending(household, first_month, this_month - timedelta(days=1))
    month_index = {periods.add_months(first_month, i): i for i in range(months)}
    per_category: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * months)
    for row in rows:
        if row.primary_code and row.primary_code not in NON_SPENDING_PRIMARIES and row.day in month_index:
            per_category[row.primary_code][month_index[row.day]] += row.spent
    covered = _covered_primaries(budgets_for_household(household) if budgets is None else budgets)
    suggestions = []
    for code in PRIMARY_CODES:
        if code in covered or code not in per_category:
            continue
        amount = suggest_monthly_amount(per_category[code])
        if amount is not None:
            suggestions.append(BudgetSuggestion(code, amount, tuple(per_category[code])))
    return sorted(suggestions, key=lambda s: s.amount, reverse=True)


def _covered_primaries(budgets) -> set[str]:
    """Primary categories with a budget on all or part of them (a groceries budget covers food and drink: a
    suggestion for the whole category would overlap it)."""
    return {category.primary_code for budget in budgets for category in budget.categories.all()}
