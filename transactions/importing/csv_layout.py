"""Working out a CSV file's layout: delimiter, header row after any preamble, profile, column roles,
date format (from the whole column), decimal style and sign convention. User options override each step."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from .amounts import infer_decimal_comma
from .columns import ColumnIndexes, HeaderMapping, header_score, infer_headerless, map_header
from .csv_records import DELIMITERS, MalformedCsv, iter_records
from .dates import DateColumnTally, describe_format, looks_like_date
from .decoding import Source
from .profiles import BY_NAME, BankProfile, profile_for_header, profile_for_headerless
from .records import ColumnSpec, ImportFileError, ImportOptions, SignConvention
from .text import fold

SNIFF_CHARS = 1 << 16
HEADER_SEARCH_RECORDS = 40
SAMPLE_RECORDS = 200
DAY_FIRST_CURRENCIES = frozenset({"EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "AUD", "NZD"})
DEFAULT_DEBIT_VALUES = ("af", "d", "dr", "debit", "debet", "s", "soll", "-", "out", "cargo")
DEFAULT_CREDIT_VALUES = ("bij", "c", "cr", "credit", "h", "haben", "+", "in", "abono")
_MONEY_ROLES = ("amount", "debit", "credit", "balance", "fee")


@dataclass
class CsvLayout:
    """Everything needed to turn the file's records into rows; built by resolve_layout()."""

    encoding: str
    delimiter: str
    header_line: int  # 1-based; 0 when the file has no header
    header: tuple[str, ...]
    profile: BankProfile | None
    columns: ColumnIndexes
    sign: SignConvention
    date_format: str | None = None
    date_ambiguous: bool = False
    decimal_comma: bool = False
    direction_debit_values: tuple[str, ...] = DEFAULT_DEBIT_VALUES
    direction_credit_values: tuple[str, ...] = DEFAULT_CREDIT_VALUES
    currency: str | None = None
    unescape_formulas: bool = False
    description_fallback: tuple[int, ...] = ()
    missing: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def profile_name(self) -> str:
        return self.profile.name if self.profile else "generic"

    def columns_by_name(self) -> dict[str, ColumnSpec]:
        """Column roles as header names (or indexes for a header-less file), as the preview shows them."""

        def name(index: int) -> str | int:
            return self.header[index] if self.header_line and index < len(self.header) else index

        return {
            role: tuple(name(i) for i in spec) if isinstance(spec, tuple) else name(spec)
            for role, spec in self.columns.items()
        }


def resolve_layout(source: Source, encoding: str, options: ImportOptions) -> CsvLayout:
    """Detect the layout of a CSV file, honouring every option the user set (already validated)."""
    head = _head_text(source, encoding)
    delimiter = options.delimiter or sniff_delimiter(head)
    try:
        records = list(islice(iter_records(io.StringIO(head), delimiter), HEADER_SEARCH_RECORDS + SAMPLE_RECORDS))
    except MalformedCsv as error:
        raise ImportFileError(f"The file is not readable as CSV: {error.reason}") from None
    if not any(any(cell.strip() for cell in cells) for _, cells in records):
        raise ImportFileError("The file has no rows.")
    notes: list[str] = []
    header_line, header, profile, mapping = _find_header(records, options, notes)
    data = [cells for line, cells in records if line > header_line and any(c.strip() for c in cells)]
    if header_line == 0:
        data = _modal_width_rows(data)
    width = max(len(cells) for _, cells in records)
    columns, missing = _resolve_columns(header, header_line, width, profile, mapping, options)
    sign = options.sign or (profile.sign if profile else mapping.sign)
    missing += _missing_for_sign(sign, columns)
    layout = CsvLayout(
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
        header=tuple(header),
        profile=profile,
        columns=columns,
        sign=sign,
        currency=mapping.currency or (profile.currency if profile else None),
        unescape_formulas=bool(profile and profile.unescape_formulas),
        description_fallback=_fallback_indexes(profile, header, header_line),
        notes=notes,
    )
    layout.decimal_comma = _decide_decimal_comma(layout, data, options)
    if options.direction_debit_values:
        layout.direction_debit_values = tuple(v.strip().casefold() for v in options.direction_debit_values)
        layout.direction_credit_values = ()
    elif profile and profile.direction_debit_values:
        layout.direction_debit_values = tuple(v.casefold() for v in profile.direction_debit_values)
    _decide_date_format(layout, source, data, options)
    if layout.date_format is None and "date" in columns:
        missing.append("date_format")
        notes.append("The dates are in a format that was not recognised; enter it as a strptime format.")
    layout.missing = tuple(dict.fromkeys(missing))
    return layout


