"""Balance forecasts: a regular household is forecast exactly, short histories are refused, outputs are sane."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import numpy as np
import pytest

from ml.forecasting import SeriesMarks, forecast_balance
from ml.forecasting.history import daily_history, for_account, shared_series
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


def test_a_twice_monthly_series_is_projected_on_both_of_its_days():
    salary = RecurringSeries(
        "Acme", "semimonthly", "2000.00", date(2024, 3, 1), date(2024, 3, 15), "2000.00", "active", 1.0, (1,),
        True, False, 1, None, anchor_days=(1, 15),
    )  # fmt: skip
    assert series_occurrences(salary, date(2024, 3, 10), date(2024, 5, 1)) == [
        date(2024, 3, 15), date(2024, 4, 1), date(2024, 4, 15), date(2024, 5, 1),
    ]  # fmt: skip
    overdue = series_occurrences(salary, date(2024, 3, 16), date(2024, 4, 16))
    assert overdue == [date(2024, 3, 17), date(2024, 4, 1), date(2024, 4, 15)]


def _with_gym(start: date, end: date) -> list[dict]:
    """The regular household plus a 50 gym fee on the 5th."""
    gym = [
        {"date": d, "amount": -50.0, "merchant": "Gym", "category": "PERSONAL_CARE"}
        for d in (start + timedelta(days=i) for i in range((end - start).days + 1))
        if d.day == 5
    ]
    return _regular_household(start, end) + gym


def test_series_the_user_cancelled_or_rejected_are_not_projected():
    frame = transactions_frame(_with_gym(date(2024, 1, 1), date(2024, 8, 31)))
    gym = ("Gym", "monthly", False)
    plain = forecast_balance(frame, 2500.0, horizon=30, prophet="never")
    cancelled = forecast_balance(
        frame, 2500.0, horizon=30, prophet="never", marks=SeriesMarks(cancelled={gym: date(2024, 8, 5)})
    )
    rejected = forecast_balance(frame, 2500.0, horizon=30, prophet="never", marks=SeriesMarks(not_recurring={gym}))

    def on(result, day):
        return next(p.yhat for p in result.points if p.date == day)

    # The gym fee of 5 September is expected unless cancelled; cancelled, nothing replaces it.
    assert on(plain, date(2024, 9, 5)) - on(plain, date(2024, 9, 4)) == pytest.approx(-15.0 - 50.0, abs=0.5)
    assert on(cancelled, date(2024, 9, 30)) - on(plain, date(2024, 9, 30)) == pytest.approx(50.0, abs=0.5)
    # "Not recurring": no charge on the 5th, but its money is spread over the ordinary daily spending.
    assert on(rejected, date(2024, 9, 5)) - on(rejected, date(2024, 9, 4)) > -30.0
    assert abs(on(rejected, date(2024, 9, 30)) - on(plain, date(2024, 9, 30))) < 25.0
    # The cancelled gym was still charging at the backtest origins: the backtest is as good as without the mark.
    assert cancelled.model_maes["cashflow"] == pytest.approx(plain.model_maes["cashflow"])


def _detections(monkeypatch) -> list[tuple[date, date]]:
    """Records (as of, last transaction handed over) for every series detection the forecaster runs."""
    from ml.forecasting import history

    seen = []
    original = history.detect_in_validated

    def spy(data, as_of=None, **options):
        seen.append((as_of, data["date"].max().date()))
        return original(data, as_of, **options)

    monkeypatch.setattr(history, "detect_in_validated", spy)
    return seen


def test_backtests_only_see_the_history_before_each_origin(monkeypatch):
    seen = _detections(monkeypatch)
    forecast_balance(transactions_frame(_regular_household(date(2024, 1, 1), date(2024, 8, 31))), 0.0, prophet="never")
    assert len(seen) == 4  # three origins and the forecast itself
    assert all(last <= origin for origin, last in seen)
    assert sorted(origin for origin, _ in seen) == [
        date(2024, 6, 2),
        date(2024, 7, 2),
        date(2024, 8, 1),
        date(2024, 8, 31),
    ]


def test_a_household_and_its_account_share_one_detection_per_origin(monkeypatch):
    rows = [{**row, "account_id": 1} for row in _regular_household(date(2024, 1, 1), date(2024, 8, 31))]
    rows += [{"date": date(2024, 1, 1) + timedelta(days=7 * i), "amount": -60.0, "merchant": "Cleaner", "account_id": 2}
             for i in range(35)]  # fmt: skip
    frame = transactions_frame(rows)
    seen = _detections(monkeypatch)
    source = shared_series(frame)
    checking = forecast_balance(frame[frame["account_id"] == 1], 0.0, series_source=for_account(source, 1))
    total = forecast_balance(frame, 0.0, series_source=source)
    assert len(seen) == 4  # not 8: the account's backtest reuses the household's detections
    alone = forecast_balance(frame[frame["account_id"] == 1], 0.0)
    assert [p.yhat for p in checking.points] == [p.yhat for p in alone.points]  # the cleaner is paid from account 2
    assert total.points[-1].yhat < checking.points[-1].yhat
