"""Duplicate detection keys: a fingerprint per (date, amount, description) and an occurrence counter.

The database keeps (account, fingerprint, occurrence) unique. Two genuine identical coffees on one day
get occurrences 1 and 2; importing the same or an overlapping export again produces the same keys, so
nothing is added twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from .records import ParsedRow, RowError

# Translating UTF-8 bytes through a 256-byte table is several times faster than a regex or str.translate,
# and this runs once per imported row.
_PUNCTUATION_TO_SPACE = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))


def _normalized_bytes(description: str) -> bytes:
    return b" ".join(description.lower().encode().translate(_PUNCTUATION_TO_SPACE).split())


def normalize_description(description: str) -> str:
    """Case, punctuation and spacing do not make a different transaction: `Blue  Bottle,` = `BLUE BOTTLE`."""
    return _normalized_bytes(description).decode()


def _amount_key(amount: Decimal) -> str:
    if not amount:
        return "0"
    return format(amount.normalize(), "f")  # -12.5 and -12.50 are the same amount


def fingerprint(date: dt.date, amount: Decimal, description: str) -> str:
    """A stable 16-hex-digit key of a transaction's date, amount and normalised description."""
    key = b"%s|%s|%s" % (date.isoformat().encode(), _amount_key(amount).encode(), _normalized_bytes(description))
    return hashlib.blake2b(key, digest_size=8).hexdigest()


class FingerprintedRow(NamedTuple):
    row: ParsedRow
    fingerprint: str
    occurrence: int  # 1 for the first row with this fingerprint in the file, 2 for the next...


def assign_occurrences(rows: Iterable[ParsedRow | RowError]) -> Iterator[FingerprintedRow | RowError]:
    """Key each row for duplicate detection; RowErrors pass through unchanged, so parse() output can be piped.

    Occurrences count within one file, in file order. A file that starts or ends in the middle of a day
    can only match the rows of that day it contains, which is why overlapping exports should overlap by
    whole days.
    """
    seen: dict[str, int] = {}
    for row in rows:
        if type(row) is RowError:
            yield row
            continue
        key = fingerprint(row.date, row.amount, row.description)  # type: ignore[union-attr]
        occurrence = seen.get(key, 0) + 1
        seen[key] = occurrence
        yield FingerprintedRow(row, key, occurrence)  # type: ignore[arg-type]
