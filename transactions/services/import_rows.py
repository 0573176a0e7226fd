"""From parsed rows to rows the database accepts: cleaned, keyed for duplicate detection, errors tallied.

Pure (no database), so it can run ahead of the writer in another thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from transactions.importing import FingerprintedRow, ParsedRow, RowError, assign_occurrences
from transactions.importing.export import EXPORT_COLUMNS
from transactions.merchants import normalize_merchant

MAX_LISTED_ERRORS = 1000
EXPORT_PROFILE = "fincoach"  # fincoach's own CSV export, recognised by the parser
EXPORT_ID_COLUMN = EXPORT_COLUMNS[-1]  # "Id": the exported transaction's id
_MAX_AMOUNT = Decimal("1e12")  # DECIMAL(14, 2)
_CENT = Decimal("0.01")
_BAD_TEXT = re.compile(r"[\x00\ud800-\udfff]")  # PostgreSQL refuses NULs and lone surrogates
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(slots=True)
class NewRow:
    """A row ready for the table (validated and keyed for duplicate detection). Mutable: the import's categoriser
    fills in the category fields of its own rows in place (copying 100,000 rows would cost more than deciding)."""

    date: dt.date
    authorized_date: dt.date | None
    amount: Decimal
    currency: str
    description: str
    merchant: str
    pending: bool
    external_id: str | None
    fingerprint: str
    occurrence: int
    export_id: int | None = None  # the transaction id a fincoach export row came from
    # Decided before the insert (ImportCategoriser).
    category_id: int | None = None
    category_source: str = ""
    category_confidence: Decimal | None = None
    category_suggested: bool = False
    excluded: bool = False


@dataclass
class RowTally:
    """What the rows turned out to be, counted as they stream by."""

    rows: int = 0  # readable transaction rows, new or duplicate
    errors: int = 0
    listed_errors: list[dict] = field(default_factory=list)

    def error(self, line: int, reason: str) -> None:
        self.errors += 1
        if len(self.listed_errors) < MAX_LISTED_ERRORS:
            self.listed_errors.append({"line": line, "reason": reason})


def prepared_rows(
    items: Iterable[ParsedRow | RowError], *, currency: str, tally: RowTally, from_export: bool = False
) -> Iterator[NewRow]:
    """Clean, key and convert parsed rows; errors go to the tally with their line numbers."""
    merchants = MerchantMemo()
    for item in assign_occurrences(sanitised(items, currency)):
        if type(item) is RowError:
            tally.error(item.line, item.reason)
            continue
        tally.rows += 1
        yield _new_row(item, merchants, from_export)


class MerchantMemo(dict):
    """Normalised merchant per description within one file: a statement repeats its descriptions (the same shop,
    the same bill), and normalising costs more than a lookup. Bounded, so memory stays flat on any file."""

    LIMIT = 50_000

    def __missing__(self, description: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        merchant = self[description] = normalize_merchant(description)[:200]
        return merchant


def sanitised(items: Iterable[ParsedRow | RowError], currency: str) -> Iterator[ParsedRow | RowError]:
    """Rows the database will accept: amounts in cents and in range, text without NULs, a valid currency."""
    for item in items:
        if type(item) is not ParsedRow:
            yield item
            continue
        amount = item.amount
        if amount.as_tuple().exponent != -2:
            amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        if abs(amount) >= _MAX_AMOUNT:
            yield RowError(item.line, f"line {item.line}: the amount {item.amount} is too large to be a transaction")
            continue
        item.amount = amount
        if _BAD_TEXT.search(item.description):
            item.description = _BAD_TEXT.sub("", item.description)
        code = (item.currency or "").strip().upper()
        item.currency = code if _CURRENCY.match(code) else currency
        if item.external_id is not None:
            item.external_id = _BAD_TEXT.sub("", item.external_id).strip()[:120] or None
        yield item


def _new_row(item: FingerprintedRow, merchants: MerchantMemo, from_export: bool) -> NewRow:
    row, key, occurrence = item
    description = row.description[:500] or "(no description)"
    return NewRow(
        date=row.date,
        authorized_date=row.authorized_date,
        amount=row.amount,
        currency=row.currency,
        description=description,
        merchant=merchants[description],
        pending=row.pending,
        external_id=row.external_id,
        fingerprint=key,
        occurrence=occurrence,
        export_id=_export_id(row) if from_export else None,
    )


def _export_id(row: ParsedRow) -> int | None:
    text = (row.raw.get(EXPORT_ID_COLUMN) or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None
