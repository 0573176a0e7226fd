"""Budget usage from real transactions: what counts as spending, rollover both ways, and one query for all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.clock import HouseholdClock
from budgets.selectors import budget_history, budget_usage_for_period
from budgets.tests.factories import BudgetFactory
from budgets.tests.ledger import category, split, txn

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # a Tuesday; March has 31 days
CLOCK = HouseholdClock(today=TODAY, week_start=0)


def usage_of(household, budget, clock=CLOCK, on=None):
    by_budget = {u.budget.pk: u.usage for u in budget_usage_for_period(household, clock=clock, on=on)}
    return by_budget[budget.pk]


def test_a_primary_category_budget_counts_its_sub_categories(household):
    food = BudgetFactory(household=household, amount=Decimal("400"), categories=[category("FOOD_AND_DRINK")])
    txn(household, date(2026, 3, 2), "-120.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 5), "-30.50", "FOOD_AND_DRINK_RESTAURANT")
    txn(household, date(2026, 3, 6), "-99.00", "ENTERTAINMENT_TV_AND_MOVIES")  # another category
    txn(household, date(2026, 2, 28), "-500.00", "FOOD_AND_DRINK_GROCERIES")  # last month

    usage = usage_of(household, food)

    assert str(usage.spent) == "150.50"  # to the cent on every database (SQLite sums decimals as floats)
    assert usage.remaining == Decimal("249.50")
    assert usage.percent == Decimal("37.6")
    assert usage.days_left == 22  # 10..31 March
    assert usage.status == "ok"


def test_a_sub_category_budget_counts_only_that_sub_category(household):
    groceries = BudgetFactory(
        household=household, amount=Decimal("300"), categories=[category("FOOD_AND_DRINK_GROCERIES")]
    )
    txn(household, date(2026, 3, 2), "-120.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 5), "-30.50", "FOOD_AND_DRINK_RESTAURANT")

    assert usage_of(household, groceries).spent == Decimal("120.00")


def test_a_sub_category_chosen_with_its_primary_is_counted_once(household):
    both = BudgetFactory(
        household=household,
        amount=Decimal("300"),
        categories=[category("FOOD_AND_DRINK"), category("FOOD_AND_DRINK_GROCERIES"), category("TRAVEL_FLIGHTS")],
    )
    txn(household, date(2026, 3, 2), "-120.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 3), "-80.00", "TRAVEL_FLIGHTS")
    txn(household, date(2026, 3, 4), "-500.00", "TRAVEL_LODGING")

    assert usage_of(household, both).spent == Decimal("200.00")


def test_total_budget_leaves_out_income_transfers_and_excluded_transactions(household):
    total = BudgetFactory(household=household, amount=Decimal("1000"))
    txn(household, date(2026, 3, 1), "-200.00", "RENT_AND_UTILITIES_RENT")
    txn(household, date(2026, 3, 1), "-45.00")  # uncategorised spending still counts
    txn(household, date(2026, 3, 2), "3000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 3), "-500.00", "TRANSFER_OUT_SAVINGS")
    txn(household, date(2026, 3, 4), "-80.00", "GENERAL_MERCHANDISE_ELECTRONICS", excluded=True)
    card_payment = txn(household, date(2026, 3, 5), "-300.00", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT")
    received = txn(household, date(2026, 3, 5), "300.00", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT", account_name="Card")
    card_payment.transfer_pair = received
    card_payment.save()
    received.transfer_pair = card_payment
    received.save()

    assert usage_of(household, total).spent == Decimal("245.00")


def test_a_refund_reduces_spending_in_its_category(household):
    shopping = BudgetFactory(household=household, amount=Decimal("200"), categories=[category("GENERAL_MERCHANDISE")])
    txn(household, date(2026, 3, 2), "-150.00", "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES")
    txn(household, date(2026, 3, 8), "45.00", "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES")  # returned a jumper

    usage = usage_of(household, shopping)

    assert usage.spent == Decimal("105.00")
    assert usage.remaining == Decimal("95.00")


def test_splits_count_in_their_own_categories_instead_of_the_parents(household):
    food = BudgetFactory(household=household, amount=Decimal("400"), categories=[category("FOOD_AND_DRINK")])
    shopping = BudgetFactory(household=household, amount=Decimal("400"), categories=[category("GENERAL_MERCHANDISE")])
    total = BudgetFactory(household=household, amount=Decimal("1000"))
    # A superstore run: 100 on the card, of which 60 groceries, 25 a toaster and 15 cash back (a withdrawal).
    costco = txn(household, date(2026, 3, 3), "-100.00", "GENERAL_MERCHANDISE_SUPERSTORES")
    split(
        costco,
        ("FOOD_AND_DRINK_GROCERIES", "-60.00"),
        ("GENERAL_MERCHANDISE_SUPERSTORES", "-25.00"),
        ("TRANSFER_OUT_WITHDRAWAL", "-15.00"),
    )
    txn(household, date(2026, 3, 4), "-10.00", "FOOD_AND_DRINK_COFFEE")

    assert usage_of(household, food).spent == Decimal("70.00")
    assert usage_of(household, shopping).spent == Decimal("25.00")
    assert usage_of(household, total).spent == Decimal("95.00")  # the cash back is not spending


def test_weekly_budgets_follow_the_viewers_week_start(household):
    weekly = BudgetFactory(household=household, amount=Decimal("100"), period="weekly")
    txn(household, date(2026, 3, 8), "-40.00", "FOOD_AND_DRINK_COFFEE")  # Sunday 8 March
    txn(household, date(2026, 3, 9), "-15.00", "FOOD_AND_DRINK_COFFEE")  # Monday 9 March

    monday_weeks = usage_of(household, weekly, HouseholdClock(TODAY, week_start=0))
    sunday_weeks = usage_of(household, weekly, HouseholdClock(TODAY, week_start=6))

    assert (monday_weeks.period.start, monday_weeks.spent) == (date(2026, 3, 9), Decimal("15.00"))
    assert (sunday_weeks.period.start, sunday_weeks.spent) == (date(2026, 3, 8), Decimal("55.00"))


def test_a_custom_month_start_day_moves_spending_into_the_right_budget_month(household):
    payday = BudgetFactory(household=household, amount=Decimal("1000"), month_start_day=25)
    txn(household, date(2026, 2, 24), "-70.00", "FOOD_AND_DRINK_GROCERIES")  # previous budget month
    txn(household, date(2026, 2, 25), "-20.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 10), "-30.00", "FOOD_AND_DRINK_GROCERIES")

    usage = usage_of(household, payday)

    assert usage.period.start == date(2026, 2, 25)
    assert usage.period.end == date(2026, 3, 24)
    assert usage.spent == Decimal("50.00")
    assert usage.days_left == 15  # 10..24 March


def test_unspent_money_rolls_over_into_the_next_period(household):
    fun = BudgetFactory(
        household=household,
        amount=Decimal("100"),
        categories=[category("ENTERTAINMENT")],
        rollover=True,
        start_date=date(2026, 1, 5),
    )
    txn(household, date(2026, 1, 20), "-70.00", "ENTERTAINMENT_VIDEO_GAMES")  # 30 left in January
    txn(household, date(2026, 2, 11), "-50.00", "ENTERTAINMENT_VIDEO_GAMES")  # 130 available → 80 left
    txn(household, date(2026, 3, 1), "-20.00", "ENTERTAINMENT_VIDEO_GAMES")

    usage = usage_of(household, fun)

    assert usage.carried_over == Decimal("80.00")
    assert usage.available == Decimal("180.00")
    assert usage.remaining == Decimal("160.00")


def test_overspending_carries_as_a_negative_only_when_chosen(household):
    def budget(overspend: bool):
        return BudgetFactory(
            household=household,
            amount=Decimal("100"),
            categories=[category("TRAVEL")],
            rollover=True,
            rollover_overspend=overspend,
            start_date=date(2026, 2, 1),
        )

    carries_debt, forgives = budget(True), budget(False)
    txn(household, date(2026, 2, 14), "-160.00", "TRAVEL_LODGING")  # 60 over in February
    txn(household, date(2026, 3, 3), "-30.00", "TRAVEL_LODGING")

    debt = usage_of(household, carries_debt)
    assert (debt.carried_over, debt.available, debt.remaining) == (
        Decimal("-60.00"),
        Decimal("40.00"),
        Decimal("10.00"),
    )
    assert debt.percent == Decimal("75.0")
    fresh = usage_of(household, forgives)
    assert (fresh.carried_over, fresh.available, fresh.remaining) == (Decimal("0"), Decimal("100"), Decimal("70.00"))


def test_a_budget_without_rollover_starts_each_period_afresh(household):
    plain = BudgetFactory(household=household, amount=Decimal("100"), start_date=date(2026, 1, 1))
    txn(household, date(2026, 2, 14), "-10.00", "TRAVEL_LODGING")

    assert usage_of(household, plain).carried_over == Decimal("0")
    assert usage_of(household, plain).available == Decimal("100")


def test_pace_projects_spending_to_the_period_end(household):
    budget = BudgetFactory(household=household, amount=Decimal("1000"))
    txn(household, date(2026, 3, 4), "-200.00", "FOOD_AND_DRINK_GROCERIES")

    usage = usage_of(household, budget)

    # 200 in the first 10 of 31 days → 620 by March 31st
    assert usage.projected_spend == Decimal("620.00")
    assert usage.daily_allowance == Decimal("36.36")  # 800 over 22 days


def test_over_budget_status_and_percent(household):
    budget = BudgetFactory(household=household, amount=Decimal("100"))
    txn(household, date(2026, 3, 4), "-80.00", "FOOD_AND_DRINK_GROCERIES")
    assert usage_of(household, budget).status == "warning"
    txn(household, date(2026, 3, 5), "-40.00", "FOOD_AND_DRINK_GROCERIES")

    usage = usage_of(household, budget)
    assert (usage.status, usage.percent, usage.bar_percent, usage.overspent) == (
        "over",
        Decimal("120.0"),
        100,
        Decimal("20.00"),
    )


def test_a_budget_not_started_yet_has_no_usage(household):
    later = BudgetFactory(household=household, start_date=date(2026, 4, 2))
    assert usage_of(household, later) is None


def test_past_periods_can_be_asked_about(household):
    budget = BudgetFactory(household=household, amount=Decimal("100"))
    txn(household, date(2026, 1, 9), "-64.00", "FOOD_AND_DRINK_GROCERIES")

    january = usage_of(household, budget, on=date(2026, 1, 20))

    assert (january.period.start, january.spent, january.days_left, january.projected_spend) == (
        date(2026, 1, 1),
        Decimal("64.00"),
        0,
        None,
    )


def test_other_households_spending_never_counts(household, other_household):
    budget = BudgetFactory(household=household, amount=Decimal("100"))
    txn(other_household, date(2026, 3, 4), "-80.00", "FOOD_AND_DRINK_GROCERIES")
    assert usage_of(household, budget).spent == Decimal("0")


def test_usage_of_every_budget_takes_one_spending_query(household, django_assert_max_num_queries):
    for code in ("FOOD_AND_DRINK", "TRAVEL", "ENTERTAINMENT", "MEDICAL", "GENERAL_MERCHANDISE"):
        BudgetFactory(household=household, categories=[category(code)], rollover=True, start_date=date(2025, 1, 1))
    BudgetFactory(household=household, period="weekly")
    BudgetFactory(household=household, period="yearly")
    BudgetFactory(household=household, period="custom", start_date=date(2026, 3, 1), end_date=date(2026, 3, 20))
    for day in range(1, 10):
        txn(household, date(2026, 3, day), "-12.00", "FOOD_AND_DRINK_GROCERIES")

    # budgets + their categories (prefetch) + one aggregated spending query, however many budgets there are
    with django_assert_max_num_queries(3):
        usages = budget_usage_for_period(household, clock=CLOCK)
    assert len(usages) == 8


def test_history_lists_recent_periods_with_their_carry(household):
    budget = BudgetFactory(household=household, amount=Decimal("100"), rollover=True, start_date=date(2025, 12, 3))
    txn(household, date(2025, 12, 3), "-90.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 1, 3), "-150.00", "FOOD_AND_DRINK_GROCERIES")

    history = budget_history(budget, clock=CLOCK)

    assert [u.period.start for u in history] == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert [u.available for u in history] == [Decimal("100"), Decimal("110.00"), Decimal("100"), Decimal("200")]
