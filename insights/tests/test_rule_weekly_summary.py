from datetime import date, timedelta

import pytest

from insights.rules import weekly_summary

from .coach_factories import txn

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 16)


def _weeks_of_spending(household, amount: str, *, weeks: int = 8, before: date = MONDAY - timedelta(days=7)):
    for n in range(1, weeks + 1):
        txn(household, before - timedelta(days=7 * n) + timedelta(days=2), amount, "FOOD_AND_DRINK_GROCERIES")


def test_summary_of_a_cheaper_week_is_positive(household, make_ctx):
    _weeks_of_spending(household, "-200.00")
    txn(household, date(2026, 3, 10), "-80.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 12), "-70.00", "ENTERTAINMENT")

    [candidate] = weekly_summary.evaluate(make_ctx(MONDAY))

    assert candidate.kind == "weekly_summary"
    assert candidate.sentiment == "positive"
    assert candidate.title == "Your week: $150.00 spent"
    assert candidate.message == (
        "Last week (Mar 9–15) you spent $150.00, 25% less than your 8-week average of $200.00. "
        "Top category: Food and drink ($80.00)."
    )
    assert candidate.dedupe_key == "weekly_summary:2026-03-09"


def test_week_start_follows_the_preference(household, make_ctx):
    _weeks_of_spending(household, "-100.00", before=date(2026, 3, 8))
    txn(household, date(2026, 3, 9), "-300.00", "TRAVEL")  # Monday: inside the Sunday-started week Mar 8–14

    [candidate] = weekly_summary.evaluate(make_ctx(date(2026, 3, 15), week_start=6))  # Sunday

    assert candidate.data["week_start"] == "2026-03-08"
    assert candidate.sentiment == "warning"
    assert "200% more than your 8-week average of $100.00" in candidate.message


def test_no_summary_late_in_the_week_or_without_eight_weeks_of_history(household, make_ctx):
    _weeks_of_spending(household, "-200.00", weeks=3)
    assert weekly_summary.evaluate(make_ctx(MONDAY)) == []  # too little history

    _weeks_of_spending(household, "-200.00")
    assert weekly_summary.evaluate(make_ctx(MONDAY + timedelta(days=4))) == []  # Friday: old news
