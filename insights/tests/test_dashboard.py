"""The dashboard: onboarding for a new household, the figures for an active one, a fixed number of queries, and
cached aggregates that follow the data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from budgets.tests.factories import BudgetFactory
from fincoach.hooks import transactions_changed
from goals.tests.factories import GoalContributionFactory, GoalFactory
from insights.facts.periods import local_today
from ml.tests.factories import BalanceForecastFactory, RecurringSeriesFactory
from transactions.tests.factories import system_category

from .coach_factories import InsightFactory, account, txn

pytestmark = pytest.mark.django_db


def test_a_new_household_sees_the_onboarding_checklist_instead_of_charts(member_client):
    response = member_client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Welcome to fincoach" in page
    for step in (
        "Connect a bank or import a file",
        "Set a budget",
        "Create a goal",
        "Turn on two-factor authentication",
    ):
        assert step in page
    assert 'data-step="money" data-done="false"' in page
    assert "data-chart=" not in page


def _active_household(member, household, *, extra_transactions: int = 0, budgets: int = 1):
    today = local_today(member)
    account(household, "Checking", opening_balance=Decimal("1000.00"))
    account(household, "Visa", kind="credit_card")
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    txn(household, last_month, "4000.00", "INCOME_WAGES")
    txn(household, last_month, "-900.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, today.replace(day=1), "4000.00", "INCOME_WAGES")
    txn(household, today.replace(day=1), "-350.25", "FOOD_AND_DRINK_GROCERIES", merchant="Corner Market")
    txn(household, today.replace(day=1), "-120.00", "ENTERTAINMENT", account_name="Visa")
    for n in range(extra_transactions):
        txn(household, today.replace(day=1), "-1.00", "ENTERTAINMENT", description=f"extra {n}")
    for n in range(budgets):
        BudgetFactory(
            household=household,
            name=f"Budget {n}",
            amount=Decimal("800.00"),
            categories=[system_category("FOOD_AND_DRINK")],
        )
    goal = GoalFactory(household=household, name="Rainy day", target_amount=Decimal("2000.00"))
    GoalContributionFactory(household=household, goal=goal, amount=Decimal("500.00"), date=today)
    RecurringSeriesFactory(
        household=household,
        merchant="Internet Co",
        amount=Decimal("-60.00"),
        next_amount=Decimal("-60.00"),
        next_date=today + timedelta(days=5),
    )
    points = [
        {"date": (today + timedelta(days=d)).isoformat(), "yhat": str(1500 - d * 20), "lower": "0", "upper": "2000"}
        for d in range(90)
    ]
    BalanceForecastFactory(
        household=household,
        points=points,
        low_balance_threshold=Decimal("500.00"),
        low_points=[p for p in points if Decimal(p["yhat"]) < 500],
    )
    InsightFactory(user=member, title="Spending is 20% above your usual pace")
    return today


def test_an_active_household_sees_its_figures(member_client, member, household):
    _active_household(member, household)

    page = member_client.get("/").content.decode()

    assert "Welcome to fincoach" not in page
    assert "Finish setting up" in page  # MFA is still to do
    assert "$7,629.75" in page  # net worth: 1000 + 8000 − 900 − 350.25 on checking, −120 on the card
    assert "$470.25" in page  # spent this month
    assert "Savings rate 88.2%" in page  # (4000 − 470.25) / 4000
    assert "Corner Market" in page
    assert "Internet Co" in page
    assert "Rainy day" in page and "Budget 0" in page
    assert "Spending is 20% above your usual pace" in page
    assert 'data-source="category-chart"' in page and 'data-source="trend-chart"' in page
    assert 'data-source="sparkline-chart"' in page
    assert "Lowest point:" in page and "below your" in page
    assert "/static/vendor/chart.umd.min.js" in page and "cdn" not in page.lower()


def _count_queries(client, django_assert_num_queries, expected: int) -> None:
    client.get("/")  # fill the cache
    with django_assert_num_queries(expected):
        assert client.get("/").status_code == 200


DASHBOARD_QUERIES = 19


def test_the_dashboard_uses_a_fixed_number_of_queries(member_client, member, household, django_assert_num_queries):
    _active_household(member, household, extra_transactions=0, budgets=1)
    _count_queries(member_client, django_assert_num_queries, DASHBOARD_QUERIES)


def test_the_query_count_does_not_grow_with_the_data(member_client, member, household, django_assert_num_queries):
    _active_household(member, household, extra_transactions=40, budgets=4)
    _count_queries(member_client, django_assert_num_queries, DASHBOARD_QUERIES)


def test_cached_figures_follow_changed_transactions(
    member_client, member, household, django_capture_on_commit_callbacks
):
    today = _active_household(member, household)
    member_client.get("/")

    new = txn(household, today, "-1000.00", "TRAVEL", merchant="Airline")
    assert "Airline" not in member_client.get("/").content.decode()  # cached until someone says it changed

    with django_capture_on_commit_callbacks(execute=True):
        transactions_changed(household.pk, [new.pk], "manual")
    page = member_client.get("/").content.decode()
    assert "Airline" in page
    assert "$1,470.25" in page
