"""Recurring series per normalised merchant: salaries, bills, subscriptions, transfers.

For each (merchant, direction) the transactions are tested as one series first (which keeps a price change
inside its series); if they are not regular, groups of identical amounts are tested (a monthly Prime fee
among random Amazon purchases). A series is accepted when enough of its gaps match one
cadence within a tolerance (one skipped occurrence is forgiven) and its amounts are stable enough: fixed
prices, or bills that vary (utilities, card payments) when the dates are very regular.

Cadences: weekly, every other week, twice a month (two fixed days of the month, told apart from every other week
because those drift through the month), monthly, quarterly, yearly.

Status is judged against `as_of`: a series whose expected dates have passed without a charge for
`CANCEL_AFTER_MISSED[cadence]` cycles is `possibly_cancelled`.
"""

from __future__ import annotations

import calendar
import itertools
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ml.frames import validate_transactions


@dataclass(frozen=True)
class Cadence:
    name: str
    days: float  # nominal period
    tolerance: float  # accepted deviation of one gap, in days
    min_count: int  # occurrences needed before we call it a series
    months: float = 0  # calendar cadences are measured in months (bills keep their day of month, not 30 days)


CADENCES: tuple[Cadence, ...] = (
    Cadence("weekly", 7.0, 1.5, 4),
    Cadence("biweekly", 14.0, 2.5, 3),
    # Twice a month on two fixed days (the 1st and the 15th, the 15th and the last day): salaries in many firms.
    Cadence("semimonthly", 15.22, 4.0, 4, months=0.5),
    Cadence("monthly", 30.44, 4.5, 3, months=1),
    Cadence("quarterly", 91.31, 10.0, 3, months=3),
    Cadence("yearly", 365.25, 20.0, 2, months=12),
)
BY_NAME = {c.name: c for c in CADENCES}
# Missed cycles after which a series is reported as possibly cancelled (weekly charges skip more often).
CANCEL_AFTER_MISSED = {"weekly": 2, "biweekly": 2, "semimonthly": 2, "monthly": 1, "quarterly": 1, "yearly": 1}
# Semi-monthly dates may not drift from their half-month grid by more than this (in half months): every other
# week drifts by 0.08 half months a payment, so after a few payments it is told apart from twice a month.
SEMIMONTHLY_MAX_DRIFT = 0.3
# Share of gaps that must be exactly one period (within tolerance); the rest may be a skipped period.
MIN_REGULARITY = 0.75
# Robust amount spread (median absolute deviation / median) allowed, by how regular the dates are.
MAX_SPREAD_FIXED = 0.15  # any series
MAX_SPREAD_VARIABLE_BILL = 0.6  # card payments, utilities: near-perfect dates, monthly or longer, 6+ charges
VARIABLE_BILL_MIN_COUNT = 6
# With only the minimum number of occurrences, a chance rhythm is plausible: demand an exact price too.
MINIMAL_EVIDENCE_SPREAD = 0.02
PRICE_STEP = 0.01  # a change of more than 1 % between two stable runs is a price change
# Subscription heuristic: expense, fixed price, a consumer-service primary and a retail price point.
SUBSCRIPTION_PRIMARIES = frozenset(
    {
        "ENTERTAINMENT",
        "PERSONAL_CARE",
        "GENERAL_SERVICES",
        "GENERAL_MERCHANDISE",
        "FOOD_AND_DRINK",
        "MEDICAL",
    }
)
SUBSCRIPTION_MAX_AMOUNT = 250.0  # x3 for yearly plans
SUBSCRIPTION_PRICE_ENDINGS = (99, 49, 95, 98, 0)


@dataclass(frozen=True)
class PriceChange:
    date: date
    old: str  # Decimal strings, signed like the transactions
    new: str


