"""A tolerant streaming OFX/QFX reader: OFX 1.x SGML (leaf elements without closing tags) and OFX 2.x XML.

Only what an import needs is read: each STMTTRN of bank and credit-card statements, and the statement's
CURDEF. Tags are tokenised chunk by chunk, so memory stays flat and a broken transaction costs one RowError.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from .amounts import AmountError, parse_amount
from .records import ImportFileError, ParsedRow, RowError
from .text import clean_whitespace, join_description

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_.]*)[^<>]*>([^<]*)")
_OFX_DATE = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:\d{0,6}(?:\.\d+)?)?\s*(?:\[[^\]]*\])?\s*")
_CHUNK = 1 << 16
_MAX_CARRY = 1 << 20  # a tag plus its value never comes near this; beyond it the text is not OFX
SNIFF = re.compile(r"OFXHEADER\s*:|<OFX[\s>]|<\?OFX\b", re.IGNORECASE)


def looks_like_ofx(head: str) -> bool:
    """True when the start of the file is an OFX header or element."""
    return bool(SNIFF.search(head[:4096]))


@dataclass
class _Transaction:
    line: int
    fields: dict[str, str] = field(default_factory=dict)


def read_ofx(text: TextIO) -> Iterator[ParsedRow | RowError]:
    """Yield a ParsedRow (or RowError) per STMTTRN, in file order."""
    currency: str | None = None
    current: _Transaction | None = None
    for line, closing, tag, value in _tokens(text):
        if tag == "STMTTRN":
            if current is not None:  # a missing </STMTTRN>: close the open one
                yield _to_row(current, currency)
                current = None
            if not closing:
                current = _Transaction(line)
        elif closing and tag in {"BANKTRANLIST", "STMTRS", "CCSTMTRS"} and current is not None:
            yield _to_row(current, currency)
            current = None
        elif current is not None:
            if not closing and value and tag not in current.fields:
                current.fields[tag] = value
        elif tag == "CURDEF" and value:
            currency = value.upper()
    if current is not None:
        yield _to_row(current, currency)


def check_ofx(head: str) -> None:
    """Refuse a file that claims to be OFX but has no OFX element in its first bytes."""
    if not re.search(r"<OFX[\s>]", head, re.IGNORECASE):
        raise ImportFileError("The OFX file has no <OFX> element; it is damaged or not an OFX statement.")


def _tokens(text: TextIO) -> Iterator[tuple[int, bool, str, str]]:
    """(line, is closing tag, TAG, text after the tag) for every tag; values are entity-decoded and trimmed."""
    pending = ""
    line = 1
    while True:
        chunk = text.read(_CHUNK)
        buffer = pending + chunk
        # Only tokenise up to the last "<": the tag (and value) after it may continue in the next chunk.
        cut = buffer.rfind("<") if chunk else len(buffer)
        if chunk and cut == 0 and len(buffer) < _MAX_CARRY:
            pending = buffer
            continue
        if cut <= 0:
            cut = len(buffer)
        position = 0
        for match in _TAG.finditer(buffer, 0, cut):
            line += buffer.count("\n", position, match.start())
            position = match.start()
            value = match.group(3)
            if "&" in value:
                value = html.unescape(value)
            yield line, match.group(1) == "/", match.group(2).upper(), value.strip()
        line += buffer.count("\n", position, cut)
        pending = buffer[cut:]
        if not chunk:
            return


def _to_row(transaction: _Transaction, currency: str | None) -> ParsedRow | RowError:
    fields = transaction.fields
    line = transaction.line
    posted = fields.get("DTPOSTED") or fields.get("DTUSER")
    if not posted:
        return RowError(line, f"line {line}: the transaction has no DTPOSTED date")
    date = _ofx_date(posted)
    if date is None:
        return RowError(line, f"line {line}: DTPOSTED {posted!r} is not an OFX date (YYYYMMDD...)")
    amount_text = fields.get("TRNAMT", "")
    if not amount_text:
        return RowError(line, f"line {line}: the transaction has no TRNAMT amount")
    try:
        amount = parse_amount(amount_text, decimal_comma="," in amount_text and "." not in amount_text)
    except AmountError as error:
        return RowError(line, f"line {line}: TRNAMT {error}")
    description = join_description((fields.get("NAME", ""), fields.get("MEMO", "")))
    authorized = _ofx_date(fields["DTUSER"]) if "DTUSER" in fields else None
    return ParsedRow(
        line=line,
        date=date,
        amount=amount,
        description=description or clean_whitespace(fields.get("TRNTYPE", "").title()),
        currency=(fields.get("CURSYM") or currency or None),
        external_id=fields.get("FITID") or None,
        authorized_date=authorized,
        balance=None,
        raw=dict(fields),
    )


def _ofx_date(text: str) -> dt.date | None:
    match = _OFX_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
