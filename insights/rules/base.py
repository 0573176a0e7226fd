"""What a rule receives (a context with lazily read facts) and what it returns (candidates for insights)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from fincoach.money import format_money

from ..facts import balances, cashflow, ml_results, planning
from ..facts.periods import Period, add_months, end_of_local_day, month_start
from ..models import Insight

Kind = Insight.Kind
Priority = Insight.Priority
Sentiment = Insight.Sentiment


@dataclass
class Candidate:
    """A finding a rule wants to tell someone. Title and message are the neutral, deterministic wording; the
    generation service adds tone, ranks, caps and persists."""

    kind: str
    title: str
    message: str
    dedupe_key: str
    priority: int = Priority.NORMAL
    sentiment: str = Sentiment.NEUTRAL
    is_alert: bool = False
    data: dict = field(default_factory=dict)
    action_url: str = ""
    action_label: str = ""
    window: timedelta | None = None  # no repeat of the same key inside it; None = never again
    expires_at: datetime | None = None
    relevance: float = 0.5  # 0–1: how much this matters, within its priority
    deliver: bool = True  # push a notification (False when another app already notified about it)
    wording: str = Insight.Wording.TEMPLATE  # LLM for insights the language model wrote itself

    def __post_init__(self) -> None:
        if len(self.title) > Insight.TITLE_MAX:
            raise ValueError(f"{self.kind}: title longer than {Insight.TITLE_MAX} characters: {self.title!r}")
        if len(self.message) > Insight.MESSAGE_MAX:
            raise ValueError(f"{self.kind}: message longer than {Insight.MESSAGE_MAX} characters: {self.message!r}")
        self.relevance = min(max(self.relevance, 0.0), 1.0)


class RuleContext:
    """One person's view of their household on one day. Facts are read once, when a rule first asks."""

    TRAILING_MONTHS = 3

    def __init__(self, *, household, user, today: date, week_start: int = 0, currency: str | None = None):
        self.household = household
        self.user = user
        self.today = today
        self.week_start = week_start
        self.currency = currency or getattr(household, "currency", "USD") or "USD"

    # --- formatting ---------------------------------------------------------------------------------------------
    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.currency)

    @staticmethod
    def day(day: date) -> str:
        """'Mar 14' — short enough for titles, unambiguous next to the year-less context of a coach."""
        return f"{day:%b} {day.day}"

    @staticmethod
    def long_day(day: date) -> str:
        """'Jun 1, 2027' — for dates that may be in another year."""
        return f"{day:%b} {day.day}, {day.year}"

    def expires_end_of(self, day: date) -> datetime:
        return end_of_local_day(self.user, day)

    # --- facts --------------------------------------------------------------------------------------------------
    @cached_property
    def month_to_date(self) -> Period:
        return Period(month_start(self.today), self.today)

    @cached_property
    def trailing_months(self) -> list[date]:
        """First days of the complete months before this one, oldest first."""
        first = month_start(self.today)
        return [add_months(first, -n) for n in range(self.TRAILING_MONTHS, 0, -1)]

    @cached_property
    def trailing_flows(self) -> list[cashflow.MonthFlow]:
        months = self.trailing_months
        return cashflow.monthly_flows(self.household, Period(months[0], month_start(self.today) - timedelta(days=1)))

    @cached_property
    def has_history(self) -> bool:
        """At least the trailing months are covered by transactions (a young household gets no comparisons)."""
        first = cashflow.first_transaction_date(self.household)
        return first is not None and first <= self.trailing_months[0] + timedelta(days=7)

    @cached_property
    def balances(self) -> list[balances.AccountBalance]:
        return balances.account_balances(self.household)

    @cached_property
    def forecasts(self) -> list[ml_results.ForecastView]:
        return ml_results.current_forecasts(self.household)

    @cached_property
    def subscriptions(self) -> list[ml_results.Recurring]:
        return ml_results.active_subscriptions(self.household)

    @cached_property
    def budgets(self) -> list[planning.BudgetStatus]:
        return planning.budget_statuses(self.household, today=self.today, week_start=self.week_start)

    @cached_property
    def goals(self) -> list[planning.GoalStatus]:
        return planning.goal_statuses(self.household, today=self.today)
