"""Recurring series with known answers: cadences, jitter, drift, price changes, cancellation, income."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta

from ml.frames import transactions_frame
from ml.recurring import detect_recurring, recurring_quality


def _monthly(start: date, count: int, day: int) -> list[date]:
    out = []
    for i in range(count):
        month0 = start.month - 1 + i
        year, month = start.year + month0 // 12, month0 % 12 + 1
        out.append(date(year, month, min(day, calendar.monthrange(year, month)[1])))
    return out


def _rows(merchant: str, dates: list[date], amounts: list[float], category: str | None = None) -> list[dict]:
    return [
        {"date": d, "amount": a, "merchant": merchant, "description": merchant.upper(), "category": category}
        for d, a in zip(dates, amounts, strict=True)
    ]


def _frame(*groups: list[dict]):
    rows = [row for group in groups for row in group]
    return transactions_frame([{**row, "txn_id": i + 1} for i, row in enumerate(rows)])


def test_monthly_subscription_with_jitter_and_a_price_increase():
    rng = random.Random(0)
    dates = [d + timedelta(days=rng.choice((-1, 0, 0, 1))) for d in _monthly(date(2024, 1, 15), 10, 15)]
    amounts = [-15.49] * 6 + [-17.99] * 4
    [series] = detect_recurring(_frame(_rows("Netflix", dates, amounts, "ENTERTAINMENT")), date(2024, 10, 20))
    assert (series.merchant, series.cadence, series.status) == ("Netflix", "monthly", "active")
    assert series.typical_amount == "-17.99" and series.next_amount == "-17.99"
    assert [(c.date, c.old, c.new) for c in series.price_changes] == [(dates[6], "-15.49", "-17.99")]
    assert series.is_subscription and not series.is_income
    assert series.next_date == date(2024, 11, 15)
    assert series.txn_ids == tuple(range(1, 11))


def test_biweekly_salary_is_income_and_weekly_and_quarterly_are_found():
    salary = _rows(
        "Acme Corp",
        [date(2024, 1, 5) + timedelta(days=14 * i) for i in range(16)],
        [2400.0 + i for i in range(16)],
        "INCOME",
    )
    cleaner = _rows("Maria Cleaning", [date(2024, 1, 2) + timedelta(days=7 * i) for i in range(30)], [-60.0] * 30)
    water = _rows("City Water", _monthly(date(2023, 10, 20), 4 * 3, 20)[::3], [-91.0, -88.5, -95.2, -90.1])
    found = {s.merchant: s for s in detect_recurring(_frame(salary, cleaner, water), date(2024, 8, 1))}
    assert found["Acme Corp"].cadence == "biweekly" and found["Acme Corp"].is_income
    assert found["Acme Corp"].next_date == date(2024, 8, 2) and found["Acme Corp"].status == "active"
    assert found["Maria Cleaning"].cadence == "weekly"
    assert found["City Water"].cadence == "quarterly" and found["City Water"].next_date == date(2024, 10, 20)


def test_three_charges_make_a_series_only_at_one_exact_price():
    exact = _rows("Storage Co", _monthly(date(2024, 1, 7), 3, 7), [-45.0] * 3)
    varying = _rows("Corner Garage", _monthly(date(2024, 1, 9), 3, 9), [-45.0, -61.0, -38.0])
    assert [s.merchant for s in detect_recurring(_frame(exact, varying), date(2024, 3, 20))] == ["Storage Co"]


def test_utility_bill_with_varying_amounts_is_recurring_but_not_a_subscription():
    amounts = [-142.0, -131.0, -118.0, -96.0, -84.0, -88.0, -99.0, -121.0, -139.0]
    [series] = detect_recurring(_frame(_rows("PG&E", _monthly(date(2024, 1, 9), 9, 9), amounts, "RENT_AND_UTILITIES")))
    assert series.cadence == "monthly" and not series.is_subscription and series.price_changes == ()


def test_yearly_plan_needs_only_two_identical_charges():
    [series] = detect_recurring(
        _frame(_rows("Amazon Prime", [date(2023, 3, 4), date(2024, 3, 4)], [-139.0, -139.0], "GENERAL_MERCHANDISE")),
        date(2024, 6, 1),
    )
    assert series.cadence == "yearly" and series.next_date == date(2025, 3, 4)


def test_stopped_subscription_is_possibly_cancelled_after_a_missed_cycle():
    dates = _monthly(date(2024, 1, 3), 5, 3)
    frame = _frame(_rows("Spotify", dates, [-10.99] * 5, "ENTERTAINMENT"))
    assert detect_recurring(frame, date(2024, 6, 5))[0].status == "active"  # June's charge is not late yet
    late = detect_recurring(frame, date(2024, 7, 1))[0]
    assert late.status == "possibly_cancelled" and late.missed_cycles == 1


def test_a_subscription_is_picked_out_of_random_purchases_at_the_same_merchant():
    rng = random.Random(3)
    purchases = _rows(
        "Amazon",
        [date(2024, 1, 1) + timedelta(days=rng.randint(0, 300)) for _ in range(40)],
        [-round(rng.uniform(8, 120), 2) for _ in range(40)],
        "GENERAL_MERCHANDISE",
    )
    prime = _rows("Amazon", _monthly(date(2024, 1, 11), 10, 11), [-14.99] * 10, "GENERAL_MERCHANDISE")
    [series] = detect_recurring(_frame(purchases, prime), date(2024, 10, 20))
    assert series.cadence == "monthly" and series.typical_amount == "-14.99" and series.occurrences == 10


def test_irregular_spending_and_tiny_histories_are_not_series():
    rng = random.Random(9)
    coffee = _rows(
        "Corner Cafe",
        [date(2024, 1, 1) + timedelta(days=rng.randint(0, 120)) for _ in range(50)],
        [-round(rng.uniform(3, 7), 2) for _ in range(50)],
        "FOOD_AND_DRINK",
    )
    twice = _rows("Gym", [date(2024, 1, 5), date(2024, 2, 5)], [-30.0, -30.0])
    assert detect_recurring(_frame(coffee, twice)) == []
    assert detect_recurring(transactions_frame([])) == []


def test_quality_on_generated_households():
    quality = recurring_quality(n_households=3, seed=0, months=12)
    assert quality["true_series"] > 30
    assert quality["precision"] >= 0.95 and quality["recall"] >= 0.9
    assert quality["cadence_accuracy"] == 1.0


def _payday(day: date) -> date:
    """The Friday before a weekend day, as payrolls pay."""
    return day - timedelta(days=day.weekday() - 4) if day.weekday() >= 5 else day


def test_semimonthly_salary_on_the_1st_and_15th_is_twice_a_month_not_every_other_week():
    dates = [_payday(d) for month in _monthly(date(2024, 1, 1), 8, 1) for d in (month, month.replace(day=15))]
    salary = _rows("Acme Corp", dates, [2100.0 + i for i in range(len(dates))], "INCOME")
    [series] = detect_recurring(_frame(salary), date(2024, 8, 20))
    assert (series.cadence, series.is_income, series.status) == ("semimonthly", True, "active")
    assert series.last_date == date(2024, 8, 15) and series.next_date == date(2024, 9, 1)
    assert sorted(series.anchor_days) == [1, 15] and series.occurrences == 16


def test_semimonthly_on_the_15th_and_the_last_day_expects_the_month_end_next():
    dates = [
        d for month in _monthly(date(2024, 1, 1), 6, 1) for d in (month.replace(day=15), _monthly(month, 1, 31)[0])
    ]
    [series] = detect_recurring(_frame(_rows("Rent Share", dates, [-600.0] * len(dates))), date(2024, 7, 1))
    assert series.cadence == "semimonthly" and series.next_date == date(2024, 7, 15)
    [earlier] = detect_recurring(_frame(_rows("Rent Share", dates[:-1], [-600.0] * 11)), date(2024, 6, 20))
    assert earlier.next_date == date(2024, 6, 30)  # June's last day


def test_every_other_friday_stays_biweekly_beside_twice_a_month():
    biweekly = [date(2024, 1, 5) + timedelta(days=14 * i) for i in range(18)]
    [series] = detect_recurring(_frame(_rows("Acme Corp", biweekly, [2400.0] * 18, "INCOME")), date(2024, 9, 10))
    assert series.cadence == "biweekly" and series.anchor_days == ()


def test_generated_semimonthly_salaries_are_found():
    quality = recurring_quality(n_households=12, seed=3, months=12)
    found = quality["recall_by_cadence"]["semimonthly"]
    assert found["true"] >= 1 and found["recall"] == 1.0


def test_a_rent_paid_around_the_turn_of_the_month_is_next_due_on_the_1st():
    dates = [
        d + timedelta(days=shift)
        for d, shift in zip(_monthly(date(2024, 1, 1), 8, 1), [0, -1, 0, -2, 0, 1, -1, -1], strict=True)
    ]
    [series] = detect_recurring(_frame(_rows("Bayview Properties", dates, [-1670.0] * 8)), date(2024, 8, 5))
    assert series.cadence == "monthly" and series.next_date == date(2024, 9, 1)
