"""Anomalies with known answers: spikes, duplicates, night-time charges, dismissed patterns, small histories."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from ml.anomalies import anomaly_quality, detect_anomalies
from ml.frames import transactions_frame
from ml.synthetic import generate_household


def _history(months: int = 12) -> pd.DataFrame:
    household = generate_household(7, months=months, descriptors=False, anomalies=0)  # a bank that gives times
    return household.frame()


def _with(frame: pd.DataFrame, *rows: dict) -> tuple[pd.DataFrame, list[int]]:
    """Append rows (new txn ids) to a contract frame; returns the frame and the new ids."""
    start = int(frame["txn_id"].max()) + 1
    extra = pd.DataFrame(
        [{"txn_id": start + i, "description": "", "account_id": 1, "hour": None, **row} for i, row in enumerate(rows)]
    )
    combined = pd.concat([frame, extra], ignore_index=True)
    return transactions_frame(combined.to_dict("records")), list(range(start, start + len(rows)))


def _usual_merchant(frame: pd.DataFrame) -> tuple[str, float, str]:
    spend = frame[(frame["amount"] < 0) & (frame["category"] == "FOOD_AND_DRINK")]
    merchant = spend["merchant"].value_counts().index[0]
    mine = spend[spend["merchant"] == merchant]
    return merchant, float(mine["amount"].median()), str(mine["category"].iloc[0])


@pytest.fixture(scope="module")
def year() -> pd.DataFrame:
    return _history()


def test_spike_duplicate_and_night_charge_are_flagged_with_reasons(year):
    merchant, usual, category = _usual_merchant(year)
    late = pd.Timestamp(year["date"].max()) - pd.Timedelta(days=20)
    purchase = year[(year["amount"] <= -25) & (year["date"] < late) & (year["category"] == "FOOD_AND_DRINK")].iloc[-1]
    frame, (spike, duplicate, night) = _with(
        year,
        {"date": late, "amount": round(usual * 9, 2), "merchant": merchant, "category": category, "hour": 13},
        {
            "date": purchase["date"] + pd.Timedelta(days=1),
            "amount": purchase["amount"],
            "merchant": purchase["merchant"],
            "category": purchase["category"],
            "hour": 12,
        },
        {
            "date": late + pd.Timedelta(days=2),
            "amount": -740.0,
            "merchant": "Night Owl Electronics",
            "category": "GENERAL_MERCHANDISE",
            "hour": 3,
        },
    )
    found = {a.txn_id: a for a in detect_anomalies(frame)}
    assert {spike, duplicate, night} <= set(found)
    kinds = {txn: {r.kind for r in found[txn].reasons} for txn in (spike, duplicate, night)}
    assert "amount_vs_merchant" in kinds[spike]
    assert kinds[duplicate] == {"duplicate"}
    assert {"unusual_hour", "new_merchant"} <= kinds[night]
    texts = [r.text for r in found[spike].reasons]
    assert any(t.endswith(f"your usual at {merchant}") and "×" in t for t in texts)
    assert found[night].method == "isolation_forest" and 0 <= found[night].score <= 1
    assert "possible duplicate charge: same merchant and amount within 48 hours" in [
        r.text for r in found[duplicate].reasons
    ]


def test_dismissed_patterns_are_not_flagged_again(year):
    purchase = year[(year["amount"] <= -25) & (year["category"] == "FOOD_AND_DRINK")].iloc[-5]
    frame, (duplicate,) = _with(
        year,
        {
            "date": purchase["date"],
            "amount": purchase["amount"],
            "merchant": purchase["merchant"],
            "category": purchase["category"],
        },
    )
    assert duplicate in {a.txn_id for a in detect_anomalies(frame)}
    for pattern in ((purchase["merchant"], "duplicate"), (purchase["merchant"], "*")):
        assert duplicate not in {a.txn_id for a in detect_anomalies(frame, dismissed={pattern})}


def test_since_limits_the_report_to_recent_transactions(year):
    cutoff = (year["date"].max() - pd.Timedelta(days=30)).date()
    merchant, usual, category = _usual_merchant(year)
    frame, (old, recent) = _with(
        year,
        {
            "date": pd.Timestamp(cutoff) - pd.Timedelta(days=40),
            "amount": usual * 9,
            "merchant": merchant,
            "category": category,
        },
        {
            "date": pd.Timestamp(cutoff) + pd.Timedelta(days=5),
            "amount": usual * 10,
            "merchant": merchant,
            "category": category,
        },
    )
    flagged = {a.txn_id for a in detect_anomalies(frame, since=cutoff)}
    assert recent in flagged and old not in flagged


def test_small_history_uses_robust_rules():
    start = date(2024, 3, 1)
    rows = [
        {
            "date": start + timedelta(days=i),
            "amount": -round(4.5 + (i % 3) * 0.4, 2),
            "merchant": "Corner Cafe",
            "category": "FOOD_AND_DRINK",
            "hour": 8,
        }
        for i in range(40)
    ]
    rows.append(
        {
            "date": start + timedelta(days=41),
            "amount": -61.0,
            "merchant": "Corner Cafe",
            "category": "FOOD_AND_DRINK",
            "hour": 9,
        }
    )
    [anomaly] = detect_anomalies(transactions_frame(rows))
    assert anomaly.txn_id == 41 and anomaly.method == "robust"
    assert anomaly.reasons[0].kind == "amount_vs_merchant"


def test_transfers_income_and_recurring_charges_are_not_spending_anomalies():
    start = date(2024, 1, 1)
    rows = [
        {"date": start + timedelta(days=i), "amount": -5.0, "merchant": "Cafe", "category": "FOOD_AND_DRINK"}
        for i in range(60)
    ]
    rows += [
        {"date": date(2024, 1 + m, 1), "amount": -1800.0, "merchant": "Landlord", "category": "RENT_AND_UTILITIES"}
        for m in range(3)
    ]
    rows.append(
        {"date": start + timedelta(days=30), "amount": -5000.0, "merchant": "Savings", "category": "TRANSFER_OUT"}
    )
    assert detect_anomalies(transactions_frame(rows)) == []
    assert detect_anomalies(transactions_frame([])) == []


def test_precision_on_injected_anomalies():
    quality = anomaly_quality(n_households=3, seed=0)
    assert quality["injected"] == 9
    assert quality["recall"] >= 0.6 and quality["precision"] >= 0.5
