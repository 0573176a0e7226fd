"""Unusual transactions in a household's spending, each with reasons a person can read.

Only spending is examined: money out, not transfers, income or loan payments, and not charges that belong
to a recurring series (rent is large but expected). Against the household's own history:

- amount far above the usual for its category or merchant (robust z-score on log amounts, median/MAD,
  plus a minimum ratio so a cheap coffee that costs a little more is never news),
- a time of day at which the household (almost) never spends,
- the same merchant and amount twice within 48 hours (a possible duplicate charge),
- first time at this merchant (a reason attached to a flag, never a flag on its own).

With enough history (`IFOREST_MIN_TRANSACTIONS` spending transactions over `IFOREST_MIN_DAYS` days) an
IsolationForest over those signals decides what is unusual *for this household*, and a transaction is
flagged when the forest isolates it and at least one reason supports it. With less history the robust
rules decide alone. Duplicates are always rule-based (a forest sees points, not pairs).

Dismissed patterns - (merchant, reason kind) pairs the household said are normal, kind "*" for all - remove
those reasons; a transaction left without a triggering reason is not flagged.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest

from ml.frames import validate_transactions
from ml.recurring import detect_recurring
from transactions.taxonomy import BY_CODE, NON_SPENDING_PRIMARIES

IFOREST_MIN_TRANSACTIONS = 150
IFOREST_MIN_DAYS = 90
IFOREST_CONTAMINATION = 0.02
# scikit-learn's default. Each tree costs about a millisecond of fixed overhead (most of a household's time); on the
# synthetic households (`anomaly_quality`, seeds 0 and 1) precision and recall match those of 150 trees or better.
IFOREST_TREES = 100
ROBUST_Z = 3.5  # robust z beyond which an amount is unusual
MIN_RATIO = 4.0  # ... and at least this many times the usual amount (lognormal tails reach 3x routinely)
MIN_GROUP = 6  # transactions needed before a category or merchant has a "usual"
MIN_FLAG_AMOUNT = 20.0
RARE_HOUR_SHARE = 0.01  # share of timed spending within +-1 hour below which an hour is unusual
MIN_TIMED = 50
DUPLICATE_WINDOW_DAYS = 2
DUPLICATE_MIN_AMOUNT = 10.0
HABITUAL_REPEATS = 4  # (merchant, amount) seen this often is a habit, not a duplicate
NEW_MERCHANT_AFTER_DAYS = 60  # "first time" only means something once there is history
EXCLUDED_PRIMARIES = NON_SPENDING_PRIMARIES | {"LOAN_PAYMENTS"}
TRIGGERS = ("amount_vs_category", "amount_vs_merchant", "unusual_hour", "duplicate")


@dataclass(frozen=True)
class AnomalyReason:
    kind: str  # amount_vs_category | amount_vs_merchant | new_merchant | unusual_hour | duplicate
    text: str


@dataclass(frozen=True)
class Anomaly:
    txn_id: int
    score: float  # 0-1, higher is more unusual
    reasons: tuple[AnomalyReason, ...]
    method: str  # isolation_forest | robust


def _prior_stats(values: pd.Series, keys: pd.Series) -> pd.DataFrame:
    """Per row, statistics of the *earlier* rows of its group (rows in date order): what was usual then.

    Returns columns z (robust z-score from the prior median and inter-quartile range), median, max and
    count. Only the past is used, as when the transaction arrived.
    """
    grouped = values.groupby(keys)
    prior = grouped.shift()
    by_key = prior.groupby(keys)
    # Grouped expanding windows run in one pass over all groups (no Python call per group).
    expanding = by_key.expanding()

    def per_row(stat: pd.Series) -> pd.Series:
        return stat.reset_index(level=0, drop=True).reindex(values.index)

    median = per_row(expanding.median())
    q25 = per_row(expanding.quantile(0.25))
    q75 = per_row(expanding.quantile(0.75))
    # IQR / 1.349 estimates the standard deviation robustly; the floor keeps fixed prices from exploding.
    scale = np.maximum((q75 - q25).to_numpy() / 1.349, 0.05)
    return pd.DataFrame(
        {
            "z": np.nan_to_num((values.to_numpy() - median.to_numpy()) / scale),
            "median": median.to_numpy(),
            "max": by_key.transform("cummax").to_numpy(),
            "count": grouped.cumcount().to_numpy(),
        }
    )


def _hour_share(hours: pd.Series) -> np.ndarray:
    """For each row, the share of the household's timed spending within one hour of its hour."""
    timed = hours.dropna().astype(int)
    counts = np.bincount(timed, minlength=24).astype(float)
    window = counts + np.roll(counts, 1) + np.roll(counts, -1)
    share = window / max(len(timed), 1)
    out = np.full(len(hours), np.nan)
    mask = hours.notna().to_numpy()
    out[mask] = share[hours[mask].astype(int).to_numpy()]
    return out


