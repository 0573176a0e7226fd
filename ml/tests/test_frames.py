"""The transactions frame contract (pure: no database)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from ml.frames import COLUMNS, FrameError, empty_transactions, transactions_frame, validate_transactions


def test_builds_a_conforming_frame_from_dicts_with_decimals_and_strings():
    frame = transactions_frame(
        [
            {
                "date": date(2024, 3, 2),
                "amount": Decimal("-12.50"),
                "description": "SQ *CAFE",
                "merchant": "Cafe",
                "category": "FOOD_AND_DRINK",
                "hour": 9,
            },
            {"date": "2024-03-01", "amount": "2500.00", "description": "ACME PAYROLL", "account_id": 7},
        ]
    )
    assert list(frame.columns) == list(COLUMNS)
    assert frame["txn_id"].tolist() == [2, 1]  # numbered in input order, sorted by date
    assert frame["amount"].tolist() == [2500.0, -12.5]
    assert frame["account_id"].tolist() == [7, 1]
    assert frame["category"].tolist() == [None, "FOOD_AND_DRINK"]
    assert np.isnan(frame["hour"].iloc[0]) and frame["hour"].iloc[1] == 9
    assert str(frame["date"].dtype) == "datetime64[ns]"


def test_dates_lose_their_time_and_time_zone():
    frame = transactions_frame(
        [
            {"txn_id": 1, "date": pd.Timestamp("2024-05-01 23:30", tz="Europe/Berlin"), "amount": 1},
            {"txn_id": 2, "date": datetime(2024, 5, 2, 8, 15), "amount": 1},
        ]
    )
    assert frame["date"].tolist() == [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-05-02")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"txn_id": 1, "date": "not a date", "amount": 1}, "row 0: date"),
        ({"txn_id": 1, "date": "2024-01-01", "amount": "ten"}, "row 0: amount 'ten' is not a number"),
        ({"txn_id": 1, "date": "2024-01-01", "amount": "NaN"}, "row 0: amount"),
        ({"txn_id": 1, "date": "2024-01-01", "amount": 1, "hour": 24}, "row 0: hour must be 0-23"),
        ({"txn_id": 1, "date": "2024-01-01", "amount": 1, "category": "SHOES"}, "unknown category 'SHOES'"),
    ],
)
def test_bad_values_are_named_with_their_row(row, message):
    with pytest.raises(FrameError, match=message):
        transactions_frame([row])


def test_missing_columns_and_repeated_ids_are_reported():
    with pytest.raises(FrameError, match="missing columns: merchant, category"):
        validate_transactions(pd.DataFrame({c: [] for c in COLUMNS if c not in ("merchant", "category")}))
    with pytest.raises(FrameError, match="row 1: txn_id 5 repeats"):
        transactions_frame(
            [{"txn_id": 5, "date": "2024-01-01", "amount": 1}, {"txn_id": 5, "date": "2024-01-02", "amount": 2}]
        )


def test_empty_input_gives_the_typed_empty_frame():
    assert transactions_frame([]).dtypes.equals(empty_transactions().dtypes)
    assert validate_transactions(empty_transactions()).empty


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_string_columns_holding_none_keep_the_contract(dtype):
    """pandas 3 infers a string dtype for text columns, where None becomes NaN (or NA): still "" or None out."""
    frame = pd.DataFrame(
        {
            "txn_id": [1, 2, 3],
            "date": ["2024-01-02", "2024-01-01", "2024-01-03"],
            "amount": [-12.5, 3000.0, -4.0],
            "description": pd.Series(["CARD 1234", None, None], dtype=dtype),
            "merchant": pd.Series([None, " Acme ", None], dtype=dtype),
            "category": pd.Series([None, "INCOME", ""], dtype=dtype),
            "account_id": [1, 1, 2],
            "hour": pd.Series(["13", None, None], dtype=dtype),
        }
    )
    out = validate_transactions(frame)
    assert out["txn_id"].tolist() == [2, 1, 3]
    assert out["description"].tolist() == ["", "CARD 1234", ""]
    assert out["merchant"].tolist() == ["Acme", "", ""]
    assert out["category"].tolist() == ["INCOME", None, None]
    assert out["hour"].iloc[1] == 13.0 and out["hour"].isna().sum() == 2
    assert {out[c].dtype for c in ("description", "merchant", "category")} == {np.dtype(object)}
