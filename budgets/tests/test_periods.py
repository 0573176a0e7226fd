"""Period boundaries worked out by hand: month ends, leap years, week starts, custom month starts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.periods import CUSTOM, MONTHLY, WEEKLY, YEARLY, Cadence, Period, add_months, prorated_amount


def monthly(start_day: int = 1) -> Cadence:
    return Cadence(MONTHLY, month_start_day=start_day)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), Period(date(2026, 1, 1), date(2026, 1, 31))),
        (date(2026, 1, 31), Period(date(2026, 1, 1), date(2026, 1, 31))),
        (date(2026, 2, 28), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (date(2024, 2, 29), Period(date(2024, 2, 1), date(2024, 2, 29))),
        (date(2025, 12, 31), Period(date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_calendar_months_end_on_their_last_day(day, expected):
    assert monthly().period_containing(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 25th → 24th: the 24th still belongs to the month that began on the 25th before it
        (date(2026, 3, 24), Period(date(2026, 2, 25), date(2026, 3, 24))),
        (date(2026, 3, 25), Period(date(2026, 3, 25), date(2026, 4, 24))),
        # across the year end
        (date(2026, 1, 10), Period(date(2025, 12, 25), date(2026, 1, 24))),
        (date(2025, 12, 25), Period(date(2025, 12, 25), date(2026, 1, 24))),
    ],
)
def test_a_month_starting_on_the_25th_runs_to_the_24th(day, expected):
    assert monthly(25).period_containing(day) == expected


def test_a_start_day_past_the_months_end_starts_on_its_last_day():
    # The 31st: February's budget month begins on the 28th (29th in a leap year) and runs to March 30th.
    assert monthly(31).period_containing(date(2025, 3, 1)) == Period(date(2025, 2, 28), date(2025, 3, 30))
    assert monthly(31).period_containing(date(2024, 3, 1)) == Period(date(2024, 2, 29), date(2024, 3, 30))
    assert monthly(31).period_containing(date(2024, 3, 31)) == Period(date(2024, 3, 31), date(2024, 4, 29))
    assert monthly(30).period_containing(date(2024, 2, 29)) == Period(date(2024, 2, 29), date(2024, 3, 29))
    assert monthly(30).period_containing(date(2023, 2, 28)).days == 30  # Feb 28 .. Mar 29


def test_leap_years_have_longer_februaries_and_years():
    assert monthly().period_containing(date(2024, 2, 10)).days == 29
    assert monthly().period_containing(date(2023, 2, 10)).days == 28
    assert Cadence(YEARLY).period_containing(date(2024, 7, 1)) == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert Cadence(YEARLY).period_containing(date(2024, 7, 1)).days == 366
    assert Cadence(YEARLY).period_containing(date(2025, 7, 1)).days == 365


@pytest.mark.parametrize(
    ("week_start", "expected_start"),
    [
        (0, date(2026, 3, 16)),  # Monday-start week containing Thursday 19 March 2026
        (6, date(2026, 3, 15)),  # Sunday
        (5, date(2026, 3, 14)),  # Saturday
    ],
)
def test_weeks_begin_on_the_chosen_weekday(week_start, expected_start):
    period = Cadence(WEEKLY, week_start=week_start).period_containing(date(2026, 3, 19))
    assert period.start == expected_start
    assert period.days == 7


def test_the_first_day_of_a_week_starts_a_new_one():
    sunday_weeks = Cadence(WEEKLY, week_start=6)
    assert sunday_weeks.period_containing(date(2026, 3, 22)).start == date(2026, 3, 22)  # a Sunday
    assert sunday_weeks.period_containing(date(2026, 3, 21)).end == date(2026, 3, 21)  # the Saturday before


def test_following_and_preceding_periods_tile_without_gaps():
    cadence = monthly(25)
    period = cadence.period_containing(date(2024, 1, 30))
    for _ in range(30):
        following = cadence.following(period)
        assert (following.start - period.end).days == 1
        assert cadence.preceding(following) == period
        period = following


def test_periods_between_lists_every_period_touching_the_range():
    found = list(Cadence(WEEKLY, week_start=0).periods_between(date(2026, 3, 4), date(2026, 3, 16)))
    assert [p.start for p in found] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


def test_a_custom_range_is_its_only_period():
    custom = Cadence(CUSTOM, custom=Period(date(2026, 6, 10), date(2026, 8, 20)))
    assert custom.period_containing(date(2026, 7, 1)) == Period(date(2026, 6, 10), date(2026, 8, 20))
    assert custom.following(custom.custom) is None
    assert list(custom.periods_between(date(2026, 6, 1), date(2026, 12, 1))) == [custom.custom]


def test_days_left_counts_today():
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert march.days_left(date(2026, 3, 1)) == 31
    assert march.days_left(date(2026, 3, 31)) == 1
    assert march.days_left(date(2026, 4, 1)) == 0
    assert march.days_left(date(2026, 2, 1)) == 31
    assert march.days_elapsed(date(2026, 3, 10)) == 10


def test_invalid_cadences_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="month_start_day"):
        Cadence(MONTHLY, month_start_day=32)
    with pytest.raises(ValueError, match="week_start"):
        Cadence(WEEKLY, week_start=7)
    with pytest.raises(ValueError, match="custom"):
        Cadence(CUSTOM)
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 3, 2), date(2026, 3, 1))


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)


def test_prorating_a_weekly_amount_over_a_month():
    # 70 a week is 10 a day: March has 31 days → 310.
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert prorated_amount(Decimal("70"), Cadence(WEEKLY), march) == Decimal("310.00")
    # A monthly budget with the same month is exactly its amount; one starting on the 16th is half of each month.
    assert prorated_amount(Decimal("500"), monthly(), march) == Decimal("500.00")
    # A budget started on March 11 covers 21 of March's 31 days.
    assert prorated_amount(Decimal("310"), monthly(), march, since=date(2026, 3, 11)) == Decimal("210.00")
    assert prorated_amount(Decimal("310"), monthly(), march, since=date(2026, 4, 1)) == Decimal("0")