def _duplicates(spend: pd.DataFrame) -> np.ndarray:
    """Rows that repeat an earlier charge: same merchant and amount within the window."""
    flags = np.zeros(len(spend), dtype=bool)
    named = spend[(spend["merchant"] != "") & (spend["amount"].abs() >= DUPLICATE_MIN_AMOUNT)]
    pair_size = named.groupby(["merchant", "amount"])["txn_id"].transform("size")
    named = named[pair_size < HABITUAL_REPEATS].sort_values(["merchant", "amount", "date", "txn_id"])
    same = (named["merchant"] == named["merchant"].shift()) & (named["amount"] == named["amount"].shift())
    close = (named["date"] - named["date"].shift()).dt.days <= DUPLICATE_WINDOW_DAYS
    repeat_positions = spend.index.get_indexer(named.index[(same & close).to_numpy()])
    flags[repeat_positions] = True
    return flags


def _spending(data: pd.DataFrame, recurring_ids: Collection[int]) -> pd.DataFrame:
    primary = data["category"]
    keep = (data["amount"] < 0) & ~primary.isin(EXCLUDED_PRIMARIES) & ~data["txn_id"].isin(set(recurring_ids))
    return data[keep].reset_index(drop=True)


def _category_name(code: str | None) -> str:
    return BY_CODE[code].name if code in BY_CODE else "uncategorised"


def _amount_signals(log_amount: pd.Series, keys: pd.Series, prefix: str) -> dict[str, np.ndarray]:
    stats = _prior_stats(log_amount, keys)
    known = stats["count"].to_numpy() >= MIN_GROUP
    record = log_amount.to_numpy() > np.nan_to_num(stats["max"].to_numpy(), nan=np.inf)
    return {
        f"z_{prefix}": np.where(known, stats["z"], 0.0),
        f"ratio_{prefix}": np.where(known, np.exp(log_amount.to_numpy() - np.nan_to_num(stats["median"])), 1.0),
        # Larger than anything this household spent there before: a big purchase it makes now and then is
        # its normal, not news.
        f"record_{prefix}": known & record,
    }


def _signals(spend: pd.DataFrame, history_start: pd.Timestamp) -> pd.DataFrame:
    """Per spending row: the statistics behind every reason, and which reasons hold (one column per kind)."""
    log_amount = np.log(spend["amount"].abs())
    category = spend["category"].fillna("UNCATEGORISED")
    merchant = spend["merchant"].where(spend["merchant"] != "", "#" + spend["txn_id"].astype(str))
    first_seen = spend.groupby(merchant)["date"].transform("min")
    first_id = spend.groupby(merchant)["txn_id"].transform("min")
    timed = spend["hour"].notna().sum()
    signals = pd.DataFrame(
        {
            **_amount_signals(log_amount, category, "cat"),
            **_amount_signals(log_amount, merchant, "merchant"),
            "hour_share": _hour_share(spend["hour"]) if timed >= MIN_TIMED else np.full(len(spend), np.nan),
        }
    )
    amount = spend["amount"].abs().to_numpy()
    sizeable = amount >= MIN_FLAG_AMOUNT
    for prefix, kind in (("merchant", "amount_vs_merchant"), ("cat", "amount_vs_category")):
        signals[kind] = (
            sizeable
            & signals[f"record_{prefix}"]
            & (signals[f"z_{prefix}"] >= ROBUST_Z)
            & (signals[f"ratio_{prefix}"] >= MIN_RATIO)
        )
    big = amount >= max(MIN_FLAG_AMOUNT, float(np.quantile(amount, 0.75)))
    signals["unusual_hour"] = big & (signals["hour_share"] <= RARE_HOUR_SHARE).to_numpy()
    signals["duplicate"] = _duplicates(spend)
    signals["new_merchant"] = (
        (spend["merchant"] != "")
        & (spend["date"] == first_seen)
        & (spend["txn_id"] == first_id)
        & ((spend["date"] - history_start).dt.days >= NEW_MERCHANT_AFTER_DAYS)
    ).to_numpy()
    return signals


REASON_KINDS = ("amount_vs_merchant", "amount_vs_category", "unusual_hour", "duplicate", "new_merchant")


def _reason_text(kind: str, row: dict) -> str:
    """One reason in words, from a candidate's row (its transaction and its signals)."""
    if kind == "amount_vs_merchant":
        return f"{row['ratio_merchant']:.1f}× your usual at {row['merchant']}"
    if kind == "amount_vs_category":
        return f"{row['ratio_cat']:.1f}× your usual {_category_name(row['category'])} spend"
    if kind == "unusual_hour":
        return f"unusual hour: {int(row['hour']):02d}:00"
    if kind == "duplicate":
        return "possible duplicate charge: same merchant and amount within 48 hours"
    return "first time at this merchant"


