from datetime import date
from decimal import Decimal

import pytest

from budgets.demo import seed_demo as seed_budgets
from budgets.models import Budget
from budgets.periods import add_months
from budgets.tests.ledger import txn
from fincoach.demo import DemoContext
from goals.demo import seed_demo as seed_goals
from goals.models import Goal

pytestmark = pytest.mark.django_db


def test_demo_budgets_and_goals_are_seeded_once(household, member):
    first = date.today().replace(day=1)
    for back in range(1, 7):
        day = add_months(first, -back).replace(day=10)
        txn(household, day, "-420.00", "FOOD_AND_DRINK_GROCERIES")
        txn(household, day, "-1500.00", "RENT_AND_UTILITIES_RENT")
    context = DemoContext(household=household, user=member, months=6, index=0, seed=1)

    budgets = seed_budgets(context)
    goals = seed_goals(context)

    assert budgets["budgets"] == 3  # groceries and rent suggested, plus the all-spending cap
    assert Budget.objects.filter(household=household, name="All spending", amount=Decimal("1950.00")).exists()
    assert goals == {"goals": 4, "goal_contributions": 4}
    emergency = Goal.objects.get(household=household, kind=Goal.Kind.EMERGENCY_FUND)
    assert emergency.target_amount == Decimal("11550.00")  # 6 × (1,500 rent + 420 groceries), rounded up to 50
    assert seed_budgets(context) == {"budgets": 0}
    assert seed_goals(context) == {"goals": 0}
