"""Unusual transactions: detection (`ml.anomalies`) stored as Anomaly rows with their reasons.

Two paths share one detector:
- nightly (`anomalies_detect`): every household, the last `WINDOW_DAYS` of its history judged against all of it;
- on new money (`anomalies_check_new`, from `ml.hooks`): just the new, recent transactions of one household, with a
  notification for the clearly unusual ones (once per transaction).
Patterns the household dismissed are passed to the detector, so they are never flagged again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from django.db import transaction

from ml.models import Anomaly, DismissedAnomalyPattern, ModelRun, RecurringSeries
from ml.selectors import MAX_IMMEDIATE, recent_transaction_ids

from .reading import chunks, households_to_run, transaction_frame, transaction_frames
from .runs import model_run

WINDOW_DAYS = 90  # the nightly run reports on this much of the latest history
NOTIFY_SCORE = 0.7  # a duplicate charge is always worth telling


@dataclass
class AnomalyTally:
    households: int = 0
    flagged: int = 0
    created: int = 0
    updated: int = 0
    cleared: int = 0  # open anomalies the latest data no longer supports
    isolation_forest: int = 0
    robust: int = 0


@dataclass
class Judged:
    """What the detector said about one household: its findings among the transactions it judged."""

    found: list
    transaction_ids: set[int]


def _dismissed(ids: Sequence[int]) -> dict[int, set[tuple[str, str]]]:
    patterns: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for household_id, merchant, kind in DismissedAnomalyPattern.objects.filter(household_id__in=ids).values_list(
        "household_id", "merchant", "reason_kind"
    ):
        patterns[household_id].add((merchant, kind))
    return patterns


def _recurring_txn_ids(ids: Sequence[int]) -> dict[int, set[int]]:
    """Transactions of the stored recurring series (rent is large but expected); households without stored series
    are absent, and the detector finds their series itself."""
    through = RecurringSeries.transactions.through
    members: dict[int, set[int]] = defaultdict(set)
    for household_id, txn_id in through.objects.filter(recurringseries__household_id__in=ids).values_list(
        "recurringseries__household_id", "transaction_id"
    ):
        members[household_id].add(txn_id)
    return members


def _detect(frame: pd.DataFrame, since: dt.date, dismissed: set, recurring: set[int] | None) -> list:
    from ml.anomalies import detect_anomalies

    return detect_anomalies(frame, since=since, dismissed=dismissed, recurring_txn_ids=recurring)


def anomalies_detect(household_ids: Iterable[int] | None = None) -> dict:
    """Nightly: detect and store the anomalies of the households (all when None); records a ModelRun."""
    ids = households_to_run(household_ids)
    tally = AnomalyTally(households=len(ids))
    with model_run(ModelRun.Kind.ANOMALIES) as run:
        for chunk in chunks(ids):
            frames = transaction_frames(chunk)
            dismissed, recurring = _dismissed(chunk), _recurring_txn_ids(chunk)
            judged: dict[int, Judged] = {}
            for household_id, frame in frames.items():
                if frame.empty:
                    continue
                since = (frame["date"].max() - pd.Timedelta(days=WINDOW_DAYS)).date()
                found = _detect(frame, since, dismissed[household_id], recurring.get(household_id))
                judged[household_id] = Judged(found, set(frame.loc[frame["date"] >= pd.Timestamp(since), "txn_id"]))
            _store(judged, tally)
        run.households = len(ids)
        run.metrics.update(vars(tally))
    return {"run_id": run.run.pk, **vars(tally)}


@transaction.atomic
def _store(judged: dict[int, Judged], tally: AnomalyTally) -> list[Anomaly]:
    """Upsert the findings of many households in a few statements. Open anomalies among the judged transactions
    that were not found again are cleared; the user's dismissed and confirmed ones are kept as they are. Returns the
    newly created anomalies."""
    existing = {
        a.transaction_id: a
        for a in Anomaly.objects.filter(household_id__in=list(judged)).only("pk", "transaction_id", "status")
    }
    created, updated, found_ids = [], [], set()
    for household_id, result in judged.items():
        for finding in result.found:
            found_ids.add(finding.txn_id)
            reasons = [{"kind": r.kind, "text": r.text} for r in finding.reasons]
            row = existing.get(finding.txn_id)
            if row is None:
                created.append(
                    Anomaly(
                        household_id=household_id, transaction_id=finding.txn_id, score=finding.score,
                        reasons=reasons, method=finding.method,
                    )
                )  # fmt: skip
            elif row.status == Anomaly.Status.OPEN:
                row.score, row.reasons, row.method = finding.score, reasons, finding.method
                updated.append(row)
            tally.flagged += 1
            setattr(tally, finding.method, getattr(tally, finding.method) + 1)
    judged_ids = set().union(*(result.transaction_ids for result in judged.values()))
    stale = [
        a.pk
        for txn_id, a in existing.items()
        if a.status == Anomaly.Status.OPEN and txn_id in judged_ids and txn_id not in found_ids
    ]
    tally.cleared += Anomaly.objects.filter(pk__in=stale).delete()[0]
    Anomaly.objects.bulk_create(created, ignore_conflicts=True)
    Anomaly.objects.bulk_update(updated, ["score", "reasons", "method"])
    tally.created += len(created)
    tally.updated += len(updated)
    return created


def anomalies_check_new(household, transaction_ids: Sequence[int]) -> list[Anomaly]:
    """The cheap path after new money arrives: judge the household's new, recent transactions against its history,
    store what stands out, and notify the household of the clearly unusual (once each). A history import (more
    than `MAX_IMMEDIATE` recent transactions) is left to the nightly run."""
    wanted = set(recent_transaction_ids(household, transaction_ids))
    if not wanted or len(wanted) > MAX_IMMEDIATE:
        return []
    frame = transaction_frame(household)
    new = frame[frame["txn_id"].isin(wanted)]
    if new.empty:  # pending, or a transfer between own accounts
        return []
    since = new["date"].min().date()
    found = _detect(
        frame, since, _dismissed([household.pk])[household.pk], _recurring_txn_ids([household.pk]).get(household.pk)
    )
    found = [f for f in found if f.txn_id in wanted]
    created = _store({household.pk: Judged(found, set(new["txn_id"]))}, AnomalyTally())
    worth_telling = [a for a in created if a.score >= NOTIFY_SCORE or any(r["kind"] == "duplicate" for r in a.reasons)]
    merchants = dict(zip(new["txn_id"], new["merchant"], strict=True))
    for anomaly in worth_telling:
        _notify(household, anomaly, merchants.get(anomaly.transaction_id) or "a merchant")
    return created


def _notify(household, anomaly: Anomaly, merchant: str) -> None:
    from django.urls import reverse

    from insights.models import Notification
    from insights.notifications import notify_household

    notify_household(
        household,
        kind="anomaly",
        title=f"Unusual charge at {merchant}",
        body="; ".join(r["text"] for r in anomaly.reasons).capitalize(),
        link=reverse("ml:anomaly_list"),
        priority=Notification.Priority.HIGH,
        dedupe_key=f"anomaly:{anomaly.transaction_id}",
    )
