"""Everything the dashboard shows, read with a fixed number of queries whatever the household's size.

Aggregates over the whole history (balances, the 12-month trend, this month by category, recent transactions) are
cached per household and invalidated when its transactions change (see `cache`). Budgets, goals, bills and the
forecast are cheap, indexed reads owned by other apps, so they are read fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fincoach.money import ZERO

from .. import links
from ..models import Insight
from . import balances, cashflow, ml_results, planning
from .cache import cached_for_household
from .periods import Period, add_months, month_start, same_span_in_month

TREND_MONTHS = 12
RECENT_TRANSACTIONS = 8
BILLS_DAYS = 14
TOP_INSIGHTS = 3
SPARKLINE_DAYS = 60


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    url: str
    hint: str


@dataclass(frozen=True)
class MonthComparison:
    month: date
    spent: Decimal  # this month so far
    spent_last_month_same_days: Decimal
    spent_last_month: Decimal
    income: Decimal

    @property
    def change_vs_last_month(self) -> Decimal:
        return self.spent - self.spent_last_month_same_days

    @property
    def savings_rate(self) -> Decimal | None:
        if self.income <= 0:
            return None
        return ((self.income - self.spent) * 100 / self.income).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class RecentTransaction:
    id: int
    day: date
    label: str
    account: str
    category: str
    colour: str
    amount: Decimal


@dataclass(frozen=True)
class HistoryAggregates:
    """The cached part: one computation per household per data version per day."""

    has_transactions: bool
    accounts: list[balances.AccountBalance]
    month: MonthComparison
    categories: list[cashflow.CategoryTotal]
    trend: list[cashflow.MonthFlow]
    recent: list[RecentTransaction]


@dataclass
class Dashboard:
    today: date
    history: HistoryAggregates
    checklist: list[ChecklistItem]
    budgets: list[planning.BudgetStatus] = field(default_factory=list)
    month_budget: planning.MonthBudget | None = None
    goals: list[planning.GoalStatus] = field(default_factory=list)
    bills: list[ml_results.Recurring] = field(default_factory=list)
    forecast: ml_results.ForecastView | None = None
    insights: list[Insight] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        """No money in yet: the page shows the checklist instead of empty charts."""
        return not self.history.has_transactions

    @property
    def checklist_done(self) -> bool:
        return all(item.done for item in self.checklist)

    @property
    def worth(self) -> balances.NetWorth:
        return balances.net_worth(self.history.accounts)

    @property
    def bills_total(self) -> Decimal:
        return sum((b.amount for b in self.bills), ZERO)

    @property
    def sparkline(self) -> list[ml_results.ForecastPoint]:
        if self.forecast is None:
            return []
        end = self.today + timedelta(days=SPARKLINE_DAYS)
        return [p for p in self.forecast.points if self.today <= p.day <= end]

    @property
    def sparkline_low(self) -> ml_results.ForecastPoint | None:
        points = self.sparkline
        return min(points, key=lambda p: (p.expected, p.day)) if points else None


def _history(household, today: date) -> HistoryAggregates:
    from transactions.models import Transaction

    this_month = Period(month_start(today), today)
    last_start = add_months(this_month.start, -1)
    recent = (
        Transaction.objects.for_household(household)
        .select_related("account", "category")
        .order_by("-date", "-id")[:RECENT_TRANSACTIONS]
    )
    recent_rows = [
        RecentTransaction(
            id=t.pk,
            day=t.date,
            label=t.merchant or t.description[:60],
            account=t.account.name,
            category=t.category.name if t.category_id else "Uncategorised",
            colour=t.category.colour if t.category_id else "#94a3b8",
            amount=t.amount,
        )
        for t in recent
    ]
    if not recent_rows:
        empty_month = MonthComparison(this_month.start, ZERO, ZERO, ZERO, ZERO)
        return HistoryAggregates(False, balances.account_balances(household), empty_month, [], [], [])
    trend = cashflow.monthly_flows(household, Period(add_months(this_month.start, -(TREND_MONTHS - 1)), today))
    last_month_total = trend[-2].spending if len(trend) > 1 else ZERO
    month = MonthComparison(
        month=this_month.start,
        spent=trend[-1].spending,
        spent_last_month_same_days=cashflow.spending_total(household, same_span_in_month(last_start, today.day)),
        spent_last_month=last_month_total,
        income=trend[-1].income,
    )
    return HistoryAggregates(
        has_transactions=True,
        accounts=balances.account_balances(household),
        month=month,
        categories=cashflow.spending_by_category(household, this_month),
        trend=trend,
        recent=recent_rows,
    )


def onboarding_checklist(household, user, *, has_transactions: bool) -> list[ChecklistItem]:
    """Connect a bank or import a file, set a budget, create a goal, turn on two-factor authentication."""
    from django_otp import devices_for_user

    from transactions.models import PlaidItem

    has_money = has_transactions or PlaidItem.objects.for_household(household).exists()
    return [
        ChecklistItem(
            "money",
            "Connect a bank or import a file",
            has_money,
            links.import_page(),
            "CSV, OFX and QIF exports from any bank work; bank sync is under Connections.",
        ),
        ChecklistItem(
            "budget",
            "Set a budget",
            planning.has_budgets(household),
            links.new_budget_page(),
            "Start with one category.",
        ),
        ChecklistItem(
            "goal",
            "Create a goal",
            planning.has_goals(household),
            links.new_goal_page(),
            "An emergency fund is a good first one.",
        ),
        ChecklistItem(
            "mfa",
            "Turn on two-factor authentication",
            any(True for _ in devices_for_user(user, confirmed=True)),
            links.mfa_page(),
            "A code from your phone keeps your finances yours.",
        ),
    ]


def dashboard_for(household, user, *, today: date) -> Dashboard:
    history = cached_for_household(household.pk, f"dashboard:{today.isoformat()}", lambda: _history(household, today))
    board = Dashboard(
        today=today,
        history=history,
        checklist=onboarding_checklist(household, user, has_transactions=history.has_transactions),
    )
    if board.is_new:
        return board
    prefs = getattr(user, "preferences", None)
    board.budgets = planning.budget_statuses(household, today=today, week_start=getattr(prefs, "week_start", 0))
    board.month_budget = planning.month_budget(board.budgets)
    board.goals = [g for g in planning.goal_statuses(household, today=today) if g.is_active]
    board.bills = ml_results.upcoming_bills(household, today, today + timedelta(days=BILLS_DAYS))
    board.forecast = ml_results.household_forecast(household)
    board.insights = list(
        Insight.objects.for_user(user).live().order_by("-priority", "-created_at", "-id")[:TOP_INSIGHTS]
    )
    return board
