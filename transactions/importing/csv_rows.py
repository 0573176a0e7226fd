"""Turning a CSV file's records into ParsedRow / RowError, streaming, with skipped rows counted."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from .amounts import AmountError, parse_amount, plain_amount_matcher
from .csv_layout import CsvLayout
from .csv_records import MalformedCsv, iter_records
from .dates import DateParser
from .decoding import Source
from .export import unescape_formula
from .records import ParsedRow, ParseSummary, RowError
from .text import clean_whitespace, join_description

# Rows without a date or an amount that name a balance or a total are statement furniture, not errors.
_BALANCE_LINE = re.compile(r"balance|kontostand|saldo|solde|balans", re.IGNORECASE)
_SUMMARY_LINE = re.compile(r"\b(?:sub)?totals?\b|\bsumme\b|\bgesamt|\btotaal\b|\bumsätze\b", re.IGNORECASE)
NEVER_HAPPENED = frozenset({"reverted", "declined", "failed", "cancelled", "canceled", "rejected", "abgelehnt"})
PENDING = frozenset(
    {
        "pending",
        "vorgemerkt",
        "umsatz vorgemerkt",
        "authorised",
        "authorized",
        "in behandeling",
        "en attente",
        "pendiente",
    }
)


class CsvRowReader:
    """Iterates a CSV file's data records as ParsedRow / RowError, recording skips in the summary."""

    def __init__(self, source: Source, layout: CsvLayout, summary: ParseSummary) -> None:
        self._source = source
        self._layout = layout
        self._summary = summary
        columns = layout.columns
        self._date = _single(columns.get("date"))
        self._authorized = _single(columns.get("authorized_date"))
        description = columns.get("description", ())
        self._description = description if isinstance(description, tuple) else (description,)
        self._amount = _single(columns.get("amount"))
        self._debit = _single(columns.get("debit"))
        self._credit = _single(columns.get("credit"))
        self._direction = _single(columns.get("direction"))
        self._fee = _single(columns.get("fee"))
        self._currency = _single(columns.get("currency"))
        self._external_id = _single(columns.get("external_id"))
        self._balance = _single(columns.get("balance"))
        self._status = _single(columns.get("status"))
        used = [i for spec in columns.values() for i in (spec if isinstance(spec, tuple) else (spec,))]
        self._width = max([*used, *layout.description_fallback, len(layout.header) - 1, 0]) + 1
        self._raw_keys = _unique_keys(layout.header, self._width)
        self._parse_date = DateParser(layout.date_format or "%Y-%m-%d")
        self._read_money = _money_reader(layout.decimal_comma)
        self._debit_values = frozenset(layout.direction_debit_values)
        self._credit_values = frozenset(layout.direction_credit_values)
        self._convert = self._converter()

    def __iter__(self) -> Iterator[ParsedRow | RowError]:
        layout = self._layout
        header = list(layout.header)
        convert = self._convert
        with self._source.open_text(layout.encoding) as text:
            try:
                for line, cells in iter_records(text, layout.delimiter):
                    if line <= layout.header_line:
                        continue
                    if cells == header:
                        self._summary.skip(line, "repeated header")
                        continue
                    item = convert(line, cells)
                    if item is not None:
                        yield item
            except MalformedCsv as error:
                yield RowError(error.line, error.reason)

    def _converter(self) -> Callable[[int, list[str]], ParsedRow | RowError | None]:
        """The per-record conversion: a row, a RowError, or None after recording why the record was skipped.

        It runs once per row, so everything that depends only on the layout (column positions, the sign
        convention, how the description is built) is decided here, once, and bound as closure variables.
        """
        width = self._width
        date_index = self._date if self._date is not None else 0
        date_cache = self._parse_date.cache
        parse_date = self._parse_date
        amount_of = self._amount_reader()
        describe = self._description_reader()
        status_index = self._status
        fee_index = self._fee
        read_money = self._read_money
        currency_of = self._currency_of
        currency_index = self._currency
        default_currency = self._layout.currency
        external_id_of = self._external_id_of
        external_id_index = self._external_id
        authorized_index = self._authorized
        optional_date = self._optional_date
        balance_index = self._balance
        optional_amount = self._optional_amount
        raw_keys = self._raw_keys
        key_count = len(raw_keys)
        full_raw = self._raw
        skip = self._skip
        undated = self._undated

        def convert(line: int, cells: list[str]) -> ParsedRow | RowError | None:
            count = len(cells)
            if count < width:
                if not any(cell.strip() for cell in cells):
                    return skip(line, "empty row")
                cells = cells + [""] * (width - count)
            date_text = cells[date_index]
            date = date_cache.get(date_text)
            if date is None:
                try:
                    date = parse_date(date_text)
                except ValueError as error:
                    return undated(line, cells, date_text, error)
            pending = False
            if status_index is not None:
                status = cells[status_index].strip()
                if status.casefold() in NEVER_HAPPENED:
                    return skip(line, f"state {status.upper()}")
                pending = status.casefold() in PENDING
            try:
                amount = amount_of(cells)
                if amount is None:
                    return skip(line, "balance line" if _mentions(_BALANCE_LINE, cells) else "no amount")
                if fee_index is not None and (fee := read_money(cells[fee_index])):
                    amount -= abs(fee)
            except AmountError as error:
                return RowError(line, f"line {line}: {error}")
            return ParsedRow(
                line,
                date,
                amount if amount else abs(amount),  # no negative zero from "-0.00" or an inverted 0.00
                describe(cells),
                currency_of(cells) if currency_index is not None else default_currency,
                external_id_of(cells) if external_id_index is not None else None,
                optional_date(cells, authorized_index) if authorized_index is not None else None,
                pending,
                optional_amount(cells, balance_index) if balance_index is not None else None,
                # Chase rows end with one more, empty, field than the header: nothing to keep from it.
                dict(zip(raw_keys, cells, strict=False))
                if count == key_count or (count == key_count + 1 and not cells[-1])
                else full_raw(cells),
            )

        return convert

    def _amount_reader(self) -> Callable[[list[str]], Decimal | None]:
        """Signed amount of a record under the layout's sign convention; None when it has no amount."""
        read = self._read_money
        sign = self._layout.sign
        amount_index, debit_index, credit_index = self._amount, self._debit, self._credit
        if sign == "debit_credit":

            def debit_credit(cells: list[str]) -> Decimal | None:
                debit = read(cells[debit_index]) if debit_index is not None else None
                credit = read(cells[credit_index]) if credit_index is not None else None
                if debit is None and credit is None:
                    return None
                return abs(credit or 0) - abs(debit or 0)  # Citi and Deutsche Bank sign these columns too

            return debit_credit
        assert amount_index is not None  # resolve_layout() reports a missing amount column
        if sign == "direction":
            direction_index, is_debit = self._direction, self._is_debit

            def by_direction(cells: list[str]) -> Decimal | None:
                amount = read(cells[amount_index])
                if amount is None:
                    return None
                return -abs(amount) if is_debit(cells[direction_index]) else abs(amount)  # type: ignore[index]

            return by_direction
        if sign == "inverted":

            def inverted(cells: list[str]) -> Decimal | None:
                amount = read(cells[amount_index])
                return None if amount is None else -amount

            return inverted
        return lambda cells: read(cells[amount_index])

    def _description_reader(self) -> Callable[[list[str]], str]:
        if len(self._description) == 1 and not self._layout.unescape_formulas:
            index = self._description[0]
            describe = self._describe
            return lambda cells: " ".join(cells[index].split()) or describe(cells)
        return self._describe

    def _undated(self, line: int, cells: list[str], date_text: str, error: ValueError) -> RowError | None:
        """A record whose date is missing or unreadable: a balance/summary line, a pending row, or an error."""
        if not any(cell.strip() for cell in cells):
            return self._skip(line, "empty row")
        authorized_text = cells[self._authorized] if self._authorized is not None else ""
        if not date_text.strip() and self._optional_date(cells, self._authorized) is not None:
            # No posting date yet (Revolut): the row is pending, dated by its authorisation.
            converted = self._converter()(
                line, [authorized_text if i == self._date else c for i, c in enumerate(cells)]
            )
            if isinstance(converted, ParsedRow):
                converted.pending = True
                converted.raw[self._raw_keys[self._date]] = ""  # type: ignore[index]
            return converted
        if _mentions(_BALANCE_LINE, cells):
            return self._skip(line, "balance line")
        if _mentions(_SUMMARY_LINE, cells):
            return self._skip(line, "summary line")
        if not any(text.strip() for text in self._money_cells(cells)):
            return self._skip(line, "no date and no amount")
        if not date_text.strip():
            return RowError(line, f"line {line}: the date is empty")
        return RowError(line, f"line {line}: {error}")

    def _skip(self, line: int, reason: str) -> None:
        self._summary.skip(line, reason)
        return None

    def _money_cells(self, cells: list[str]) -> tuple[str, ...]:
        indexes = (self._debit, self._credit) if self._layout.sign == "debit_credit" else (self._amount,)
        return tuple(cells[i] for i in indexes if i is not None)

    def _is_debit(self, value: str) -> bool:
        key = value.strip().casefold()
        if key in self._debit_values:
            return True
        if not self._credit_values or key in self._credit_values:
            return False
        debit = "/".join(sorted(self._debit_values))
        raise AmountError(f"direction {value!r} is neither debit ({debit}) nor credit")

    def _describe(self, cells: list[str]) -> str:
        text = self._join(cells, self._description)
        if not text and self._layout.description_fallback:
            text = self._join(cells, self._layout.description_fallback)
        return text

    def _join(self, cells: list[str], indexes: tuple[int, ...]) -> str:
        unescape = self._layout.unescape_formulas
        if len(indexes) == 1:
            text = cells[indexes[0]]
            return clean_whitespace(unescape_formula(text) if unescape else text)
        return join_description(unescape_formula(cells[i]) if unescape else cells[i] for i in indexes)

    def _currency_of(self, cells: list[str]) -> str | None:
        if self._currency is not None:
            code = cells[self._currency].strip().upper()
            if len(code) == 3 and code.isalpha():
                return code
        return self._layout.currency

    def _external_id_of(self, cells: list[str]) -> str | None:
        if self._external_id is None:
            return None
        return cells[self._external_id].strip().strip("'") or None

    def _optional_date(self, cells: list[str], index: int | None) -> dt.date | None:
        if index is None or not cells[index].strip():
            return None
        try:
            return self._parse_date(cells[index])
        except ValueError:
            return None

    def _optional_amount(self, cells: list[str], index: int | None) -> Decimal | None:
        if index is None:
            return None
        try:
            return self._read_money(cells[index])
        except AmountError:
            return None  # a running balance is informative only; an odd one does not spoil the row

    def _raw(self, cells: list[str]) -> dict[str, str]:
        raw = dict(zip(self._raw_keys, cells, strict=False))
        if len(cells) > len(self._raw_keys):
            for index in range(len(self._raw_keys), len(cells)):
                if cells[index].strip():
                    raw[f"column {index + 1}"] = cells[index]
        return raw


def _money_reader(decimal_comma: bool) -> Callable[[str], Decimal | None]:
    """Amount text → Decimal, None for an empty cell; the plain shapes skip parse_amount's full rules."""
    plain = plain_amount_matcher(decimal_comma)

    def read(text: str) -> Decimal | None:
        if plain(text):
            return Decimal(text.replace(",", ".") if decimal_comma else text)
        if not text or text.isspace():
            return None
        return parse_amount(text, decimal_comma)

    return read


def _single(spec: int | tuple[int, ...] | None) -> int | None:
    if isinstance(spec, tuple):
        return spec[0] if spec else None
    return spec


def _unique_keys(header: tuple[str, ...], width: int) -> tuple[str, ...]:
    """Raw-dict keys: the header names made unique (`Währung`, `Währung (2)`), `column N` where unnamed."""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for index in range(max(width, len(header))):
        name = header[index].strip() if index < len(header) and header[index].strip() else f"column {index + 1}"
        seen[name] = seen.get(name, 0) + 1
        keys.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(keys)


def _mentions(pattern: re.Pattern[str], cells: list[str]) -> bool:
    return any(pattern.search(cell) for cell in cells if cell)
