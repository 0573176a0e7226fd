"""Budgets and goals as the coach sees them, read through the budgets and goals apps' own selectors.

Those apps are optional building blocks of the coach: when one is not installed (or has no selectors yet) the coach
simply has no budget or goal facts, and every page and rule still works.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BudgetStatus:
    id: int
    name: str
    available: Decimal  # the budget plus anything carried over
    spent: Decimal
    remaining: Decimal
    percent: Decimal | None  # of `available`; None when nothing was available
    bar_percent: int
    status: str  # ok | warning | over
    alert_threshold: int
    period_start: date
    period_end: date
    days_left: int
    projected_spend: Decimal | None  # at the current pace, by the period's end
    period_kind: str = "monthly"  # weekly | monthly | yearly | custom
    covers_all_spending: bool = False

    @property
    def projected_overspend(self) -> Decimal | None:
        if self.projected_spend is None or self.projected_spend <= self.available:
            return None
        return self.projected_spend - self.available


def budget_statuses(household, *, today: date, week_start: int = 0) -> list[BudgetStatus]:
    """Every active budget in its period containing `today` (one spending query, by the budgets app)."""
    try:
        from budgets.clock import HouseholdClock
        from budgets.selectors import budget_usage_for_period
    except ImportError:
        return []
    clock = HouseholdClock(today=today, week_start=week_start)
    out = []
    for entry in budget_usage_for_period(household, clock=clock):
        usage = entry.usage
        if usage is None:
            continue
        out.append(
            BudgetStatus(
                id=entry.budget.pk,
                name=entry.budget.label,
                available=usage.available,
                spent=usage.spent,
                remaining=usage.remaining,
                percent=usage.percent,
                bar_percent=usage.bar_percent,
                status=usage.status,
                alert_threshold=usage.alert_threshold,
                period_start=usage.period.start,
                period_end=usage.period.end,
                days_left=usage.days_left,
                projected_spend=usage.projected_spend,
                period_kind=entry.budget.period,
                covers_all_spending=not entry.budget.categories.all(),
            )
        )
    return sorted(out, key=lambda b: (-(b.percent if b.percent is not None else Decimal("1000")), b.name))


@dataclass(frozen=True)
class MonthBudget:
    """This month's spending against the monthly budgets: the all-spending budget when there is one, else the
    category budgets together."""

    budgeted: Decimal
    spent: Decimal

    @property
    def percent(self) -> int:
        return int(self.spent * 100 / self.budgeted) if self.budgeted > 0 else 0


def month_budget(statuses: list[BudgetStatus]) -> MonthBudget | None:
    monthly = [b for b in statuses if b.period_kind == "monthly"]
    total = [b for b in monthly if b.covers_all_spending]
    chosen = total[:1] or [b for b in monthly if not b.covers_all_spending]
    if not chosen:
        return None
    return MonthBudget(
        budgeted=sum((b.available for b in chosen), Decimal("0")), spent=sum((b.spent for b in chosen), Decimal("0"))
    )


@dataclass(frozen=True)
class GoalStatus:
    id: int
    name: str
    kind: str
    status: str  # active | paused | completed | cancelled
    target: Decimal
    saved: Decimal
    priority: int  # lower = more important
    target_date: date | None
    required_monthly: Decimal | None  # to reach the target by its date
    on_track: bool | None  # None without a target date
    projected_date: date | None
    milestones: tuple[int, ...]  # percentages reached (25, 50, 75, 100)
    last_milestone_at: date | None

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.saved, Decimal("0"))

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 0
        return int(min(self.saved * 100 / self.target, Decimal("100")))

    @property
    def is_active(self) -> bool:
        return self.status == "active"


def goal_statuses(household, *, today: date) -> list[GoalStatus]:
    """Every goal with its progress and projection (active first, most important first), read through the goals
    app (a fixed number of queries)."""
    try:
        from budgets.clock import HouseholdClock
        from goals.models import GoalMilestone
        from goals.selectors import goals_with_progress
    except ImportError:
        return []
    reached: dict[int, list[tuple[int, date]]] = {}
    for goal_id, percent, at in GoalMilestone.objects.for_household(household).values_list(
        "goal_id", "percent", "reached_at"
    ):
        reached.setdefault(goal_id, []).append((percent, timezone.localdate(at)))
    out = []
    for progress in goals_with_progress(household, clock=HouseholdClock(today=today)):
        goal, projection = progress.goal, progress.projection
        milestones = sorted(reached.get(goal.pk, []))
        out.append(
            GoalStatus(
                id=goal.pk,
                name=goal.name,
                kind=goal.kind,
                status=goal.status,
                target=progress.target,
                saved=progress.saved,
                priority=goal.priority,
                target_date=goal.target_date,
                required_monthly=projection.required_monthly,
                on_track=None if projection.status == "no_deadline" else projection.status in ("on_track", "done"),
                projected_date=projection.projected_date,
                milestones=tuple(p for p, _ in milestones),
                last_milestone_at=max((d for _, d in milestones), default=None),
            )
        )
    return sorted(out, key=lambda g: (not g.is_active, g.priority, g.name))


def has_budgets(household) -> bool:
    try:
        from budgets.models import Budget
    except ImportError:
        return False
    return Budget.objects.for_household(household).exists()


def has_goals(household) -> bool:
    try:
        from goals.models import Goal
    except ImportError:
        return False
    return Goal.objects.for_household(household).exists()