@dataclass(frozen=True)
class RecurringSeries:
    merchant: str
    cadence: str
    typical_amount: str  # Decimal string, signed (negative for money out)
    last_date: date
    next_date: date
    next_amount: str
    status: str  # active | possibly_cancelled
    confidence: float
    txn_ids: tuple[int, ...]
    is_income: bool
    is_subscription: bool
    account_id: int | None
    category: str | None
    missed_cycles: int = 0
    price_changes: tuple[PriceChange, ...] = field(default=())
    anchor_days: tuple[int, ...] = ()  # semimonthly: its two days of the month (31 = the month's last day)

    @property
    def occurrences(self) -> int:
        return len(self.txn_ids)


@dataclass(frozen=True)
class _Fit:
    cadence: Cadence
    regularity: float
    spread: float


def _money(value: float) -> str:
    return f"{value:.2f}"


def _spread(amounts: np.ndarray) -> float:
    """Median absolute deviation over median of absolute amounts (0 = identical amounts)."""
    magnitude = [abs(a) for a in amounts.tolist()]
    median = statistics.median(magnitude)
    return statistics.median([abs(m - median) for m in magnitude]) / median if median > 0 else math.inf


def _fit_cadence(days: np.ndarray, months: np.ndarray, amounts: np.ndarray) -> _Fit | None:
    """The cadence these dates follow, if any, with how regular they are.

    `days` are day numbers, `months` fractional month numbers (the 15th of consecutive months are 1.0
    apart), so calendar cadences keep a bill's day of month instead of counting 30-day steps.
    """
    if len(days) < 2:
        return None
    # Plain Python on these few numbers: numpy's per-call overhead is larger than the work.
    day_list = days.tolist()
    typical_gap = float(statistics.median([b - a for a, b in itertools.pairwise(day_list)]))
    # Most gaps are one period (a skipped one doubles a gap): a median gap far from it rules a cadence out. Most
    # groups (a merchant's irregular purchases) fail here, before anything costlier is computed.
    plausible = [c for c in CADENCES if len(days) >= c.min_count and 0.7 * c.days <= typical_gap <= 1.5 * c.days]
    if not plausible:
        return None
    day_gaps, month_gaps = np.diff(days), np.diff(months)
    best: _Fit | None = None
    best_closeness = 0.0
    spread = _spread(amounts)
    for cadence in plausible:
        if cadence.months:
            gaps, period, tolerance = month_gaps, cadence.months, cadence.tolerance / 30.44
        else:
            gaps, period, tolerance = day_gaps, cadence.days, cadence.tolerance
        periods = np.rint(gaps / period)
        residual = np.abs(gaps - periods * period)
        exact = (periods == 1) & (residual <= tolerance)
        skipped = (periods == 2) & (residual <= tolerance * 1.5)
        if (exact | skipped).mean() < 0.9 or exact.mean() < MIN_REGULARITY:
            continue
        if cadence.name == "semimonthly" and _drifts(months, periods, period):
            continue
        regularity = float(exact.mean())
        variable_ok = (
            cadence.days >= 28
            and regularity >= 0.9
            and len(days) >= VARIABLE_BILL_MIN_COUNT
            and spread <= MAX_SPREAD_VARIABLE_BILL
        )
        if spread > MAX_SPREAD_FIXED and not variable_ok:
            continue
        if len(days) == cadence.min_count and (spread > MINIMAL_EVIDENCE_SPREAD or regularity < 1):
            continue
        # Equally regular under two cadences (the 15th and the month's last day are also about 14 days apart): the
        # one the dates sit closer to wins.
        closeness = float(np.mean(residual[exact])) / tolerance
        if best is None or (regularity, -closeness) > (best.regularity, -best_closeness):
            best, best_closeness = _Fit(cadence, regularity, spread), closeness
    return best


def _drifts(months: np.ndarray, periods: np.ndarray, period: float) -> bool:
    """Whether the dates wander off the grid that their gaps imply (every other week does, twice a month does not)."""
    expected = np.concatenate(([0.0], np.cumsum(periods)))
    return bool(np.any(np.abs((months - months[0]) / period - expected) > SEMIMONTHLY_MAX_DRIFT))


