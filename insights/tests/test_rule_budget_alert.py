from datetime import date
from decimal import Decimal

import pytest

from budgets.tests.factories import BudgetFactory
from insights.rules import budget_alert
from transactions.tests.factories import system_category

from .coach_factories import txn

pytestmark = pytest.mark.django_db


def _dining_budget(household, amount="400.00"):
    return BudgetFactory(
        household=household, name="Dining", amount=Decimal(amount), categories=[system_category("FOOD_AND_DRINK")]
    )


def test_over_budget_is_recorded_without_a_second_notification(household, make_ctx):
    budget = _dining_budget(household)
    txn(household, date(2026, 3, 3), "-450.00", "FOOD_AND_DRINK_RESTAURANT")

    [candidate] = budget_alert.evaluate(make_ctx())

    assert candidate.title == "Over budget: Dining"
    assert candidate.is_alert and not candidate.deliver  # the budgets app already told them
    assert candidate.message == (
        "You've spent $450.00 on Dining, $50.00 over your $400.00 budget with 14 days left in the period."
    )
    assert candidate.dedupe_key == f"budget:{budget.pk}:2026-03-01:over"


def test_threshold_reached_is_recorded(household, make_ctx):
    _dining_budget(household)
    txn(household, date(2026, 3, 3), "-340.00", "FOOD_AND_DRINK_RESTAURANT")

    [candidate] = budget_alert.evaluate(make_ctx())

    assert candidate.title == "Dining budget at 85%"
    assert candidate.message == "$340.00 of $400.00 spent on Dining; $60.00 left for the next 14 days."
    assert "$60.00 left for the next 14 days" in candidate.message
    assert not candidate.deliver


def test_pace_heading_over_is_an_early_warning_that_is_delivered(household, make_ctx):
    budget = _dining_budget(household)
    txn(household, date(2026, 3, 5), "-300.00", "FOOD_AND_DRINK_RESTAURANT")  # 75% by the 18th

    [candidate] = budget_alert.evaluate(make_ctx())

    assert candidate.deliver and not candidate.is_alert
    assert candidate.title == "Dining is on course to overspend"
    assert candidate.data["projected_spend"] == "516.67"  # 300 × 31 / 18
    assert "$116.67 over your $400.00 budget" in candidate.message
    assert candidate.dedupe_key == f"budget:{budget.pk}:2026-03-01:pace"


def test_an_all_spending_budget_is_worded_as_a_total(household, make_ctx):
    BudgetFactory(household=household, name="", amount=Decimal("1000.00"))
    txn(household, date(2026, 3, 3), "-1100.00", "TRAVEL")

    [candidate] = budget_alert.evaluate(make_ctx())

    assert candidate.title == "Over budget: All spending"
    assert candidate.message.startswith("You've spent $1,100.00 in total, $100.00 over your $1,000.00 budget")


def test_a_budget_on_track_gives_nothing(household, make_ctx):
    _dining_budget(household)
    txn(household, date(2026, 3, 5), "-150.00", "FOOD_AND_DRINK_RESTAURANT")
    txn(household, date(2026, 3, 6), "-900.00", "TRAVEL")  # not covered by the budget

    assert budget_alert.evaluate(make_ctx()) == []
