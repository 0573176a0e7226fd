"""Debt payoff maths against hand-computed schedules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals.debts import Debt, PayoffNeverEnds, compare_strategies, payoff_schedule, schedule_totals, simulate_strategy

D = Decimal


def test_a_single_debt_schedule_by_hand():
    # 1,000 at 12% APR (1% a month), 100 a month. Interest is added, then the payment taken off:
    # 10.00, 9.10, 8.19, 7.27, 6.35, 5.41, 4.46, 3.51, 2.54, 1.57, 0.58 → 58.98 of interest over 11 months.
    rows = payoff_schedule(D("1000.00"), D("12"), D("100.00"))

    assert [r.interest for r in rows] == [
        D(v) for v in ("10.00", "9.10", "8.19", "7.27", "6.35", "5.41", "4.46", "3.51", "2.54", "1.57", "0.58")
    ]
    assert rows[0].balance == D("910.00")
    assert rows[1].balance == D("819.10")
    assert rows[-1].payment == D("58.98")
    assert rows[-1].balance == D("0.00")
    assert schedule_totals(rows) == schedule_totals(rows)  # frozen and comparable
    totals = schedule_totals(rows)
    assert (totals.months, totals.total_interest, totals.total_paid) == (11, D("58.98"), D("1058.98"))


def test_zero_interest_is_simple_division():
    totals = schedule_totals(payoff_schedule(D("1000"), D("0"), D("300")))
    assert (totals.months, totals.total_interest, totals.total_paid) == (4, D("0"), D("1000"))


def test_a_payment_below_the_interest_never_ends():
    # 10,000 at 24% adds 200 a month: 150 never catches up
    with pytest.raises(PayoffNeverEnds, match=r"does not cover the 200\.00 of interest"):
        payoff_schedule(D("10000"), D("24"), D("150"))
    with pytest.raises(PayoffNeverEnds):
        payoff_schedule(D("10000"), D("24"), D("0"))


CARD = Debt("Card", D("500.00"), D("24"), D("25.00"))  # 2% a month
FRIEND = Debt("Loan from a friend", D("200.00"), D("0"), D("25.00"))


def test_avalanche_by_hand():
    # 100 a month: both minimums (50) and 50 extra, the extra to the card (highest rate).
    # Card interest: 10.00, 8.70, 7.37, 6.02, 4.64, 3.23, 1.80, 0.34 → 42.10; both cleared in month 8.
    result = simulate_strategy([CARD, FRIEND], D("50"), "avalanche")

    assert (result.months, result.total_interest) == (8, D("42.10"))
    assert result.payoff_month == {"Card": 8, "Loan from a friend": 8}
    assert result.total_paid == D("742.10")


def test_snowball_by_hand():
    # The extra goes to the friend's loan (smallest balance) first: cleared in month 3, when its 25 and the
    # leftover extra move to the card. Card interest: 10.00, 9.70, 9.39, 8.58, 6.75, 4.89, 2.99, 1.05 → 53.35.
    result = simulate_strategy([CARD, FRIEND], D("50"), "snowball")

    assert (result.months, result.total_interest) == (8, D("53.35"))
    assert result.payoff_month == {"Loan from a friend": 3, "Card": 8}
    assert result.order == ["Loan from a friend", "Card"]


def test_comparison_runs_both_with_the_same_money():
    results = compare_strategies([CARD, FRIEND], D("50"))
    assert set(results) == {"avalanche", "snowball"}
    assert results["snowball"].total_interest - results["avalanche"].total_interest == D("11.25")


def test_strategies_refuse_impossible_plans():
    huge = Debt("Huge", D("100000"), D("30"), D("10"))
    with pytest.raises(PayoffNeverEnds):
        simulate_strategy([huge, FRIEND], D("0"), "avalanche")
    with pytest.raises(ValueError, match="unknown strategy"):
        simulate_strategy([CARD], D("0"), "tsunami")
    with pytest.raises(ValueError, match="distinct name"):
        compare_strategies([CARD, CARD], D("0"))
