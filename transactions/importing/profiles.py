"""Built-in bank profiles: one declarative record per bank export layout, recognised from the header.

A profile names the columns that identify the layout (`header`, all required) and the role each column
plays (`columns`; roles not in `header` are optional and used when present). Everything else about a file
(encoding, delimiter, preamble, date and decimal style) is still detected; a profile's `date_format` and
`decimal_comma` only settle what the data leaves open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .records import ColumnSpec, SignConvention
from .text import fold


@dataclass(frozen=True)
class BankProfile:
    """How one bank's export is laid out; see the module docstring."""

    name: str
    label: str
    columns: Mapping[str, ColumnSpec]
    header: tuple[str, ...] = ()
    sign: SignConvention = "signed"
    date_format: str | None = None
    decimal_comma: bool = False
    currency: str | None = None
    direction_debit_values: tuple[str, ...] = ()
    # Header-less layouts: one regular expression per cell, matched against whole rows (Wells Fargo).
    headerless_pattern: tuple[str, ...] | None = None
    # Read when the description columns are empty (Monzo leaves Name empty for pot transfers).
    description_fallback: ColumnSpec | None = None
    # fincoach's own export neutralises spreadsheet formulas; undo that on the way back in.
    unescape_formulas: bool = False


DATE_CELL = r"\d{1,2}/\d{1,2}/\d{2,4}"
AMOUNT_CELL = r"-?\d[\d,]*\.\d{2}"

_CHASE_CARD_COLUMNS = {
    "date": "Post Date",
    "authorized_date": "Transaction Date",
    "description": "Description",
    "amount": "Amount",
}
_AMEX_COLUMNS = {"date": "Date", "description": "Description", "amount": "Amount", "external_id": "Reference"}

