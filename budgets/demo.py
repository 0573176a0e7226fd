"""Demo budgets: the household's own suggestions accepted, as a new user would, with a few months of history."""

from __future__ import annotations

from fincoach.demo import DemoContext

from . import periods, selectors, services
from .clock import household_clock
from .models import Budget
from .suggestions import median, round_up_budget

DEMO_ORDER = 30
MAX_CATEGORY_BUDGETS = 6
HISTORY_MONTHS = 4


def seed_demo(context: DemoContext) -> dict:
    """Idempotent: a household that already has budgets is left alone."""
    household = context.household
    if Budget.objects.for_household(household).exists():
        return {"budgets": 0}
    clock = household_clock(household)
    started = periods.add_months(clock.today.replace(day=1), -HISTORY_MONTHS)
    suggestions = selectors.budget_suggestions(household, clock=clock)[:MAX_CATEGORY_BUDGETS]
    created = 0
    for index, suggestion in enumerate(suggestions):
        budget = services.budget_accept_suggestion(
            household=household, primary_code=suggestion.primary_code, amount=suggestion.amount
        )
        # The largest category rolls unspent money over, so the demo shows carried amounts.
        services.budget_update(budget, start_date=started, rollover=index == 0)
        created += 1
    past_months = selectors.budget_vs_actual_by_month(household, clock=clock, months=HISTORY_MONTHS + 1)[:-1]
    typical_total = median([m.spending for m in past_months])
    if typical_total > 0:
        services.budget_create(
            household=household, name="All spending", amount=round_up_budget(typical_total), start_date=started
        )
        created += 1
    alerts = services.budget_alerts_check(household, clock=clock)
    return {"budgets": created, "budget_alerts": len(alerts)}
