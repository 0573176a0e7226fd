"""Balance forecasts: a regular household is forecast exactly, short histories are refused, outputs are sane."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import numpy as np
import pytest

from ml.forecasting import forecast_balance
from ml.forecasting.history import daily_history
from ml.forecasting.models import cashflow, naive, series_occurrences
from ml.forecasting.quality import forecast_quality
from ml.frames import transactions_frame
from ml.recurring import RecurringSeries


def _regular_household(start: date, end: date) -> list[dict]:
    """Salary 3,000 on the 25th, rent 1,200 on the 1st, phone 40 on the 10th, 15 spent every day."""
    rows, day = [], start
    while day <= end:
        if day.day == 25:
            rows.append({"date": day, "amount": 3000.0, "merchant": "Acme", "category": "INCOME"})
        if day.day == 1:
            rows.append({"date": day, "amount": -1200.0, "merchant": "Landlord", "category": "RENT_AND_UTILITIES"})
        if day.day == 10:
            rows.append({"date": day, "amount": -40.0, "merchant": "Phone Co", "category": "RENT_AND_UTILITIES"})
        rows.append({"date": day, "amount": -15.0, "merchant": "Deli", "category": "FOOD_AND_DRINK"})
        day += timedelta(days=1)
    return rows


def _expected_balance(start_balance: float, after: date, days: int) -> np.ndarray:
    """The regular household's true future balance, day by day."""
    out, balance = [], start_balance
    for i in range(1, days + 1):
        day = after + timedelta(days=i)
        balance += (
            -15.0 + (3000.0 if day.day == 25 else 0) - (1200.0 if day.day == 1 else 0) - (40.0 if day.day == 10 else 0)
        )
        out.append(balance)
    return np.array(out)


def test_a_regular_household_is_forecast_almost_exactly_by_the_cash_flow_model():
    frame = transactions_frame(_regular_household(date(2024, 1, 1), date(2024, 8, 31)))
    result = forecast_balance(frame, 2500.0, horizon=60, prophet="never")
    assert result.status == "ok" and result.model == "cashflow"
    assert set(result.model_maes) == {"naive", "cashflow"}
    assert result.backtest_mae < 1.0 < result.model_maes["naive"]
    predicted = np.array([p.yhat for p in result.points])
    assert np.abs(predicted - _expected_balance(2500.0, date(2024, 8, 31), 60)).max() < 1.0
    assert [p.date for p in result.points][:2] == [date(2024, 9, 1), date(2024, 9, 2)]
    assert all(p.lower <= p.yhat <= p.upper for p in result.points)


def test_low_balance_dates_are_those_below_the_threshold():
    frame = transactions_frame(_regular_household(date(2024, 1, 1), date(2024, 8, 31)))
    result = forecast_balance(frame, 300.0, horizon=30, low_balance_threshold=0.0, prophet="never")
    expected = _expected_balance(300.0, date(2024, 8, 31), 30)
    below = [date(2024, 8, 31) + timedelta(days=i + 1) for i, v in enumerate(expected) if v < 0]
    assert below and list(result.low_balance_dates) == below
    as_dict = result.as_dict()
    assert as_dict["model"] == "cashflow" and as_dict["points"][0]["date"] == "2024-09-01"
    assert [p["date"] for p in as_dict["low_points"]] == [d.isoformat() for d in below]
    assert all(isinstance(p["yhat"], str) and p["yhat"].count(".") == 1 for p in as_dict["points"])


def test_prophet_is_scored_when_asked_and_chosen_only_if_better():
    frame = transactions_frame(_regular_household(date(2024, 1, 1), date(2024, 8, 31)))
    result = forecast_balance(frame, 2500.0, horizon=30, prophet="always")
    assert set(result.model_maes) == {"naive", "cashflow", "prophet"}
    assert result.model == "cashflow" and result.model_maes["prophet"] > result.model_maes["cashflow"]


@pytest.mark.parametrize("days", [0, 45, 100])
def test_short_histories_get_an_honest_not_enough_data(days):
    rows = _regular_household(date(2024, 1, 1), date(2024, 1, 1) + timedelta(days=days)) if days else []
    result = forecast_balance(transactions_frame(rows), 100.0, as_of=date(2024, 5, 1) if not days else None)
    assert result.status == "insufficient_data" and not result.enough_data
    assert result.points == () and result.model is None
    assert "days" in result.reason or result.reason == "no transactions"


def test_naive_is_flat_and_history_rebuilds_balances_backwards():
    frame = transactions_frame(_regular_household(date(2024, 1, 1), date(2024, 5, 31)))
    history = daily_history(frame, 1000.0, date(2024, 5, 31))
    assert history.balance[-1] == 1000.0
    assert history.balance[-2] == pytest.approx(1000.0 + 15.0)  # 31 May: only the deli
    assert np.all(naive(history, 5) == 1000.0)
    monthly = calendar.monthrange(2024, 6)[1]
    assert len(cashflow(history, monthly)) == monthly


def test_invalid_arguments_are_rejected():
    frame = transactions_frame(_regular_household(date(2024, 1, 1), date(2024, 8, 31)))
    with pytest.raises(ValueError, match="horizon"):
        forecast_balance(frame, 0.0, horizon=0)
    with pytest.raises(ValueError, match="prophet policy"):
        forecast_balance(frame, 0.0, prophet="sometimes")


def test_chosen_forecast_beats_naive_on_synthetic_households():
    quality = forecast_quality(n_households=3, seed=0)
    assert quality["households"] == 3
    assert quality["mae"]["chosen"] < quality["mae"]["naive"]


def _series(cadence: str, next_date: date) -> RecurringSeries:
    return RecurringSeries(
        "Gym", cadence, "-30.00", next_date, next_date, "-30.00", "active", 1.0, (1,), False, False, 1, None
    )


def test_projected_dates_keep_month_ends_and_charge_an_overdue_payment_once():
    month_end = series_occurrences(_series("monthly", date(2024, 2, 29)), date(2024, 2, 10), date(2024, 6, 5))
    assert month_end == [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 31)]
    overdue = series_occurrences(_series("weekly", date(2024, 1, 8)), date(2024, 1, 18), date(2024, 2, 5))
    assert overdue == [date(2024, 1, 19), date(2024, 1, 22), date(2024, 1, 29), date(2024, 2, 5)]
