"""Bank-file parsing for fincoach: CSV (built-in bank profiles or any layout), OFX/QFX and QIF.

Pure Python, no Django: the import service calls it and does the database work.

Typical web flow::

    detection = detect(data, "statement.csv")           # format, layout, preview, notes
    options = detection.to_options()                     # user adjusts; options.to_dict() is JSON to
                                                         # remember per account, ImportOptions.from_dict()
    stream = parse(data, "statement.csv", options)       # ImportFileError here means: write nothing
    for item in assign_occurrences(stream):
        if isinstance(item, RowError): ...               # "line 14: amount 'abc' is not a number"
        else: item.row, item.fingerprint, item.occurrence
    stream.summary                                       # rows, errors, skipped rows by reason, profile

API (stable):

- ``detect(data, filename, options=None, *, limits) -> Detection``: format (csv/ofx/qif), encoding,
  delimiter, header row (1-based line, 0 = none), profile name ("generic" when none fits), column mapping,
  date format (and whether the column left it ambiguous), decimal style, sign convention, `missing` roles,
  human `notes`, the raw `header` and a `preview` of the first rows exactly as parse() will produce them.
- ``parse(data, filename, options=None, *, limits) -> RowStream``: an iterator of ParsedRow | RowError that
  reads the file lazily (memory stays flat); `RowStream.summary` (ParseSummary) is complete after iteration.
  `data` is bytes or a binary file object. A file that cannot be imported at all raises ImportFileError
  before the first row: empty, binary, over `limits.max_bytes` (25 MB) or `limits.max_rows` (200,000), or a
  layout with no date/amount column.
- ``ParsedRow``: line (1-based physical line of the row's start), date, amount (Decimal, negative = money
  out), description, currency, external_id, authorized_date, pending, balance, raw (source fields).
- ``RowError``: line and a reason that starts with "line N:". Skipped non-transaction rows (balances,
  totals, empty rows, declined/reverted payments, rows without amount) are counted in the summary instead.
- ``ImportOptions``: the user's overrides — profile ("generic" turns bank profiles off), encoding, delimiter,
  header_row, columns (role → header name or 0-based index; roles in COLUMN_ROLES), date_format (strptime),
  decimal_comma, sign (signed | inverted | debit_credit | direction), direction_debit_values.
- ``fingerprint(date, amount, description) -> str`` and ``assign_occurrences(rows)`` for duplicate
  detection; see dedupe.py.
- ``export.write_csv(rows, stream)``: fincoach's own export, re-importable through the "fincoach" profile.
"""

from .api import RowStream, detect, parse
from .dedupe import FingerprintedRow, assign_occurrences, fingerprint, normalize_description
from .profiles import PROFILES, BankProfile
from .records import (
    COLUMN_ROLES,
    DEFAULT_LIMITS,
    SIGN_CONVENTIONS,
    Detection,
    ImportFileError,
    ImportLimits,
    ImportOptions,
    ParsedRow,
    ParseSummary,
    RowError,
    SkippedRow,
)

__all__ = [
    "COLUMN_ROLES",
    "DEFAULT_LIMITS",
    "PROFILES",
    "SIGN_CONVENTIONS",
    "BankProfile",
    "Detection",
    "FingerprintedRow",
    "ImportFileError",
    "ImportLimits",
    "ImportOptions",
    "ParseSummary",
    "ParsedRow",
    "RowError",
    "RowStream",
    "SkippedRow",
    "assign_occurrences",
    "detect",
    "fingerprint",
    "normalize_description",
    "parse",
]
