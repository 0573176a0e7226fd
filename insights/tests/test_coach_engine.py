"""The deterministic coach (no language model): real numbers from the household's data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.tests.factories import BudgetFactory
from insights.coach import engine, parsing
from insights.coach.tools import ToolContext
from insights.facts.periods import local_today
from insights.models import CoachExchange
from insights.services.ask import QuestionError, coach_answer, coach_ask
from ml.tests.factories import RecurringSeriesFactory
from transactions.tests.factories import system_category

from .coach_factories import account, txn

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 10)


def ask(member, household, question: str) -> engine.Answer:
    return engine.answer(parsing.parse(question, TODAY), ToolContext(household, member, TODAY))


def test_dining_in_march_counts_restaurants_and_compares_with_february(member, household):
    txn(household, date(2026, 3, 3), "-45.00", "FOOD_AND_DRINK_RESTAURANT")
    txn(household, date(2026, 3, 9), "-12.50", "FOOD_AND_DRINK_FAST_FOOD")
    txn(household, date(2026, 3, 12), "-140.00", "FOOD_AND_DRINK_GROCERIES")  # groceries are not dining
    txn(household, date(2026, 3, 20), "10.00", "FOOD_AND_DRINK_RESTAURANT")  # a refund
    txn(household, date(2026, 2, 14), "-80.00", "FOOD_AND_DRINK_RESTAURANT")
    txn(household, date(2026, 3, 25), "-30.00", "FOOD_AND_DRINK")  # no sub-category

    answer = ask(member, household, "How much did we spend on dining in March?")

    assert answer.engine == "rules" and answer.intent == "spending"
    assert answer.text == (
        "You spent $47.50 on dining out in March 2026. That's $32.50 less than in February. Another $30.00 is "
        "filed under Food and drink without a sub-category, so some of it may belong here too."
    )
    assert answer.tools_used == ["spending", "spending"]


def test_spending_without_a_category_lists_the_biggest(member, household):
    txn(household, date(2026, 4, 1), "-1450.00", "RENT_AND_UTILITIES_RENT")
    txn(household, date(2026, 4, 2), "-210.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 4, 3), "-60.00", "ENTERTAINMENT")
    txn(household, date(2026, 4, 4), "-20.00", "TRANSPORTATION")
    txn(household, date(2026, 4, 5), "3000.00", "INCOME_WAGES")

    answer = ask(member, household, "How much have we spent this month?")

    assert answer.text == (
        "You spent $1,740.00 this month. The biggest categories: Rent and utilities $1,450.00, "
        "Food and drink $210.00, Entertainment $60.00."
    )


def test_affordability_yes(member, household):
    account(household, "Checking", opening_balance=Decimal("5000.00"))
    for month in (1, 2, 3):
        txn(household, date(2026, month, 1), "4000.00", "INCOME_WAGES")
        txn(household, date(2026, month, 5), "-3000.00", "RENT_AND_UTILITIES_RENT")

    answer = ask(member, household, "Can we afford $2,000 for a trip in June?")

    # Cash 5,000 + 3 × 1,000 = 8,000; usual surplus 1,000 a month; two months until June → 10,000 by June.
    assert answer.intent == "afford"
    assert answer.text == (
        "Yes, most likely. You have $8,000.00 in cash and usually keep $1,000.00 a month, so by June 2026 you'd "
        "have about $10,000.00. After $2,000.00 you'd still have $8,000.00, more than a month of your usual "
        "spending ($3,000.00)."
    )


def test_affordability_no_says_how_much_to_set_aside(member, household):
    account(household, "Checking", opening_balance=Decimal("0.00"))
    for month in (1, 2, 3):
        txn(household, date(2026, month, 1), "3000.00", "INCOME_WAGES")
        txn(household, date(2026, month, 5), "-2900.00", "RENT_AND_UTILITIES_RENT")

    answer = ask(member, household, "Can we afford $2,000 for a trip in June?")

    # Cash 300, +100 a month → 500 by June; 2,000 leaves 1,500 short; keeping a 2,900 buffer needs 4,400 more.
    assert answer.text.startswith("Not comfortably yet. You have $300.00 in cash and usually keep $100.00 a month")
    assert "$2,000.00 would leave you $1,500.00 short." in answer.text
    assert "Setting aside an extra $2,200.00 a month until then" in answer.text


def test_affordability_asks_for_an_amount(member, household):
    answer = ask(member, household, "Can we afford a trip in June?")
    assert answer.text.startswith("How much would it cost?")


def test_savings_rate_defaults_to_last_month(member, household):
    txn(household, date(2026, 3, 1), "5000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 5), "-4000.00", "RENT_AND_UTILITIES_RENT")

    answer = ask(member, household, "What's our savings rate?")

    assert answer.text == (
        "Income last month was $5,000.00 and spending $4,000.00, so you kept $1,000.00 (a savings rate of 20.0%)."
    )


def test_subscriptions_and_budgets(member, household):
    RecurringSeriesFactory(household=household, merchant="Netflix", amount=Decimal("-17.99"), next_amount=None)
    RecurringSeriesFactory(household=household, merchant="Spotify", amount=Decimal("-11.99"), next_amount=None)
    BudgetFactory(
        household=household, name="Fun", amount=Decimal("100.00"), categories=[system_category("ENTERTAINMENT")]
    )
    txn(household, date(2026, 4, 2), "-130.00", "ENTERTAINMENT")

    subs = ask(member, household, "What subscriptions do we have?")
    budgets = ask(member, household, "How are our budgets doing?")

    assert subs.text == (
        "You have 2 subscriptions costing $29.98 a month ($359.76 a year). "
        "The largest: Netflix ($17.99), Spotify ($11.99)."
    )
    assert budgets.text == "You have 1 budget. Over: Fun ($30.00 over)."


def test_unknown_questions_get_examples(member, household):
    answer = ask(member, household, "Tell me a joke")
    assert answer.intent == "unknown"
    assert "How much did we spend on dining in March?" in answer.text


def test_asking_stores_the_exchange_with_the_disclaimer(member, household):
    exchange, answer = coach_ask(member, household, "  How are our   goals doing? ")

    assert exchange.question == "How are our goals doing?"
    assert exchange.engine == CoachExchange.Engine.RULES
    assert answer.disclaimer == "Educational information from your own data, not financial advice."


def test_empty_or_overlong_questions_are_refused(member, household):
    with pytest.raises(QuestionError):
        coach_answer(member, household, "   ")
    with pytest.raises(QuestionError):
        coach_answer(member, household, "why " * 200)


def test_a_households_own_category_names_are_understood(member, household):
    from transactions.tests.factories import CategoryFactory

    kids = CategoryFactory(household=household, name="Kids activities", code="kids-activities")
    txn_ = txn(household, local_today(member), "-75.00")
    txn_.category = kids
    txn_.save()

    answer = coach_answer(member, household, "How much on kids activities this month?")

    assert answer.text.startswith("You spent $75.00 on Kids activities this month.")
