"""The period summary (budgeted vs spent, income, savings rate, unbudgeted spending) and budget suggestions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.clock import HouseholdClock
from budgets.periods import Period
from budgets.selectors import budget_period_summary, budget_suggestions, budget_vs_actual_by_month
from budgets.suggestions import median, round_up_budget, suggest_monthly_amount, without_outliers
from budgets.tests.factories import BudgetFactory
from budgets.tests.ledger import category, txn

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
CLOCK = HouseholdClock(today=date(2026, 3, 20), week_start=0)


@pytest.mark.django_db
def test_summary_of_a_month(household):
    BudgetFactory(household=household, amount=Decimal("400"), categories=[category("FOOD_AND_DRINK")])
    BudgetFactory(household=household, amount=Decimal("70"), period="weekly", categories=[category("TRAVEL")])
    BudgetFactory(household=household, amount=Decimal("2500"))  # a cap on all spending
    txn(household, date(2026, 3, 2), "4000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 3), "-350.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 4), "-100.00", "TRAVEL_FLIGHTS")
    txn(household, date(2026, 3, 5), "-1500.00", "RENT_AND_UTILITIES_RENT")
    txn(household, date(2026, 3, 6), "-60.00", "ENTERTAINMENT_MUSIC_AND_AUDIO")
    txn(household, date(2026, 3, 7), "-40.00")
    txn(household, date(2026, 3, 8), "-1000.00", "TRANSFER_OUT_SAVINGS")
    txn(household, date(2026, 4, 1), "-999.00", "RENT_AND_UTILITIES_RENT")

    summary = budget_period_summary(household, window=MARCH, clock=CLOCK)

    assert summary.budgeted == Decimal("710.00")  # 400 + 70 × 31/7
    assert summary.spent_in_budgets == Decimal("450.00")
    assert summary.spending == Decimal("2050.00")
    assert summary.spending_cap == Decimal("2500.00")
    assert summary.income == Decimal("4000.00")
    assert summary.savings == Decimal("1950.00")
    assert summary.savings_rate == Decimal("48.8")  # 1950 / 4000
    assert [(c.primary_code, c.spent) for c in summary.unbudgeted] == [
        ("RENT_AND_UTILITIES", Decimal("1500.00")),
        ("ENTERTAINMENT", Decimal("60.00")),
        ("UNCATEGORISED", Decimal("40.00")),
    ]
    assert summary.unbudgeted_total == Decimal("1600.00")


@pytest.mark.django_db
def test_savings_rate_needs_income_and_can_be_negative(household):
    txn(household, date(2026, 3, 3), "-350.00", "FOOD_AND_DRINK_GROCERIES")
    assert budget_period_summary(household, window=MARCH, clock=CLOCK).savings_rate is None
    txn(household, date(2026, 3, 1), "200.00", "INCOME_WAGES")
    assert budget_period_summary(household, window=MARCH, clock=CLOCK).savings_rate == Decimal("-75.0")


@pytest.mark.django_db
def test_budget_vs_actual_by_month(household, django_assert_max_num_queries):
    BudgetFactory(
        household=household, amount=Decimal("300"), categories=[category("FOOD_AND_DRINK")], start_date=date(2026, 2, 1)
    )
    txn(household, date(2026, 1, 15), "-250.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 2, 15), "-320.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 2, 16), "-80.00", "TRAVEL_FLIGHTS")
    txn(household, date(2026, 3, 15), "-120.00", "FOOD_AND_DRINK_GROCERIES")

    with django_assert_max_num_queries(3):
        figures = budget_vs_actual_by_month(household, clock=CLOCK, months=3)

    assert [(f.period.start, f.budgeted, f.spent_in_budgets, f.spending) for f in figures] == [
        (date(2026, 1, 1), Decimal("0"), Decimal("0"), Decimal("250.00")),  # before the budget started
        (date(2026, 2, 1), Decimal("300.00"), Decimal("320.00"), Decimal("400.00")),
        (date(2026, 3, 1), Decimal("300.00"), Decimal("120.00"), Decimal("120.00")),
    ]


def test_median_and_outliers_by_hand():
    values = [Decimal(v) for v in ("390", "395", "400", "405", "410", "2000")]
    assert median(values) == Decimal("402.5")
    # deviations 12.5 7.5 2.5 2.5 7.5 1597.5 → MAD 7.5 → fence 3 × 1.4826 × 7.5 ≈ 33.4: only 2000 is out
    assert without_outliers(values) == values[:5]
    assert suggest_monthly_amount(values) == Decimal("400.00")


def test_suggestions_skip_one_off_categories_and_round_up():
    # spent in only 2 of 6 months: not a habit
    assert suggest_monthly_amount([Decimal(v) for v in ("0", "0", "900", "0", "0", "40")]) is None
    # half the months count; the median of 0 0 0 120 130 140 is 60 → rounded up to 60
    assert suggest_monthly_amount([Decimal(v) for v in ("0", "120", "0", "130", "0", "140")]) == Decimal("60.00")
    assert round_up_budget(Decimal("61.20")) == Decimal("65.00")
    assert round_up_budget(Decimal("401")) == Decimal("410.00")
    assert round_up_budget(Decimal("1512.30")) == Decimal("1550.00")
    assert round_up_budget(Decimal("400")) == Decimal("400.00")


@pytest.mark.django_db
def test_budget_suggestions_from_the_trailing_six_months(household):
    groceries = ("410", "395", "1800", "405", "390", "400")  # September … February; one party month
    for month, amount in zip((9, 10, 11, 12, 1, 2), groceries, strict=True):
        year = 2025 if month >= 9 else 2026
        txn(household, date(year, month, 12), f"-{amount}", "FOOD_AND_DRINK_GROCERIES")
        txn(household, date(year, month, 14), "-55.00", "ENTERTAINMENT_TV_AND_MOVIES")
    txn(household, date(2025, 11, 3), "-1200.00", "HOME_IMPROVEMENT_FURNITURE")  # one-off
    txn(household, date(2026, 3, 2), "-5000.00", "FOOD_AND_DRINK_GROCERIES")  # the current month is not used
    BudgetFactory(household=household, categories=[category("ENTERTAINMENT")])  # already budgeted

    suggestions = budget_suggestions(household, clock=CLOCK)

    # 1800 is set aside; the median of 390 395 400 405 410 is 400
    assert [(s.primary_code, s.amount) for s in suggestions] == [("FOOD_AND_DRINK", Decimal("400.00"))]
    assert suggestions[0].monthly == tuple(
        Decimal(v) for v in ("410.00", "395.00", "1800.00", "405.00", "390.00", "400.00")
    )
