"""Synthetic households: deterministic, realistic shapes, ground truth that matches the transactions."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from ml.synthetic import ARCHETYPES, generate_household, generate_population
from transactions.taxonomy import BY_CODE


@pytest.fixture(scope="module")
def household():
    return generate_household(11, months=6)


def test_same_seed_same_household_and_descriptors_do_not_change_it(household):
    again = generate_household(11, months=6)
    plain = generate_household(11, months=6, descriptors=False)
    assert again.as_dicts() == household.as_dicts()
    assert [(t.date, t.amount, t.merchant) for t in plain.transactions] == [
        (t.date, t.amount, t.merchant) for t in household.transactions
    ]
    assert generate_household(12, months=6).as_dicts() != household.as_dicts()


def test_transactions_look_like_a_statement(household):
    assert household.start == date(2024, 1, 1) and household.end == date(2024, 6, 30)
    for t in household.transactions:
        assert household.start <= t.date <= household.end
        assert Decimal(t.amount).as_tuple().exponent == -2
        assert t.category in BY_CODE and t.account_kind in ("checking", "savings", "credit_card")
        assert t.hour is None or 0 <= t.hour <= 23
        assert t.description and t.merchant
    primaries = Counter(BY_CODE[t.category].primary for t in household.transactions)
    assert primaries["INCOME"] >= 6 and primaries["FOOD_AND_DRINK"] > 50 and primaries["RENT_AND_UTILITIES"] >= 6


def test_truth_series_match_their_transactions(household):
    by_key = Counter(t.series for t in household.transactions if t.series)
    truth = {s.key: s for s in household.truth_series}
    assert "salary" in truth and truth["salary"].is_income
    for key, series in truth.items():
        assert by_key[key] == series.occurrences
    subscriptions = [s for s in truth.values() if s.is_subscription]
    assert subscriptions and all(not s.is_income for s in subscriptions)


def test_injected_anomalies_are_flagged_in_the_ground_truth():
    assert sum(t.is_anomaly for t in generate_household(3, months=8, anomalies=4).transactions) == 4
    assert not any(t.is_anomaly for t in generate_household(3, months=8, anomalies=0).transactions)


def test_frame_and_balances_agree(household):
    frame = household.frame(("checking",))
    assert set(frame["account_id"]) == {1}
    checking = [t for t in household.transactions if t.account_kind == "checking"]
    expected = Decimal(household.opening_balances["checking"]) + sum(Decimal(t.amount) for t in checking)
    assert household.balance("checking", household.end) == expected
    assert frame["amount"].sum() == pytest.approx(float(expected - Decimal(household.opening_balances["checking"])))


def test_every_archetype_generates_and_bad_arguments_fail():
    assert {
        generate_household(1, months=2, archetype=a, descriptors=False).profile.archetype for a in ARCHETYPES
    } == set(ARCHETYPES)
    assert len(generate_population(3, seed=1, months=2, descriptors=False)) == 3
    with pytest.raises(ValueError, match="unknown archetype"):
        generate_household(1, archetype="gambler")
    with pytest.raises(ValueError, match="months"):
        generate_household(1, months=0)