def _head_text(source: Source, encoding: str) -> str:
    with source.open_text(encoding) as text:
        head = text.read(SNIFF_CHARS)
        truncated = bool(text.read(1))
    if truncated and "\n" in head:
        head = head[: head.rindex("\n") + 1]  # drop the partial last line
    return head.lstrip("\ufeff")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (≥ 2) of fields."""
    best = (0, 0, ",")
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
        try:
            widths = Counter(len(row) for row in reader if len(row) > 1)
        except csv.Error:
            continue
        if not widths:
            continue
        width, rows = max(widths.items(), key=lambda item: (item[1], item[0]))
        best = max(best, (rows, width, delimiter), key=lambda b: (b[0], b[1]))
    return best[2]


def _find_header(
    records: Sequence[tuple[int, list[str]]], options: ImportOptions, notes: list[str]
) -> tuple[int, list[str], BankProfile | None, HeaderMapping]:
    """Return (header line or 0, header cells, profile, synonym mapping)."""
    forced = BY_NAME.get(options.profile or "")
    generic = options.profile == "generic"  # the user turned the built-in profiles off
    searchable = records[:HEADER_SEARCH_RECORDS]
    if options.header_row is not None:
        if options.header_row == 0:
            return (0, [], *_headerless_layout(records, forced, notes, generic))
        for line, cells in records:
            if line == options.header_row:
                return line, cells, forced or (None if generic else profile_for_header(cells)), map_header(cells)
        raise ImportFileError(f"Line {options.header_row} is not the start of a row near the top of the file.")
    if forced is not None and forced.headerless_pattern is not None:
        return (0, [], *_headerless_layout(records, forced, notes))
    for line, cells in [] if generic else searchable:
        profile = profile_for_header(cells)
        if profile is not None and (forced is None or profile is forced):
            notes.append(f"Recognised {profile.label} from the header on line {line}.")
            return line, cells, profile, map_header(cells)
        if forced is not None and all(fold(c) in {fold(x) for x in cells} for c in forced.header):
            return line, cells, forced, map_header(cells)
    scored = [(header_score(cells), -line, line, cells) for line, cells in searchable]
    best = max(scored, default=None)
    if best is not None and best[0] > 0:
        if forced is not None:
            notes.append(f"The header does not look like a {forced.label} export; its columns were matched by name.")
        return best[2], best[3], forced, map_header(best[3])
    unnamed = None if forced is not None else _unrecognised_header(records)
    if unnamed is not None:
        notes.append(
            f"The header on line {unnamed[0]} was not recognised; its columns were inferred from their content."
        )
        return unnamed[0], unnamed[1], None, unnamed[2]
    return (0, [], *_headerless_layout(records, forced, notes, generic))


def _unrecognised_header(
    records: Sequence[tuple[int, list[str]]],
) -> tuple[int, list[str], HeaderMapping] | None:
    """A first row with the data's width whose cells are names where the data has dates: a header in words
    we do not know. Its columns are inferred from the rows below it."""
    width = _modal_width(cells for _, cells in records)
    rows = [(line, cells) for line, cells in records if len(cells) == width]
    if len(rows) < 2:
        return None
    line, cells = rows[0]
    mapping = infer_headerless([data for _, data in rows[1:]])
    date = mapping.columns.get("date")
    if not isinstance(date, int) or looks_like_date(cells[date]):
        return None
    return line, cells, mapping


def _headerless_layout(
    records: Sequence[tuple[int, list[str]]], forced: BankProfile | None, notes: list[str], generic: bool = False
) -> tuple[BankProfile | None, HeaderMapping]:
    """The profile (forced or recognised from the row shape) and content-inferred roles of a header-less file."""
    rows = _modal_width_rows([cells for _, cells in records])
    profile = forced or (None if generic else profile_for_headerless(rows))
    if profile is not None:
        if forced is None:
            notes.append(f"Recognised {profile.label} from the row layout.")
        return profile, HeaderMapping()
    notes.append("The file has no header row; the columns were inferred from their content.")
    return None, infer_headerless(rows)


def _modal_width_rows(rows: Sequence[list[str]]) -> list[list[str]]:
    """The rows with the most common field count (drops preamble and footer lines of header-less files)."""
    width = _modal_width(rows)
    return [row for row in rows if len(row) == width]


def _modal_width(rows: Iterable[list[str]]) -> int:
    """The most common field count among non-empty rows (the wider on a tie; 0 when all are empty)."""
    widths = Counter(len(row) for row in rows if any(cell.strip() for cell in row))
    return max(widths.items(), key=lambda item: (item[1], item[0]))[0] if widths else 0


def _resolve_columns(
    header: Sequence[str],
    header_line: int,
    width: int,
    profile: BankProfile | None,
    mapping: HeaderMapping,
    options: ImportOptions,
) -> tuple[ColumnIndexes, list[str]]:
    """Column indexes per role: the profile's (or the synonyms'), then the user's overrides."""
    missing: list[str] = []
    columns: ColumnIndexes = {}
    if profile is not None:
        required = {fold(name) for name in profile.header}
        for role, spec in profile.columns.items():
            index = _index_of(spec, header, header_line)
            if index is not None:
                columns[role] = index
            elif any(isinstance(n, str) and fold(n) in required for n in _names(spec)):
                missing.append(role)
    else:
        columns.update(mapping.columns)
    for role, spec in (options.columns or {}).items():
        if spec is None or spec == "" or spec == ():
            columns.pop(role, None)
            continue
        index = _index_of(spec, header, header_line)
        if index is None:
            missing.append(role)
        else:
            columns[role] = index
    for role, index in list(columns.items()):
        if any(i >= width for i in (index if isinstance(index, tuple) else (index,))):
            del columns[role]  # a position beyond every row of the file
            missing.append(role)
    if "date" not in columns:
        missing.append("date")
    return columns, missing


