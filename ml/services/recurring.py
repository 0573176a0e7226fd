"""Recurring payments and subscriptions: detection (`ml.recurring`) stored as RecurringSeries, keeping the user's
word about each series (its name, "not a subscription", "cancelled")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ml import recurring as detection
from ml.models import ModelRun, RecurringSeries
from transactions.models import FinancialAccount
from transactions.services.bulk import update_by_id

from .categorizing import system_category_ids
from .reading import chunks, households_to_run, transaction_frames
from .runs import model_run

Key = tuple[str, str, bool]  # (merchant, cadence, is_income): one stored series each
# Refreshed on every run. The user's own fields are not: display_name and user_marked_not_subscription are never
# written here, user_cancelled only to clear it when the series charged again.
DETECTED_FIELDS = (
    "account", "category", "amount", "currency", "last_date", "next_date", "next_amount", "status",
    "is_subscription", "price_changes", "confidence", "occurrences", "updated_at",
)  # fmt: skip


@dataclass
class RecurringTally:
    households: int = 0
    series: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    subscriptions: int = 0
    income: int = 0
    possibly_cancelled: int = 0
    price_changes: int = 0
    reactivated: int = 0  # the user said "cancelled" but it charged again
    by_cadence: dict[str, int] = field(default_factory=dict)


def recurring_detect(household_ids: Iterable[int] | None = None) -> dict:
    """Detect the recurring series of the households (all when None) and store them; records a ModelRun.

    Reads each chunk of households with one query; writes in bulk per chunk.
    """
    ids = households_to_run(household_ids)
    tally = RecurringTally()
    with model_run(ModelRun.Kind.RECURRING) as run:
        for chunk in chunks(ids):
            frames = transaction_frames(chunk)
            currencies = dict(FinancialAccount.objects.filter(household_id__in=chunk).values_list("pk", "currency"))
            found = {hid: _unique_series(detection.detect_recurring(frame)) for hid, frame in frames.items()}
            _store(chunk, found, currencies, tally)
        tally.households = len(ids)
        run.households = len(ids)
        run.metrics.update(vars(tally))
    return {"run_id": run.run.pk, **vars(tally)}


def _unique_series(found: list[detection.RecurringSeries]) -> dict[Key, detection.RecurringSeries]:
    """One series per (merchant, cadence, direction): the most confident when detection finds two."""
    best: dict[Key, detection.RecurringSeries] = {}
    for series in found:
        key = (series.merchant[:200], series.cadence, series.is_income)
        if key not in best or series.confidence > best[key].confidence:
            best[key] = series
    return best


def _has_user_marks(series: RecurringSeries) -> bool:
    return bool(series.display_name or series.user_marked_not_subscription or series.user_cancelled)


@transaction.atomic
def _store(
    chunk: list[int],
    found: dict[int, dict[Key, detection.RecurringSeries]],
    currencies: dict[int, str],
    tally: RecurringTally,
) -> None:
    existing = {
        (s.household_id, (s.merchant, s.cadence, s.is_income)): s
        for s in RecurringSeries.objects.filter(household_id__in=chunk)
    }
    categories = system_category_ids()
    now = timezone.now()
    to_create, to_update, members = [], [], []
    for household_id, by_key in found.items():
        for key, detected in by_key.items():
            row = existing.pop((household_id, key), None)
            if row is None:
                row = RecurringSeries(household_id=household_id, merchant=key[0], cadence=key[1], is_income=key[2])
                to_create.append(row)
            else:
                to_update.append(row)
            _apply(row, detected, categories, currencies, tally)
            row.updated_at = now
            members.append((row, detected.txn_ids))
    # Series no longer found (their transactions were deleted or undone) go, unless the user has marked them.
    vanished = [s.pk for s in existing.values() if not _has_user_marks(s)]
    tally.removed += RecurringSeries.objects.filter(pk__in=vanished).delete()[1].get(RecurringSeries._meta.label, 0)
    RecurringSeries.objects.bulk_create(to_create)
    # user_cancelled too: `_apply` clears it when the series charged again after the user's mark.
    fields = (*DETECTED_FIELDS, "user_cancelled")
    update_by_id(RecurringSeries, fields, ((row.pk, *(_column_value(row, f) for f in fields)) for row in to_update))
    tally.created += len(to_create)
    tally.updated += len(to_update)
    _set_members(members)


def _column_value(row: RecurringSeries, name: str):
    field = RecurringSeries._meta.get_field(name)
    return getattr(row, field.attname)


def _apply(row: RecurringSeries, detected: detection.RecurringSeries, categories, currencies, tally) -> None:
    """Copy what detection says onto the row, keeping the user's marks."""
    charged_again = row.user_cancelled and row.last_date is not None and detected.last_date > row.last_date
    if charged_again:
        row.user_cancelled = False
        tally.reactivated += 1
    row.account_id = detected.account_id
    row.category_id = categories.get(detected.category) if detected.category else None
    row.amount = Decimal(detected.typical_amount)
    row.currency = currencies.get(detected.account_id, row.currency)
    row.last_date = detected.last_date
    row.next_date = detected.next_date
    row.next_amount = Decimal(detected.next_amount)
    row.status = RecurringSeries.Status.CANCELLED if row.user_cancelled else detected.status
    row.is_subscription = detected.is_subscription
    row.price_changes = [{"date": c.date.isoformat(), "old": c.old, "new": c.new} for c in detected.price_changes]
    row.confidence = detected.confidence
    row.occurrences = detected.occurrences
    tally.series += 1
    tally.subscriptions += detected.is_subscription and not row.user_marked_not_subscription
    tally.income += detected.is_income
    tally.possibly_cancelled += detected.status == RecurringSeries.Status.POSSIBLY_CANCELLED
    tally.price_changes += len(detected.price_changes)
    tally.by_cadence[detected.cadence] = tally.by_cadence.get(detected.cadence, 0) + 1


def _set_members(rows: Iterable[tuple[RecurringSeries, tuple[int, ...]]]) -> None:
    """Link each series to its transactions, rewriting only the series whose set of transactions changed."""
    through = RecurringSeries.transactions.through
    wanted = {row.pk: set(txn_ids) for row, txn_ids in rows}
    current: dict[int, set[int]] = {pk: set() for pk in wanted}
    for series_id, txn_id in through.objects.filter(recurringseries_id__in=wanted).values_list(
        "recurringseries_id", "transaction_id"
    ):
        current[series_id].add(txn_id)
    changed = [pk for pk, txn_ids in wanted.items() if txn_ids != current[pk]]
    through.objects.filter(recurringseries_id__in=changed).delete()
    through.objects.bulk_create(
        (through(recurringseries_id=pk, transaction_id=txn_id) for pk in changed for txn_id in wanted[pk]),
        batch_size=5000,
    )