def _forest_outliers(signals: pd.DataFrame, spend: pd.DataFrame, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """IsolationForest over the per-transaction signals: (is_outlier, score 0-1)."""
    features = np.column_stack(
        [
            np.log(spend["amount"].abs()),
            signals["z_cat"].clip(-10, 10),
            signals["z_merchant"].clip(-10, 10),
            1.0 - np.nan_to_num(signals["hour_share"].to_numpy(), nan=1.0),
            signals["new_merchant"].astype(float),
        ]
    )
    forest = IsolationForest(n_estimators=IFOREST_TREES, contamination=IFOREST_CONTAMINATION, random_state=seed)
    forest.fit(features)
    raw = forest.score_samples(features)  # lower = more isolated
    # What `predict` does (score below the fitted offset), without scoring every transaction a second time.
    outlier = raw < forest.offset_
    score = (raw.max() - raw) / max(raw.max() - raw.min(), 1e-9)
    return outlier, score


def detect_anomalies(
    frame: pd.DataFrame,
    *,
    since: date | None = None,
    dismissed: Collection[tuple[str, str]] = frozenset(),
    recurring_txn_ids: Collection[int] | None = None,
    seed: int = 0,
) -> list[Anomaly]:
    """Unusual spending in one household's history (contract frame, see `ml.frames`).

    The whole frame is the baseline; only transactions dated `since` or later are reported. Pass the ids of
    transactions in known recurring series if you have them (otherwise they are detected here).
    """
    data = validate_transactions(frame)
    if data.empty:
        return []
    if recurring_txn_ids is None:
        recurring_txn_ids = {t for s in detect_recurring(data) for t in s.txn_ids}
    spend = _spending(data, recurring_txn_ids)
    if spend.empty:
        return []
    signals = _signals(spend, data["date"].min())
    # Only a transaction with a triggering reason, in the reported window, can be flagged: without one there is
    # nothing for the forest to decide (it is the costly part) and nothing to report.
    triggered = signals[list(TRIGGERS)].any(axis=1).to_numpy()
    if since is not None:
        triggered = triggered & (spend["date"] >= pd.Timestamp(since)).to_numpy()
    if not triggered.any():
        return []
    span = (spend["date"].max() - spend["date"].min()).days
    use_forest = len(spend) >= IFOREST_MIN_TRANSACTIONS and span >= IFOREST_MIN_DAYS
    if use_forest:
        outlier, score = _forest_outliers(signals, spend, seed)
    else:
        outlier = np.ones(len(spend), dtype=bool)
        strength = np.maximum(signals["z_cat"], signals["z_merchant"]) / (2 * ROBUST_Z)
        score = np.clip(strength.to_numpy(), 0, 1)
    candidates = triggered & (outlier | signals["duplicate"].to_numpy())
    return _findings(spend, signals, candidates, score, use_forest, dismissed)


def _findings(
    spend: pd.DataFrame,
    signals: pd.DataFrame,
    candidates: np.ndarray,
    score: np.ndarray,
    use_forest: bool,
    dismissed: Collection[tuple[str, str]],
) -> list[Anomaly]:
    """The candidates that keep a triggering reason once the dismissed patterns are removed, with their reasons."""
    if not candidates.any():
        return []
    picked = np.flatnonzero(candidates)
    columns = ["txn_id", "merchant", "category", "hour"]
    rows = pd.concat(
        [spend[columns].iloc[picked].reset_index(drop=True), signals.iloc[picked].reset_index(drop=True)], axis=1
    )
    blocked = set(dismissed)
    found = []
    for row, strength in zip(rows.to_dict("records"), score[picked], strict=True):
        merchant = row["merchant"]
        kinds = [k for k in REASON_KINDS if row[k] and (merchant, k) not in blocked and (merchant, "*") not in blocked]
        if not any(k in TRIGGERS for k in kinds):
            continue
        reasons = tuple(AnomalyReason(k, _reason_text(k, row)) for k in kinds)
        method = "isolation_forest" if use_forest and not row["duplicate"] else "robust"
        strength = max(float(strength), 0.5 if row["duplicate"] else 0.0)
        found.append(Anomaly(int(row["txn_id"]), round(strength, 3), reasons, method))
    return found


def anomaly_quality(n_households: int = 20, seed: int = 0, months: int = 12) -> dict[str, object]:
    """Precision and recall of `detect_anomalies` on synthetic households with injected anomalies."""
    from ml.synthetic import generate_household  # local import: synthetic data is for evaluation only

    flagged = correct = injected = 0
    by_method: dict[str, int] = {}
    for i in range(n_households):
        household = generate_household(seed * 1000 + i, months=months, descriptors=False)
        truth = {txn_id for txn_id, t in enumerate(household.transactions, start=1) if t.is_anomaly}
        found = detect_anomalies(household.frame(), seed=seed)
        flagged += len(found)
        correct += sum(a.txn_id in truth for a in found)
        injected += len(truth)
        for a in found:
            by_method[a.method] = by_method.get(a.method, 0) + 1
    return {
        "households": n_households,
        "injected": injected,
        "flagged": flagged,
        "precision": round(correct / flagged, 4) if flagged else None,
        "recall": round(correct / injected, 4) if injected else None,
        "flags_by_method": by_method,
    }
