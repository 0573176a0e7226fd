from datetime import date
from decimal import Decimal

import pytest

from insights.coach.parsing import find_amount, find_category, find_period, parse
from insights.coach.safety import asks_for_products
from insights.facts.periods import Period

TODAY = date(2026, 4, 10)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("How much did we spend on dining in March?", "spending"),
        ("Can we afford $2,000 for a trip in June?", "afford"),
        ("What subscriptions do we have?", "subscriptions"),
        ("How are our budgets doing?", "budgets"),
        ("Are we on track with our goals?", "goals"),
        ("What was our savings rate last month?", "savings_rate"),
        ("What's our net worth?", "balance"),
        ("How much did we earn in February?", "income"),
        ("Where does our money go?", "top_categories"),
        ("What bills are due this week?", "bills"),
        ("Groceries last month?", "spending"),
        ("Tell me a joke", "unknown"),
    ],
)
def test_intents_of_common_questions(question, intent):
    assert parse(question, TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "expected", "label"),
    [
        ("in March", Period(date(2026, 3, 1), date(2026, 3, 31)), "in March 2026"),
        ("in May", Period(date(2025, 5, 1), date(2025, 5, 31)), "in May 2025"),  # the last May that has happened
        ("in December 2024", Period(date(2024, 12, 1), date(2024, 12, 31)), "in December 2024"),
        ("last month", Period(date(2026, 3, 1), date(2026, 3, 31)), "last month"),
        ("this month", Period(date(2026, 4, 1), TODAY), "this month"),
        ("this year", Period(date(2026, 1, 1), TODAY), "this year"),
        ("last year", Period(date(2025, 1, 1), date(2025, 12, 31)), "last year"),
        ("in the last 3 months", Period(date(2026, 1, 11), TODAY), "in the last 3 months"),
        ("since February", Period(date(2026, 2, 1), TODAY), "since February 2026"),
    ],
)
def test_periods_relative_to_today(text, expected, label):
    found = find_period(f"how much {text}?", TODAY)
    assert found.period == expected
    assert found.label == label


def test_future_questions_look_ahead_for_a_named_month():
    assert find_period("a trip in June", TODAY, future=True).period.start == date(2026, 6, 1)
    assert find_period("a trip in February", TODAY, future=True).period.start == date(2027, 2, 1)
    assert find_period("may we afford it?", TODAY, future=True) is None  # "may" the verb


@pytest.mark.parametrize(
    ("text", "label", "codes"),
    [
        (
            "dining out",
            "dining out",
            {"FOOD_AND_DRINK_RESTAURANT", "FOOD_AND_DRINK_FAST_FOOD", "FOOD_AND_DRINK_COFFEE"},
        ),
        ("groceries", "groceries", {"FOOD_AND_DRINK_GROCERIES"}),
        ("food and drink", "food and drink", {"FOOD_AND_DRINK"}),
        ("Uber rides", "taxis and ride shares", {"TRANSPORTATION_TAXIS_AND_RIDE_SHARES"}),
        ("medical", "medical", {"MEDICAL"}),
    ],
)
def test_categories_from_everyday_words(text, label, codes):
    match = find_category(f"how much on {text} this month")
    assert match.label == label
    assert match.codes == codes


@pytest.mark.parametrize(
    ("text", "amount"),
    [("$2,000", "2000"), ("€350.50", "350.50"), ("1.5k dollars", "1500.0"), ("300 euros", "300"), ("$3k", "3000")],
)
def test_amounts(text, amount):
    assert find_amount(f"can we afford {text} for a trip") == Decimal(amount)


def test_no_amount_without_a_currency():
    assert find_amount("can we afford a trip in 2026") is None


@pytest.mark.parametrize(
    "question",
    [
        "Which stocks should I buy?",
        "What ETF is best for us?",
        "Should we invest in bitcoin?",
        "Recommend a credit card for travel",
        "Is $TSLA a good buy?",
        "What's the best savings account?",
    ],
)
def test_requests_for_products_are_recognised(question):
    assert asks_for_products(question)


@pytest.mark.parametrize(
    "question",
    [
        "How much did we spend on dining in March?",
        "Can we afford $2,000 for a trip in June?",
        "How much do we pay on our loan each month?",
        "How much did we put into the savings account?",
    ],
)
def test_questions_about_our_own_money_are_not_product_requests(question):
    assert not asks_for_products(question)
