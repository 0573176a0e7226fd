"""QIF (Quicken Interchange Format) bank, cash and credit-card transactions.

A file is read twice: a quick scan (section types, record count, every D date to settle the date format
for the whole file), then the streaming pass that yields rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from .amounts import AmountError, infer_decimal_comma, parse_amount
from .dates import DateColumnTally, DateParser
from .records import ImportFileError, ParsedRow, ParseSummary, RowError
from .text import join_description

TRANSACTION_SECTIONS = frozenset({"bank", "ccard", "cash", "oth a", "oth l"})
_SECTION_NAMES = {"invst": "investment", "cat": "category list", "class": "class list", "memorized": "memorised"}


def looks_like_qif(head: str) -> bool:
    """True when the first non-blank line is a QIF header (!Type:, !Account, !Option)."""
    for line in head.splitlines():
        if line.strip():
            return line.strip().lstrip("\ufeff").casefold().startswith(("!type:", "!account", "!option", "!clear"))
    return False


def normalize_qif_date(text: str) -> str:
    """Quicken's dates into ordinary ones: `1/ 3'25` → `1/3/2025` (an apostrophe marks the 2000s)."""
    text = "".join(text.split())
    if "'" in text:
        head, _, year = text.rpartition("'")
        if year.isdigit() and len(year) <= 2:
            year = str(2000 + int(year))
        text = f"{head}/{year}"
    return text


@dataclass
class QifScan:
    """What the first pass learns: section types, transaction record count, and the date tally."""

    sections: set[str] = field(default_factory=set)
    records: int = 0
    dates: DateColumnTally = field(default_factory=DateColumnTally)


def _lines(text: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text, start=1):
        stripped = line.rstrip("\r\n")
        if stripped.strip():
            yield number, stripped


def _section_of(header: str) -> str | None:
    """The section a `!` line opens: a type name, "account" for account lists, None for options."""
    key = header[1:].strip().casefold()
    if key.startswith("type:"):
        return key[5:].strip()
    if key.startswith("account"):
        return "account"
    return None


def scan_qif(text: TextIO) -> QifScan:
    """First pass: sections, transaction records and their dates."""
    scan = QifScan()
    section = "bank"
    in_record = False
    for _, line in _lines(text):
        if line.startswith("!"):
            section = _section_of(line) or section
            scan.sections.add(section)
            continue
        in_transactions = section in TRANSACTION_SECTIONS
        if line[0] == "^":
            scan.records += in_record and in_transactions
            in_record = False
            continue
        in_record = True
        if in_transactions and line[0] == "D":
            scan.dates.add(normalize_qif_date(line[1:]))
    scan.records += in_record and section in TRANSACTION_SECTIONS
    if not scan.sections & TRANSACTION_SECTIONS:
        found = ", ".join(sorted(_SECTION_NAMES.get(s, s) for s in scan.sections)) or "none"
        raise ImportFileError(f"The QIF file has no bank, cash or credit-card transactions (sections: {found}).")
    return scan


def read_qif(text: TextIO, date_format: str, summary: ParseSummary) -> Iterator[ParsedRow | RowError]:
    """Second pass: one ParsedRow or RowError per transaction record; other sections are skipped."""
    parse_date = DateParser(date_format)
    section = "bank"
    fields: dict[str, str] = {}
    start = 0
    for number, line in _lines(text):
        if line.startswith("!"):
            if fields:
                yield from _finish(fields, start, section, parse_date, summary)
                fields = {}
            section = _section_of(line) or section
            continue
        code, value = line[0], line[1:].strip()
        if code == "^":
            if fields:
                yield from _finish(fields, start, section, parse_date, summary)
            fields = {}
            continue
        if not fields:
            start = number
        if code in fields and code in "AM":  # address and memo may continue over several lines
            fields[code] = f"{fields[code]} {value}"
        else:
            fields.setdefault(code, value)
    if fields:
        yield from _finish(fields, start, section, parse_date, summary)


def _finish(
    fields: dict[str, str], line: int, section: str, parse_date: DateParser, summary: ParseSummary
) -> Iterator[ParsedRow | RowError]:
    if section == "account":
        return
    if section not in TRANSACTION_SECTIONS:
        summary.skip(line, f"{_SECTION_NAMES.get(section, section)} record")
        return
    yield _to_row(fields, line, parse_date)


def _to_row(fields: dict[str, str], line: int, parse_date: DateParser) -> ParsedRow | RowError:
    date_text = fields.get("D", "")
    if not date_text:
        return RowError(line, f"line {line}: the record has no date (D line)")
    try:
        date = parse_date(normalize_qif_date(date_text))
    except ValueError:
        return RowError(line, f"line {line}: date {date_text!r} is not a QIF date like 01/31/2025 or 1/31'25")
    amount_text = fields.get("T") or fields.get("U") or ""
    if not amount_text:
        return RowError(line, f"line {line}: the record has no amount (T line)")
    try:
        amount = parse_amount(amount_text, decimal_comma=infer_decimal_comma([amount_text]) is True)
    except AmountError as error:
        return RowError(line, f"line {line}: {error}")
    raw = {_FIELD_NAMES.get(code, code): value for code, value in fields.items()}
    return ParsedRow(
        line=line,
        date=date,
        amount=amount,
        description=join_description((fields.get("P", ""), fields.get("M", ""))),
        raw=raw,
    )


_FIELD_NAMES = {
    "D": "date",
    "T": "amount",
    "U": "amount (U)",
    "P": "payee",
    "M": "memo",
    "N": "number",
    "L": "category",
    "C": "cleared",
    "A": "address",
}
