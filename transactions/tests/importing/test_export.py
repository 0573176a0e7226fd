"""fincoach's CSV export: formula escaping and a clean round trip through the fincoach profile."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from transactions.importing import detect
from transactions.importing.export import EXPORT_COLUMNS, ExportRow, escape_formula, unescape_formula, write_csv

from .helpers import parse_all

D = dt.date

ROWS = [
    ExportRow(
        D(2025, 1, 2),
        "SQ *BLUE BOTTLE COFFEE OAKLAND CA",
        Decimal("-4.50"),
        "USD",
        "Blue Bottle Coffee",
        "FOOD_AND_DRINK_COFFEE",
        "Checking",
        "with Sam",
        ("coffee", "friends"),
        17,
    ),
    ExportRow(D(2025, 1, 3), '=HYPERLINK("http://evil.example","click")', Decimal("-10"), "USD", id=18),
    ExportRow(D(2025, 1, 4), "+SUM(A1:A9)", Decimal("2500.00"), "USD", notes="@cmd", id=19),
    ExportRow(D(2025, 1, 5), "-2+3 refund", Decimal("3.25"), "EUR", merchant="-Merchant", id=20),
    ExportRow(D(2025, 1, 6), "'=already quoted", Decimal("-1.00"), "EUR", id=21),
    ExportRow(D(2025, 1, 7), 'Café, "quoted" name', Decimal("-0.99"), "EUR", tags=("a,b",), id=22),
]


def export(rows) -> str:
    stream = io.StringIO(newline="")
    assert write_csv(rows, stream) == len(rows)
    return stream.getvalue()


def test_export_columns_iso_dates_and_plain_signed_amounts():
    cells = list(csv.reader(io.StringIO(export(ROWS))))
    assert tuple(cells[0]) == EXPORT_COLUMNS
    assert cells[1] == [
        "2025-01-02",
        "SQ *BLUE BOTTLE COFFEE OAKLAND CA",
        "Blue Bottle Coffee",
        "-4.50",
        "USD",
        "FOOD_AND_DRINK_COFFEE",
        "Checking",
        "with Sam",
        "coffee, friends",
        "17",
    ]
    assert [row[3] for row in cells[1:]] == ["-4.50", "-10", "2500.00", "3.25", "-1.00", "-0.99"]


def test_text_cells_that_spreadsheets_would_evaluate_are_neutralised():
    cells = list(csv.reader(io.StringIO(export(ROWS))))
    assert cells[2][1] == '\'=HYPERLINK("http://evil.example","click")'
    assert cells[3][1] == "'+SUM(A1:A9)"
    assert cells[3][7] == "'@cmd"
    assert cells[4][1] == "'-2+3 refund"
    assert cells[4][2] == "'-Merchant"
    for row in cells[1:]:
        for index in (1, 2, 4, 5, 6, 7, 8):
            assert row[index][:1] not in {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("text", ["", "plain", "=1+1", "+1", "-1", "@A", "\tTab", "\rCR", "'", "'x", "'=x", "''=x"])
def test_escape_round_trips_every_value(text):
    assert unescape_formula(escape_formula(text)) == text


def test_export_reimports_through_the_fincoach_profile():
    data = export(ROWS).encode()
    assert detect(data, "fincoach-export.csv").profile == "fincoach"
    rows, errors, _ = parse_all(data, "fincoach-export.csv")
    assert errors == []
    assert [(r.date, r.amount, r.description, r.currency) for r in rows] == [
        (row.date, row.amount, row.description, row.currency) for row in ROWS
    ]


def test_export_accepts_mappings():
    text = export([{"date": D(2025, 1, 2), "description": "Rent", "amount": Decimal("-900"), "tags": ["home"]}])
    assert text.splitlines()[1] == "2025-01-02,Rent,,-900,,,,,home,"
