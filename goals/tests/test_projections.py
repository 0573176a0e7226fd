"""Projection maths against hand-computed cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from goals.projections import monthly_pace, months_until, project, projected_completion, required_monthly

D = Decimal


def test_months_until_counts_whole_months():
    assert months_until(date(2026, 1, 15), date(2026, 7, 15)) == 6
    assert months_until(date(2026, 1, 15), date(2026, 7, 14)) == 5
    assert months_until(date(2026, 1, 31), date(2026, 2, 28)) == 1  # month-end to month-end
    assert months_until(date(2024, 1, 31), date(2024, 2, 28)) == 0  # Feb 29 exists in 2024
    assert months_until(date(2026, 3, 1), date(2026, 2, 1)) == 0


def test_required_monthly_contribution():
    # 6,000 to go, six months to go → 1,000 a month
    assert required_monthly(D("6000"), date(2026, 1, 15), date(2026, 7, 15)) == D("1000.00")
    # 1,000 over 3 months → 333.34 (rounded up so the target is met)
    assert required_monthly(D("1000"), date(2026, 1, 15), date(2026, 4, 20)) == D("333.34")
    # due within a month: everything now
    assert required_monthly(D("250"), date(2026, 1, 15), date(2026, 2, 1)) == D("250")
    assert required_monthly(D("250"), date(2026, 1, 15), None) is None
    assert required_monthly(D("0"), date(2026, 1, 15), date(2026, 2, 1)) == D("0")


def test_monthly_pace_over_the_last_three_months():
    today = date(2026, 4, 10)
    moves = [
        (date(2025, 12, 20), D("999")),  # before the window
        (date(2026, 1, 10), D("300")),  # the window starts on January 10th
        (date(2026, 2, 10), D("300")),
        (date(2026, 3, 10), D("300")),
        (date(2026, 4, 1), D("-50")),  # a withdrawal
    ]
    # 850 over 90 days = 90 / 30.436875 = 2.957 months → 287.46 a month
    assert monthly_pace(moves, today, since=date(2025, 1, 1)) == D("287.46")


def test_a_young_goal_counts_at_least_one_month():
    today = date(2026, 4, 10)
    assert monthly_pace([(date(2026, 4, 5), D("500"))], today, since=date(2026, 4, 1)) == D("500.00")


def test_projected_completion_date():
    today = date(2026, 1, 31)
    assert projected_completion(D("1000"), D("300"), today) == date(2026, 5, 31)  # 4 months (3.33 rounded up)
    assert projected_completion(D("1000"), D("0"), today) is None
    assert projected_completion(D("0"), D("0"), today) == today


def test_on_track_and_behind():
    moves = [(date(2026, 1, 1), D("300")), (date(2026, 2, 1), D("300")), (date(2026, 3, 1), D("300"))]
    today = date(2026, 3, 15)
    # pace: 900 since Jan 1 (73 days → 2.3984 months) → 375.25/month; 1,500 to go → 4 months → July 15
    on_track = project(
        remaining=D("1500"), target_date=date(2026, 8, 1), movements=moves, today=today, since=date(2026, 1, 1)
    )
    assert (on_track.pace, on_track.projected_date, on_track.status) == (D("375.25"), date(2026, 7, 15), "on_track")
    behind = project(
        remaining=D("1500"), target_date=date(2026, 6, 1), movements=moves, today=today, since=date(2026, 1, 1)
    )
    assert behind.status == "behind"
    assert behind.required_monthly == D("750.00")  # 1,500 over the 2 whole months to June 1st
    assert behind.shortfall_per_month == D("374.75")
    no_deadline = project(remaining=D("10"), target_date=None, movements=[], today=today, since=today)
    assert no_deadline.status == "no_deadline"
    done = project(remaining=D("-5"), target_date=None, movements=[], today=today, since=today)
    assert (done.status, done.remaining) == ("done", D("0"))
