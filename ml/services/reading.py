"""ORM → the DataFrames the pure ML code takes (`ml/frames.py` is the column contract).

Batches read many households with one query per chunk of households, never one query per household.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import pandas as pd
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast

from accounts.models import Household
from ml.frames import empty_transactions, validate_transactions
from transactions.models import Transaction

# Households read per query in batches: bounds memory while keeping the query count tiny.
HOUSEHOLDS_PER_QUERY = 200
_FIELDS = ("household_id", "txn_id", "date", "amount", "description", "merchant", "category", "account_id")


def households_to_run(only: Iterable[int] | None = None) -> list[int]:
    """The households a batch should cover: the given ones that exist, or all of them."""
    queryset = Household.objects.order_by("pk")
    if only is not None:
        queryset = queryset.filter(pk__in=list(only))
    return list(queryset.values_list("pk", flat=True))


def chunks(ids: Sequence[int], size: int = HOUSEHOLDS_PER_QUERY) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _rows(ids: Sequence[int], since: dt.date | None, include_transfers: bool) -> QuerySet:
    queryset = Transaction.objects.filter(household_id__in=ids, pending=False)
    if since is not None:
        queryset = queryset.filter(date__gte=since)
    if not include_transfers:
        # Money moved between the household's own accounts is neither a bill nor an unusual purchase.
        queryset = queryset.filter(transfer_pair__isnull=True)
    return queryset.annotate(
        txn_id=F("pk"), amount_float=Cast("amount", FloatField()), category_code=F("category__primary_code")
    ).values_list(
        "household_id", "txn_id", "date", "amount_float", "description", "merchant", "category_code", "account_id"
    )


def transaction_frames(
    ids: Sequence[int], *, since: dt.date | None = None, include_transfers: bool = False
) -> dict[int, pd.DataFrame]:
    """Posted transactions of the households `ids` (all of them in one query), one contract frame per household.

    Households without transactions get an empty frame. Time of day is not recorded, so `hour` is NaN.
    """
    frame = pd.DataFrame.from_records(
        list(_rows(ids, since, include_transfers).iterator(chunk_size=20000)), columns=_FIELDS
    )
    frames = {hid: empty_transactions() for hid in ids}
    if frame.empty:
        return frames
    frame["hour"] = float("nan")
    # Object dtype keeps "uncategorised" as None (pandas 3 would infer a string column and turn None into NaN).
    frame["category"] = frame["category"].astype(object)
    for hid, group in frame.groupby("household_id", sort=False):
        frames[int(hid)] = validate_transactions(group)
    return frames


def transaction_frame(household, **options) -> pd.DataFrame:
    """One household's contract frame (see `transaction_frames`)."""
    return transaction_frames([household.pk], **options)[household.pk]
