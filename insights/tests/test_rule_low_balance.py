from datetime import date, timedelta
from decimal import Decimal

import pytest

from insights.rules import low_balance
from ml.tests.factories import BalanceForecastFactory

from .coach_factories import account

pytestmark = pytest.mark.django_db


def _forecast(household, *, start: date, balances: list[str], threshold="200.00", account_obj=None, **extra):
    points = [
        {"date": (start + timedelta(days=i)).isoformat(), "yhat": b, "lower": b, "upper": b}
        for i, b in enumerate(balances)
    ]
    lows = [{"date": p["date"], "yhat": p["yhat"]} for p in points if Decimal(p["yhat"]) < Decimal(threshold)]
    return BalanceForecastFactory(
        household=household,
        account=account_obj,
        points=points,
        low_points=lows,
        low_balance_threshold=Decimal(threshold),
        **extra,
    )


def test_balance_dipping_below_the_cushion_gives_the_date_and_amount(household, make_ctx, today):
    _forecast(household, start=today, balances=["900.00", "450.00", "150.00", "120.00", "600.00"])

    [candidate] = low_balance.evaluate(make_ctx())

    assert candidate.kind == "low_balance"
    assert candidate.is_alert
    assert candidate.priority == 30  # high, not critical: it stays above zero
    assert candidate.title == "Low balance ahead on Mar 20"
    assert "below your $200.00 cushion on Mar 20, down to $120.00 on Mar 21" in candidate.message
    assert candidate.data["lowest_amount"] == "120.00"
    assert candidate.data["lowest_date"] == "2026-03-21"
    assert candidate.dedupe_key == "low_balance:household:low"


def test_balance_going_negative_is_critical(household, make_ctx, today):
    checking = account(household, "Everyday")
    _forecast(household, start=today, balances=["300.00", "-80.50", "-20.00"], account_obj=checking)

    [candidate] = low_balance.evaluate(make_ctx())

    assert candidate.priority == 40
    assert candidate.title == "Balance may go negative by Mar 19"
    assert candidate.message.startswith("Everyday is forecast to dip below $200.00 on Mar 19 and reach -$80.50")
    assert candidate.dedupe_key == f"low_balance:{checking.pk}:critical"


def test_a_healthy_forecast_gives_nothing(household, make_ctx, today):
    _forecast(household, start=today, balances=["900.00", "850.00", "700.00"])
    assert low_balance.evaluate(make_ctx()) == []


def test_lows_beyond_a_month_or_in_stale_forecasts_are_ignored(household, make_ctx, today):
    _forecast(household, start=today + timedelta(days=45), balances=["50.00"])
    _forecast(household, start=today, balances=["-500.00"], is_current=False)
    _forecast(household, start=today, balances=["-500.00"], enough_data=False)
    assert low_balance.evaluate(make_ctx()) == []


def test_account_forecasts_win_over_the_household_one_and_credit_cards_are_skipped(household, make_ctx, today):
    _forecast(household, start=today, balances=["100.00"])  # household-level
    card = account(household, "Visa", kind="credit_card")
    _forecast(household, start=today, balances=["-900.00"], account_obj=card)
    checking = account(household, "Checking")
    _forecast(household, start=today, balances=["150.00"], account_obj=checking)

    candidates = low_balance.evaluate(make_ctx())

    assert [c.data["account"] for c in candidates] == ["Checking"]
