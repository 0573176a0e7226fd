"""Reads for goals: progress and projections for every goal in a fixed number of queries, progress history for a
chart, the emergency-fund suggestion, and the avalanche/snowball comparison of debt goals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from budgets.clock import HouseholdClock
from budgets.periods import add_months
from budgets.spending import monthly_spending
from budgets.suggestions import median
from transactions.models import Category, Transaction
from transactions.selectors.accounts import account_balance, accounts_with_balances

from .debts import Debt, PayoffNeverEnds, StrategyResult, compare_strategies, payoff_schedule, schedule_totals
from .models import Goal, GoalContribution
from .projections import Projection, project

ZERO = Decimal("0")
CENT = Decimal("0.01")
PACE_WINDOW_MONTHS = 3
_MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    saved: Decimal  # what counts toward the target (for a debt: how much of it is paid off)
    projection: Projection
    account_balance: Decimal | None = None  # the linked account's balance, when there is one

    @property
    def target(self) -> Decimal:
        return self.goal.target_amount

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.target - self.saved)

    @property
    def percent(self) -> int:
        """Whole percent reached, floored (so 100 means really there), never below 0."""
        if self.saved <= 0:
            return 0
        return int((self.saved * 100 / self.target).to_integral_value(rounding=ROUND_FLOOR))

    @property
    def bar_percent(self) -> int:
        return min(self.percent, 100)

    @property
    def is_tracked_by_account(self) -> bool:
        return self.goal.linked_account_id is not None

    @property
    def status(self) -> str:
        """The projection status, or the goal's own status when it is not active."""
        if self.goal.status != Goal.Status.ACTIVE:
            return self.goal.status
        return self.projection.status


def _debt_owed(balance: Decimal) -> Decimal:
    # Liability balances are negative (money owed); a bank reporting the owed amount as positive is read the same.
    return abs(balance)


def _saved(goal: Goal, contributed: Decimal, balance: Decimal | None) -> Decimal:
    if balance is None:
        return contributed
    if goal.is_debt:
        return max(ZERO, goal.target_amount - _debt_owed(balance))
    return balance


def goals_for_household(household, *, statuses: Sequence[str] | None = None) -> QuerySet[Goal]:
    goals = Goal.objects.for_household(household).select_related("linked_account")
    if statuses:
        goals = goals.filter(status__in=statuses)
    return goals.annotate(contributed=Coalesce(Sum("contributions__amount"), Value(ZERO), output_field=_MONEY))


def goals_with_progress(household, *, clock: HouseholdClock, goals: Sequence[Goal] | None = None) -> list[GoalProgress]:
    """Progress and projection of each goal: goals with their contribution totals, linked balances, and the
    movements of the pace window — four queries however many goals there are."""
    goals = list(goals_for_household(household) if goals is None else goals)
    window_start = add_months(clock.today, -PACE_WINDOW_MONTHS)
    account_ids = {g.linked_account_id for g in goals if g.linked_account_id}
    balances: dict[int, Decimal] = {}
    account_moves: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    if account_ids:
        balances = {
            a.pk: account_balance(a) for a in accounts_with_balances(household=household).filter(pk__in=account_ids)
        }
        moves = Transaction.objects.for_household(household).filter(
            account_id__in=account_ids, pending=False, date__gte=window_start, date__lte=clock.today
        )
        for account_id, day, amount in moves.values_list("account_id", "date", "amount"):
            account_moves[account_id].append((day, amount))
    contribution_moves: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    unlinked = [g.pk for g in goals if not g.linked_account_id]
    if unlinked:
        recent = GoalContribution.objects.for_household(household).filter(
            goal_id__in=unlinked, date__gte=window_start, date__lte=clock.today
        )
        for goal_id, day, amount in recent.values_list("goal_id", "date", "amount"):
            contribution_moves[goal_id].append((day, amount))

    results = []
    for goal in goals:
        balance = balances.get(goal.linked_account_id) if goal.linked_account_id else None
        # SQLite returns sums as 15-digit decimals: round to the cent as PostgreSQL would
        contributed = (getattr(goal, "contributed", None) or ZERO).quantize(CENT)
        saved = _saved(goal, contributed, balance)
        movements = account_moves[goal.linked_account_id] if goal.linked_account_id else contribution_moves[goal.pk]
        projection = project(
            remaining=goal.target_amount - saved,
            target_date=goal.target_date,
            movements=movements,
            today=clock.today,
            since=goal.started_on,
        )
        results.append(GoalProgress(goal, saved, projection, balance))
    return results


def goal_with_progress(goal: Goal, *, clock: HouseholdClock) -> GoalProgress:
    fresh = goals_for_household(goal.household).get(pk=goal.pk)
    return goals_with_progress(goal.household, clock=clock, goals=[fresh])[0]