def _same_amount_groups(amounts: np.ndarray) -> list[np.ndarray]:
    """Index groups of identical amounts (to the cent): how a fixed-price charge hides among other purchases.

    Identical amounts rather than "similar" ones: similarity chains through a merchant's random purchases
    (single linkage), exact prices do not. A price step splits a series in two; `_merge_price_steps` joins it.
    """
    cents = np.round(amounts * 100).astype(np.int64)
    if len(set(cents.tolist())) == len(cents):  # the usual case: no price repeats to the cent
        return []
    _, inverse, counts = np.unique(cents, return_inverse=True, return_counts=True)
    return [np.flatnonzero(inverse == k) for k in np.flatnonzero(counts >= 2)]


def _price_changes(dates: Sequence[date], amounts: np.ndarray) -> list[PriceChange]:
    """Steps between stable runs: at least two equal charges, then a new price that holds (or is the last)."""
    changes = []
    run_start = 0
    for i in range(1, len(amounts)):
        previous, current = abs(amounts[i - 1]), abs(amounts[i])
        if previous > 0 and abs(current - previous) / previous > PRICE_STEP:
            run = np.abs(amounts[run_start:i])
            stable_before = i - run_start >= 2 and np.all(np.abs(run - previous) / previous <= PRICE_STEP)
            holds = i == len(amounts) - 1 or abs(abs(amounts[i + 1]) - current) / current <= PRICE_STEP
            if stable_before and holds:
                changes.append(PriceChange(dates[i], _money(amounts[i - 1]), _money(amounts[i])))
            run_start = i
    return changes


def _usual_day(dates: Sequence[date]) -> int:
    """The usual day of the month: the observed day closest to all others, counting round the month's end (a rent
    due on the 1st and paid on the 30th or the 2nd is still a 1st-of-the-month rent; a plain median would say 16)."""
    days = [d.day for d in dates]

    def distance(day: int) -> int:
        return sum(min(abs(other - day), 31 - abs(other - day)) for other in days)

    return min(set(days), key=lambda day: (distance(day), day))


def semimonthly_anchors(dates: Sequence[date]) -> tuple[int, int]:
    """The two days of the month of a twice-monthly series, the one of its last charge first.

    Charges alternate between the two days, so every other charge counted back from the last shares its day.
    """
    latest_first = list(reversed(dates))
    return _usual_day(latest_first[0::2]), _usual_day(latest_first[1::2])


