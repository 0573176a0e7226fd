"""Mapping an unknown layout's columns to roles: header synonyms in five languages, or content alone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .amounts import AmountError, parse_amount
from .dates import looks_like_date
from .text import fold

ColumnIndexes = dict[str, int | tuple[int, ...]]

# Folded header texts (see text.fold) per role, most specific first. English, German, French, Spanish, Dutch.
POSTED_DATE = (
    "posting date",
    "posted date",
    "post date",
    "date posted",
    "booking date",
    "booking",
    "completed date",
    "settlement date",
    "buchungstag",
    "buchungsdatum",
    "buchung",
    "date comptable",
    "fecha contable",
    "boekdatum",
    "boekingsdatum",
)
PLAIN_DATE = ("date", "datum", "fecha", "data", "transaction time", "datum tijd")
AUTHORIZED_DATE = (
    "transaction date",
    "trans date",
    "started date",
    "purchase date",
    "authorized date",
    "date operation",
    "date de l operation",
    "date d operation",
    "fecha operacion",
    "fecha de operacion",
    "transactiedatum",
    "umsatzdatum",
    "belegdatum",
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "amount": (
        "amount",
        "transaction amount",
        "amt",
        "net amount",
        "value",
        "betrag",
        "umsatz",
        "montant",
        "importe",
        "monto",
        "cantidad",
        "bedrag",
    ),
    "debit": (
        "debit",
        "debits",
        "debit amount",
        "withdrawal",
        "withdrawals",
        "withdrawal amount",
        "money out",
        "paid out",
        "outflow",
        "soll",
        "ausgang",
        "belastung",
        "retrait",
        "retraits",
        "cargo",
        "cargos",
        "af",
        "uitgaven",
        "debet",
    ),
    "credit": (
        "credit",
        "credits",
        "credit amount",
        "deposit",
        "deposits",
        "deposit amount",
        "money in",
        "paid in",
        "inflow",
        "haben",
        "eingang",
        "gutschrift",
        "versement",
        "abono",
        "abonos",
        "ingreso",
        "ingresos",
        "bij",
        "inkomsten",
    ),
    "direction": (
        "af bij",
        "debit credit",
        "credit debit",
        "dr cr",
        "cr dr",
        "soll haben",
        "s h",
        "debit credit indicator",
        "credit debit indicator",
        "sens",
        "cargo abono",
        "bij af",
    ),
    "payee": (
        "payee",
        "name",
        "merchant",
        "merchant name",
        "counterparty",
        "counter party",
        "partner name",
        "beneficiary",
        "recipient",
        "payer",
        "other party",
        "auftraggeber empfanger",
        "auftraggeber",
        "empfanger",
        "zahlungsempfanger",
        "begunstigter auftraggeber",
        "beguenstigter zahlungspflichtiger",
        "begunstigter zahlungspflichtiger",
        "beneficiaire",
        "tiers",
        "beneficiario",
        "ordenante",
        "naam",
        "naam omschrijving",
        "tegenpartij",
        "naam tegenpartij",
    ),
    "description": (
        "description",
        "transaction description",
        "details",
        "transaction details",
        "narrative",
        "memo",
        "particulars",
        "payment reference",
        "reference",
        "purpose",
        "text",
        "verwendungszweck",
        "buchungstext",
        "libelle",
        "libelle operation",
        "libelle de l operation",
        "concepto",
        "descripcion",
        "detalle",
        "omschrijving",
        "mededelingen",
    ),
    "currency": ("currency", "currency code", "ccy", "wahrung", "waehrung", "devise", "moneda", "divisa", "munt"),
    "balance": (
        "balance",
        "running balance",
        "running bal",
        "available balance",
        "saldo",
        "saldo nach buchung",
        "kontostand",
        "solde",
        "saldo na mutatie",
    ),
    "external_id": (
        "transaction id",
        "transaction reference",
        "id",
        "fitid",
        "reference number",
        "ref number",
        "transaktions id",
        "transaktionsnummer",
        "numero de transaction",
        "referencia",
    ),
    "status": ("status", "state", "transaction status"),
    "fee": ("fee", "fees", "gebuhr", "gebuhren", "entgelt", "frais", "comision", "kosten", "commission"),
}
_CURRENCY_IN_HEADER = re.compile(
    r"(?:\(|\[|\bin\s+)?\b(EUR|USD|GBP|CHF|CAD|AUD|SEK|NOK|DKK|PLN|JPY)\b\)?|\(€\)|\(\$\)|\(£\)"
)
_SYMBOL_CODES = {"€": "EUR", "$": "USD", "£": "GBP"}


@dataclass
class HeaderMapping:
    """Roles found in a header row: role → column index (a tuple for joined description columns)."""

    columns: ColumnIndexes = field(default_factory=dict)
    currency: str | None = None
    sign: str = "signed"


def _header_key(cell: str) -> tuple[str, str | None]:
    """The folded header without a currency qualifier, and that currency: `Amount (EUR)` → (`amount`, `EUR`)."""
    match = _CURRENCY_IN_HEADER.search(cell)
    currency = None
    if match:
        currency = match.group(1) or _SYMBOL_CODES.get(match.group(0)[1:2])
        cell = cell[: match.start()] + cell[match.end() :]
    return fold(cell), currency


def map_header(header: Sequence[str]) -> HeaderMapping:
    """Assign roles to a header row by synonyms; each column plays at most one role."""
    keys: list[str] = []
    currencies: list[str] = []
    for cell in header:
        key, currency = _header_key(cell)
        keys.append(key)
        if currency:
            currencies.append(currency)
    taken: set[int] = set()

    def find(synonyms: Sequence[str]) -> int | None:
        for synonym in synonyms:
            for index, key in enumerate(keys):
                if key == synonym and index not in taken:
                    taken.add(index)
                    return index
        return None

    mapping = HeaderMapping(currency=currencies[0] if len(set(currencies)) == 1 else None)
    columns = mapping.columns
    date = find(POSTED_DATE)
    if date is None:
        date = find(PLAIN_DATE)
    authorized = find(AUTHORIZED_DATE)
    if date is None:
        date, authorized = authorized, None
    if date is not None:
        columns["date"] = date
    if authorized is not None:
        columns["authorized_date"] = authorized
    for role in ("direction", "amount", "debit", "credit", "balance", "fee", "currency", "external_id", "status"):
        index = find(SYNONYMS[role])
        if index is not None:
            columns[role] = index
    payee = find(SYNONYMS["payee"])
    description = find(SYNONYMS["description"])
    parts = tuple(index for index in (payee, description) if index is not None)
    if parts:
        columns["description"] = parts if len(parts) > 1 else parts[0]
    if "amount" not in columns and "debit" in columns and "credit" in columns:
        mapping.sign = "debit_credit"
    elif "amount" in columns and "direction" in columns:
        mapping.sign = "direction"
    return mapping


def header_score(cells: Sequence[str]) -> int:
    """How header-like a row is: the number of distinct roles its cells name (0 for data rows)."""
    mapping = map_header(cells)
    has_money = any(role in mapping.columns for role in ("amount", "debit", "credit"))
    if "date" not in mapping.columns or not has_money:
        return 0
    return len(mapping.columns)


def infer_headerless(rows: Sequence[Sequence[str]]) -> HeaderMapping:
    """Guess the roles of a header-less file's columns from their content.

    The date column is the first whose values are all dates; amounts are numeric columns (ones with a
    decimal mark first); two numeric columns that are never filled together are debit/credit; the
    description is the remaining column with the longest text.
    """
    mapping = HeaderMapping()
    width = max((len(row) for row in rows), default=0)
    profiles = [_ColumnProfile.of([row[i] if i < len(row) else "" for row in rows]) for i in range(width)]
    columns = mapping.columns
    for index, column in enumerate(profiles):
        if column.filled >= 0.9 and column.dates >= 0.9:
            columns["date"] = index
            break
    numeric = [
        index
        for index, column in enumerate(profiles)
        if index != columns.get("date") and column.filled >= 0.3 and column.numbers >= 0.95 and column.decimals
    ]
    if len(numeric) >= 2 and _complementary(rows, numeric[0], numeric[1]):
        columns["debit"], columns["credit"] = numeric[0], numeric[1]
        mapping.sign = "debit_credit"
        numeric = numeric[2:]
    elif numeric:
        columns["amount"] = numeric.pop(0)
    if numeric and profiles[numeric[0]].filled >= 0.9:
        columns["balance"] = numeric[0]
    used = set(columns.values())
    texts = [
        (column.mean_length, index)
        for index, column in enumerate(profiles)
        if index not in used and column.numbers < 0.5 and column.dates < 0.5 and column.filled > 0
    ]
    if texts:
        columns["description"] = max(texts)[1]
    return mapping


@dataclass(frozen=True)
class _ColumnProfile:
    filled: float  # share of rows with a value
    dates: float  # share of values that are dates
    numbers: float  # share of values that are amounts
    decimals: bool  # some value has a decimal mark
    mean_length: float

    @classmethod
    def of(cls, values: Sequence[str]) -> _ColumnProfile:
        present = [value.strip() for value in values if value.strip()]
        if not present:
            return cls(0.0, 0.0, 0.0, False, 0.0)
        numbers = sum(1 for value in present if _is_amount(value))
        return cls(
            filled=len(present) / len(values),
            dates=sum(1 for value in present if looks_like_date(value)) / len(present),
            numbers=numbers / len(present),
            decimals=any(("." in value or "," in value) and _is_amount(value) for value in present),
            mean_length=sum(len(value) for value in present) / len(present),
        )


def _is_amount(text: str) -> bool:
    if looks_like_date(text):
        return False
    for decimal_comma in (False, True):
        try:
            parse_amount(text, decimal_comma)
        except AmountError:
            continue
        return True
    return False


def _complementary(rows: Sequence[Sequence[str]], first: int, second: int) -> bool:
    """True when no row fills both columns (separate debit and credit columns)."""
    last = max(first, second)
    return not any(len(row) > last and row[first].strip() and row[second].strip() for row in rows)
