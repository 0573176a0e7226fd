"""Writes for budgets: create, update, delete, accept a suggestion, and raise once-only alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from fincoach.money import format_money, to_money
from insights.models import Notification
from insights.notifications import notify_household
from transactions.models import Category
from transactions.taxonomy import NON_SPENDING_PRIMARIES

from . import periods
from .clock import HouseholdClock, household_clock
from .models import Budget, BudgetAlert
from .selectors import budget_usage_for_period
from .usage import Usage

EDITABLE_FIELDS = (
    "name",
    "amount",
    "period",
    "month_start_day",
    "start_date",
    "end_date",
    "alert_threshold",
    "rollover",
    "rollover_overspend",
    "is_active",
)


def _spending_categories(household, categories: Iterable) -> list[Category]:
    """The household's categories among `categories` (objects or ids); anything else is a validation error."""
    ids = {c.pk if isinstance(c, Category) else int(c) for c in categories}
    found = list(Category.objects.for_household(household).filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"categories": "Choose categories from your own list."})
    not_spending = sorted(c.name for c in found if c.primary_code in NON_SPENDING_PRIMARIES)
    if not_spending:
        names = ", ".join(not_spending)
        raise ValidationError(
            {"categories": f"Income and transfers are not spending, so they cannot be budgeted: {names}."}
        )
    return found


def _validated(budget: Budget) -> Budget:
    if budget.period != periods.CUSTOM:
        budget.end_date = None
    elif budget.end_date is None:
        raise ValidationError({"end_date": "A custom budget needs the last day of its range."})
    if budget.rollover and budget.period == periods.CUSTOM:
        raise ValidationError({"rollover": "A custom date range does not repeat, so nothing can roll over."})
    if budget.rollover_overspend and not budget.rollover:
        raise ValidationError({"rollover_overspend": "Carrying overspending needs rollover turned on."})
    budget.amount = to_money(budget.amount)
    budget.full_clean(exclude=["household"])
    return budget


@transaction.atomic
def budget_create(
    *, household, amount: Decimal | str, categories: Iterable = (), start_date: date | None = None, **fields
) -> Budget:
    """A new budget; `start_date` defaults to today, so the current period is the first one budgeted."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown budget fields: {', '.join(sorted(unknown))}")
    chosen = _spending_categories(household, categories)
    budget = Budget(
        household=household,
        amount=amount,
        start_date=start_date or household_clock(household).today,
        **fields,
    )
    _validated(budget).save()
    budget.categories.set(chosen)
    return budget


@transaction.atomic
def budget_update(budget: Budget, *, categories: Iterable | None = None, **fields) -> Budget:
    """Change a budget's fields (and categories when given). Alerts already given for a period stay given."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown budget fields: {', '.join(sorted(unknown))}")
    chosen = _spending_categories(budget.household, categories) if categories is not None else None
    for name, value in fields.items():
        setattr(budget, name, value)
    _validated(budget).save()
    if chosen is not None:
        budget.categories.set(chosen)
    return budget


@transaction.atomic
def budget_delete(budget: Budget) -> None:
    budget.delete()


@transaction.atomic
def budget_accept_suggestion(*, household, primary_code: str, amount: Decimal | str) -> Budget:
    """One click: a monthly budget of `amount` for a whole primary category."""
    category = Category.objects.filter(household__isnull=True, code=primary_code, parent__isnull=True).first()
    if category is None:
        raise ValidationError({"primary_code": f"{primary_code!r} is not a main category."})
    return budget_create(household=household, amount=amount, categories=[category], period=periods.MONTHLY)


# --- alerts ------------------------------------------------------------------------------------------------------


def budget_alerts_check(household, *, clock: HouseholdClock | None = None) -> list[BudgetAlert]:
    """Warn the household about budgets that reached their threshold or went over in the current period.

    Each level is recorded once per budget and period (a `BudgetAlert` row) and notified with a dedupe key, so
    repeated imports, syncs and concurrent checks never repeat a warning. A budget that jumps straight past 100%
    gets the over-budget warning only; its threshold level is recorded silently so it never follows later.
    """
    clock = clock or household_clock(household)
    raised = []
    for item in budget_usage_for_period(household, clock=clock):
        usage = item.usage
        if usage is None or not usage.is_current:
            continue
        levels = [
            level
            for level, reached in (
                (BudgetAlert.Level.THRESHOLD, usage.reached_threshold),
                (BudgetAlert.Level.OVER, usage.is_over),
            )
            if reached
        ]
        new = [alert for alert in (_record_alert(item.budget, usage, level) for level in levels) if alert is not None]
        if new:
            _notify(item.budget, usage, new[-1])
            raised.extend(new)
    return raised


def _record_alert(budget: Budget, usage: Usage, level: str) -> BudgetAlert | None:
    """The alert row if this call created it; None when it already existed."""
    try:
        with transaction.atomic():
            alert, created = BudgetAlert.objects.get_or_create(
                budget=budget,
                period_start=usage.period.start,
                level=level,
                defaults={"household": budget.household, "spent": usage.spent, "available": usage.available},
            )
    except IntegrityError:  # a concurrent check created it between our read and our insert
        return None
    return alert if created else None


def _notify(budget: Budget, usage: Usage, alert: BudgetAlert) -> None:
    currency = budget.household.currency
    spent, available = format_money(usage.spent, currency), format_money(usage.available, currency)
    days = f"{usage.days_left} day{'s' if usage.days_left != 1 else ''} left"
    if alert.level == BudgetAlert.Level.OVER:
        title = f"{budget.label} is over budget"
        body = f"You've spent {spent} of {available} — {format_money(-usage.remaining, currency)} over, with {days}."
        priority = Notification.Priority.HIGH
    else:
        title = f"{budget.label}: {usage.percent:.0f}% of the budget used"
        body = f"You've spent {spent} of {available}, with {days} in this period."
        priority = Notification.Priority.NORMAL
    notify_household(
        budget.household,
        kind=f"budget_{alert.level}",
        title=title,
        body=body,
        link=reverse("budgets:detail", kwargs={"budget_id": budget.pk}),
        priority=priority,
        dedupe_key=f"budget:{budget.pk}:{usage.period.start.isoformat()}:{alert.level}",
    )
