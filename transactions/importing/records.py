"""The values the importer hands to its callers: parsed rows, row errors, options, detection, summary."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any, Literal, get_args

FileFormat = Literal["csv", "ofx", "qif"]
SignConvention = Literal["signed", "inverted", "debit_credit", "direction"]
SIGN_CONVENTIONS: tuple[str, ...] = get_args(SignConvention)

# A column is named by its header text or by its 0-based position; the description may join several.
ColumnRef = str | int
ColumnSpec = ColumnRef | tuple[ColumnRef, ...] | list[ColumnRef]

# The roles a column can play. `payee` and `description` are joined into ParsedRow.description.
COLUMN_ROLES: tuple[str, ...] = (
    "date",
    "authorized_date",
    "payee",
    "description",
    "amount",
    "debit",
    "credit",
    "direction",
    "fee",
    "currency",
    "external_id",
    "balance",
    "status",
)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; raised before any row is produced."""


@dataclass(slots=True)
class ParsedRow:
    """One transaction as read from the file (amount negative when money leaves the account)."""

    line: int
    date: dt.date
    amount: Decimal
    description: str
    currency: str | None = None
    external_id: str | None = None
    authorized_date: dt.date | None = None
    pending: bool = False
    balance: Decimal | None = None
    raw: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RowError:
    """A row that looks like a transaction but cannot be read; `reason` starts with its line number."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row that is not a transaction (balance line, empty row, declined payment...)."""

    line: int
    reason: str


@dataclass
class ImportOptions:
    """Overrides the user chose in the import preview (remembered per account). None means "detect".

    header_row is the 1-based line number of the header, 0 for a file without a header.
    columns maps a role (see COLUMN_ROLES) to a header name or 0-based column index; `description`
    and `payee` may list several columns, which are joined.
    """

    profile: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    columns: dict[str, ColumnSpec] | None = None
    date_format: str | None = None
    decimal_comma: bool | None = None
    sign: SignConvention | None = None
    direction_debit_values: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the options that are set (to remember them for an account)."""
        return {name: value for name, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportOptions:
        """Options from to_dict() output (e.g. read back from JSON); unknown keys are ignored."""
        known = {option.name for option in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        if values.get("columns"):
            values["columns"] = {
                role: tuple(spec) if isinstance(spec, list) else spec for role, spec in values["columns"].items()
            }
        if values.get("direction_debit_values") is not None:
            values["direction_debit_values"] = tuple(values["direction_debit_values"])
        return cls(**values)


@dataclass(frozen=True)
class ImportLimits:
    """Refuse files larger than this before reading them row by row."""

    max_bytes: int = 25 * 1024 * 1024
    max_rows: int = 200_000


DEFAULT_LIMITS = ImportLimits()


@dataclass
class Detection:
    """What the importer found out about a file: everything the preview shows and lets the user change."""

    format: FileFormat
    encoding: str
    profile: str = "generic"
    profile_label: str = "Generic"
    delimiter: str | None = None
    header_row: int | None = None
    header: tuple[str, ...] = ()
    columns: dict[str, ColumnSpec] = field(default_factory=dict)
    date_format: str | None = None
    date_format_ambiguous: bool = False
    decimal_comma: bool | None = None
    sign: SignConvention | None = None
    direction_debit_values: tuple[str, ...] | None = None
    missing: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    preview: list[ParsedRow | RowError] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when the file can be imported as detected (nothing essential is missing)."""
        return not self.missing

    def to_options(self) -> ImportOptions:
        """The detected settings as options, to remember for the account or to adjust and pass to parse()."""
        if self.format != "csv":
            return ImportOptions(encoding=self.encoding, date_format=self.date_format)
        return ImportOptions(
            profile=self.profile,
            encoding=self.encoding,
            delimiter=self.delimiter,
            header_row=self.header_row,
            columns=dict(self.columns),
            date_format=self.date_format,
            decimal_comma=self.decimal_comma,
            sign=self.sign,
            direction_debit_values=self.direction_debit_values,
        )


@dataclass
class ParseSummary:
    """Counts gathered while the rows stream; complete once iteration has finished."""

    format: FileFormat
    encoding: str
    profile: str = "generic"
    rows: int = 0
    errors: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    skipped_count: int = 0
    skipped_by_reason: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    # Keep memory flat on huge files: the reasons are all counted, only the first rows are listed.
    MAX_LISTED_SKIPS = 500

    def skip(self, line: int, reason: str) -> None:
        """Record a non-transaction row."""
        self.skipped_count += 1
        self.skipped_by_reason[reason] += 1
        if len(self.skipped) < self.MAX_LISTED_SKIPS:
            self.skipped.append(SkippedRow(line, reason))