def _on_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def semimonthly_dates(anchors: Sequence[int], after: date, end: date) -> list[date]:
    """Dates on either anchor day strictly after `after`, up to `end`, in order."""
    out: list[date] = []
    year, month = after.year, after.month
    while date(year, month, 1) <= end:
        out.extend(d for d in sorted(_on_day(year, month, day) for day in set(anchors)) if after < d <= end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _next_date(last: date, dates: Sequence[date], cadence: Cadence) -> date:
    """The next expected date: one period after the last charge, on the series' usual day of month.

    Among the usual day in the neighbouring months, the one closest to a full period after the last charge
    wins: a rent paid early on 30 November was December's, so the next one is due on 1 January. A twice-monthly
    series is next due on its other day.
    """
    if cadence.name == "semimonthly":
        _, other = semimonthly_anchors(dates)
        return semimonthly_dates([other], last, last + timedelta(days=62))[0]
    if not cadence.months:
        return last + timedelta(days=round(cadence.days))
    day = _usual_day(dates)
    candidates = []
    for offset in (cadence.months - 1, cadence.months, cadence.months + 1):
        month0 = last.month - 1 + offset
        year, month = last.year + month0 // 12, month0 % 12 + 1
        candidates.append(date(year, month, min(day, calendar.monthrange(year, month)[1])))
    return min(candidates, key=lambda d: abs((d - last).days - cadence.days))


def _missed_cycles(next_expected: date, cadence: Cadence, as_of: date) -> int:
    late = (as_of - next_expected).days - cadence.tolerance
    return 0 if late <= 0 else 1 + int(late // cadence.days)


def _looks_like_subscription(amounts: np.ndarray, category: str | None, cadence: Cadence, runs_stable: bool) -> bool:
    typical = abs(float(amounts[-1]))
    ceiling = SUBSCRIPTION_MAX_AMOUNT * (3 if cadence.name == "yearly" else 1)
    if amounts[-1] > 0 or not runs_stable or typical > ceiling:
        return False
    if cadence.name not in ("weekly", "monthly", "quarterly", "yearly"):
        return False
    if category is not None and category not in SUBSCRIPTION_PRIMARIES:
        return False
    cents = round(typical * 100) % 100
    return cents in SUBSCRIPTION_PRICE_ENDINGS and (cents != 0 or typical < 30)


@dataclass(frozen=True)
class _Group:
    """One (merchant, direction) group as arrays, in date order."""

    merchant: str
    days: np.ndarray
    months: np.ndarray
    amounts: np.ndarray
    txn_ids: np.ndarray
    accounts: np.ndarray
    categories: np.ndarray

    def take(self, idx: np.ndarray) -> _Group:
        return _Group(
            self.merchant,
            self.days[idx],
            self.months[idx],
            self.amounts[idx],
            self.txn_ids[idx],
            self.accounts[idx],
            self.categories[idx],
        )


_EPOCH = date(1970, 1, 1)


def _mode(values: np.ndarray) -> object:
    """The most common value that is not None (the smallest among equally common ones)."""
    counts = Counter(v for v in values.tolist() if v is not None)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _build(group: _Group, fit: _Fit, as_of: date) -> RecurringSeries:
    dates = [_EPOCH + timedelta(days=int(d)) for d in group.days]
    amounts = group.amounts
    changes = _price_changes(dates, amounts)
    since_change = amounts[[d >= changes[-1].date for d in dates]] if changes else amounts
    runs_stable = _spread(since_change) <= PRICE_STEP
    typical = float(np.median(since_change))
    next_amount = float(since_change[-1]) if runs_stable else float(np.median(since_change[-3:]))
    next_expected = _next_date(dates[-1], dates, fit.cadence)
    anchors = semimonthly_anchors(dates) if fit.cadence.name == "semimonthly" else ()
    missed = _missed_cycles(next_expected, fit.cadence, as_of)
    status = "possibly_cancelled" if missed >= CANCEL_AFTER_MISSED[fit.cadence.name] else "active"
    count_score = min(1.0, len(dates) / (2 * fit.cadence.min_count))
    amount_score = 1.0 - min(1.0, fit.spread / MAX_SPREAD_VARIABLE_BILL)
    confidence = 0.5 * fit.regularity + 0.3 * amount_score + 0.2 * count_score
    category = _mode(group.categories)
    return RecurringSeries(
        merchant=group.merchant,
        cadence=fit.cadence.name,
        typical_amount=_money(typical),
        last_date=dates[-1],
        next_date=next_expected,
        next_amount=_money(next_amount),
        status=status,
        confidence=round(confidence, 3),
        txn_ids=tuple(int(t) for t in group.txn_ids),
        is_income=bool(typical > 0),
        is_subscription=_looks_like_subscription(since_change, category, fit.cadence, runs_stable),
        account_id=int(_mode(group.accounts)),
        category=category,
        missed_cycles=missed,
        price_changes=tuple(changes),
        anchor_days=anchors,
    )


def _series_in_group(group: _Group) -> list[tuple[_Group, _Fit]]:
    whole = _fit_cadence(group.days, group.months, group.amounts)
    if whole is not None:
        return [(group, whole)]
    found = []
    for idx in _same_amount_groups(group.amounts):
        fit = _fit_cadence(group.days[idx], group.months[idx], group.amounts[idx])
        # A series picked out of other purchases at the same merchant must be a fixed price, and one more
        # occurrence than usual: a few similar purchases can fall on a rhythm by chance.
        if fit is not None and len(idx) > fit.cadence.min_count:
            found.append((group.take(idx), fit))
    return _merge_price_steps(found)


def _merge_price_steps(found: list[tuple[_Group, _Fit]]) -> list[tuple[_Group, _Fit]]:
    """Join two series of one cadence where one ends as the other starts: a price step too big to cluster."""
    found = sorted(found, key=lambda item: item[0].days[0])
    merged: list[tuple[_Group, _Fit]] = []
    for part, fit in found:
        if merged:
            previous, previous_fit = merged[-1]
            gap = part.days[0] - previous.days[-1]
            if previous_fit.cadence == fit.cadence and 0 < gap <= fit.cadence.days + fit.cadence.tolerance:
                idx = np.arange(len(previous.days) + len(part.days))
                joined = _Group(
                    part.merchant,
                    *(
                        np.concatenate([getattr(previous, f), getattr(part, f)])[idx]
                        for f in ("days", "months", "amounts", "txn_ids", "accounts", "categories")
                    ),
                )
                merged[-1] = (
                    joined,
                    _Fit(
                        fit.cadence, min(fit.regularity, previous_fit.regularity), max(fit.spread, previous_fit.spread)
                    ),
                )
                continue
        merged.append((part, fit))
    return merged


def _groups(data: pd.DataFrame) -> list[_Group]:
    """(merchant, direction) groups of at least two transactions, as arrays sorted by date."""
    merchants, names = pd.factorize(data["merchant"])
    incoming = (data["amount"].to_numpy() > 0).astype(np.int64)
    keys = merchants.astype(np.int64) * 2 + incoming
    # Calendar arithmetic in numpy datetime units (pandas' .dt accessors cost more than the detection itself).
    day_stamps = data["date"].to_numpy().astype("datetime64[D]")
    month_stamps = day_stamps.astype("datetime64[M]")
    month_start = month_stamps.astype("datetime64[D]")
    days = day_stamps.astype(np.int64)  # days since 1970-01-01
    month_length = ((month_stamps + 1).astype("datetime64[D]") - month_start).astype(np.int64)
    months = month_stamps.astype(np.int64) + (day_stamps - month_start).astype(np.int64) / month_length
    order = np.lexsort((data["txn_id"].to_numpy(), days, keys))
    keys_sorted = keys[order]
    bounds = np.flatnonzero(np.diff(keys_sorted)) + 1
    columns = {
        "days": days[order],
        "months": months[order],
        "amounts": data["amount"].to_numpy()[order],
        "txn_ids": data["txn_id"].to_numpy()[order],
        "accounts": data["account_id"].to_numpy()[order],
        "categories": data["category"].to_numpy(dtype=object)[order],
    }
    groups = []
    for part in np.split(np.arange(len(order)), bounds):
        if len(part) >= 2:
            merchant = str(names[merchants[order[part[0]]]])
            groups.append(_Group(merchant, *(columns[f][part] for f in columns)))
    return groups


def detect_recurring(
    frame: pd.DataFrame, as_of: date | None = None, *, min_confidence: float = 0.5
) -> list[RecurringSeries]:
    """Recurring series in a household's transactions (contract frame, see `ml.frames`).

    `as_of` (default: the last transaction date) decides which series look cancelled; later transactions
    are ignored. Transactions without a merchant are ignored. Results are sorted by merchant, then cadence.
    """
    return detect_in_validated(validate_transactions(frame), as_of, min_confidence=min_confidence)


def detect_in_validated(
    data: pd.DataFrame, as_of: date | None = None, *, min_confidence: float = 0.5
) -> list[RecurringSeries]:
    """`detect_recurring` on a frame that `validate_transactions` already returned (the forecast's backtests detect
    at several origins of one validated history; validating again each time would cost more than detecting)."""
    data = data[data["merchant"] != ""]
    if data.empty:
        return []
    as_of = as_of or data["date"].max().date()
    data = data[data["date"] <= pd.Timestamp(as_of)]
    out: list[RecurringSeries] = []
    for group in _groups(data):
        for part, fit in _series_in_group(group):
            series = _build(part, fit, as_of)
            if series.confidence >= min_confidence:
                out.append(series)
    return sorted(out, key=lambda s: (s.merchant, BY_NAME[s.cadence].days, s.is_income))


def recurring_quality(n_households: int = 20, seed: int = 0, months: int = 18) -> dict[str, object]:
    """Precision and recall of `detect_recurring` on synthetic households with known series.

    A detected series is correct when it shares at least half of its transactions (Jaccard) with a true
    series of the same merchant. Recall counts true series with enough occurrences to be detectable
    (`Cadence.min_count`), also per cadence. Also reported, over matched series: cadence, status (cancelled or
    not), subscription flag and price-change agreement.
    """
    from ml.synthetic import generate_household  # local import: synthetic data is for evaluation only

    detected_total = correct = truth_total = found = 0
    cadence_ok = status_ok = subscription_ok = matched = 0
    price_truth = price_found = 0
    by_cadence = {c.name: [0, 0] for c in CADENCES}  # detectable true series, found
    for i in range(n_households):
        household = generate_household(seed * 1000 + i, months=months, descriptors=False)
        frame = household.frame()
        ids_by_key: dict[str, set[int]] = {}
        for txn_id, txn in enumerate(household.transactions, start=1):
            if txn.series:
                ids_by_key.setdefault(txn.series, set()).add(txn_id)
        truths = [(t, ids_by_key[t.key]) for t in household.truth_series]
        detected = detect_recurring(frame, household.end)
        detected_total += len(detected)
        hits: set[str] = set()
        for series in detected:
            ids = set(series.txn_ids)
            best = max(truths, key=lambda pair: len(ids & pair[1]) / len(ids | pair[1]))
            truth, truth_ids = best
            if truth.merchant != series.merchant or len(ids & truth_ids) / len(ids | truth_ids) < 0.5:
                continue
            correct += 1
            if truth.key in hits:
                continue
            hits.add(truth.key)
            matched += 1
            cadence_ok += truth.cadence == series.cadence
            status_ok += truth.cancelled == (series.status == "possibly_cancelled")
            subscription_ok += truth.is_subscription == series.is_subscription
            price_truth += len(truth.price_changes)
            found_dates = {(c.date, c.new) for c in series.price_changes}
            price_found += sum((d, new) in found_dates for d, _, new in truth.price_changes)
        detectable = [t for t, _ in truths if t.occurrences >= BY_NAME[t.cadence].min_count]
        truth_total += len(detectable)
        found += sum(t.key in hits for t in detectable)
        for t in detectable:
            by_cadence[t.cadence][0] += 1
            by_cadence[t.cadence][1] += t.key in hits
    precision = correct / detected_total if detected_total else 0.0
    recall = found / truth_total if truth_total else 0.0
    return {
        "households": n_households,
        "true_series": truth_total,
        "detected_series": detected_total,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "cadence_accuracy": round(cadence_ok / matched, 4) if matched else None,
        "status_accuracy": round(status_ok / matched, 4) if matched else None,
        "subscription_flag_accuracy": round(subscription_ok / matched, 4) if matched else None,
        "price_change_recall": round(price_found / price_truth, 4) if price_truth else None,
        "recall_by_cadence": {
            name: {"true": true, "recall": round(hit / true, 4) if true else None}
            for name, (true, hit) in by_cadence.items()
        },
    }
