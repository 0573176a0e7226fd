"""fincoach's CSV export: one row per transaction, safe to open in a spreadsheet, and re-importable through
the built-in "fincoach" profile (which undoes the formula escaping)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

EXPORT_COLUMNS = ("Date", "Description", "Merchant", "Amount", "Currency", "Category", "Account", "Notes", "Tags", "Id")

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_ESCAPE = "'"


@dataclass(frozen=True)
class ExportRow:
    """One transaction as exported; `amount` is signed (negative when money left the account)."""

    date: dt.date
    description: str
    amount: Decimal
    currency: str = ""
    merchant: str = ""
    category: str = ""
    account: str = ""
    notes: str = ""
    tags: Sequence[str] = field(default=())
    id: str | int = ""


def escape_formula(text: str) -> str:
    """Neutralise a text cell a spreadsheet would evaluate, by prefixing an apostrophe.

    Text that already starts with an apostrophe followed by a trigger (or another apostrophe) is prefixed
    too, so unescape_formula() restores every value exactly.
    """
    if not text:
        return text
    if text[0] in _FORMULA_TRIGGERS or (text[0] == _ESCAPE and _escaped_pair(text)):
        return _ESCAPE + text
    return text


def unescape_formula(text: str) -> str:
    """Undo escape_formula()."""
    if text[:1] == _ESCAPE and _escaped_pair(text):
        return text[1:]
    return text


def _escaped_pair(text: str) -> bool:
    second = text[1:2]
    return bool(second) and (second in _FORMULA_TRIGGERS or second == _ESCAPE)


def _field(row: ExportRow | Mapping[str, Any], name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name, "")
    return getattr(row, name)


def write_csv(rows: Iterable[ExportRow | Mapping[str, Any]], stream: TextIO) -> int:
    """Write the export header and rows (ExportRow or mappings with the same keys) to a text stream.

    Dates are ISO, amounts plain signed numbers; every text cell is formula-escaped. Returns the row count.
    Open files with newline="" as the csv module requires.
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        date = _field(row, "date")
        amount = _field(row, "amount")
        tags = _field(row, "tags") or ()
        tags_text = tags if isinstance(tags, str) else ", ".join(str(tag) for tag in tags)
        writer.writerow(
            (
                date.isoformat(),
                escape_formula(str(_field(row, "description") or "")),
                escape_formula(str(_field(row, "merchant") or "")),
                format(Decimal(str(amount)), "f"),
                escape_formula(str(_field(row, "currency") or "")),
                escape_formula(str(_field(row, "category") or "")),
                escape_formula(str(_field(row, "account") or "")),
                escape_formula(str(_field(row, "notes") or "")),
                escape_formula(tags_text),
                escape_formula(str(_field(row, "id") or "")),
            )
        )
        count += 1
    return count
