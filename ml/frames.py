"""The column contract between the Django side and the pure ML code: one transactions DataFrame.

Every model in `ml/` that looks at a household's history takes a DataFrame with exactly these columns
(extra columns are ignored):

| column        | dtype            | meaning                                                                   |
| ------------- | ---------------- | ------------------------------------------------------------------------- |
| `txn_id`      | int64            | the transaction's primary key (results refer back to it)                   |
| `date`        | datetime64[ns]   | booking date, naive, midnight (no time zone: a calendar day)              |
| `amount`      | float64          | signed like the statement: negative = money out, positive = money in       |
| `description` | str              | the raw bank text                                                          |
| `merchant`    | str              | normalised merchant name ("" when unknown); recurring/anomaly key          |
| `category`    | str or None      | primary category code (see `transactions.taxonomy`), None if uncategorised |
| `account_id`  | int64            | the financial account                                                      |
| `hour`        | float64          | local hour of day 0-23, NaN when the bank gives no time                    |

Floats are fine here: money enters and leaves the ML code as `Decimal` strings at the edges (the services
convert), while features and forecasts are computed in floating point.

`transactions_frame(rows)` builds such a frame from dicts (dates, Decimals and strings accepted) and
`validate_transactions(frame)` checks and normalises one built elsewhere (e.g. from a queryset's values()).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from transactions.taxonomy import BY_CODE

COLUMNS: tuple[str, ...] = ("txn_id", "date", "amount", "description", "merchant", "category", "account_id", "hour")


class FrameError(ValueError):
    """A transactions frame breaks the column contract (the message names the column and the row)."""


def _to_float(value: object, row: int) -> float:
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError):
            raise FrameError(f"row {row}: amount {value!r} is not a number") from None
    if not math.isfinite(number):
        raise FrameError(f"row {row}: amount {value!r} is not finite")
    return number


def transactions_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build a contract-conforming frame from mappings with the columns above.

    `txn_id` may be omitted everywhere (rows are then numbered from 1), `merchant`, `category` and `hour`
    may be omitted per row, `account_id` defaults to 1. Amounts may be Decimal, str, int or float.
    """
    records = list(rows)
    if not records:
        return empty_transactions()
    numbered = all("txn_id" not in r for r in records)
    data = {
        "txn_id": [i + 1 if numbered else r.get("txn_id") for i, r in enumerate(records)],
        "date": [r.get("date") for r in records],
        "amount": [_to_float(r.get("amount"), i) for i, r in enumerate(records)],
        "description": [str(r.get("description") or "") for r in records],
        "merchant": [str(r.get("merchant") or "") for r in records],
        "category": [r.get("category") or None for r in records],
        "account_id": [r.get("account_id", 1) for r in records],
        "hour": [r.get("hour") for r in records],
    }
    return validate_transactions(pd.DataFrame(data))


def empty_transactions() -> pd.DataFrame:
    """A frame with the contract's columns and dtypes and no rows."""
    return pd.DataFrame(
        {
            "txn_id": pd.Series(dtype="int64"),
            "date": pd.Series(dtype="datetime64[ns]"),
            "amount": pd.Series(dtype="float64"),
            "description": pd.Series(dtype="object"),
            "merchant": pd.Series(dtype="object"),
            "category": pd.Series(dtype="object"),
            "account_id": pd.Series(dtype="int64"),
            "hour": pd.Series(dtype="float64"),
        }
    )


def _first_bad(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def _wall_clock_day(value: object) -> pd.Timestamp:
    """A calendar day from a date, datetime (aware or naive) or string: the local date as written."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return pd.NaT
    if stamp is pd.NaT:
        return pd.NaT
    return stamp.tz_localize(None).normalize() if stamp.tzinfo is not None else stamp.normalize()


def _to_days(values: pd.Series) -> pd.Series:
    """Naive midnight timestamps; NaT where a value is not a date."""
    if values.dtype == "datetime64[ns]":  # already naive timestamps (a frame validated before, then filtered)
        return values.dt.normalize()
    fast = pd.to_datetime(values, errors="coerce")
    if fast.notna().all() and getattr(fast.dt, "tz", None) is None:
        return fast.dt.normalize().astype("datetime64[ns]")
    # Mixed time zones, or aware and naive values together: convert one by one.
    return pd.Series([_wall_clock_day(v) for v in values], index=values.index, dtype="datetime64[ns]")


def _text(values: pd.Series) -> pd.Series:
    """Object column of str, "" for missing (pandas 3 string columns hold NaN or NA for None)."""
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values  # all str already: skip the conversions
    return values.fillna("").astype(str).astype(object)


def validate_transactions(frame: pd.DataFrame) -> pd.DataFrame:
    """Check `frame` against the contract and return a normalised copy sorted by (date, txn_id).

    Raises FrameError naming the first offending column and row.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise FrameError(f"missing columns: {', '.join(missing)}")
    out = frame.loc[:, list(COLUMNS)].copy()
    if out.empty:
        return empty_transactions()

    ids = pd.to_numeric(out["txn_id"], errors="coerce")
    if ids.isna().any():
        raise FrameError(f"row {_first_bad(ids.isna())}: txn_id must be an integer")
    if ids.duplicated().any():
        raise FrameError(f"row {_first_bad(ids.duplicated())}: txn_id {int(ids[ids.duplicated()].iloc[0])} repeats")
    out["txn_id"] = ids.astype("int64")

    dates = _to_days(out["date"])
    if dates.isna().any():
        raise FrameError(f"row {_first_bad(dates.isna())}: date {out['date'].iloc[_first_bad(dates.isna())]!r}")
    out["date"] = dates

    amounts = pd.to_numeric(out["amount"], errors="coerce")
    bad = amounts.isna() | ~np.isfinite(amounts.fillna(0))
    if bad.any():
        raise FrameError(f"row {_first_bad(bad)}: amount {out['amount'].iloc[_first_bad(bad)]!r} is not a number")
    out["amount"] = amounts.astype("float64")

    out["description"] = _text(out["description"])
    out["merchant"] = _text(out["merchant"]).str.strip()

    # Anything that is not a non-empty string (None, NaN, "") means uncategorised.
    categories = pd.Series(
        [c if isinstance(c, str) and c else None for c in out["category"].tolist()], index=out.index, dtype=object
    )
    unknown = pd.Series([c is not None and c not in BY_CODE for c in categories], index=out.index)
    if unknown.any():
        raise FrameError(f"row {_first_bad(unknown)}: unknown category {categories.iloc[_first_bad(unknown)]!r}")
    out["category"] = categories

    accounts = pd.to_numeric(out["account_id"], errors="coerce")
    if accounts.isna().any():
        raise FrameError(f"row {_first_bad(accounts.isna())}: account_id must be an integer")
    out["account_id"] = accounts.astype("int64")

    hours = pd.to_numeric(out["hour"], errors="coerce").astype("float64")
    bad_hour = hours.notna() & ((hours < 0) | (hours > 23) | (hours != np.floor(hours)))
    if bad_hour.any():
        raise FrameError(f"row {_first_bad(bad_hour)}: hour must be 0-23 or empty")
    out["hour"] = hours

    days, ids = out["date"].to_numpy(), out["txn_id"].to_numpy()
    if len(out) > 1 and bool(np.all((days[1:] > days[:-1]) | ((days[1:] == days[:-1]) & (ids[1:] > ids[:-1])))):
        return out.reset_index(drop=True)  # already in (date, txn_id) order
    return out.sort_values(["date", "txn_id"], kind="stable").reset_index(drop=True)