PROFILES: tuple[BankProfile, ...] = (
    BankProfile(
        name="chase_checking",
        label="Chase (checking)",
        header=("Details", "Posting Date", "Description", "Amount", "Type", "Balance"),
        columns={"date": "Posting Date", "description": "Description", "amount": "Amount", "balance": "Balance"},
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="chase_card",
        label="Chase (credit card)",
        header=("Card", "Transaction Date", "Post Date", "Description", "Category", "Type", "Amount"),
        columns=_CHASE_CARD_COLUMNS,
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="chase_card_legacy",
        label="Chase (credit card, older export without Card)",
        header=("Transaction Date", "Post Date", "Description", "Category", "Type", "Amount"),
        columns=_CHASE_CARD_COLUMNS,
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="bank_of_america",
        label="Bank of America (checking)",
        header=("Date", "Description", "Amount", "Running Bal."),
        columns={"date": "Date", "description": "Description", "amount": "Amount", "balance": "Running Bal."},
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="wells_fargo",
        label="Wells Fargo (no header)",
        headerless_pattern=(DATE_CELL, AMOUNT_CELL, r"\*", r"\d*", r".*"),
        columns={"date": 0, "amount": 1, "description": 4},
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="amex",
        label="American Express",
        header=("Date", "Description", "Amount", "Extended Details", "Appears On Your Statement As"),
        columns=_AMEX_COLUMNS,
        sign="inverted",
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="amex_uk",
        label="American Express (UK)",
        header=(
            "Date",
            "Description",
            "Amount",
            "Extended Details",
            "Appears On Your Statement As",
            "Town/City",
            "Postcode",
        ),
        columns=_AMEX_COLUMNS,
        sign="inverted",
        date_format="%d/%m/%Y",
        currency="GBP",
    ),
    BankProfile(
        name="capital_one",
        label="Capital One",
        header=("Transaction Date", "Posted Date", "Card No.", "Description", "Category", "Debit", "Credit"),
        columns={
            "date": "Posted Date",
            "authorized_date": "Transaction Date",
            "description": "Description",
            "debit": "Debit",
            "credit": "Credit",
        },
        sign="debit_credit",
        date_format="%Y-%m-%d",
    ),
    BankProfile(
        name="citi",
        label="Citi",
        header=("Status", "Date", "Description", "Debit", "Credit"),
        columns={
            "date": "Date",
            "description": "Description",
            "debit": "Debit",
            "credit": "Credit",
            "status": "Status",
        },
        sign="debit_credit",
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="discover",
        label="Discover",
        header=("Trans. Date", "Post Date", "Description", "Amount", "Category"),
        columns={
            "date": "Post Date",
            "authorized_date": "Trans. Date",
            "description": "Description",
            "amount": "Amount",
        },
        sign="inverted",
        date_format="%m/%d/%Y",
    ),
    BankProfile(
        name="us_bank",
        label="U.S. Bank",
        header=("Date", "Transaction", "Name", "Memo", "Amount"),
        columns={"date": "Date", "description": "Name", "amount": "Amount"},
        date_format="%Y-%m-%d",
    ),
    BankProfile(
        name="monzo",
        label="Monzo",
        header=("Transaction ID", "Date", "Time", "Type", "Name", "Amount", "Currency"),
        columns={
            "date": "Date",
            "description": "Name",
            "amount": "Amount",
            "currency": "Currency",
            "external_id": "Transaction ID",
        },
        description_fallback="Description",
        date_format="%d/%m/%Y",
        currency="GBP",
    ),
    BankProfile(
        name="revolut",
        label="Revolut",
        header=(
            "Type",
            "Product",
            "Started Date",
            "Completed Date",
            "Description",
            "Amount",
            "Fee",
            "Currency",
            "State",
        ),
        columns={
            "date": "Completed Date",
            "authorized_date": "Started Date",
            "description": "Description",
            "amount": "Amount",
            "fee": "Fee",
            "currency": "Currency",
            "status": "State",
            "balance": "Balance",
        },
        date_format="%Y-%m-%d",
    ),
    BankProfile(
        name="n26",
        label="N26",
        header=("Booking Date", "Value Date", "Partner Name", "Payment Reference", "Amount (EUR)"),
        columns={
            "date": "Booking Date",
            "description": ("Partner Name", "Payment Reference"),
            "amount": "Amount (EUR)",
        },
        date_format="%Y-%m-%d",
        currency="EUR",
    ),
    BankProfile(
        name="n26_legacy",
        label="N26 (older export)",
        header=("Date", "Payee", "Account number", "Transaction type", "Payment reference", "Amount (EUR)"),
        columns={"date": "Date", "description": ("Payee", "Payment reference"), "amount": "Amount (EUR)"},
        date_format="%Y-%m-%d",
        currency="EUR",
    ),
    BankProfile(
        name="ing_nl",
        label="ING (Netherlands)",
        header=("Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Af Bij", "Bedrag (EUR)"),
        columns={
            "date": "Datum",
            "description": "Naam / Omschrijving",
            "amount": "Bedrag (EUR)",
            "direction": "Af Bij",
            "balance": "Saldo na mutatie",
        },
        sign="direction",
        direction_debit_values=("Af",),
        date_format="%Y%m%d",
        decimal_comma=True,
        currency="EUR",
    ),
    BankProfile(
        name="ing_de",
        label="ING (Germany)",
        header=("Buchung", "Auftraggeber/Empfänger", "Buchungstext", "Verwendungszweck", "Betrag"),
        columns={
            "date": "Buchung",
            "description": ("Auftraggeber/Empfänger", "Verwendungszweck"),
            "amount": "Betrag",
            "currency": "Währung",
            "balance": "Saldo",
        },
        date_format="%d.%m.%Y",
        decimal_comma=True,
        currency="EUR",
    ),
    BankProfile(
        name="barclays",
        label="Barclays",
        header=("Number", "Date", "Account", "Amount", "Subcategory", "Memo"),
        columns={"date": "Date", "description": "Memo", "amount": "Amount"},
        date_format="%d/%m/%Y",
        currency="GBP",
    ),
    BankProfile(
        name="lloyds",
        label="Lloyds / Halifax",
        header=(
            "Transaction Date",
            "Transaction Type",
            "Sort Code",
            "Account Number",
            "Transaction Description",
            "Debit Amount",
            "Credit Amount",
        ),
        columns={
            "date": "Transaction Date",
            "description": "Transaction Description",
            "debit": "Debit Amount",
            "credit": "Credit Amount",
            "balance": "Balance",
        },
        sign="debit_credit",
        date_format="%d/%m/%Y",
        currency="GBP",
    ),
    BankProfile(
        name="deutsche_bank",
        label="Deutsche Bank",
        header=("Buchungstag", "Wert", "Verwendungszweck", "Soll", "Haben", "Währung"),
        columns={
            "date": "Buchungstag",
            "description": ("Begünstigter / Auftraggeber", "Verwendungszweck"),
            "debit": "Soll",
            "credit": "Haben",
            "currency": "Währung",
        },
        sign="debit_credit",
        date_format="%d.%m.%Y",
        decimal_comma=True,
        currency="EUR",
    ),
    BankProfile(
        name="sparkasse_camt",
        label="Sparkasse (CSV-CAMT)",
        header=(
            "Auftragskonto",
            "Buchungstag",
            "Valutadatum",
            "Buchungstext",
            "Verwendungszweck",
            "Beguenstigter/Zahlungspflichtiger",
            "Betrag",
            "Waehrung",
        ),
        columns={
            "date": "Buchungstag",
            "description": ("Beguenstigter/Zahlungspflichtiger", "Verwendungszweck"),
            "amount": "Betrag",
            "currency": "Waehrung",
            "status": "Info",
        },
        date_format="%d.%m.%y",
        decimal_comma=True,
        currency="EUR",
    ),
    BankProfile(
        name="fincoach",
        label="fincoach export",
        header=("Date", "Description", "Merchant", "Amount", "Currency", "Category", "Account", "Notes", "Tags", "Id"),
        columns={"date": "Date", "description": "Description", "amount": "Amount", "currency": "Currency"},
        date_format="%Y-%m-%d",
        unescape_formulas=True,
    ),
)

BY_NAME: dict[str, BankProfile] = {profile.name: profile for profile in PROFILES}


def profile_for_header(cells: Sequence[str]) -> BankProfile | None:
    """The most specific profile whose identifying columns all appear in this header row."""
    present = {fold(cell) for cell in cells}
    best: BankProfile | None = None
    for profile in PROFILES:
        if not profile.header or len(profile.header) <= (len(best.header) if best else 0):
            continue
        if all(fold(column) in present for column in profile.header):
            best = profile
    return best


def profile_for_headerless(rows: Sequence[Sequence[str]]) -> BankProfile | None:
    """A header-less profile whose per-column patterns fit (nearly) every sampled row."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return None
    for profile in PROFILES:
        pattern = profile.headerless_pattern
        if pattern is None:
            continue
        matchers = [re.compile(cell).fullmatch for cell in pattern]
        fitting = sum(
            1
            for row in rows
            if len(row) == len(matchers) and all(m(cell.strip()) for m, cell in zip(matchers, row, strict=True))
        )
        if fitting >= 0.9 * len(rows):
            return profile
    return None