def _fallback_indexes(profile: BankProfile | None, header: Sequence[str], header_line: int) -> tuple[int, ...]:
    if profile is None or profile.description_fallback is None:
        return ()
    index = _index_of(profile.description_fallback, header, header_line)
    if index is None:
        return ()
    return index if isinstance(index, tuple) else (index,)


def _names(spec: ColumnSpec) -> tuple[str | int, ...]:
    return tuple(spec) if isinstance(spec, tuple | list) else (spec,)


def _index_of(spec: ColumnSpec, header: Sequence[str], header_line: int) -> int | tuple[int, ...] | None:
    """Resolve a column spec against the header; a tuple resolves to the indexes found (None if none)."""
    if isinstance(spec, tuple | list):
        found = tuple(i for i in (_single_index(s, header, header_line) for s in spec) if i is not None)
        if not found:
            return None
        return found if len(found) > 1 else found[0]
    return _single_index(spec, header, header_line)


def _single_index(spec: str | int, header: Sequence[str], header_line: int) -> int | None:
    if isinstance(spec, int):
        return spec if spec >= 0 else None
    if spec.isdigit() and not header_line:
        return int(spec)
    wanted = fold(spec)
    for index, cell in enumerate(header):
        if fold(cell) == wanted:
            return index
    return None


def _missing_for_sign(sign: SignConvention, columns: ColumnIndexes) -> list[str]:
    if sign == "debit_credit":
        return [] if ("debit" in columns or "credit" in columns) else ["debit", "credit"]
    missing = [] if "amount" in columns else ["amount"]
    if sign == "direction" and "direction" not in columns:
        missing.append("direction")
    return missing


def _column_values(data: Sequence[list[str]], index: int | tuple[int, ...] | None) -> list[str]:
    if not isinstance(index, int):
        return []
    return [row[index] for row in data if index < len(row) and row[index].strip()]


def _decide_decimal_comma(layout: CsvLayout, data: Sequence[list[str]], options: ImportOptions) -> bool:
    if options.decimal_comma is not None:
        return options.decimal_comma
    values = [v for role in _MONEY_ROLES for v in _column_values(data, layout.columns.get(role))]
    inferred = infer_decimal_comma(values)
    if inferred is not None:
        if inferred:
            layout.notes.append("Amounts use a decimal comma (1.234,56).")
        return inferred
    if layout.profile is not None:
        return layout.profile.decimal_comma
    return layout.delimiter == ";"


def _day_first_default(layout: CsvLayout) -> bool:
    return layout.decimal_comma or layout.delimiter == ";" or (layout.currency or "") in DAY_FIRST_CURRENCIES


def _decide_date_format(layout: CsvLayout, source: Source, data: Sequence[list[str]], options: ImportOptions) -> None:
    """Infer the date format from the whole date column; ties go to the profile, then the locale."""
    if options.date_format:
        layout.date_format = options.date_format
        return
    date_columns = [i for role in ("date", "authorized_date") if isinstance(i := layout.columns.get(role), int)]
    if not date_columns:
        return
    tally = DateColumnTally()
    for index in date_columns:
        tally.add_all(_column_values(data, index))
    if len(tally.leaders()) > 1:
        tally = _tally_whole_column(layout, source, date_columns, tally.leaders())
    preferred = layout.profile.date_format if layout.profile else None
    inference = tally.decide(preferred, _day_first_default(layout))
    layout.date_format = inference.format
    layout.date_ambiguous = inference.ambiguous
    if inference.ambiguous and inference.format:
        options_text = " and ".join(describe_format(f) for f in inference.candidates)
        reason = "the bank's usual format" if inference.format == preferred else "the file's locale"
        layout.notes.append(
            f"Every date fits {options_text}; using {describe_format(inference.format)} ({reason}). "
            "Change the date format if that is wrong."
        )


def _tally_whole_column(
    layout: CsvLayout, source: Source, columns: Sequence[int], leaders: Iterable[str]
) -> DateColumnTally:
    """Read the date column of the whole file, counting only the tied formats, until one pulls ahead."""
    tally = DateColumnTally(leaders)
    with source.open_text(layout.encoding) as text:
        try:
            for line, cells in iter_records(text, layout.delimiter):
                if line <= layout.header_line:
                    continue
                for index in columns:
                    if index < len(cells):
                        tally.add(cells[index])
                if len(tally.leaders()) == 1:
                    break
        except MalformedCsv:
            pass  # the row stream reports it with its line number
    return tally