def goal_progress_history(
    progress: GoalProgress, *, clock: HouseholdClock, months: int = 12
) -> list[tuple[date, Decimal]]:
    """Progress at the end of each of the last `months` months (the current one up to today) — one query."""
    goal = progress.goal
    month_ends = [_month_end(add_months(clock.today.replace(day=1), -back)) for back in range(months - 1, -1, -1)]
    month_ends[-1] = clock.today
    if goal.linked_account_id is None:
        dated = list(goal.contributions.order_by("date").values_list("date", "amount"))
        return [(end, sum((a for d, a in dated if d <= end), ZERO)) for end in month_ends]
    # Walk back from today's balance: the balance at a month's end is today's minus what moved since.
    after = (
        Transaction.objects.for_household(goal.household)
        .filter(account_id=goal.linked_account_id, pending=False, date__gt=month_ends[0])
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    moved_in_month = {row["month"]: row["total"] for row in after}
    history = []
    for end in month_ends:
        moved_since = sum((t for m, t in moved_in_month.items() if m > end), ZERO)
        balance_then = (progress.account_balance or ZERO) - moved_since
        history.append((end, _saved(goal, ZERO, balance_then)))
    return history


def _month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


# --- emergency fund --------------------------------------------------------------------------------------------

# Spending a household cannot easily stop: housing and utilities, groceries, health, getting around, loan
# payments, insurance.
ESSENTIAL_PRIMARIES = frozenset({"RENT_AND_UTILITIES", "MEDICAL", "TRANSPORTATION", "LOAN_PAYMENTS"})
ESSENTIAL_DETAILED = frozenset({"FOOD_AND_DRINK_GROCERIES", "GENERAL_SERVICES_INSURANCE"})


@dataclass(frozen=True)
class EmergencyFundSuggestion:
    monthly_essentials: Decimal  # the typical month (median of the months looked at)
    months_of_data: int

    @property
    def low(self) -> Decimal:
        return self.monthly_essentials * 3

    @property
    def high(self) -> Decimal:
        return self.monthly_essentials * 6


def emergency_fund_suggestion(household, *, clock: HouseholdClock, months: int = 6) -> EmergencyFundSuggestion | None:
    """Three to six months of essential spending, from the last `months` complete months (None without any)."""
    this_month = clock.today.replace(day=1)
    first = add_months(this_month, -months)
    detailed_ids = set(
        Category.objects.filter(household__isnull=True, code__in=ESSENTIAL_DETAILED).values_list("pk", flat=True)
    )
    months_seen: set[date] = set()
    essentials: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for row in monthly_spending(household, first, this_month - timedelta(days=1)):
        months_seen.add(row.day)
        if row.primary_code in ESSENTIAL_PRIMARIES or row.category_id in detailed_ids:
            essentials[row.day] += row.spent
    if not months_seen:
        return None
    typical = median([essentials[month] for month in months_seen]).quantize(Decimal("0.01"))
    return EmergencyFundSuggestion(monthly_essentials=max(typical, ZERO), months_of_data=len(months_seen))


# --- debts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebtPlan:
    """One debt goal's payoff at its minimum payment (plus any extra)."""

    progress: GoalProgress
    schedule: list
    error: str = ""

    @property
    def totals(self):
        return schedule_totals(self.schedule)


def debt_plan(progress: GoalProgress, extra: Decimal = ZERO) -> DebtPlan | None:
    """The payoff schedule of a debt goal (None unless it has an APR and a minimum payment)."""
    goal = progress.goal
    if not goal.is_debt or goal.apr is None or not goal.minimum_payment:
        return None
    try:
        return DebtPlan(progress, payoff_schedule(progress.remaining, goal.apr, goal.minimum_payment + extra))
    except PayoffNeverEnds as exc:
        return DebtPlan(progress, [], str(exc))


@dataclass(frozen=True)
class StrategyComparison:
    debts: list[Debt]
    extra: Decimal
    results: dict[str, StrategyResult]
    error: str = ""

    @property
    def interest_saved_by_avalanche(self) -> Decimal:
        if not self.results:
            return ZERO
        return self.results["snowball"].total_interest - self.results["avalanche"].total_interest


def debt_strategies(progresses: Sequence[GoalProgress], extra: Decimal) -> StrategyComparison | None:
    """Avalanche vs snowball over the active debt goals that have an APR and minimum payment (None for fewer
    than two)."""
    eligible = [
        p
        for p in progresses
        if p.goal.is_debt
        and p.goal.status == Goal.Status.ACTIVE
        and p.goal.apr is not None
        and p.goal.minimum_payment
        and p.remaining > 0
    ]
    if len(eligible) < 2:
        return None
    names = [p.goal.name for p in eligible]
    debts = [
        Debt(
            p.goal.name if names.count(p.goal.name) == 1 else f"{p.goal.name} (#{p.goal.pk})",
            p.remaining,
            p.goal.apr,
            p.goal.minimum_payment,
        )
        for p in eligible
    ]
    try:
        return StrategyComparison(debts, extra, compare_strategies(debts, extra))
    except PayoffNeverEnds as exc:
        return StrategyComparison(debts, extra, {}, str(exc))
