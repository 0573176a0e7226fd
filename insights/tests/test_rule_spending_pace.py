from datetime import date

import pytest

from insights.rules import spending_pace

from .coach_factories import txn

pytestmark = pytest.mark.django_db


def _history(household, *, per_month: dict[str, str]):
    """The same spending in the first days of Dec, Jan and Feb: the household's usual pace."""
    for month in (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)):
        for day_offset, (code, amount) in enumerate(per_month.items()):
            txn(household, month.replace(day=3 + day_offset), amount, code)


def test_spending_well_above_usual_pace_names_the_top_category(household, make_ctx):
    _history(household, per_month={"FOOD_AND_DRINK_GROCERIES": "-300.00", "FOOD_AND_DRINK_RESTAURANT": "-100.00"})
    txn(household, date(2026, 3, 4), "-310.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 10), "-250.00", "FOOD_AND_DRINK_RESTAURANT")
    txn(household, date(2026, 3, 20), "-999.00", "TRAVEL_FLIGHTS")  # after "today": not counted

    [candidate] = spending_pace.evaluate(make_ctx(date(2026, 3, 18)))

    assert candidate.kind == "spending_pace"
    assert candidate.sentiment == "warning"
    assert candidate.title == "Spending is 40% above your usual pace"
    assert candidate.data["spent"] == "560.00"
    assert candidate.data["usual"] == "400.00"
    assert candidate.data["top_category"] == "FOOD_AND_DRINK"
    assert "$560.00 this month through the 18th" in candidate.message
    assert "Food and drink leads: $560.00 vs $400.00 usually" in candidate.message
    assert candidate.dedupe_key == "spending_pace:2026-03:over"
    assert not candidate.is_alert


def test_top_category_is_the_one_that_rose_most_not_the_largest(household, make_ctx):
    _history(household, per_month={"RENT_AND_UTILITIES_RENT": "-1500.00", "ENTERTAINMENT": "-50.00"})
    txn(household, date(2026, 3, 1), "-1500.00", "RENT_AND_UTILITIES_RENT")
    txn(household, date(2026, 3, 9), "-400.00", "ENTERTAINMENT")

    [candidate] = spending_pace.evaluate(make_ctx(date(2026, 3, 18)))

    assert candidate.data["top_category"] == "ENTERTAINMENT"
    assert "Entertainment leads: $400.00 vs $50.00 usually" in candidate.message


def test_usual_pace_gives_nothing(household, make_ctx):
    _history(household, per_month={"FOOD_AND_DRINK_GROCERIES": "-300.00"})
    txn(household, date(2026, 3, 5), "-320.00", "FOOD_AND_DRINK_GROCERIES")

    assert spending_pace.evaluate(make_ctx(date(2026, 3, 18))) == []


def test_well_below_usual_pace_is_praised(household, make_ctx):
    _history(household, per_month={"FOOD_AND_DRINK_GROCERIES": "-400.00"})
    txn(household, date(2026, 3, 5), "-200.00", "FOOD_AND_DRINK_GROCERIES")

    [candidate] = spending_pace.evaluate(make_ctx(date(2026, 3, 18)))

    assert candidate.sentiment == "positive"
    assert candidate.title == "Spending is 50% below your usual pace"
    assert "That's $200.00 still in your pocket." in candidate.message
    assert candidate.dedupe_key == "spending_pace:2026-03:under"


def test_compares_like_with_like_days_of_the_month(household, make_ctx):
    """Spending late in earlier months is not part of "usual by the 8th"."""
    _history(household, per_month={"FOOD_AND_DRINK_GROCERIES": "-100.00"})
    for month in (12, 1, 2):
        year = 2025 if month == 12 else 2026
        txn(household, date(year, month, 25), "-900.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 2), "-200.00", "FOOD_AND_DRINK_GROCERIES")

    [candidate] = spending_pace.evaluate(make_ctx(date(2026, 3, 8)))

    assert candidate.data["usual"] == "100.00"
    assert candidate.data["spent"] == "200.00"


def test_too_early_in_the_month_or_without_history_gives_nothing(household, make_ctx):
    txn(household, date(2026, 3, 2), "-900.00", "FOOD_AND_DRINK_GROCERIES")
    assert spending_pace.evaluate(make_ctx(date(2026, 3, 18))) == []  # no history before March

    _history(household, per_month={"FOOD_AND_DRINK_GROCERIES": "-100.00"})
    assert spending_pace.evaluate(make_ctx(date(2026, 3, 5))) == []  # only five days in
