"""detect() and parse(): the two entry points, shared planning, limits and format sniffing."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import BinaryIO

from .csv_layout import CsvLayout, resolve_layout
from .csv_records import MalformedCsv, describe_delimiter, iter_records
from .csv_rows import CsvRowReader
from .dates import describe_format, is_valid_format
from .decoding import Source, detect_encoding, looks_like_text, refuse_binary
from .ofx import check_ofx, looks_like_ofx, read_ofx
from .profiles import BY_NAME
from .qif import looks_like_qif, read_qif, scan_qif
from .records import (
    COLUMN_ROLES,
    DEFAULT_LIMITS,
    SIGN_CONVENTIONS,
    Detection,
    FileFormat,
    ImportFileError,
    ImportLimits,
    ImportOptions,
    ParsedRow,
    ParseSummary,
    RowError,
)

PREVIEW_ROWS = 10
_ROLE_LABELS = {"date_format": "date format"}
_STMTTRN = re.compile(rb"<stmttrn>", re.IGNORECASE)

Data = bytes | bytearray | memoryview | BinaryIO


@dataclass
class _Plan:
    """A file that has been sized, decoded and understood, ready to stream rows from."""

    source: Source
    format: FileFormat
    encoding: str
    open_rows: Callable[[ParseSummary], Iterator[ParsedRow | RowError]]
    profile: str
    layout: CsvLayout | None = None
    date_format: str | None = None
    date_ambiguous: bool = False
    missing: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    def new_summary(self) -> ParseSummary:
        return ParseSummary(self.format, self.encoding, self.profile, notes=list(self.notes))


class RowStream(Iterator[ParsedRow | RowError]):
    """The rows of a file, read lazily; `summary` is complete once iteration has finished."""

    def __init__(self, rows: Iterator[ParsedRow | RowError], summary: ParseSummary) -> None:
        self._rows = _counted(rows, summary)
        self.summary = summary

    def __iter__(self) -> Iterator[ParsedRow | RowError]:
        return self._rows  # iterating the generator directly saves a Python call per row

    def __next__(self) -> ParsedRow | RowError:
        return next(self._rows)


def _counted(rows: Iterator[ParsedRow | RowError], summary: ParseSummary) -> Iterator[ParsedRow | RowError]:
    for item in rows:
        if type(item) is ParsedRow:
            summary.rows += 1
        else:
            summary.errors += 1
        yield item


def detect(
    data: Data, filename: str = "", options: ImportOptions | None = None, *, limits: ImportLimits = DEFAULT_LIMITS
) -> Detection:
    """Work out a file's format and layout and preview its first rows as they will be imported.

    Raises ImportFileError only for files that cannot be imported whatever the settings (empty, too large,
    binary, damaged OFX). A CSV whose columns could not all be found comes back with `missing` set and an
    empty preview, so the user can map the columns by hand.
    """
    plan = _plan(data, filename, options or ImportOptions(), limits)
    detection = Detection(
        format=plan.format,
        encoding=plan.encoding,
        profile=plan.profile,
        profile_label=_profile_label(plan.profile),
        date_format=plan.date_format,
        date_format_ambiguous=plan.date_ambiguous,
        missing=plan.missing,
        notes=list(plan.notes),
    )
    layout = plan.layout
    if layout is not None:
        detection.delimiter = layout.delimiter
        detection.header_row = layout.header_line
        detection.header = layout.header
        detection.columns = layout.columns_by_name()
        detection.decimal_comma = layout.decimal_comma
        detection.sign = layout.sign
        if layout.sign == "direction":
            detection.direction_debit_values = layout.direction_debit_values
    if not plan.missing:
        detection.preview = list(islice(plan.open_rows(plan.new_summary()), PREVIEW_ROWS))
    return detection


def parse(
    data: Data, filename: str = "", options: ImportOptions | None = None, *, limits: ImportLimits = DEFAULT_LIMITS
) -> RowStream:
    """Stream a file's transactions as ParsedRow, and RowError for rows that cannot be read.

    Everything that can make the whole file unusable (size, row count, format, missing columns) is checked
    before this returns, raising ImportFileError, so a caller that gets a RowStream can start writing.
    Pass the options from a Detection (possibly adjusted by the user) to skip or override detection.
    """
    plan = _plan(data, filename, options or ImportOptions(), limits)
    if plan.missing:
        wanted = ", ".join(_ROLE_LABELS.get(role, role) for role in plan.missing)
        raise ImportFileError(
            f"Cannot import this file as it is: could not find the {wanted}. Choose the columns and formats "
            "in the import settings."
        )
    summary = plan.new_summary()
    return RowStream(plan.open_rows(summary), summary)


def _plan(data: Data, filename: str, options: ImportOptions, limits: ImportLimits) -> _Plan:
    _validate_options(options)
    source = Source(data, limits)
    refuse_binary(source, filename)
    encoding = _encoding(source, options)
    head = source.head[:8192].decode(encoding, errors="replace").lstrip("\ufeff")
    if not looks_like_text(head):
        raise ImportFileError(
            f"{filename or 'The file'} does not look like a text file (CSV, OFX or QIF) in {encoding}."
        )
    file_format = _sniff_format(head, filename)
    if file_format == "ofx":
        return _plan_ofx(source, encoding, limits)
    if file_format == "qif":
        return _plan_qif(source, encoding, options, limits)
    return _plan_csv(source, encoding, options, limits)


def _validate_options(options: ImportOptions) -> None:
    """Refuse options no file could satisfy, before reading the file."""
    if options.profile and options.profile != "generic" and options.profile not in BY_NAME:
        raise ImportFileError(f"Unknown bank profile {options.profile!r}; choose one of {', '.join(BY_NAME)}.")
    if options.sign and options.sign not in SIGN_CONVENTIONS:
        raise ImportFileError(f"Unknown sign convention {options.sign!r}; use one of {', '.join(SIGN_CONVENTIONS)}.")
    if options.delimiter is not None and (len(options.delimiter) != 1 or options.delimiter in '"\r\n'):
        raise ImportFileError(
            f"The delimiter must be a single character other than a quote, not {options.delimiter!r}."
        )
    if options.date_format and not is_valid_format(options.date_format):
        raise ImportFileError(f"{options.date_format!r} is not a date format (use strptime codes like %d/%m/%Y).")
    unknown = set(options.columns or ()) - set(COLUMN_ROLES)
    if unknown:
        raise ImportFileError(f"Unknown column roles {sorted(unknown)}; the roles are {', '.join(COLUMN_ROLES)}.")


def _encoding(source: Source, options: ImportOptions) -> str:
    if not options.encoding:
        return detect_encoding(source)
    try:
        name = codecs.lookup(options.encoding).name
        b"a".decode(name, errors="replace")  # refuses codecs that are not text encodings (base64, rot13)
    except LookupError:
        raise ImportFileError(f"Unknown text encoding {options.encoding!r}.") from None
    return name


def _sniff_format(head: str, filename: str) -> FileFormat:
    if looks_like_ofx(head):
        return "ofx"
    if looks_like_qif(head):
        return "qif"
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".ofx", ".qfx"}:
        raise ImportFileError(f"{filename} is named like an OFX file but has no OFX header or <OFX> element.")
    if suffix == ".qif":
        raise ImportFileError(f"{filename} is named like a QIF file but does not start with a !Type: line.")
    return "csv"


def _plan_ofx(source: Source, encoding: str, limits: ImportLimits) -> _Plan:
    check_ofx(source.head.decode(encoding, errors="replace"))
    count = _count_stmttrn(source)
    _check_row_limit(count, limits)

    def open_rows(summary: ParseSummary) -> Iterator[ParsedRow | RowError]:
        with source.open_text(encoding) as text:
            yield from read_ofx(text)

    return _Plan(source, "ofx", encoding, open_rows, profile="ofx")


def _count_stmttrn(source: Source) -> int:
    count = 0
    tail = b""
    for chunk in source.chunks():
        window = tail + chunk
        count += len(_STMTTRN.findall(window))
        tail = window[-8:]  # shorter than the tag, so no match is counted twice
    return count


def _plan_qif(source: Source, encoding: str, options: ImportOptions, limits: ImportLimits) -> _Plan:
    with source.open_text(encoding) as text:
        scan = scan_qif(text)
    _check_row_limit(scan.records, limits)
    notes: list[str] = []
    if options.date_format:
        date_format, ambiguous = options.date_format, False
    else:
        inference = scan.dates.decide(None, day_first_default=False)
        date_format, ambiguous = inference.format, inference.ambiguous
        if ambiguous and date_format:
            notes.append(
                f"Every date fits {' and '.join(describe_format(f) for f in inference.candidates)}; using "
                f"{describe_format(date_format)} (Quicken's usual order). Change the date format if that is wrong."
            )

    def open_rows(summary: ParseSummary) -> Iterator[ParsedRow | RowError]:
        with source.open_text(encoding) as text:
            yield from read_qif(text, date_format or "%m/%d/%Y", summary)

    missing = () if date_format else ("date_format",)
    return _Plan(source, "qif", encoding, open_rows, "qif", None, date_format, ambiguous, missing, notes)


def _plan_csv(source: Source, encoding: str, options: ImportOptions, limits: ImportLimits) -> _Plan:
    layout = resolve_layout(source, encoding, options)
    _check_csv_rows(source, layout, limits)

    def open_rows(summary: ParseSummary) -> Iterator[ParsedRow | RowError]:
        return iter(CsvRowReader(source, layout, summary))

    notes = [*layout.notes, f"Columns are separated by a {describe_delimiter(layout.delimiter)}."]
    return _Plan(
        source,
        "csv",
        encoding,
        open_rows,
        layout.profile_name,
        layout,
        layout.date_format,
        layout.date_ambiguous,
        layout.missing,
        notes,
    )


def _check_csv_rows(source: Source, layout: CsvLayout, limits: ImportLimits) -> None:
    """Enforce the row limit before any row is produced: count line breaks, and records only if needed."""
    line_breaks = 0
    for chunk in source.chunks():
        line_breaks += max(chunk.count(b"\n"), chunk.count(b"\r"))
    if line_breaks <= limits.max_rows:
        return
    records = 0
    with source.open_text(layout.encoding) as text:
        try:
            for line, _ in iter_records(text, layout.delimiter):
                records += line > layout.header_line
        except MalformedCsv:
            pass
    _check_row_limit(records, limits)


def _check_row_limit(count: int, limits: ImportLimits) -> None:
    if count > limits.max_rows:
        raise ImportFileError(
            f"The file has {count:,} rows; the limit is {limits.max_rows:,}. "
            "Split it into smaller date ranges and import them one after the other."
        )


def _profile_label(name: str) -> str:
    if name in BY_NAME:
        return BY_NAME[name].label
    return {"ofx": "OFX/QFX statement", "qif": "QIF (Quicken)"}.get(name, "Generic")
